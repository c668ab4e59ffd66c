import { useMemo } from 'react';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { INTL_LOCALE } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formatDay } from '../touches/dates.ts';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

/** A `YYYY-MM-DD` or `YYYY-MM` as a UTC instant, so the browser's time zone never moves the day. */
function utc(date: string): Date {
  return new Date(`${date.length === 7 ? `${date}-01` : date}T00:00:00Z`);
}

/**
 * useFormat() plus what the market and plan pages need: loads with one decimal, shares, and plan dates
 * (days in the workspace time zone, formatted as written).
 */
export function usePlanFormat() {
  const base = useFormat();
  const locale = INTL_LOCALE[base.language];
  return useMemo(() => {
    const number = (key: string, options: Intl.NumberFormatOptions) =>
      cached(`n|${locale}|${key}`, () => new Intl.NumberFormat(locale, options));
    const date = (key: string, options: Intl.DateTimeFormatOptions) =>
      cached(`d|${locale}|${key}`, () => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options }));
    return {
      ...base,
      /** 4.3 (one decimal at most; whole numbers stay whole). */
      decimal: (value: number | null | undefined, digits = 1) =>
        value == null || !Number.isFinite(value)
          ? EMPTY_VALUE
          : number(`dec${digits}`, { maximumFractionDigits: digits }).format(value),
      /** 180% */
      percent: (value: number | null | undefined) =>
        value == null || !Number.isFinite(value)
          ? EMPTY_VALUE
          : number('pct', { style: 'percent', maximumFractionDigits: 0 }).format(value),
      /** 2026年12月 / December 2026 */
      month: (month: string) => date('month', { year: 'numeric', month: 'long' }).format(utc(month)),
      /** 12月 / Dec */
      shortMonth: (month: string) => date('shortMonth', { month: 'short' }).format(utc(month)),
      /** 2027年1月 / Jan 2027: the year where the language puts it (not 1月 2027). */
      shortMonthYear: (month: string) =>
        date('shortMonthYear', { year: 'numeric', month: 'short' }).format(utc(month)),
      /** 2026年12月1日 / Dec 1, 2026 */
      day: (day: string) => date('day', { dateStyle: 'medium' }).format(utc(day)),
      /** 12月1日星期二 / Tuesday, December 1 */
      longDay: (day: string) =>
        date('longDay', { month: 'long', day: 'numeric', weekday: 'long' }).format(utc(day)),
      /** 12月1日周二 / Tue, Dec 1: a day with its weekday as the rest of the app writes it (formatDay's 'weekday'). */
      weekdayDay: (day: string) => formatDay(day, base.language, 'weekday'),
      /** 周一 / Mon */
      weekday: (day: string) => date('weekday', { weekday: 'short' }).format(utc(day)),
    };
  }, [base, locale]);
}

export type PlanFormat = ReturnType<typeof usePlanFormat>;
