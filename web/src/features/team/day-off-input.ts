import { parseTypedDate } from '../dates/typed-date.ts';

/** What the days-off field holds when "Add" is pressed: a day, nothing, or a typed text that is no day. */
export type DayOffInput = { day: string } | { error: 'missing' } | { error: 'notADay'; text: string };

/**
 * The day to add from the days-off field: `typed` is the text as last typed into it (null when a day was picked
 * from the calendar since), `picked` the field's value ('YYYY-MM-DD' or ''). A typed text is read with the date
 * fields' own reader (`parseTypedDate`), so 2026-02-30 or 2026-13-01 is refused here, naming the text, instead of
 * adding the last day the field could read while it was typed (2026-02-3, the 3rd) or waiting for the server.
 */
export function readDayOff(typed: string | null, picked: string): DayOffInput {
  if (typed !== null) {
    const text = typed.trim();
    if (!text) return { error: 'missing' };
    const day = parseTypedDate(text);
    return day ? { day } : { error: 'notADay', text };
  }
  const day = picked ? parseTypedDate(picked) : null;
  return day ? { day } : { error: 'missing' };
}
