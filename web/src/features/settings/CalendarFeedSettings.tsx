import {
  Alert,
  Button,
  CopyButton,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import {
  type CalendarFeed,
  type CreatedFeed,
  useCalendarFeeds,
  useCreateCalendarFeed,
  useRevokeCalendarFeed,
} from '../../api/workspace-settings.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { SettingsSection } from './SettingsSection.tsx';

function feedUrl(feed: CreatedFeed): string {
  return new URL(feed.path, window.location.origin).toString();
}

/**
 * Your secret calendar address (`/cal/<token>.ics`) for calendar apps: shown once when made, listed
 * afterwards without the secret, and revocable.
 */
export function CalendarFeedSettings() {
  const { t } = useTranslation();
  const format = useFormat();
  const feeds = useCalendarFeeds();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [created, setCreated] = useState<CreatedFeed | null>(null);
  const [revoking, setRevoking] = useState<CalendarFeed | null>(null);
  const signedOut = feeds.error instanceof ApiError && feeds.error.status === 401;
  const active = (feeds.data ?? []).filter((feed) => !feed.revokedAt);
  const revoked = (feeds.data ?? []).filter((feed) => feed.revokedAt);

  return (
    <SettingsSection
      id="feeds"
      title={t('settings.feeds.title')}
      description={t('settings.feeds.description')}
    >
      {created && (
        <Alert
          {...toneAlert('teal')}
          icon={<Icon name="link" />}
          title={t('settings.feeds.createdTitle')}
          withCloseButton
          closeButtonLabel={t('settings.feeds.dismiss')}
          onClose={() => setCreated(null)}
          data-testid="feed-created"
        >
          <Stack gap="xs">
            <Text fz="sm" c={STRONG_TEXT.teal}>
              {t('settings.feeds.createdBody')}
            </Text>
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TextInput
                label={t('settings.feeds.url')}
                value={feedUrl(created)}
                readOnly
                onFocus={(event) => event.currentTarget.select()}
                style={{ flex: 1 }}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
              />
              <CopyButton value={feedUrl(created)} timeout={2000}>
                {({ copied, copy }) => (
                  <Button
                    onClick={copy}
                    color={copied ? 'teal.8' : undefined}
                    leftSection={<Icon name={copied ? 'check' : 'copy'} size={16} />}
                  >
                    {copied ? t('settings.feeds.copied') : t('settings.feeds.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}

      {feeds.isError ? (
        <Alert {...toneAlert(signedOut ? 'orange' : 'red')} icon={<Icon name="alert" />}>
          {signedOut ? t('settings.feeds.signIn') : feeds.error.message}
        </Alert>
      ) : !feeds.data ? (
        <Skeleton h={80} />
      ) : active.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('settings.feeds.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480} type="native" pos="relative">
          <Table verticalSpacing="xs" fz="sm" data-testid="feed-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.feeds.createdAt')}</Table.Th>
                <Table.Th scope="col">{t('settings.feeds.lastUsedAt')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('settings.feeds.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((feed) => (
                <Table.Tr key={feed.id}>
                  <Table.Td>{format.dateTime(feed.createdAt)}</Table.Td>
                  <Table.Td>
                    {feed.lastUsedAt ? format.dateTime(feed.lastUsedAt) : t('settings.feeds.neverUsed')}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      c={STRONG_TEXT.red}
                      onClick={() => setRevoking(feed)}
                      aria-label={t('settings.feeds.revokeLabel', { date: format.dateTime(feed.createdAt) })}
                    >
                      {t('settings.feeds.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text fz="xs" c="dimmed">
          {revoked.length > 0 ? t('settings.feeds.revokedCount', { count: revoked.length }) : null}
        </Text>
        <Button
          onClick={() =>
            create.mutate(undefined, {
              onSuccess: (feed) => setCreated(feed),
            })
          }
          loading={create.isPending}
          disabled={signedOut}
          leftSection={<Icon name="link" size={16} />}
        >
          {t('settings.feeds.create')}
        </Button>
      </Group>
      {create.isError && (
        <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert">
          {create.error.message}
        </Alert>
      )}

      <Modal
        opened={revoking != null}
        onClose={() => setRevoking(null)}
        title={
          <Text component="span" fw={700}>
            {t('settings.feeds.revokeTitle')}
          </Text>
        }
        closeButtonProps={{ 'aria-label': t('settings.feeds.cancel') }}
      >
        <Stack gap="md">
          <Text fz="sm">{t('settings.feeds.revokeBody')}</Text>
          {revoke.isError && (
            <Alert {...toneAlert('red')} role="alert">
              {revoke.error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t('settings.feeds.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={revoke.isPending}
              onClick={() =>
                revoking &&
                revoke.mutate(revoking.id, {
                  onSuccess: () => {
                    setRevoking(null);
                    setCreated((current) => (current?.id === revoking.id ? null : current));
                  },
                })
              }
            >
              {t('settings.feeds.revokeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SettingsSection>
  );
}
