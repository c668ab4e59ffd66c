import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';
import { toneAlert } from '../plan/tone.ts';

/**
 * The end of every form and confirmation of the Team page: the server's refusal (when no field shows it), then
 * Cancel and the form's own action (`children`).
 */
export function FormFooter({
  error,
  onCancel,
  children,
}: {
  error: Error | null | undefined | false;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
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
        <Button variant="default" onClick={onCancel}>
          {t('people.cancel')}
        </Button>
        {children}
      </Group>
    </>
  );
}
