import {
  Alert,
  Badge,
  Group,
  NativeSelect,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { TImportFieldKey, TImportPreview } from '../../api/imports.ts';
import { Icon } from '../../components/icons.tsx';
import { INTL_LOCALE } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import {
  columnIssueCount,
  delimiterKey,
  duplicateFields,
  formatBytes,
  issuesByColumn,
  PREVIEW_GRID_ROWS,
  previewRowCounts,
  sampleValues,
} from './wizard.ts';

/** Encodings by the names people know them by (the API gives Node's: utf8, utf16le …). */
const ENCODING_NAMES: Record<string, string> = {
  utf8: 'UTF-8',
  utf16le: 'UTF-16 LE',
  utf16be: 'UTF-16 BE',
  gb18030: 'GB18030',
};

const CUSTOM = '__custom__';

interface Props {
  preview: TImportPreview;
  fileName: string;
  busy: boolean;
  onChangeField: (header: string, field: TImportFieldKey | null) => void;
}

function DetectedFormat({ preview, fileName }: { preview: TImportPreview; fileName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const detected = preview.detected;
  const delimiter = delimiterKey(detected.delimiter);
  const items: { label: string; value: string; testId: string }[] = [
    { label: t('import.mapping.detected.file'), value: fileName, testId: 'detected-file' },
    {
      label: t('import.mapping.detected.size'),
      value: formatBytes(detected.fileSize, INTL_LOCALE[format.language]),
      testId: 'detected-size',
    },
  ];
  if (detected.kind === 'xlsx') {
    items.push({
      label: t('import.mapping.detected.sheet'),
      value: detected.sheet ?? '—',
      testId: 'detected-sheet',
    });
  } else {
    items.push({
      label: t('import.mapping.detected.encoding'),
      value: detected.encoding ? (ENCODING_NAMES[detected.encoding] ?? detected.encoding.toUpperCase()) : '—',
      testId: 'detected-encoding',
    });
    items.push({
      label: t('import.mapping.detected.delimiter'),
      value: delimiter ? t(`import.mapping.delimiters.${delimiter}`) : '—',
      testId: 'detected-delimiter',
    });
  }
  items.push({
    label: t('import.mapping.detected.headerLine'),
    value: t('import.mapping.detected.line', { line: detected.headerLine }),
    testId: 'detected-header-line',
  });
  return (
    <dl className="import-detected" aria-label={t('import.mapping.detected.label')}>
      {items.map((item) => (
        <div key={item.testId}>
          <dt>{item.label}</dt>
          <dd data-testid={item.testId}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Step 3: each column of the file with its header, the field it fills (or kept as a custom field), sample
 * values and the warnings found in the first rows; then the first rows themselves, problem cells marked.
 */
export function MappingStep({ preview, fileName, busy, onChangeField }: Props) {
  const { t } = useTranslation();
  const twice = duplicateFields(preview.mapping);
  const fieldOptions = [
    { value: CUSTOM, label: t('import.mapping.custom') },
    ...preview.fields.map((field) => ({ value: field, label: t(`import.fields.${field}`) })),
  ];
  const columns = preview.mapping.filter((column) => !column.ignored);
  const mappedCount = columns.filter((column) => column.field != null).length;
  const rows = preview.rows.slice(0, PREVIEW_GRID_ROWS);
  const counts = previewRowCounts(preview.rows);

  return (
    <Stack gap="lg" aria-busy={busy}>
      <DetectedFormat preview={preview} fileName={fileName} />

      {preview.usedRememberedMapping && (
        <Alert color="indigo" variant="light" icon={<Icon name="history" />}>
          {t('import.mapping.remembered')}
        </Alert>
      )}
      {(preview.mappingErrors.length > 0 || preview.conflicts.length > 0) && (
        <Alert
          color="orange"
          variant="light"
          icon={<Icon name="alert" />}
          title={t('import.mapping.problems')}
          styles={{ title: { color: STRONG_TEXT.orange } }}
          data-testid="mapping-problems"
        >
          <ul className="import-problem-list">
            {[...preview.mappingErrors, ...preview.conflicts].map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Alert>
      )}

      <section aria-labelledby="import-columns-heading">
        <Group justify="space-between" align="baseline" mb="xs" gap="xs">
          <Title order={3} fz="md" id="import-columns-heading">
            {t('import.mapping.columnsHeading')}
          </Title>
          <Text fz="sm" c="dimmed" aria-live="polite" data-testid="mapping-summary">
            {t('import.mapping.summary', {
              mapped: t('import.mapping.mappedCount', { count: mappedCount }),
              custom: t('import.mapping.customCount', { count: columns.length - mappedCount }),
            })}
          </Text>
        </Group>
        <Paper withBorder radius="md" className="import-table-wrap">
          <ScrollArea
            type="auto"
            offsetScrollbars="x"
            viewportProps={{ tabIndex: 0, role: 'region', 'aria-labelledby': 'import-columns-heading' }}
          >
            <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="mapping-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('import.mapping.columns.header')}</Table.Th>
                  <Table.Th scope="col" w={240}>
                    {t('import.mapping.columns.field')}
                  </Table.Th>
                  <Table.Th scope="col">{t('import.mapping.columns.samples')}</Table.Th>
                  <Table.Th scope="col" w={140}>
                    {t('import.mapping.columns.check')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {columns.map((column) => {
                  const issues = columnIssueCount(preview, column.header);
                  const duplicate = column.field != null && twice.has(column.field);
                  return (
                    <Table.Tr key={column.index} data-testid="mapping-row" data-header={column.header}>
                      <Table.Th scope="row" fw={600} className="import-header-cell">
                        {column.header || t('import.mapping.untitled', { index: column.index + 1 })}
                      </Table.Th>
                      <Table.Td>
                        <NativeSelect
                          size="xs"
                          miw={180}
                          aria-label={t('import.mapping.fieldFor', { header: column.header })}
                          data={fieldOptions}
                          value={column.field ?? CUSTOM}
                          error={duplicate ? t('import.mapping.duplicate') : undefined}
                          onChange={(event) => {
                            const value = event.currentTarget.value;
                            onChangeField(
                              column.header,
                              value === CUSTOM ? null : (value as TImportFieldKey),
                            );
                          }}
                          data-mapped={column.field ?? 'custom'}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text fz="sm" c="dimmed" lineClamp={1} className="import-samples">
                          {sampleValues(preview, column.index).join(' · ') || t('import.mapping.noSamples')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {issues > 0 ? (
                          <Badge color="orange" c={STRONG_TEXT.orange} variant="light" radius="sm">
                            {t('import.mapping.issueCount', { count: issues })}
                          </Badge>
                        ) : column.field == null ? (
                          <Badge color="gray" c="gray.8" variant="light" radius="sm">
                            {t('import.mapping.keptCustom')}
                          </Badge>
                        ) : (
                          <Badge color="teal" c={STRONG_TEXT.teal} variant="light" radius="sm">
                            {t('import.mapping.ok')}
                          </Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      </section>

      <section aria-labelledby="import-rows-heading">
        <Group justify="space-between" align="baseline" mb="xs" gap="xs">
          <Title order={3} fz="md" id="import-rows-heading">
            {t('import.mapping.rowsHeading', { count: counts.shown })}
          </Title>
          <Text fz="sm" c="dimmed" data-testid="preview-counts">
            {/* Counted over every row the preview read, and said so when the grid shows fewer of them. */}
            {t(counts.read > counts.shown ? 'import.mapping.rowCountsRead' : 'import.mapping.rowCounts', {
              count: counts.read,
              ok: counts.ok,
              warning: counts.warning,
              rejected: counts.rejected,
            })}
          </Text>
        </Group>
        <Paper withBorder radius="md" className="import-table-wrap">
          <ScrollArea
            type="auto"
            offsetScrollbars="x"
            viewportProps={{ tabIndex: 0, role: 'region', 'aria-labelledby': 'import-rows-heading' }}
          >
            <Table
              verticalSpacing={6}
              horizontalSpacing="sm"
              className="import-grid"
              data-testid="preview-grid"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" className="numeric">
                    {t('import.mapping.line')}
                  </Table.Th>
                  {columns.map((column) => (
                    <Table.Th scope="col" key={column.index}>
                      <span className="import-grid-header">{column.header}</span>
                      <Text fz="xs" c={column.field ? 'indigo.8' : 'dimmed'} fw={500}>
                        {column.field ? t(`import.fields.${column.field}`) : t('import.mapping.customShort')}
                      </Text>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => {
                  const issues = issuesByColumn(row);
                  const rowIssues = issues.get('') ?? [];
                  return (
                    <Fragment key={row.line}>
                      <Table.Tr data-status={row.status} data-testid="preview-row">
                        <Table.Td className="numeric import-line-cell">
                          {row.line}
                          {row.status === 'rejected' && (
                            <Text fz="xs" fw={700} c={STRONG_TEXT.red}>
                              {t('import.mapping.rejected')}
                            </Text>
                          )}
                        </Table.Td>
                        {columns.map((column) => {
                          const cellIssues = issues.get(column.header) ?? [];
                          const severity = cellIssues.some((issue) => issue.severity === 'error')
                            ? 'error'
                            : cellIssues.length > 0
                              ? 'warning'
                              : undefined;
                          return (
                            <Table.Td key={column.index} data-issue={severity} className="import-cell">
                              <span className="import-cell-value">{row.cells[column.index] ?? ''}</span>
                              {cellIssues.map((issue) => (
                                <Text
                                  key={issue.reason}
                                  fz="xs"
                                  c={issue.severity === 'error' ? STRONG_TEXT.red : STRONG_TEXT.orange}
                                  className="import-cell-issue"
                                >
                                  {issue.severity === 'error'
                                    ? t('import.mapping.errorPrefix', { reason: issue.reason })
                                    : t('import.mapping.warningPrefix', { reason: issue.reason })}
                                </Text>
                              ))}
                            </Table.Td>
                          );
                        })}
                      </Table.Tr>
                      {rowIssues.length > 0 && (
                        <Table.Tr className="import-row-issue">
                          <Table.Td />
                          <Table.Td colSpan={columns.length}>
                            {rowIssues.map((issue) => (
                              <Text key={issue.reason} fz="xs" c={STRONG_TEXT.red}>
                                {t('import.mapping.errorPrefix', { reason: issue.reason })}
                              </Text>
                            ))}
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
        <Text fz="xs" c="dimmed" mt={6}>
          {t('import.mapping.gridCaption')}
        </Text>
      </section>
    </Stack>
  );
}
