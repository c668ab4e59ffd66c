import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { fixedClock, type TestDatabase, type TestDialect } from './databases.ts';
import { type People, type Session, seedPeople, signIn } from './session.ts';
import { multipart } from './uploads.ts';

/** Accept-Language of a Chinese and an English reader. */
export const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' };
export const EN = { 'accept-language': 'en-US,en;q=0.9' };

/** A server on a fresh database, with uploads kept in a directory of their own, and a rep signed in. */
export interface ImportApi {
  tdb: TestDatabase;
  app: AppInstance;
  people: People;
  session: Session;
  /** Uploads a file as the rep; returns the job id (expects 201). */
  upload(name: string, content: Buffer | string): Promise<string>;
  /** The job as the API shows it, in the language of `headers`. */
  job(id: string, headers?: Record<string, string>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function openImportApi(dialect: TestDialect, dirPrefix: string): Promise<ImportApi> {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  process.env.TIERLINE_IMPORT_DIR = dir;
  const tdb = await dialect.open();
  const app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
  const people = await seedPeople(tdb.db);
  const session = await signIn(app, people.rep);
  return {
    tdb,
    app,
    people,
    session,
    async upload(name, content) {
      const body = multipart(name, typeof content === 'string' ? Buffer.from(content) : content);
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: body.payload,
        headers: { ...session.headers, ...body.headers },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    },
    async job(id, headers = {}) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/imports/${id}`,
        headers: { ...session.headers, ...headers },
      });
      return res.json();
    },
    async close() {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
