import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import type { LocalDate } from './local-date.ts';

/** The workspace's default time zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The local calendar date of the instant `now` in `timeZone` (IANA name), e.g. todayIn('Asia/Shanghai', now). */
export function todayIn(timeZone: string, now: Date): LocalDate {
  return format(now, 'yyyy-MM-dd', { in: tz(timeZone) });
}
