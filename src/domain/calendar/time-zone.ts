import type { LocalDate } from './local-date.ts';

/** The workspace's default time zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * The local calendar date of the instant `now` in `timeZone` (IANA name), e.g. todayIn('Asia/Shanghai', now).
 * Asking Intl for the date costs 5–7 µs (formatToParts), and planning reads a last touch per account and channel
 * (0.7 s at 100k accounts): so the zone's UTC offset is worked out once per UTC day and kept, and the date is
 * plain arithmetic. A day whose offset differs between its first and last millisecond (a daylight-saving change)
 * is not cached: every instant on it is asked of Intl, as before.
 */
export function todayIn(timeZone: string, now: Date): LocalDate {
  const ms = now.getTime();
  // Outside 1900–9999 (local mean times with odd seconds, Date.UTC's two-digit years): straight from Intl.
  if (!(ms >= CACHED_FROM_MS && ms < CACHED_UNTIL_MS)) return exactTodayIn(timeZone, now);
  const day = Math.floor(ms / DAY_MS);
  let offsets = dayOffsets.get(timeZone);
  if (!offsets) {
    offsets = new Map();
    dayOffsets.set(timeZone, offsets);
  }
  let offset = offsets.get(day);
  if (offset === undefined) {
    const first = offsetAt(timeZone, day * DAY_MS);
    offset = first === offsetAt(timeZone, day * DAY_MS + DAY_MS - 1) ? first : null;
    if (offsets.size >= MAX_CACHED_DAYS) offsets.clear();
    offsets.set(day, offset);
  }
  if (offset === null) return exactTodayIn(timeZone, now);
  const local = new Date(ms + offset);
  const year = local.getUTCFullYear();
  return `${String(year).padStart(4, '0')}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;
const CACHED_FROM_MS = Date.UTC(1900, 0, 2);
const CACHED_UNTIL_MS = Date.UTC(9999, 11, 31);
/** Per zone: each UTC day's offset in ms (local minus UTC), or null when it changes during that day. */
const dayOffsets = new Map<string, Map<number, number | null>>();
/** Enough for decades of days per zone; the cache starts over beyond it. */
const MAX_CACHED_DAYS = 20_000;

// One formatter per zone, made once: date-fns' tz() builds a zoned date per call (~22 µs each), which made
// reading a year of logged touches cost seconds (the goals of a rep with 100,000 accounts in the workspace).
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's local date and time of day, as numbers in parts (ISO calendar, Latin digits, 0–23 hours). */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      calendar: 'iso8601',
      numberingSystem: 'latn',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at the instant `ms` (whole seconds), in ms, as Intl reports the local time. */
function offsetAt(timeZone: string, ms: number): number {
  const formatter = zoneFormatter(timeZone);
  const at = Math.floor(ms / 1000) * 1000;
  const field: Record<string, number> = {};
  for (const part of formatter.formatToParts(at))
    if (part.type !== 'literal') field[part.type] = Number(part.value);
  const local = Date.UTC(
    field.year as number,
    (field.month as number) - 1,
    field.day as number,
    field.hour as number,
    field.minute as number,
    field.second as number,
  );
  return local - at;
}

/** todayIn straight from Intl: the instant's date parts in the zone. */
function exactTodayIn(timeZone: string, now: Date): LocalDate {
  let year = '';
  let month = '';
  let day = '';
  for (const part of zoneFormatter(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
