import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TCommittedPlan } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { addDays } from './calendar.ts';
import { PlanHealthAlert } from './PlanHealthAlert.tsx';
import { toneAlert } from './tone.ts';
import { usePlanFormat } from './use-plan-format.ts';

export type TCommitted = NonNullable<TCommittedPlan['plan']>;

function Fact({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  tone?: string;
  testId?: string;
}) {
  return (
    <div>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700} c={tone} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/**
 * The plan in force for the rep on screen, stated before anything else: from when and for how long, when and by
 * whom it was committed, the touches ahead and overdue, whether an overload was accepted; and the way to re-plan.
 */
export function CommittedPlanCard({
  data,
  plan,
  whose,
  replanFrom,
  onReplan,
}: {
  data: TCommittedPlan;
  plan: TCommitted;
  /** Whose plan, when it is not the signed-in user's own. */
  whose: string | null;
  replanFrom: string;
  onReplan: () => void;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const committedAt = format.dateTime(plan.committedAt);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="plan-current-title"
      data-testid="plan-current"
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div>
            <Title order={2} fz="h4" id="plan-current-title">
              {whose ? t('plan.current.titleFor', { name: whose }) : t('plan.current.title')}
            </Title>
            <Text fz="sm" mt={4} data-testid="plan-current-range">
              {keepValuesTogether((dates) => t('plan.current.range', { count: plan.months, ...dates }), {
                from: format.day(plan.from),
                to: format.day(addDays(plan.to, -1)),
              })}
            </Text>
            <Text fz="sm" c="dimmed">
              {plan.committedBy
                ? t('plan.current.committedBy', { at: committedAt, name: plan.committedBy.name })
                : t('plan.current.committedAt', { at: committedAt })}
              {plan.scope === 'workspace' && data.repId && ` ${t('plan.current.workspaceScope')}`}
            </Text>
          </div>
          <Badge
            size="lg"
            radius="sm"
            tt="none"
            variant="light"
            color={plan.acceptedOverload ? 'orange' : 'teal'}
            c={plan.acceptedOverload ? STRONG_TEXT.orange : STRONG_TEXT.teal}
            leftSection={<Icon name={plan.acceptedOverload ? 'alert' : 'check'} size={16} />}
            data-testid="plan-current-overload"
          >
            {plan.acceptedOverload ? t('plan.current.overloadAccepted') : t('plan.current.fitted')}
          </Badge>
        </Group>

        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Fact
            label={t('plan.current.ahead')}
            value={format.number(data.open.ahead)}
            testId="plan-current-ahead"
          />
          <Fact
            label={t('plan.current.overdue')}
            value={format.number(data.open.overdue)}
            tone={data.open.overdue > 0 ? STRONG_TEXT.red : undefined}
            testId="plan-current-overdue"
          />
          <Fact
            label={t('plan.current.accounts')}
            value={plan.accounts == null ? '–' : format.number(plan.accounts)}
          />
          <Fact
            label={t('plan.current.capacity')}
            testId="plan-current-capacity"
            value={
              plan.capacity
                ? // Each "拜访 4" on one line: a phone split it 电话 40 · 拜 / 访 4.
                  keepValuesTogether((values) => t('plan.current.capacityValue', values), {
                    calls: t('plan.calendar.monthCalls', { count: plan.capacity.callsPerDay }),
                    visits: t('plan.calendar.monthVisits', { count: plan.capacity.visitsPerDay }),
                  })
                : '–'
            }
          />
        </SimpleGrid>

        {data.open.overdue > 0 && (
          <Alert {...toneAlert('red')} icon={<Icon name="alert" />} p="xs">
            <Group gap="sm" wrap="wrap" justify="space-between">
              <Text fz="sm">{t('plan.current.overdueBody', { count: data.open.overdue })}</Text>
              <Button component={Link} to="/" size="compact-sm" variant="white" color="red.9">
                {t('plan.current.toToday')}
              </Button>
            </Group>
          </Alert>
        )}

        <PlanHealthAlert repId={data.repId} replanFrom={replanFrom} onReplan={onReplan} />

        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text fz="xs" c="dimmed" maw={560}>
            {t('plan.current.replanHint')}
          </Text>
          <Button
            variant="default"
            onClick={onReplan}
            leftSection={<Icon name="plan" size={18} />}
            data-testid="plan-replan"
          >
            {t('plan.current.replan', { date: format.day(replanFrom) })}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Re-planning while a plan is committed: that plan stays until the new one is committed; the way back. */
export function ReplanNote({
  plan,
  from,
  replaces,
  onBack,
}: {
  plan: TCommitted;
  from: string | null;
  /** Open touches a commit from `from` replaces; null while counting. */
  replaces: number | null;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  return (
    <Alert
      {...toneAlert('indigo')}
      icon={<Icon name="info" />}
      title={from ? t('plan.replan.title', { date: format.day(from) }) : t('plan.replan.titleNoDate')}
      data-testid="plan-replanning"
    >
      <Stack gap="xs" align="flex-start">
        <Text fz="sm">
          {t('plan.replan.body', {
            at: format.dateTime(plan.committedAt),
            from: format.day(plan.from),
          })}
          {from &&
            replaces != null &&
            ` ${t('plan.replan.replaces', { count: replaces, date: format.day(from) })}`}
        </Text>
        <Button
          size="xs"
          variant="white"
          onClick={onBack}
          leftSection={<Icon name="chevronLeft" size={16} />}
        >
          {t('plan.replan.back')}
        </Button>
      </Stack>
    </Alert>
  );
}
