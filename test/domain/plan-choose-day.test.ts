import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AreaCounts,
  book,
  type ChannelGrid,
  chooseDay,
  createGrid,
  type NextTouch,
  NO_CAPACITY,
  NO_WORKING_DAY,
  weekLevels,
  weeksOf,
} from '../../src/domain/plan/day-grid.ts';
import { SPACING_TOLERANCE, windowEnd, windowStart } from '../../src/domain/plan/series.ts';

// chooseDay looks at the preferred band first and tests "leaves room for the next touch" once for the whole window
// when it can (2026-11-28 speed pass). Its answer must stay the one of the plain rule it documents: the free working
// day with the lowest (rank, load, distance to the target, day), where rank = 16 when the day leaves the next touch
// no working day + 8 when its week is at its cap (week levels, visits) + 2 × grouping class + 1 outside the band.
// This reference is that rule, day by day.

function referenceAreaClass(area: AreaCounts | undefined, load: Int32Array, d: number): number {
  if (!area) return 0;
  if (area.district) {
    if ((area.district[d] as number) > 0) return 0;
    if (load[d] === 0) return 1;
    return area.city && (area.city[d] as number) > 0 ? 2 : 3;
  }
  if (area.city && (area.city[d] as number) > 0) return 0;
  return load[d] === 0 ? 1 : 3;
}

function referenceLeavesRoom(grid: ChannelGrid, d: number, next: NextTouch | undefined): boolean {
  if (!next || next.target >= grid.targetEnd) return true;
  const lo = Math.max(windowStart(next.target, d, next.interval, SPACING_TOLERANCE), 0);
  const hi = windowEnd(next.target, d, next.interval, SPACING_TOLERANCE, grid.days);
  for (let x = lo; x <= hi; x++) if (grid.working[x] === 1) return true;
  return false;
}

function referenceChooseDay(
  grid: ChannelGrid,
  lo: number,
  hi: number,
  bandLo: number,
  bandHi: number,
  target: number,
  area: AreaCounts | undefined,
  next: NextTouch | undefined,
): number {
  let best = -1;
  let bestKey: number[] = [];
  for (let d = lo; d <= hi; d++) {
    if (grid.working[d] !== 1 || (grid.load[d] as number) >= grid.capacity) continue;
    const week = grid.weeks ? (grid.weeks.weekOf[d] as number) : -1;
    const fullWeek = grid.weeks
      ? (grid.weeks.load[week] as number) >= (grid.weeks.cap[week] as number)
      : false;
    const rank =
      (referenceLeavesRoom(grid, d, next) ? 0 : 16) +
      (fullWeek ? 8 : 0) +
      referenceAreaClass(area, grid.load, d) * 2 +
      (d >= bandLo && d <= bandHi ? 0 : 1);
    const key = [rank, grid.load[d] as number, Math.abs(d - target)];
    const better =
      best === -1 ||
      key[0]! < bestKey[0]! ||
      (key[0] === bestKey[0] && key[1]! < bestKey[1]!) ||
      (key[0] === bestKey[0] && key[1] === bestKey[1] && key[2]! < bestKey[2]!);
    if (better) {
      best = d;
      bestKey = key;
    }
  }
  if (best !== -1) return best;
  for (let d = lo; d <= hi; d++) if (grid.working[d] === 1) return NO_CAPACITY;
  return NO_WORKING_DAY;
}

const scenarioArb = fc
  .record({
    days: fc.integer({ min: 20, max: 160 }),
    // Working days with holidays of up to three weeks, so that some windows leave the next touch no working day.
    holidays: fc.array(fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 21 }) }), {
      maxLength: 4,
    }),
    capacity: fc.integer({ min: 1, max: 4 }),
    loads: fc.array(fc.nat(5), { minLength: 160, maxLength: 160 }),
    district: fc.array(fc.nat(2), { minLength: 160, maxLength: 160 }),
    city: fc.array(fc.nat(2), { minLength: 160, maxLength: 160 }),
    areaKind: fc.constantFrom('none', 'city', 'district'),
    interval: fc.constantFrom(7.5, 15, 30.416666666666668, 60.833333333333336),
    target: fc.double({ min: 0, max: 160, noNaN: true }),
    previous: fc.option(fc.integer({ min: -40, max: 140 }), { nil: null }),
    withNext: fc.boolean(),
    targetEnd: fc.integer({ min: 10, max: 200 }),
    taken: fc.array(fc.nat(159), { maxLength: 40 }),
    // Week levels: none, or a day number for day 0 (its weekday) and a workload per day that sets the caps.
    weeks: fc.option(
      fc.record({
        firstDay: fc.integer({ min: 19_000, max: 21_000 }),
        perDay: fc.double({ min: 0, max: 3, noNaN: true }),
      }),
      { nil: null },
    ),
  })
  .map((s) => {
    const working = new Uint8Array(s.days);
    for (let d = 0; d < s.days; d++) working[d] = d % 7 === 5 || d % 7 === 6 ? 0 : 1;
    for (const h of s.holidays) {
      for (let d = h.at % s.days; d < Math.min(s.days, (h.at % s.days) + h.length); d++) working[d] = 0;
    }
    const load = new Int32Array(s.days);
    for (let d = 0; d < s.days; d++)
      load[d] = working[d] === 1 ? Math.min(s.loads[d] as number, s.capacity) : 0;
    return { ...s, working, load };
  });

/** Gives the grid week levels for `perDay` touches a working day, with the loads it has counted into its weeks. */
function withWeekLevels(grid: ChannelGrid, weeks: { firstDay: number; perDay: number } | null): void {
  if (!weeks) return;
  const working = grid.workingBefore[grid.days] as number;
  grid.weeks = weekLevels(grid, weeks.firstDay, weeks.perDay * working, grid.days);
  for (let d = 0; d < grid.days; d++) {
    const w = grid.weeks.weekOf[d] as number;
    grid.weeks.load[w] = (grid.weeks.load[w] as number) + (grid.load[d] as number);
  }
}

describe('week levels', () => {
  it('count weeks from Monday and cap each at its share, at least one day’s capacity', () => {
    // 2025-03-05 is a Wednesday (day number 20152): days 0–4 are its week, day 5 (Monday 03-10) the next
    expect([...weeksOf(20_152, 8)]).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    const working = Uint8Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // 16 touches over 8 working days (the first 10 days): 2 a working day
    const levels = weekLevels(createGrid('visit', working, 3, 19), 20_152, 16, 10);
    // week 0: 3 working days → 6; week 1: 5 → 10; week 2: none → 0
    expect([...levels.cap]).toEqual([6, 10, 0]);
    // a small share still allows one day's capacity
    expect([...weekLevels(createGrid('visit', working, 3, 19), 20_152, 1, 10).cap]).toEqual([3, 3, 0]);
  });
});

describe('chooseDay picks the day the plain rule picks', () => {
  it('for calls and visits, in and out of the band, near holidays and full days', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const grid = createGrid('visit', s.working, s.capacity, s.targetEnd, s.load);
        withWeekLevels(grid, s.weeks);
        const counts = (values: number[]) => Uint16Array.from(values.slice(0, s.days));
        const area: AreaCounts | undefined =
          s.areaKind === 'none'
            ? undefined
            : { city: counts(s.city), district: s.areaKind === 'district' ? counts(s.district) : undefined };
        const target = Math.min(s.target, s.days - 1);
        const lo = windowStart(target, s.previous, s.interval, SPACING_TOLERANCE);
        const hi = windowEnd(target, s.previous, s.interval, SPACING_TOLERANCE, s.days);
        if (lo > hi) return;
        const bandLo = windowStart(target, s.previous, s.interval, 0.1);
        const bandHi = windowEnd(target, s.previous, s.interval, 0.1, s.days);
        const next = s.withNext ? { target: target + s.interval, interval: s.interval } : undefined;
        const expected = referenceChooseDay(grid, lo, hi, bandLo, bandHi, target, area, next);
        expect(chooseDay(grid, lo, hi, bandLo, bandHi, target, area, 'report', next)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('after many bookings on the same grid (the free-day links are compressed as it fills)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const grid = createGrid('call', s.working, s.capacity, s.targetEnd, s.load);
        withWeekLevels(grid, s.weeks);
        for (const raw of s.taken) {
          const target = raw % s.days;
          const lo = windowStart(target, null, s.interval, SPACING_TOLERANCE);
          const hi = windowEnd(target, null, s.interval, SPACING_TOLERANCE, s.days);
          const bandLo = windowStart(target, null, s.interval, 0.1);
          const bandHi = windowEnd(target, null, s.interval, 0.1, s.days);
          const next = s.withNext ? { target: target + s.interval, interval: s.interval } : undefined;
          const expected = referenceChooseDay(grid, lo, hi, bandLo, bandHi, target, undefined, next);
          const day = chooseDay(grid, lo, hi, bandLo, bandHi, target, undefined, 'report', next);
          expect(day).toBe(expected);
          if (day >= 0) book(grid, day);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
