import { Button, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormFooter } from './FormFooter.tsx';

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
        <FormFooter error={error} onCancel={onClose}>
          <Button color={danger ? 'red.8' : undefined} loading={pending} onClick={onConfirm} data-autofocus>
            {confirmLabel}
          </Button>
        </FormFooter>
      </Stack>
    </Modal>
  );
}
