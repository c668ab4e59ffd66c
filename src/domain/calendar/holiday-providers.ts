// chinese-days' functions parse 'YYYY-MM-DD' strings in the process's local time zone and shift dates west of
// UTC, so we read its data file directly: plain maps from 'YYYY-MM-DD' to "English,中文,n".
import { createRequire } from 'node:module';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type DateHolidays from 'date-holidays';
import { HOLIDAY_COUNTRIES } from '../../schemas/plan.ts';
import { AppError } from '../errors.ts';
import { msg } from '../messages.ts';
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

/** date-holidays' entry for one holiday (the fields read here). */
interface RuleHoliday {
  date: string;
  name: string;
  type: string;
  rule: string;
}

const HAN = /\p{Script=Han}/u;

/**
 * A holiday's name as China's schedule gives its own: the Chinese name and the English one ("元旦 New Year's Day"),
 * the English alone where date-holidays has no Chinese name (it falls back to English), and the country's own
 * language only where it has neither.
 */
function bilingualName(english: string | undefined, chinese: string | undefined, own: string): string {
  if (!english) return chinese ?? own;
  return chinese && chinese !== english && HAN.test(chinese) ? `${chinese} ${english}` : english;
}

// date-holidays holds the rules of every country (~1 MB of data): loaded on first use, not by every CLI start.
let dateHolidays: typeof DateHolidays | undefined;
function loadDateHolidays(): typeof DateHolidays {
  dateHolidays ??= createRequire(import.meta.url)('date-holidays') as typeof DateHolidays;
  return dateHolidays;
}

/**
 * A country's public holidays computed from its rules by date-holidays (fixed dates, Easter, lunar and Islamic
 * calendars, and the substitute days a holiday on a weekend gives), for any year: no year is "unpublished".
 * Only holidays of type "public" are days off (not bank holidays, observances or optional days); regional
 * holidays (a German state's, a US state's) are not included. Countries that work a weekend day to bridge a
 * holiday (Taiwan's 補行上班) are not modelled: a rep's own days off cover what is missing.
 */
export function createRuleBasedProvider(country: string): HolidayProvider {
  const byYear = new Map<number, HolidaySchedule>();
  let calendar: DateHolidays | undefined;
  return {
    country,
    label: `Public holidays of ${country}`,
    scheduleFor(year) {
      let schedule = byYear.get(year);
      if (!schedule) {
        if (!calendar) {
          const Holidays = loadDateHolidays();
          calendar = new Holidays(country, { types: ['public'] });
        }
        const days = new Map<LocalDate, OfficialDay>();
        const nameIn = (language: string) =>
          new Map(
            ((calendar?.getHolidays(year, language) ?? []) as RuleHoliday[]).map((h) => [
              `${h.date}|${h.rule}`,
              h.name,
            ]),
          );
        const english = nameIn('en');
        const chinese = nameIn('zh');
        for (const holiday of (calendar.getHolidays(year) ?? []) as RuleHoliday[]) {
          if (holiday.type !== 'public') continue;
          // 'YYYY-MM-DD hh:mm:ss' in the country's own time: the date is the local day off.
          const date = holiday.date.slice(0, 10);
          const key = `${holiday.date}|${holiday.rule}`;
          const name = bilingualName(english.get(key), chinese.get(key), holiday.name);
          const named = days.get(date);
          days.set(date, { date, name: named ? `${named.name} / ${name}` : name });
        }
        schedule = {
          daysOff: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
          makeUpWorkdays: [],
        };
        byYear.set(year, schedule);
      }
      return schedule;
    },
  };
}

// Built-in countries: China's official schedule, weekends only, and the rule-based countries of
// HOLIDAY_COUNTRIES (src/schemas/plan.ts, what settings accept). To add a country, list its code there.
const PROVIDERS: ReadonlyMap<string, HolidayProvider> = new Map<string, HolidayProvider>(
  HOLIDAY_COUNTRIES.map((code) => [
    code,
    code === 'CN' ? CHINA_HOLIDAYS : code === 'none' ? NO_HOLIDAYS : createRuleBasedProvider(code),
  ]),
);

/** Country codes with a built-in provider ('CN', the rule-based countries, 'none'). */
export function supportedCountries(): string[] {
  return [...PROVIDERS.keys()];
}

/** The provider for a country code; throws a bad_request AppError for an unknown country. */
export function getHolidayProvider(country: string): HolidayProvider {
  const provider = PROVIDERS.get(country);
  if (!provider) {
    throw new AppError(
      'bad_request',
      msg('calendar.no_holiday_calendar', { country, known: supportedCountries().join(', ') }),
    );
  }
  return provider;
}
