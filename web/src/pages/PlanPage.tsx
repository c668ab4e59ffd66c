import { Alert, Button, Group, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { planExportHref, type TPlanResult, usePlanPreview, usePlanReps } from '../api/plan.ts';
import { useWorkspaceSettings } from '../api/workspace-settings.ts';
import { Icon } from '../components/icons.tsx';
import { CapacityCheck } from '../features/plan/CapacityCheck.tsx';
import { CommitPanel, CommittedNote } from '../features/plan/CommitPanel.tsx';
import { PlanCalendar } from '../features/plan/PlanCalendar.tsx';
import { PlanControls } from '../features/plan/PlanControls.tsx';
import { toPlanRequest } from '../features/plan/plan-view.ts';
import { toneAlert } from '../features/plan/tone.ts';
import { usePlanView } from '../features/plan/use-plan-view.ts';

/**
 * The contact plan (method §3): whose accounts, from when, with what capacity; the capacity check before
 * anything is committed, the options when it does not fit, and the plan as month and week calendars.
 */
export function PlanPage() {
  const { t } = useTranslation();
  const { view, change } = usePlanView();
  const reps = usePlanReps();
  const auth = useAuthStatus();
  const settings = useWorkspaceSettings();
  const request = useMemo(() => toPlanRequest(view), [view]);
  const requestKey = JSON.stringify(request);
  const preview = usePlanPreview(request);
  const [committed, setCommitted] = useState<{ key: string; result: TPlanResult } | null>(null);

  const plan = preview.data;
  const current = !preview.isPlaceholderData && !preview.isFetching;
  // Right after a commit the calendar shows what was stored; any change of the request goes back to preview.
  const shownCommit = committed && committed.key === requestKey ? committed.result : null;
  const calendarPlan = shownCommit ?? plan;

  const onCommitted = (result: TPlanResult) => {
    const option = result.appliedOption;
    // A raised capacity is now the default: stop sending the old number, or the preview would still be over.
    const next =
      option?.kind === 'raise-capacity'
        ? option.channel === 'call'
          ? { callsPerDay: null }
          : { visitsPerDay: null }
        : {};
    const nextRequest = toPlanRequest({ ...view, ...next });
    setCommitted({ key: JSON.stringify(nextRequest), result });
    if (Object.keys(next).length) change(next);
  };

  let body: React.ReactNode;
  if (preview.isError && !plan) {
    const error = preview.error;
    body = (
      <Alert {...toneAlert('red')} icon={<Icon name="alert" />} title={t('plan.failed')} role="alert">
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red.9" onClick={() => void preview.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!plan || !calendarPlan) {
    body = (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={260} radius="md" />
        <Skeleton h={180} radius="md" />
      </Stack>
    );
  } else {
    body = (
      <Stack gap="lg" aria-busy={!current} data-testid="plan-body">
        {plan.accounts === 0 && (
          <Alert {...toneAlert('indigo')} icon={<Icon name="info" />} title={t('plan.noAccounts.title')}>
            <Stack gap="xs" align="flex-start">
              <Text fz="sm">
                {!request.repId && auth.data?.user?.role === 'manager'
                  ? t('plan.noAccounts.pickRep')
                  : t('plan.noAccounts.body')}
              </Text>
              <Button component={Link} to="/market" size="xs" variant="white">
                {t('plan.noAccounts.toMarket')}
              </Button>
            </Stack>
          </Alert>
        )}
        {plan.unpublishedYears.length > 0 && (
          <Alert
            {...toneAlert('orange')}
            icon={<Icon name="info" />}
            title={t('plan.unpublished.title')}
            data-testid="plan-unpublished"
          >
            {t('plan.unpublished.body', { years: plan.unpublishedYears.join(t('market.listSeparator')) })}
          </Alert>
        )}
        {shownCommit && (
          <CommittedNote
            result={shownCommit}
            forRep={Boolean(request.repId)}
            onClose={() => setCommitted(null)}
          />
        )}
        <CapacityCheck plan={plan} />
        {!shownCommit && (
          <CommitPanel
            key={requestKey}
            request={request}
            plan={plan}
            current={current}
            onCommitted={onCommitted}
          />
        )}
        <PlanCalendar
          plan={calendarPlan}
          committed={shownCommit != null}
          mode={view.mode}
          at={view.at}
          onNavigate={(mode, at) => change({ mode, at })}
          exportLinks={{
            ics: planExportHref('ics', {
              from: calendarPlan.from,
              to: calendarPlan.to,
              repId: request.repId,
            }),
            csv: planExportHref('csv', {
              from: calendarPlan.from,
              to: calendarPlan.to,
              repId: request.repId,
            }),
          }}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <div>
          <Title order={1} fz="h2">
            {t('plan.title')}
          </Title>
          <Text c="dimmed" fz="sm" mt={4} maw={760}>
            {t('plan.intro')}
          </Text>
        </div>
        <Group gap="sm">
          {plan && !current && <Loader size="sm" aria-label={t('plan.updating')} />}
          <Button component={Link} to="/settings#cadence" variant="default" size="sm">
            {t('plan.toSettings')}
          </Button>
        </Group>
      </Group>
      <PlanControls
        view={view}
        onChange={change}
        reps={reps.isError ? null : reps.data}
        me={auth.data?.user ?? null}
        effective={{
          from: plan?.from,
          months: settings.data?.horizonMonths,
          callsPerDay: plan?.capacity.call?.perDay,
          visitsPerDay: plan?.capacity.visit?.perDay,
        }}
      />
      {body}
    </Stack>
  );
}
