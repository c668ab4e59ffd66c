// Worker threads start without the parent's TypeScript loader: register tsx here, then load the module the
// parent names in workerData.module (the parse worker, the SQLite import writer).
import { register } from 'tsx/esm/api';

register();
const { workerData } = await import('node:worker_threads');
await import(workerData.module);
