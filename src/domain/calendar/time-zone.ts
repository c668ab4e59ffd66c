import type { LocalDate } from './local-date.ts';

/** The workspace's default time zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// One formatter per zone, made once: date-fns' tz() builds a zoned date per call (~22 µs each), which made
// reading a year of logged touches cost seconds (the goals of a rep with 100,000 accounts in the workspace).
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'iso8601',
      numberingSystem: 'latn',
    });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local calendar date of the instant `now` in `timeZone` (IANA name), e.g. todayIn('Asia/Shanghai', now). */
export function todayIn(timeZone: string, now: Date): LocalDate {
  let year = '';
  let month = '';
  let day = '';
  for (const part of dateFormatter(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}
