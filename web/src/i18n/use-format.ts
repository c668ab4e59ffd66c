import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formatDate,
  formatDateTime,
  formatEmployees,
  formatMoney,
  formatNumber,
  formatShortDate,
  formatTimeOfDay,
} from './format.ts';
import { toLanguage } from './languages.ts';

/** The formatting helpers bound to the current language; re-renders when the language changes. */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  return useMemo(
    () => ({
      language,
      number: (value: number | null | undefined) => formatNumber(value, language),
      money: (yuan: number | null | undefined) => formatMoney(yuan, language),
      employees: (min: number | null | undefined, max: number | null | undefined) =>
        formatEmployees(min, max, language),
      date: (value: string | Date | null | undefined) => formatDate(value, language),
      dateTime: (value: string | Date | null | undefined) => formatDateTime(value, language),
      /** A day 'YYYY-MM-DD' without the year (11月23日 / Nov 23). */
      shortDate: (value: string | null | undefined) => formatShortDate(value, language),
      /** A moment's time of day in a time zone (the workspace's): 09:05 / 9:05 AM. */
      timeOfDay: (value: string | null | undefined, timeZone: string) =>
        formatTimeOfDay(value, language, timeZone),
    }),
    [language],
  );
}
