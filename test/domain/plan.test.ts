import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { addMonthsToDate, daysBetween, shiftDate } from '../../src/domain/calendar/local-date.ts';
import { createWorkingCalendar } from '../../src/domain/calendar/working-calendar.ts';
import {
  type BookedTouch,
  buildPlan,
  evenPhases,
  type Plan,
  type PlanAccount,
  type PlannedTouch,
  replanAccount,
} from '../../src/domain/plan/build-plan.ts';
import { checkCapacity } from '../../src/domain/plan/capacity.ts';
import type { TCadenceRule } from '../../src/schemas/cadence.ts';
import type { TChannel, TTier } from '../../src/schemas/common.ts';

const china = createWorkingCalendar({ country: 'CN' });
const AMPLE = { callsPerDay: 1000, visitsPerDay: 1000 };

function makePlanAccount(id: string, tier: TTier | null, overrides: Partial<PlanAccount> = {}): PlanAccount {
  return { id, tier, city: '上海市', district: '浦东新区', score: null, ...overrides };
}

function seriesOf(touches: readonly PlannedTouch[]): Map<string, string[]> {
  const series = new Map<string, string[]>();
  for (const t of touches) {
    const key = `${t.accountId}/${t.channel}`;
    const list = series.get(key) ?? [];
    list.push(t.dueOn);
    series.set(key, list);
  }
  for (const list of series.values()) list.sort();
  return series;
}

const countFor = (plan: Plan, accountId: string, channel: TChannel) =>
  plan.touches.filter((t) => t.accountId === accountId && t.channel === channel).length;

describe('exact touch counts over 12 months (method §3)', () => {
  const accounts = (['A', 'B', 'C'] as const).flatMap((tier) =>
    Array.from({ length: 25 }, (_, i) => makePlanAccount(`${tier}-${i}`, tier)),
  );
  const expected = { A: { call: 12, visit: 4 }, B: { call: 4, visit: 2 }, C: { call: 2, visit: 1 } };

  it.each([
    '2025-01-01', // through Spring Festival 2025
    '2025-03-01',
    '2025-07-15',
    '2026-06-01', // runs into 2027, whose schedule is not published
    '2027-03-01', // a 366-day horizon (2028 is a leap year)
  ])('from %s every account gets 12 ÷ interval calls and visits', (from) => {
    const plan = buildPlan({ accounts, from, calendar: china, capacity: AMPLE });
    expect(plan.unplaced).toEqual([]);
    for (const account of accounts) {
      const tier = account.tier as TTier;
      expect(countFor(plan, account.id, 'call'), `${account.id} calls`).toBe(expected[tier].call);
      expect(countFor(plan, account.id, 'visit'), `${account.id} visits`).toBe(expected[tier].visit);
    }
    expect(plan.to).toBe(addMonthsToDate(from, 12));
  });

  it('also holds at the default capacity when the plan fits', () => {
    const plan = buildPlan({ accounts, from: '2025-03-01', calendar: china });
    expect(checkCapacity({ accounts, from: '2025-03-01', calendar: china }).fits).toBe(true);
    expect(plan.unplaced).toEqual([]);
    expect(plan.touches).toHaveLength(25 * (16 + 6 + 3));
  });

  it('plans nothing for out-of-market accounts or switched-off channels', () => {
    const plan = buildPlan({
      accounts: [makePlanAccount('out', null), makePlanAccount('b', 'B')],
      from: '2025-03-01',
      calendar: china,
      cadence: [{ tier: 'B', channel: 'visit', intervalMonths: null }],
    });
    expect(plan.touches.map((t) => `${t.accountId}/${t.channel}`)).toEqual(Array(4).fill('b/call'));
  });
});

describe('working days only', () => {
  it('never places a touch on a weekend, holiday or the rep’s day off', () => {
    const daysOff = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-06-09'];
    const calendar = createWorkingCalendar({ country: 'CN', customDaysOff: daysOff });
    const tiers: TTier[] = ['A', 'B', 'C'];
    const accounts = Array.from({ length: 120 }, (_, i) => makePlanAccount(`x${i}`, tiers[i % 3] as TTier));
    const plan = buildPlan({ accounts, from: '2025-01-01', calendar, capacity: AMPLE });
    expect(plan.touches.length).toBeGreaterThan(0);
    for (const touch of plan.touches) {
      expect(calendar.isWorkingDay(touch.dueOn), touch.dueOn).toBe(true);
      expect(touch.dueOn >= '2025-01-01' && touch.dueOn < '2026-01-01').toBe(true);
    }
    const dates = new Set(plan.touches.map((t) => t.dueOn));
    for (const off of [...daysOff, '2025-01-29', '2025-02-01', '2025-10-01']) {
      expect(dates.has(off), off).toBe(false);
    }
    // make-up workdays are used like any other working day
    expect(plan.days.find((d) => d.date === '2025-01-26')?.working).toBe(true);
  });

  it('reports per-day load for every day of the horizon', () => {
    const plan = buildPlan({
      accounts: [makePlanAccount('a', 'A')],
      from: '2025-03-01',
      calendar: china,
    });
    expect(plan.days).toHaveLength(365);
    expect(plan.days.reduce((sum, d) => sum + d.calls + d.visits, 0)).toBe(plan.touches.length);
    expect(plan.days.filter((d) => !d.working).every((d) => d.calls === 0 && d.visits === 0)).toBe(true);
  });
});

describe('spreading the load', () => {
  it('staggers first touches over the interval instead of piling them on day one', () => {
    const accounts = Array.from({ length: 400 }, (_, i) => makePlanAccount(`a${i}`, 'A'));
    const plan = buildPlan({ accounts, from: '2025-03-03', calendar: china, capacity: AMPLE });
    const firstMonth = plan.days.filter((d) => d.working && d.date < '2025-04-01');
    const calls = firstMonth.map((d) => d.calls);
    // 400 monthly calls over ~21 working days: about 19 a day, none empty, none crowded
    expect(Math.min(...calls)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...calls)).toBeLessThanOrEqual(30);
  });

  it('places A accounts first when capacity is short', () => {
    const cadence: TCadenceRule[] = (['A', 'B', 'C'] as const).flatMap((tier) => [
      { tier, channel: 'call' as const, intervalMonths: 1 },
      { tier, channel: 'visit' as const, intervalMonths: null },
    ]);
    const accounts = [
      ...Array.from({ length: 40 }, (_, i) =>
        makePlanAccount(`c${i}`, 'C', { lastTouchOn: { call: '2025-02-01' } }),
      ),
      makePlanAccount('the-a', 'A', { lastTouchOn: { call: '2025-02-01' } }),
    ];
    const plan = buildPlan({
      accounts,
      from: '2025-03-01',
      calendar: china,
      cadence,
      capacity: { callsPerDay: 1 },
    });
    expect(plan.unplaced.length).toBeGreaterThan(0);
    expect(plan.unplaced.every((u) => u.tier === 'C')).toBe(true);
    // due 2025-03-03.4 (Monday): the A account gets that very day
    expect(plan.touches.find((t) => t.accountId === 'the-a')?.dueOn).toBe('2025-03-03');
    expect(countFor(plan, 'the-a', 'call')).toBe(12);
  });

  it('groups a day’s visits by city', () => {
    // 8 Shanghai and 8 Hangzhou accounts, interleaved, all due for a visit on 2025-06-10
    const accounts = Array.from({ length: 16 }, (_, i) =>
      makePlanAccount(`v${String(i).padStart(2, '0')}`, 'B', {
        city: i % 2 ? '杭州市' : '上海',
        district: i % 2 ? '西湖区' : '浦东新区',
        lastTouchOn: { visit: '2024-12-10', call: '2025-02-20' },
      }),
    );
    const plan = buildPlan({ accounts, from: '2025-03-01', calendar: china });
    const cityOf = new Map(accounts.map((a) => [a.id, a.city]));
    const citiesByDay = new Map<string, Set<string>>();
    for (const t of plan.touches.filter((x) => x.channel === 'visit')) {
      const set = citiesByDay.get(t.dueOn) ?? new Set();
      set.add((cityOf.get(t.accountId) ?? '').replace('市', ''));
      citiesByDay.set(t.dueOn, set);
    }
    expect(plan.touches.filter((t) => t.channel === 'visit')).toHaveLength(32);
    for (const [day, cities] of citiesByDay) expect(cities.size, day).toBe(1);
    // 16 visits due on one day, 32 a year (a week's share is under one day's capacity of 4): no week gets more than a
    // day's worth, and each day the two cities' visits share go in pairs: two a day, eight days in the first round.
    const firstRound = plan.touches.filter((t) => t.channel === 'visit' && t.dueOn < '2025-09-01');
    expect(Math.max(...weeklyCounts(firstRound).values())).toBe(4);
    expect(new Set(firstRound.map((t) => t.dueOn)).size).toBe(8);
  });

  it('groups a city’s visits by district', () => {
    const accounts = Array.from({ length: 8 }, (_, i) =>
      makePlanAccount(`d${i}`, 'C', {
        district: i % 2 ? '闵行区' : '浦东新区',
        lastTouchOn: { visit: '2024-05-01', call: '2025-02-01' },
      }),
    );
    const plan = buildPlan({ accounts, from: '2025-03-01', calendar: china });
    const districtOf = new Map(accounts.map((a) => [a.id, a.district]));
    const byDay = new Map<string, Set<string | null | undefined>>();
    for (const t of plan.touches.filter((x) => x.channel === 'visit')) {
      byDay.set(t.dueOn, (byDay.get(t.dueOn) ?? new Set()).add(districtOf.get(t.accountId)));
    }
    // a week holds one day's capacity (4) at most: two weeks, each with a day for either district
    expect(byDay.size).toBe(4);
    for (const districts of byDay.values()) expect(districts.size).toBe(1);
    expect(Math.max(...weeklyCounts(plan.touches.filter((t) => t.channel === 'visit')).values())).toBe(4);
  });

  it('levels visits by week and still groups them by district', () => {
    // 60 A accounts never visited, in five districts: 240 visits a year, about one a working day. Grouping by
    // district alone pulled them into some weeks (1 in one week, 12 in another); each week now gets at most its
    // share (its working days × visits per working day, rounded up; at least one day's capacity) and the visits of
    // a day still share a district.
    const districts = ['浦东新区', '闵行区', '徐汇区', '静安区', '嘉定区'];
    const accounts = Array.from({ length: 60 }, (_, i) =>
      makePlanAccount(`l${String(i).padStart(2, '0')}`, 'A', { district: districts[i % 5] as string }),
    );
    const from = '2025-03-03';
    const plan = buildPlan({ accounts, from, calendar: china });
    const visits = plan.touches.filter((t) => t.channel === 'visit');
    expect(visits).toHaveLength(240);
    expect(plan.unplaced).toHaveLength(0);
    const working = plan.days.filter((d) => d.working).length;
    const perDay = 240 / working;
    const weeks = weeklyCounts(visits);
    const workingInWeek = weeklyCounts(plan.days.filter((d) => d.working).map((d) => ({ dueOn: d.date })));
    for (const [week, n] of weeks) {
      const share = Math.max(4, Math.ceil((workingInWeek.get(week) ?? 0) * perDay - 1e-9));
      expect(n, week).toBeLessThanOrEqual(share);
    }
    // full working weeks carry 4 or 5 visits (the share), not 1 and 12
    const fullWeeks = [...workingInWeek].filter(([, n]) => n === 5).map(([week]) => weeks.get(week) ?? 0);
    expect(fullWeeks.filter((n) => n >= 4).length / fullWeeks.length).toBeGreaterThan(0.9);
    // grouping: on average more than 1.5 visits share a district on a visit day
    const trips = new Set(
      visits.map((t) => `${t.dueOn}/${accounts.find((a) => a.id === t.accountId)?.district}`),
    );
    expect(visits.length / trips.size).toBeGreaterThan(1.5);
  });
});

/** Touches per calendar week (Monday first), keyed by the week's Monday. */
function weeklyCounts(touches: readonly { dueOn: string }[]): Map<string, number> {
  const weeks = new Map<string, number>();
  for (const t of touches) {
    const weekday = (new Date(`${t.dueOn}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = shiftDate(t.dueOn, -weekday);
    weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
  }
  return weeks;
}

describe('planning from the last logged touch', () => {
  it.each([
    // [channel, tier, last touch, first planned touch]
    ['call', 'A', '2025-02-20', '2025-03-21'], // due 03-22.4 (Saturday): nearest working day
    ['call', 'A', '2024-12-01', '2025-03-03'], // overdue: first working day of the plan
    ['visit', 'A', '2025-01-10', '2025-04-11'], // due 04-11.25
    ['visit', 'C', '2024-03-15', '2025-03-14'], // due 2025-03-15.0 (Saturday), C yearly: Friday is nearer
  ] as const)('%s of a %s account last touched %s is next planned on %s', (channel, tier, last, first) => {
    const account = makePlanAccount('acc', tier, { lastTouchOn: { [channel]: last } });
    const plan = buildPlan({ accounts: [account], from: '2025-03-01', calendar: china });
    const dates = seriesOf(plan.touches).get(`acc/${channel}`) ?? [];
    expect(dates[0]).toBe(first);
  });

  it('keeps the gap to the last touch within ±20%', () => {
    const account = makePlanAccount('acc', 'B', { lastTouchOn: { call: '2025-01-20', visit: '2024-11-02' } });
    const plan = buildPlan({ accounts: [account], from: '2025-03-01', calendar: china });
    const table = resolveCadence();
    for (const [channel, last] of [
      ['call', '2025-01-20'],
      ['visit', '2024-11-02'],
    ] as const) {
      const first = (seriesOf(plan.touches).get(`acc/${channel}`) ?? [])[0] as string;
      const gap = daysBetween(last, first);
      const interval = intervalDays(table.B[channel] as number);
      expect(gap).toBeGreaterThanOrEqual(0.8 * interval);
      expect(gap).toBeLessThanOrEqual(1.2 * interval);
    }
  });

  it('continues from a pending (overdue, kept) touch as if done on the first day, when later than the log', () => {
    const from = '2025-03-03';
    const interval = intervalDays(resolveCadence().A.call as number);
    for (const lastTouchOn of [undefined, { call: '2024-12-01' }]) {
      const account = makePlanAccount('acc', 'A', { lastTouchOn, pendingOn: { call: from, visit: null } });
      const plan = buildPlan({ accounts: [account], from, calendar: china });
      const first = (seriesOf(plan.touches).get('acc/call') ?? [])[0] as string;
      // Not at once beside the overdue touch: about one interval after the first day.
      expect(daysBetween(from, first)).toBeGreaterThanOrEqual(0.8 * interval);
      expect(daysBetween(from, first)).toBeLessThanOrEqual(1.2 * interval);
      // The check counts what the plan places.
      const check = checkCapacity({ accounts: [account], from, calendar: china });
      expect(check.required.call.total).toBe(countFor(plan, 'acc', 'call'));
    }
    // A log later than the pending day wins.
    const logged = makePlanAccount('acc', 'A', {
      lastTouchOn: { call: '2025-03-10' },
      pendingOn: { call: from, visit: null },
    });
    const first = (seriesOf(buildPlan({ accounts: [logged], from, calendar: china }).touches).get(
      'acc/call',
    ) ?? [])[0] as string;
    expect(daysBetween('2025-03-10', first)).toBeGreaterThanOrEqual(0.8 * interval);
    expect(daysBetween('2025-03-10', first)).toBeLessThanOrEqual(1.2 * interval);
  });

  it('leaves the phases of the never-touched accounts as they are without a pending touch', () => {
    const from = '2025-03-03';
    const accounts = Array.from({ length: 12 }, (_, i) => makePlanAccount(`c${i}`, 'C'));
    const pending = accounts.map((a, i) => (i === 3 ? { ...a, pendingOn: { call: from, visit: from } } : a));
    const phases = evenPhases(accounts);
    const withPending = evenPhases(pending);
    for (const channel of ['call', 'visit'] as const) {
      expect([...withPending[channel]]).toEqual([...phases[channel]]);
    }
  });
});

describe('re-planning one account after a logged touch', () => {
  const account = makePlanAccount('acc', 'A');
  const base = { account, loggedOn: '2025-04-10', until: '2026-03-01', calendar: china } as const;

  it('restarts the series one interval after the log date', () => {
    const { touches, unplaced } = replanAccount({ ...base, channel: 'call' });
    expect(unplaced).toEqual([]);
    expect(touches[0]?.dueOn).toBe('2025-05-09'); // due 05-10.4 (Saturday)
    expect(touches.every((t) => t.dueOn < '2026-03-01' && china.isWorkingDay(t.dueOn))).toBe(true);
    expect(touches).toHaveLength(10);
    const dates = touches.map((t) => t.dueOn);
    for (let i = 1; i < dates.length; i++) {
      const gap = daysBetween(dates[i - 1] as string, dates[i] as string);
      expect(gap).toBeGreaterThanOrEqual(0.8 * intervalDays(1));
      expect(gap).toBeLessThanOrEqual(1.2 * intervalDays(1));
    }
  });

  it('respects other touches already booked', () => {
    const full = Array(40).fill({ city: null, district: null });
    const { touches } = replanAccount({
      ...base,
      channel: 'call',
      bookedOn: (date) => (date === '2025-05-09' ? full : []),
    });
    expect(touches[0]?.dueOn).toBe('2025-05-12');
  });

  it('joins a day with visits in the same city', () => {
    const booked: Record<string, BookedTouch[]> = {
      '2025-07-04': [{ city: '上海', district: '浦东' }],
      '2025-07-11': [{ city: '杭州市', district: '西湖区' }],
    };
    const { touches } = replanAccount({ ...base, channel: 'visit', bookedOn: (date) => booked[date] ?? [] });
    // due 2025-07-10.25; the Shanghai day 07-04 wins over the nearer Hangzhou day and empty days
    expect(touches[0]?.dueOn).toBe('2025-07-04');
  });

  it('levels a re-planned visit by week: a week above its share loses its same-district days', () => {
    // Due 2025-07-10 (Thursday); the window runs 06-22 to 07-28. The week of 07-07 already holds 15 visits in the
    // account's own district (3 a day, room for one more each day); every other working day has one visit in
    // another city. The share over the window's weeks is ≈ 1.3 visits a working day (7 a week), so that week is
    // full and the visit goes to a day in another week, as buildPlan would have levelled it.
    const own = { city: '上海市', district: '浦东新区' };
    const elsewhere = [{ city: '杭州市', district: '西湖区' }];
    const heavy = new Set(['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11']);
    const bookedOn = (date: string) => (heavy.has(date) ? [own, own, own] : elsewhere);
    const { touches } = replanAccount({ ...base, channel: 'visit', bookedOn });
    const first = touches[0]?.dueOn as string;
    expect(heavy.has(first)).toBe(false);
    expect(daysBetween(base.loggedOn, first)).toBeGreaterThanOrEqual(0.8 * intervalDays(3));
    // A week below its share (at least one day's capacity, 4) keeps its same-district day.
    const lighter = (date: string) => (date === '2025-07-09' || date === '2025-07-10' ? [own] : []);
    const joined = replanAccount({ ...base, channel: 'visit', bookedOn: lighter }).touches[0]?.dueOn;
    expect(joined).toBe('2025-07-10');
  });

  it('with a later first day (a tier changed by hand) continues from the log, nothing before that day', () => {
    const call = intervalDays(1);
    // `from` on or before the log changes nothing.
    expect(replanAccount({ ...base, channel: 'call', from: base.loggedOn }).touches).toEqual(
      replanAccount({ ...base, channel: 'call' }).touches,
    );
    // Logged 04-10, re-planned 04-30: the next call still due a month after the log (05-10.4, a Saturday).
    const later = replanAccount({ ...base, channel: 'call', from: '2025-04-30' }).touches;
    expect(later[0]?.dueOn).toBe('2025-05-09');
    // Re-planned 07-01, long after a call was due: as early as possible (07-01 is a Tuesday), then monthly on.
    const { touches, unplaced } = replanAccount({ ...base, channel: 'call', from: '2025-07-01' });
    expect(unplaced).toEqual([]);
    expect(touches[0]?.dueOn).toBe('2025-07-01');
    const gap = daysBetween(touches[0]?.dueOn as string, touches[1]?.dueOn as string);
    expect(gap).toBeGreaterThanOrEqual(0.8 * call);
    expect(gap).toBeLessThanOrEqual(1.2 * call);
    // Due after `from` but its window opening before it: within the window, not before `from`.
    const window = replanAccount({ ...base, channel: 'call', from: '2025-05-08' }).touches[0]
      ?.dueOn as string;
    expect(window >= '2025-05-08' && daysBetween(base.loggedOn, window) <= 1.2 * call).toBe(true);
  });

  it('plans nothing past the horizon or for an account without tier', () => {
    expect(replanAccount({ ...base, channel: 'visit', loggedOn: '2026-02-20' }).touches).toEqual([]);
    expect(replanAccount({ ...base, account: { ...account, tier: null }, channel: 'call' }).touches).toEqual(
      [],
    );
  });
});

describe('over capacity', () => {
  const accounts = Array.from({ length: 300 }, (_, i) => makePlanAccount(`a${i}`, 'A'));

  it('never exceeds the daily capacity and lists what it could not place', () => {
    const plan = buildPlan({ accounts, from: '2025-03-01', calendar: china });
    for (const day of plan.days) {
      expect(day.calls).toBeLessThanOrEqual(40);
      expect(day.visits).toBeLessThanOrEqual(4);
    }
    const check = checkCapacity({ accounts, from: '2025-03-01', calendar: china });
    expect(check.fits).toBe(false);
    expect(plan.unplaced.length).toBeGreaterThan(0);
    expect(plan.unplaced.every((u) => u.reason === 'capacity' && u.windowFrom !== null)).toBe(true);
    // nothing is dropped silently: placed + unplaced = required
    expect(plan.touches.length + plan.unplaced.length).toBe(
      check.required.call.total + check.required.visit.total,
    );
  });

  it("with 'overbook' places everything, over capacity, and says how much", () => {
    const plan = buildPlan({ accounts, from: '2025-03-01', calendar: china, overflow: 'overbook' });
    expect(plan.unplaced).toEqual([]);
    expect(plan.touches).toHaveLength(300 * 16);
    expect(plan.overbooked).toBeGreaterThan(0);
    expect(Math.max(...plan.days.map((d) => d.visits))).toBeGreaterThan(4);
    expect(plan.touches.every((t) => china.isWorkingDay(t.dueOn))).toBe(true);
  });
});

describe('properties (fast-check)', () => {
  const tierArb = fc.constantFrom<TTier | null>('A', 'A', 'B', 'B', 'C', 'C', null);
  const accountArb = fc.record({
    tier: tierArb,
    city: fc.constantFrom('上海', '杭州市', '苏州', null),
    district: fc.constantFrom('一区', '二区', null),
    lastCall: fc.option(fc.integer({ min: -400, max: 20 }), { nil: undefined }),
    lastVisit: fc.option(fc.integer({ min: -400, max: 20 }), { nil: undefined }),
    score: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  });
  const intervalArb = fc.constantFrom<number | null>(0.5, 1, 2, 3, 6, 12, 18, null);
  const scenarioArb = fc.record({
    accounts: fc.array(accountArb, { minLength: 1, maxLength: 60 }),
    from: fc.constantFrom('2025-01-01', '2025-01-20', '2025-09-15', '2026-01-05', '2026-09-01'),
    months: fc.integer({ min: 3, max: 15 }),
    callsPerDay: fc.integer({ min: 1, max: 30 }),
    visitsPerDay: fc.integer({ min: 1, max: 5 }),
    custom: fc.option(fc.tuple(intervalArb, intervalArb, intervalArb), { nil: undefined }),
  });

  it('keeps consecutive touches within ±20% of the interval, on working days, within capacity', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const accounts: PlanAccount[] = scenario.accounts.map((a, i) => ({
          id: `p${i}`,
          tier: a.tier,
          city: a.city,
          district: a.district,
          score: a.score,
          lastTouchOn: {
            call: a.lastCall === undefined ? null : shiftDate(scenario.from, a.lastCall),
            visit: a.lastVisit === undefined ? null : shiftDate(scenario.from, a.lastVisit),
          },
        }));
        const cadence: TCadenceRule[] = scenario.custom
          ? [
              { tier: 'A', channel: 'call', intervalMonths: scenario.custom[0] },
              { tier: 'B', channel: 'visit', intervalMonths: scenario.custom[1] },
              { tier: 'C', channel: 'call', intervalMonths: scenario.custom[2] },
            ]
          : [];
        const table = resolveCadence(cadence);
        const input = {
          accounts,
          from: scenario.from,
          months: scenario.months,
          calendar: china,
          cadence,
          capacity: { callsPerDay: scenario.callsPerDay, visitsPerDay: scenario.visitsPerDay },
        };
        const plan = buildPlan(input);
        const to = addMonthsToDate(scenario.from, scenario.months);

        for (const day of plan.days) {
          if (day.calls > scenario.callsPerDay || day.visits > scenario.visitsPerDay) return false;
        }
        for (const t of plan.touches) {
          if (!china.isWorkingDay(t.dueOn) || t.dueOn < scenario.from || t.dueOn >= to) return false;
        }
        const series = seriesOf(plan.touches);
        const byId = new Map(accounts.map((a) => [a.id, a]));
        for (const [key, dates] of series) {
          const [id, channel] = key.split('/') as [string, TChannel];
          const account = byId.get(id) as PlanAccount;
          const interval = intervalDays(table[account.tier as TTier][channel] as number);
          const last = account.lastTouchOn?.[channel];
          const chain = last && daysBetween(last, scenario.from) <= interval ? [last, ...dates] : dates;
          for (let i = 1; i < chain.length; i++) {
            const gap = daysBetween(chain[i - 1] as string, chain[i] as string);
            // a gap may only exceed the rule where an unplaced touch sits between the two
            const skipped = plan.unplaced.some(
              (u) =>
                u.accountId === id &&
                u.channel === channel &&
                u.targetOn > (chain[i - 1] as string) &&
                u.targetOn < (chain[i] as string),
            );
            if (!skipped && (gap < 0.8 * interval - 1e-9 || gap > 1.2 * interval + 1e-9)) return false;
          }
        }
        // nothing dropped silently: for accounts not overdue, placed + unplaced = what the check requires
        const punctual = accounts.filter((a) =>
          (['call', 'visit'] as const).every((channel) => {
            const last = a.lastTouchOn?.[channel];
            const months = a.tier ? table[a.tier][channel] : null;
            return !last || !months || daysBetween(last, scenario.from) <= intervalDays(months);
          }),
        );
        // (the same workload for both: first touches are spread over the interval among the workload's accounts,
        // so an account's count may depend on which other accounts are planned with it)
        const punctualInput = { ...input, accounts: punctual };
        const check = checkCapacity(punctualInput);
        const punctualPlan = buildPlan(punctualInput);
        const placed = punctualPlan.touches.length;
        const missed = punctualPlan.unplaced.length;
        return placed + missed === check.required.call.total + check.required.visit.total;
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  it("spreads a tier's first touches evenly over the interval, not in bunches as independent hashes fall", () => {
    // 32 A accounts with UUIDv7-like ids (a shared time prefix, as the app makes them), none touched yet: their
    // quarterly visits cover the first quarter evenly, about one every 2.8 days (holidays aside), in every round.
    const accounts = Array.from({ length: 32 }, (_, i) =>
      makePlanAccount(`01a21f${(i * 7919).toString(16).padStart(4, '0')}-dbc0-7885-8c35-355f96e2f08f`, 'A', {
        city: `city ${i}`, // one city each: no grouping of visits pulls them together
      }),
    );
    const plan = buildPlan({ accounts, from: '2026-03-02', calendar: china, capacity: AMPLE });
    const visits = plan.touches.filter((t) => t.channel === 'visit').map((t) => t.dueOn);
    const firstRound = [
      ...new Map(
        plan.touches.filter((t) => t.channel === 'visit').map((t) => [t.accountId, t.dueOn]),
      ).values(),
    ];
    expect(new Set(firstRound).size).toBeGreaterThan(1);
    const sorted = [...plan.touches.filter((t) => t.channel === 'visit')].reduce(
      (first, t) => (first.has(t.accountId) ? first : first.set(t.accountId, t.dueOn)),
      new Map<string, string>(),
    );
    const starts = [...sorted.values()].sort();
    for (let i = 1; i < starts.length; i++) {
      expect(daysBetween(starts[i - 1] as string, starts[i] as string), starts[i]).toBeLessThanOrEqual(7);
    }
    // Per month: the quarter's 32 visits, about 10–11 a month, in every month of the year.
    const perMonth = new Map<string, number>();
    for (const day of visits.filter((d) => d < '2027-03')) {
      perMonth.set(day.slice(0, 7), (perMonth.get(day.slice(0, 7)) ?? 0) + 1);
    }
    expect(
      [...perMonth.values()].every((n) => n >= 8 && n <= 13),
      JSON.stringify([...perMonth]),
    ).toBe(true);
  });

  it('gives never-touched accounts exactly 12 ÷ interval touches when capacity allows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<TTier>('A', 'B', 'C'), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('2025-01-01', '2025-05-06', '2026-02-10', '2026-11-30'),
        (tiers, from) => {
          const accounts = tiers.map((tier, i) =>
            makePlanAccount(`n${i}`, tier, { city: i % 2 ? '北京' : '天津' }),
          );
          const plan = buildPlan({ accounts, from, calendar: china, capacity: AMPLE });
          const expected = { A: 16, B: 6, C: 3 };
          return (
            plan.unplaced.length === 0 &&
            accounts.every(
              (a) => plan.touches.filter((t) => t.accountId === a.id).length === expected[a.tier as TTier],
            )
          );
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
