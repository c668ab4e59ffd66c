import { parentPort, workerData } from 'node:worker_threads';
import { plainError } from '../domain/errors.ts';
import { type MappingColumn, type OpenedImportFile, openImportFile, prepareBatches } from './import-file.ts';
import { packedTransferList } from './prepare-rows.ts';

// The parse worker: opens the file, reports what it found, then reads, decodes, validates and prepares the rows
// in batches while the writer stores the previous ones. At most MAX_IN_FLIGHT batches wait for the writer.

export interface ParseWorkerData {
  module: string;
  path: string;
  sheet?: string;
}

export type ToParseWorker =
  | { type: 'start'; columns: MappingColumn[] }
  | { type: 'credit' }
  | { type: 'stop' };

const MAX_IN_FLIGHT = 3;

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');
const data = workerData as ParseWorkerData;

let opened: OpenedImportFile | null = null;
let credits = MAX_IN_FLIGHT;
let wake: (() => void) | null = null;
let stopped = false;

port.on('message', (message: ToParseWorker) => {
  if (message.type === 'credit') {
    credits++;
    wake?.();
  } else if (message.type === 'stop') {
    stopped = true;
    wake?.();
    void opened?.close();
  } else if (message.type === 'start') {
    void run(message.columns);
  }
});

async function run(columns: MappingColumn[]) {
  if (!opened) return;
  try {
    for await (const batch of prepareBatches(opened, columns)) {
      if (stopped) return;
      while (credits <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      if (stopped) return;
      credits--;
      // The keys and the packed rows' typed arrays are moved, not copied; the text is one string.
      port?.postMessage({ type: 'batch', batch }, [
        batch.keys.buffer as ArrayBuffer,
        ...packedTransferList(batch.rows),
      ]);
    }
    port?.postMessage({ type: 'done' });
  } catch (error) {
    port?.postMessage({ type: 'error', error: plainError(error) });
  }
}

try {
  opened = await openImportFile(data.path, data.sheet ? { sheet: data.sheet } : {});
  port.postMessage({ type: 'opened', info: opened.info });
} catch (error) {
  port.postMessage({ type: 'error', error: plainError(error) });
}
