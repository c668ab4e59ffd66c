import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isKept, type LogTouchAnswer, type LogTouchVariables, useLogTouch } from '../../api/agenda.ts';
import { ApiError } from '../../api/client.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formatDay, formatMoment } from './dates.ts';
import { showToast } from './toast.ts';

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
              ? t(`logForm.nextDue.${channel}`, { date: formatDay(next.dueOn, language, 'weekday', year) })
              : t('logForm.noNext')
          }`,
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
