import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const LIST_KEYS = [
  'id',
  'name',
  'uscc',
  'province',
  'city',
  'district',
  'industry',
  'annualSales',
  'employeesMin',
  'employeesMax',
  'netAssets',
  'phone',
  'email',
  'website',
  'tier',
  'inMarket',
  'stage',
  'ownerId',
];

for (const dialect of DIALECTS) {
  describe(`tierline CLI on ${dialect.name}`, { timeout: 180_000 }, () => {
    let tdb: TestDatabase;
    // Commands run through the CLI's own entry in this process (test/helpers/cli.ts); the demo, the first list
    // and an unknown option go through the real binary (bin/tierline.js) in a child process.
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const spawned = (...args: string[]) => runTierline(['--db', tdb.url, ...args]);

    beforeAll(async () => {
      tdb = await dialect.open();
      const demo = spawned('demo', '--json');
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
      expect(JSON.parse(demo.stdout)).toMatchObject({ accounts: 300, users: 4 });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('lists every matching account as JSON with the documented keys', async () => {
      const all = spawned('accounts', 'list', '--json');
      expect(all.code).toBe(0);
      const items = JSON.parse(all.stdout);
      expect(items).toHaveLength(300);
      for (const key of LIST_KEYS) expect(items[0]).toHaveProperty(key);

      const limited = JSON.parse((await cli('accounts', 'list', '--json', '--limit', '7')).stdout);
      expect(limited).toHaveLength(7);

      const gd = JSON.parse((await cli('accounts', 'list', '--json', '--province', '广东省')).stdout);
      expect(gd.length).toBeGreaterThan(0);
      expect(gd.every((a: { province: string }) => a.province === '广东省')).toBe(true);

      const search = JSON.parse((await cli('accounts', 'list', '--json', '--search', '苏州')).stdout);
      expect(search.every((a: { name: string }) => a.name.includes('苏州'))).toBe(true);
    });

    it('adds and shows an account, checking the credit code', async () => {
      const added = await cli(
        'accounts',
        'add',
        '--name',
        '无锡测试精密机械有限公司',
        '--city',
        '无锡市',
        '--annual-sales',
        '3500万',
        '--employees',
        '100-499人',
        '--json',
      );
      expect(added.code).toBe(0);
      const account = JSON.parse(added.stdout);
      expect(account).toMatchObject({ annualSales: 35_000_000, employeesMin: 100, employeesMax: 499 });

      const shown = await cli('accounts', 'show', account.id, '--json');
      expect(JSON.parse(shown.stdout).name).toBe('无锡测试精密机械有限公司');
      expect((await cli('accounts', 'show', account.id)).stdout).toContain('3500万');

      const bad = await cli('accounts', 'add', '--name', '坏代码公司', '--uscc', '91350100M000100Y4A');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/uscc/i);

      const missing = await cli('accounts', 'show', 'no-such-id');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no-such-id');
    });

    it('answers usage errors with exit code 2', async () => {
      const unknown = spawned('accounts', 'list', '--colour');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown option/);
      expect((await cli('accounts', 'list', '--limit', 'ten')).code).toBe(2);
    });

    it('runs the demo only once', async () => {
      const again = JSON.parse((await cli('demo', '--json')).stdout);
      expect(again.accounts).toBe(300);
      expect(JSON.parse((await cli('accounts', 'list', '--json')).stdout)).toHaveLength(301);
    });
  });
}
