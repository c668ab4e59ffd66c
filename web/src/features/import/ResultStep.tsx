import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { rejectsUrl, type TImportJob, useSourceReports } from '../../api/imports.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';

interface Props {
  job: TImportJob;
  onAnother: () => void;
}

const FIGURES = ['rows', 'created', 'merged', 'rejected', 'warnings'] as const;
type Figure = (typeof FIGURES)[number];
const FIGURE_COLOR: Record<Figure, string | undefined> = {
  rows: undefined,
  created: STRONG_TEXT.teal,
  merged: 'indigo.9',
  rejected: STRONG_TEXT.red,
  warnings: STRONG_TEXT.orange,
};

/** Step 6: what the import did, the rejected rows to download and fix, and where the accounts are now. */
export function ResultStep({ job, onAnother }: Props) {
  const { t } = useTranslation();
  const format = useFormat();

  if (job.state !== 'succeeded') {
    return (
      <Stack gap="md" align="flex-start">
        <Alert
          color="red"
          variant="light"
          icon={<Icon name="alert" />}
          title={job.state === 'cancelled' ? t('import.result.cancelled') : t('import.result.failed')}
          role="alert"
          w="100%"
          data-testid="import-failed"
        >
          <Text fz="sm">{job.error ?? t('errors.unknown')}</Text>
          <Text fz="sm" mt="xs">
            {t('import.result.failedHelp')}
          </Text>
        </Alert>
        <Button onClick={onAnother} variant="light">
          {t('import.result.another')}
        </Button>
      </Stack>
    );
  }

  const report = job.report;
  const counts = report ?? job.counts;
  const values: Record<Figure, number> = {
    rows: counts.rows,
    created: counts.created,
    merged: counts.merged,
    rejected: counts.rejected,
    warnings: counts.warnings,
  };

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" data-testid="import-result">
        {FIGURES.map((figure) => (
          <Paper key={figure} withBorder radius="md" p="md" className="import-figure" data-figure={figure}>
            <Text fz="xs" c="dimmed" fw={600} tt="uppercase" className="import-figure-label">
              {t(`import.result.figures.${figure}`)}
            </Text>
            <Text
              fz={28}
              fw={700}
              lh={1.2}
              c={values[figure] > 0 ? FIGURE_COLOR[figure] : undefined}
              className="tabular"
              data-testid={`result-${figure}`}
              data-value={values[figure]}
            >
              {format.number(values[figure])}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>

      {report && (
        <Text fz="sm" c="dimmed" data-testid="result-detail">
          {[
            t('import.result.detail.matchedExisting', { count: report.matchedExisting }),
            t('import.result.detail.duplicatesInFile', { count: report.duplicatesInFile }),
            t('import.result.detail.unchanged', { count: report.unchanged }),
          ].join(' · ')}
        </Text>
      )}
      {report && report.created === 0 && report.merged > 0 && (
        <Alert color="indigo" variant="light" icon={<Icon name="info" />}>
          {job.previousImport
            ? t('import.result.nothingNewAgain', { date: format.dateTime(job.previousImport.finishedAt) })
            : t('import.result.nothingNew')}
        </Alert>
      )}
      {report && report.warningsNotStored > 0 && (
        <Text fz="sm" c="dimmed">
          {t('import.result.warningsNotStored', { count: report.warningsNotStored })}
        </Text>
      )}

      {values.rejected > 0 ? (
        <Alert
          color="orange"
          variant="light"
          icon={<Icon name="alert" />}
          title={t('import.result.rejectedTitle', { count: values.rejected })}
          styles={{ title: { color: STRONG_TEXT.orange } }}
          data-testid="rejects-panel"
        >
          <Stack gap="sm" align="flex-start">
            <Text fz="sm">{t('import.result.rejectedHelp')}</Text>
            <Button
              component="a"
              href={rejectsUrl(job.id, format.language)}
              download
              leftSection={<Icon name="download" size={16} />}
              data-testid="download-rejects"
            >
              {t('import.result.download')}
            </Button>
          </Stack>
        </Alert>
      ) : (
        <Alert
          color="teal"
          variant="light"
          icon={<Icon name="check" />}
          title={t('import.result.cleanTitle')}
          styles={{ title: { color: STRONG_TEXT.teal } }}
        >
          {t('import.result.clean')}
        </Alert>
      )}

      {job.sourceId && <NextSteps sourceId={job.sourceId} />}

      <Group gap="sm">
        {job.sourceId && (
          <Button
            component={Link}
            to={`/accounts?source=${encodeURIComponent(job.sourceId)}`}
            variant="light"
            leftSection={<Icon name="accounts" size={16} />}
            data-testid="source-accounts-link"
          >
            {t('import.result.toAccounts')}
          </Button>
        )}
        <Button variant="default" onClick={onAnother} leftSection={<Icon name="import" size={16} />}>
          {t('import.result.another')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Where the imported accounts stand against the target market (method §1: a list is worth what it adds to the
 * market), with the way on: the market when none is in it, the plan when some are.
 */
function NextSteps({ sourceId }: { sourceId: string }) {
  const { t } = useTranslation();
  const sources = useSourceReports();
  const source = sources.data?.find((s) => s.id === sourceId);
  if (!source || source.accounts === 0) return null;
  const values = { count: source.accounts, inMarket: source.inMarket, source: source.name };
  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<Icon name="info" />}
      title={t('import.result.nextTitle')}
      data-testid="import-next"
    >
      <Stack gap="sm" align="flex-start">
        <Text fz="sm">
          {source.inMarket > 0
            ? t('import.result.inMarket', values)
            : t('import.result.noneInMarket', values)}
        </Text>
        <Group gap="sm">
          {source.inMarket > 0 ? (
            <>
              <Button
                component={Link}
                to={`/accounts?source=${encodeURIComponent(sourceId)}&inMarket=true`}
                size="xs"
                variant="light"
              >
                {t('import.result.toInMarket')}
              </Button>
              <Button component={Link} to="/plan" size="xs" variant="default">
                {t('import.result.toPlan')}
              </Button>
            </>
          ) : (
            <Button component={Link} to="/market" size="xs" variant="light">
              {t('import.result.toMarket')}
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
