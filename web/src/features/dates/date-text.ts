import { parseTypedDate } from './typed-date.ts';

/**
 * What a date field (date-fields.tsx `DateField`) holds as a text is typed into it. The picker reads the text at
 * every keystroke, so on the way to 2026-02-30 it reads 2026-02-3 as the 3rd; left at that, the field would keep
 * the 3rd silently once the text is no day. Instead a text that is no whole, real day becomes the field's value
 * as typed: a value that is no 'YYYY-MM-DD' day, which the field names in its error (`dates.notADay`) and no form
 * sends (each checks its value is a day). Pure, no time zone.
 */

/** A real day written 'YYYY-MM-DD' (not 2026-02-30). */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseTypedDate(value) === value;
}

export interface DateTextLimits {
  /** An emptied field is emptied (the picker does it itself); otherwise it goes back to its day on leaving it. */
  clearable: boolean;
  /** The earliest and latest days the field takes ('YYYY-MM-DD'). */
  minDate?: string;
  maxDate?: string;
}

/**
 * The field's value once `text` is typed into it while it holds `current`, or undefined to leave it as it is:
 * the day the text reads, or the text itself (trimmed) when it reads no day (2026-02-30, 2026-13-01, 2026-0).
 * A day outside the limits is left to the picker, which keeps the last day and shows it again on leaving the
 * field; an emptied field that is not clearable does the same, or is emptied when it holds no day to go back to.
 */
export function valueForTypedText(text: string, current: string, limits: DateTextLimits): string | undefined {
  const trimmed = text.trim();
  const fallback = isDay(current) ? undefined : '';
  if (!trimmed) return limits.clearable ? undefined : fallback;
  const day = parseTypedDate(trimmed);
  if (!day) return trimmed;
  const inRange = (!limits.minDate || day >= limits.minDate) && (!limits.maxDate || day <= limits.maxDate);
  return inRange ? day : fallback;
}

/** The text a date field's value holds that is no day (named in the field's error), or null for a day or none. */
export function notADay(value: string): string | null {
  return value && !isDay(value) ? value : null;
}
