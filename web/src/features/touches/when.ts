import { isDayWithin } from '../dates/date-text.ts';

/**
 * When a touch happened, as the log form asks for it: a day and a time on the workspace's clock (the agenda's
 * `timeZone`), sent to the server as an ISO instant with that zone's offset, so the day it lands on is the day
 * the rep picked wherever the browser is.
 */

/**
 * How far ahead of the server's clock a touch may be logged: the server refuses later ones (logTouch in
 * src/services/touches.ts allows five minutes for clocks that differ a little).
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** A day (YYYY-MM-DD) and a time (HH:MM, 24-hour) on a zone's clock. */
export interface WallTime {
  date: string;
  time: string;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, f);
  }
  return f;
}

function zonedFields(timeZone: string, at: Date): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return fields;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The day and time an instant shows on the zone's clock. */
export function wallTimeIn(timeZone: string, at: Date): WallTime {
  const f = zonedFields(timeZone, at);
  return {
    date: `${String(f.year).padStart(4, '0')}-${pad(f.month ?? 1)}-${pad(f.day ?? 1)}`,
    time: `${pad((f.hour ?? 0) % 24)}:${pad(f.minute ?? 0)}`,
  };
}

/** Minutes the zone's clock is ahead of UTC at an instant (+480 for Asia/Shanghai). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const f = zonedFields(timeZone, at);
  const asUtc = Date.UTC(
    f.year ?? 1970,
    (f.month ?? 1) - 1,
    f.day ?? 1,
    (f.hour ?? 0) % 24,
    f.minute ?? 0,
    f.second ?? 0,
  );
  const whole = Math.floor(at.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/**
 * A day and time on the zone's clock as an ISO instant with the zone's offset then:
 * ('2026-11-27', '15:30', 'Asia/Shanghai') → '2026-11-27T15:30:00+08:00'.
 */
export function zonedIso(date: string, time: string, timeZone: string): string {
  const [y = 1970, mo = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, mi = 0] = time.split(':').map(Number);
  const local = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the wall time read as UTC is off by the offset itself; once more at the result finds the
  // right side of a daylight-saving change.
  const first = offsetMinutes(timeZone, new Date(local));
  const offset = offsetMinutes(timeZone, new Date(local - first * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${time}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Whether the server would refuse a touch at `at` as being in the future. */
export function isTooFarAhead(at: string, now: Date): boolean {
  return Date.parse(at) > now.getTime() + FUTURE_TOLERANCE_MS;
}

/** A time an hour before `time` (HH:MM), rounded down to the quarter hour, not before midnight. */
export function earlierTime(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const minutes = Math.max(0, Math.floor((h * 60 + m - 60) / 15) * 15);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export type WhenChoice = 'now' | 'today' | 'yesterday' | 'other';

/** The quick choice a picked day stands for: earlier today, yesterday, or another day. */
export function choiceForDay(date: string, today: string, yesterday: string): Exclude<WhenChoice, 'now'> {
  return date === today ? 'today' : date === yesterday ? 'yesterday' : 'other';
}

const TIME = /^\d{2}:\d{2}$/;

/**
 * Whether a "When" value (null: now) can be sent: the instant to send, or the field that is wrong and why. A date
 * that is no day, or after `today`, is the date field's: it names it itself (date-fields.tsx), and the time field
 * says nothing of it; the time field says a time that is missing or not come yet.
 */
export type WhenCheck = { at?: string } | { wrong: 'date' | 'time'; error: 'invalid' | 'future' };

export function checkWhen(value: WallTime | null, today: string, timeZone: string, now: Date): WhenCheck {
  if (!value) return {};
  if (!isDayWithin(value.date, { maxDate: today })) return { wrong: 'date', error: 'invalid' };
  if (!TIME.test(value.time)) return { wrong: 'time', error: 'invalid' };
  const at = zonedIso(value.date, value.time, timeZone);
  return isTooFarAhead(at, now) ? { wrong: 'time', error: 'future' } : { at };
}
