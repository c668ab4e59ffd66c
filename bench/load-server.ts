// The app on a real listening socket in its own process, for load runs (bench/load-scenario.ts):
//   tsx bench/load-server.ts <database url> [postgres schema]
// Sends { port } to the parent over IPC; closes the server and the database when the parent says so or goes.
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.ts';
import { createDb } from '../src/storage/database.ts';

const [url, schema] = process.argv.slice(2);
if (!url) {
  console.error('usage: load-server.ts <database url> [postgres schema]');
  process.exit(2);
}
const db = await createDb(url, schema ? { schema, poolSize: 10 } : {});
const app = await buildApp(db, { webRoot: '/nonexistent' });
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as AddressInfo).port;

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await app.close().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on('message', (message) => {
  if ((message as { close?: boolean }).close) void shutdown();
});
process.on('disconnect', () => void shutdown());
process.send?.({ port });
