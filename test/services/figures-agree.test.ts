import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDashboard } from '../../src/schemas/dashboard.ts';
import type { TGoals } from '../../src/schemas/plan-api.ts';
import type { TTeamDay } from '../../src/schemas/team-day.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { committedPlan } from '../../src/services/calendar.ts';
import { getDashboard } from '../../src/services/dashboard.ts';
import { getGoals } from '../../src/services/goals.ts';
import { peopleOverview } from '../../src/services/people-overview.ts';
import { getTeamDay } from '../../src/services/team-day.ts';
import { getAgenda } from '../../src/services/touches.ts';
import {
  at,
  buildFiguresHistory,
  type FiguresHistory,
  type FiguresUser,
  NOW,
  PASSWORD,
  START,
  TODAY,
  ZONE_OFFSET_MS,
} from '../fixtures/figures-history.ts';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type Session, signIn } from '../helpers/session.ts';

/*
 * Every screen and endpoint that shows calls made, goals, coverage per tier and overdue counts, checked against
 * figures computed here with plain loops over the touches the history logged (test/fixtures/figures-history.ts)
 * and the planned touches as stored, by the definitions of docs/figures.md:
 *
 * - a logged touch falls on its day in the workspace's time zone (Asia/Shanghai: UTC+8 all year);
 * - a rep's calls made are the calls they logged, on any account; a rep's goal is the planned touches assigned to
 *   them (open or done) due in the period; a team's or the workspace's figures are those of its accounts, whoever
 *   logged them;
 * - coverage: in-market accounts of each tier whose last contact on the channel (a touch with any outcome but no
 *   answer), by anyone, is at most the tier's interval (months × 365/12 days) before today;
 * - overdue: open planned touches due before the day (touches; the dashboard counts the accounts holding them).
 */

type Counts = { calls: number; visits: number };
type Tier = 'A' | 'B' | 'C';
type Channel = 'call' | 'visit';
interface PlannedRow {
  account_id: string;
  rep_id: string | null;
  channel: Channel;
  due_on: string;
  status: string;
}
interface AccountRow {
  id: string;
  owner_id: string | null;
  in_market: number;
  tier: Tier | null;
}

const CADENCE: Record<Tier, Record<Channel, number>> = {
  A: { call: 1, visit: 3 },
  B: { call: 3, visit: 6 },
  C: { call: 6, visit: 12 },
};
const TIERS: Tier[] = ['A', 'B', 'C'];
const CHANNELS: Channel[] = ['call', 'visit'];

const localDay = (iso: string) => new Date(Date.parse(iso) + ZONE_OFFSET_MS).toISOString().slice(0, 10);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const dayDiff = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
const monthAfter = (first: string) => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};
const monthBefore = (first: string) => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
};
const zero = (): Counts => ({ calls: 0, visits: 0 });
const bump = (c: Counts, channel: Channel) => {
  if (channel === 'call') c.calls++;
  else c.visits++;
};

/** Where two answers differ, as `path: got ≠ want` lines (an empty list when they agree). */
function differences(got: unknown, want: unknown, path = ''): string[] {
  if (typeof got === 'object' && got !== null && typeof want === 'object' && want !== null) {
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    return [...keys].flatMap((key) =>
      differences(
        (got as Record<string, unknown>)[key],
        (want as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      ),
    );
  }
  return Object.is(got, want) ? [] : [`${path}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`];
}

/** The periods a goals answer lists: the 8 weeks (months) up to the one holding `date`, oldest first. */
function periods(period: 'week' | 'month', date: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  if (period === 'week') {
    const monday = mondayOf(date);
    for (let i = 7; i >= 0; i--) out.push({ from: addDays(monday, -7 * i), to: addDays(monday, -7 * i + 7) });
  } else {
    let first = `${date.slice(0, 7)}-01`;
    const firsts = [first];
    for (let i = 0; i < 7; i++) {
      first = monthBefore(first);
      firsts.unshift(first);
    }
    for (const f of firsts) out.push({ from: f, to: monthAfter(f) });
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`the same figure on every screen, on ${dialect.name}`, { timeout: 600_000 }, () => {
    let tdb: TestDatabase;
    let h: FiguresHistory;
    let planned: PlannedRow[];
    let accounts: AccountRow[];
    let accountOf: Map<string, AccountRow>;
    let teamOf: Map<string, string | null>;
    let reps: FiguresUser[];

    // --- the expected figures, by plain loops ---------------------------------------------------------------

    const plannedCount = (keep: (t: PlannedRow) => boolean) => {
      const c = zero();
      for (const t of planned)
        if ((t.status === 'planned' || t.status === 'done') && keep(t)) bump(c, t.channel);
      return c;
    };
    const loggedCount = (keep: (e: FiguresHistory['ledger'][number]) => boolean) => {
      const c = zero();
      for (const e of h.ledger) if (keep(e)) bump(c, e.channel);
      return c;
    };
    const open = (keep: (t: PlannedRow) => boolean) =>
      planned.filter((t) => t.status === 'planned' && keep(t));

    /** Which accounts a figure is about: a rep's own, a team's (owned by its members) or every account. */
    type View = { kind: 'rep'; repId: string } | { kind: 'team'; teamId: string } | { kind: 'workspace' };
    const accountInView = (view: View, accountId: string) => {
      const owner = accountOf.get(accountId)?.owner_id ?? null;
      if (view.kind === 'workspace') return true;
      if (view.kind === 'rep') return owner === view.repId;
      return owner !== null && teamOf.get(owner) === view.teamId;
    };
    /** Touch figures: a rep's are theirs (planned for them, logged by them); a team's are its accounts'. */
    const plannedIn = (view: View, from: string, to: string) =>
      plannedCount(
        (t) =>
          t.due_on >= from &&
          t.due_on < to &&
          (view.kind === 'rep' ? t.rep_id === view.repId : accountInView(view, t.account_id)),
      );
    const loggedIn = (view: View, from: string, to: string) =>
      loggedCount((e) => {
        const day = localDay(e.at);
        return (
          day >= from &&
          day < to &&
          (view.kind === 'rep' ? e.userId === view.repId : accountInView(view, e.accountId))
        );
      });

    const coverage = (view: View, asOf: string) => {
      const last = new Map<string, string>();
      for (const e of h.ledger) {
        // A touch nobody answered is no contact: it covers nothing.
        if (e.outcome === 'no_answer') continue;
        const day = localDay(e.at);
        const key = `${e.accountId} ${e.channel}`;
        if (day <= asOf && (last.get(key) ?? '') < day) last.set(key, day);
      }
      const result = {} as Record<
        Tier,
        Record<Channel, { accounts: number; covered: number; neverTouched: number }>
      >;
      for (const tier of TIERS) {
        result[tier] = {
          call: { accounts: 0, covered: 0, neverTouched: 0 },
          visit: { accounts: 0, covered: 0, neverTouched: 0 },
        };
      }
      for (const a of accounts) {
        if (a.in_market !== 1 || !a.tier || !accountInView(view, a.id)) continue;
        for (const channel of CHANNELS) {
          const c = result[a.tier][channel];
          c.accounts++;
          const day = last.get(`${a.id} ${channel}`);
          if (!day) c.neverTouched++;
          else if (dayDiff(day, asOf) <= (CADENCE[a.tier][channel] * 365) / 12) c.covered++;
        }
      }
      return result;
    };

    const overdueTouches = (repId: string | null, date: string) => {
      const counts = {
        total: 0,
        byTier: { A: { call: 0, visit: 0 }, B: { call: 0, visit: 0 }, C: { call: 0, visit: 0 } },
        outOfMarket: { call: 0, visit: 0 },
      };
      for (const t of open((t) => t.due_on < date && (repId === null || t.rep_id === repId))) {
        counts.total++;
        const tier = accountOf.get(t.account_id)?.tier;
        if (tier) counts.byTier[tier][t.channel]++;
        else counts.outOfMarket[t.channel]++;
      }
      return counts;
    };

    const expectedGoals = (repId: string | null, period: 'week' | 'month', date: string) => {
      const view: View = repId ? { kind: 'rep', repId } : { kind: 'workspace' };
      const history = periods(period, date).map((p) => ({
        from: p.from,
        goal: plannedIn(view, p.from, p.to),
        actual: loggedIn(view, p.from, p.to),
      }));
      const current = history.at(-1) as (typeof history)[number];
      const cov = coverage(view, date);
      return {
        from: current.from,
        to: periods(period, date).at(-1)?.to,
        goal: current.goal,
        actual: current.actual,
        ratio: {
          calls: current.goal.calls ? current.actual.calls / current.goal.calls : null,
          visits: current.goal.visits ? current.actual.visits / current.goal.visits : null,
        },
        coverage: Object.fromEntries(
          TIERS.map((tier) => [
            tier,
            Object.fromEntries(
              CHANNELS.map((channel) => {
                const c = cov[tier][channel];
                return [channel, { ...c, share: c.accounts ? c.covered / c.accounts : null }];
              }),
            ),
          ]),
        ),
        overdue: overdueTouches(repId, date),
        history: history.map((p) => ({ from: p.from, goal: p.goal, actual: p.actual })),
      };
    };
    const goalsFigures = (g: TGoals) => ({
      from: g.from,
      to: g.to,
      goal: g.goal,
      actual: g.actual,
      ratio: g.ratio,
      coverage: g.coverage,
      overdue: g.overdue,
      history: g.history.map((p) => ({ from: p.from, goal: p.goal, actual: p.actual })),
    });

    const expectedDashboard = (view: View, weeks: number, to: string) => {
      const last = mondayOf(to);
      const mondays = Array.from({ length: weeks }, (_, i) => addDays(last, -7 * (weeks - 1 - i)));
      const cov = coverage(view, TODAY);
      const overdueAccounts = new Map<string, Set<string>>();
      for (const t of open((t) => t.due_on < TODAY && accountInView(view, t.account_id))) {
        const owner = accountOf.get(t.account_id)?.owner_id ?? '';
        const set = overdueAccounts.get(owner) ?? new Set<string>();
        set.add(t.account_id);
        overdueAccounts.set(owner, set);
      }
      return {
        weeks: mondays.map((monday) => ({
          from: monday,
          planned: plannedIn(view, monday, addDays(monday, 7)),
          done: loggedIn(view, monday, addDays(monday, 7)),
        })),
        coverage: TIERS.flatMap((tier) =>
          CHANNELS.map((channel) => ({
            tier,
            channel,
            accounts: cov[tier][channel].accounts,
            covered: cov[tier][channel].covered,
          })),
        ),
        overdue: {
          accounts: [...overdueAccounts.values()].reduce((n, s) => n + s.size, 0),
          byRep: Object.fromEntries([...overdueAccounts].map(([owner, set]) => [owner, set.size])),
        },
        accounts: accounts.filter((a) => accountInView(view, a.id)).length,
        objections: (() => {
          const from = mondays[0] as string;
          const end = addDays(last, 7);
          const met = new Map<string, { met: number; accounts: Set<string> }>();
          for (const e of h.ledger) {
            const day = localDay(e.at);
            if (!e.objection || day < from || day >= end) continue;
            if (view.kind === 'rep' ? e.userId !== view.repId : !accountInView(view, e.accountId)) continue;
            const m = met.get(e.objection) ?? { met: 0, accounts: new Set<string>() };
            m.met++;
            m.accounts.add(e.accountId);
            met.set(e.objection, m);
          }
          return Object.fromEntries([...met].sort().map(([code, m]) => [code, [m.met, m.accounts.size]]));
        })(),
      };
    };
    const dashboardFigures = (d: TDashboard) => ({
      weeks: d.weeks.map((w) => ({ from: w.from, planned: w.planned, done: w.done })),
      coverage: d.coverage.map((c) => ({
        tier: c.tier,
        channel: c.channel,
        accounts: c.accounts,
        covered: c.covered,
      })),
      overdue: {
        accounts: d.overdue.accounts,
        byRep: Object.fromEntries(d.overdue.byRep.map((r) => [r.repId, r.accounts])),
      },
      accounts: d.funnel.reduce((n, f) => n + f.accounts, 0),
      objections: Object.fromEntries(
        d.objections
          .map((o) => [o.code, [o.met, o.accounts]] as const)
          .sort((a, b) => a[0].localeCompare(b[0])),
      ),
    });

    const expectedRepDay = (rep: FiguresUser, date: string) => {
      const end = at(addDays(date, 1), '00:00');
      const mine = h.ledger.filter((e) => e.userId === rep.id && e.at < end).map((e) => e.at);
      const lastLoggedAt = mine.sort().at(-1) ?? null;
      return {
        repId: rep.id,
        planned: plannedCount((t) => t.rep_id === rep.id && t.due_on === date),
        done: loggedCount((e) => e.userId === rep.id && localDay(e.at) === date),
        overdue: open((t) => t.rep_id === rep.id && t.due_on < date).length,
        lastLoggedAt,
        lastLoggedOn: lastLoggedAt ? localDay(lastLoggedAt) : null,
      };
    };
    const teamDayFigures = (day: TTeamDay) =>
      day.reps
        .map((r) => ({
          repId: r.repId,
          planned: r.planned,
          done: r.done,
          overdue: r.overdue,
          lastLoggedAt: r.lastLoggedAt,
          lastLoggedOn: r.lastLoggedOn,
        }))
        .sort((a, b) => a.repId.localeCompare(b.repId));
    const expectedTeamDay = (visible: FiguresUser[], date: string) =>
      visible.map((rep) => expectedRepDay(rep, date)).sort((a, b) => a.repId.localeCompare(b.repId));

    const expectedAgenda = (rep: FiguresUser, date: string) => {
      const due = open((t) => t.rep_id === rep.id && t.due_on <= date);
      return {
        goal: plannedCount((t) => t.rep_id === rep.id && t.due_on === date),
        done: loggedCount((e) => e.userId === rep.id && localDay(e.at) === date),
        counts: {
          overdue: due.filter((t) => t.due_on < date).length,
          calls: due.filter((t) => t.channel === 'call').length,
          visits: due.filter((t) => t.channel === 'visit').length,
        },
      };
    };

    const name = (id: string | null) => (id ? (reps.find((r) => r.id === id)?.name ?? id) : 'everyone');
    const days: string[] = [];
    const mondays: string[] = [];

    beforeAll(async () => {
      tdb = await dialect.open();
      h = await buildFiguresHistory(tdb.db);
      const k = tdb.db.kysely;
      planned = (await k
        .selectFrom('planned_touches')
        .select(['account_id', 'rep_id', 'channel', 'due_on', 'status'])
        .execute()) as PlannedRow[];
      accounts = (
        await k.selectFrom('accounts').select(['id', 'owner_id', 'in_market', 'tier']).execute()
      ).map((a) => ({ ...a, in_market: Number(a.in_market), tier: a.tier as Tier | null }));
      accountOf = new Map(accounts.map((a) => [a.id, a]));
      const users = await k.selectFrom('users').select(['id', 'team_id']).execute();
      teamOf = new Map(users.map((u) => [u.id, u.team_id]));
      // A manager's team: the reps of the team they manage (the managers here own no accounts).
      teamOf.set(h.manager.id, h.team1);
      teamOf.set(h.manager2.id, h.team2);
      reps = [h.rep1, h.rep2, h.rep3];
      for (let d = addDays(START, -2); d <= addDays(TODAY, 3); d = addDays(d, 1)) days.push(d);
      for (let m = mondayOf(START); m <= TODAY; m = addDays(m, 7)) mondays.push(m);
    }, 600_000);
    afterAll(async () => {
      await tdb?.cleanup();
    });

    it('holds the history it was built to hold', async () => {
      const k = tdb.db.kysely;
      const stored = await k
        .selectFrom('activities')
        .select(['user_id', 'account_id', 'channel', 'occurred_at'])
        .execute();
      const key = (u: string | null, a: string, c: string, t: string) => `${u} ${a} ${c} ${t}`;
      expect(stored.map((s) => key(s.user_id, s.account_id, s.channel, s.occurred_at)).sort()).toEqual(
        h.ledger.map((e) => key(e.userId, e.accountId, e.channel, e.at)).sort(),
      );
      const { rep1, rep2, manager, accounts: ids } = h;
      // The edges fall on their Shanghai days, one of them the day before in UTC.
      const edge = (key: string, time: string) =>
        h.ledger.some((e) => e.accountId === ids[key] && e.at === at(time.slice(0, 10), time.slice(11)));
      expect(edge('A1', '2026-11-29 23:30')).toBe(true);
      expect(edge('A2', '2026-11-30 00:30')).toBe(true);
      expect(edge('B3', '2026-12-01 00:30')).toBe(true);
      expect(edge('C6', '2027-01-01 00:30')).toBe(true);
      expect(localDay(at('2027-01-01', '00:30'))).toBe('2027-01-01');
      expect(at('2027-01-01', '00:30').slice(0, 10)).toBe('2026-12-31');
      // A touch of rep1 logged by the manager, and rep1's calls on the account now in the other team.
      expect(h.ledger.filter((e) => e.userId === manager.id)).toHaveLength(1);
      const byManager = h.ledger.find((e) => e.userId === manager.id);
      expect(
        planned.some(
          (t) => t.account_id === byManager?.accountId && t.rep_id === rep1.id && t.status === 'done',
        ),
      ).toBe(true);
      expect(accountOf.get(h.crossTeam)?.owner_id).toBe(h.rep3.id);
      expect(h.ledger.some((e) => e.accountId === h.crossTeam && e.userId === rep1.id)).toBe(true);
      // Back-dated: two calls on one account dated 10-26 and 10-20, logged on 10-28.
      expect(
        h.ledger.filter((e) => localDay(e.at) === '2026-10-20' && e.at.endsWith('T02:00:00.000Z')),
      ).toHaveLength(1);
      // The account that left the market left the plan: its open touches (some overdue) were cancelled.
      expect(accountOf.get(h.movedOut)).toMatchObject({ in_market: 0, tier: null });
      expect(open((t) => t.account_id === h.movedOut)).toEqual([]);
      expect(planned.some((t) => t.account_id === h.movedOut && t.status === 'cancelled')).toBe(true);
      // The override, the visit on a day off and on a Saturday; missed touches overdue.
      expect(accountOf.get(ids.B4 as string)?.tier).toBe('A');
      expect(
        h.ledger.some(
          (e) => e.userId === rep2.id && e.channel === 'visit' && localDay(e.at) === '2026-12-18',
        ),
      ).toBe(true);
      expect(
        h.ledger.some(
          (e) => e.userId === rep1.id && e.channel === 'visit' && localDay(e.at) === '2026-12-12',
        ),
      ).toBe(true);
      for (const rep of [rep1, rep2])
        expect(open((t) => t.rep_id === rep.id && t.due_on < TODAY).length).toBeGreaterThan(0);
      // Touches planned for rep2 on her days off: none.
      expect(
        planned.filter((t) => t.rep_id === rep2.id && ['2026-12-18', '2026-12-21'].includes(t.due_on)),
      ).toEqual([]);
    });

    it('gives each rep (and everyone) goals that are the plan’s touches and the logs of the period', async () => {
      const mismatches: string[] = [];
      const dates = [
        '2026-10-26',
        '2026-11-29',
        '2026-11-30',
        '2026-12-01',
        '2026-12-31',
        '2027-01-01',
        '2027-01-03',
        '2027-01-04',
        TODAY,
      ];
      for (const repId of [h.rep1.id, h.rep2.id, h.rep3.id, null]) {
        for (const period of ['week', 'month'] as const) {
          for (const date of dates) {
            const got = goalsFigures(
              await getGoals(h.as(h.admin), { period, date, ...(repId ? { repId } : {}) }),
            );
            const want = expectedGoals(repId, period, date);
            for (const d of differences(got, want))
              mismatches.push(`goals ${name(repId)} ${period} ${date} ${d}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
      // The rep's own goals (Today's week card) are the ones a manager or admin reads for them.
      for (const rep of [h.rep1, h.rep2]) {
        const own = await getGoals(h.as(rep), { period: 'week' });
        expect(own).toEqual(await getGoals(h.as(h.manager), { period: 'week', repId: rep.id }));
        expect(own.from).toBe('2027-01-04');
      }
      // ISO week 53 of 2026 runs from Monday 12-28 to Sunday 01-03: one week, across the year end.
      const week53 = await getGoals(h.as(h.admin), { period: 'week', date: '2027-01-01', repId: h.rep2.id });
      expect([week53.from, week53.to]).toEqual(['2026-12-28', '2027-01-04']);
    });

    it('gives each rep’s agenda and each rep’s day the same plan and logs, day by day', async () => {
      const mismatches: string[] = [];
      for (const date of days) {
        for (const rep of reps) {
          const agenda = await getAgenda(h.as(rep), { date });
          const got = { goal: agenda.goal, done: agenda.done, counts: agenda.counts };
          const want = expectedAgenda(rep, date);
          for (const d of differences(got, want)) mismatches.push(`agenda ${rep.name} ${date} ${d}`);
        }
        for (const [viewer, visible] of [
          [h.admin, reps],
          [h.manager, [h.rep1, h.rep2]],
          [h.manager2, [h.rep3]],
          [h.rep1, [h.rep1]],
        ] as const) {
          const day = await getTeamDay(h.as(viewer), { date });
          const got = teamDayFigures(day);
          const want = expectedTeamDay([...visible], date);
          for (const d of differences(got, want)) mismatches.push(`team day as ${viewer.name} ${date} ${d}`);
          const sum = (pick: (r: (typeof want)[number]) => number) => want.reduce((n, r) => n + pick(r), 0);
          const totals = {
            planned: { calls: sum((r) => r.planned.calls), visits: sum((r) => r.planned.visits) },
            done: { calls: sum((r) => r.done.calls), visits: sum((r) => r.done.visits) },
            overdue: sum((r) => r.overdue),
          };
          const { remaining: _, ...gotTotals } = day.totals;
          for (const d of differences(gotTotals, totals))
            mismatches.push(`team day totals as ${viewer.name} ${date} ${d}`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('gives the dashboard the same weeks, coverage and overdue, per rep, per team and for the workspace', async () => {
      const mismatches: string[] = [];
      const views: [FiguresUser, string | undefined, View][] = [
        [h.admin, undefined, { kind: 'workspace' }],
        [h.manager, undefined, { kind: 'team', teamId: h.team1 }],
        [h.manager2, undefined, { kind: 'team', teamId: h.team2 }],
        [h.rep1, undefined, { kind: 'rep', repId: h.rep1.id }],
        [h.rep2, undefined, { kind: 'rep', repId: h.rep2.id }],
        [h.rep3, undefined, { kind: 'rep', repId: h.rep3.id }],
        [h.manager, h.rep1.id, { kind: 'rep', repId: h.rep1.id }],
        [h.manager, h.rep2.id, { kind: 'rep', repId: h.rep2.id }],
        [h.manager2, h.rep3.id, { kind: 'rep', repId: h.rep3.id }],
        [h.admin, h.rep1.id, { kind: 'rep', repId: h.rep1.id }],
      ];
      for (const [viewer, repId, view] of views) {
        for (const [weeks, to] of [
          [26, TODAY],
          [1, '2026-11-30'],
          [2, '2027-01-03'],
        ] as const) {
          const got = dashboardFigures(
            await getDashboard(h.as(viewer), { weeks, to, ...(repId ? { repId } : {}) }),
          );
          const want = expectedDashboard(view, weeks, to);
          for (const d of differences(got, want))
            mismatches.push(`dashboard as ${viewer.name} of ${name(repId ?? null)} ${weeks}w to ${to} ${d}`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('shows a rep the same weeks on the dashboard as in their goals, and the same coverage', async () => {
      for (const rep of reps) {
        const d = await getDashboard(h.as(rep), { weeks: 8 });
        const goals = await getGoals(h.as(rep), { period: 'week' });
        expect(d.weeks.map((w) => [w.from, w.planned, w.done])).toEqual(
          goals.history.map((p) => [p.from, p.goal, p.actual]),
        );
        for (const c of d.coverage) {
          const g = goals.coverage[c.tier][c.channel];
          expect([c.tier, c.channel, c.accounts, c.covered]).toEqual([
            c.tier,
            c.channel,
            g.accounts,
            g.covered,
          ]);
        }
      }
      // A team's figures are its accounts', whoever logged the touch: the manager's call for rep1 on 11-20 counts
      // for the team but for no rep, and rep1's call on C3 (now the other team's) counts for rep1, not for the team.
      const team = await getDashboard(h.as(h.manager), { weeks: 26 });
      const repWeeks = await Promise.all(
        [h.rep1, h.rep2].map((rep) => getDashboard(h.as(h.manager), { weeks: 26, repId: rep.id })),
      );
      const callsOf = (d: TDashboard, monday: string) =>
        d.weeks.find((w) => w.from === monday)?.done.calls ?? 0;
      const managerCall = h.ledger.find((e) => e.userId === h.manager.id) as (typeof h.ledger)[number];
      const c3Call = h.ledger.find(
        (e) => e.accountId === h.crossTeam && e.userId === h.rep1.id,
      ) as (typeof h.ledger)[number];
      for (const monday of mondays) {
        const reps = repWeeks.reduce((n, d) => n + callsOf(d, monday), 0);
        const rep3OnTeamAccounts = loggedCount(
          (e) =>
            e.userId === h.rep3.id &&
            mondayOf(localDay(e.at)) === monday &&
            accountInView({ kind: 'team', teamId: h.team1 }, e.accountId),
        ).calls;
        const extra =
          (mondayOf(localDay(managerCall.at)) === monday ? 1 : 0) -
          h.ledger.filter(
            (e) =>
              e.accountId === h.crossTeam &&
              e.userId !== h.rep3.id &&
              e.channel === 'call' &&
              mondayOf(localDay(e.at)) === monday,
          ).length +
          rep3OnTeamAccounts;
        expect([monday, callsOf(team, monday)]).toEqual([monday, reps + extra]);
      }
      expect(mondayOf(localDay(managerCall.at))).toBe('2026-11-16');
      expect(mondayOf(localDay(c3Call.at))).toBe('2026-10-12');
      // The workspace's dashboard is everyone's goals.
      const d = await getDashboard(h.as(h.admin), { weeks: 8 });
      const goals = await getGoals(h.as(h.admin), { period: 'week' });
      expect(d.weeks.map((w) => [w.from, w.planned, w.done])).toEqual(
        goals.history.map((p) => [p.from, p.goal, p.actual]),
      );
    });

    it('counts the same overdue touches on the agenda, goals, each rep’s day, the Team page and the Plan page', async () => {
      const people = await peopleOverview(h.as(h.manager));
      for (const rep of [h.rep1, h.rep2]) {
        const want = overdueTouches(rep.id, TODAY).total;
        const ahead = open((t) => t.rep_id === rep.id && t.due_on >= TODAY).length;
        const agenda = await getAgenda(h.as(rep), {});
        const goals = await getGoals(h.as(rep), { period: 'week' });
        const day = (await getTeamDay(h.as(h.manager), {})).reps.find((r) => r.repId === rep.id);
        const person = people.items.find((p) => p.id === rep.id);
        const plan = await committedPlan(h.as(rep), {});
        expect({
          agenda: agenda.counts.overdue,
          goals: goals.overdue.total,
          teamDay: day?.overdue,
          people: person?.work?.overdue,
          plan: plan.open.overdue,
        }).toEqual({ agenda: want, goals: want, teamDay: want, people: want, plan: want });
        expect({ people: person?.work?.plannedAhead, plan: plan.open.ahead }).toEqual({
          people: ahead,
          plan: ahead,
        });
        expect(person?.work?.accountCount).toBe(accounts.filter((a) => a.owner_id === rep.id).length);
        // The plan's months are the monthly goals.
        for (const month of plan.byMonth.filter((m) => m.month >= '2026-11' && m.month <= '2027-01')) {
          const goals = await getGoals(h.as(rep), { period: 'month', date: `${month.month}-15` });
          expect([month.month, month.calls, month.visits]).toEqual([
            month.month,
            goals.goal.calls,
            goals.goal.visits,
          ]);
        }
        // The plan's days: planned (open or done), done and overdue, as the agenda's goal for each day.
        const horizon = plan.days.filter((d) => d.date >= START && d.date < '2027-02-01');
        for (const d of horizon) {
          const mine = planned.filter((t) => t.rep_id === rep.id && t.due_on === d.date);
          expect([d.date, d.calls, d.visits, d.done, d.overdue]).toEqual([
            d.date,
            mine.filter((t) => t.channel === 'call' && t.status !== 'cancelled' && t.status !== 'skipped')
              .length,
            mine.filter((t) => t.channel === 'visit' && t.status !== 'cancelled' && t.status !== 'skipped')
              .length,
            mine.filter((t) => t.status === 'done').length,
            mine.filter((t) => t.status === 'planned' && t.due_on < TODAY).length,
          ]);
        }
      }
    });

    describe('over the API and the CLI', () => {
      let app: AppInstance;
      const sessions = new Map<string, Session>();
      const get = async (who: FiguresUser, url: string) => {
        let session = sessions.get(who.id);
        if (!session) {
          session = await signIn(app, who.email, PASSWORD);
          sessions.set(who.id, session);
        }
        const res = await app.inject({ method: 'GET', url, headers: session.headers });
        if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      beforeAll(async () => {
        app = await buildApp(tdb.db, { now: () => NOW, webRoot: '/nonexistent' });
      });
      afterAll(async () => {
        await app?.close();
      });

      it('answers the same figures over HTTP', async () => {
        for (const [who, repId] of [
          [h.rep1, h.rep1.id],
          [h.manager, h.rep2.id],
          [h.admin, h.rep3.id],
        ] as const) {
          for (const date of ['2026-11-30', '2027-01-01', TODAY]) {
            const goals = await get(who, `/api/goals?period=week&date=${date}&repId=${repId}`);
            expect(goalsFigures(goals)).toEqual(expectedGoals(repId, 'week', date));
            const month = await get(who, `/api/goals?period=month&date=${date}&repId=${repId}`);
            expect(goalsFigures(month)).toEqual(expectedGoals(repId, 'month', date));
            const rep = reps.find((r) => r.id === repId) as FiguresUser;
            const agenda = await get(who, `/api/agenda?date=${date}&repId=${repId}`);
            expect({ goal: agenda.goal, done: agenda.done, counts: agenda.counts }).toEqual(
              expectedAgenda(rep, date),
            );
          }
          const dashboard = await get(who, `/api/dashboard?weeks=13&repId=${repId}`);
          expect(dashboardFigures(dashboard)).toEqual(expectedDashboard({ kind: 'rep', repId }, 13, TODAY));
        }
        const team = await get(h.manager, '/api/dashboard?weeks=13');
        expect(dashboardFigures(team)).toEqual(
          expectedDashboard({ kind: 'team', teamId: h.team1 }, 13, TODAY),
        );
        for (const date of ['2026-11-20', '2026-12-18', '2027-01-01', TODAY]) {
          const day = await get(h.manager, `/api/team/day?date=${date}`);
          expect(teamDayFigures(day)).toEqual(expectedTeamDay([h.rep1, h.rep2], date));
        }
        const people = await get(h.manager, '/api/people');
        for (const rep of [h.rep1, h.rep2]) {
          const person = people.items.find((p: { id: string }) => p.id === rep.id);
          expect(person.work.overdue).toBe(overdueTouches(rep.id, TODAY).total);
        }
      });

      it('answers the same figures in tierline goals, agenda and team day', async () => {
        const cli = async (...args: string[]) => {
          const result = await runTierlineInProcess(['--db', tdb.url, ...args, '--json']);
          if (result.code !== 0) throw new Error(`tierline ${args.join(' ')}: ${result.stderr}`);
          return JSON.parse(result.stdout);
        };
        for (const repId of [h.rep1.id, h.rep2.id]) {
          for (const date of ['2026-11-29', '2026-12-01', '2027-01-03', TODAY]) {
            expect(goalsFigures(await cli('goals', '--rep', repId, '--date', date))).toEqual(
              expectedGoals(repId, 'week', date),
            );
            expect(goalsFigures(await cli('goals', '--month', '--rep', repId, '--date', date))).toEqual(
              expectedGoals(repId, 'month', date),
            );
            const rep = reps.find((r) => r.id === repId) as FiguresUser;
            const agenda = await cli('agenda', '--rep', repId, '--date', date);
            expect({ goal: agenda.goal, done: agenda.done, counts: agenda.counts }).toEqual(
              expectedAgenda(rep, date),
            );
          }
        }
        // Everyone's goals and every rep's day (the local CLI sees everything).
        expect(goalsFigures(await cli('goals', '--date', TODAY))).toEqual(expectedGoals(null, 'week', TODAY));
        for (const date of ['2026-11-30', '2027-01-01']) {
          expect(teamDayFigures(await cli('team', 'day', '--date', date))).toEqual(
            expectedTeamDay(reps, date),
          );
        }
      });
    });
  });
}
