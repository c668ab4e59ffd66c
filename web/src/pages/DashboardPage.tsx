import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { useDashboard } from '../api/dashboard.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { PlanHealthSection } from '../features/dashboard/PlanHealthSection.tsx';
import {
  CoverageSection,
  FunnelSection,
  ObjectionsSection,
  OverdueSection,
  SkillsSection,
  WeeklySection,
} from '../features/dashboard/sections.tsx';
import { useFormat } from '../i18n/use-format.ts';

const WEEK_CHOICES = [4, 8, 13, 26] as const;
const DEFAULT_WEEKS = 8;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The rep selector's choice for the whole team (manager) or workspace (admin). */
const ALL = 'all';

function shift(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return shift(date, -((weekday + 6) % 7));
}

/**
 * A manager's week (issue 7): planned against done calls and visits, cadence coverage per tier, overdue
 * accounts per rep, the pipeline, the objections met and the learning stages. Scope and period live in the URL
 * (`rep`, `weeks`, `to`); every figure links to the accounts behind it.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const auth = useAuthStatus();
  const role = auth.data?.user?.role;
  const [params, setParams] = useSearchParams();
  const weeksParam = Number(params.get('weeks'));
  const weeks = (WEEK_CHOICES as readonly number[]).includes(weeksParam) ? weeksParam : DEFAULT_WEEKS;
  const toParam = params.get('to');
  const to = toParam && DATE.test(toParam) ? toParam : undefined;
  const repId = params.get('rep') || undefined;
  const query = useDashboard({ repId, weeks, to });
  const data = query.data;

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // The last week of the period: this week or one of the twelve before it.
  const today = data?.today ?? new Date().toISOString().slice(0, 10);
  const endChoices = useMemo(() => {
    const monday = mondayOf(today);
    return Array.from({ length: 13 }, (_, i) => {
      const from = shift(monday, -7 * i);
      return {
        value: i === 0 ? 'current' : from,
        label:
          i === 0
            ? t('dashboard.period.thisWeek')
            : t('dashboard.period.weekOf', { date: format.shortDate(from) }),
      };
    });
  }, [today, t, format]);
  const endValue = to ? mondayOf(to) : 'current';

  const manager = role === 'manager' || role === 'admin';
  const wholeLabel = role === 'admin' ? t('dashboard.scope.workspace') : t('dashboard.scope.team');
  const repChoices = [
    { value: ALL, label: wholeLabel },
    ...(data?.reps ?? []).map((r) => ({ value: r.id, label: r.name })),
  ];

  let body: React.ReactNode;
  if (query.isError && !data) {
    const error = query.error;
    body = (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={t('errors.unknown')}
        role="alert"
      >
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!data) {
    body = <PageLoader label={t('dashboard.loading')} minHeight={240} />;
  } else {
    body = (
      <Stack gap="md" aria-busy={query.isFetching && query.isPlaceholderData} data-testid="dashboard-figures">
        <Text fz="sm" c="dimmed" aria-live="polite" data-testid="dashboard-scope">
          {t(`dashboard.scope.summary.${data.scope.kind}`, {
            name: data.scope.repName ?? '',
            from: format.date(data.from),
            to: format.date(data.to),
            today: format.date(data.today),
          })}
        </Text>
        <WeeklySection data={data} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <CoverageSection data={data} />
          <OverdueSection data={data} />
          {manager && <PlanHealthSection repId={data.scope.repId ?? undefined} />}
          <FunnelSection data={data} />
          <ObjectionsSection data={data} />
          <SkillsSection data={data} canSeeTeam={manager} />
        </SimpleGrid>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={1} fz="h2">
            {t('nav.dashboard')}
          </Title>
          <Text c="dimmed" fz="sm" maw={720}>
            {t('dashboard.intro')}
          </Text>
        </div>
        <Group gap="xs" wrap="wrap" align="flex-end">
          {manager && (
            <Select
              label={t('dashboard.scope.label')}
              size="sm"
              w={200}
              allowDeselect={false}
              data={repChoices}
              value={repId ?? ALL}
              onChange={(value) => set('rep', value && value !== ALL ? value : null)}
              data-testid="dashboard-rep"
            />
          )}
          <Select
            label={t('dashboard.period.weeks')}
            size="sm"
            w={120}
            allowDeselect={false}
            data={WEEK_CHOICES.map((n) => ({
              value: String(n),
              label: t('dashboard.period.weekCount', { count: n }),
            }))}
            value={String(weeks)}
            onChange={(value) => set('weeks', value && Number(value) !== DEFAULT_WEEKS ? value : null)}
            data-testid="dashboard-weeks"
          />
          <Select
            label={t('dashboard.period.until')}
            size="sm"
            w={170}
            allowDeselect={false}
            data={endChoices}
            value={endValue}
            onChange={(value) => set('to', value && value !== 'current' ? value : null)}
            data-testid="dashboard-until"
          />
        </Group>
      </Group>
      {body}
    </Stack>
  );
}
