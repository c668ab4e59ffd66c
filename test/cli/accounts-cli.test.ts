import stringWidth from 'string-width';
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
      expect(JSON.parse(demo.stdout)).toMatchObject({ accounts: 300, users: 4, alreadyLoaded: false });
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
      // For people, a list cut short by --limit says of how many; one that is not, how many.
      const two = await cli('accounts', 'list', '--limit', '2');
      expect(two.stdout.trimEnd().split('\n')).toHaveLength(3);
      expect(two.stderr).toBe(`2 of ${items.length} accounts.\n`);
      const gdCount = JSON.parse(
        (await cli('accounts', 'list', '--json', '--province', '广东省')).stdout,
      ).length;
      expect((await cli('accounts', 'list', '--province', '广东省', '--limit', '1000')).stderr).toBe(
        `${gdCount} accounts.\n`,
      );

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
      expect(bad.code).toBe(2);
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

    it('runs the demo only once, and says so when run again', async () => {
      const again = JSON.parse((await cli('demo', '--json')).stdout);
      expect(again).toMatchObject({ accounts: 300, users: 4, alreadyLoaded: true });
      const human = await cli('demo');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(
        /^The demo workspace is already loaded \(300 accounts, 4 users, \d+ logged touches\); nothing was changed\.\n$/,
      );
      expect(JSON.parse((await cli('accounts', 'list', '--json')).stdout)).toHaveLength(301);
    });

    it('lines up the accounts table by display width, cutting a long name with an ellipsis', async () => {
      const long = '内蒙古自治区呼和浩特市新城区超长名称精密机械制造股份有限公司'; // 30 characters, 60 columns
      for (const name of [long, '短名公司', 'Acme Trading Co.']) {
        const added = await cli(
          'accounts',
          'add',
          '--name',
          name,
          '--city',
          '对齐测试市',
          '--industry',
          '机械',
        );
        expect(added.code, added.stderr).toBe(0);
      }
      const table = await cli('accounts', 'list', '--city', '对齐测试市');
      expect(table.code).toBe(0);
      expect(table.stderr).toBe('3 accounts.\n');
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      // Every row's place column ("对齐测试市") starts at the header's "place" column, counted in terminal columns.
      const column = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
      const place = column(lines[0] as string, 'place');
      for (const line of lines.slice(1)) expect(column(line, '对齐测试市'), line).toBe(place);
      const cut = lines.find((line) => line.includes('内蒙古')) as string;
      const shown = cut.slice(cut.indexOf('内蒙古'), cut.indexOf('…') + 1);
      expect(long.startsWith(shown.slice(0, -1))).toBe(true);
      expect(stringWidth(shown)).toBeLessThanOrEqual(28);
      expect(stringWidth(shown)).toBeGreaterThanOrEqual(27);
      // --json keeps the full name.
      const json = JSON.parse((await cli('accounts', 'list', '--city', '对齐测试市', '--json')).stdout);
      expect(json.map((a: { name: string }) => a.name)).toContain(long);
    });
  });
}
