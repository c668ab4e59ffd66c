import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formatDate,
  formatDateTime,
  formatEmployees,
  formatIsoWeek,
  formatMoney,
  formatNumber,
  formatShortDate,
  formatTimeOfDay,
  formatTimeZone,
} from './format.ts';
import { toLanguage } from './languages.ts';
import { useWorkspaceTimeZone } from './workspace-time-zone.ts';

/**
 * The formatting helpers bound to the current language and the workspace's time zone (moments are shown on the
 * workspace's clock, not the browser's); re-renders when either changes.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  const timeZone = useWorkspaceTimeZone();
  return useMemo(
    () => ({
      language,
      /** The workspace's time zone; undefined while its settings load. */
      timeZone,
      number: (value: number | null | undefined) => formatNumber(value, language),
      money: (yuan: number | null | undefined) => formatMoney(yuan, language),
      employees: (min: number | null | undefined, max: number | null | undefined) =>
        formatEmployees(min, max, language),
      /** A day 'YYYY-MM-DD' as written, or the day a moment falls on in the workspace's zone. */
      date: (value: string | Date | null | undefined) => formatDate(value, language, timeZone),
      /** A moment's date and time in the workspace's zone. */
      dateTime: (value: string | Date | null | undefined) => formatDateTime(value, language, timeZone),
      /** A day 'YYYY-MM-DD' without the year (11月23日 / Nov 23). */
      shortDate: (value: string | null | undefined) => formatShortDate(value, language),
      /** An ISO week ('2026-W41') by the day it starts: 10月5日 / Oct 5. */
      isoWeek: (period: string) => formatIsoWeek(period, language),
      /** A time zone by its name and IANA id: 中国标准时间 · Asia/Shanghai. */
      timeZoneName: (zone: string) => formatTimeZone(zone, language),
      /** A moment's time of day in a time zone (the workspace's): 09:05 in both languages. */
      timeOfDay: (value: string | null | undefined, timeZone: string) =>
        formatTimeOfDay(value, language, timeZone),
    }),
    [language, timeZone],
  );
}
