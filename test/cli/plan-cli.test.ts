import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

for (const dialect of DIALECTS) {
  describe(`market, tier, plan, agenda, log, goals and export commands on ${dialect.name}`, {
    timeout: 180_000,
  }, () => {
    let tdb: TestDatabase;
    // Commands run through the CLI's own entry in this process (test/helpers/cli.ts); the demo, one JSON
    // answer and one refusal go through the real binary (bin/tierline.js) in a child process.
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const spawned = (...args: string[]) => runTierline(['--db', tdb.url, ...args]);
    const parse = (args: string[], result: { code: number; stdout: string; stderr: string }) => {
      if (result.code !== 0) throw new Error(`tierline ${args.join(' ')} failed: ${result.stderr}`);
      return JSON.parse(result.stdout);
    };
    const json = async (...args: string[]) => parse(args, await cli(...args, '--json'));
    /** `export plan --format csv` for the days from–to, as its lines (header first). */
    const exportCsv = async (from: string, to: string) =>
      (await cli('export', 'plan', '--format', 'csv', '--from', from, '--to', to)).stdout
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');

    beforeAll(async () => {
      tdb = await dialect.open();
      expect(spawned('demo').code).toBe(0);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('sets the market, tiers, and refuses to widen without --widen', async () => {
      const narrower = ['market', 'set', '--min-employees', '100', '--provinces', '江苏省,上海,广东省'];
      // --dry-run says beforehand what the save does to the demo's plan: who leaves, whose open touches go.
      const dry = await json(...narrower, '--dry-run');
      expect(dry.plan.leaving).toBeGreaterThan(0);
      expect(dry.plan.openTouches).toBeGreaterThan(0);
      const dryText = await cli(...narrower, '--dry-run');
      expect(dryText.stdout).toContain(
        `Saving takes ${dry.plan.leaving} accounts out of the market and cancels their ${dry.plan.openTouches} open planned touches.`,
      );
      const set = await json(...narrower);
      expect(set.plan).toEqual({
        leftMarket: dry.plan.leaving,
        cancelledTouches: dry.plan.openTouches,
        entered: dry.plan.entering,
      });
      expect(set).toMatchObject({ version: 2 });
      expect(set.matching).toBeGreaterThan(0);
      const tiers = parse(['tier'], spawned('tier', '--json'));
      expect(Object.keys(tiers).sort()).toEqual(['A', 'B', 'C', 'outOfMarket']);
      expect(tiers.A + tiers.B + tiers.C).toBe(set.matching);
      const listed = await json('accounts', 'list', '--in-market');
      expect(listed).toHaveLength(set.matching);
      expect(
        listed.every((a: { province: string }) => ['江苏省', '上海市', '广东省'].includes(a.province)),
      ).toBe(true);

      const wider = spawned('market', 'set', '--min-employees', '10');
      expect(wider.code).toBe(1);
      expect(wider.stderr).toContain('widen');
      expect((await json('market', 'show')).version).toBe(2);
      // The human form lists the criteria as the flags that define the market again.
      const shown = await cli('market', 'show');
      expect(shown.stdout).toMatch(/^ {2}criteria: --provinces 江苏省,上海市?,广东省 --min-employees 100$/m);
      const capped = await json(
        'market',
        'set',
        '--min-employees',
        '100',
        '--provinces',
        '江苏省,上海,广东省',
        '--max-net-assets',
        '5000万',
        '--dry-run',
      );
      expect(capped.matching).toBeLessThan(set.matching);
      expect(capped.isWidening).toBe(false);
    });

    it("plans every rep at once: a preview saves nothing, --commit saves each rep's plan", async () => {
      const preview = await json('plan-all', '--from', '2026-12-07');
      expect(preview.length).toBe(2); // the demo's two reps
      for (const rep of preview) {
        expect(rep).toMatchObject({ planId: null });
        expect(rep.accounts).toBeGreaterThan(0);
        expect(rep.touches).toBeGreaterThan(0);
      }
      const saved = await json('plan-all', '--from', '2026-12-07', '--commit', '--accept-overload');
      expect(saved.map((r: { repId: string }) => r.repId).sort()).toEqual(
        preview.map((r: { repId: string }) => r.repId).sort(),
      );
      for (const rep of saved) {
        expect(typeof rep.planId).toBe('string');
        expect(rep.touches).toBe(preview.find((p: { repId: string }) => p.repId === rep.repId).touches);
      }
      const human = await cli('plan-all', '--from', '2026-12-07');
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Nothing saved: add --commit to save');
    });

    it('plans only the reps of --reps (ids or emails), committing them in one step', async () => {
      const all = await json('plan-all', '--from', '2026-12-07');
      const users = await json('users', 'list');
      const [first, second] = all as { repId: string; name: string; touches: number; fits: boolean }[];
      if (!first || !second) throw new Error('the demo has two reps');
      const email = users.find((u: { id: string }) => u.id === first.repId).email;
      // By email: that rep alone, the same figures as with every rep.
      const one = await json('plan-all', '--from', '2026-12-07', '--reps', email);
      expect(one).toEqual([first]);
      const plans = async () => (await json('plan', 'status', '--team')).reps;
      const before = await plans();
      // Committed with that rep's overload accepted by id (whether it fits or not): only their plan changes.
      const saved = await json(
        'plan-all',
        '--from',
        '2026-12-07',
        '--reps',
        second.repId,
        '--commit',
        '--accept-overload',
        second.repId,
      );
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({ repId: second.repId, name: second.name, touches: second.touches });
      expect(typeof saved[0].planId).toBe('string');
      const after = await plans();
      const planOf = (rows: { repId: string; plan: { id: string } | null }[], repId: string) =>
        rows.find((r) => r.repId === repId)?.plan?.id;
      expect(planOf(after, second.repId)).toBe(saved[0].planId);
      expect(planOf(after, first.repId)).toBe(planOf(before, first.repId));

      const unknown = await cli('plan-all', '--reps', 'nobody@example.com');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--reps: no user has the email "nobody@example.com"');
      const lonely = await cli('plan-all', '--accept-overload');
      expect(lonely.code).toBe(2);
      expect(lonely.stderr).toContain('--accept-overload goes with --commit');
    });

    it('plans with capacity numbers and options, commits, and serves the agenda', async () => {
      const plan = await json('plan', '--from', '2026-12-01', '--visits-per-day', '0');
      expect(Object.keys(plan)).toEqual(
        expect.arrayContaining(['fits', 'required', 'capacity', 'options', 'touches']),
      );
      expect(plan.fits).toBe(false);
      expect(plan.options.length).toBeGreaterThan(0);
      expect(plan.capacity.visit.perDay).toBe(0);
      const refused = await cli('plan', '--from', '2026-12-01', '--visits-per-day', '0', '--commit');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('does not fit');

      const committed = await json('plan', '--from', '2026-12-01', '--commit');
      expect(committed).toMatchObject({ fits: true, committed: true });
      const agenda = await json('agenda', '--date', '2026-12-31');
      expect(agenda.items.length).toBeGreaterThan(0);
      const item = agenda.items[0];

      const logged = await json(
        'log',
        item.accountId,
        '--channel',
        item.channel,
        '--outcome',
        'reached',
        '--objection',
        'price-too-high',
        '--note',
        '下月再跟进',
        '--at',
        '2026-11-27',
      );
      expect(logged.completedTouchId).toBe(item.touchId);
      expect(logged.activity.note).toBe('下月再跟进');
      const badOutcome = await cli('log', item.accountId, '--channel', 'call', '--outcome', 'great');
      expect(badOutcome.code).toBe(2);

      const goals = await json('goals', '--week', '--date', '2026-11-27');
      expect(goals.actual.calls + goals.actual.visits).toBeGreaterThan(0);
      expect(Object.keys(goals.coverage)).toEqual(['A', 'B', 'C']);
    });

    it('books a meeting with log --meeting-at: a visit that day at that time, in the plan', async () => {
      // Ten days from now on the workspace's clock (Shanghai, UTC+8 all year): the CLI runs on the real clock.
      const day = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
      const agenda = await json('agenda', '--date', '2026-12-31');
      const item = agenda.items.find((i: { channel: string }) => i.channel === 'call') ?? agenda.items[0];
      const args = ['log', item.accountId, '--channel', 'call'];
      const lonely = await cli(...args, '--outcome', 'reached', '--meeting-at', `${day}T10:00`);
      expect(lonely.code).toBe(2);
      expect(lonely.stderr).toContain('--meeting-at goes with --outcome meeting_booked');
      const booked = await cli(...args, '--outcome', 'meeting_booked', '--meeting-at', `${day}T10:00`);
      expect(booked.code).toBe(0);
      expect(booked.stdout).toContain(`Meeting: visit planned on ${day} at 10:00`);
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(await exportCsv(day, next)).toContainEqual(
        expect.stringMatching(new RegExp(`^${day},10:00,visit,${item.accountId},`)),
      );
      const past = await cli(...args, '--outcome', 'meeting_booked', '--meeting-at', '2026-01-05T10:00');
      expect(past.code).toBe(1);
      expect(past.stderr).toContain('--meeting-at: the meeting cannot be in the past');
    });

    it('prints the agenda with overdue marks lined up and last touches on the workspace day', async () => {
      // 07:30 in Shanghai (the workspace's zone) on Nov 27 is still Nov 26 in UTC.
      const agenda = await json('agenda', '--date', '2026-12-02');
      const item = agenda.items.find((i: { overdue: boolean }) => !i.overdue) ?? agenda.items[0];
      expect(agenda.timeZone).toBe('Asia/Shanghai');
      const logged = await json(
        'log',
        item.accountId,
        '--channel',
        item.channel,
        '--outcome',
        'reached',
        '--at',
        '2026-11-27T07:30:00+08:00',
      );
      expect(logged.activity.occurredAt).toBe('2026-11-26T23:30:00.000Z');
      const next = logged.nextTouches.find((t: { channel: string }) => t.channel === item.channel);
      const later = await cli('agenda', '--date', next.dueOn);
      expect(later.code).toBe(0);
      const line = later.stdout.split('\n').find((l) => l.includes(item.accountId));
      expect(line).toMatch(/ {2}last 2026-11-27 reached/);

      // Far ahead every item is overdue, by one, two or three digits of days, and the accounts' Chinese names
      // differ in length: tiers, channels and ids line up on the terminal (a Chinese character is two columns).
      const overdue = await cli('agenda', '--date', '2027-06-30');
      const rows = overdue.stdout.split('\n').filter((l) => / {2}(call|visit) /.test(l));
      expect(rows.length).toBeGreaterThan(1);
      const column = (l: string, at: number) => stringWidth(l.slice(0, at));
      expect(new Set(rows.map((l) => column(l, l.search(/ {2}[ABC-] {2}(call |visit)/)))).size).toBe(1);
      const idColumn = rows.map((l) => column(l, l.search(/ {2}[0-9a-f]{8}-[0-9a-f-]{27}/)));
      expect(Math.min(...idColumn)).toBeGreaterThan(0);
      expect(new Set(idColumn).size).toBe(1);
      expect(new Set(rows.map((l) => /[\u4e00-\u9fff]+/.exec(l)?.[0].length)).size).toBeGreaterThan(1);

      // A day off says so, naming the holiday; a working day (the next touch's) says nothing of it.
      const holiday = await cli('agenda', '--date', '2026-10-01');
      expect(holiday.stdout.split('\n')[1]).toBe(
        '2026-10-01 is a day off: public holiday (国庆节 National Day).',
      );
      expect(later.stdout).not.toContain('day off');
    });

    it("prints each rep's day with team day, as each rep's own agenda counts it", async () => {
      // The day comes from the plan itself: which days hold touches depends on how the accounts' ties are
      // ordered, and that differs between SQLite and PostgreSQL.
      const exported = await exportCsv('2026-12-01', '2027-01-31');
      const firstPlanned = exported
        .slice(1)
        .map((line) => line.split(','))
        .find((cells) => cells.at(-3) === 'planned'); // status, before repId and repName
      if (!firstPlanned) throw new Error(`no planned touch in ${exported.slice(0, 5).join('\n')}`);
      const date = firstPlanned[0] as string;
      const day = await json('team', 'day', '--date', date);
      expect(day).toMatchObject({ date, scope: 'workspace', timeZone: 'Asia/Shanghai' });
      expect(day.reps.length).toBe(2);
      expect(day.totals.planned.calls + day.totals.planned.visits).toBeGreaterThan(0);
      type Row = { repId: string; planned: unknown; done: unknown; overdue: number; remaining: number };
      for (const rep of day.reps as Row[]) {
        const agenda = await json('agenda', '--rep', rep.repId, '--date', date);
        expect([rep.planned, rep.done, rep.overdue]).toEqual([
          agenda.goal,
          agenda.done,
          agenda.counts.overdue,
        ]);
      }
      const shown = await cli('team', 'day', '--date', date);
      expect(shown.code).toBe(0);
      const { done, planned, overdue } = day.totals;
      expect(shown.stdout.split('\n')[0]).toBe(
        `${date}: 2 reps; calls ${done.calls}/${planned.calls}, visits ${done.visits}/${planned.visits}, overdue ${overdue}.`,
      );
      const first = day.reps[0];
      expect(shown.stdout.split('\n')[1]).toContain(
        `calls ${first.done.calls}/${first.planned.calls}  visits ${first.done.visits}/${first.planned.visits}`,
      );
      expect(shown.stdout.split('\n')[1]).toMatch(new RegExp(`${first.repId}$`));
      const bad = await cli('team', 'day', '--date', '2026-13-01');
      expect(bad.code).toBe(2);
    });

    it("sets a rep's own public holidays with days-off --holidays, and back to the workspace's", async () => {
      const rep = await tdb.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'david.zhang@demo.tierline.local')
        .executeTakeFirstOrThrow();
      const before = (await json('days-off', '--rep', rep.id)).version;
      expect(await json('days-off', '--rep', rep.id, '--holidays', 'HK', '--set', '2027-01-04')).toEqual({
        repId: rep.id,
        dates: ['2027-01-04'],
        holidays: 'HK',
        // Changed on the version it read: one more.
        version: before + 1,
        // His open touches on the days now off (Hong Kong's holidays ahead), moved to working days.
        moved: expect.any(Number),
      });
      const shown = await cli('days-off', '--rep', rep.id);
      expect(shown.stdout).toContain('Public holidays: HK.');
      expect((await json('days-off', '--rep', rep.id, '--holidays', 'workspace')).holidays).toBeNull();
      const bad = await cli('days-off', '--rep', rep.id, '--holidays', 'XX');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('is not a schedule Tierline has');
    });

    it('exports the plan as iCalendar and CSV', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tierline-export-'));
      const ics = join(dir, 'plan.ics');
      expect(
        (
          await cli(
            'export',
            'plan',
            '--format',
            'ics',
            '--from',
            '2026-12-01',
            '--to',
            '2027-03-01',
            '--out',
            ics,
          )
        ).code,
      ).toBe(0);
      const events = new ICAL.Component(ICAL.parse(readFileSync(ics, 'utf8'))).getAllSubcomponents('vevent');
      expect(events.length).toBeGreaterThan(0);
      const lines = await exportCsv('2026-12-01', '2027-03-01');
      expect(lines[0]).toBe(
        'date,time,channel,accountId,accountName,tier,city,district,status,repId,repName',
      );
      expect(lines).toHaveLength(events.length + 1);
    });

    it('refuses to overwrite an existing --out file unless --force is given', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tierline-export-'));
      const file = join(dir, 'plan.csv');
      writeFileSync(file, 'keep me\n');
      const args = ['export', 'plan', '--format', 'csv', '--from', '2026-12-01', '--to', '2027-01-01'];
      const refused = await cli(...args, '--out', file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${file} already exists: pass --force to replace it.`);
      expect(readFileSync(file, 'utf8')).toBe('keep me\n');

      const replaced = await cli(...args, '--out', file, '--force');
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^\uFEFFdate,time,channel,/);
      // Nothing is left beside it (the file is written aside and moved into place).
      expect(readdirSync(dir)).toEqual(['plan.csv']);

      const forceAlone = await cli(...args, '--force');
      expect(forceAlone.code).toBe(2);
      expect(forceAlone.stderr).toContain('--force goes with --out <file>.');
    });
  });
}
