import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';

interface Props {
  id: string;
  title: string;
  description?: ReactNode;
  /** The viewer may only read this section (a rep): says so under the title. */
  readOnly?: boolean;
  children: ReactNode;
}

/** One settings area: a titled card the page's table of contents links to (`/settings#id`). */
export function SettingsSection({ id, title, description, readOnly = false, children }: Props) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'lg' }}
      component="section"
      id={id}
      aria-labelledby={`${id}-title`}
      style={{ scrollMarginTop: 80 }}
    >
      <Stack gap="md">
        <div>
          <Title order={2} fz="h4" id={`${id}-title`}>
            {title}
          </Title>
          {description && (
            <Text fz="sm" c="dimmed" mt={4} maw={720}>
              {description}
            </Text>
          )}
          {readOnly && (
            <Group gap={6} mt={6} wrap="nowrap" data-testid="settings-read-only-note">
              <Icon name="info" size={16} />
              <Text fz="sm" fw={500}>
                {t('settings.readOnly.section')}
              </Text>
            </Group>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

/** A section's values as text, for someone who may only read them: a definition list of label and value. */
export function ReadOnlyFields({ children, cols = 3 }: { children: ReactNode; cols?: number }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: cols }} spacing="sm" m={0} data-testid="read-only-fields">
      {children}
    </SimpleGrid>
  );
}

export function ReadOnlyField({
  label,
  hint,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <Text component="dt" fz="sm" fw={500}>
        {label}
      </Text>
      <Text component="dd" m={0} fz="lg" fw={700}>
        {children}
      </Text>
      {hint && (
        <Text component="dd" m={0} mt={2} fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

interface SaveBarProps {
  dirty: boolean;
  saving: boolean;
  saved: boolean;
  error: Error | null;
  /** Someone else saved meanwhile: the VersionConflictAlert to show instead of the error. */
  conflict?: ReactNode;
  onReset: () => void;
  label?: string;
  extra?: ReactNode;
}

/** Save and undo for a section's form, with what happened said aloud. */
export function SaveBar({ dirty, saving, saved, error, conflict, onReset, label, extra }: SaveBarProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {conflict}
      {error && !conflict && (
        <Alert
          {...toneAlert('red')}
          icon={<Icon name="alert" />}
          title={t('settings.saveFailed')}
          role="alert"
        >
          {error.message}
        </Alert>
      )}
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text fz="sm" c={STRONG_TEXT.teal} role="status" mih={22}>
          {saved && !dirty ? t('settings.saved') : ''}
        </Text>
        <Group gap="xs">
          {extra}
          <Button variant="default" onClick={onReset} disabled={!dirty || saving}>
            {t('settings.undo')}
          </Button>
          <Button type="submit" disabled={!dirty} loading={saving}>
            {label ?? t('settings.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
