import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TDayKind } from '../../../../src/schemas/plan.ts';
import { isKept, type LogTouchAnswer, type LogTouchVariables, useLogTouch } from '../../api/agenda.ts';
import { ApiError } from '../../api/client.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formatDay, formatMoment } from './dates.ts';
import { showToast } from './toast.ts';

/** Why a booked meeting's day is off for the rep, in the words Today uses for a day off. */
function dayOffReason(t: TFunction, day: { kind: TDayKind; name: string | null }): string {
  if (day.kind === 'holiday')
    return day.name ? t('today.dayOff.holiday', { name: day.name }) : t('today.dayOff.holidayUnnamed');
  return day.kind === 'custom-day-off' ? t('today.dayOff.personal') : t('today.dayOff.weekend');
}

export interface LogRequest extends LogTouchVariables {
  accountName: string;
  /** The workspace's time zone: a touch logged for an earlier time is confirmed with that time on its clock. */
  timeZone?: string;
}

/**
 * Logs a touch and confirms it in a toast: what was logged, for whom, and when the next touch on that channel
 * is due (the server re-planned it). Without a connection the log is kept on this device and sent later (the toast
 * says so; the answer is a `KeptLog`). Failures are toasted too and rethrown for the caller.
 */
export function useLogAndConfirm() {
  const { t } = useTranslation();
  const { language } = useFormat();
  const { mutateAsync } = useLogTouch();

  return useCallback(
    async (request: LogRequest): Promise<LogTouchAnswer> => {
      const { accountName, timeZone, ...variables } = request;
      const { channel, outcome } = variables.body;
      try {
        const result = await mutateAsync({ ...variables, accountName });
        if (isKept(result)) {
          showToast({
            tone: 'kept',
            title: t('logForm.kept', {
              channel: t(`logForm.channels.${channel}`),
              outcome: t(`logForm.outcomes.${channel}.${outcome}`),
            }),
            message: `${accountName} · ${t('logForm.keptDetail')}`,
          });
          return result;
        }
        const next = result.nextTouches.find((touch) => touch.channel === channel);
        const year = result.activity.occurredAt.slice(0, 4);
        const day = (date: string) => formatDay(date, language, 'weekday', year);
        const meeting = result.meeting;
        // What else the log did: the meeting's visit (and whether its day is a day off), the calls a visit stood in for.
        const extra = [
          meeting
            ? meeting.dueTime
              ? t('logForm.meeting.bookedAt', { date: day(meeting.dueOn), time: meeting.dueTime })
              : t('logForm.meeting.booked', { date: day(meeting.dueOn) })
            : null,
          meeting && !meeting.day.working
            ? t('logForm.meeting.dayOff', { day: day(meeting.dueOn), reason: dayOffReason(t, meeting.day) })
            : null,
          result.coveredCalls.length > 0
            ? t('logForm.coveredCalls', { count: result.coveredCalls.length })
            : null,
        ].filter((text) => text !== null);
        showToast({
          tone: 'success',
          title: t('logForm.saved', {
            channel: t(`logForm.channels.${channel}`),
            outcome: t(`logForm.outcomes.${channel}.${outcome}`),
          }),
          message: `${accountName} · ${
            variables.body.at
              ? `${formatMoment(result.activity.occurredAt, language, year, timeZone)} · `
              : ''
          }${
            next
              ? result.retry
                ? t('logForm.retry', { date: day(next.dueOn) })
                : t(`logForm.nextDue.${channel}`, { date: day(next.dueOn) })
              : t('logForm.noNext')
          }${extra.map((text) => ` · ${text}`).join('')}`,
        });
        return result;
      } catch (error) {
        showToast({
          tone: 'error',
          title: t('logForm.failed', { account: accountName }),
          message:
            error instanceof ApiError && error.isNetworkError
              ? t('errors.network')
              : error instanceof Error
                ? error.message
                : String(error),
        });
        throw error;
      }
    },
    [mutateAsync, t, language],
  );
}
