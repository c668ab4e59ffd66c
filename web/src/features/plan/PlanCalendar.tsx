import './plan.css';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TCommittedPlan } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { useWorkspaceTimeZone } from '../../i18n/workspace-time-zone.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { dayIn } from '../touches/dates.ts';
import {
  addDays,
  addMonths,
  type DayKind,
  dayKind,
  type IsoDate,
  type IsoMonth,
  isWeekend,
  monthGrid,
  monthOf,
  monthsBetween,
  startOfWeek,
  weekDates,
} from './calendar.ts';
import type { CalendarMode } from './plan-view.ts';
import { usePlanFormat } from './use-plan-format.ts';

/** A day of the plan: working or not, calls and visits placed; for a committed plan also done and overdue. */
export interface PlanDay {
  date: IsoDate;
  working: boolean;
  calls: number;
  visits: number;
  done?: number;
  overdue?: number;
}

/** What the calendar draws: a preview's result or the committed plan, with the daily capacity. */
export interface CalendarData {
  from: IsoDate;
  /** Exclusive end. */
  to: IsoDate;
  days: readonly PlanDay[];
  byMonth: readonly { month: string; calls: number; visits: number }[];
  capacity: { call: number; visit: number };
}

export type CommittedTouch = TCommittedPlan['touches'][number];

interface Props {
  plan: CalendarData;
  /** Whether the days shown are the committed plan or only the preview. */
  committed: boolean;
  mode: CalendarMode;
  /** A month (YYYY-MM) in month mode, a Monday in week mode; null: `start`. */
  at: string | null;
  /** Where the calendar opens when `at` is null (default: where the plan starts). */
  start?: IsoDate;
  onNavigate: (mode: CalendarMode, at: string | null) => void;
  exportLinks: { ics: string; csv: string };
  /** The committed touches of the week on screen, listed in the week view (undefined: counts only). */
  touches?: { items: readonly CommittedTouch[]; loading: boolean };
}

/** The month and the week the calendar shows for a mode and position, kept within the plan. */
export function calendarPosition(
  plan: Pick<CalendarData, 'from' | 'to'>,
  mode: CalendarMode,
  at: string | null,
  start?: IsoDate,
): { month: IsoMonth; week: IsoDate } {
  const months = monthsBetween(plan.from, plan.to);
  const firstMonth = months[0] ?? monthOf(plan.from);
  const lastMonth = months[months.length - 1] ?? firstMonth;
  const firstWeek = startOfWeek(plan.from);
  const lastWeek = startOfWeek(addDays(plan.to, -1));
  const opening = start && start >= plan.from && start < plan.to ? start : plan.from;
  const openMonth = monthOf(opening);
  const openWeek = startOfWeek(opening);
  return {
    month: mode === 'month' && at && at >= firstMonth && at <= lastMonth ? at : openMonth,
    week: mode === 'week' && at && at >= firstWeek && at <= lastWeek ? startOfWeek(at) : openWeek,
  };
}

/** Today in the workspace's time zone (the agenda's today), or the browser's while the settings load. */
function useWorkspaceToday(): IsoDate {
  return dayIn(useWorkspaceTimeZone());
}

const KIND_MARK: Partial<Record<DayKind, { color: string; text: string }>> = {
  dayOff: { color: 'red', text: STRONG_TEXT.red },
  makeUp: { color: 'orange', text: STRONG_TEXT.orange },
};

/** The plan as a month grid or a week of days: calls and visits per day, days off greyed, 调休 marked. */
export function PlanCalendar({ plan, committed, mode, at, start, onNavigate, exportLinks, touches }: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const headingId = useId();
  const byDate = useMemo(() => new Map(plan.days.map((day) => [day.date, day])), [plan.days]);
  const months = useMemo(() => monthsBetween(plan.from, plan.to), [plan.from, plan.to]);
  const byMonth = useMemo(() => new Map(plan.byMonth.map((m) => [m.month, m])), [plan.byMonth]);
  const firstMonth = months[0] ?? monthOf(plan.from);
  const lastMonth = months[months.length - 1] ?? firstMonth;
  const firstWeek = startOfWeek(plan.from);
  const lastWeek = startOfWeek(addDays(plan.to, -1));

  const { month, week } = calendarPosition(plan, mode, at, start);

  const go = (step: number) => {
    if (mode === 'month') onNavigate('month', addMonths(month, step));
    else onNavigate('week', addDays(week, step * 7));
  };
  const canBack = mode === 'month' ? month > firstMonth : week > firstWeek;
  const canForward = mode === 'month' ? month < lastMonth : week < lastWeek;
  const title =
    mode === 'month'
      ? format.month(month)
      : keepValuesTogether((days) => t('plan.calendar.weekRange', days), {
          from: format.day(week),
          to: format.day(addDays(week, 6)),
        });

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div>
            <Group gap="xs" align="center">
              <Title order={2} fz="h4" id={headingId}>
                {t('plan.calendar.title')}
              </Title>
              <Badge
                variant="light"
                radius="sm"
                tt="none"
                color={committed ? 'teal' : 'gray'}
                c={committed ? STRONG_TEXT.teal : 'gray.8'}
              >
                {committed ? t('plan.calendar.committed') : t('plan.calendar.preview')}
              </Badge>
            </Group>
            <Text fz="sm" c="dimmed" mt={4}>
              {t('plan.calendar.hint')}
              {!committed && ` ${t('plan.calendar.exportHint')}`}
            </Text>
          </div>
          <Group gap="xs">
            <Button
              component="a"
              href={exportLinks.ics}
              download
              variant="default"
              size="sm"
              leftSection={<Icon name="download" size={16} />}
            >
              {t('plan.calendar.exportIcs')}
            </Button>
            <Button
              component="a"
              href={exportLinks.csv}
              download
              variant="default"
              size="sm"
              leftSection={<Icon name="download" size={16} />}
            >
              {t('plan.calendar.exportCsv')}
            </Button>
          </Group>
        </Group>

        <ScrollArea type="auto" offsetScrollbars="x">
          <Group gap={6} wrap="nowrap" pb={4} role="group" aria-label={t('plan.calendar.months')}>
            {months.map((m) => {
              const totals = byMonth.get(m);
              const active = mode === 'month' ? m === month : m === monthOf(week);
              return (
                <UnstyledButton
                  key={m}
                  onClick={() => onNavigate('month', m)}
                  aria-pressed={active}
                  className="month-chip"
                  data-active={active || undefined}
                >
                  <Text fz="xs" fw={700} c={active ? 'indigo.9' : 'gray.8'}>
                    {m.slice(5) === '01' || m === firstMonth
                      ? format.shortMonthYear(m)
                      : format.shortMonth(m)}
                  </Text>
                  <Text fz={11} c="dimmed" className="nowrap">
                    {t('plan.calendar.monthTotals', {
                      calls: t('plan.calendar.monthCalls', { count: totals?.calls ?? 0 }),
                      visits: t('plan.calendar.monthVisits', { count: totals?.visits ?? 0 }),
                    })}
                  </Text>
                </UnstyledButton>
              );
            })}
          </Group>
        </ScrollArea>

        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="xs" wrap="nowrap">
            <ActionIcon
              variant="default"
              size="lg"
              onClick={() => go(-1)}
              disabled={!canBack}
              aria-label={
                mode === 'month' ? t('plan.calendar.previousMonth') : t('plan.calendar.previousWeek')
              }
            >
              <Icon name="chevronLeft" size={18} />
            </ActionIcon>
            <Title
              order={3}
              fz="lg"
              miw={180}
              ta="center"
              aria-live="polite"
              data-testid="plan-calendar-title"
            >
              {title}
            </Title>
            <ActionIcon
              variant="default"
              size="lg"
              onClick={() => go(1)}
              disabled={!canForward}
              aria-label={mode === 'month' ? t('plan.calendar.nextMonth') : t('plan.calendar.nextWeek')}
            >
              <Icon name="chevronRight" size={18} />
            </ActionIcon>
          </Group>
          <SegmentedControl
            aria-label={t('plan.calendar.mode')}
            value={mode}
            onChange={(value) =>
              onNavigate(
                value as CalendarMode,
                value === 'week'
                  ? // The week of the opening day (today, for the plan in force) when it is in this month.
                    startOfWeek(
                      start && monthOf(start) === month && start >= plan.from && start < plan.to
                        ? start
                        : `${month}-01` < plan.from
                          ? plan.from
                          : `${month}-01`,
                    )
                  : monthOf(week),
              )
            }
            data={[
              { value: 'month', label: t('plan.calendar.month') },
              { value: 'week', label: t('plan.calendar.week') },
            ]}
          />
        </Group>

        {mode === 'month' ? (
          <MonthGrid month={month} byDate={byDate} plan={plan} />
        ) : (
          <WeekView week={week} byDate={byDate} plan={plan} touches={touches} />
        )}

        <Legend committed={committed} />
      </Stack>
    </Paper>
  );
}

function dayLabel(t: TFunction, day: PlanDay | undefined, kind: DayKind): string {
  const parts: string[] = [];
  if (kind === 'dayOff') parts.push(t('plan.calendar.kind.dayOff'));
  if (kind === 'makeUp') parts.push(t('plan.calendar.kind.makeUp'));
  if (kind === 'weekend') parts.push(t('plan.calendar.kind.weekend'));
  if (day && (day.calls || day.visits)) {
    parts.push(t('plan.calendar.counts', { calls: day.calls, visits: day.visits }));
  }
  if (day?.done) parts.push(t('plan.calendar.doneCount', { count: day.done }));
  if (day?.overdue) parts.push(t('plan.calendar.overdueCount', { count: day.overdue }));
  return parts.join(t('plan.commit.separator'));
}

function MonthGrid({
  month,
  byDate,
  plan,
}: {
  month: IsoMonth;
  byDate: Map<string, PlanDay>;
  plan: CalendarData;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const weeks = monthGrid(month);
  const today = useWorkspaceToday();
  const callCap = plan.capacity.call;
  const visitCap = plan.capacity.visit;

  return (
    <div className="plan-month-scroll">
      <table className="plan-month" data-testid="plan-month">
        <caption>
          <VisuallyHidden>{format.month(month)}</VisuallyHidden>
        </caption>
        <thead>
          <tr>
            {(weeks[0] ?? []).map((day) => (
              <th key={day.date} scope="col">
                {format.weekday(day.date)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]?.date}>
              {week.map(({ date, inMonth }) => {
                const day = byDate.get(date);
                const inPlan = day != null;
                // Days outside the plan have no answer from the API: only weekends are known to be off.
                const kind = dayKind(date, day?.working ?? !isWeekend(date));
                const mark = KIND_MARK[kind];
                const over =
                  day != null &&
                  ((callCap > 0 && day.calls > callCap) || (visitCap > 0 && day.visits > visitCap));
                return (
                  <td
                    key={date}
                    data-date={date}
                    data-kind={kind}
                    data-adjacent={!inMonth || undefined}
                    data-outside={(inMonth && !inPlan) || undefined}
                    data-today={date === today || undefined}
                  >
                    <div className="plan-day">
                      <div className="plan-day-head">
                        <span className="plan-day-number" aria-hidden="true">
                          {Number(date.slice(8))}
                        </span>
                        {mark && inMonth && (
                          <Badge
                            size="xs"
                            radius="sm"
                            variant="light"
                            color={mark.color}
                            c={mark.text}
                            px={4}
                            tt="none"
                            aria-hidden="true"
                          >
                            {t(`plan.calendar.mark.${kind as 'dayOff' | 'makeUp'}`)}
                          </Badge>
                        )}
                      </div>
                      {inMonth && (
                        <VisuallyHidden>
                          {format.longDay(date)}
                          {inPlan ? `: ${dayLabel(t, day, kind)}` : ''}
                        </VisuallyHidden>
                      )}
                      {inMonth && day && (day.calls > 0 || day.visits > 0) && (
                        <div className="plan-day-counts" aria-hidden="true">
                          {day.calls > 0 && (
                            <span className="plan-count" data-channel="call" data-over={over || undefined}>
                              <Icon name="phone" size={13} />
                              {format.number(day.calls)}
                            </span>
                          )}
                          {day.visits > 0 && (
                            <span className="plan-count" data-channel="visit">
                              <Icon name="visit" size={13} />
                              {format.number(day.visits)}
                            </span>
                          )}
                          {(day.overdue ?? 0) > 0 && (
                            <span className="plan-count" data-overdue>
                              <Icon name="alert" size={12} />
                              {format.number(day.overdue)}
                            </span>
                          )}
                        </div>
                      )}
                    </div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WeekView({
  week,
  byDate,
  plan,
  touches,
}: {
  week: IsoDate;
  byDate: Map<string, PlanDay>;
  plan: CalendarData;
  touches: Props['touches'];
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const today = useWorkspaceToday();
  const callCap = plan.capacity.call;
  const visitCap = plan.capacity.visit;
  const byDay = useMemo(() => {
    const map = new Map<string, CommittedTouch[]>();
    for (const touch of touches?.items ?? []) {
      const list = map.get(touch.dueOn);
      if (list) list.push(touch);
      else map.set(touch.dueOn, [touch]);
    }
    return map;
  }, [touches?.items]);

  return (
    <SimpleGrid cols={{ base: 1, xs: 2, sm: 4, lg: 7 }} spacing="xs" data-testid="plan-week">
      {weekDates(week).map((date) => {
        const day = byDate.get(date);
        const kind = dayKind(date, day?.working ?? !isWeekend(date));
        const mark = KIND_MARK[kind];
        const working = day?.working ?? false;
        return (
          <Paper
            key={date}
            radius="md"
            p="sm"
            withBorder
            bg={!day ? 'gray.0' : kind === 'makeUp' ? 'orange.0' : working ? undefined : 'gray.1'}
            data-date={date}
            data-kind={kind}
            data-outside={!day || undefined}
            style={
              date === today
                ? { borderColor: 'var(--mantine-color-indigo-6)', borderWidth: 2 }
                : !day
                  ? { borderStyle: 'dashed' }
                  : undefined
            }
          >
            <Stack gap={6}>
              <Group justify="space-between" gap={4} wrap="nowrap">
                <Text fw={700} fz="sm">
                  {format.weekdayDay(date)}
                </Text>
                {mark && (
                  <Badge size="xs" radius="sm" variant="light" color={mark.color} c={mark.text} tt="none">
                    {t(`plan.calendar.kind.${kind as 'dayOff' | 'makeUp'}`)}
                  </Badge>
                )}
              </Group>
              {!day ? (
                <Text fz="xs" c="dimmed">
                  {t('plan.calendar.outside')}
                </Text>
              ) : !working ? (
                <Text fz="xs" c="dimmed">
                  {t(`plan.calendar.kind.${kind === 'weekend' ? 'weekend' : 'dayOff'}`)}
                </Text>
              ) : (
                <>
                  <LoadLine icon="phone" label={t('plan.channel.calls')} value={day.calls} cap={callCap} />
                  <LoadLine icon="visit" label={t('plan.channel.visits')} value={day.visits} cap={visitCap} />
                </>
              )}
              {day && touches && (
                <DayTouches items={byDay.get(date) ?? []} loading={touches.loading} date={date} />
              )}
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

function LoadLine({
  icon,
  label,
  value,
  cap,
}: {
  icon: 'phone' | 'visit';
  label: string;
  value: number;
  cap: number;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const over = cap > 0 && value > cap;
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap" justify="space-between">
        <Group gap={4} wrap="nowrap">
          <Icon name={icon} size={14} />
          <Text fz="xs">{label}</Text>
        </Group>
        <Text fz="sm" fw={700} c={over ? STRONG_TEXT.red : undefined}>
          {t('plan.calendar.ofCapacity', { value: format.number(value), cap: format.number(cap) })}
        </Text>
      </Group>
      <Progress
        value={cap > 0 ? Math.min(100, (value / cap) * 100) : 0}
        size="sm"
        color={over ? 'red.7' : icon === 'phone' ? 'indigo.6' : 'teal.7'}
        aria-hidden="true"
      />
    </Stack>
  );
}

/** The committed touches of one day: channel, tier and account, done or overdue marked. */
function DayTouches({
  items,
  loading,
  date,
}: {
  items: readonly CommittedTouch[];
  loading: boolean;
  date: IsoDate;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  if (items.length === 0) {
    return loading ? null : (
      <Text fz="xs" c="dimmed">
        {t('plan.calendar.noTouches')}
      </Text>
    );
  }
  return (
    <Stack gap={4} component="ul" className="plan-touches" aria-label={format.longDay(date)}>
      {items.map((touch) => (
        <li
          key={touch.id}
          className="plan-touch"
          data-status={touch.overdue ? 'overdue' : touch.status}
          data-testid="plan-touch"
        >
          <Icon name={touch.channel === 'call' ? 'phone' : 'visit'} size={13} />
          <VisuallyHidden>{t(`plan.channel.${touch.channel}`)}</VisuallyHidden>
          <TierBadge tier={touch.tier} />
          {/* A booked meeting's visit has its time. */}
          {touch.dueTime && (
            <Text component="span" fz="xs" fw={600} className="plan-touch-time">
              {touch.dueTime}
            </Text>
          )}
          <Text
            component={Link}
            to={`/accounts/${touch.accountId}`}
            fz="xs"
            className="plan-touch-name"
            td={touch.status === 'done' ? 'line-through' : undefined}
          >
            {touch.accountName}
          </Text>
          {touch.status === 'done' ? (
            <Badge size="xs" radius="sm" variant="light" color="teal" c={STRONG_TEXT.teal} tt="none">
              {t('plan.calendar.done')}
            </Badge>
          ) : touch.overdue ? (
            <Badge size="xs" radius="sm" variant="light" color="red" c={STRONG_TEXT.red} tt="none">
              {t('plan.calendar.overdue')}
            </Badge>
          ) : null}
        </li>
      ))}
    </Stack>
  );
}

function Legend({ committed }: { committed: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="lg" wrap="wrap" fz="xs" c="dimmed">
      {committed && (
        <Group gap={4} wrap="nowrap">
          <span className="plan-count" data-overdue aria-hidden="true">
            <Icon name="alert" size={12} />
          </span>
          <Text fz="xs">{t('plan.calendar.overdueLegend')}</Text>
        </Group>
      )}
      <Group gap={4} wrap="nowrap">
        <span className="plan-count" data-channel="call" aria-hidden="true">
          <Icon name="phone" size={13} />
        </span>
        <Text fz="xs">{t('plan.channel.calls')}</Text>
      </Group>
      <Group gap={4} wrap="nowrap">
        <span className="plan-count" data-channel="visit" aria-hidden="true">
          <Icon name="visit" size={13} />
        </span>
        <Text fz="xs">{t('plan.channel.visits')}</Text>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Badge size="xs" radius="sm" variant="light" color="red" c={STRONG_TEXT.red} px={4} tt="none">
          {t('plan.calendar.mark.dayOff')}
        </Badge>
        <Text fz="xs">{t('plan.calendar.kind.dayOff')}</Text>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Badge size="xs" radius="sm" variant="light" color="orange" c={STRONG_TEXT.orange} px={4} tt="none">
          {t('plan.calendar.mark.makeUp')}
        </Badge>
        <Text fz="xs">{t('plan.calendar.kind.makeUp')}</Text>
      </Group>
      <Group gap={4} wrap="nowrap">
        <span className="legend-swatch" aria-hidden="true" />
        <Text fz="xs">{t('plan.calendar.kind.weekend')}</Text>
      </Group>
    </Group>
  );
}
