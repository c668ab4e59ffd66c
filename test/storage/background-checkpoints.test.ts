import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FALLBACK_CHECKPOINT_PAGES } from '../../src/storage/checkpointer.ts';
import { createDb, type Db } from '../../src/storage/database.ts';

// SQLite write-ahead log checkpoints in a worker thread (src/storage/checkpointer.ts): the worker copies committed
// pages into the database file without the serving connection checkpointing, the log stays bounded when the worker
// does not run, and closing leaves one clean file.

const PAGE = 4096;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 20 ms for up to 20 s (a deadline for a busy machine, not a measurement). */
async function eventually(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 1000; i++) {
    if (done()) return true;
    await sleep(20);
  }
  return done();
}

/** `pages` pages of rows in transactions of `perCommit` pages each, through the raw connection. */
function writePages(db: Db, pages: number, perCommit: number) {
  const sqlite = db.sqlite as SqliteDatabase.Database;
  sqlite.exec('create table if not exists filler (id integer primary key, body blob not null)');
  const insert = sqlite.prepare('insert into filler (body) values (?)');
  // One row of a little less than a page, so each row takes a page of its own.
  const body = Buffer.alloc(PAGE - 200, 7);
  const commit = sqlite.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(body);
  });
  for (let done = 0; done < pages; done += perCommit) commit(Math.min(perCommit, pages - done));
}

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

describe('background checkpoints on SQLite', () => {
  let dir: string;
  let file: string;
  let db: Db | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tierline-checkpoints-'));
    file = join(dir, 'test.db');
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file from the worker, not in the commits', async () => {
    db = await createDb(file, { backgroundCheckpoints: { intervalMs: 20 } });
    const sqlite = db.sqlite as SqliteDatabase.Database;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_CHECKPOINT_PAGES);
    // 600 pages: below both SQLite's default threshold (1,000) and the fallback, so no commit checkpoints.
    writePages(db, 600, 50);
    expect(size(`${file}-wal`)).toBeGreaterThan(600 * PAGE);
    // The database file grows only when a checkpoint copies the new pages into it.
    expect(await eventually(() => size(file) >= 600 * PAGE)).toBe(true);
    const check = new SqliteDatabase(file, { readonly: true });
    try {
      expect(check.prepare('select count(*) as n from filler').get()).toEqual({ n: 600 });
    } finally {
      check.close();
    }
  });

  it('keeps the log bounded when the worker does not run: the commits checkpoint past the fallback', async () => {
    // A worker that waits an hour between checkpoints stands for one that is starved or stuck.
    db = await createDb(file, { backgroundCheckpoints: { intervalMs: 3_600_000, fallbackPages: 200 } });
    // The worker's connection open first: while it opens it reads the log's index, and a restart of the log could
    // be missed meanwhile (seen on a loaded CI machine: 478 pages).
    expect(db.checkpointerReady).toBeInstanceOf(Promise);
    await db.checkpointerReady;
    writePages(db, 3_000, 50);
    // The log restarts after each fallback checkpoint: at most the threshold and one transaction more, never the
    // 3,000 pages written (plus a few frames of the table's b-tree pages).
    expect(size(`${file}-wal`)).toBeLessThan((200 + 50 + 20) * (PAGE + 24) + 32);
    expect(size(file)).toBeGreaterThan(2_500 * PAGE);
  });

  it('stops the worker at close and leaves one clean file', async () => {
    db = await createDb(file, { backgroundCheckpoints: { intervalMs: 3_600_000 } });
    writePages(db, 300, 30);
    await db.close();
    db = undefined;
    expect(size(`${file}-wal`), 'no WAL content left behind').toBe(0);
    const check = new SqliteDatabase(file, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('select count(*) as n from filler').get()).toEqual({ n: 300 });
    } finally {
      check.close();
    }
  });

  it('closes cleanly right after opening, before the worker has started', async () => {
    db = await createDb(file, { backgroundCheckpoints: true });
    writePages(db, 10, 10);
    await db.close();
    db = undefined;
    expect(size(`${file}-wal`)).toBe(0);
  });

  it('is off unless asked for: SQLite keeps its own checkpoints', async () => {
    db = await createDb(file);
    expect(db.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
