// The app on a real listening socket in its own process, for load runs (bench/load-scenario.ts):
//   tsx bench/load-server.ts <database url> [postgres schema]
// Sends { port } to the parent over IPC; closes the server and the database when the parent says so or goes, after
// sending { stats }: how many connections it accepted and how those that the client did not end closed.
import type { AddressInfo, Socket } from 'node:net';
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

// A connection the client ended sees 'end' (its FIN) before 'close'. Others: an error on the socket (ECONNRESET:
// the client reset it, e.g. autocannon's sockets cut at the end of the run with an answer unread), or closed by
// this server without an error (an HTTP timeout, a parse error answered with 400).
let closing = false;
let connections = 0;
const otherCloses: Record<string, number> = {};
app.server.on('connection', (socket: Socket) => {
  connections++;
  let clientEnded = false;
  let error: string | undefined;
  socket.on('end', () => {
    clientEnded = true;
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code ?? e.message;
  });
  socket.on('close', () => {
    if (clientEnded || closing) return;
    const reason = error ?? 'closed by the server';
    otherCloses[reason] = (otherCloses[reason] ?? 0) + 1;
  });
});

async function shutdown() {
  if (closing) return;
  closing = true;
  process.send?.({ stats: { connections, otherCloses } });
  await app.close().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on('message', (message) => {
  if ((message as { close?: boolean }).close) void shutdown();
});
process.on('disconnect', () => void shutdown());
process.send?.({ port });
