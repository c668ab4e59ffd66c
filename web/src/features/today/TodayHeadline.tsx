import { Grid, Group, Paper, Progress, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TAgenda, TGoals } from '../../api/agenda.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { formatDay, shiftDay } from '../touches/dates.ts';
import { progressPercent } from './agenda-groups.ts';

interface Props {
  agenda: TAgenda | undefined;
  /** The week's goals; null leaves the week card out (the page places it elsewhere). */
  goals: TGoals | undefined | null;
  isToday: boolean;
  /** One short strip instead of the cards (a phone: the agenda then starts on the first screen). */
  compact?: boolean;
}

function Figure({
  done,
  goal,
  big,
  channel,
}: {
  done: number;
  goal: number;
  big?: boolean;
  channel: 'call' | 'visit';
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Group gap={6} align="baseline" wrap="nowrap">
      <Text
        component="span"
        fz={big ? { base: 36, sm: 44 } : 30}
        fw={700}
        lh={1}
        className="tabular"
        c="dark.8"
        data-testid={`${channel}-done`}
      >
        {format.number(done)}
      </Text>
      {goal === 0 && done > 0 ? (
        // Nothing was planned: what was done, not "2 / 0".
        <Text component="span" fz={big ? 'md' : 'sm'} c="dimmed" fw={500}>
          {t(`today.headline.made${channel === 'call' ? 'Calls' : 'Visits'}`, { count: done })}
        </Text>
      ) : (
        <Text
          component="span"
          fz={big ? 'lg' : 'md'}
          c="dimmed"
          fw={500}
          className="tabular"
          data-testid={`${channel}-goal`}
        >
          / {format.number(goal)}
        </Text>
      )}
    </Group>
  );
}

/** Calls and visits of the day against its goal: calls are the headline figure (method §4). */
function DayCard({
  channel,
  done,
  goal,
  isToday,
  date,
  dayOff,
}: {
  channel: 'call' | 'visit';
  done: number;
  goal: number;
  isToday: boolean;
  date: string;
  /** Not a working day: nothing planned is said as a day off. */
  dayOff: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const big = channel === 'call';
  const left = Math.max(0, goal - done);
  const label = isToday
    ? t(`today.headline.${channel}sToday`)
    : t(`today.headline.${channel}sOn`, { date: formatDay(date, format.language, 'short') });
  const percent = progressPercent(done, goal);
  const unplanned = goal === 0 && done > 0;
  return (
    <Paper
      withBorder
      radius="md"
      p={big ? 'lg' : 'md'}
      h="100%"
      className={big ? 'headline-card' : undefined}
    >
      <Stack gap={big ? 'sm' : 'xs'} h="100%" justify="space-between">
        <Group gap={8} wrap="nowrap">
          <Icon name={channel === 'call' ? 'phone' : 'visit'} size={big ? 20 : 18} />
          <Text component="h2" fz={big ? 'md' : 'sm'} fw={600}>
            {label}
          </Text>
        </Group>
        <Figure done={done} goal={goal} big={big} channel={channel} />
        {/* No bar against a goal of 0: a full bar would say a goal was reached that was never set. */}
        {goal > 0 && (
          <Progress
            value={percent}
            size={big ? 'lg' : 'md'}
            radius="xl"
            color={done >= goal ? 'teal' : 'indigo'}
            aria-label={t(`today.headline.${channel}Progress`, { done, goal })}
          />
        )}
        <Text fz="sm" c="dimmed" data-testid={`${channel}-remaining`}>
          {unplanned
            ? isToday
              ? t('today.headline.unplannedToday')
              : t('today.headline.unplannedOn')
            : goal === 0
              ? t(dayOff ? 'today.headline.dayOff' : 'today.headline.nothingPlanned')
              : left === 0
                ? t('today.headline.goalMet')
                : t('today.headline.left', { count: left })}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The week's calls and visits against the plan's goal for the week. */
export function WeekCard({ goals }: { goals: TGoals | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!goals) {
    return (
      <Paper withBorder radius="md" p="md" h="100%">
        <Skeleton h={16} w="50%" mb="sm" />
        <Skeleton h={12} mb="xs" />
        <Skeleton h={12} />
      </Paper>
    );
  }
  const lastDay = shiftDay(goals.to, -1);
  const rows = [
    { channel: 'call' as const, actual: goals.actual.calls, goal: goals.goal.calls },
    { channel: 'visit' as const, actual: goals.actual.visits, goal: goals.goal.visits },
  ];
  return (
    <Paper withBorder radius="md" p="md" h="100%">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text component="h2" fz="sm" fw={600}>
            {t('today.headline.week')}
          </Text>
          <Text fz="xs" c="dimmed" className="nowrap">
            {formatDay(goals.from, format.language, 'short')} – {formatDay(lastDay, format.language, 'short')}
          </Text>
        </Group>
        {rows.map((row) => (
          <Stack key={row.channel} gap={4}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text fz="sm">{t(`today.headline.${row.channel}s`)}</Text>
              <Text fz="sm" fw={600} className="tabular">
                {t('today.headline.ofGoal', {
                  done: format.number(row.actual),
                  goal: format.number(row.goal),
                })}
              </Text>
            </Group>
            <Progress
              value={progressPercent(row.actual, row.goal)}
              size="sm"
              radius="xl"
              color={row.goal > 0 && row.actual >= row.goal ? 'teal' : 'indigo'}
              aria-label={t(`today.headline.week${row.channel === 'call' ? 'Calls' : 'Visits'}`, {
                done: row.actual,
                goal: row.goal,
              })}
            />
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}

function OverdueCard({ agenda }: { agenda: TAgenda }) {
  const { t } = useTranslation();
  const format = useFormat();
  const overdue = agenda.items.filter((item) => item.overdue);
  const count = agenda.counts.overdue;
  const byTier = (['A', 'B', 'C'] as const)
    .map((tier) => ({ tier, n: overdue.filter((item) => item.tier === tier).length }))
    .filter((entry) => entry.n > 0);
  return (
    <Paper withBorder radius="md" p="md" h="100%" className={count > 0 ? 'overdue-card' : undefined}>
      <Stack gap="xs" h="100%" justify="space-between">
        <Group gap={8} wrap="nowrap">
          <Icon name="alert" size={18} />
          <Text component="h2" fz="sm" fw={600}>
            {t('today.headline.overdue')}
          </Text>
        </Group>
        <Text fz={30} fw={700} lh={1} className="tabular" c={count > 0 ? STRONG_TEXT.red : 'dark.8'}>
          {format.number(count)}
        </Text>
        <Text fz="sm" c="dimmed">
          {count === 0
            ? t('today.headline.overdueNone')
            : byTier.map((entry) => `${entry.tier} ${format.number(entry.n)}`).join(' · ')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** One channel of the compact strip: its figure against the goal, and a thin bar when there is a goal. */
function CompactFigure({
  channel,
  done,
  goal,
  dayOff,
}: {
  channel: 'call' | 'visit';
  done: number;
  goal: number;
  dayOff: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap={4} className="headline-compact-cell">
      <Group gap={6} wrap="nowrap">
        <Icon name={channel === 'call' ? 'phone' : 'visit'} size={16} />
        <Text component="h2" fz="xs" fw={600} c="dimmed">
          {t(`today.headline.${channel}s`)}
        </Text>
      </Group>
      <Group gap={4} align="baseline" wrap="nowrap">
        <Text
          component="span"
          fz={24}
          fw={700}
          lh={1}
          className="tabular"
          c="dark.8"
          data-testid={`${channel}-done`}
        >
          {format.number(done)}
        </Text>
        {goal > 0 || done === 0 ? (
          <Text
            component="span"
            fz="sm"
            c="dimmed"
            fw={500}
            className="tabular"
            data-testid={`${channel}-goal`}
          >
            / {format.number(goal)}
          </Text>
        ) : null}
      </Group>
      {goal > 0 ? (
        <Progress
          value={progressPercent(done, goal)}
          size="sm"
          radius="xl"
          color={done >= goal ? 'teal' : 'indigo'}
          aria-label={t(`today.headline.${channel}Progress`, { done, goal })}
        />
      ) : (
        <Text fz="xs" c="dimmed" lh={1.2} data-testid={`${channel}-remaining`}>
          {t(dayOff ? 'today.headline.dayOff' : 'today.headline.nothingPlanned')}
        </Text>
      )}
    </Stack>
  );
}

/** Whether the agenda's day is a day off (an agenda kept from before the server said so counts as a working day). */
function isDayOff(agenda: TAgenda): boolean {
  return agenda.day?.working === false;
}

/** The phone's headline: calls, visits and overdue side by side in one short card. */
function CompactHeadline({ agenda }: { agenda: TAgenda }) {
  const { t } = useTranslation();
  const format = useFormat();
  const overdue = agenda.counts.overdue;
  const dayOff = isDayOff(agenda);
  return (
    <Paper withBorder radius="md" p="sm" data-testid="today-headline" data-compact="true">
      <div className="headline-compact">
        <CompactFigure channel="call" done={agenda.done.calls} goal={agenda.goal.calls} dayOff={dayOff} />
        <CompactFigure channel="visit" done={agenda.done.visits} goal={agenda.goal.visits} dayOff={dayOff} />
        <Stack gap={4} className="headline-compact-cell">
          <Group gap={6} wrap="nowrap">
            <Icon name="alert" size={16} />
            <Text component="h2" fz="xs" fw={600} c="dimmed">
              {t('today.headline.overdue')}
            </Text>
          </Group>
          <Text fz={24} fw={700} lh={1} className="tabular" c={overdue > 0 ? STRONG_TEXT.red : 'dark.8'}>
            {format.number(overdue)}
          </Text>
        </Stack>
      </div>
    </Paper>
  );
}

/**
 * The day at a glance: calls and visits against the day's goal, what is overdue, and (with `goals`) the week's
 * goal. On a phone the page shows the week below the agenda instead, and the day's figures in one short strip
 * (`compact`), so the agenda starts on the first screen.
 */
export function TodayHeadline({ agenda, goals, isToday, compact = false }: Props) {
  if (!agenda && compact) return <Skeleton h={84} radius="md" aria-hidden="true" />;
  if (agenda && compact) return <CompactHeadline agenda={agenda} />;
  if (!agenda) {
    return (
      <Grid gap="sm" aria-hidden="true">
        {(['calls', 'visits', 'week'] as const).map((card, i) => (
          <Grid.Col key={card} span={{ base: 12, md: [6, 2, 4][i] }}>
            <Skeleton h={148} radius="md" />
          </Grid.Col>
        ))}
      </Grid>
    );
  }
  return (
    <Grid gap="sm" data-testid="today-headline">
      <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
        <DayCard
          channel="call"
          done={agenda.done.calls}
          goal={agenda.goal.calls}
          isToday={isToday}
          date={agenda.date}
          dayOff={isDayOff(agenda)}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 3, lg: 2 }}>
        <DayCard
          channel="visit"
          done={agenda.done.visits}
          goal={agenda.goal.visits}
          isToday={isToday}
          date={agenda.date}
          dayOff={isDayOff(agenda)}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 3, lg: 2 }}>
        <OverdueCard agenda={agenda} />
      </Grid.Col>
      {goals !== null && (
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <WeekCard goals={goals} />
        </Grid.Col>
      )}
    </Grid>
  );
}
