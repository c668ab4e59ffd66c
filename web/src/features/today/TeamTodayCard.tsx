import { Alert, Anchor, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDashboard } from '../../api/dashboard.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { TeamDayTable } from './TeamDayTable.tsx';

/** Reps listed by name on the card; the dashboard has the rest. */
const REPS_SHOWN = 5;

/**
 * Today for a manager (or an admin) without accounts of their own: their own agenda would only say "nothing
 * planned, nothing overdue" while the team is behind. The team's overdue accounts, by rep with a link to each
 * one's dashboard, and the week's calls and visits against the plan, from the dashboard's figures (one week);
 * then each rep's day on the page's date (TeamDayTable: planned against logged, overdue, last log).
 */
export function TeamTodayCard({ date }: { date: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const dashboard = useDashboard({ weeks: 1, to: date });
  const data = dashboard.data;

  let figures: React.ReactNode;
  if (dashboard.isError && !data) {
    figures = (
      <Alert color="red" variant="light" icon={<Icon name="alert" />} title={t('today.team.loadFailed')} />
    );
  } else if (!data) {
    figures = (
      <Stack gap="xs" aria-hidden="true">
        <Skeleton h={28} w="40%" />
        <Skeleton h={14} w="70%" />
        <Skeleton h={14} w="60%" />
      </Stack>
    );
  } else {
    const overdue = data.overdue.accounts;
    const week = data.weeks[data.weeks.length - 1];
    const reps = data.overdue.byRep.filter((rep) => rep.accounts > 0).slice(0, REPS_SHOWN);
    figures = (
      <Stack gap="sm">
        <Text
          fz="xl"
          fw={700}
          c={overdue > 0 ? STRONG_TEXT.red : 'dark.8'}
          className="tabular"
          data-testid="team-overdue"
        >
          {overdue > 0 ? t('today.team.overdue', { count: overdue }) : t('today.team.overdueNone')}
        </Text>
        {week && (
          <Text fz="sm" className="tabular" data-testid="team-week">
            {t('today.team.week', {
              calls: format.number(week.done.calls),
              plannedCalls: format.number(week.planned.calls),
              visits: format.number(week.done.visits),
              plannedVisits: format.number(week.planned.visits),
            })}
          </Text>
        )}
        {reps.length > 0 && (
          <Stack gap={4}>
            <Text fz="sm" fw={600} component="h3">
              {t('today.team.byRep')}
            </Text>
            <ul className="plain-list" data-testid="team-overdue-reps">
              {reps.map((rep) => (
                <li key={rep.repId}>
                  <Anchor component={Link} to={`/dashboard?rep=${encodeURIComponent(rep.repId)}`} fz="sm">
                    {t('today.team.repOverdue', { name: rep.name, count: rep.accounts })}
                  </Anchor>
                </li>
              ))}
            </ul>
          </Stack>
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder radius="md" p="lg" data-testid="team-today">
      <Stack gap="md">
        <div>
          <Text component="h2" fz="md" fw={600}>
            {t('today.team.title')}
          </Text>
          <Text fz="sm" c="dimmed">
            {t('today.team.noOwnAccounts')}
          </Text>
        </div>
        {figures}
        <TeamDayTable date={date} />
        <Group gap="sm">
          <Button component={Link} to="/dashboard" variant="light" radius="md">
            {t('today.team.toDashboard')}
          </Button>
          <Button component={Link} to="/team" variant="default" radius="md">
            {t('today.team.toTeam')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
