import type { TCadenceRule } from '../../schemas/cadence.ts';
import type { TChannel, TTier } from '../../schemas/common.ts';
import type { TCapacity } from '../../schemas/plan.ts';
import { type CadenceTable, DAYS_PER_MONTH, intervalDays, toCadenceTable } from '../cadence/cadence-rules.ts';
import { addMonthsToDate, fromDayNumber, type LocalDate, toDayNumber } from '../calendar/local-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { normalizePlace } from '../market/normalize-place.ts';
import {
  type AreaCounts,
  book,
  type ChannelGrid,
  chooseDay,
  createGrid,
  increment,
  type NextTouch,
  NO_WORKING_DAY,
  type OverflowPolicy,
  weekLevels,
  windowWeekLevels,
} from './day-grid.ts';
import {
  idHash,
  isTarget,
  PREFERRED_TOLERANCE,
  phaseOfHash,
  type SeriesStart,
  SPACING_TOLERANCE,
  seriesStartAt,
  windowEnd,
  windowStart,
} from './series.ts';

/** An account as the planner sees it; out-of-market accounts (tier null) get no plan. */
export interface PlanAccount {
  id: string;
  tier: TTier | null;
  city: string | null;
  district: string | null;
  /** Potential score; within a tier, higher scores choose their days first. */
  score?: number | null;
  /** Local date of the last logged touch per channel; the series continues from it. */
  lastTouchOn?: Partial<Record<TChannel, LocalDate | null>>;
  /**
   * Per channel with an open touch due before the plan that the plan keeps (overdue: services/plan.ts sets the plan's
   * first day): that touch is the series' pending one, so the series continues as if it were done on this day when
   * it is later than `lastTouchOn` (the next touch about one interval on, not at once beside it). Unlike a logged
   * touch it leaves the account among the never-touched ones that evenPhases spreads, so their phases, and with them
   * the plans of accounts without such a touch, are what they would be without it.
   */
  pendingOn?: Partial<Record<TChannel, LocalDate | null>>;
  /**
   * Per channel, the days (earliest first) of open touches in the plan that it keeps as they are: booked meetings (a
   * time set; services/plan.ts). buildPlan counts them in their days' load, and the series continues from the last
   * of them as from a pending touch: the next touch about one interval after it, none beside it.
   */
  keptOn?: Partial<Record<TChannel, readonly LocalDate[]>>;
}

/** One planned call or visit. */
export interface PlannedTouch {
  accountId: string;
  channel: TChannel;
  dueOn: LocalDate;
  tier: TTier;
}

/** A touch the planner could not place within its ±20% window; it is reported, never silently dropped. */
export interface UnplacedTouch {
  accountId: string;
  channel: TChannel;
  tier: TTier;
  /** The day it was due (its target). */
  targetOn: LocalDate;
  /** Its allowed window; null when the window lies outside the horizon. */
  windowFrom: LocalDate | null;
  windowTo: LocalDate | null;
  /** 'capacity': every working day in the window is full; 'no-working-day': the window has none. */
  reason: 'capacity' | 'no-working-day';
}

/** Planned load of one day. */
export interface DayLoad {
  date: LocalDate;
  working: boolean;
  calls: number;
  visits: number;
}

/** A generated plan for one workload (one rep, or all in-market accounts). */
export interface Plan {
  from: LocalDate;
  /** Exclusive end: from + months. */
  to: LocalDate;
  /** Grouped by account (A accounts first), not sorted by date. */
  touches: PlannedTouch[];
  unplaced: UnplacedTouch[];
  /** Every day of the horizon, working or not. */
  days: DayLoad[];
  /** Touches placed over capacity (only with overflow 'overbook'). */
  overbooked: number;
}

/** Default daily capacity of one rep (issue 4): 40 calls and 4 visits. */
export const DEFAULT_CAPACITY: TCapacity = { callsPerDay: 40, visitsPerDay: 4 };

export interface BuildPlanInput {
  accounts: readonly PlanAccount[];
  /** First day of the plan. */
  from: LocalDate;
  /** Horizon in months; default 12. */
  months?: number;
  calendar: WorkingCalendar;
  /** Rules (merged over the defaults) or a resolved table; default method §3. */
  cadence?: readonly TCadenceRule[] | CadenceTable;
  capacity?: Partial<TCapacity>;
  /** 'report' (default) lists touches without room as unplaced; 'overbook' puts them on the least-loaded day. */
  overflow?: OverflowPolicy;
}

const TIER_RANK: Record<TTier, number> = { A: 0, B: 1, C: 2 };
const CHANNEL_ORDER: readonly TChannel[] = ['visit', 'call'];

/**
 * Series targets are cut at the nominal horizon, months × 365/12 days, while windows end at the real horizon:
 * a 12-month plan that spans a leap day has 366 days, yet a never-touched account still gets exactly 12 monthly
 * calls; a 6-month plan of 181 days still gets 6 (the last one's window is clipped to the last day).
 */
export function nominalHorizonDays(months: number): number {
  return months * DAYS_PER_MONTH;
}

/**
 * The day offset (from the plan's first day) of the touch an account's series continues from on a channel: the
 * later of its last logged touch and its pending one (`pendingOn`), or null for neither.
 */
export function lastTouchDay(account: PlanAccount, channel: TChannel, firstDay: number): number | null {
  const logged = account.lastTouchOn?.[channel];
  const kept = account.keptOn?.[channel]?.at(-1);
  const open = account.pendingOn?.[channel];
  const pending = kept && (!open || kept > open) ? kept : open;
  const last = pending && (!logged || pending > logged) ? pending : logged;
  return last ? toDayNumber(last) - firstDay : null;
}

/**
 * Where the first touch of each series without a logged touch falls within its interval, per channel: spread evenly
 * over the interval within each tier (the k-th of n accounts at (k + ½) ÷ n, in the order of their id's hash; for
 * visits grouped by city and district first, so one district's visits fall on nearby days), so
 * a rep's first round of calls and visits, and with it every later round, covers the interval evenly instead of
 * bunching as independent hashes do (32 A accounts hashed on their own left 20-day gaps and 13 visits in one month).
 * An account with a logged touch on the channel continues from it and keeps phase 0 here (one with only a pending
 * touch is counted in, its phase unused: the phases of the others do not depend on it). The phases depend only on
 * the set of accounts, not on their order; buildPlan and checkCapacity share them, so counts agree with the plan.
 */
export function evenPhases(accounts: readonly PlanAccount[]): Record<TChannel, Float64Array> {
  const n = accounts.length;
  const phases: Record<TChannel, Float64Array> = { call: new Float64Array(n), visit: new Float64Array(n) };
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = idHash((accounts[i] as PlanAccount).id) >>> 0;
  for (const channel of ['call', 'visit'] as const) {
    const groups = new Map<TTier | null, number[]>();
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const account = accounts[i] as PlanAccount;
      // Spread over the accounts without a logged touch (a pending one, `pendingOn`, keeps its place here).
      if (account.lastTouchOn?.[channel]) continue;
      keys[i] = phaseOfHash(hashes[i] as number, channel);
      let group = groups.get(account.tier);
      if (!group) {
        group = [];
        groups.set(account.tier, group);
      }
      group.push(i);
    }
    const phase = phases[channel];
    // Visits: the accounts of one district next to each other (then by hash), so that their visits fall on nearby
    // days and share one without being pulled out of their weeks (buildPlan levels visits by week).
    const place = channel === 'visit' ? areaKeys(accounts) : null;
    for (const group of groups.values()) {
      group.sort((a, b) => {
        if (place) {
          const pa = place[a] as string;
          const pb = place[b] as string;
          if (pa !== pb) return pa < pb ? -1 : 1;
        }
        const byKey = (keys[a] as number) - (keys[b] as number);
        if (byKey !== 0) return byKey;
        const idA = (accounts[a] as PlanAccount).id;
        const idB = (accounts[b] as PlanAccount).id;
        return idA < idB ? -1 : idA > idB ? 1 : 0;
      });
      for (let rank = 0; rank < group.length; rank++)
        phase[group[rank] as number] = (rank + 0.5) / group.length;
    }
  }
  return phases;
}

/** Normalised place keys by city, then district ('' for none): few distinct places, looked up per account. */
const placeKeys = new Map<string, Map<string, string>>();

/** Each account's place as visits group it (normalized city and district; no city sorts last). */
function areaKeys(accounts: readonly PlanAccount[]): string[] {
  if (placeKeys.size > 10_000) placeKeys.clear();
  const keys = new Array<string>(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const { city, district } = accounts[i] as PlanAccount;
    if (!city) {
      keys[i] = '\uffff';
      continue;
    }
    let districts = placeKeys.get(city);
    if (!districts) {
      districts = new Map();
      placeKeys.set(city, districts);
    }
    const d = district ?? '';
    let key = districts.get(d);
    if (key === undefined) {
      key = `${normalizePlace(city)}\u0000${d ? normalizePlace(d) : ''}`;
      districts.set(d, key);
    }
    keys[i] = key;
  }
  return keys;
}

/** Where a series' placements and misses go. */
interface SeriesSink {
  place(day: number): void;
  miss(target: number, lo: number, hi: number, reason: 'capacity' | 'no-working-day'): void;
}

const missReason = (code: number) => (code === NO_WORKING_DAY ? 'no-working-day' : 'capacity');

/**
 * Places one account's series on one channel: every target in the horizon gets a day or an unplaced entry.
 * `firstHi` (a day offset) is the last day the first touch may take (a re-plan that must not delay it).
 */
function placeSeries(
  grid: ChannelGrid,
  area: AreaCounts | undefined,
  start: SeriesStart,
  interval: number,
  overflow: OverflowPolicy,
  sink: SeriesSink,
  firstHi = Number.POSITIVE_INFINITY,
): void {
  const { days } = grid;
  const next: NextTouch = { target: 0, interval };
  let previous = start.previous;
  let first = start.firstTarget;
  if (start.overdue) {
    // Overdue: as early as possible within one interval, then continue from where it landed.
    const hi = Math.min(days - 1, Math.floor(interval), firstHi);
    const day = chooseDay(grid, 0, hi, 0, hi, 0, area, overflow, undefined, true);
    if (day < 0) {
      sink.miss(0, 0, hi, missReason(day));
      previous = null;
      first = interval;
    } else {
      sink.place(day);
      previous = day;
      first = day + interval;
    }
  }
  for (let k = 0; isTarget(first, k, interval, grid.targetEnd); k++) {
    const target = first + k * interval;
    // The first touch's window ends at firstHi (an overdue series placed its first touch above).
    const last = k === 0 && !start.overdue ? firstHi : days;
    const lo = windowStart(target, previous, interval, SPACING_TOLERANCE);
    const hi = Math.min(windowEnd(target, previous, interval, SPACING_TOLERANCE, days), last);
    if (lo > hi) {
      sink.miss(target, lo, hi, 'no-working-day');
      previous = null;
      continue;
    }
    const bandLo = windowStart(target, previous, interval, PREFERRED_TOLERANCE);
    const bandHi = Math.min(windowEnd(target, previous, interval, PREFERRED_TOLERANCE, days), last);
    next.target = target + interval;
    const day = chooseDay(grid, lo, hi, bandLo, bandHi, target, area, overflow, next);
    if (day < 0) {
      sink.miss(target, lo, hi, missReason(day));
      previous = null;
    } else {
      sink.place(day);
      previous = day;
    }
  }
}

/** The planner's state for the series being placed; one object reused for every series (no closures). */
class PlanSink implements SeriesSink {
  readonly touches: PlannedTouch[] = [];
  readonly unplaced: UnplacedTouch[] = [];
  overbooked = 0;
  accountId = '';
  tier: TTier = 'A';
  channel: TChannel = 'call';
  grid!: ChannelGrid;
  area: AreaCounts | undefined;

  constructor(private readonly dateOf: (day: number) => LocalDate) {}

  place(day: number): void {
    const { grid, area } = this;
    if ((grid.load[day] as number) >= grid.capacity) this.overbooked++;
    book(grid, day);
    if (area?.city) increment(area.city, day);
    if (area?.district) increment(area.district, day);
    this.touches.push({
      accountId: this.accountId,
      channel: this.channel,
      dueOn: this.dateOf(day),
      tier: this.tier,
    });
  }

  miss(target: number, lo: number, hi: number, reason: 'capacity' | 'no-working-day'): void {
    const inside = lo <= hi;
    const targetDay = Math.min(this.grid.days - 1, Math.max(0, Math.round(target)));
    this.unplaced.push({
      accountId: this.accountId,
      channel: this.channel,
      tier: this.tier,
      targetOn: this.dateOf(targetDay),
      windowFrom: inside ? this.dateOf(lo) : null,
      windowTo: inside ? this.dateOf(hi) : null,
      reason,
    });
  }
}

/** Indexes of the accounts with a tier in planning order: A, B, C; higher score first (none last); then id. */
function planningOrder(accounts: readonly PlanAccount[]): number[] {
  const buckets: number[][] = [[], [], []];
  const scores = new Float64Array(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i] as PlanAccount;
    if (account.tier === null) continue;
    const score = account.score;
    scores[i] = score != null && Number.isFinite(score) ? score : Number.NEGATIVE_INFINITY;
    (buckets[TIER_RANK[account.tier]] as number[]).push(i);
  }
  const byScoreThenId = (a: number, b: number) => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    if (sa !== sb) return sa > sb ? -1 : 1;
    const ia = (accounts[a] as PlanAccount).id;
    const ib = (accounts[b] as PlanAccount).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
  return buckets.flatMap((bucket) => bucket.sort(byScoreThenId));
}

/**
 * Generates the contact plan for one workload over `months` (default 12) from `from` (method §3): each
 * in-market account gets its tier's calls and visits at its cadence, only on working days, within the daily
 * capacity. Tier A is placed first. Each series starts at the last logged touch + interval (overdue: as soon
 * as possible), or for a never-touched account at a stable hash phase in [0, interval). Touch k aims at
 * start + k·interval, within ±20% of it and 0.8–1.2 intervals after the previous touch; among those days it
 * prefers one that leaves the next touch a working day, for visits one with visits in the same district (else
 * an empty day, else the same city), one within ±10%, the least-loaded, the nearest (see chooseDay). A touch
 * with no free day is listed in `unplaced` (or overbooked with overflow 'overbook'). A 12-month horizon
 * holds exactly 12 ÷ interval touches per channel for a never-touched account when the plan fits.
 */
export function buildPlan(input: BuildPlanInput): Plan {
  const firstDay = toDayNumber(input.from);
  const to = addMonthsToDate(input.from, input.months ?? 12);
  const working = input.calendar.workingMask(input.from, to);
  const days = working.length;
  const cadence = toCadenceTable(input.cadence);
  const capacity = { ...DEFAULT_CAPACITY, ...input.capacity };
  const overflow = input.overflow ?? 'report';
  const targetEnd = nominalHorizonDays(input.months ?? 12);
  const grids: Record<TChannel, ChannelGrid> = {
    call: createGrid('call', working, capacity.callsPerDay, targetEnd),
    visit: createGrid('visit', working, capacity.visitsPerDay, targetEnd),
  };
  // Visits are levelled by week (see WeekLevels): grouping by district would otherwise pull them into some weeks.
  let visitsWanted = 0;
  for (const account of input.accounts) {
    const months = account.tier ? cadence[account.tier].visit : null;
    if (months) visitsWanted += targetEnd / intervalDays(months);
  }
  grids.visit.weeks = weekLevels(grids.visit, firstDay, visitsWanted, targetEnd);
  const dates: LocalDate[] = new Array(days);
  for (let d = 0; d < days; d++) dates[d] = fromDayNumber(firstDay + d);

  // Visits already placed per day, by district and by city, for grouping; spellings of one place share counts.
  const areaDays = new Map<string, Uint16Array>();
  const counts = (key: string): Uint16Array => {
    let perDay = areaDays.get(key);
    if (!perDay) {
      perDay = new Uint16Array(days);
      areaDays.set(key, perDay);
    }
    return perDay;
  };
  const areas = new Map<string, AreaCounts>();
  const areaOf = (city: string, district: string | null): AreaCounts => {
    const raw = `${city}\u0000${district ?? ''}`;
    let area = areas.get(raw);
    if (!area) {
      const cityKey = normalizePlace(city);
      area = {
        city: counts(cityKey),
        district: district ? counts(`${cityKey}\u0000${normalizePlace(district)}`) : undefined,
      };
      areas.set(raw, area);
    }
    return area;
  };

  // The kept touches (booked meetings) take their days' room first, whatever the capacity (the customer chose them).
  for (const account of input.accounts) {
    if (!account.keptOn || account.tier === null) continue;
    for (const channel of CHANNEL_ORDER) {
      for (const on of account.keptOn[channel] ?? []) {
        const day = toDayNumber(on) - firstDay;
        if (day < 0 || day >= days) continue;
        book(grids[channel], day);
        if (channel === 'visit' && account.city) {
          const area = areaOf(account.city, account.district);
          if (area.city) increment(area.city, day);
          if (area.district) increment(area.district, day);
        }
      }
    }
  }

  const sink = new PlanSink((day) => dates[day] as LocalDate);
  const phases = evenPhases(input.accounts);
  for (const index of planningOrder(input.accounts)) {
    const account = input.accounts[index] as PlanAccount;
    const tier = account.tier as TTier;
    sink.accountId = account.id;
    sink.tier = tier;
    for (const channel of CHANNEL_ORDER) {
      const months = cadence[tier][channel];
      if (!months) continue;
      const interval = intervalDays(months);
      const area = channel === 'visit' && account.city ? areaOf(account.city, account.district) : undefined;
      sink.channel = channel;
      sink.grid = grids[channel];
      sink.area = area;
      const last = lastTouchDay(account, channel, firstDay);
      const start = seriesStartAt(phases[channel][index] as number, interval, last);
      placeSeries(grids[channel], area, start, interval, overflow, sink);
    }
  }

  const dayLoads: DayLoad[] = new Array(days);
  for (let d = 0; d < days; d++) {
    dayLoads[d] = {
      date: dates[d] as string,
      working: working[d] === 1,
      calls: grids.call.load[d] as number,
      visits: grids.visit.load[d] as number,
    };
  }
  return {
    from: input.from,
    to,
    touches: sink.touches,
    unplaced: sink.unplaced,
    days: dayLoads,
    overbooked: sink.overbooked,
  };
}

/** Another account's planned touch on a day, as replanAccount needs it (place only matters for visits). */
export interface BookedTouch {
  city: string | null;
  district: string | null;
}

export interface ReplanInput {
  account: PlanAccount;
  channel: TChannel;
  /** Local date of the touch just logged; the next one is due one interval later. */
  loggedOn: LocalDate;
  /**
   * First day a touch may take (today), for a re-plan made after the log rather than at it (a back-dated log; a tier
   * changed by hand, with `loggedOn` tierChangeStart's anchor): the series continues from `loggedOn` as buildPlan's
   * continues from the last touch (due one interval after it, within ±20%, none before `from`; already due before
   * `from`: as early as possible from it, then on from where it landed). Absent, or not after `loggedOn`: the day
   * after the log.
   */
  from?: LocalDate;
  /**
   * Last day the first touch may take (a tier promoted by hand must not delay the next touch; see
   * tierChangeStart): its window, or an overdue series' first interval, ends there. The caller makes sure the
   * window keeps a working day.
   */
  firstBy?: LocalDate;
  /** Exclusive end of the committed plan's horizon; no touch is planned on or after it. */
  until: LocalDate;
  calendar: WorkingCalendar;
  cadence?: readonly TCadenceRule[] | CadenceTable;
  /** Daily capacity of this channel; default 40 calls or 4 visits. */
  capacityPerDay?: number;
  /**
   * Other accounts' planned touches on this channel for a date (leave out this account's own old ones). For visits
   * it is also asked for every working day of the calendar weeks the first touch's window overlaps (the week levels).
   */
  bookedOn?: (date: LocalDate) => readonly BookedTouch[];
  overflow?: OverflowPolicy;
}

/**
 * Where a re-planned series lies (replanAccount): day 0 is `firstDay` (a day number, 1970-01-01 = 0), the log or
 * `from`; `days` up to the horizon; the series' start (seriesStartAt, as buildPlan's from the last touch); the
 * first day a touch can take; and the first touch's window [lo, hi] and target, in days from day 0.
 */
export interface ReplanFrame {
  firstDay: number;
  days: number;
  start: SeriesStart;
  firstReachable: number;
  lo: number;
  hi: number;
  target: number;
}

/**
 * The frame of a re-plan with the channel's interval in days (see ReplanFrame), or null when the series has no
 * touch before `until` (no day left, or its first target falls after the horizon). The service reads the other
 * touches of the first touch's window with it, so both see the same window. `firstBy` ends that window (see
 * ReplanInput).
 */
export function replanFrame(
  loggedOn: LocalDate,
  from: LocalDate | undefined,
  until: LocalDate,
  interval: number,
  firstBy?: LocalDate,
): ReplanFrame | null {
  const logged = toDayNumber(loggedOn);
  const firstDay = from === undefined ? logged : Math.max(logged, toDayNumber(from));
  const days = toDayNumber(until) - firstDay;
  if (days <= 1) return null;
  const last = firstBy === undefined ? days : toDayNumber(firstBy) - firstDay;
  // The log is day 0 (the usual re-plan) or lies before it; as buildPlan, a series already due before day 0 is
  // overdue: its first touch as early as possible within one interval.
  const start = seriesStartAt(0, interval, logged - firstDay);
  if (start.overdue)
    return {
      firstDay,
      days,
      start,
      firstReachable: 0,
      lo: 0,
      hi: Math.min(days - 1, Math.floor(interval), last),
      target: 0,
    };
  if (!isTarget(start.firstTarget, 0, interval, days)) return null;
  const lo = windowStart(start.firstTarget, start.previous, interval, SPACING_TOLERANCE);
  const hi = Math.min(windowEnd(start.firstTarget, start.previous, interval, SPACING_TOLERANCE, days), last);
  // Never the log's own day.
  const firstReachable = Math.max(logged - firstDay + 1, lo);
  return { firstDay, days, start, firstReachable, lo, hi, target: start.firstTarget };
}

/**
 * Re-plans one account on one channel after a logged touch: the series restarts at loggedOn + interval with
 * the same rules as buildPlan, respecting the other touches already booked (visits levelled by week over the
 * weeks of the first touch's window). Replace the account's planned touches on that channel after loggedOn with
 * the result. With `from` (today: a tier changed by hand, a back-dated log) no touch falls before it and an overdue
 * series starts there; with `firstBy` the first touch falls no later than it.
 */
export function replanAccount(input: ReplanInput): { touches: PlannedTouch[]; unplaced: UnplacedTouch[] } {
  const { account, channel } = input;
  const tier = account.tier;
  const months = tier ? toCadenceTable(input.cadence)[tier][channel] : null;
  if (!tier || !months) return { touches: [], unplaced: [] };
  const interval = intervalDays(months);
  const frame = replanFrame(input.loggedOn, input.from, input.until, interval, input.firstBy);
  if (!frame) return { touches: [], unplaced: [] };
  const { firstDay, days, firstReachable, lo, hi } = frame;
  const capacity =
    input.capacityPerDay ??
    (channel === 'call' ? DEFAULT_CAPACITY.callsPerDay : DEFAULT_CAPACITY.visitsPerDay);

  // Day 0 is the logged day (or `from`); only days the series can reach are looked at.
  const working = new Uint8Array(days);
  const load = new Int32Array(days);
  const sameCity = channel === 'visit' && account.city ? new Uint16Array(days) : undefined;
  const sameDistrict = sameCity && account.district ? new Uint16Array(days) : undefined;
  const city = account.city ? normalizePlace(account.city) : null;
  const district = account.district ? normalizePlace(account.district) : null;
  for (let d = firstReachable; d < days; d++) {
    if (!input.calendar.isWorkingDayNumber(firstDay + d)) continue;
    working[d] = 1;
    if (!input.bookedOn) continue;
    const booked = input.bookedOn(fromDayNumber(firstDay + d));
    load[d] = booked.length;
    if (!sameCity) continue;
    for (const other of booked) {
      if (!other.city || normalizePlace(other.city) !== city) continue;
      increment(sameCity, d);
      if (sameDistrict && other.district && normalizePlace(other.district) === district)
        increment(sameDistrict, d);
    }
  }
  const grid = createGrid(channel, working, capacity, days, load);
  // Visits are levelled by week as in buildPlan, over the weeks the first touch's window touches (the share from
  // their loads): otherwise a re-planned visit could join a week already above its share for a same-district day.
  if (channel === 'visit' && input.bookedOn && lo <= hi) {
    const { bookedOn, calendar } = input;
    grid.weeks = windowWeekLevels(
      grid,
      firstDay,
      lo,
      hi,
      (d) => (d >= firstReachable && d < days ? working[d] === 1 : calendar.isWorkingDayNumber(firstDay + d)),
      (d) =>
        d >= firstReachable && d < days ? (load[d] as number) : bookedOn(fromDayNumber(firstDay + d)).length,
    );
  }
  const area: AreaCounts | undefined = sameCity ? { city: sameCity, district: sameDistrict } : undefined;
  const sink = new PlanSink((day) => fromDayNumber(firstDay + day));
  sink.accountId = account.id;
  sink.tier = tier;
  sink.channel = channel;
  sink.grid = grid;
  sink.area = area;
  const firstHi = input.firstBy === undefined ? undefined : toDayNumber(input.firstBy) - firstDay;
  placeSeries(grid, area, frame.start, interval, input.overflow ?? 'report', sink, firstHi);
  return { touches: sink.touches, unplaced: sink.unplaced };
}
