import { Anchor, Badge, Button, Group, Skeleton, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type TTeamPlanHealth, useTeamPlanHealth } from '../../api/plan.ts';
import { DEFAULT_PLAN_VIEW, writePlanView } from '../plan/plan-view.ts';
import { toneText } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { ReplanTeamModal } from './ReplanTeamModal.tsx';
import { needsReplan } from './replan-choice.ts';
import { REPLAN_PARAM } from './replan-link.ts';
import { Section } from './sections.tsx';

type Rep = TTeamPlanHealth['reps'][number];

/** The Plan page on this rep's plan in force. */
function planHref(repId: string): string {
  return `/plan?${writePlanView({ ...DEFAULT_PLAN_VIEW, rep: repId }).toString()}`;
}

function RepStatus({ rep }: { rep: Rep }) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  if (!rep.plan)
    return (
      <Text span fz="sm" c="dimmed">
        {t('dashboard.planHealth.noPlan')}
      </Text>
    );
  if (rep.inStep)
    return (
      <Badge color="teal" c={toneText('teal')} variant="light" radius="sm">
        {t('dashboard.planHealth.inStep')}
      </Badge>
    );
  const parts = (['unplanned', 'behind', 'ahead', 'outOfMarket'] as const)
    .filter((reason) => rep.accounts[reason] > 0)
    .map((reason) => t(`dashboard.planHealth.${reason}`, { count: rep.accounts[reason] }));
  return (
    <Text span fz="sm">
      {rep.expired && (
        <Text span fz="sm" fw={600} c={toneText('orange')} data-testid="plan-health-expired">
          {t('dashboard.planHealth.expired', { date: format.day(rep.plan.to) })}
          {' · '}
        </Text>
      )}
      <Text span fz="sm" fw={600} c={toneText('orange')}>
        {t('dashboard.planHealth.outOfStep', { count: rep.affected })}
      </Text>
      {parts.length > 0 && (
        <Text span c="dimmed" fz="sm">
          {' '}
          {t('dashboard.planHealth.findings', { list: parts.join(' · ') })}
        </Text>
      )}
    </Text>
  );
}

/**
 * Each rep's plan health in one line (GET /api/plan/health/team): in step, or the accounts out of step per finding,
 * the name opening that rep's plan on the Plan page. `repId`: only that rep's line (the dashboard's rep choice).
 */
export function PlanHealthSection({ repId }: { repId?: string }) {
  const { t } = useTranslation();
  const query = useTeamPlanHealth();
  const reps = (query.data?.reps ?? []).filter((r) => !repId || r.repId === repId);
  const [replanning, setReplanning] = useState(false);
  const [params, setParams] = useSearchParams();
  const asked = params.get(REPLAN_PARAM) === '1';
  const loaded = query.data !== undefined;
  // Opened from a link (`?replan=1`) once the reps are known; the parameter goes, so a reload does not open it again.
  useEffect(() => {
    if (!asked || !loaded) return;
    setReplanning(true);
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete(REPLAN_PARAM);
        return next;
      },
      { replace: true },
    );
  }, [asked, loaded, setParams]);
  const outOfStep = reps.filter(needsReplan).length;
  return (
    <Section
      id="dashboard-plan-health"
      testId="dashboard-plan-health"
      title={t('dashboard.planHealth.title')}
      intro={t('dashboard.planHealth.intro')}
    >
      {!query.data ? (
        query.isError ? (
          <Text c="red.8" fz="sm" role="alert">
            {t('errors.unknown')}
          </Text>
        ) : (
          <Skeleton height={60} />
        )
      ) : reps.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('dashboard.planHealth.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dashboard.planHealth.rep')}</Table.Th>
              <Table.Th scope="col">{t('dashboard.planHealth.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reps.map((r) => (
              <Table.Tr key={r.repId} data-testid="plan-health-rep" data-rep={r.repId}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={planHref(r.repId)}
                    fz="sm"
                    aria-label={t('dashboard.planHealth.open', { name: r.name })}
                  >
                    {r.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <RepStatus rep={r} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {reps.length > 0 && (
        <Group justify="flex-end">
          <Button
            size="xs"
            variant={outOfStep > 0 ? 'filled' : 'default'}
            onClick={() => setReplanning(true)}
            data-testid="plan-health-replan"
          >
            {t('dashboard.replan.action')}
          </Button>
        </Group>
      )}
      <ReplanTeamModal
        opened={replanning}
        reps={reps}
        planHref={planHref}
        onClose={() => setReplanning(false)}
      />
    </Section>
  );
}
