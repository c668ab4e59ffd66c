import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { contextForUser, createApiToken } from '../../src/services/auth.ts';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { seedPeople } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`tierline accounts add with an existing company on ${dialect.name}`, { timeout: 120_000 }, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let server: string;
    let token: string;
    const local = (...args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_SERVER: '', TIERLINE_TOKEN: '' });
    const remote = (...args: string[]) =>
      runTierlineInProcess(['--server', server, ...args], {
        TIERLINE_TOKEN: token,
        TIERLINE_SERVER: '',
        TIERLINE_TOKEN_FILE: '',
      });

    beforeAll(async () => {
      tdb = await dialect.open();
      const people = await seedPeople(tdb.db);
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

    it('refuses a second add of one company with the message and the existing id, exit 1', async () => {
      const code = makeUscc(7001);
      const first = await local(
        'accounts',
        'add',
        '--name',
        '福州闽江电子有限公司',
        '--uscc',
        code,
        '--json',
      );
      expect(first.code, first.stderr).toBe(0);
      const id = JSON.parse(first.stdout).id as string;

      for (const run of [local, remote]) {
        const again = await run('accounts', 'add', '--name', '闽江电子', '--uscc', code);
        expect(again.code).toBe(1);
        expect(again.stdout).toBe('');
        expect(again.stderr).toContain('An account with the same unified social credit code already exists');
        expect(again.stderr).toContain(`Existing account: ${id} (福州闽江电子有限公司)`);
        expect(again.stderr).toContain(`tierline accounts show ${id}`);
      }
      const listed = await local('accounts', 'list', '--json', '--search', '闽江');
      expect(JSON.parse(listed.stdout)).toHaveLength(1);
    });

    it('adds a same-name company in the same city only with --allow-similar-name', async () => {
      const args = ['accounts', 'add', '--name', '福州海峡贸易有限公司', '--city', '福州市'];
      expect((await local(...args)).code).toBe(0);
      for (const run of [local, remote]) {
        const similar = await run('accounts', 'add', '--name', '福州 海峡贸易 公司', '--city', '福州');
        expect(similar.code).toBe(1);
        expect(similar.stderr).toContain('same name in the same city');
        expect(similar.stderr).toContain('--allow-similar-name');
      }
      const allowed = await remote(
        'accounts',
        'add',
        '--name',
        '福州 海峡贸易 公司',
        '--city',
        '福州',
        '--allow-similar-name',
        '--json',
      );
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(JSON.parse(allowed.stdout).name).toBe('福州 海峡贸易 公司');
    });

    it('names --at and the forms it takes when a logged touch has a bad date', async () => {
      const added = await local('accounts', 'add', '--name', '日期测试有限公司', '--json');
      const id = JSON.parse(added.stdout).id as string;
      for (const run of [local, remote]) {
        for (const at of ['yesterday', '2026-13-01']) {
          const logged = await run('log', id, '--channel', 'call', '--outcome', 'reached', '--at', at);
          expect(logged.code, `${at}: ${logged.stderr}`).toBe(2);
          expect(logged.stderr).toContain(
            'at: expected a date as YYYY-MM-DD or an ISO date-time with offset (e.g. 2026-10-05T14:30:00+08:00)',
          );
        }
      }
    });
  });
}
