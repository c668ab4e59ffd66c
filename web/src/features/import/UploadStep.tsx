import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { type TImportJob, type UploadHandle, uploadImportFile } from '../../api/imports.ts';
import { Icon } from '../../components/icons.tsx';
import { INTL_LOCALE } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import {
  ACCEPT_ATTRIBUTE,
  ACCEPTED_EXTENSIONS,
  DEFAULT_UPLOAD_LIMIT_BYTES,
  formatBytes,
  isAcceptedFile,
} from './wizard.ts';

interface Props {
  onUploaded: (job: TImportJob) => void;
}

type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; file: File; sent: number; total: number }
  | { kind: 'error'; file: File | null; message: string; title: string };

/** Step 1: drop a file or pick one; it is uploaded at once, with its progress, and becomes an import job. */
export function UploadStep({ onUploaded }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = INTL_LOCALE[format.language];
  const input = useRef<HTMLInputElement>(null);
  const upload = useRef<UploadHandle | null>(null);
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const [limit, setLimit] = useState(DEFAULT_UPLOAD_LIMIT_BYTES);

  useEffect(() => () => upload.current?.abort(), []);

  const start = (file: File) => {
    if (!isAcceptedFile(file.name)) {
      setState({
        kind: 'error',
        file,
        title: t('import.upload.errors.typeTitle'),
        message: t('import.upload.errors.type', { name: file.name, types: ACCEPTED_EXTENSIONS.join(' ') }),
      });
      return;
    }
    if (file.size === 0) {
      setState({
        kind: 'error',
        file,
        title: t('import.upload.errors.failedTitle'),
        message: t('import.upload.errors.empty', { name: file.name }),
      });
      return;
    }
    setState({ kind: 'uploading', file, sent: 0, total: file.size });
    const handle = uploadImportFile(file, (sent, total) =>
      setState((current) => (current.kind === 'uploading' ? { ...current, sent, total } : current)),
    );
    upload.current = handle;
    handle.promise.then(
      (job) => {
        upload.current = null;
        onUploaded(job);
      },
      (error: unknown) => {
        upload.current = null;
        if (error instanceof DOMException && error.name === 'AbortError') {
          setState({ kind: 'idle' });
          return;
        }
        const details =
          error instanceof ApiError ? (error.details as { limitBytes?: number } | undefined) : undefined;
        const known = typeof details?.limitBytes === 'number' ? details.limitBytes : limit;
        if (details?.limitBytes) setLimit(details.limitBytes);
        const tooLarge =
          error instanceof ApiError && (error.status === 413 || (error.isNetworkError && file.size > known));
        setState({
          kind: 'error',
          file,
          title: tooLarge ? t('import.upload.errors.tooLargeTitle') : t('import.upload.errors.failedTitle'),
          message: tooLarge
            ? t('import.upload.errors.tooLarge', {
                name: file.name,
                size: formatBytes(file.size, locale),
                limit: formatBytes(known, locale),
              })
            : error instanceof ApiError && error.isNetworkError
              ? t('errors.network')
              : error instanceof Error
                ? error.message
                : String(error),
        });
      },
    );
  };

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file) start(file);
    if (input.current) input.current.value = '';
  };

  const uploading = state.kind === 'uploading';
  const percent = uploading && state.total > 0 ? Math.round((state.sent / state.total) * 100) : 0;

  return (
    <Stack gap="md">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; its button is the keyboard path */}
      <div
        className="import-dropzone"
        data-dragging={dragging || undefined}
        data-testid="import-dropzone"
        onDragEnter={(event) => {
          event.preventDefault();
          if (!uploading) setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = uploading ? 'none' : 'copy';
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (!uploading) pick(event.dataTransfer.files);
        }}
      >
        <input
          ref={input}
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          className="import-file-input"
          aria-label={t('import.upload.choose')}
          tabIndex={-1}
          onChange={(event) => pick(event.currentTarget.files)}
          data-testid="import-file-input"
        />
        <Stack align="center" gap={6}>
          <span className="import-dropzone-icon" aria-hidden="true">
            <Icon name="import" size={28} />
          </span>
          <Text fw={600} fz="lg" id="import-drop-title">
            {t('import.upload.drop')}
          </Text>
          <Text fz="sm" c="dimmed" ta="center">
            {t('import.upload.types', { types: ACCEPTED_EXTENSIONS.join(' · ') })}
          </Text>
          <Text fz="sm" c="dimmed" ta="center" data-testid="import-limit">
            {t('import.upload.limit', { limit: formatBytes(limit, locale) })}
          </Text>
          <Button mt="xs" radius="md" onClick={() => input.current?.click()} disabled={uploading}>
            {t('import.upload.choose')}
          </Button>
        </Stack>
      </div>

      {uploading && (
        <Stack gap={6} data-testid="upload-progress">
          <Group justify="space-between" gap="xs">
            <Text fz="sm" fw={600} truncate>
              {t('import.upload.uploading', { name: state.file.name })}
            </Text>
            <Text fz="sm" c="dimmed" className="tabular">
              {t('import.upload.sent', {
                sent: formatBytes(state.sent, locale),
                total: formatBytes(state.total, locale),
                percent,
              })}
            </Text>
          </Group>
          <Progress value={percent} size="lg" radius="xl" aria-label={t('import.upload.progressLabel')} />
          <Group justify="flex-end">
            <Button variant="subtle" color="gray" size="xs" onClick={() => upload.current?.abort()}>
              {t('import.upload.cancel')}
            </Button>
          </Group>
        </Stack>
      )}

      {state.kind === 'error' && (
        <Alert
          color="red"
          variant="light"
          icon={<Icon name="alert" />}
          title={state.title}
          role="alert"
          data-testid="upload-error"
        >
          <Text fz="sm">{state.message}</Text>
        </Alert>
      )}

      <Text fz="sm" c="dimmed">
        {t('import.upload.privacy')}
      </Text>
    </Stack>
  );
}
