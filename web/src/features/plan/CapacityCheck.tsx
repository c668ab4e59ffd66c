import {
  Badge,
  Group,
  Paper,
  SemiCircleProgress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TPlanResult } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { addDays } from './calendar.ts';
import { CHANNELS, LEVEL_COLOR, loadLevel, planUtilization, TIERS, weeklyAverage } from './load.ts';
import { usePlanFormat } from './use-plan-format.ts';

const LEVEL_TEXT = { ok: STRONG_TEXT.teal, tight: STRONG_TEXT.orange, over: STRONG_TEXT.red } as const;

/** Required calls and visits per working day and week, by tier, against capacity: the check before a commit. */
export function CapacityCheck({ plan }: { plan: TPlanResult }) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const overdue = plan.overdue.call + plan.overdue.visit;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-capacity-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={2} fz="h4" id="plan-capacity-title">
              {t('plan.capacity.title')}
            </Title>
            <Text fz="sm" c="dimmed" mt={4}>
              {t('plan.capacity.scope', {
                count: plan.accounts,
                workingDays: plan.workingDays,
                from: format.day(plan.from),
                to: format.day(addDays(plan.to, -1)),
              })}
            </Text>
          </div>
          {plan.accounts === 0 ? (
            // Nothing to plan: no verdict on capacity (0 accounts always "fit").
            <Badge
              size="lg"
              radius="sm"
              tt="none"
              variant="light"
              color="gray"
              c="gray.8"
              data-testid="plan-fits"
            >
              {t('plan.capacity.nothingToPlan')}
            </Badge>
          ) : (
            <Badge
              size="lg"
              radius="sm"
              tt="none"
              variant="light"
              color={plan.fits ? 'teal' : 'red'}
              c={plan.fits ? STRONG_TEXT.teal : STRONG_TEXT.red}
              leftSection={<Icon name={plan.fits ? 'check' : 'alert'} size={16} />}
              data-testid="plan-fits"
            >
              {plan.fits ? t('plan.capacity.fits') : t('plan.capacity.doesNotFit')}
            </Badge>
          )}
        </Group>

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {CHANNELS.map((channel) => {
            const required = plan.required[channel];
            const capacity = plan.capacity[channel];
            const used = planUtilization(plan, channel);
            const level = loadLevel(used);
            const shown = Number.isFinite(used) ? format.percent(used) : '∞';
            return (
              <Paper key={channel} radius="md" p="md" bg="gray.0" data-channel={channel}>
                <Group gap="md" wrap="nowrap" align="center">
                  <div
                    role="img"
                    aria-label={t('plan.capacity.gaugeLabel', {
                      channel: t(`plan.channel.${channel}`),
                      share: shown,
                      required: format.decimal(required?.perWorkingDay),
                      capacity: format.number(capacity?.perDay),
                    })}
                  >
                    <SemiCircleProgress
                      value={Math.min(100, Number.isFinite(used) ? used * 100 : 100)}
                      size={136}
                      thickness={14}
                      filledSegmentColor={LEVEL_COLOR[level]}
                      emptySegmentColor="var(--mantine-color-gray-3)"
                      transitionDuration={0}
                      label={
                        <Text component="span" fz={22} fw={700} c={LEVEL_TEXT[level]} aria-hidden="true">
                          {shown}
                        </Text>
                      }
                    />
                  </div>
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="nowrap">
                      <Icon name={channel === 'call' ? 'phone' : 'visit'} size={18} />
                      <Text fw={700}>{t(`plan.channel.${channel}s`)}</Text>
                    </Group>
                    {/* Each count with its unit on one line: 容量 260 次, not 容量 260 / 次. */}
                    <Text fz="sm">
                      {keepValuesTogether(
                        (values) => t('plan.capacity.perDay', values),
                        {
                          required: format.decimal(required?.perWorkingDay),
                          capacity: format.number(capacity?.perDay),
                        },
                        { units: true },
                      )}
                    </Text>
                    <Text fz="sm" c="dimmed">
                      {keepValuesTogether(
                        (values) => t('plan.capacity.perWeek', values),
                        {
                          required: format.decimal(weeklyAverage(required?.perWeek)),
                          capacity: format.decimal(weeklyAverage(capacity?.perWeek)),
                        },
                        { units: true },
                      )}
                    </Text>
                    <Text fz="sm" c="dimmed">
                      {keepValuesTogether(
                        (values) => t('plan.capacity.total', values),
                        {
                          required: format.number(required?.total),
                          capacity: format.number(capacity?.total),
                        },
                        { units: true },
                      )}
                    </Text>
                  </Stack>
                </Group>
              </Paper>
            );
          })}
        </SimpleGrid>

        <Table.ScrollContainer minWidth={560} type="native" pos="relative">
          <Table verticalSpacing={6} fz="sm" data-testid="plan-by-tier">
            <caption>
              <VisuallyHidden>{t('plan.capacity.byTierCaption')}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" rowSpan={2}>
                  {t('plan.capacity.tier')}
                </Table.Th>
                {CHANNELS.map((channel) => (
                  <Table.Th key={channel} scope="colgroup" colSpan={3} ta="center">
                    {t(`plan.channel.${channel}s`)}
                  </Table.Th>
                ))}
              </Table.Tr>
              <Table.Tr>
                {CHANNELS.flatMap((channel) => [
                  <Table.Th key={`${channel}-day`} scope="col" className="numeric">
                    {t('plan.capacity.perWorkingDay')}
                  </Table.Th>,
                  <Table.Th key={`${channel}-week`} scope="col" className="numeric">
                    {t('plan.capacity.perWeekShort')}
                  </Table.Th>,
                  <Table.Th key={`${channel}-total`} scope="col" className="numeric">
                    {t('plan.capacity.totalShort')}
                  </Table.Th>,
                ])}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {TIERS.map((tier) => (
                <Table.Tr key={tier}>
                  <Table.Th scope="row" fw={400}>
                    <div className="plan-tier-cell">
                      <TierBadge tier={tier} withName />
                    </div>
                  </Table.Th>
                  {CHANNELS.flatMap((channel) => {
                    const load = plan.required[channel]?.byTier[tier];
                    return [
                      <Table.Td key={`${channel}-day`} className="numeric">
                        {format.decimal(load?.perWorkingDay)}
                      </Table.Td>,
                      <Table.Td key={`${channel}-week`} className="numeric">
                        {format.decimal(weeklyAverage(load?.perWeek))}
                      </Table.Td>,
                      <Table.Td key={`${channel}-total`} className="numeric">
                        {format.number(load?.total)}
                      </Table.Td>,
                    ];
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr fw={700}>
                <Table.Th scope="row">{t('plan.capacity.required')}</Table.Th>
                {CHANNELS.flatMap((channel) => {
                  const load = plan.required[channel];
                  return [
                    <Table.Td key={`${channel}-day`} className="numeric">
                      {format.decimal(load?.perWorkingDay)}
                    </Table.Td>,
                    <Table.Td key={`${channel}-week`} className="numeric">
                      {format.decimal(weeklyAverage(load?.perWeek))}
                    </Table.Td>,
                    <Table.Td key={`${channel}-total`} className="numeric">
                      {format.number(load?.total)}
                    </Table.Td>,
                  ];
                })}
              </Table.Tr>
              <Table.Tr c="dimmed">
                <Table.Th scope="row" fw={500}>
                  {t('plan.capacity.capacity')}
                </Table.Th>
                {CHANNELS.flatMap((channel) => {
                  const capacity = plan.capacity[channel];
                  return [
                    <Table.Td key={`${channel}-day`} className="numeric">
                      {format.number(capacity?.perDay)}
                    </Table.Td>,
                    <Table.Td key={`${channel}-week`} className="numeric">
                      {format.decimal(weeklyAverage(capacity?.perWeek))}
                    </Table.Td>,
                    <Table.Td key={`${channel}-total`} className="numeric">
                      {format.number(capacity?.total)}
                    </Table.Td>,
                  ];
                })}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>

        <Text fz="sm" c="dimmed">
          {t('plan.capacity.placed', { count: plan.touches })}
          {plan.unplaced > 0 && (
            <Text span fz="sm" c={STRONG_TEXT.red} fw={600}>
              {' '}
              {t('plan.capacity.unplaced', { count: plan.unplaced })}
            </Text>
          )}
        </Text>
        {overdue > 0 && (
          // Kept by a commit and not in the need above: the series go on about one interval from the first day.
          <Text fz="sm" c="dimmed" data-testid="plan-overdue">
            {t('plan.capacity.overdue', {
              count: overdue,
              calls: t('today.agenda.calls', { count: plan.overdue.call }),
              visits: t('today.agenda.visits', { count: plan.overdue.visit }),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
