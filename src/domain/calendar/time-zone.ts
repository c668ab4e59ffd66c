import { fromDayNumber, type LocalDate } from './local-date.ts';

/** The workspace's default time zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * The local calendar date of the instant `now` in `timeZone` (IANA name), e.g. todayIn('Asia/Shanghai', now).
 * Asking Intl for the date costs 5–7 µs (formatToParts), and planning reads a last touch per account and channel:
 * so the date comes from a table of the zone's UTC offsets (see localDateAt) and is plain arithmetic.
 */
export function todayIn(timeZone: string, now: Date): LocalDate {
  return localDateAt(timeZone, now.getTime());
}

/**
 * todayIn for an instant in ms since the epoch (e.g. Date.parse of a stored ISO instant, without a Date object).
 *
 * Each zone's offsets are kept per span of CHUNK_DAYS UTC days, worked out with Intl the first time an instant of
 * the span is asked for: the offset at every UTC midnight of the span, and where two neighbours differ the exact
 * second of each change between them, by binary search. So an instant's offset is that of the last change at or
 * before it, on daylight-saving days too, and the local date of `ms + offset` is arithmetic (the span's date
 * strings are kept as well). The one thing daily samples cannot see is an offset that changes and changes back
 * within one UTC day (assumed not to happen, as the per-day cache before this table assumed). Instants outside
 * 1900–2199 go straight to Intl (before: local mean times with odd seconds, Date.UTC's two-digit years; after:
 * rarely asked, each would cost a span), as does NaN (which throws its RangeError). test/domain/time-zone.test.ts
 * checks the table against Intl.
 */
export function localDateAt(timeZone: string, ms: number): LocalDate {
  if (!(ms >= CACHED_FROM_MS && ms < CACHED_UNTIL_MS)) return exactTodayIn(timeZone, new Date(ms));
  const chunk = chunkAt(timeZone, ms);
  const offset = offsetIn(chunk, ms);
  const day = Math.floor((ms + offset) / DAY_MS);
  // Offsets stay within a day, so the local day is the span's days give or take one.
  const slot = day - chunk.firstDay + 1;
  let date = chunk.dates[slot];
  if (date === undefined) {
    date = fromDayNumber(day);
    if (slot >= 0 && slot < chunk.dates.length) chunk.dates[slot] = date;
  }
  return date;
}

/**
 * The zone's offset from UTC at the instant `ms` (local minus UTC, in ms; whole seconds), from the same table as
 * localDateAt (straight from Intl outside 1900–2199).
 */
export function utcOffsetAt(timeZone: string, ms: number): number {
  if (!(ms >= CACHED_FROM_MS && ms < CACHED_UNTIL_MS)) return offsetAt(timeZone, ms);
  return offsetIn(chunkAt(timeZone, ms), ms);
}

/** The span of `ms` in the zone's table (the last one used when it is that). */
function chunkAt(timeZone: string, ms: number): ZoneChunk {
  let chunk = lastChunk;
  if (chunk === null || lastZone !== timeZone || ms < chunk.startMs || ms >= chunk.startMs + CHUNK_MS) {
    chunk = zoneChunk(timeZone, Math.floor(ms / CHUNK_MS));
    lastZone = timeZone;
    lastChunk = chunk;
  }
  return chunk;
}

function offsetIn(chunk: ZoneChunk, ms: number): number {
  let offset = chunk.offset;
  const at = chunk.changesAt;
  for (let i = 0; i < at.length && ms >= (at[i] as number); i++) offset = chunk.offsets[i] as number;
  return offset;
}

const DAY_MS = 86_400_000;
const CACHED_FROM_MS = Date.UTC(1900, 0, 2);
const CACHED_UNTIL_MS = Date.UTC(2200, 0, 1);
/** UTC days per span of the offset table: 64 days cost 65 offsets from Intl plus ~18 per change. */
const CHUNK_DAYS = 64;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;
/** A bound on a zone's table (1900–2199 is 1,712 spans); it starts over beyond it. */
const MAX_CHUNKS = 6_000;

/** A zone's offsets (local minus UTC, ms) over CHUNK_DAYS UTC days from startMs. */
interface ZoneChunk {
  startMs: number;
  firstDay: number;
  /** The offset at startMs. */
  offset: number;
  /** The instants (ascending) from which the offset is offsets[i], within the span. */
  changesAt: number[];
  offsets: number[];
  /** Local dates by day − firstDay + 1, made when first asked for. */
  dates: (LocalDate | undefined)[];
}

const zoneChunks = new Map<string, Map<number, ZoneChunk>>();
// The span used last (planning asks for instants of one zone, mostly of a few months).
let lastZone = '';
let lastChunk: ZoneChunk | null = null;

function zoneChunk(timeZone: string, index: number): ZoneChunk {
  let chunks = zoneChunks.get(timeZone);
  if (!chunks) {
    chunks = new Map();
    zoneChunks.set(timeZone, chunks);
  }
  let chunk = chunks.get(index);
  if (!chunk) {
    chunk = buildChunk(timeZone, index);
    if (chunks.size >= MAX_CHUNKS) chunks.clear();
    chunks.set(index, chunk);
  }
  return chunk;
}

function buildChunk(timeZone: string, index: number): ZoneChunk {
  const startMs = index * CHUNK_MS;
  const firstDay = index * CHUNK_DAYS;
  const changesAt: number[] = [];
  const offsets: number[] = [];
  const first = offsetAt(timeZone, startMs);
  let before = first;
  for (let d = 1; d <= CHUNK_DAYS; d++) {
    const end = startMs + d * DAY_MS;
    const after = offsetAt(timeZone, end);
    // Each change between the previous midnight and this one: the first second with a new offset.
    let from = end - DAY_MS;
    let current = before;
    while (current !== after) {
      let lo = from;
      let hi = end;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(timeZone, mid) === current) lo = mid;
        else hi = mid;
      }
      current = offsetAt(timeZone, hi);
      // A change at the next span's first instant belongs to that span.
      if (hi < startMs + CHUNK_MS) {
        changesAt.push(hi);
        offsets.push(current);
      }
      from = hi;
    }
    before = after;
  }
  return { startMs, firstDay, offset: first, changesAt, offsets, dates: new Array(CHUNK_DAYS + 2) };
}

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
