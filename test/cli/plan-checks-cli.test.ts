import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsToDate, shiftDate } from '../../src/domain/calendar/local-date.ts';
import { todayIn } from '../../src/domain/calendar/time-zone.ts';
import { newId } from '../../src/storage/ids.ts';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const REP = 'li.na@demo.tierline.local';

/*
 * What `tierline plan`, `export plan`, `days-off` and `plan status` refuse and say (README, "Command line"): a plan
 * from a past day (it would cancel the plan in force) is a usage error, as are --option and --accept-overload
 * without --commit, an option the plan does not offer and an empty export range (exit 2, naming the option);
 * days off move the touches planned on them and say how many; a plan whose horizon has ended is said to be expired.
 */
for (const dialect of DIALECTS) {
  describe(`plan checks in the CLI on ${dialect.name}`, { timeout: 180_000 }, () => {
    let tdb: TestDatabase;
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    // The demo's days are the workspace's (Asia/Shanghai), as the CLI counts them, on the real clock.
    const today = () => todayIn('Asia/Shanghai', new Date());
    /** Li Na's open touches as `export plan --format csv` lists them from `from` to `to` (header left out). */
    const planned = async (from: string, to: string) =>
      (await cli('export', 'plan', '--format', 'csv', '--rep', REP, '--from', from, '--to', to)).stdout
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .slice(1)
        .filter((line) => line.includes(',planned,'));

    beforeAll(async () => {
      tdb = await dialect.open();
      expect(runTierline(['--db', tdb.url, 'demo']).code).toBe(0);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('refuses a plan from a past day with exit 2, naming from and today, and keeps the plan in force', async () => {
      const ahead = addMonthsToDate(today(), 2);
      const before = await planned(today(), ahead);
      expect(before.length).toBeGreaterThan(0);
      const past = runTierline([
        '--db',
        tdb.url,
        'plan',
        '--rep',
        REP,
        '--from',
        '2020-01-01',
        '--months',
        '2',
        '--commit',
      ]);
      expect(past.code).toBe(2);
      expect(past.stderr).toContain(
        `from: a plan cannot start before today (${today()} in Asia/Shanghai); 2020-01-01 is in the past.`,
      );
      const far = await cli('plan', '--rep', REP, '--from', '9999-12-31', '--json');
      expect(far.code).toBe(2);
      expect(JSON.parse(far.stdout).error).toMatchObject({
        code: 'bad_request',
        details: { field: 'from', value: '9999-12-31' },
      });
      expect((await cli('plan-all', '--from', shiftDate(today(), -1))).code).toBe(2);
      expect(await planned(today(), ahead)).toEqual(before);
    });

    it('refuses --option and --accept-overload without --commit, and an option not offered, with exit 2', async () => {
      const overload = await cli('plan', '--rep', REP, '--accept-overload');
      expect(overload.code).toBe(2);
      expect(overload.stderr).toContain('--accept-overload goes with --commit.');
      const option = await cli('plan', '--rep', REP, '--option', '1');
      expect(option.code).toBe(2);
      expect(option.stderr).toContain('--option goes with --commit');
      const offered = JSON.parse((await cli('plan', '--rep', REP, '--json')).stdout).options.length;
      const missing = await cli('plan', '--rep', REP, '--option', String(offered + 6), '--commit', '--json');
      expect(missing.code).toBe(2);
      expect(JSON.parse(missing.stdout).error).toMatchObject({
        code: 'bad_request',
        details: { field: 'option', value: offered + 6 },
      });
    });

    it('refuses an export whose --to is not after its first day with exit 2', async () => {
      const swapped = await cli(
        'export',
        'plan',
        '--format',
        'csv',
        '--from',
        '2026-12-10',
        '--to',
        '2026-12-01',
      );
      expect(swapped.code).toBe(2);
      expect(swapped.stderr).toContain('--to (2026-12-01) must be after --from (2026-12-10)');
      expect(swapped.stdout).toBe('');
      const before = await cli('export', 'plan', '--format', 'csv', '--to', shiftDate(today(), -3));
      expect(before.code).toBe(2);
    });

    it('moves the touches planned on new days off and says how many', async () => {
      // The busiest of the next working weeks' days: touches planned on it.
      const from = shiftDate(today(), 7);
      const rows = await planned(from, shiftDate(from, 14));
      const perDay = new Map<string, number>();
      for (const row of rows) {
        const day = row.slice(0, 10);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      const [day, n] = [...perDay].sort((a, b) => b[1] - a[1])[0] as [string, number];
      expect(n).toBeGreaterThan(0);
      const set = await cli('days-off', '--rep', REP, '--set', day);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`Days off: ${day}`);
      expect(set.stdout).toContain(
        `Moved ${n} planned ${n === 1 ? 'touch' : 'touches'} off the days off to working days.`,
      );
      expect(await planned(day, shiftDate(day, 1))).toEqual([]);
      // Shown again, nothing moves and nothing is said of it.
      expect((await cli('days-off', '--rep', REP)).stdout).not.toContain('Moved');
    });

    it('says a plan whose horizon has ended is expired, not in step', async () => {
      const rep = await tdb.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', REP)
        .executeTakeFirstOrThrow();
      // The latest plan of the rep ended yesterday (as if committed a month and a day ago for one month).
      const start = shiftDate(addMonthsToDate(today(), -1), -1);
      await tdb.db.kysely
        .insertInto('plans')
        .values({
          id: newId(),
          rep_id: rep.id,
          starts_on: start,
          months: 1,
          settings: '{}',
          summary: '{}',
          accepted_overload: 0,
          created_by: null,
          created_at: new Date(Date.now() + 60_000).toISOString(),
        })
        .execute();
      const status = await cli('plan', 'status', '--rep', REP);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(
        `Expired: the plan ended on ${addMonthsToDate(start, 1)} and plans nothing from today (${today()}); commit a new one.`,
      );
      expect(status.stdout).not.toContain('In step');
      const team = await cli('plan', 'status', '--team');
      expect(team.stdout).toMatch(new RegExp(`${rep.id} +plan ended ${addMonthsToDate(start, 1)}, `));
      const json = JSON.parse((await cli('plan', 'status', '--rep', REP, '--json')).stdout);
      expect(json).toMatchObject({ expired: true, inStep: false });
    });
  });
}
