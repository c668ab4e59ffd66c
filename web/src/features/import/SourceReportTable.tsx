import { Badge, Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TSourceReport } from '../../api/imports.ts';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { cleaningTime } from './wizard.ts';

/**
 * Per source (method §1): accounts it supplied, how many are in the target market, and what each in-market
 * account cost in money and in cleaning time: the purchased-versus-free trade-off, in numbers.
 */
export function SourceReportTable({ sources }: { sources: TSourceReport[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const hours = (value: number | null) => {
    if (value == null) return '—';
    const time = cleaningTime(value);
    return time.unit === 'hours'
      ? t('import.sources.hoursValue', { value: format.number(time.value) })
      : t('import.sources.minutesValue', { value: format.number(time.value) });
  };
  return (
    <Paper withBorder radius="md" className="import-table-wrap">
      <ScrollTable minWidth={820} labelledBy="sources-heading">
        <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="source-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('import.sources.columns.name')}</Table.Th>
              <Table.Th scope="col">{t('import.sources.columns.kind')}</Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.cost')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.hours')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.accounts')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.inMarket')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.costPerInMarket')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.sources.columns.hoursPerInMarket')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sources.map((source) => (
              <Table.Tr key={source.id} data-testid="source-row" data-source={source.name}>
                <Table.Th scope="row" fw={600}>
                  <Text fz="sm" fw={600}>
                    {source.name}
                  </Text>
                  {source.acquiredOn && (
                    <Text fz="xs" c="dimmed">
                      {t('import.sources.acquired', { date: format.date(source.acquiredOn) })}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  <Badge
                    variant="light"
                    radius="sm"
                    tt="none"
                    miw="max-content"
                    color={source.kind === 'purchased' ? 'indigo' : 'teal'}
                    c={source.kind === 'purchased' ? 'indigo.9' : STRONG_TEXT.teal}
                  >
                    {t(`import.source.kinds.${source.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td className="numeric">{format.money(source.cost)}</Table.Td>
                <Table.Td className="numeric">{hours(source.cleaningHours)}</Table.Td>
                <Table.Td className="numeric">{format.number(source.accounts)}</Table.Td>
                <Table.Td className="numeric">
                  {format.number(source.inMarket)}
                  {source.accounts > 0 && (
                    <Text span fz="xs" c="dimmed" ml={4}>
                      ({Math.round((source.inMarket / source.accounts) * 100)}%)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="numeric" data-testid="cost-per-in-market">
                  {source.costPerInMarketAccount == null
                    ? '—'
                    : format.money(Math.round(source.costPerInMarketAccount))}
                </Table.Td>
                <Table.Td className="numeric">{hours(source.hoursPerInMarketAccount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Paper>
  );
}
