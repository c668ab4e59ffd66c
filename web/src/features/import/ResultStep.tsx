import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuthStatus } from '../../api/auth.ts';
import {
  rejectsUrl,
  type TImportJob,
  useImportWarnings,
  useSourceReports,
  warningsUrl,
} from '../../api/imports.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';

interface Props {
  job: TImportJob;
  onAnother: () => void;
  /** Back into the wizard with the same upload, to start it again (a failed import whose file is kept). */
  onRetry?: () => void;
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
export function ResultStep({ job, onAnother, onRetry }: Props) {
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
          <Text fz="sm" mt="xs" data-testid="import-failed-help">
            {job.retryable && onRetry
              ? t('import.result.retryHelp')
              : job.fileExpiredAt
                ? t('import.result.fileExpired', { date: format.dateTime(job.fileExpiredAt) })
                : t('import.result.failedHelp')}
          </Text>
        </Alert>
        <Group gap="sm">
          {job.retryable && onRetry && (
            <Button
              onClick={onRetry}
              leftSection={<Icon name="import" size={16} />}
              data-testid="retry-import"
            >
              {t('import.result.retry')}
            </Button>
          )}
          <Button onClick={onAnother} variant={job.retryable && onRetry ? 'default' : 'light'}>
            {t('import.result.another')}
          </Button>
        </Group>
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
            ...(report.conflicts > 0
              ? [t('import.result.detail.conflicts', { count: report.conflicts })]
              : []),
          ].join(' · ')}
        </Text>
      )}
      {report && !report.dryRun && report.created > 0 && job.owner !== undefined && (
        <NewAccountsOwner owner={job.owner} created={report.created} sourceId={job.sourceId} />
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

      {values.warnings > 0 && <WarningsPanel jobId={job.id} count={values.warnings} />}

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
 * Who the accounts the import created belong to, with the way to them: the owner's accounts of this source, or
 * those of the source nobody owns (the Accounts list's Owner: Unassigned).
 */
function NewAccountsOwner({
  owner,
  created,
  sourceId,
}: {
  owner: NonNullable<TImportJob['owner']> | null;
  created: number;
  sourceId: string | null;
}) {
  const { t } = useTranslation();
  const user = useAuthStatus().data?.user;
  const text = !owner
    ? t('import.result.ownerNone', { count: created })
    : owner.id === user?.id
      ? user.role === 'manager'
        ? t('import.result.ownerMeHandOut', { count: created })
        : t('import.result.ownerMe', { count: created })
      : t('import.result.ownerOther', { count: created, name: owner.name });
  const params = new URLSearchParams();
  if (sourceId) params.set('source', sourceId);
  if (owner) params.set('ownerId', owner.id);
  else params.set('unassigned', 'true');
  return (
    <Text fz="sm" data-testid="result-owner">
      {text}{' '}
      <Anchor component={Link} to={`/accounts?${params}`} fz="sm" data-testid="result-owner-link">
        {owner ? t('import.result.ownerShow') : t('import.result.ownerShowUnassigned')}
      </Anchor>
    </Text>
  );
}

/** Warnings the result step lists; the download has them all. */
const WARNINGS_SHOWN = 10;

/**
 * The import's warnings (issue 3 §4: an unreadable optional value is imported as empty, with line, column, value
 * and reason): the first rows in a table, in the page's language, and a download of them all.
 */
function WarningsPanel({ jobId, count }: { jobId: string; count: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const warnings = useImportWarnings(jobId, format.language, { enabled: true, pageSize: WARNINGS_SHOWN });
  const items = warnings.data?.items ?? [];
  const total = warnings.data?.total ?? count;
  return (
    <section aria-labelledby="import-warnings-heading" data-testid="warnings-panel">
      <Group justify="space-between" align="center" mb="xs" gap="xs">
        <Title order={3} fz="md" id="import-warnings-heading" c={STRONG_TEXT.orange}>
          {t('import.result.warningsTitle', { count })}
        </Title>
        <Button
          component="a"
          href={warningsUrl(jobId, format.language)}
          download
          size="xs"
          variant="light"
          leftSection={<Icon name="download" size={14} />}
          data-testid="download-warnings"
        >
          {t('import.result.downloadWarnings')}
        </Button>
      </Group>
      <Text fz="sm" c="dimmed" mb="xs">
        {t('import.result.warningsHelp')}
      </Text>
      <Paper withBorder radius="md" className="import-table-wrap">
        <ScrollArea
          type="auto"
          offsetScrollbars="x"
          viewportProps={{ tabIndex: 0, role: 'region', 'aria-labelledby': 'import-warnings-heading' }}
        >
          <Table
            verticalSpacing={6}
            horizontalSpacing="sm"
            className="import-warnings"
            data-testid="warnings-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" className="numeric">
                  {t('import.result.warningsColumns.line')}
                </Table.Th>
                <Table.Th scope="col">{t('import.result.warningsColumns.column')}</Table.Th>
                <Table.Th scope="col">{t('import.result.warningsColumns.value')}</Table.Th>
                <Table.Th scope="col">{t('import.result.warningsColumns.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {warnings.isPending ? (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text fz="sm" c="dimmed">
                      {t('import.result.warningsLoading')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : warnings.isError ? (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text fz="sm" c={STRONG_TEXT.red} role="alert">
                      {warnings.error.message}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                items.map((warning) => (
                  <Table.Tr
                    // Several warnings of one line differ by column or reason.
                    key={`${warning.line}|${warning.column}|${warning.value}|${warning.reason}`}
                    data-testid="warning-row"
                    data-line={warning.line}
                  >
                    <Table.Td className="numeric tabular">{warning.line}</Table.Td>
                    <Table.Td>{warning.column ?? ''}</Table.Td>
                    <Table.Td className="import-warning-value">{warning.value ?? ''}</Table.Td>
                    <Table.Td>{warning.reason}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {items.length > 0 && total > items.length && (
        <Text fz="xs" c="dimmed" mt={4} data-testid="warnings-shown">
          {t('import.result.warningsShown', { shown: items.length, total })}
        </Text>
      )}
    </section>
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
