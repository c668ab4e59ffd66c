import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
const postgres = DIALECTS.find((d) => d.name === 'postgres');

describe('tierline backup / restore / export-all / import-all', () => {
  let work: string;
  let source: TestDatabase;
  const db = (file: string) => ['--db', join(work, file)];
  // Commands run through the CLI's own entry in this process (test/helpers/cli.ts); the first backup and the
  // first export go through the real binary (bin/tierline.js) in a child process.
  const cli = (args: string[]) => runTierlineInProcess(args);

  beforeAll(async () => {
    if (!sqlite) throw new Error('no SQLite dialect');
    work = mkdtempSync(join(tmpdir(), 'tierline-backup-cli-'));
    source = await sqlite.open();
    await loadDemoWorkspace(makeContext(source.db, SYSTEM_ACTOR, () => FIXED_NOW));
  }, 120_000);

  afterAll(async () => {
    await source.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up, refuses to overwrite without --force, and sends PostgreSQL users to pg_dump', async () => {
    const out = join(work, 'backup.db');
    const first = runTierline(['--db', source.url, 'backup', out]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Backed up .* integrity_check ok/);

    const again = await cli(['--db', source.url, 'backup', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists: pass --force to replace it');

    const forced = await cli(['--db', source.url, 'backup', out, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ file: out, integrity: 'ok' });

    const pg = await cli(['--db', 'postgres://nobody@127.0.0.1:1/none', 'backup', join(work, 'x.db')]);
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain('pg_dump');
    expect(pg.stderr).toContain('export-all');
  }, 120_000);

  it('restores into an empty path, refuses one with data, and refuses PostgreSQL', async () => {
    const out = join(work, 'for-restore.db');
    expect((await cli(['--db', source.url, 'backup', out])).code).toBe(0);
    const restored = await cli([...db('restored.db'), 'restore', out, '--json']);
    expect(restored.stderr).toBe('');
    expect(JSON.parse(restored.stdout)).toMatchObject({ file: join(work, 'restored.db'), replaced: false });
    const refused = await cli([...db('restored.db'), 'restore', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a workspace .*pass --force/);
    expect((await cli([...db('restored.db'), 'restore', out, '--force'])).code).toBe(0);
    const pg = await cli(['--db', 'postgres://nobody@127.0.0.1:1/none', 'restore', out]);
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain('import-all');
  }, 120_000);

  it('moves a workspace with export-all / import-all and rejects a damaged export by file name', async () => {
    const dir = join(work, 'export');
    const exported = runTierline(['--db', source.url, 'export-all', dir, '--json']);
    expect(exported.stderr).toBe('');
    const summary = JSON.parse(exported.stdout) as { rows: number; tables: number };
    expect(summary.rows).toBeGreaterThan(1000);

    const imported = await cli([...db('moved.db'), 'import-all', dir, '--json']);
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: summary.rows, tables: summary.tables });
    const twice = await cli([...db('moved.db'), 'import-all', dir]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already holds a workspace');

    const again = join(work, 'export-again');
    expect((await cli([...db('moved.db'), 'export-all', again])).code).toBe(0);
    expect(
      readFileSync(join(again, 'accounts.jsonl')).equals(readFileSync(join(dir, 'accounts.jsonl'))),
    ).toBe(true);

    const corrupt = join(work, 'corrupt');
    cpSync(dir, corrupt, { recursive: true });
    writeFileSync(
      join(corrupt, 'accounts.jsonl'),
      `${readFileSync(join(corrupt, 'accounts.jsonl'), 'utf8')} `,
    );
    const rejected = await cli([...db('never.db'), 'import-all', corrupt]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('accounts.jsonl: checksum mismatch');

    if (postgres) {
      const target = await postgres.open();
      try {
        const intoPg = await cli(['--db', target.url, 'import-all', dir, '--json']);
        expect(intoPg.stderr).toBe('');
        expect(JSON.parse(intoPg.stdout)).toMatchObject({ rows: summary.rows });
        const fromPg = join(work, 'from-pg');
        expect((await cli(['--db', target.url, 'export-all', fromPg])).code).toBe(0);
        expect(
          readFileSync(join(fromPg, 'contacts.jsonl')).equals(readFileSync(join(dir, 'contacts.jsonl'))),
        ).toBe(true);
      } finally {
        await target.cleanup();
      }
    }
  }, 240_000);
});
