import { Anchor, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../i18n/use-format.ts';
import { ChannelIcon } from '../touches/ChannelIcon.tsx';
import { formatDay, formatMoment } from '../touches/dates.ts';
import { OutcomeBadge } from '../touches/OutcomeBadge.tsx';
import type { LoggedEntry } from './logged-store.ts';

/** What was just logged from this agenda, with the next due date the server planned. */
export function LoggedList({ entries, timeZone }: { entries: readonly LoggedEntry[]; timeZone?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="logged-heading">
      <Title order={2} fz="md" id="logged-heading" mb="xs">
        {t('today.logged.heading', { count: entries.length })}
      </Title>
      <Paper withBorder radius="md">
        <Stack gap={0} component="ul" className="plain-list divided" data-testid="logged-list">
          {entries.map((entry) => (
            <Group key={entry.touchId} component="li" gap="sm" wrap="nowrap" px="md" py="sm">
              <ChannelIcon channel={entry.channel} size={28} />
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Anchor
                  component={Link}
                  to={`/accounts/${encodeURIComponent(entry.accountId)}`}
                  state={{ from: 'today' }}
                  fz="sm"
                  fw={600}
                  c="dark.8"
                  lineClamp={1}
                >
                  {entry.accountName}
                </Anchor>
                <Text fz="xs" c="dimmed">
                  {entry.at &&
                    `${formatMoment(entry.at, format.language, entry.day.slice(0, 4), timeZone)} · `}
                  {entry.status === 'saving'
                    ? t('today.logged.saving')
                    : entry.status === 'kept'
                      ? t('today.logged.kept')
                      : entry.nextDueOn
                        ? t(`logForm.nextDue.${entry.channel}`, {
                            date: formatDay(
                              entry.nextDueOn,
                              format.language,
                              'weekday',
                              entry.day.slice(0, 4),
                            ),
                          })
                        : t('logForm.noNext')}
                </Text>
              </Stack>
              {entry.status === 'saving' ? (
                <Loader size="xs" aria-hidden="true" />
              ) : (
                <OutcomeBadge channel={entry.channel} outcome={entry.outcome} />
              )}
            </Group>
          ))}
        </Stack>
      </Paper>
    </section>
  );
}
