import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accountKeys } from '../../api/accounts.ts';
import { agendaKeys, logTouch } from '../../api/agenda.ts';
import { useAuthStatus } from '../../api/auth.ts';
import { dashboardKeys } from '../../api/dashboard.ts';
import { teamDayKeys } from '../../api/team-day.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { loggedStore } from '../today/logged-store.ts';
import { outbox, useOutbox } from './outbox.ts';
import { sendKept } from './send-kept.ts';

/** How often kept logs are tried again while some wait (besides the browser saying it is back online). */
const RETRY_MS = 30_000;

let sending: Promise<void> | null = null;

/**
 * Sends `userId`'s kept logs, oldest first, each with the id it was first sent with (the server logs it once
 * even if an earlier send reached it). Stops at the first that cannot reach the server (tried again later) or
 * when the session has ended; a log the server refuses is marked with its reason for the rep to see. A sent log
 * leaves the outbox once the agenda (and the other pages it changes) has been read again (send-kept.ts).
 */
export function sendKeptLogs(client: QueryClient, userId: string): Promise<void> {
  sending ??= (async () => {
    try {
      await sendKept({
        entries: outbox.of(userId),
        send: (entry) => logTouch({ accountId: entry.accountId, body: entry.body }),
        sent: (entry, result) => {
          if (entry.touchId)
            loggedStore.update(entry.touchId, {
              status: 'saved',
              nextDueOn: result.nextTouches.find((t) => t.channel === entry.body.channel)?.dueOn ?? null,
            });
        },
        // Settles once the pages on screen have the server's new answers (the others are marked stale).
        refresh: () =>
          Promise.all(
            [agendaKeys.all, accountKeys.all, dashboardKeys.all, teamDayKeys.all].map((queryKey) =>
              client.invalidateQueries({ queryKey }),
            ),
          ),
        markSent: outbox.markSent,
        remove: outbox.remove,
        refuse: outbox.refuse,
      });
    } finally {
      sending = null;
    }
  })();
  return sending;
}

/**
 * The logs kept on this device while the server could not be reached: sent as soon as the browser is back online,
 * every 30 s while any wait, and on "Send now"; said above every page until sent, with any the server refused.
 */
export function KeptLogs() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const userId = useAuthStatus().data?.user?.id ?? undefined;
  const kept = useOutbox(userId);
  const waiting = kept.filter((entry) => !entry.refused);
  const refused = kept.filter((entry) => entry.refused);
  const [busy, setBusy] = useState(false);

  const send = useCallback(async () => {
    if (!userId) return;
    setBusy(true);
    try {
      await sendKeptLogs(client, userId);
    } finally {
      setBusy(false);
    }
  }, [client, userId]);

  const hasWaiting = waiting.length > 0;
  useEffect(() => {
    if (!hasWaiting) return;
    void send();
    const again = () => void send();
    const timer = window.setInterval(again, RETRY_MS);
    window.addEventListener('online', again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, [hasWaiting, send]);

  if (kept.length === 0) return null;
  return (
    <Stack gap="xs" mb="md" data-testid="kept-logs">
      {hasWaiting && (
        <Alert color="blue" variant="light" icon={<Icon name="history" size={18} />} role="status">
          <Group justify="space-between" gap="sm" wrap="wrap">
            <div>
              <Text fz="sm" fw={600}>
                {t('keptLogs.waiting', { count: waiting.length })}
              </Text>
              <Text fz="sm">{t('keptLogs.waitingDetail')}</Text>
            </div>
            <Button size="xs" variant="default" loading={busy} onClick={() => void send()}>
              {t('keptLogs.sendNow')}
            </Button>
          </Group>
        </Alert>
      )}
      {refused.map((entry) => (
        <Alert
          key={entry.clientId}
          color="red"
          variant="light"
          icon={<Icon name="alert" size={18} />}
          role="alert"
        >
          <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text fz="sm" fw={600}>
                {t('keptLogs.refused', {
                  account: entry.accountName,
                  channel: t(`logForm.channels.${entry.body.channel}`),
                  outcome: t(`logForm.outcomes.${entry.body.channel}.${entry.body.outcome}`),
                  when: format.dateTime(entry.body.at),
                })}
              </Text>
              <Text fz="sm">{entry.refused}</Text>
            </div>
            <Button size="xs" variant="default" onClick={() => outbox.remove(entry.clientId)}>
              {t('keptLogs.dismiss')}
            </Button>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
