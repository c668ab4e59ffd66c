import type { TChannel } from '../../schemas/common.ts';
import { SPACING_TOLERANCE, windowEnd, windowStart } from './series.ts';

/** What happens to a touch whose ±20% window has no free capacity. */
export type OverflowPolicy = 'report' | 'overbook';

/** Per-day state of one channel over a plan's days (offsets from its first day). */
export interface ChannelGrid {
  channel: TChannel;
  days: number;
  /** Series targets at or after this day offset belong to the next plan (the nominal horizon, see buildPlan). */
  targetEnd: number;
  working: Uint8Array;
  load: Int32Array;
  capacity: number;
  /** next[d]: the first day >= d that is working and below capacity (days when none); path-compressed. */
  next: Int32Array;
  /** workingBefore[d]: working days in [0, d). */
  workingBefore: Int32Array;
  /** Week leveling (visits in buildPlan): see WeekLevels; absent, days are weighed one by one. */
  weeks?: WeekLevels;
}

/**
 * How full each calendar week (Monday to Sunday) of a grid is against its share of the workload: a day in a week
 * that has reached its cap ranks after every day in a week below it (chooseDay), so grouping visits by district
 * fills days within the week's share instead of pulling a dozen visits into one week and leaving the next empty.
 * The cap is soft: when every day of a window lies in full weeks, the touch still goes on the best of them.
 */
export interface WeekLevels {
  /** weekOf[d]: the calendar week of day d, counted from the grid's first week. */
  weekOf: Int32Array;
  /** Touches booked in each week. */
  load: Int32Array;
  /** Each week's share of the workload, rounded up: its working days × the touches per working day. */
  cap: Int32Array;
}

/** Day offset → calendar week (Monday first) for a grid whose day 0 is the day number `firstDay` (1970-01-01 = 0). */
export function weeksOf(firstDay: number, days: number): Int32Array {
  const mondayOffset = weekdayOf(firstDay);
  const weekOf = new Int32Array(days);
  for (let d = 0; d < days; d++) weekOf[d] = Math.floor((d + mondayOffset) / 7);
  return weekOf;
}

/**
 * Week levels for `total` touches spread over the working days of the grid's first `targetDays` days: each week's
 * cap is its working days × total ÷ working days, rounded up, and at least one day's capacity (a small workload
 * still groups a full day of visits in one district rather than spreading one visit a week).
 */
export function weekLevels(
  grid: ChannelGrid,
  firstDay: number,
  total: number,
  targetDays: number,
): WeekLevels {
  const weekOf = weeksOf(firstDay, grid.days);
  const weeks = grid.days === 0 ? 0 : (weekOf[grid.days - 1] as number) + 1;
  const workingDays = grid.workingBefore[Math.min(grid.days, Math.max(0, Math.ceil(targetDays)))] as number;
  const perDay = workingDays > 0 ? total / workingDays : 0;
  const workingInWeek = new Int32Array(weeks);
  for (let d = 0; d < grid.days; d++)
    if (grid.working[d] === 1) increment(workingInWeek, weekOf[d] as number);
  const cap = new Int32Array(weeks);
  for (let w = 0; w < weeks; w++) {
    const n = workingInWeek[w] as number;
    // The small epsilon keeps an exact share (5 working days × 0.8 a day = 4) from rounding up to 5.
    cap[w] = n === 0 ? 0 : Math.max(grid.capacity, Math.ceil(n * perDay - 1e-9));
  }
  return { weekOf, load: new Int32Array(weeks), cap };
}

/** Weekday of a day number, Monday 0 … Sunday 6 (1970-01-01, day 0, was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** A week that is never full (no cap). */
const UNCAPPED = 0x7fffffff;

/**
 * Week levels for re-planning one series whose first touch may land on day offsets [lo, hi] (replanAccount): only
 * the calendar weeks that overlap the window are capped, each at its working days × the touches per working day of
 * those weeks (the re-planned touch included), rounded up and at least one day's capacity, as buildPlan's share.
 * `loadOn(d)` gives the other touches booked on working day offset d, which may lie before day 0 or past the grid
 * (the weeks' edges). Later weeks are never full: the series' later touches are placed without the others' loads.
 */
export function windowWeekLevels(
  grid: ChannelGrid,
  firstDay: number,
  lo: number,
  hi: number,
  isWorking: (d: number) => boolean,
  loadOn: (d: number) => number,
): WeekLevels {
  const weekOf = weeksOf(firstDay, grid.days);
  const firstWeek = Math.floor((lo + weekdayOf(firstDay)) / 7);
  const monday = lo - weekdayOf(firstDay + lo);
  const sunday = hi + 6 - weekdayOf(firstDay + hi);
  const lastWeek = Math.floor((sunday + weekdayOf(firstDay)) / 7);
  const weeks = Math.max(grid.days === 0 ? 0 : (weekOf[grid.days - 1] as number) + 1, lastWeek + 1);
  const load = new Int32Array(weeks);
  const workingInWeek = new Int32Array(weeks);
  let working = 0;
  let booked = 0;
  for (let d = monday; d <= sunday; d++) {
    if (!isWorking(d)) continue;
    const w = firstWeek + Math.floor((d - monday) / 7);
    const n = loadOn(d);
    working++;
    booked += n;
    workingInWeek[w] = (workingInWeek[w] as number) + 1;
    load[w] = (load[w] as number) + n;
  }
  const perDay = working > 0 ? (booked + 1) / working : 0;
  const cap = new Int32Array(weeks).fill(UNCAPPED);
  for (let w = firstWeek; w <= lastWeek; w++) {
    const n = workingInWeek[w] as number;
    cap[w] = n === 0 ? 0 : Math.max(grid.capacity, Math.ceil(n * perDay - 1e-9));
  }
  return { weekOf, load, cap };
}

/** A grid over `working` days with optional initial loads. */
export function createGrid(
  channel: TChannel,
  working: Uint8Array,
  capacity: number,
  targetEnd: number,
  load?: Int32Array,
): ChannelGrid {
  const days = working.length;
  const next = new Int32Array(days + 1);
  const workingBefore = new Int32Array(days + 1);
  const loads = load ?? new Int32Array(days);
  for (let d = 0; d < days; d++) {
    next[d] = working[d] === 1 && (loads[d] as number) < capacity ? d : d + 1;
    workingBefore[d + 1] = (workingBefore[d] as number) + (working[d] as number);
  }
  next[days] = days;
  return { channel, days, targetEnd, working, load: loads, capacity, next, workingBefore };
}

/** The first working day >= d with free capacity (grid.days when none). */
function freeFrom(grid: ChannelGrid, d: number): number {
  const { next } = grid;
  let x = d;
  while ((next[x] as number) !== x) {
    const up = next[next[x] as number] as number;
    next[x] = up;
    x = up;
  }
  return x;
}

/** Books one touch on day d. */
export function book(grid: ChannelGrid, d: number): void {
  const load = (grid.load[d] as number) + 1;
  grid.load[d] = load;
  if (load >= grid.capacity) grid.next[d] = d + 1;
  const { weeks } = grid;
  if (weeks) increment(weeks.load, weeks.weekOf[d] as number);
}

/** True when day d lies in a week that has reached its cap (never without week levels). */
function inFullWeek(weeks: WeekLevels | undefined, d: number): boolean {
  if (!weeks) return false;
  const w = weeks.weekOf[d] as number;
  return (weeks.load[w] as number) >= (weeks.cap[w] as number);
}

/** Visits already on each day in the account's district and city (for grouping); absent for calls. */
export interface AreaCounts {
  district: Uint16Array | undefined;
  city: Uint16Array | undefined;
}

/** chooseDay's answer when every working day in the window is full. */
export const NO_CAPACITY = -1;
/** chooseDay's answer when the window holds no working day at all. */
export const NO_WORKING_DAY = -2;

/**
 * How well day d groups a visit (lower is better): with a district, same district 0, an empty day 1, same city
 * 2; with a city only, same city 0, an empty day 1; anything else 3. Calls do not group (always 0).
 */
function areaClass(area: AreaCounts | undefined, load: Int32Array, d: number): number {
  if (!area) return 0;
  if (area.district) {
    if ((area.district[d] as number) > 0) return 0;
    if (load[d] === 0) return 1;
    return area.city && (area.city[d] as number) > 0 ? 2 : 3;
  }
  if (area.city && (area.city[d] as number) > 0) return 0;
  return load[d] === 0 ? 1 : 3;
}

/** The touch after the one being placed: its target and the interval, so a choice does not strand it. */
export interface NextTouch {
  target: number;
  interval: number;
}

/** True when placing on `d` leaves the next touch a working day in its ±20% window and gap rule. */
function leavesRoomForNext(grid: ChannelGrid, d: number, next: NextTouch | undefined): boolean {
  if (!next || next.target >= grid.targetEnd) return true;
  const lo = Math.max(windowStart(next.target, d, next.interval, SPACING_TOLERANCE), 0);
  const hi = windowEnd(next.target, d, next.interval, SPACING_TOLERANCE, grid.days);
  return lo <= hi && (grid.workingBefore[hi + 1] as number) - (grid.workingBefore[lo] as number) > 0;
}

/**
 * True when every day in [lo, hi] leaves the next touch a working day (leavesRoomForNext), tested once: the next
 * touch's window after a day d starts no later than after `hi` and ends no earlier than after `lo` (both bounds
 * grow with d), so a working day in the window common to all of them is in each one's. False means "test each
 * day" (most windows hold a working day, so the per-day test runs only near long holidays).
 */
function leavesRoomForAny(grid: ChannelGrid, lo: number, hi: number, next: NextTouch | undefined): boolean {
  if (!next || next.target >= grid.targetEnd) return true;
  const from = Math.max(windowStart(next.target, hi, next.interval, SPACING_TOLERANCE), 0);
  const to = windowEnd(next.target, lo, next.interval, SPACING_TOLERANCE, grid.days);
  return from <= to && (grid.workingBefore[to + 1] as number) - (grid.workingBefore[from] as number) > 0;
}

/** The best day scanDays has found for the touch being placed (one object, reset by chooseDay for each touch). */
const best = { day: -1, rank: 0, load: 0, distance: 0 };

/**
 * Looks at the free working days in [from, to] for the touch being placed, keeping in `best` the one with the
 * lowest (rank, load, distance to the target, day): see chooseDay.
 */
function scanDays(
  grid: ChannelGrid,
  from: number,
  to: number,
  bandLo: number,
  bandHi: number,
  target: number,
  area: AreaCounts | undefined,
  next: NextTouch | undefined,
  roomForAll: boolean,
): void {
  if (from > to) return;
  const { load, weeks } = grid;
  for (let d = freeFrom(grid, from); d <= to; d = freeFrom(grid, d + 1)) {
    const rank =
      (roomForAll || leavesRoomForNext(grid, d, next) ? 0 : 16) +
      (inFullWeek(weeks, d) ? 8 : 0) +
      areaClass(area, load, d) * 2 +
      (d >= bandLo && d <= bandHi ? 0 : 1);
    if (best.day !== -1 && rank > best.rank) continue;
    const l = load[d] as number;
    const distance = Math.abs(d - target);
    if (
      best.day === -1 ||
      rank < best.rank ||
      l < best.load ||
      (l === best.load && distance < best.distance)
    ) {
      best.day = d;
      best.rank = rank;
      best.load = l;
      best.distance = distance;
    }
  }
}

/**
 * Chooses a day for one touch among the free working days of its window [lo, hi], preferring in order: a day
 * that leaves the next touch a working day (a long holiday could otherwise swallow its whole window); with week
 * levels, a day in a week below its share (WeekLevels); for
 * visits, the best grouping (see areaClass: same district, else an empty day, else same city); a day inside the preferred band
 * [bandLo, bandHi]; the least-loaded day; the day nearest the target; the earlier day. With `earliest`, simply
 * the first free working day (overdue touches). Returns the day offset, or NO_CAPACITY / NO_WORKING_DAY; with
 * the 'overbook' policy a full window still yields its least-loaded working day (the caller sees the overload).
 */
export function chooseDay(
  grid: ChannelGrid,
  lo: number,
  hi: number,
  bandLo: number,
  bandHi: number,
  target: number,
  area: AreaCounts | undefined,
  overflow: OverflowPolicy,
  next?: NextTouch,
  earliest = false,
): number {
  if (earliest) {
    const d = freeFrom(grid, lo);
    if (d <= hi) return d;
  } else {
    best.day = -1;
    const roomForAll = leavesRoomForAny(grid, lo, hi, next);
    const inLo = Math.max(lo, bandLo);
    const inHi = Math.min(hi, bandHi);
    if (roomForAll && inLo <= inHi) {
      // Every day leaves room for the next touch, so a day's rank is 8 in a full week + its grouping class × 2
      // + 1 outside the band: the band's days are looked at first, and the others only when one of them could rank
      // lower (a better grouping or a week with room). Ranks inside (even) and outside (odd) never tie, so the order of the scans
      // does not change which day wins.
      scanDays(grid, inLo, inHi, bandLo, bandHi, target, area, next, true);
      if (best.day === -1 || best.rank > 1) {
        scanDays(grid, lo, inLo - 1, bandLo, bandHi, target, area, next, true);
        scanDays(grid, inHi + 1, hi, bandLo, bandHi, target, area, next, true);
      }
    } else scanDays(grid, lo, hi, bandLo, bandHi, target, area, next, roomForAll);
    if (best.day !== -1) return best.day;
  }
  if ((grid.workingBefore[hi + 1] as number) - (grid.workingBefore[lo] as number) <= 0) return NO_WORKING_DAY;
  if (overflow === 'report') return NO_CAPACITY;
  let fallback = -1;
  for (let d = lo; d <= hi; d++) {
    if (grid.working[d] !== 1) continue;
    const l = grid.load[d] as number;
    const f = grid.load[fallback] as number;
    if (fallback === -1 || l < f || (l === f && Math.abs(d - target) < Math.abs(fallback - target)))
      fallback = d;
  }
  return fallback;
}

/** Adds one to a per-day counter. */
export function increment(counts: Int32Array | Uint16Array, day: number): void {
  counts[day] = (counts[day] ?? 0) + 1;
}
