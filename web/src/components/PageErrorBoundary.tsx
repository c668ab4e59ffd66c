import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons.tsx';

function PageFailed({ error }: { error: Error }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      variant="light"
      title={t('errors.pageFailed')}
      icon={<Icon name="alert" />}
      role="alert"
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{error.message || t('errors.unknown')}</Text>
        <Button size="xs" variant="white" color="red" onClick={() => window.location.reload()}>
          {t('errors.reload')}
        </Button>
      </Stack>
    </Alert>
  );
}

interface State {
  error: Error | null;
}

/** Catches a page that throws or whose chunk fails to load, and keeps the shell usable. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    return this.state.error ? <PageFailed error={this.state.error} /> : this.props.children;
  }
}
