import { Alert, Drawer, Group, SegmentedControl, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type TPlaybookObjection, useEffectiveness } from '../../api/playbook.ts';
import { isoWeekMonday, isoWeekSunday } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { Effectiveness } from './Effectiveness.tsx';
import { formatShare } from './stats.ts';
import { apiLang, inLang, objectionTitle, sortResponses } from './text.ts';

// recharts is big: it loads with the first "what works" panel, not with the playbook.
const TrendChart = lazy(() => import('./TrendChart.tsx'));

interface Props {
  objection: TPlaybookObjection | null;
  onClose: () => void;
}

type Grouping = 'user' | 'team';

/** What works for one objection: each response's record, the trend by week, and per rep or team. */
export function WhatWorksDrawer({ objection, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  /** A week of the trend as its days, 11月2日–11月8日 / Nov 2–Nov 8, as the dashboard's weeks read. */
  const weekRange = (period: string) => {
    const monday = isoWeekMonday(period);
    return monday ? `${format.shortDate(monday)}–${format.shortDate(isoWeekSunday(period))}` : period;
  };
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const [grouping, setGrouping] = useState<Grouping>('user');
  const objectionId = objection?.id;
  const trend = useEffectiveness({ period: 'week', objectionId }, objectionId != null);
  const groups = useEffectiveness({ groupBy: grouping, objectionId }, objectionId != null);

  const points = useMemo(
    () =>
      (trend.data?.rows ?? [])
        .filter((row) => row.period)
        .map((row) => ({
          period: row.period ?? '',
          label: format.isoWeek(row.period ?? ''),
          met: row.count,
          successes: row.successes,
          rate: row.successRate == null ? null : Math.round(row.successRate * 100),
        })),
    [trend.data, format],
  );
  const responseName = useMemo(() => {
    const names = new Map<string, string>();
    objection?.responses.forEach((r, i) => {
      names.set(r.id, r.preferred ? t('playbook.preferred') : t('playbook.alternativeN', { n: i + 1 }));
    });
    return names;
  }, [objection, t]);

  return (
    <Drawer
      opened={objection != null}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 560}
      title={
        <Title order={2} fz="h4" component="span">
          {objection ? t('playbook.whatWorks.title', { name: objectionTitle(objection, lang) }) : ''}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('playbook.whatWorks.close') }}
      data-testid="what-works"
    >
      {objection && (
        <Stack gap="lg">
          <Text fz="sm" c="gray.7">
            {t('playbook.whatWorks.intro')}
          </Text>
          <section aria-labelledby="ww-responses">
            <Title order={3} fz="sm" mb="xs" id="ww-responses">
              {t('playbook.whatWorks.responses')}
            </Title>
            <Stack gap="sm">
              {sortResponses(objection.responses, 'effectiveness').map((response) => (
                <div key={response.id} className="ww-response">
                  <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                    <Text fz="sm" lineClamp={2} style={{ flex: 1 }}>
                      {inLang(response, lang)}
                    </Text>
                    <Text fz="xs" c="gray.7" className="nowrap">
                      {responseName.get(response.id)}
                    </Text>
                  </Group>
                  <Effectiveness stats={response.stats} kind="used" fz="xs" />
                </div>
              ))}
            </Stack>
          </section>

          <section aria-labelledby="ww-trend">
            <Title order={3} fz="sm" mb={4} id="ww-trend">
              {t('playbook.whatWorks.trend')}
            </Title>
            <Text fz="xs" c="gray.7" mb="xs">
              {t('playbook.whatWorks.trendLegend')}
            </Text>
            {trend.isError ? (
              <Alert color="red" variant="light">
                {t('playbook.whatWorks.failed')}
              </Alert>
            ) : !trend.data ? (
              <Skeleton height={180} radius="md" />
            ) : points.length === 0 ? (
              <Text fz="sm" c="dimmed">
                {t('playbook.whatWorks.noData')}
              </Text>
            ) : (
              <>
                <Suspense fallback={<Skeleton height={180} radius="md" />}>
                  <TrendChart points={points} />
                </Suspense>
                <Table fz="xs" mt="xs" verticalSpacing={2} className="ww-table">
                  <caption className="visually-hidden-caption">{t('playbook.whatWorks.trend')}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('playbook.whatWorks.week')}</Table.Th>
                      <Table.Th scope="col" className="numeric">
                        {t('playbook.whatWorks.met')}
                      </Table.Th>
                      <Table.Th scope="col" className="numeric">
                        {t('playbook.whatWorks.share')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {points.map((point) => (
                      <Table.Tr key={point.period}>
                        <Table.Td className="nowrap">{weekRange(point.period)}</Table.Td>
                        <Table.Td className="numeric">{format.number(point.met)}</Table.Td>
                        <Table.Td className="numeric">
                          {formatShare(point.rate == null ? null : point.rate / 100, format.language)}
                          <Text span fz="xs" c="dimmed">
                            {' '}
                            ({point.successes}/{point.met})
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            )}
          </section>

          <section aria-labelledby="ww-groups">
            <Group justify="space-between" mb="xs" gap="xs">
              <Title order={3} fz="sm" id="ww-groups">
                {t('playbook.whatWorks.byGroup')}
              </Title>
              <SegmentedControl
                size="xs"
                value={grouping}
                onChange={(value) => setGrouping(value as Grouping)}
                data={[
                  { value: 'user', label: t('playbook.whatWorks.perRep') },
                  { value: 'team', label: t('playbook.whatWorks.perTeam') },
                ]}
                aria-label={t('playbook.whatWorks.byGroup')}
              />
            </Group>
            {!groups.data ? (
              groups.isError ? (
                <Alert color="red" variant="light">
                  {t('playbook.whatWorks.failed')}
                </Alert>
              ) : (
                <Skeleton height={80} radius="md" />
              )
            ) : groups.data.rows.length === 0 ? (
              <Text fz="sm" c="dimmed">
                {t('playbook.whatWorks.noData')}
              </Text>
            ) : (
              <Table fz="sm" verticalSpacing={6} data-testid="what-works-groups">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">
                      {grouping === 'user' ? t('playbook.whatWorks.rep') : t('playbook.whatWorks.team')}
                    </Table.Th>
                    <Table.Th scope="col">{t('playbook.whatWorks.result')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {groups.data.rows.map((row) => (
                    <Table.Tr key={row.groupId ?? 'none'}>
                      <Table.Td>{row.groupName ?? t('playbook.whatWorks.noTeam')}</Table.Td>
                      <Table.Td>
                        <Effectiveness stats={row} kind="met" fz="xs" />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </section>
        </Stack>
      )}
    </Drawer>
  );
}
