import '../features/touches/touches.css';
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { TFunction } from 'i18next';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { todayIn } from '../../../src/domain/calendar/time-zone.ts';
import type { TOutcome } from '../../../src/schemas/common.ts';
import {
  isKept,
  type TAgendaItem,
  type TLogTouch,
  useAgenda,
  useGoals,
  usePracticeDue,
} from '../api/agenda.ts';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { AgendaItemCard } from '../features/today/AgendaItemCard.tsx';
import { groupAgenda } from '../features/today/agenda-groups.ts';
import { DateSwitcher } from '../features/today/DateSwitcher.tsx';
import { type DayOff, dayOffOf, makeUpWorkdayOf } from '../features/today/day-off.ts';
import { LoggedList } from '../features/today/LoggedList.tsx';
import { loggedStore, useLoggedEntries } from '../features/today/logged-store.ts';
import { ShortcutsHelp } from '../features/today/ShortcutsHelp.tsx';
import { TeamTodayCard } from '../features/today/TeamTodayCard.tsx';
import { TodayHeadline, WeekCard } from '../features/today/TodayHeadline.tsx';
import { useAgendaShortcuts } from '../features/today/use-agenda-shortcuts.ts';
import { formatDay, isIsoDate, shiftDay } from '../features/touches/dates.ts';
import { LazyLogTouchModal, preloadLogTouchModal } from '../features/touches/LazyLogTouchModal.tsx';
import type { LogTouchTarget } from '../features/touches/LogTouchModal.tsx';
import type { QuickOutcome } from '../features/touches/outcomes.ts';
import { Toaster } from '../features/touches/Toaster.tsx';
import { dismissAllToasts } from '../features/touches/toast.ts';
import { useLogAndConfirm } from '../features/touches/use-log-and-confirm.ts';
import { useFormat } from '../i18n/use-format.ts';

const DATE_PARAM = 'date';

/** What a day off is called: a weekend, a public holiday (by its name when known), the rep's own day off. */
function dayOffTitle(t: TFunction, dayOff: DayOff): string {
  if (dayOff.kind === 'holiday') {
    return dayOff.name ? t('today.dayOff.holiday', { name: dayOff.name }) : t('today.dayOff.holidayUnnamed');
  }
  return dayOff.kind === 'personal' ? t('today.dayOff.personal') : t('today.dayOff.weekend');
}

function PracticeCard({ ready }: { ready: boolean }) {
  const { t } = useTranslation();
  const practice = usePracticeDue(ready);
  const counts = practice.data;
  if (!counts || counts.due + counts.new === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" className="practice-card" data-testid="practice-card">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="sm" wrap="nowrap">
          <Icon name="practice" size={22} />
          <div>
            <Text component="h2" fz="sm" fw={600}>
              {t('today.practice.title')}
            </Text>
            <Text fz="sm" c="dimmed">
              {counts.due > 0
                ? t('today.practice.due', { count: counts.due })
                : t('today.practice.new', { count: counts.new })}
            </Text>
          </div>
        </Group>
        <Button component={Link} to="/practice" variant="light" radius="md">
          {t('today.practice.start')}
        </Button>
      </Group>
    </Paper>
  );
}

/**
 * Said when the server could not be reached and the agenda on screen is the last one this browser kept (the service
 * worker's, web/src/sw/worker.ts): when it was received, with its day when that was not today.
 */
function OfflineNote({ asOf, timeZone }: { asOf: string; timeZone: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const sameDay = todayIn(timeZone, new Date(asOf)) === todayIn(timeZone, new Date());
  return (
    <Text fz="sm" c="dimmed" role="status" data-testid="offline-note">
      {sameDay
        ? t('today.offline.asOf', { time: format.timeOfDay(asOf, timeZone) })
        : t('today.offline.asOfDay', { when: format.dateTime(asOf) })}
    </Text>
  );
}

/** Today: the day's calls and visits against the goal, and the agenda to work through, logging as you go. */
/** Cards shown per agenda group; the rest behind a button. */
const FIRST_ITEMS_PER_GROUP = 40;
/**
 * Cards in the very first paint, over all groups in order (about what a laptop screen shows); the rest of each
 * group's first 40, and the groups after, follow in a background render.
 */
const FIRST_PAINT_ITEMS = 6;

export function TodayPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requested = params.get(DATE_PARAM);
  const dateParam = isIsoDate(requested) ? requested : null;
  const agenda = useAgenda(dateParam);

  const todayAgenda = useAgenda(null);
  const logAndConfirm = useLogAndConfirm();
  const logged = useLoggedEntries();
  const isPhone = useMediaQuery('(max-width: 47.99em)');

  const data = agenda.data;
  const items = useMemo(() => data?.items ?? [], [data]);
  const today = todayAgenda.data?.date ?? null;
  // The day asked for, even while its agenda loads (the previous day's stays on screen until then).
  const date = dateParam ?? today ?? data?.date ?? null;
  const isToday = date != null && date === today;
  // A long agenda (hundreds of overdue touches) shows the first items of each group at once and the rest on
  // request: rendering every card made Today take seconds to become usable with a big backlog.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // The first paint shows a few cards per group so the rep can start at once; the rest of the first 40 render in
  // a transition React interrupts for input (about 0.4 s of rendering for 150 cards on a modest laptop).
  const [filledIn, setFilledIn] = useState(false);
  const hasItems = items.length > 0;
  const hasAgenda = data !== undefined || agenda.isError;
  useEffect(() => {
    if (!hasItems || filledIn) return;
    // After the first paint is on screen (the frame after this one), so the rep sees and can use it first.
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setFilledIn(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [hasItems, filledIn]);
  // Goals and practice are asked for once the agenda is painted and filled in: the server answering them while the
  // browser paints the agenda slowed the first paint (both share the CPU of a small machine). Once the agenda is
  // in, it stays (the previous day's is kept while another loads) and filledIn never goes back.
  const secondaryReady = hasAgenda && (filledIn || !hasItems);
  const goals = useGoals('week', dateParam, secondaryReady);
  // The log form's code, before the rep first asks for it.
  useEffect(() => {
    if (secondaryReady) preloadLogTouchModal();
  }, [secondaryReady]);
  const groups = useMemo(() => {
    let firstPaintLeft = FIRST_PAINT_ITEMS;
    return groupAgenda(items).flatMap((group) => {
      const limit = expanded.has(group.key)
        ? group.items.length
        : filledIn
          ? FIRST_ITEMS_PER_GROUP
          : firstPaintLeft;
      const shown = group.items.slice(0, limit);
      if (!filledIn) firstPaintLeft -= shown.length;
      return shown.length > 0 ? [{ ...group, shown }] : [];
    });
  }, [items, expanded, filledIn]);
  const ordered = useMemo(() => groups.flatMap((group) => group.shown), [groups]);

  const [activeId, setActiveId] = useState<string | null>(null);
  const [formItem, setFormItem] = useState<TAgendaItem | null>(null);
  // The outcome the form opens with: "meeting booked" from its quick button, which asks for the meeting's day.
  const [formOutcome, setFormOutcome] = useState<TOutcome | undefined>(undefined);
  const [helpOpen, setHelpOpen] = useState(false);
  const itemElements = useRef(new Map<string, HTMLElement>());
  const agendaHeading = useRef<HTMLHeadingElement>(null);

  const goToDate = useCallback(
    (next: string | null) => {
      setActiveId(null);
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next && next !== today) updated.set(DATE_PARAM, next);
          else updated.delete(DATE_PARAM);
          return updated;
        },
        { replace: false },
      );
    },
    [setParams, today],
  );

  // Another day (the arrows, a shortcut, the browser's Back): the last log's confirmation spoke of the day left.
  const shownDay = useRef(dateParam);
  useEffect(() => {
    if (shownDay.current === dateParam) return;
    shownDay.current = dateParam;
    dismissAllToasts();
  }, [dateParam]);

  const focusItem = useCallback((item: TAgendaItem | undefined) => {
    if (!item) {
      agendaHeading.current?.focus();
      return;
    }
    setActiveId(item.touchId);
    const element = itemElements.current.get(item.touchId);
    element?.focus();
    element?.scrollIntoView({ block: 'nearest' });
  }, []);

  /** After an item is logged it leaves the list: focus moves on to the one after it (or before, at the end). */
  const focusAfter = useCallback(
    (item: TAgendaItem) => {
      const index = ordered.findIndex((i) => i.touchId === item.touchId);
      focusItem(ordered[index + 1] ?? ordered[index - 1]);
    },
    [ordered, focusItem],
  );

  const timeZone = data?.timeZone;
  const log = useCallback(
    async (item: TAgendaItem, body: TLogTouch) => {
      loggedStore.add({
        touchId: item.touchId,
        accountId: item.accountId,
        accountName: item.accountName,
        channel: body.channel,
        outcome: body.outcome,
        status: 'saving',
        day: date ?? item.dueOn,
        ...(body.at ? { at: body.at } : {}),
      });
      try {
        const result = await logAndConfirm({
          accountId: item.accountId,
          accountName: item.accountName,
          body,
          item,
          ...(timeZone ? { timeZone } : {}),
        });
        if (isKept(result)) {
          loggedStore.update(item.touchId, { status: 'kept', at: result.kept.body.at });
          return;
        }
        loggedStore.update(item.touchId, {
          status: 'saved',
          ...(body.at ? { at: result.activity.occurredAt } : {}),
          nextDueOn: result.nextTouches.find((touch) => touch.channel === body.channel)?.dueOn ?? null,
        });
      } catch (error) {
        loggedStore.remove(item.touchId);
        throw error;
      }
    },
    [logAndConfirm, date, timeZone],
  );

  const quickLog = useCallback(
    (item: TAgendaItem, outcome: QuickOutcome) => {
      // A booked meeting gets its day and time in the form, so that it is planned as a visit then.
      if (outcome === 'meeting_booked') {
        setFormOutcome(outcome);
        setFormItem(item);
        return;
      }
      focusAfter(item);
      // The toast reports a failure; the item comes back with the refreshed agenda.
      log(item, { channel: item.channel, outcome }).catch(() => undefined);
    },
    [focusAfter, log],
  );

  const openForm = useCallback((item: TAgendaItem) => {
    setFormOutcome(undefined);
    setFormItem(item);
  }, []);

  const formTarget = useMemo<LogTouchTarget | null>(
    () =>
      formItem
        ? {
            accountId: formItem.accountId,
            accountName: formItem.accountName,
            channel: formItem.channel,
            ...(formOutcome ? { outcome: formOutcome } : {}),
          }
        : null,
    [formItem, formOutcome],
  );

  const submitForm = useCallback(
    async (body: TLogTouch) => {
      if (!formItem) return;
      const item = formItem;
      await log(item, body);
      setFormItem(null);
      // Once the dialog has let go of focus, hand it to the next item.
      requestAnimationFrame(() => focusAfter(item));
    },
    [formItem, log, focusAfter],
  );

  // Cancelled: focus goes back to the item the form was opened for.
  const closeForm = useCallback(() => {
    const item = formItem;
    setFormItem(null);
    if (item) requestAnimationFrame(() => focusItem(item));
  }, [formItem, focusItem]);

  const focusedIndex = useCallback(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement)) return null;
    const element = active.closest<HTMLElement>('.agenda-item');
    if (!element) return null;
    const index = ordered.findIndex((item) => item.touchId === element.dataset.touchId);
    return index >= 0 ? index : null;
  }, [ordered]);

  useAgendaShortcuts(
    {
      move: (step) => {
        const focused = focusedIndex();
        // Focus is elsewhere: come back to the item last worked on (or the first), without skipping it.
        const next =
          focused != null
            ? focused + step
            : Math.max(
                0,
                ordered.findIndex((item) => item.touchId === activeId),
              );
        const item = ordered[Math.max(0, Math.min(ordered.length - 1, next))];
        if (item) focusItem(item);
      },
      focusedIndex,
      quickLog: (index, outcome) => {
        const item = ordered[index];
        if (item) quickLog(item, outcome);
      },
      openForm: (index) => {
        const item = ordered[index];
        if (item) openForm(item);
      },
      openAccount: (index) => {
        const item = ordered[index];
        if (item) navigate(`/accounts/${encodeURIComponent(item.accountId)}`, { state: { from: 'today' } });
      },
      previousDay: () => date && goToDate(shiftDay(date, -1)),
      nextDay: () => date && goToDate(shiftDay(date, 1)),
      today: () => goToDate(null),
      toggleHelp: () => setHelpOpen((open) => !open),
    },
    formItem == null,
  );

  const tabStopId =
    activeId && ordered.some((item) => item.touchId === activeId) ? activeId : ordered[0]?.touchId;
  const loggedHere = logged.filter((entry) => entry.day === date);
  const role = useAuthStatus().data?.user?.role;
  // A manager (or admin) with no accounts of their own: their own day would say "nothing planned, nothing
  // overdue" while the team is behind, so Today shows the team's figures instead.
  const teamView =
    role !== undefined &&
    role !== 'rep' &&
    data !== undefined &&
    date !== null &&
    data.items.length === 0 &&
    data.next === null &&
    data.goal.calls + data.goal.visits + data.done.calls + data.done.visits === 0 &&
    loggedHere.length === 0;

  // A weekend, a public holiday or the rep's own day off: said as such, not as a day with nothing planned.
  const dayOff = data ? dayOffOf(data.day, format.language) : null;
  const offTitle = dayOff ? dayOffTitle(t, dayOff) : null;
  const makeUp = data ? makeUpWorkdayOf(data.day, format.language) : null;

  let body: React.ReactNode;
  if (agenda.isError && !data) {
    const error = agenda.error;
    const signedOut = error instanceof ApiError && error.status === 401;
    body = (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={signedOut ? t('errors.unauthenticated') : t('today.loadFailed')}
        role="alert"
      >
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void agenda.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!data) {
    body = <PageLoader label={t('today.loading')} minHeight={200} />;
  } else if (ordered.length === 0 && !loggedHere.length && data.next) {
    // A weekend, a holiday, a day off or a day before the plan starts: say where the plan goes on.
    const next = data.next;
    body = (
      <Paper withBorder radius="md" p="xl" ta="center" data-testid="agenda-empty">
        <Stack align="center" gap="xs">
          <Text fw={600} fz="lg" data-testid={offTitle ? 'agenda-day-off' : undefined}>
            {offTitle ?? t('today.empty.freeTitle')}
          </Text>
          <Text c="dimmed" fz="sm" maw={460} data-testid="agenda-next">
            {t('today.empty.nextBody', {
              day: formatDay(next.date, format.language, 'long'),
              calls: t('today.empty.nextCalls', { count: next.calls }),
              visits: t('today.empty.nextVisits', { count: next.visits }),
            })}
          </Text>
          <Button variant="light" mt="xs" onClick={() => goToDate(next.date)}>
            {t('today.empty.toNext')}
          </Button>
        </Stack>
      </Paper>
    );
  } else if (ordered.length === 0) {
    const allDone = loggedHere.length > 0;
    body = (
      <Paper withBorder radius="md" p="xl" ta="center" data-testid="agenda-empty">
        <Stack align="center" gap="xs">
          <Text fw={600} fz="lg" data-testid={!allDone && offTitle ? 'agenda-day-off' : undefined}>
            {allDone ? t('today.empty.doneTitle') : (offTitle ?? t('today.empty.title'))}
          </Text>
          <Text c="dimmed" fz="sm" maw={460}>
            {allDone ? t('today.empty.doneBody') : t('today.empty.body')}
          </Text>
          {!allDone && (
            <Button component={Link} to="/plan" variant="light" mt="xs">
              {t('today.empty.toPlan')}
            </Button>
          )}
        </Stack>
      </Paper>
    );
  } else {
    body = (
      <Stack gap="lg" aria-busy={agenda.isPlaceholderData}>
        {offTitle && (
          // Overdue touches are still open on a day off: said above them.
          <Alert
            color="gray"
            variant="light"
            icon={<Icon name="plan" />}
            title={offTitle}
            data-testid="agenda-day-off"
          >
            <Text fz="sm">{t('today.dayOff.stillOpen')}</Text>
          </Alert>
        )}
        {groups.map((group) => (
          <section key={group.key} aria-labelledby={`agenda-group-${group.key}`}>
            <Group gap={8} mb="xs" align="baseline">
              <Title
                order={3}
                fz="sm"
                fw={700}
                c={group.key === 'overdue' ? 'red.9' : 'gray.8'}
                id={`agenda-group-${group.key}`}
              >
                {group.key === 'overdue'
                  ? t('today.groups.overdue')
                  : group.key === 'none'
                    ? t('tier.none')
                    : t('tier.option', { tier: group.key, name: t(`tier.names.${group.key}`) })}
              </Title>
              <Text fz="sm" c="dimmed" className="tabular">
                {t('today.groups.count', { count: group.items.length })}
              </Text>
            </Group>
            <Paper withBorder radius="md" className="agenda-group" data-group={group.key}>
              <ul className="plain-list divided">
                {group.shown.map((item) => (
                  <li key={item.touchId} className="agenda-slot">
                    <AgendaItemCard
                      item={item}
                      tabStop={item.touchId === tabStopId}
                      elementRef={(element) => {
                        if (element) itemElements.current.set(item.touchId, element);
                        else itemElements.current.delete(item.touchId);
                      }}
                      onFocusItem={() => setActiveId(item.touchId)}
                      onQuickLog={(outcome) => quickLog(item, outcome)}
                      onOpenForm={() => openForm(item)}
                      timeZone={data?.timeZone}
                    />
                  </li>
                ))}
              </ul>
              {filledIn && group.shown.length < group.items.length && (
                <Button
                  variant="subtle"
                  fullWidth
                  data-testid="agenda-show-more"
                  onClick={() => setExpanded((current) => new Set(current).add(group.key))}
                >
                  {t('today.groups.showMore', { count: group.items.length - group.shown.length })}
                </Button>
              )}
            </Paper>
          </section>
        ))}
      </Stack>
    );
  }

  return (
    <Stack gap="lg" className="today-page">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={1} fz="h2" data-testid="today-title">
            {date && today && !isToday
              ? formatDay(date, format.language, 'title', today.slice(0, 4))
              : t('today.title')}
          </Title>
          <Text c="dimmed" fz="sm" data-testid="today-date">
            {date ? formatDay(date, format.language, 'long') : t('app.loading')}
            {date && !isToday && today && (
              <Text span fz="sm" c="dimmed">
                {' · '}
                {date < today ? t('today.date.past') : t('today.date.future')}
              </Text>
            )}
            {makeUp && (
              <Text span fz="sm" c="dimmed" data-testid="today-make-up-workday">
                {' · '}
                {makeUp.name
                  ? t('today.makeUpWorkday.named', { name: makeUp.name })
                  : t('today.makeUpWorkday.unnamed')}
              </Text>
            )}
          </Text>
        </div>
        {date && (
          <Group gap={6} wrap="nowrap">
            <DateSwitcher
              date={date}
              isToday={isToday}
              onPrevious={() => goToDate(shiftDay(date, -1))}
              onNext={() => goToDate(shiftDay(date, 1))}
              onToday={() => goToDate(null)}
            />
            <ShortcutsHelp opened={helpOpen} onChange={setHelpOpen} />
          </Group>
        )}
      </Group>

      {data?.offlineAsOf && <OfflineNote asOf={data.offlineAsOf} timeZone={data.timeZone} />}

      {teamView && date ? (
        <TeamTodayCard date={date} />
      ) : (
        <TodayHeadline
          agenda={data}
          goals={isPhone ? null : goals.data}
          isToday={isToday}
          compact={isPhone}
        />
      )}

      {!isPhone && <PracticeCard ready={secondaryReady} />}

      {!teamView && (
        <section aria-labelledby="agenda-heading">
          <Group justify="space-between" align="baseline" mb="sm" gap="xs">
            <Title order={2} fz="lg" id="agenda-heading" ref={agendaHeading} tabIndex={-1}>
              {t('today.agenda.heading')}
            </Title>
            {data && (
              <Text fz="sm" c="dimmed" aria-live="polite" data-testid="agenda-counts">
                {t('today.agenda.counts', {
                  calls: t('today.agenda.calls', { count: data.counts.calls }),
                  visits: t('today.agenda.visits', { count: data.counts.visits }),
                })}
              </Text>
            )}
          </Group>
          {data?.truncated && (
            <Text fz="sm" c="dimmed" mb="sm" data-testid="agenda-truncated">
              {t('today.agenda.truncated', {
                shown: data.items.length,
                total: data.counts.calls + data.counts.visits,
              })}
            </Text>
          )}
          {body}
        </section>
      )}

      <LoggedList entries={loggedHere} timeZone={data?.timeZone} />

      {/* On a phone the agenda comes right after the day's figures; the week and practice follow it. */}
      {isPhone && (
        <>
          {!teamView && <WeekCard goals={goals.data} />}
          <PracticeCard ready={secondaryReady} />
        </>
      )}

      <LazyLogTouchModal
        target={formTarget}
        onClose={closeForm}
        onSubmit={submitForm}
        returnFocus={false}
        timeZone={data?.timeZone}
      />
      <Toaster />
    </Stack>
  );
}
