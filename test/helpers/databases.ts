import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db, type DialectName } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

export interface TestDatabase {
  db: Db;
  /** A URL other processes (the CLI, a second server) can open to reach the same data. */
  url: string;
  cleanup(): Promise<void>;
}

export interface TestDialect {
  name: DialectName;
  open(): Promise<TestDatabase>;
}

let counter = 0;

const sqliteDialect: TestDialect = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-test-'));
    const url = join(dir, 'test.db');
    const db = await createDb(url);
    await migrateToLatest(db);
    return {
      db,
      url,
      async cleanup() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgresDialect(baseUrl: string): TestDialect {
  return {
    name: 'postgres',
    async open() {
      counter += 1;
      const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
      const db = await createDb(baseUrl, { schema, poolSize: 4 });
      await migrateToLatest(db);
      const url = new URL(baseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        db,
        url: url.toString(),
        async cleanup() {
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
          await db.close();
        },
      };
    },
  };
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (as in CI). */
export const DIALECTS: TestDialect[] = [
  sqliteDialect,
  ...(process.env.TEST_DATABASE_URL ? [postgresDialect(process.env.TEST_DATABASE_URL)] : []),
];

/** Fixed clock for tests. */
export const FIXED_NOW = new Date('2026-11-27T02:00:00.000Z');
export const fixedClock = () => FIXED_NOW;
