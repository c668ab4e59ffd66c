import { describe, expect, it } from 'vitest';
import { intervalDays } from '../../src/domain/cadence/cadence-rules.ts';
import { type LocalDate, shiftDate, toDayNumber } from '../../src/domain/calendar/local-date.ts';
import { createWorkingCalendar } from '../../src/domain/calendar/working-calendar.ts';
import { replanAccount } from '../../src/domain/plan/build-plan.ts';
import { type TierChangeChannel, tierChangeStart } from '../../src/domain/plan/tier-change.ts';

// Weekends only: Friday 2026-11-27 is today, the plan runs to 2027-10-30.
const weekends = createWorkingCalendar({ country: 'none' });
const TODAY = '2026-11-27';
const UNTIL = '2027-10-30';
const A_CALL = intervalDays(1);
const B_CALL = intervalDays(3);
const C_CALL = intervalDays(6);

function start(
  input: Partial<TierChangeChannel> & Pick<TierChangeChannel, 'next' | 'interval' | 'promotion'>,
) {
  return tierChangeStart({ lastLogged: null, today: TODAY, until: UNTIL, calendar: weekends, ...input });
}

/** The day offset from today. */
const inDays = (date: LocalDate) => toDayNumber(date) - toDayNumber(TODAY);

describe('tierChangeStart: where a channel re-planned on a new tier starts', () => {
  it('without a logged touch, a promotion keeps a next touch due within the new first window', () => {
    // C → B, never called, next call in 17 days: anchored at today it went to ~3 months from today.
    expect(start({ next: '2026-12-14', interval: B_CALL, promotion: true })).toEqual({ keep: '2026-12-14' });
    // Up to 1.2 new intervals ahead it stays too.
    const edge = shiftDate(TODAY, Math.floor(1.2 * B_CALL));
    expect(weekends.isWorkingDay(edge)).toBe(true);
    expect(start({ next: edge, interval: B_CALL, promotion: true })).toEqual({ keep: edge });
  });

  it('without a logged touch, a promotion brings a next touch beyond the new first window forward from today', () => {
    const next = '2027-05-03';
    expect(inDays(next)).toBeGreaterThan(1.2 * B_CALL);
    expect(start({ next, interval: B_CALL, promotion: true })).toEqual({ loggedOn: TODAY });
  });

  it('without a logged touch, a demotion keeps the next date', () => {
    expect(start({ next: '2027-01-04', interval: C_CALL, promotion: false })).toEqual({ keep: '2027-01-04' });
    expect(start({ next: TODAY, interval: C_CALL, promotion: false })).toEqual({ keep: TODAY });
  });

  it('with a logged touch, the series continues from it, and a promotion does not move the next touch later', () => {
    // Beyond the window from the log: planned from the log (the window lies before the next touch).
    expect(
      start({ lastLogged: '2026-10-20', next: '2027-04-20', interval: B_CALL, promotion: true }),
    ).toEqual({
      loggedOn: '2026-10-20',
    });
    // Inside it: it stays.
    const inside = shiftDate('2026-10-20', 97);
    expect(weekends.isWorkingDay(inside)).toBe(true);
    expect(start({ lastLogged: '2026-10-20', next: inside, interval: B_CALL, promotion: true })).toEqual({
      keep: inside,
    });
    // Before it (the window from the log starts after the next touch): the next touch stays, not delayed.
    expect(
      start({ lastLogged: '2026-11-20', next: '2026-12-10', interval: B_CALL, promotion: true }),
    ).toEqual({
      keep: '2026-12-10',
    });
    // A demotion continues from the log: the next touch moves later.
    expect(
      start({ lastLogged: '2026-11-20', next: '2026-12-10', interval: C_CALL, promotion: false }),
    ).toEqual({
      loggedOn: '2026-11-20',
    });
  });

  it('a promotion already due at the new cadence is placed from today, no later than the next touch', () => {
    expect(
      start({ lastLogged: '2026-07-01', next: '2026-12-14', interval: A_CALL, promotion: true }),
    ).toEqual({
      loggedOn: '2026-07-01',
      firstBy: '2026-12-14',
    });
  });

  it('a next touch already overdue gives way to the first working day from today with room', () => {
    const result = start({ next: '2026-11-20', interval: B_CALL, promotion: true });
    expect('keep' in result || 'firstBy' in result).toBe(false);
    // Anchored one interval before the overdue touch: the series is overdue, placed as early as possible from today.
    const anchor = (result as { loggedOn: LocalDate }).loggedOn;
    expect(toDayNumber(anchor) + B_CALL).toBeLessThan(toDayNumber(TODAY));
  });

  it('a next touch on a day now off is not kept', () => {
    const calendar = createWorkingCalendar({ country: 'none', customDaysOff: ['2027-01-04'] });
    const result = start({ next: '2027-01-04', interval: C_CALL, promotion: false, calendar });
    expect('keep' in result).toBe(false);
  });

  it('without an open touch, the series starts from the last logged touch, or today', () => {
    expect(start({ next: null, interval: B_CALL, promotion: true })).toEqual({ loggedOn: TODAY });
    expect(start({ lastLogged: '2026-10-01', next: null, interval: B_CALL, promotion: true })).toEqual({
      loggedOn: '2026-10-01',
    });
  });
});

describe('replanAccount: firstBy', () => {
  const account = { id: 'acc-1', tier: 'A' as const, city: null, district: null };

  it('an overdue series takes the first day with room, but never after firstBy (overbooked if need be)', () => {
    // Every working day of the next two weeks is full.
    const full = (date: LocalDate) =>
      date < shiftDate(TODAY, 14) ? Array.from({ length: 40 }, () => ({ city: null, district: null })) : [];
    const base = {
      account,
      channel: 'call' as const,
      loggedOn: '2026-07-01',
      from: TODAY,
      until: UNTIL,
      calendar: weekends,
      bookedOn: full,
      overflow: 'overbook' as const,
    };
    const free = replanAccount(base).touches[0]?.dueOn as string;
    expect(free >= shiftDate(TODAY, 14)).toBe(true);
    const firstBy = '2026-12-02';
    const capped = replanAccount({ ...base, firstBy }).touches;
    expect((capped[0]?.dueOn as string) >= TODAY && (capped[0]?.dueOn as string) <= firstBy).toBe(true);
  });

  it('the first touch of a series from a last touch stays in its window and on or before firstBy', () => {
    const loggedOn = shiftDate(TODAY, -10);
    const firstBy = shiftDate(loggedOn, Math.ceil(0.8 * A_CALL) + 2);
    // Days near the target are full: without the cap the planner would pick one of the emptier later days.
    const bookedOn = (date: LocalDate) =>
      date <= firstBy ? Array.from({ length: 39 }, () => ({ city: null, district: null })) : [];
    const base = {
      account,
      channel: 'call' as const,
      loggedOn,
      from: TODAY,
      until: UNTIL,
      calendar: weekends,
      bookedOn,
    };
    const free = replanAccount(base).touches[0]?.dueOn as string;
    expect(free > firstBy).toBe(true);
    const first = replanAccount({ ...base, firstBy }).touches[0]?.dueOn as string;
    expect(first <= firstBy).toBe(true);
    expect(first >= shiftDate(loggedOn, Math.ceil(0.8 * A_CALL))).toBe(true);
    expect(weekends.isWorkingDay(first)).toBe(true);
  });
});
