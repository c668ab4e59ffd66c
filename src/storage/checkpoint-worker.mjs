// The checkpointer of a serving SQLite database as a worker thread (see checkpointer.ts): its own connection
// copies the write-ahead log into the database file with PASSIVE checkpoints, which never wait for and never
// block the serving connection's readers and writer. better-sqlite3 is synchronous, so the copy and its syncs run
// here instead of on the event loop that answers requests. Plain JavaScript, so that the thread starts without
// the TypeScript loader (~50 ms of CPU instead of ~400 ms). workerData: { path, intervalMs, catchUpMs }; it posts
// { type: 'ready' } once its connection is open (the log's index read), { type: 'error', message } once when a
// checkpoint fails for another reason than a busy database, and stops on the message 'stop'.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.mjs runs only as a worker thread');
const { path, intervalMs, catchUpMs } = workerData;
const db = new SqliteDatabase(path, { fileMustExist: true });
// Opening reads the WAL index, which waits while another connection recovers the log.
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
// A first read: the connection maps the log's index and reads the schema now, not at the first checkpoint. Until it
// has, its opening may hold a snapshot of the log that keeps the serving connection from starting the log over.
// A database busy past the timeout (another connection recovering the log) is left to the first checkpoint, as
// before.
try {
  db.prepare('select count(*) from sqlite_master').get();
} catch (error) {
  if (error?.code !== 'SQLITE_BUSY' && error?.code !== 'SQLITE_LOCKED') throw error;
}
port.postMessage({ type: 'ready' });

let timer;
let reported = false;

function checkpoint() {
  let caughtUp = true;
  try {
    // One row: busy (1 when another checkpoint or a recovery held the lock), log (frames in the WAL) and
    // checkpointed (frames copied into the database file so far).
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result) caughtUp = result.busy === 0 && result.checkpointed >= result.log;
  } catch (error) {
    if (error?.code !== 'SQLITE_BUSY' && error?.code !== 'SQLITE_LOCKED' && !reported) {
      reported = true;
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
  timer = setTimeout(checkpoint, caughtUp ? intervalMs : catchUpMs);
}

timer = setTimeout(checkpoint, intervalMs);
port.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  port.close();
});
