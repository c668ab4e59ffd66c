import { parseTypedDate } from './typed-date.ts';

/**
 * What a date field (date-fields.tsx `DateField`) holds as a text is typed into it. The picker reads the text at
 * every keystroke, so on the way to 2026-02-30 it reads 2026-02-3 as the 3rd; left at that, the field would keep
 * the 3rd silently once the text is no day. Instead a text that is no whole, real day becomes the field's value
 * as typed: a value that is no 'YYYY-MM-DD' day, which the field names in its error (`dates.notADay`) and no form
 * sends (each checks its value is a day). A day typed outside the field's limits is its value too, named in its
 * error (`dates.afterMax`, `dates.beforeMin`; `dayProblem`), and a form with limits sends only a day within them
 * (`isDayWithin`): the picker alone would drop it silently and keep the day before. A field whose every change is
 * acted on at once (the plan's "from": a preview each) holds a day read from a text not written whole yet
 * (2026-02-3) until the text is whole or the typing stops (`afterTyping`). Pure, no time zone.
 */

/** A real day written 'YYYY-MM-DD' (not 2026-02-30). */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseTypedDate(value) === value;
}

/** The earliest and latest days a field takes ('YYYY-MM-DD'). */
export interface DayLimits {
  minDate?: string;
  maxDate?: string;
}

export interface TypingOptions {
  /** An emptied field is emptied (the picker does it itself); otherwise it goes back to its day on leaving it. */
  clearable: boolean;
  /**
   * A day read from a text not written whole (2026-02-3, `isWholeDayText`) is held, not given to the form, until
   * the text is whole or the typing stops (leaving the field, Enter).
   */
  waitForWholeDay?: boolean;
}

/**
 * The field's value once `text` is typed into it while it holds `current`, or undefined to leave it as it is:
 * the day the text reads (outside the field's limits too: named in its error, `dayProblem`), or the text itself
 * (trimmed) when it reads no day (2026-02-30, 2026-13-01, 2026-0). An emptied field that is not clearable goes
 * back to its day on leaving it (the picker shows it again), or is emptied when it holds no day to go back to.
 */
export function valueForTypedText(
  text: string,
  current: string,
  options: Pick<TypingOptions, 'clearable'>,
): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return options.clearable || isDay(current) ? undefined : '';
  return parseTypedDate(trimmed) ?? trimmed;
}

/**
 * Whether a typed text is a day written whole: it reads as a day, and typing on could not make it another one
 * (2026-02-03, 2026年2月3日, Feb 3, 2026, 20260203). 2026-02-3 is not: it is on its way to 2026-02-30 as much as
 * it is the 3rd. A text ending in a lone digit is not whole.
 */
export function isWholeDayText(text: string): boolean {
  const value = text.normalize('NFKC').trim();
  return parseTypedDate(value) !== null && !/(?:^|\D)\d$/.test(value);
}

/** What typing a text does to a date field: the value to give the form now, if any, and the day held back. */
export interface Typed {
  give?: string;
  /** A day read from a text not written whole, given when the typing stops; null for none. */
  hold: string | null;
}

/** What typing `text` into a field that holds `current` does (`valueForTypedText`, then `waitForWholeDay`). */
export function afterTyping(text: string, current: string, options: TypingOptions): Typed {
  const next = valueForTypedText(text, current, options);
  if (next === undefined || next === current) return { hold: null };
  if (options.waitForWholeDay && isDay(next) && !isWholeDayText(text)) return { hold: next };
  return { give: next, hold: null };
}

/** The text a date field's value holds that is no day (named in the field's error), or null for a day or none. */
export function notADay(value: string): string | null {
  return value && !isDay(value) ? value : null;
}

/** What is wrong with a date field's value: a text that is no day, or a day outside the limits. */
export type DayProblem =
  | { problem: 'notADay'; text: string }
  | { problem: 'beforeMin'; limit: string }
  | { problem: 'afterMax'; limit: string };

/** What is wrong with a date field's value for its limits, or null for a day within them or none (''). */
export function dayProblem(value: string, limits: DayLimits): DayProblem | null {
  const text = notADay(value);
  if (text) return { problem: 'notADay', text };
  if (value && limits.minDate && value < limits.minDate)
    return { problem: 'beforeMin', limit: limits.minDate };
  if (value && limits.maxDate && value > limits.maxDate)
    return { problem: 'afterMax', limit: limits.maxDate };
  return null;
}

/** A day ('YYYY-MM-DD') within the limits: what a form with a limited date field may send. */
export function isDayWithin(value: string, limits: DayLimits): boolean {
  return isDay(value) && dayProblem(value, limits) === null;
}
