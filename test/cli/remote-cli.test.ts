import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { contextForUser, createApiToken } from '../../src/services/auth.ts';
import { makeContext } from '../../src/services/context.ts';
import { badUscc, VENDOR_HEADER, vendorRow, writeGbkCsv } from '../fixtures/vendor-csv.ts';
import { type CliResult, runTierlineAsync, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// The server's side of every call is covered on both databases by the API tests; what this file proves is the
// CLI's remote path (requests, answers, errors, exit codes), which does not depend on the database behind the
// server. It runs once, against a server on SQLite, to keep the suite's time (each run of the binary takes seconds).
for (const dialect of DIALECTS.filter((d) => d.name === 'sqlite')) {
  describe(`tierline CLI against a server (${dialect.name})`, { timeout: 240_000 }, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let server: string;
    let dir: string;
    let repWrite: string;
    let repRead: string;
    let managerWrite: string;
    let repTokenFile: string;
    const ids = { gd: [] as string[], js: '' };
    const previousImportDir = process.env.TIERLINE_IMPORT_DIR;
    const secrets: string[] = [];
    const asked: string[] = [];

    /**
     * The CLI against the test server, through its own entry in this process (test/helpers/cli.ts); the token
     * from TIERLINE_TOKEN unless given otherwise. The runs with --token-file and --token go through the real
     * binary (bin/tierline.js) in a child process.
     */
    const remote = async (args: string[], token: string | null, env: NodeJS.ProcessEnv = {}) => {
      const result = await runTierlineInProcess(['--server', server, ...args], {
        TIERLINE_TOKEN: token ?? '',
        TIERLINE_SERVER: '',
        TIERLINE_TOKEN_FILE: '',
        ...env,
      });
      // Whatever happens, the token is never printed.
      for (const secret of secrets) {
        expect(result.stdout).not.toContain(secret);
        expect(result.stderr).not.toContain(secret);
      }
      return result;
    };
    const local = (args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_SERVER: '', TIERLINE_TOKEN: '' });
    const json = <T>(result: CliResult): T => {
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-remote-cli-'));
      // The server runs in this process: its uploads and rejected-rows files go here (also for PostgreSQL).
      process.env.TIERLINE_IMPORT_DIR = join(dir, 'server-imports');
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const system = makeContext(tdb.db);
      for (const [i, city] of ['深圳市', '广州市', '佛山市'].entries()) {
        const account = await createAccount(system, {
          name: `广东远程测试${i}有限公司`,
          province: '广东省',
          city,
          ownerId: people.rep.id,
        });
        ids.gd.push(account.id);
      }
      ids.js = (
        await createAccount(system, {
          name: '江苏远程测试有限公司',
          province: '江苏省',
          city: '苏州市',
          ownerId: people.otherRep.id,
        })
      ).id;
      const repCtx = await contextForUser(tdb.db, people.rep.id, () => new Date());
      repWrite = (await createApiToken(repCtx, { name: 'laptop', access: 'write' })).token;
      repRead = (await createApiToken(repCtx, { name: 'reports', access: 'read' })).token;
      const managerCtx = await contextForUser(tdb.db, people.manager.id, () => new Date());
      managerWrite = (await createApiToken(managerCtx, { name: 'scripts', access: 'write' })).token;
      secrets.push(repWrite, repRead, managerWrite);
      repTokenFile = join(dir, 'rep.token');
      writeFileSync(repTokenFile, `${repWrite}\n`, { mode: 0o600 });

      app = await buildApp(tdb.db);
      // What the CLI asks for (path and query), for the checks that depend on it rather than on the server's defaults.
      app.addHook('onRequest', async (request) => {
        asked.push(request.url);
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await app?.close();
      await tdb?.cleanup();
      if (previousImportDir === undefined) delete process.env.TIERLINE_IMPORT_DIR;
      else process.env.TIERLINE_IMPORT_DIR = previousImportDir;
      rmSync(dir, { recursive: true, force: true });
    });

    it("shows a rep only their scope, in the local command's --json shape", async () => {
      const mine = json<{ id: string; ownerId: string }[]>(
        await remote(['accounts', 'list', '--json'], repWrite),
      );
      expect(mine.map((a) => a.id).sort()).toEqual([...ids.gd].sort());

      const everything = json<Record<string, unknown>[]>(await local(['accounts', 'list', '--json']));
      expect(everything.map((a) => a.id)).toContain(ids.js);
      expect(Object.keys(mine[0] ?? {})).toEqual(Object.keys(everything[0] ?? {}));

      // --limit pages on the server too; the token may also come from a file
      const limited = await runTierlineAsync(
        ['accounts', 'list', '--json', '--limit', '2', '--server', server, '--token-file', repTokenFile],
        { TIERLINE_TOKEN: '', TIERLINE_SERVER: '' },
      );
      expect(json<unknown[]>(limited)).toHaveLength(2);

      const shownRemote = json<Record<string, unknown>>(
        await remote(['accounts', 'show', ids.gd[0] as string, '--json'], repRead),
      );
      const shownLocal = json<Record<string, unknown>>(
        await local(['accounts', 'show', ids.gd[0] as string, '--json']),
      );
      expect(shownRemote).toEqual(shownLocal);

      const hidden = await remote(['accounts', 'show', ids.js], repRead);
      expect(hidden.code).toBe(1);
      expect(hidden.stderr).toMatch(/does not exist.*\(HTTP 404 not_found\)/);

      const table = await remote(['accounts', 'list'], repRead);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('广东远程测试0有限公司');
      expect(table.stdout).not.toContain('江苏远程测试有限公司');
      expect(table.stderr).toContain('3 accounts.');

      const users = json<{ id: string; teamId: string | null }[]>(
        await remote(['users', 'list', '--json'], repRead),
      );
      expect(users.map((u) => u.id)).toContain(people.rep.id);
      expect(users.map((u) => u.id)).not.toContain(people.otherRep.id);
      const allUsers = json<Record<string, unknown>[]>(await local(['users', 'list', '--json']));
      expect(Object.keys(users[0] ?? {}).sort()).toEqual(Object.keys(allUsers[0] ?? {}).sort());
    });

    it('answers the playbook the same locally and remotely', async () => {
      const remoteList = json<unknown[]>(
        await remote(['objections', 'list', '--lang', 'en', '--json'], repRead),
      );
      const localList = json<unknown[]>(await local(['objections', 'list', '--lang', 'en', '--json']));
      expect(remoteList.length).toBeGreaterThanOrEqual(7);
      expect(remoteList).toEqual(localList);

      const remoteSearch = json<{ code: string }[]>(
        await remote(['objections', 'search', '价格太高', '--lang', 'zh', '--json'], repRead),
      );
      expect(remoteSearch[0]?.code).toBe('price-too-high');
      expect(remoteSearch).toEqual(
        json(await local(['objections', 'search', '价格太高', '--lang', 'zh', '--json'])),
      );

      const shown = await remote(['objections', 'show', 'price-too-high', '--lang', 'en'], repRead);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/^price-too-high {2}/);
      // Without --lang: the rep's own locale (English), the labels too; locally (no user) Chinese.
      const own = await remote(['objections', 'show', 'price-too-high'], repRead);
      expect(own.code, own.stderr).toBe(0);
      expect(own.stdout.split('\n')[0]).toMatch(/\(met \d+, \S+ → meeting or next step\)$/);
      expect(own.stdout).toBe(shown.stdout);
      const chinese = await local(['objections', 'show', 'price-too-high']);
      expect(chinese.stdout.split('\n')[0]).toMatch(/\(遇到 \d+, \S+ → 约见\/下一步\)$/);
    });

    it('exports the plan CSV with its column keys, asking for them (lang=en) whatever the server defaults to', async () => {
      const result = await remote(
        ['export', 'plan', '--format', 'csv', '--from', '2026-12-01', '--to', '2027-01-01'],
        repRead,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
        'date,time,channel,accountId,accountName,tier,city,district,status,repId,repName',
      );
      const request = asked.filter((url) => url.startsWith('/api/plan/export?')).at(-1);
      expect(request).toBeDefined();
      expect(new URL(request as string, server).searchParams.get('lang')).toBe('en');
    });

    it('refuses a write with a read-only token, and a rejected token, with the API message', async () => {
      const added = await remote(['accounts', 'add', '--name', '只读令牌测试有限公司'], repRead);
      expect(added.code).toBe(1);
      expect(added.stderr).toContain('This API token is read-only');
      expect(added.stderr).toContain('(HTTP 403 forbidden)');
      expect(added.stdout).toBe('');

      const logged = await remote(
        ['log', ids.gd[0] as string, '--channel', 'call', '--outcome', 'reached'],
        repRead,
      );
      expect(logged.code).toBe(1);
      expect(logged.stderr).toContain('read-only');

      const unknown = `tl_${'x'.repeat(43)}`;
      secrets.push(unknown);
      const rejected = await remote(['accounts', 'list'], unknown);
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toContain(`token rejected by ${server}`);
      expect(rejected.stderr).toContain('(HTTP 401 unauthenticated)');

      // --token works too (but ends up in shell history, so the README prefers the others)
      const viaFlag = await runTierlineAsync(
        ['--server', server, '--token', repRead, 'accounts', 'list', '--json'],
        {
          TIERLINE_TOKEN: '',
          TIERLINE_SERVER: '',
        },
      );
      expect(json<unknown[]>(viaFlag)).toHaveLength(3);

      const noToken = await remote(['accounts', 'list'], null);
      expect(noToken.code).toBe(2);
      expect(noToken.stderr).toContain('--server needs an API token');
    });

    it('writes as the token’s user: adds, logs a touch, reads the agenda; hand-over is a manager’s step', async () => {
      const added = json<{ id: string; ownerId: string | null; name: string }>(
        await remote(
          ['accounts', 'add', '--name', '远程新增测试有限公司', '--province', '广东省', '--json'],
          repWrite,
        ),
      );
      expect(added.name).toBe('远程新增测试有限公司');
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select('user_id')
        .where('entity_id', '=', added.id)
        .executeTakeFirst();
      expect(audit?.user_id).toBe(people.rep.id);

      const logged = json<{ activity: { userId: string; accountId: string } }>(
        await remote(
          [
            'log',
            ids.gd[0] as string,
            '--channel',
            'call',
            '--outcome',
            'reached',
            '--note',
            '远程',
            '--json',
          ],
          repWrite,
        ),
      );
      expect(logged.activity).toMatchObject({ userId: people.rep.id, accountId: ids.gd[0] });

      const agenda = json<{ repId: string | null; items: unknown[] }>(
        await remote(['agenda', '--json'], repRead),
      );
      expect(agenda.repId).toBe(people.rep.id);
      const localAgenda = json<Record<string, unknown>>(
        await local(['agenda', '--rep', people.rep.id, '--json']),
      );
      expect(Object.keys(agenda).sort()).toEqual(Object.keys(localAgenda).sort());

      // Each rep's day over the API: a rep gets their own row only.
      const ownDay = json<{ scope: string; reps: { repId: string }[] }>(
        await remote(['team', 'day', '--json'], repRead),
      );
      expect(ownDay.scope).toBe('rep');
      expect(ownDay.reps.map((r) => r.repId)).toEqual([people.rep.id]);

      const othersAgenda = await remote(['agenda', '--rep', people.otherRep.id], repRead);
      expect(othersAgenda.code).toBe(1);
      expect(othersAgenda.stderr).toContain('(HTTP 403 forbidden)');

      const repAssign = await remote(
        ['accounts', 'assign', ids.gd[2] as string, '--to', people.mate.id],
        repWrite,
      );
      expect(repAssign.code).toBe(1);
      expect(repAssign.stderr).toContain('(HTTP 403 forbidden)');

      const handed = json<{ accounts: number }>(
        await remote(
          ['accounts', 'assign', ids.gd[2] as string, '--to', people.mate.id, '--json'],
          managerWrite,
        ),
      );
      expect(handed.accounts).toBe(1);
      const shown = json<{ ownerId: string | null }>(
        await remote(['accounts', 'show', ids.gd[2] as string, '--json'], managerWrite),
      );
      expect(shown.ownerId).toBe(people.mate.id);
    });

    it('imports a file through the server: upload, wait for the job, report, rejected rows', async () => {
      const path = join(dir, 'remote-list.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        vendorRow('东莞远程导入一有限公司', makeUscc(7101), '广东省', '东莞市'),
        vendorRow('珠海远程导入二有限公司', makeUscc(7102), '广东省', '珠海市'),
        vendorRow('中山坏码远程有限公司', badUscc(7103), '广东省', '中山市'),
      ]);
      const result = await remote(
        ['import', path, '--source', '远程名录', '--purchased', '--cost', '600', '--json'],
        repWrite,
      );
      const report = json<Record<string, unknown> & { rejectsFile: string; sourceId: string }>(result);
      expect(Object.keys(report).sort()).toEqual([
        'conflicts',
        'created',
        'merged',
        'owner',
        'rejected',
        'rejectsFile',
        'rows',
        'sourceId',
        'warnings',
      ]);
      expect(report).toMatchObject({ rows: 3, created: 2, merged: 0, rejected: 1 });
      expect(report.owner).toEqual({ id: people.rep.id, name: people.rep.name });
      expect(existsSync(report.rejectsFile)).toBe(true);
      const rejected = readFileSync(report.rejectsFile, 'utf8');
      expect(rejected).toMatch(/^\uFEFF企业名称,/);
      expect(rejected).toContain('中山坏码远程有限公司');

      // the rep's imported accounts are theirs, and in their list
      const rows = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['name', 'owner_id'])
        .where('name', 'like', '%远程导入%')
        .execute();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.owner_id === people.rep.id)).toBe(true);
      const listed = json<{ name: string }[]>(
        await remote(['accounts', 'list', '--search', '远程导入', '--json'], repRead),
      );
      expect(listed.map((a) => a.name).sort()).toEqual(rows.map((r) => r.name).sort());

      // A rep may not give them to someone else: the server refuses (--owner), before anything is imported.
      const refused = await remote(['import', path, '--owner', people.mate.id], repWrite);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("a rep's import gives the accounts it creates to the rep");

      const again = await remote(['import', path, '--source', '远程名录'], repWrite);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /^Imported .*remote-list\.csv \(gb18030|^Imported .*remote-list\.csv \(gbk/i,
      );
      expect(again.stdout).toMatch(/created +0/);

      const sources = json<{ name: string; kind: string; cost: number }[]>(
        await remote(['sources', 'list', '--json'], repRead),
      );
      expect(sources.find((s) => s.name === '远程名录')).toMatchObject({ kind: 'purchased', cost: 600 });
    });

    it('lists the warnings of an import through the server and writes them all with --warnings-file', async () => {
      const path = join(dir, 'remote-warnings.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        ...Array.from({ length: 11 }, (_, i) =>
          vendorRow(`远程警告${i + 1}号有限公司`, makeUscc(7201 + i), '广东省', '东莞市', {
            年营业额: `面议${i + 1}`,
          }),
        ),
      ]);
      const sales = (n: number) => `expected an amount such as 3500万, 1.2亿 or 1,234,567 (got "面议${n}")`;
      const human = await remote(['import', path, '--source', '远程警告', '--free'], repWrite);
      expect(human.code, human.stderr).toBe(0);
      const lines = human.stdout.split('\n');
      const first = lines.indexOf('First 10 of 11 warnings (values imported as empty, cut or kept as read):');
      expect(first, human.stdout).toBeGreaterThan(0);
      expect(lines[first + 1]).toBe(`  line 2, 年营业额, "面议1": ${sales(1)}`);
      expect(lines[first + 10]).toBe(`  line 11, 年营业额, "面议10": ${sales(10)}`);
      expect(lines[first + 11]).toMatch(
        /^1 more not shown: run the import again with --dry-run \(which changes nothing\) and --warnings-file FILE to write them all as CSV, or GET \/api\/imports\/[\w-]+\/warnings\?format=csv from the server\.$/,
      );

      const file = join(dir, 'remote-warnings-all.csv');
      const report = json<Record<string, unknown>>(
        await remote(['import', path, '--dry-run', '--warnings-file', file, '--json'], repWrite),
      );
      expect(report).toMatchObject({ rows: 11, warnings: 11, warningsFile: file });
      const records = readFileSync(file, 'utf8').trimEnd().split('\r\n');
      expect(records[0]).toBe('\uFEFFline,column,value,reason');
      expect(records).toHaveLength(12);
      expect(records[11]).toBe(`12,年营业额,面议11,"${sales(11).replaceAll('"', '""')}"`);
    });

    it('prints the details of a 422 (a mapping that does not fit the file)', async () => {
      const path = join(dir, 'chamber.csv');
      writeGbkCsv(path, [
        ['会员单位', '所在地'],
        ['佛山远程商会会员有限公司', '佛山市'],
      ]);
      const mapping = join(dir, 'mapping.json');
      writeFileSync(mapping, JSON.stringify({ 会员单位: 'name', 不存在的列: 'city' }));
      const bad = await remote(
        ['import', path, '--free', '--source', '商会', '--mapping', mapping],
        repWrite,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('(HTTP 422 validation_failed)');
      expect(bad.stderr).toMatch(/\n {2}- .*不存在的列/);
    });

    it('makes a token with `tokens create --out` for use with --token-file, and revokes it', async () => {
      const file = join(dir, 'mate.token');
      const created = json<{ id: string; access: string; userId: string }>(
        await local([
          'tokens',
          'create',
          '--user',
          people.mate.email,
          '--name',
          'ci',
          '--out',
          file,
          '--json',
        ]),
      );
      expect(created).toMatchObject({ access: 'read', userId: people.mate.id });
      expect(created).not.toHaveProperty('token');
      const token = readFileSync(file, 'utf8').trim();
      expect(token).toMatch(/^tl_/);
      secrets.push(token);
      const withFile = ['--server', server, '--token-file', file, 'users', 'list', '--json'];
      const env = { TIERLINE_TOKEN: '', TIERLINE_SERVER: '' };
      expect(json<unknown[]>(await runTierlineAsync(withFile, env)).length).toBeGreaterThan(0);

      expect((await local(['tokens', 'revoke', created.id])).code).toBe(0);
      const revoked = await runTierlineAsync(withFile, env);
      expect(revoked.code).toBe(1);
      expect(revoked.stderr).toContain('token rejected');
    });

    it("plans several reps at once through the server: a manager's team, --reps by email, a rep refused", async () => {
      const team = json<{ repId: string; planId: string | null }[]>(
        await remote(['plan-all', '--json'], managerWrite),
      );
      expect(team.map((r) => r.repId).sort()).toEqual([people.rep.id, people.mate.id].sort());
      const saved = json<{ repId: string; planId: string | null }[]>(
        await remote(
          ['plan-all', '--reps', people.rep.email, '--commit', '--accept-overload', '--json'],
          managerWrite,
        ),
      );
      expect(saved).toEqual([expect.objectContaining({ repId: people.rep.id, planId: expect.any(String) })]);
      expect(asked).toContain('/api/plan/team/commit');
      const refused = await remote(['plan-all', '--json'], repWrite);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout).error.code).toBe('forbidden');
    });

    it('refuses local-only commands with --server (exit 2)', async () => {
      for (const args of [['migrate'], ['demo'], ['tier']]) {
        const result = await remote(args, repWrite);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr).toContain(`\`tierline ${args[0]}\` works only on a local database`);
      }
      const both = await remote(['--db', tdb.url, 'accounts', 'list'], repWrite);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('not both');
    });
  });
}
