// chinese-days' functions parse 'YYYY-MM-DD' strings in the process's local time zone and shift dates west of
// UTC, so we read its data file directly: plain maps from 'YYYY-MM-DD' to "English,中文,n".
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { AppError } from '../errors.ts';
import type { LocalDate } from './local-date.ts';

/** One official day: its date and, when the source gives it, the holiday's name. */
export interface OfficialDay {
  date: LocalDate;
  name?: string;
}

/** A country's official schedule for one year: public holidays off, and weekend days made working (调休). */
export interface HolidaySchedule {
  daysOff: readonly OfficialDay[];
  makeUpWorkdays: readonly OfficialDay[];
}

/** A source of official working-day schedules; add a country by implementing this and registering it. */
export interface HolidayProvider {
  /** Country code used in settings, e.g. 'CN', or 'none' for weekends only. */
  readonly country: string;
  readonly label: string;
  /** The schedule for `year`, or null when the official schedule for that year is not (yet) published. */
  scheduleFor(year: number): HolidaySchedule | null;
}

const EMPTY_SCHEDULE: HolidaySchedule = { daysOff: [], makeUpWorkdays: [] };

/** Weekends only: no public holidays; every year counts as published. */
export const NO_HOLIDAYS: HolidayProvider = {
  country: 'none',
  label: 'Weekends only (no public holidays)',
  scheduleFor: () => EMPTY_SCHEDULE,
};

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Builds a provider from maps of date → "English,中文,days" as chinese-days ships them (exported for tests). */
export function createChineseDaysProvider(data: ChineseDaysData): HolidayProvider {
  const byYear = new Map<number, { daysOff: OfficialDay[]; makeUpWorkdays: OfficialDay[] }>();
  const yearEntry = (date: string) => {
    const year = Number(date.slice(0, 4));
    let entry = byYear.get(year);
    if (!entry) {
      entry = { daysOff: [], makeUpWorkdays: [] };
      byYear.set(year, entry);
    }
    return entry;
  };
  const nameOf = (value: string) => {
    const [en, zh] = value.split(',');
    return zh && en ? `${zh} ${en}` : value;
  };
  // A year is published when the package has its holidays; make-up workdays alone (a January 调休 for the
  // previous year's holiday) do not make a year published.
  for (const [date, value] of Object.entries(data.holidays))
    yearEntry(date).daysOff.push({ date, name: nameOf(value) });
  for (const [date, value] of Object.entries(data.workdays)) {
    yearEntry(date).makeUpWorkdays.push({ date, name: nameOf(value) });
  }
  return {
    country: 'CN',
    label: 'China (official holidays and 调休 make-up workdays)',
    scheduleFor(year) {
      const entry = byYear.get(year);
      return entry && entry.daysOff.length > 0 ? entry : null;
    },
  };
}

/** China's official schedule from chinese-days (2004 through the last year the installed version ships). */
export const CHINA_HOLIDAYS: HolidayProvider = createChineseDaysProvider(chineseDays as ChineseDaysData);

// Built-in countries; to add one, implement HolidayProvider and list it here (or pass it to
// createWorkingCalendar as `provider`).
const PROVIDERS: ReadonlyMap<string, HolidayProvider> = new Map<string, HolidayProvider>([
  [CHINA_HOLIDAYS.country, CHINA_HOLIDAYS],
  [NO_HOLIDAYS.country, NO_HOLIDAYS],
]);

/** Country codes with a built-in provider ('CN', 'none'). */
export function supportedCountries(): string[] {
  return [...PROVIDERS.keys()];
}

/** The provider for a country code; throws a bad_request AppError for an unknown country. */
export function getHolidayProvider(country: string): HolidayProvider {
  const provider = PROVIDERS.get(country);
  if (!provider) {
    throw new AppError(
      'bad_request',
      `No holiday calendar for country "${country}": use one of ${supportedCountries().join(', ')}.`,
    );
  }
  return provider;
}
