import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';
import { toneAlert } from '../plan/tone.ts';

/** Asks before a step that cannot simply be undone (disabling someone, deleting a territory). */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  danger = true,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: Error | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      closeButtonProps={{ 'aria-label': t('people.close') }}
    >
      <Stack gap="sm">
        <Text fz="sm" component="div">
          {children}
        </Text>
        {error && (
          <Alert
            {...toneAlert('red')}
            icon={<Icon name="alert" />}
            role="alert"
            title={t('people.form.failed')}
          >
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('people.cancel')}
          </Button>
          <Button color={danger ? 'red.8' : undefined} loading={pending} onClick={onConfirm} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
