import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { type CliResult, runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

/** A moment as the workspace's clock shows it (the default time zone), to the minute. */
const shanghai = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));

for (const dialect of DIALECTS) {
  describe(`tierline market on ${dialect.name}`, { timeout: 180_000 }, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    // Through the CLI's own entry in this process; one refusal through the real binary.
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const json = (result: CliResult) => {
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout);
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db);
      for (const employees of [200, 300, 20]) {
        await createAccount(ctx, makeAccountInput({ employeesMin: employees, employeesMax: employees }));
      }
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('shows how many accounts are in the market now, and the count at save time apart, on the workspace clock', async () => {
      expect(json(await cli('market', 'set', '--min-employees', '100', '--json'))).toMatchObject({
        version: 1,
        matching: 2,
      });
      // Accounts that come in afterwards (an import re-tiers; here `tierline tier`) move the live count only.
      for (const employees of [150, 900])
        await createAccount(ctx, makeAccountInput({ employeesMin: employees, employeesMax: employees }));
      expect((await cli('tier')).code).toBe(0);
      const listed = json(await cli('accounts', 'list', '--in-market', '--json'));
      expect(listed).toHaveLength(4);

      const shown = json(await cli('market', 'show', '--json'));
      expect(shown).toMatchObject({ version: 1, matching: 2, inMarket: listed.length });
      const text = await cli('market', 'show');
      expect(text.code, text.stderr).toBe(0);
      const first = text.stdout.split('\n')[0];
      expect(first).toBe(
        `Market version 1 (saved ${shanghai(shown.createdAt)}): ${listed.length} accounts in market now (2 when saved).`,
      );
      expect(first).not.toMatch(/T\d\d:\d\d:\d\d|Z\)/);
    });

    it('refuses a minimum above its maximum for every range, naming both options', async () => {
      const refused = runTierline([
        '--db',
        tdb.url,
        'market',
        'set',
        '--min-employees',
        '500',
        '--max-employees',
        '100',
        '--dry-run',
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('--min-employees: 500 is more than --max-employees (100)');
      for (const [min, max] of [
        ['--min-annual-sales', '--max-annual-sales'],
        ['--min-net-assets', '--max-net-assets'],
      ] as const) {
        const result = await cli('market', 'set', min, '2亿', max, '1亿');
        expect(result.code, min).toBe(2);
        expect(result.stderr).toContain(`${min}: `);
        expect(result.stderr).toContain(max);
        expect(result.stderr).not.toMatch(/[a-z]+(Sales|Assets)\b/);
      }
      // Nothing was saved.
      expect(json(await cli('market', 'show', '--json')).version).toBe(1);
    });

    it('says which province, city or industry no account has, and reads provinces written in English', async () => {
      const result = await cli(
        'market',
        'set',
        '--provinces',
        'Guangdong,Atlantis',
        '--industries',
        '电子,Nothingness',
        '--dry-run',
      );
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^5 of 5 accounts match/);
      expect(lines).toContain(
        'No account has --provinces "Atlantis": it matches nothing (a typo, or written otherwise than in the accounts?).',
      );
      expect(lines.filter((line) => line.startsWith('No account has'))).toEqual([
        expect.stringContaining('"Atlantis"'),
        expect.stringContaining('--industries "Nothingness"'),
      ]);
      expect(
        json(await cli('market', 'set', '--provinces', 'Atlantis', '--dry-run', '--json')),
      ).toMatchObject({
        matching: 0,
        unknownValues: [{ field: 'provinces', value: 'Atlantis' }],
      });
    });
  });
}
