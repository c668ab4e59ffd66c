import { INTL_LOCALE, type Language } from './languages.ts';

/** Shown for values that are not known. */
export const EMPTY_VALUE = '—';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(language: Language, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[language], options);
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * Makes the number and date formats the first page uses, so the browser loads the language's locale data
 * (~25–45 ms for the first NumberFormat in Chromium) while the page waits for the network, not while it renders.
 */
export function warmFormats(language: Language): void {
  formatNumber(0, language);
  formatShortDate('2026-01-01', language);
  formatDate('2026-01-01', language);
}

export function formatNumber(value: number | null | undefined, language: Language): string {
  if (value == null || !Number.isFinite(value)) return EMPTY_VALUE;
  return numberFormat(language).format(value);
}

interface Unit {
  size: number;
  suffix: string;
}
// Chinese counts money in 万 (10^4) and 亿 (10^8); English in thousands, millions and billions.
const UNITS: Record<Language, readonly Unit[]> = {
  'zh-CN': [
    { size: 1e8, suffix: '亿' },
    { size: 1e4, suffix: '万' },
  ],
  en: [
    { size: 1e9, suffix: 'B' },
    { size: 1e6, suffix: 'M' },
    { size: 1e3, suffix: 'K' },
  ],
};

function scaledDigits(scaled: number, language: Language): Intl.NumberFormatOptions {
  if (language === 'en') {
    // ¥35.0M, ¥1.2B, ¥350M: one decimal below 100 of a unit
    return scaled < 100
      ? { minimumFractionDigits: 1, maximumFractionDigits: 1 }
      : { maximumFractionDigits: 0 };
  }
  // 1.25亿, 35.3万, 3500万: fewer decimals as the number grows; no grouping below 10,000 of a unit
  const maximumFractionDigits = scaled < 10 ? 2 : scaled < 100 ? 1 : 0;
  return { maximumFractionDigits, useGrouping: scaled >= 10_000 };
}

function round(value: number, options: Intl.NumberFormatOptions): number {
  const digits = options.maximumFractionDigits ?? 0;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Money in yuan, short: 3500万 / 1.2亿 in Chinese, ¥35.0M / ¥1.2B in English. */
export function formatMoney(yuan: number | null | undefined, language: Language): string {
  if (yuan == null || !Number.isFinite(yuan)) return EMPTY_VALUE;
  const sign = yuan < 0 ? '-' : '';
  const amount = Math.abs(yuan);
  const prefix = language === 'en' ? '¥' : '';
  const units = UNITS[language];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] as Unit;
    if (amount < unit.size) continue;
    const scaled = amount / unit.size;
    const options = scaledDigits(scaled, language);
    const rounded = round(scaled, options);
    // 9999.99万 rounds to 10000万: show it in the next unit up instead
    const larger = units[i - 1];
    if (larger && rounded * unit.size >= larger.size) {
      const up = amount / larger.size;
      return `${sign}${prefix}${numberFormat(language, scaledDigits(up, language)).format(up)}${larger.suffix}`;
    }
    return `${sign}${prefix}${numberFormat(language, options).format(scaled)}${unit.suffix}`;
  }
  const whole = numberFormat(language, { maximumFractionDigits: 0 }).format(amount);
  return language === 'en' ? `${sign}¥${whole}` : `${sign}${whole}元`;
}

/** Employees as a range: 100–499, ≥1,000, ≤50, or a single number when both ends agree. */
export function formatEmployees(
  min: number | null | undefined,
  max: number | null | undefined,
  language: Language,
): string {
  if (min == null && max == null) return EMPTY_VALUE;
  if (min != null && max != null) {
    return min === max
      ? formatNumber(min, language)
      : `${formatNumber(min, language)}–${formatNumber(max, language)}`;
  }
  if (min != null) return `≥${formatNumber(min, language)}`;
  return `≤${formatNumber(max, language)}`;
}

/**
 * A date-time format in `timeZone` (the workspace's), cached by `key`; without a zone, or for a zone this browser
 * does not know, the browser's own zone rather than nothing.
 */
const zonedFormats = new Map<string, Intl.DateTimeFormat>();
function zonedFormat(
  key: string,
  language: Language,
  options: Intl.DateTimeFormatOptions,
  timeZone: string | undefined,
): Intl.DateTimeFormat {
  const cacheKey = `${key}|${language}|${timeZone ?? ''}`;
  let format = zonedFormats.get(cacheKey);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(INTL_LOCALE[language], timeZone ? { ...options, timeZone } : options);
    } catch {
      format = new Intl.DateTimeFormat(INTL_LOCALE[language], options);
    }
    zonedFormats.set(cacheKey, format);
  }
  return format;
}

function toDate(value: string | Date): Date | null {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

const shortDateFormats = new Map<string, Intl.DateTimeFormat>();
/** A calendar day 'YYYY-MM-DD' without the year: 11月23日 / Nov 23 (read as that day, whatever the browser's zone). */
export function formatShortDate(value: string | null | undefined, language: Language): string {
  const date = value ? toDate(`${value.slice(0, 10)}T00:00:00Z`) : null;
  if (!date) return EMPTY_VALUE;
  let format = shortDateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    shortDateFormats.set(language, format);
  }
  return format.format(date);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date in the language's style: 2025年3月7日 / Mar 7, 2025. A day ('YYYY-MM-DD') is written as that day
 * whatever the zone; a moment (ISO instant) as the day it falls on in `timeZone`, the workspace's (the browser's
 * while that is not known).
 */
export function formatDate(
  value: string | Date | null | undefined,
  language: Language,
  timeZone?: string,
): string {
  if (typeof value === 'string' && ISO_DAY.test(value)) {
    const day = toDate(`${value}T00:00:00Z`);
    return day ? zonedFormat('date', language, { dateStyle: 'medium' }, 'UTC').format(day) : EMPTY_VALUE;
  }
  const date = value == null ? null : toDate(value);
  return date ? zonedFormat('date', language, { dateStyle: 'medium' }, timeZone).format(date) : EMPTY_VALUE;
}

/**
 * How every time of day is written, in both languages: 24-hour, two-digit hours, 07:30 and 00:45 (not 7:30 AM,
 * nor 0:45), as the time fields take it and the agenda's times read. `hourCycle` rather than `hour12: false`,
 * which some browsers write as 24:05 after midnight.
 */
export const TIME_OF_DAY: Intl.DateTimeFormatOptions = {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

/**
 * A moment with its time of day, in `timeZone`, the workspace's (the browser's while that is not known), so it is
 * on the same clock as the agenda and the touch times: 2026年11月27日 07:30 / Nov 27, 2026, 07:30.
 */
export function formatDateTime(
  value: string | Date | null | undefined,
  language: Language,
  timeZone?: string,
): string {
  const date = value == null ? null : toDate(value);
  return date
    ? zonedFormat(
        'dateTime',
        language,
        { year: 'numeric', month: 'short', day: 'numeric', ...TIME_OF_DAY },
        timeZone,
      ).format(date)
    : EMPTY_VALUE;
}

/** The time of day of a moment in a time zone (the workspace's, not the browser's): 09:05 in both languages. */
export function formatTimeOfDay(
  value: string | Date | null | undefined,
  language: Language,
  timeZone: string,
): string {
  const date = value == null ? null : toDate(value);
  return date ? zonedFormat('time', language, TIME_OF_DAY, timeZone).format(date) : EMPTY_VALUE;
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/**
 * The Monday ('YYYY-MM-DD') of an ISO week as the API names it ('2026-W41'), or null for anything else. Week 1 is
 * the week holding 4 January, so its Monday may fall in the year before (2026-W01 starts 2025-12-29).
 */
export function isoWeekMonday(period: string): string | null {
  const match = ISO_WEEK.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > 53) return null;
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const monday = new Date(mondayOfWeek1 + (week - 1) * 7 * 86_400_000);
  // A week 53 the year does not have is the next year's week 1: not this name's week.
  if (week === 53 && isoWeekMonday(`${year + 1}-W01`) === monday.toISOString().slice(0, 10)) return null;
  return monday.toISOString().slice(0, 10);
}

/** The Sunday ('YYYY-MM-DD') that ends an ISO week ('2026-W41'), or null for anything else. */
export function isoWeekSunday(period: string): string | null {
  const monday = isoWeekMonday(period);
  return monday
    ? new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10)
    : null;
}

/**
 * An ISO week ('2026-W41') as people read it: the day it starts, 10月5日 / Oct 5 (week numbers are not how weeks are
 * named in Chinese, and the dashboard names its weeks by their Monday too). Anything else is shown as it is.
 */
export function formatIsoWeek(period: string, language: Language): string {
  const monday = isoWeekMonday(period);
  return monday ? formatShortDate(monday, language) : period;
}

const zoneNames = new Map<string, string>();
/**
 * A time zone for a person: its name in the language with the IANA id people may search for,
 * 中国标准时间 · Asia/Shanghai / China Standard Time · Asia/Shanghai (the id alone where Intl has no name).
 */
export function formatTimeZone(zone: string, language: Language): string {
  const key = `${language}|${zone}`;
  let label = zoneNames.get(key);
  if (label === undefined) {
    let name: string | undefined;
    try {
      name = new Intl.DateTimeFormat(INTL_LOCALE[language], { timeZone: zone, timeZoneName: 'longGeneric' })
        .formatToParts(new Date(0))
        .find((part) => part.type === 'timeZoneName')?.value;
    } catch {
      name = undefined; // a zone this browser does not know
    }
    label = name && name !== zone && !/^GMT[+-]?/.test(name) ? `${name} · ${zone}` : zone;
    zoneNames.set(key, label);
  }
  return label;
}
