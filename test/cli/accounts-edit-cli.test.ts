import type { AddressInfo } from 'node:net';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import type { TAccount } from '../../src/schemas/account.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { contextForUser, createApiToken } from '../../src/services/auth.ts';
import { makeContext } from '../../src/services/context.ts';
import { type CliResult, runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// `tierline accounts edit`: on the database itself (local) and through a server's API with an admin's token
// (remote), on each database. Both back ends must say the same things with the same exit codes.

interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

for (const dialect of DIALECTS) {
  describe(`tierline accounts edit on ${dialect.name}`, { timeout: 180_000 }, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let server: string;
    let token: string;
    let people: People;
    let seq = 0;
    const local = (...args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_SERVER: '', TIERLINE_TOKEN: '' });
    const remote = (...args: string[]) =>
      runTierlineInProcess(['--server', server, ...args], {
        TIERLINE_TOKEN: token,
        TIERLINE_SERVER: '',
        TIERLINE_TOKEN_FILE: '',
      });
    const backends = [
      ['local', local],
      ['remote', remote],
    ] as const;
    const ok = <T>(result: CliResult): T => {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as T;
    };
    /** The one JSON value a failed `--json` command printed on stdout. */
    const failed = (result: CliResult, code: number): ErrorJson => {
      expect(result.code, result.stderr).toBe(code);
      return JSON.parse(result.stdout) as ErrorJson;
    };
    /** A fresh account of the rep, in its own city, so the tests do not meet each other's names. */
    const fresh = async (fields: Partial<Parameters<typeof createAccount>[1]> = {}) => {
      seq += 1;
      return createAccount(makeContext(tdb.db), {
        name: `编辑测试${seq}号有限公司`,
        province: '江苏省',
        city: `测试${seq}市`,
        phone: '0512-66880000',
        industry: '通用设备制造业',
        ownerId: people.rep.id,
        ...fields,
      });
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const admin = await contextForUser(tdb.db, people.admin.id, () => new Date());
      token = (await createApiToken(admin, { name: 'cli', access: 'write' })).token;
      app = await buildApp(tdb.db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app?.close();
      await tdb?.cleanup();
    });

    it('changes only the fields given, parsing values as accounts add does, and lists the changes', async () => {
      for (const [name, run] of backends) {
        const account = await fresh({ annualSales: 12_000_000, employeesMin: 10, employeesMax: 49 });
        const saved = await run(
          'accounts',
          'edit',
          account.id,
          '--city',
          '苏州市',
          '--annual-sales',
          '3500万',
          '--employees',
          '100-499人',
          '--stage',
          'meeting',
          '--owner',
          people.mate.email,
        );
        expect(saved.code, `${name}: ${saved.stderr}`).toBe(0);
        expect(saved.stderr).toBe('');
        const lines = saved.stdout.trimEnd().split('\n');
        expect(lines[0]).toBe(`Saved account ${account.id} (${account.name}), version 2:`);
        expect(saved.stdout).toMatch(/place +江苏省 测试\d+市 +→ +江苏省 苏州市/);
        expect(saved.stdout).toMatch(/annual sales +1200万 +→ +3500万/);
        expect(saved.stdout).toMatch(/employees +10-49 +→ +100-499/);
        expect(saved.stdout).toMatch(/stage +prospect +→ +meeting/);
        expect(saved.stdout).toContain(people.mate.id);
        // Unchanged fields are not listed; the arrows of the listed ones line up (terminal columns).
        expect(saved.stdout).not.toContain('phone');
        const changes = lines.slice(1);
        expect(changes).toHaveLength(5);
        const arrowAt = changes.map((l) => stringWidth(l.slice(0, l.indexOf('→'))));
        expect(new Set(arrowAt).size, changes.join('\n')).toBe(1);

        const shown = ok<TAccount>(await run('accounts', 'show', account.id, '--json'));
        expect(shown).toMatchObject({
          name: account.name,
          province: '江苏省',
          city: '苏州市',
          phone: '0512-66880000',
          industry: '通用设备制造业',
          annualSales: 35_000_000,
          employeesMin: 100,
          employeesMax: 499,
          stage: 'meeting',
          ownerId: people.mate.id,
          version: 2,
        });
      }
    });

    it('clears fields with --clear and with an empty value; --json prints the saved account', async () => {
      for (const [name, run] of backends) {
        const account = await fresh({
          uscc: makeUscc(8100 + seq),
          website: `https://edit-${dialect.name}-${seq}.example.cn/about`,
          annualSales: 50_000_000,
          employeesMin: 100,
          employeesMax: 499,
          email: 'sales@example.cn',
        });
        const saved = ok<TAccount>(
          await run(
            'accounts',
            'edit',
            account.id,
            '--clear',
            'city,phone,employees,credit-code',
            '--industry',
            '',
            '--annual-sales',
            '',
            '--website',
            '',
            '--json',
          ),
        );
        expect(saved, name).toMatchObject({
          id: account.id,
          city: null,
          phone: null,
          industry: null,
          uscc: null,
          website: null,
          annualSales: null,
          employeesMin: null,
          employeesMax: null,
          province: '江苏省',
          email: 'sales@example.cn',
          version: 2,
        });
        const human = await run('accounts', 'edit', account.id, '--email', '');
        expect(human.code, human.stderr).toBe(0);
        expect(human.stdout).toMatch(/email +sales@example\.cn +→ +\(empty\)/);
      }
    });

    it('refuses a stale --if-version with 409 version_conflict, exit 1, as text and as one JSON object', async () => {
      for (const [name, run] of backends) {
        const account = await fresh();
        ok(await run('accounts', 'edit', account.id, '--phone', '0512-66880001', '--json'));
        const stale = await run(
          'accounts',
          'edit',
          account.id,
          '--if-version',
          '1',
          '--phone',
          '0512-66880002',
        );
        expect(stale.code, name).toBe(1);
        expect(stale.stdout).toBe('');
        expect(stale.stderr).toContain(`Account ${account.id} was changed by someone else`);
        expect(stale.stderr).toContain('you edited version 1, it is now 2');
        expect(stale.stderr).toContain('the current version is 2; read it again');

        const json = failed(
          await run(
            'accounts',
            'edit',
            account.id,
            '--if-version',
            '1',
            '--phone',
            '0512-66880002',
            '--json',
          ),
          1,
        );
        expect(json.error.code, name).toBe('version_conflict');
        expect(json.error.details?.current).toMatchObject({
          id: account.id,
          version: 2,
          phone: '0512-66880001',
        });

        // The version read is what an edit without --if-version sends: it saves.
        const current = ok<TAccount>(
          await run(
            'accounts',
            'edit',
            account.id,
            '--if-version',
            '2',
            '--phone',
            '0512-66880003',
            '--json',
          ),
        );
        expect(current).toMatchObject({ phone: '0512-66880003', version: 3 });
      }
    });

    it('refuses a change that makes it another company: names that account, exit 1', async () => {
      const other = await fresh({ uscc: makeUscc(8200), name: '苏州恒瑞精密机械有限公司', city: '苏州市' });
      for (const [name, run] of backends) {
        const account = await fresh();
        const byCode = await run('accounts', 'edit', account.id, '--uscc', makeUscc(8200));
        expect(byCode.code, name).toBe(1);
        expect(byCode.stdout).toBe('');
        expect(byCode.stderr).toContain('Another account already has the same unified social credit code');
        expect(byCode.stderr).toContain(
          `Existing account: ${other.id} (苏州恒瑞精密机械有限公司); see it with: tierline accounts show ${other.id}`,
        );
        const json = failed(await run('accounts', 'edit', account.id, '--uscc', makeUscc(8200), '--json'), 1);
        expect(json.error).toMatchObject({
          code: 'duplicate_account',
          details: { key: 'uscc', existing: { id: other.id, name: '苏州恒瑞精密机械有限公司' } },
        });

        // The same name in the same city: refused, with the flag that says it is a different company.
        const args = ['accounts', 'edit', account.id, '--name', '苏州 恒瑞精密机械 公司', '--city', '苏州'];
        const byName = await run(...args);
        expect(byName.code, name).toBe(1);
        expect(byName.stderr).toContain('Another account with this name in this city already exists');
        expect(byName.stderr).toContain('run the command again with --allow-similar-name');
        const allowed = ok<TAccount>(await run(...args, '--allow-similar-name', '--json'));
        expect(allowed).toMatchObject({ name: '苏州 恒瑞精密机械 公司', city: '苏州' });
      }
    });

    it('says an unknown account does not exist, exit 1; with --json as one JSON object', async () => {
      for (const [name, run] of backends) {
        const missing = await run('accounts', 'edit', 'no-such-account', '--city', '苏州市');
        expect(missing.code, name).toBe(1);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toContain('Account no-such-account does not exist');
        const json = failed(
          await run('accounts', 'edit', 'no-such-account', '--city', '苏州市', '--json'),
          1,
        );
        expect(json.error.code).toBe('not_found');
        expect(json.error.message).toContain('no-such-account');
      }
    });

    it('refuses bad values naming the option and what it takes, exit 2, before anything is saved', async () => {
      const account = await fresh();
      const cases: [string[], string][] = [
        [['--employees', 'lots'], '--employees: expected a head count such as 100-499人'],
        [['--annual-sales', 'abc'], '--annual-sales: expected an amount such as 3500万'],
        [
          ['--clear', 'city,colour'],
          '--clear: "colour" is not a field that can be emptied; use uscc, website',
        ],
        [['--clear', 'city', '--city', '苏州市'], '--clear city and --city exclude each other'],
        [['--name', ''], '--name cannot be emptied'],
        [['--name', 'x'.repeat(301)], '--name: Too big'],
        [['--stage', 'closed'], "argument 'closed' is invalid. Allowed choices are prospect, contacted"],
        [['--if-version', '0'], '--if-version must be a whole number, 1 or more (got "0")'],
        [['--uscc', '1', '--credit-code', '2'], '--uscc and --credit-code name the same field'],
        [[], 'nothing to change: give the fields to set'],
      ];
      for (const [name, run] of backends) {
        for (const [args, message] of cases) {
          const refused = await run('accounts', 'edit', account.id, ...args);
          expect(refused.code, `${name} ${args.join(' ')}: ${refused.stderr}`).toBe(2);
          expect(refused.stdout).toBe('');
          expect(refused.stderr).toContain(message);
          const json = failed(await run('accounts', 'edit', account.id, ...args, '--json'), 2);
          expect(json.error.code).toBe('bad_request');
          expect(json.error.message).toContain(message);
        }
        // A credit code that fails its check is refused by the service as a bad value, naming the field: exit 2.
        const badCode = await run('accounts', 'edit', account.id, '--credit-code', '91350100M000100Y4A');
        expect(badCode.code, name).toBe(2);
        expect(badCode.stderr).toMatch(/credit code|uscc/i);
      }
      const unchanged = ok<TAccount>(await local('accounts', 'show', account.id, '--json'));
      expect(unchanged.version).toBe(1);
    });

    it('works from the real binary: exit code 0 and one JSON value on stdout', async () => {
      const account = await fresh();
      const result = runTierline([
        '--db',
        tdb.url,
        'accounts',
        'edit',
        account.id,
        '--city',
        '无锡市',
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ id: account.id, city: '无锡市', version: 2 });
    });
  });
}
