import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, signIn } from '../../src/services/auth.ts';
import { backupDatabase, restoreDatabase } from '../../src/services/backup.ts';
import { createCalendarFeed } from '../../src/services/calendar.ts';
import { type Actor, makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, loadDemoWorkspace } from '../../src/services/demo.ts';
import { importFile } from '../../src/services/import-prospects.ts';
import { reviewDrill } from '../../src/services/practice.ts';
import { selfAssess } from '../../src/services/skills.ts';
import { exportWorkspace, importWorkspace } from '../../src/services/workspace-transfer.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { type TableInfo, workspaceSchema } from '../../src/storage/workspace-schema.ts';
import { csvText, VENDOR_HEADER } from '../fixtures/vendor-csv.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
const postgres = DIALECTS.find((d) => d.name === 'postgres');
if (!sqlite) throw new Error('the SQLite test dialect is always there');

const REPO = join(import.meta.dirname, '../..');
const TRICKY_ID = '00000000-0000-7000-8000-00000000beef';

/** Every row of every table of an SQLite file, exactly as stored (integers as bigint), in primary-key order. */
function dumpSqlite(path: string, tables: readonly TableInfo[]): Record<string, unknown[]> {
  const conn = new SqliteDatabase(path, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      const keys = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name))
        .map((k) => `"${k}"`)
        .join(', ');
      out[table.name] = conn
        .prepare(`select * from "${table.name}" order by ${keys}`)
        .safeIntegers(true)
        .all();
    }
    return out;
  } finally {
    conn.close();
  }
}

async function counts(db: Db, tables: readonly TableInfo[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.kysely
      .selectFrom(table.name as any)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table.name] = Number(row.n);
  }
  return out;
}

/** Table files of two export directories, byte for byte (the manifests differ only in createdAt and source). */
function expectSameExport(a: string, b: string): void {
  const files = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(files);
  for (const file of files) {
    if (file === 'manifest.json') continue;
    expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true);
  }
  const ma = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
  const mb = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
  expect(mb.tables).toEqual(ma.tables);
  expect(mb.migrations).toEqual(ma.migrations);
}

/**
 * The demo workspace plus what it leaves empty: sessions and sign-in throttles, an API token, a calendar feed,
 * drill cards and reviews, skill stages with history, an import job with a rejected row, an explicit territory
 * account, and one account full of awkward values (tabs, newlines, backslashes, \N, emoji, '' next to NULL,
 * fractions, an integer beyond 2^53).
 */
async function seedRichWorkspace(tdb: TestDatabase, dir: string): Promise<void> {
  const ctx = makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW);
  await loadDemoWorkspace(ctx);
  const k = tdb.db.kysely;
  const rep = await k
    .selectFrom('users')
    .selectAll()
    .where('email', '=', `li.na@${DEMO_EMAIL_DOMAIN}`)
    .executeTakeFirstOrThrow();
  const repActor: Actor = { userId: rep.id, role: 'rep', teamId: rep.team_id };
  const asRep: ServiceContext = makeContext(tdb.db, repActor, () => FIXED_NOW);
  await signIn(ctx, { email: rep.email, password: DEMO_PASSWORD }, { ip: '10.0.0.7', userAgent: 'vitest' });
  await expect(
    signIn(ctx, { email: rep.email, password: 'wrong password' }, { ip: '10.0.0.8', userAgent: null }),
  ).rejects.toThrow();
  await createApiToken(asRep, { name: '报表脚本', access: 'read' });
  await createCalendarFeed(ctx, rep.id);
  const objection = await k
    .selectFrom('objections')
    .select(['id', 'code'])
    .orderBy('code')
    .executeTakeFirstOrThrow();
  await reviewDrill(asRep, {
    objectionId: objection.code,
    rating: 'good',
    answer: '先了解需求\t再报价\n谢谢',
  });
  const skill = await k
    .selectFrom('skills')
    .select('id')
    .where('objection_id', '=', objection.id)
    .executeTakeFirstOrThrow();
  await selfAssess(asRep, skill.id, { stage: 2 });
  const csv = join(dir, 'list.csv');
  writeFileSync(
    csv,
    csvText([
      VENDOR_HEADER,
      VENDOR_HEADER.map((h, i) => (i === 0 ? '杭州新途测试仪器有限公司' : h === '所属省份' ? '浙江省' : '')),
      VENDOR_HEADER.map((h) => (h === '所属城市' ? '杭州市' : '')),
    ]),
  );
  await importFile(
    ctx,
    csv,
    { source: { name: '备份测试名单', kind: 'free', cost: 0 } },
    { rejectsDir: dir },
  );
  const territory = await k.selectFrom('territories').select('id').executeTakeFirstOrThrow();
  const account = await k.selectFrom('accounts').select('id').orderBy('id').executeTakeFirstOrThrow();
  await k
    .insertInto('territory_accounts')
    .values({ territory_id: territory.id, account_id: account.id })
    .execute();
  const at = FIXED_NOW.toISOString();
  await k
    .insertInto('accounts')
    .values({
      id: TRICKY_ID,
      name: 'Tab\there, line\nbreak, back\\slash, \\N, "quotes", 表情😀',
      normalized_name: '',
      uscc: null,
      website_domain: '',
      province: '广东省',
      city: '深圳市',
      custom_fields: JSON.stringify({ 备注: 'a\u2028b', nested: { list: [1, 2.5, null, true] } }),
      potential_score: 0.1 + 0.2,
      annual_sales: 9007199254740993n as unknown as number,
      net_assets: -1,
      registered_capital: 0,
      in_market: 1,
      stage: 'prospect',
      created_at: at,
      updated_at: at,
      version: 3,
    })
    .execute();
  await k
    .insertInto('settings')
    .values({ key: 'backup.test', value: '{"小数":1e-300,"空":""}', updated_at: at })
    .execute();
}

describe('export-all / import-all', () => {
  let work: string;
  let original: TestDatabase;
  const opened: TestDatabase[] = [];
  const open = async (dialect = sqlite) => {
    const t = await dialect.open();
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tierline-backup-'));
    original = await open();
    await seedRichWorkspace(original, work);
  }, 120_000);

  afterAll(async () => {
    for (const t of opened) await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('enumerates every table the migrations create, in foreign-key order', async () => {
    const schema = await workspaceSchema();
    const conn = new SqliteDatabase(original.url, { readonly: true });
    const actual = (
      conn
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((n) => !n.startsWith('kysely_'))
      .sort();
    conn.close();
    expect(schema.tables.map((t) => t.name).sort()).toEqual(actual);
    const position = new Map(schema.tables.map((t, i) => [t.name, i]));
    for (const table of schema.tables) {
      for (const ref of table.references)
        expect(position.get(ref)).toBeLessThan(position.get(table.name) ?? -1);
    }
    expect(schema.seeded).toContain('objections');
  });

  it(`moves a workspace SQLite → ${postgres ? 'PostgreSQL' : 'SQLite (set TEST_DATABASE_URL for PostgreSQL)'} → SQLite without losing a value`, async () => {
    const schema = await workspaceSchema();
    const before = dumpSqlite(original.url, schema.tables);
    for (const name of [
      'sessions',
      'sign_in_throttles',
      'api_tokens',
      'calendar_feeds',
      'drill_cards',
      'drill_reviews',
      'skill_stages',
      'skill_stage_history',
      'import_jobs',
      'import_errors',
      'territory_accounts',
      'planned_touches',
      'search_grams',
    ]) {
      expect(before[name]?.length ?? 0, name).toBeGreaterThan(0);
    }

    const first = join(work, 'from-sqlite');
    const exported = await exportWorkspace(original.db, first);
    expect(exported.rows).toBe(Object.values(before).reduce((n, rows) => n + rows.length, 0));

    const middle = await open(postgres ?? sqlite);
    const imported = await importWorkspace(middle.db, first);
    expect(imported.rows).toBe(exported.rows);
    expect(imported.replacedSeed).toContain('objections');
    expect(await counts(middle.db, schema.tables)).toEqual(await counts(original.db, schema.tables));

    const second = join(work, 'from-middle');
    await exportWorkspace(middle.db, second);
    expectSameExport(first, second);

    const final = await open();
    await importWorkspace(final.db, second);
    const after = dumpSqlite(final.url, schema.tables);
    for (const table of schema.tables) expect(after[table.name], table.name).toEqual(before[table.name]);

    const tricky = after.accounts?.find((r) => (r as { id: string }).id === TRICKY_ID) as Record<
      string,
      unknown
    >;
    expect(tricky.annual_sales).toBe(9007199254740993n);
    expect(tricky.uscc).toBeNull();
    expect(tricky.website_domain).toBe('');
    expect(tricky.potential_score).toBe(0.1 + 0.2);
    expect(tricky.name).toBe('Tab\there, line\nbreak, back\\slash, \\N, "quotes", 表情😀');
  }, 180_000);

  it('refuses a target that already holds a workspace, and leaves it untouched', async () => {
    const dir = join(work, 'refuse');
    await exportWorkspace(original.db, dir);
    const before = await counts(original.db, (await workspaceSchema()).tables);
    await expect(importWorkspace(original.db, dir)).rejects.toThrow(/already holds a workspace.*users/);
    expect(await counts(original.db, (await workspaceSchema()).tables)).toEqual(before);
    await expect(exportWorkspace(original.db, dir)).rejects.toThrow(/is not empty/);
  }, 60_000);

  for (const dialect of DIALECTS) {
    it(`rejects a damaged export on ${dialect.name}, naming the file, and writes nothing`, async () => {
      const good = join(work, `good-${dialect.name}`);
      await exportWorkspace(original.db, good);
      const target = await open(dialect);
      const schema = await workspaceSchema();
      const empty = await counts(target.db, schema.tables);

      const corrupt = join(work, `corrupt-${dialect.name}`);
      cpSync(good, corrupt, { recursive: true });
      const file = join(corrupt, 'contacts.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"name":"', '"name":"X'));
      await expect(importWorkspace(target.db, corrupt)).rejects.toThrow(/contacts\.jsonl: checksum mismatch/);

      // A consistent manifest over bad content (a touch of an account that is not there) fails in the load,
      // after earlier tables went in: the transaction takes all of them back.
      const orphan = join(work, `orphan-${dialect.name}`);
      cpSync(good, orphan, { recursive: true });
      const activities = join(orphan, 'activities.jsonl');
      const lines = readFileSync(activities, 'utf8').split('\n');
      lines[0] = (lines[0] ?? '').replace(/"account_id":"[^"]+"/, '"account_id":"no-such-account"');
      writeFileSync(activities, lines.join('\n'));
      const manifestPath = join(orphan, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const { createHash } = await import('node:crypto');
      for (const t of manifest.tables) {
        if (t.file === 'activities.jsonl') {
          t.sha256 = createHash('sha256').update(readFileSync(activities)).digest('hex');
          t.bytes = readFileSync(activities).length;
        }
      }
      writeFileSync(manifestPath, JSON.stringify(manifest));
      await expect(importWorkspace(target.db, orphan)).rejects.toThrow(
        /activities\.jsonl: loading rows .* failed/,
      );

      rmSync(join(orphan, 'manifest.json'));
      await expect(importWorkspace(target.db, orphan)).rejects.toThrow(/has no manifest\.json/);

      const newer = join(work, `newer-${dialect.name}`);
      cpSync(good, newer, { recursive: true });
      const m2 = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8'));
      m2.migrations.push('999-from-the-future');
      writeFileSync(join(newer, 'manifest.json'), JSON.stringify(m2));
      await expect(importWorkspace(target.db, newer)).rejects.toThrow(/999-from-the-future are unknown/);

      expect(await counts(target.db, schema.tables)).toEqual(empty);
      // and the good export still goes in afterwards
      await importWorkspace(target.db, good);
      expect(await counts(target.db, schema.tables)).toEqual(await counts(original.db, schema.tables));
    }, 120_000);
  }
});

describe('backup and restore (SQLite)', () => {
  let work: string;
  let source: TestDatabase;
  let writer: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tierline-backup-'));
    source = await sqlite.open();
    await loadDemoWorkspace(makeContext(source.db, SYSTEM_ACTOR, () => FIXED_NOW));
  }, 120_000);

  afterAll(async () => {
    writer?.kill('SIGKILL');
    await source.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes a consistent backup while another process keeps writing', async () => {
    // Another process writes pairs of audit rows in one transaction each, as fast as it can.
    const code = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 10000');
      const insert = db.prepare("insert into audit_log (id, at, entity, entity_id, action) values (?, ?, 'backup-test', ?, 'write')");
      const pair = db.transaction((n) => { insert.run('w' + n + 'a', new Date().toISOString(), String(n)); insert.run('w' + n + 'b', new Date().toISOString(), String(n)); });
      let n = 0;
      for (;;) { pair(++n); if (n === 50) process.stdout.write('writing\\n'); }
    `;
    writer = spawn(process.execPath, ['-e', code, source.url], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      writer?.stdout?.once('data', () => resolve());
      writer?.once('exit', (c) => reject(new Error(`writer exited with ${c}`)));
    });
    const writes = () => {
      const live = new SqliteDatabase(source.url, { readonly: true });
      try {
        const row = live.prepare("select count(*) as n from audit_log where entity = 'backup-test'").get();
        return Number((row as { n: number }).n);
      } finally {
        live.close();
      }
    };
    const duringStart = writes();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await backupDatabase(source.url, join(work, `live-${i}.db`)));
    const duringEnd = writes();
    writer.kill('SIGKILL');
    writer = undefined;

    for (const result of results) {
      expect(result.integrity).toBe('ok');
      const copy = new SqliteDatabase(result.file, { readonly: true });
      expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      const n = Number(
        (
          copy.prepare("select count(*) as n from audit_log where entity = 'backup-test'").get() as {
            n: number;
          }
        ).n,
      );
      // one snapshot: never half a pair, and somewhere between before and after the backups
      expect(n % 2).toBe(0);
      expect(n).toBeGreaterThanOrEqual(duringStart);
      expect(n).toBeLessThanOrEqual(duringEnd);
      for (const table of ['accounts', 'users', 'activities', 'planned_touches', 'contacts']) {
        const count = (t: SqliteDatabase.Database) =>
          (t.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
        const live = new SqliteDatabase(source.url, { readonly: true });
        expect(count(copy), table).toBe(count(live));
        live.close();
      }
      copy.close();
    }
    expect(duringEnd).toBeGreaterThan(duringStart);
  }, 120_000);

  it('refuses to overwrite a file, a PostgreSQL database, and the database itself', async () => {
    const file = join(work, 'once.db');
    await backupDatabase(source.url, file);
    await expect(backupDatabase(source.url, file)).rejects.toThrow(/already exists: pass --force/);
    const replaced = await backupDatabase(source.url, file, { force: true });
    expect(replaced.integrity).toBe('ok');
    await expect(backupDatabase('postgres://u@localhost/x', file)).rejects.toThrow(/pg_dump/);
    await expect(backupDatabase(source.url, source.url)).rejects.toThrow(/is the database itself/);
    expect(readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('restores a backup: checks it, refuses a database in use or holding data, replaces only when complete', async () => {
    const schema = await workspaceSchema();
    const backup = join(work, 'restore-me.db');
    await backupDatabase(source.url, backup);
    const snapshot = dumpSqlite(backup, schema.tables);

    // into a new path
    const fresh = join(work, 'fresh', 'tierline.db');
    const restored = await restoreDatabase(fresh, backup);
    expect(restored.pending).toEqual([]);
    expect(dumpSqlite(fresh, schema.tables)).toEqual(snapshot);

    // a database with data: only with --force; the live test database is open here, so it is refused as in use
    await expect(restoreDatabase(source.url, backup)).rejects.toThrow(/already holds a workspace.*--force/);
    await expect(restoreDatabase(source.url, backup, { force: true })).rejects.toThrow(
      /open in another process/,
    );

    // change the restored copy, then restore over it with --force: back to the backup exactly
    const db = await createDb(fresh);
    await migrateToLatest(db);
    const at = FIXED_NOW.toISOString();
    await db.kysely
      .insertInto('teams')
      .values({ id: 'after-backup', name: '新组', manager_id: null, created_at: at, updated_at: at })
      .execute();
    await db.close();
    await restoreDatabase(fresh, backup, { force: true });
    expect(dumpSqlite(fresh, schema.tables)).toEqual(snapshot);

    // a damaged or foreign backup is refused before anything is touched
    const garbage = join(work, 'garbage.db');
    writeFileSync(garbage, 'this is not a database'.repeat(100));
    await expect(restoreDatabase(fresh, garbage, { force: true })).rejects.toThrow(
      /not a readable SQLite database/,
    );
    const foreign = join(work, 'foreign.db');
    const other = new SqliteDatabase(foreign);
    other.exec('create table notes (id integer primary key, body text)');
    other.close();
    await expect(restoreDatabase(fresh, foreign, { force: true })).rejects.toThrow(/not a Tierline database/);
    const future = join(work, 'future.db');
    cpSync(backup, future);
    const f = new SqliteDatabase(future);
    f.prepare("insert into kysely_migration (name, timestamp) values ('999-from-the-future', 'x')").run();
    f.close();
    await expect(restoreDatabase(fresh, future, { force: true })).rejects.toThrow(/999-from-the-future/);
    expect(dumpSqlite(fresh, schema.tables)).toEqual(snapshot);
    await expect(restoreDatabase('postgres://u@localhost/x', backup)).rejects.toThrow(/import-all/);
  }, 60_000);
});
