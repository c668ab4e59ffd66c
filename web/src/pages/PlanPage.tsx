import { Alert, Button, Group, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { usePeopleOverview } from '../api/people.ts';
import {
  planExportHref,
  type TPlanResult,
  useCommittedPlan,
  usePlanPreview,
  usePlanReps,
} from '../api/plan.ts';
import { useWorkspaceSettings } from '../api/workspace-settings.ts';
import { Icon } from '../components/icons.tsx';
import { CapacityCheck } from '../features/plan/CapacityCheck.tsx';
import { CommitPanel, CommittedNote } from '../features/plan/CommitPanel.tsx';
import { CommittedPlanCard, ReplanNote } from '../features/plan/CommittedPlan.tsx';
import { addDays } from '../features/plan/calendar.ts';
import { type CalendarData, calendarPosition, PlanCalendar } from '../features/plan/PlanCalendar.tsx';
import { PlanControls } from '../features/plan/PlanControls.tsx';
import { type PlanView, toPlanRequest } from '../features/plan/plan-view.ts';
import { toneAlert } from '../features/plan/tone.ts';
import { usePlanView } from '../features/plan/use-plan-view.ts';
import { useFormat } from '../i18n/use-format.ts';

/** The rep a manager last planned, per manager, so the page opens on them again. */
const LAST_REP_KEY = 'tierline.plan.lastRep';

function readLastRep(userId: string): string | null {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_REP_KEY) ?? '{}') as Record<string, unknown>;
    const value = stored[userId];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function writeLastRep(userId: string, repId: string): void {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_REP_KEY) ?? '{}') as Record<string, unknown>;
    localStorage.setItem(LAST_REP_KEY, JSON.stringify({ ...stored, [userId]: repId }));
  } catch {
    // Private mode or a full storage: the page opens on the first rep with accounts instead.
  }
}

function previewCalendar(plan: TPlanResult): CalendarData {
  return {
    from: plan.from,
    to: plan.to,
    days: plan.days,
    byMonth: plan.byMonth,
    capacity: { call: plan.capacity.call?.perDay ?? 0, visit: plan.capacity.visit?.perDay ?? 0 },
  };
}

/**
 * The contact plan (method §3). The plan in force comes first: from when, committed when and by whom, the touches
 * ahead and overdue, and its calendar with each touch done or overdue. Re-planning is a second step: whose
 * accounts, from when, with what capacity; the capacity check, the options when it does not fit, the preview in
 * the calendar, and a commit that says what it replaces. A manager opens on a rep of the team.
 */
export function PlanPage() {
  const { t } = useTranslation();
  const { language } = useFormat();
  const { view, change: changeView } = usePlanView();
  const reps = usePlanReps();
  const auth = useAuthStatus();
  const settings = useWorkspaceSettings();
  const me = auth.data?.user ?? null;
  const isManager = me?.role === 'manager';
  const people = usePeopleOverview(isManager);
  const request = useMemo(() => toPlanRequest(view), [view]);
  const requestKey = JSON.stringify(request);
  const [note, setNote] = useState<{ rep: string | null; result: TPlanResult } | null>(null);

  // The reps a manager plans: their team (people they may see, role rep), in the picker's order.
  const teamReps = useMemo(
    () =>
      isManager && reps.data ? reps.data.filter((user) => user.role === 'rep' && user.id !== me?.id) : [],
    [isManager, reps.data, me?.id],
  );
  // A manager without a rep picked opens on the last one planned, else the first rep with accounts.
  const pickingRep = isManager && !view.rep && (reps.isPending || people.isPending || teamReps.length > 0);
  useEffect(() => {
    if (!isManager || !me || view.rep || !reps.data || !people.data) return;
    const last = readLastRep(me.id);
    const choices = new Set([me.id, ...teamReps.map((rep) => rep.id)]);
    const counts = new Map(people.data.items.map((person) => [person.id, person.work?.accountCount ?? 0]));
    const pick =
      (last && choices.has(last) ? last : null) ??
      teamReps.find((rep) => (counts.get(rep.id) ?? 0) > 0)?.id ??
      teamReps[0]?.id ??
      null;
    if (pick) changeView({ rep: pick }, true);
  }, [isManager, me, view.rep, reps.data, people.data, teamReps, changeView]);

  const change = useCallback(
    (next: Partial<PlanView>) => {
      if (me && next.rep && isManager) writeLastRep(me.id, next.rep);
      changeView(next);
    },
    [me, isManager, changeView],
  );

  const repQuery = request.repId ? { repId: request.repId } : {};
  const committed = useCommittedPlan(repQuery, { enabled: Boolean(me) && !pickingRep });
  const current = committed.data;
  const committedPlan = current?.plan ?? null;
  const showCommitted = Boolean(committedPlan) && !view.replan;
  const decided = !pickingRep && (committed.isSuccess || committed.isError);

  const preview = usePlanPreview(request, decided && !showCommitted);
  const plan = preview.data;
  const previewCurrent = !preview.isPlaceholderData && !preview.isFetching;

  // What a commit from the preview's first day replaces, counted once the preview says which day that is.
  const replanFrom = !showCommitted && decided ? plan?.from : undefined;
  const replaced = useCommittedPlan(
    { ...repQuery, ...(replanFrom ? { replanFrom } : {}) },
    { enabled: Boolean(replanFrom), keepPrevious: true },
  );
  const replaces =
    replanFrom && replaced.data?.replaces?.from === replanFrom
      ? { committed: Boolean(committedPlan), open: replaced.data.replaces.open }
      : null;

  // The committed plan's calendar; in the week view, the touches of the week on screen.
  const committedCalendar = useMemo<CalendarData | null>(
    () =>
      current?.plan
        ? {
            from: current.plan.from,
            to: current.plan.to,
            days: current.days,
            byMonth: current.byMonth,
            capacity: {
              call: current.plan.capacity?.callsPerDay ?? 0,
              visit: current.plan.capacity?.visitsPerDay ?? 0,
            },
          }
        : null,
    [current],
  );
  const week =
    committedCalendar && view.mode === 'week'
      ? calendarPosition(committedCalendar, 'week', view.at, current?.today).week
      : null;
  const weekTouches = useCommittedPlan(
    { ...repQuery, ...(week ? { from: week, to: addDays(week, 7) } : {}) },
    { enabled: showCommitted && week != null, keepPrevious: true },
  );

  const onCommitted = (result: TPlanResult) => {
    const option = result.appliedOption;
    // A raised capacity is now the default: stop sending the old number, or a re-plan would still be over.
    const next =
      option?.kind === 'raise-capacity'
        ? option.channel === 'call'
          ? { callsPerDay: null }
          : { visitsPerDay: null }
        : {};
    setNote({ rep: view.rep, result });
    // Back to the plan in force: the one just committed.
    changeView({ ...next, replan: false });
  };
  const shownNote = note && note.rep === view.rep ? note.result : null;

  const whose =
    request.repId && request.repId !== me?.id
      ? (reps.data?.find((user) => user.id === request.repId)?.name ?? null)
      : null;
  const exportLinks = (range: { from: string; to: string }) => ({
    ics: planExportHref('ics', { ...range, repId: request.repId }, language),
    csv: planExportHref('csv', { ...range, repId: request.repId }, language),
  });

  let body: React.ReactNode;
  // A manager with nobody in the team: said above the manager's own accounts.
  const noTeam = isManager && reps.isSuccess && people.isSuccess && teamReps.length === 0;

  if (!decided) {
    body = (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={160} radius="md" />
        <Skeleton h={260} radius="md" />
      </Stack>
    );
  } else if (showCommitted && committedPlan && current && committedCalendar) {
    body = (
      <Stack gap="lg" aria-busy={committed.isFetching} data-testid="plan-body">
        {shownNote && (
          <CommittedNote result={shownNote} forRep={Boolean(request.repId)} onClose={() => setNote(null)} />
        )}
        <CommittedPlanCard
          data={current}
          plan={committedPlan}
          whose={whose}
          replanFrom={view.from ?? current.today}
          onReplan={() => change({ replan: true })}
        />
        <PlanCalendar
          plan={committedCalendar}
          committed
          mode={view.mode}
          at={view.at}
          start={current.today}
          onNavigate={(mode, at) => change({ mode, at })}
          exportLinks={exportLinks({ from: committedPlan.from, to: committedPlan.to })}
          touches={
            week
              ? {
                  items:
                    weekTouches.data?.touches.filter(
                      (touch) => touch.dueOn >= week && touch.dueOn < addDays(week, 7),
                    ) ?? [],
                  loading: weekTouches.isFetching,
                }
              : undefined
          }
        />
      </Stack>
    );
  } else if (preview.isError && !plan) {
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
  } else if (!plan) {
    body = (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={260} radius="md" />
        <Skeleton h={180} radius="md" />
      </Stack>
    );
  } else {
    const ownOfManager = isManager && (!request.repId || request.repId === me?.id);
    const canDefineMarket = me?.role === 'admin' || me?.role === 'manager';
    body = (
      <Stack gap="lg" aria-busy={!previewCurrent} data-testid="plan-body">
        {committedPlan && (
          <ReplanNote
            plan={committedPlan}
            from={plan.from}
            replaces={replaces?.open ?? null}
            onBack={() => change({ replan: false })}
          />
        )}
        {plan.accounts === 0 && (
          <Alert {...toneAlert('indigo')} icon={<Icon name="info" />} title={t('plan.noAccounts.title')}>
            <Stack gap="xs" align="flex-start">
              <Text fz="sm">
                {ownOfManager
                  ? noTeam
                    ? t('plan.noAccounts.ownNoTeam')
                    : t('plan.noAccounts.pickRep')
                  : t('plan.noAccounts.body')}
              </Text>
              {!ownOfManager && canDefineMarket && (
                <Button component={Link} to="/market" size="xs" variant="white">
                  {t('plan.noAccounts.toMarket')}
                </Button>
              )}
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
        <CapacityCheck plan={plan} />
        <CommitPanel
          key={requestKey}
          request={request}
          plan={plan}
          current={previewCurrent}
          onCommitted={onCommitted}
          replaces={replaces}
        />
        <PlanCalendar
          plan={previewCalendar(plan)}
          committed={false}
          mode={view.mode}
          at={view.at}
          onNavigate={(mode, at) => change({ mode, at })}
          exportLinks={exportLinks({ from: plan.from, to: plan.to })}
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
          {((plan && !previewCurrent && !showCommitted) || (showCommitted && committed.isFetching)) && (
            <Loader size="sm" aria-label={t('plan.updating')} />
          )}
          <Button component={Link} to="/settings#cadence" variant="default" size="sm">
            {t('plan.toSettings')}
          </Button>
        </Group>
      </Group>
      {noTeam && (
        <Alert
          {...toneAlert('orange')}
          icon={<Icon name="info" />}
          title={t('plan.noTeam.title')}
          data-testid="plan-no-team"
        >
          <Stack gap="xs" align="flex-start">
            <Text fz="sm">{t('plan.noTeam.body')}</Text>
            <Button component={Link} to="/team" size="xs" variant="white">
              {t('plan.noTeam.toTeam')}
            </Button>
          </Stack>
        </Alert>
      )}
      {committed.isError && (
        <Alert
          {...toneAlert('red')}
          icon={<Icon name="alert" />}
          title={t('plan.current.failed')}
          role="alert"
        >
          <Group gap="sm" justify="space-between" wrap="wrap">
            <Text fz="sm">{committed.error.message}</Text>
            <Button size="xs" variant="white" color="red.9" onClick={() => void committed.refetch()}>
              {t('errors.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      <PlanControls
        view={view}
        onChange={change}
        reps={reps.isError ? null : reps.data}
        me={me}
        replanning={!showCommitted}
        today={current?.today}
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
