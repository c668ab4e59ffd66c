import { Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TImportJob } from '../../api/imports.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { type RateSample, rowsPerSecond } from './wizard.ts';

/** Step 5: the running job, polled: a progress bar, rows so far of the (estimated) total, and the speed. */
export function ProgressStep({ job }: { job: TImportJob }) {
  const { t } = useTranslation();
  const format = useFormat();
  const samples = useRef<RateSample[]>([]);
  const [rate, setRate] = useState<number | null>(null);
  const processed = job.progress.processedRows;

  useEffect(() => {
    const list = samples.current;
    const now = performance.now();
    if (list.length === 0 || list[list.length - 1]?.rows !== processed)
      list.push({ at: now, rows: processed });
    if (list.length > 50) list.splice(0, list.length - 50);
    setRate(rowsPerSecond(list));
  }, [processed]);

  const fraction = job.progress.fraction;
  const percent = fraction != null ? Math.max(0, Math.min(100, Math.round(fraction * 100))) : null;
  const phase = job.state === 'queued' ? 'queued' : job.phase === 'merging' ? 'merging' : 'reading';

  return (
    <Stack gap="md" data-testid="import-progress">
      <Group justify="space-between" align="baseline" gap="xs">
        <Text fw={600} aria-live="polite" data-testid="import-phase">
          {t(`import.progress.phase.${phase}`)}
        </Text>
        <Text fz="sm" c="dimmed" className="tabular">
          {percent != null ? t('import.progress.percent', { percent }) : ''}
        </Text>
      </Group>
      <Progress
        value={percent ?? 100}
        animated={percent == null || phase !== 'reading'}
        striped={percent == null || phase !== 'reading'}
        size="xl"
        radius="xl"
        aria-label={t('import.progress.label', { name: job.fileName })}
        aria-valuetext={
          percent != null ? t('import.progress.percent', { percent }) : t(`import.progress.phase.${phase}`)
        }
      />
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text fz="sm" className="tabular" data-testid="import-rows">
          {job.progress.totalRows > 0
            ? t('import.progress.rowsOf', {
                processed: format.number(processed),
                total: format.number(job.progress.totalRows),
              })
            : t('import.progress.rows', { processed: format.number(processed) })}
        </Text>
        <Text fz="sm" c="dimmed" className="tabular" data-testid="import-rate">
          {rate != null && rate > 0
            ? t('import.progress.rate', { rate: format.number(Math.round(rate)) })
            : ''}
        </Text>
      </Group>
      <Text fz="sm" c="dimmed">
        {t('import.progress.leave')}
      </Text>
    </Stack>
  );
}
