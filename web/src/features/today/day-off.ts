import type { TAgenda } from '../../api/agenda.ts';
import type { Language } from '../../i18n/languages.ts';

/** Why the agenda's day is a day off, as Today says it. */
export type DayOffKind = 'weekend' | 'holiday' | 'personal';

export interface DayOff {
  kind: DayOffKind;
  /** The holiday's name in the UI's language, when the calendar gives one. */
  name: string | null;
}

/** "国庆节 National Day": the Chinese name (up to its last Han character and what sticks to it), then the English. */
const CHINESE_THEN_ENGLISH = /^(.*\p{Script=Han}\S*)\s+(\P{Script=Han}+)$/u;

/**
 * A holiday's name in one language. The calendar gives China's holidays (and other countries' where it has a
 * Chinese name) as "国庆节 National Day", and several holidays on one day joined by " / ": Chinese keeps the
 * Chinese names, English the English ones; a name in one language only is kept as it is in both.
 */
export function holidayNameIn(name: string, language: Language): string {
  return name
    .split(' / ')
    .map((part) => {
      const trimmed = part.trim();
      const match = CHINESE_THEN_ENGLISH.exec(trimmed);
      if (!match) return trimmed;
      const [, chinese = trimmed, english = trimmed] = match;
      return language === 'zh-CN' ? chinese.trim() : english.trim();
    })
    .join(' / ');
}

/**
 * The agenda's day as a day off (a weekend, a public holiday with its name, the rep's own day off), or null for a
 * working day, a 调休 weekend day worked included. An agenda kept from before the server said it has no `day`:
 * null, as before.
 */
export function dayOffOf(day: TAgenda['day'] | undefined, language: Language): DayOff | null {
  if (!day || day.working) return null;
  if (day.kind === 'holiday') {
    return { kind: 'holiday', name: day.name ? holidayNameIn(day.name, language) : null };
  }
  return { kind: day.kind === 'custom-day-off' ? 'personal' : 'weekend', name: null };
}

/**
 * A 调休 make-up workday (a weekend day worked for a holiday): the holiday it is worked for, in the UI's language
 * (null when the calendar names none); null for any other day. Today says it beside the date, since a rep would not
 * otherwise expect calls on a Saturday.
 */
export function makeUpWorkdayOf(
  day: TAgenda['day'] | undefined,
  language: Language,
): { name: string | null } | null {
  if (!day?.working || day.kind !== 'make-up-workday') return null;
  return { name: day.name ? holidayNameIn(day.name, language) : null };
}
