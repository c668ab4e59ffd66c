import { Paper, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TImportPreview } from '../../api/imports.ts';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { INTL_LOCALE } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import type { SourceDraft } from './SourceStep.tsx';
import { formatBytes } from './wizard.ts';

interface Props {
  fileName: string;
  preview: TImportPreview | undefined;
  source: SourceDraft;
  newerSourceWins: boolean;
  onNewerSourceWins: (value: boolean) => void;
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text fz="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** Step 4: what will be imported, from where, and how a match with an existing account is merged. */
export function ConfirmStep({ fileName, preview, source, newerSourceWins, onNewerSourceWins }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const columns = preview?.mapping.filter((column) => !column.ignored) ?? [];
  const mapped = columns.filter((column) => column.field != null).length;
  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md" bg="gray.0">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
          <Fact label={t('import.confirm.file')} value={fileName} testId="confirm-file" />
          <Fact
            label={t('import.confirm.size')}
            value={preview ? formatBytes(preview.detected.fileSize, INTL_LOCALE[format.language]) : '—'}
          />
          <Fact
            label={t('import.confirm.columns')}
            value={t('import.mapping.summary', { mapped, custom: columns.length - mapped })}
          />
          <Fact label={t('import.confirm.source')} value={source.name} testId="confirm-source" />
          <Fact label={t('import.confirm.kind')} value={t(`import.source.kinds.${source.kind}`)} />
          {/* Not entered: unknown ("—"), as the Sources table shows it; a free list costs nothing. */}
          <Fact
            label={t('import.confirm.cost')}
            value={format.money(source.cost ?? (source.kind === 'free' ? 0 : null))}
          />
          <Fact label={t('import.confirm.acquiredOn')} value={format.date(source.acquiredOn || null)} />
          <Fact
            label={t('import.confirm.cleaningHours')}
            value={
              source.cleaningHours == null
                ? EMPTY_VALUE
                : t('import.confirm.hours', { count: source.cleaningHours })
            }
          />
        </SimpleGrid>
      </Paper>

      <Stack gap={6}>
        <Text fz="sm" fw={600}>
          {t('import.confirm.dedupeTitle')}
        </Text>
        <Text fz="sm" c="dimmed">
          {t('import.confirm.dedupe')}
        </Text>
      </Stack>

      <Switch
        checked={newerSourceWins}
        onChange={(event) => onNewerSourceWins(event.currentTarget.checked)}
        label={t('import.confirm.newerSourceWins')}
        description={
          newerSourceWins ? t('import.confirm.newerSourceWinsOn') : t('import.confirm.newerSourceWinsOff')
        }
        size="md"
        data-testid="newer-source-wins"
      />
    </Stack>
  );
}
