import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toneAlert } from '../features/plan/tone.ts';
import { Icon } from './icons.tsx';

export type ConflictRecord =
  | 'settings'
  | 'cadence'
  | 'territory'
  | 'team'
  | 'person'
  | 'daysOff'
  | 'market'
  | 'account';

interface Props {
  /** What was edited: names it in the title ("Someone else just changed this territory"). */
  record: ConflictRecord;
  /** Saves the user's change again, on top of what is saved now (the version the conflict carried). */
  onRetry: () => void;
  /** Drops the user's change: the form shows what is saved now. */
  onDiscard: () => void;
  retrying?: boolean;
  /** What is saved now, when the form does not show it by itself. */
  children?: ReactNode;
}

/**
 * Someone else saved the record while it was being edited (409 version_conflict): nothing of this edit was saved.
 * What is saved now has been loaded; the user's change is still in the form, to apply on top of it or drop. The
 * same choice the account page's stage control and the playbook editor offer.
 */
export function VersionConflictAlert({ record, onRetry, onDiscard, retrying = false, children }: Props) {
  const { t } = useTranslation();
  return (
    <Alert
      {...toneAlert('orange')}
      icon={<Icon name="alert" />}
      title={t(`conflict.title.${record}`)}
      role="alert"
      data-testid="version-conflict"
    >
      <Stack gap="xs">
        <Text fz="sm">{t('conflict.body')}</Text>
        {children}
        <Group gap="xs">
          <Button size="xs" onClick={onRetry} loading={retrying}>
            {t('conflict.retry')}
          </Button>
          <Button size="xs" variant="default" onClick={onDiscard} disabled={retrying}>
            {t('conflict.discard')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
