import type { TChannel } from '../../schemas/common.ts';

/** Consecutive touches of one account on one channel stay within ±20% of the interval. */
export const SPACING_TOLERANCE = 0.2;
/** The preferred band around each target: ±10%, so the next touch's ±20% window always contains its band. */
export const PREFERRED_TOLERANCE = 0.1;
const EPS = 1e-9;

/** FNV-1a hash of id and channel mapped to [0, 1): the account's stable phase within its interval. */
export function phaseOf(accountId: string, channel: TChannel): number {
  return phaseOfHash(idHash(accountId), channel);
}

/** The account id's part of phaseOf (FNV-1a over its characters), to hash an id once for both channels. */
export function idHash(accountId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    h ^= accountId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** phaseOf from the id's hash (idHash). */
export function phaseOfHash(idHashValue: number, channel: TChannel): number {
  let h = idHashValue;
  // The channel as one more "character", then a final avalanche so near ids get unrelated phases.
  h ^= channel === 'call' ? 0x63 : 0x76;
  h = Math.imul(h, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4_294_967_296;
}

/** Where an account's series of touches on one channel starts, in days from the plan's first day. */
export interface SeriesStart {
  /** Target day of the first touch (fractional). */
  firstTarget: number;
  /** The last logged touch (day offset, may be negative), which bounds the first gap; null when none. */
  previous: number | null;
  /** Due before the plan starts: place as early as possible, then continue from where it landed. */
  overdue: boolean;
}

/**
 * Start of a series: from the last logged touch when there is one (due = last + interval), else at a stable
 * hash-based phase in [0, interval) so first touches spread evenly instead of piling up on day one.
 */
export function seriesStart(
  accountId: string,
  channel: TChannel,
  intervalDays: number,
  lastTouchDay: number | null,
): SeriesStart {
  return seriesStartAt(lastTouchDay === null ? phaseOf(accountId, channel) : 0, intervalDays, lastTouchDay);
}

/** seriesStart with the phase already computed (phaseOf), for callers that count many intervals. */
export function seriesStartAt(phase: number, intervalDays: number, lastTouchDay: number | null): SeriesStart {
  if (lastTouchDay === null) return { firstTarget: phase * intervalDays, previous: null, overdue: false };
  const due = lastTouchDay + intervalDays;
  if (due < 0) return { firstTarget: 0, previous: null, overdue: true };
  return { firstTarget: due, previous: lastTouchDay, overdue: false };
}

/** True when target k of a series (first + k·interval) falls before `targetEnd`; the one test for "in the plan". */
export function isTarget(first: number, k: number, intervalDays: number, targetEnd: number): boolean {
  return first + k * intervalDays < targetEnd - EPS;
}

/** Number of targets first + k·interval (k >= 0) before day offset `targetEnd` (as placeSeries walks them). */
export function countTargets(start: SeriesStart, intervalDays: number, targetEnd: number): number {
  const first = start.firstTarget;
  if (!isTarget(first, 0, intervalDays, targetEnd)) return 0;
  let n = Math.max(1, Math.floor((targetEnd - first) / intervalDays));
  while (n > 1 && !isTarget(first, n - 1, intervalDays, targetEnd)) n--;
  while (isTarget(first, n, intervalDays, targetEnd)) n++;
  return n;
}

/** First day a touch may use: its target − tolerance·interval, after the gap rule from the previous touch, >= 0. */
export function windowStart(
  target: number,
  previous: number | null,
  interval: number,
  tolerance: number,
): number {
  const lo = Math.max(0, Math.ceil(target - tolerance * interval - EPS));
  return previous === null
    ? lo
    : Math.max(lo, Math.ceil(previous + (1 - SPACING_TOLERANCE) * interval - EPS));
}

/** Last day a touch may use: its target + tolerance·interval, before the gap rule's end and the horizon's. */
export function windowEnd(
  target: number,
  previous: number | null,
  interval: number,
  tolerance: number,
  days: number,
): number {
  const hi = Math.min(days - 1, Math.floor(target + tolerance * interval + EPS));
  return previous === null
    ? hi
    : Math.min(hi, Math.floor(previous + (1 + SPACING_TOLERANCE) * interval + EPS));
}
