import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { todayIn } from '../../../src/domain/calendar/time-zone.ts';
import type { TAuthStatus } from '../../../src/schemas/auth.ts';
import type { TChannel } from '../../../src/schemas/common.ts';
import type {
  TAgenda,
  TAgendaItem,
  TGoals,
  TLogTouch,
  TLogTouchResult,
} from '../../../src/schemas/plan-api.ts';
import type { TDueCount } from '../../../src/schemas/practice-api.ts';
import { newClientId, type OutboxEntry, outbox, useOutbox } from '../features/touches/outbox.ts';
import { OFFLINE_HEADER } from '../sw/rules.ts';
import { accountKeys } from './accounts.ts';
import { AUTH_STATUS_KEY, useAuthStatus } from './auth.ts';
import { ApiError, apiRequest } from './client.ts';
import { dashboardKeys } from './dashboard.ts';
import { teamDayKeys } from './team-day.ts';

export type { TAgenda, TAgendaItem, TGoals, TLogTouch, TLogTouchResult };

export const agendaKeys = {
  all: ['agenda'] as const,
  days: () => [...agendaKeys.all, 'day'] as const,
  /** `null` is "today in the workspace's time zone", as the server decides it. */
  day: (date: string | null) => [...agendaKeys.days(), date ?? 'today'] as const,
  goals: (period: 'week' | 'month', date: string | null) =>
    [...agendaKeys.all, 'goals', period, date ?? 'today'] as const,
  practiceDue: () => ['practice', 'due'] as const,
};

/** Keys of what one account's page shows; logging a touch refreshes them. */
export const accountPageKeys = {
  touches: (id: string) => [...accountKeys.detail(id), 'touches'] as const,
  planned: (id: string) => [...accountKeys.detail(id), 'planned'] as const,
  profile: (id: string) => [...accountKeys.detail(id), 'profile'] as const,
};

/**
 * An agenda as the page has it: `offlineAsOf` is set when the server could not be reached and the service worker
 * answered with the last agenda it kept (web/src/sw/worker.ts): when that agenda was received (ISO). Otherwise
 * `requestedAt` says when it was asked for (this browser's clock, ms): a kept log the server took before then is
 * counted in it already (`withKeptLogs`).
 */
export type AgendaView = TAgenda & { offlineAsOf?: string; requestedAt?: number };

/** The signed-in rep's calls and visits for a day (default today): overdue first, then A, B, C. */
export function agendaQuery(date: string | null) {
  return queryOptions({
    queryKey: agendaKeys.day(date),
    queryFn: async ({ signal }): Promise<AgendaView> => {
      let offlineAsOf: string | null = null;
      const requestedAt = Date.now();
      const agenda = await apiRequest<TAgenda>('/agenda', {
        query: { date },
        signal,
        onHeaders: (headers) => {
          offlineAsOf = headers.get(OFFLINE_HEADER);
        },
      });
      return offlineAsOf ? { ...agenda, offlineAsOf } : { ...agenda, requestedAt };
    },
  });
}

/** Calls and visits logged against the goal the plan sets for the week (or month) holding `date`. */
export function goalsQuery(period: 'week' | 'month', date: string | null) {
  return queryOptions({
    queryKey: agendaKeys.goals(period, date),
    queryFn: ({ signal }) => apiRequest<TGoals>('/goals', { query: { period, date }, signal }),
  });
}

/** Practice drills due for the signed-in rep; an error (no practice API) simply hides the card. */
export function practiceDueQuery() {
  return queryOptions({
    queryKey: agendaKeys.practiceDue(),
    queryFn: ({ signal }) => apiRequest<TDueCount>('/practice/due', { signal }),
    retry: false,
    staleTime: 60_000,
  });
}

/**
 * The agenda with the logs kept on this device (not sent yet) applied as if the server had them: their items are
 * off it and the day they were logged on counts them, so a reload while offline-and-back does not bring back what
 * the rep already logged. A kept log the server took before the agenda was asked for (`sentAt`, `requestedAt`) is
 * counted by the server already: not a second time while it waits to leave the outbox (send-kept.ts).
 */
export function withKeptLogs<T extends AgendaView>(agenda: T, kept: readonly OutboxEntry[]): T {
  const waiting = kept.filter((entry) => !entry.refused);
  if (waiting.length === 0) return agenda;
  const done = new Set(waiting.map((entry) => entry.touchId).filter((id) => id !== undefined));
  const items = agenda.items.filter((item) => !done.has(item.touchId));
  let counted = agenda.done;
  for (const entry of waiting) {
    const inAnswer =
      entry.sentAt !== undefined && agenda.requestedAt !== undefined && agenda.requestedAt >= entry.sentAt;
    if (!inAnswer && todayIn(agenda.timeZone, new Date(entry.body.at)) === agenda.date)
      counted = countUp(counted, entry.body.channel);
  }
  return {
    ...agenda,
    items,
    counts: countsWithout(agenda, items),
    done: counted,
  };
}

const OFFLINE_RETRY_MS = 30_000;

export function useAgenda(date: string | null) {
  const kept = useOutbox(useAuthStatus().data?.user?.id ?? undefined);
  // The same function while the kept logs stay the same (useOutbox's array is stable), so React Query does not
  // run it again on every render.
  const select = useCallback((agenda: AgendaView) => withKeptLogs(agenda, kept), [kept]);
  return useQuery({
    ...agendaQuery(date),
    placeholderData: keepPreviousData,
    select: kept.length === 0 ? undefined : select,
    // The kept agenda shown offline: asked for again every 30 s, so the server's replaces it once it answers.
    refetchInterval: (query) => (query.state.data?.offlineAsOf ? OFFLINE_RETRY_MS : false),
  });
}

/** `enabled: false` holds the request back (Today asks once its agenda is on screen). */
export function useGoals(period: 'week' | 'month', date: string | null, enabled = true) {
  return useQuery({ ...goalsQuery(period, date), placeholderData: keepPreviousData, enabled });
}

export function usePracticeDue(enabled = true) {
  return useQuery({ ...practiceDueQuery(), enabled });
}

export interface LogTouchVariables {
  accountId: string;
  body: TLogTouch;
  /** The agenda item this log completes: it leaves the agenda at once and today's count goes up. */
  item?: TAgendaItem;
  /** Shown with the log if it has to be kept on this device. */
  accountName?: string;
}

/** A log the server could not be reached for: kept on this device, sent later (see outbox.ts). */
export interface KeptLog {
  kept: OutboxEntry;
}

export type LogTouchAnswer = TLogTouchResult | KeptLog;

export function isKept(answer: LogTouchAnswer): answer is KeptLog {
  return 'kept' in answer;
}

/** No answer, or a gateway's in place of the server's (restarting behind a proxy): worth sending again later. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.isNetworkError || [502, 503, 504].includes(error.status));
}

/**
 * What is left open on an agenda once some of its items are off it (`items`, the rest): its counts less those
 * items'. Not a count of the rest: a cut list (`truncated`) counts more touches than it lists.
 */
function countsWithout(agenda: TAgenda, items: readonly TAgendaItem[]): TAgenda['counts'] {
  if (items.length === agenda.items.length) return agenda.counts;
  const left = new Set(items.map((i) => i.touchId));
  const counts = { ...agenda.counts };
  for (const item of agenda.items) {
    if (left.has(item.touchId)) continue;
    if (item.overdue) counts.overdue -= 1;
    if (item.channel === 'call') counts.calls -= 1;
    else counts.visits -= 1;
  }
  return counts;
}

function countUp(done: TAgenda['done'], channel: TChannel): TAgenda['done'] {
  return channel === 'call' ? { ...done, calls: done.calls + 1 } : { ...done, visits: done.visits + 1 };
}

/**
 * The optimistic part of a log: the item leaves every cached day it is on; the day it was logged for counts one
 * more (today, or the day of `at`: the form writes it on the workspace's clock, so its date part is that day).
 */
function applyOptimistically(client: QueryClient, { item, body }: LogTouchVariables): void {
  const loggedOn = body.at ? body.at.slice(0, 10) : client.getQueryData<TAgenda>(agendaKeys.day(null))?.date;
  client.setQueriesData<TAgenda>({ queryKey: agendaKeys.days() }, (agenda) => {
    if (!agenda) return agenda;
    const items = item ? agenda.items.filter((i) => i.touchId !== item.touchId) : agenda.items;
    const loggedThere = loggedOn !== undefined && agenda.date === loggedOn;
    return {
      ...agenda,
      items,
      counts: countsWithout(agenda, items),
      done: loggedThere ? countUp(agenda.done, body.channel) : agenda.done,
    };
  });
}

const LOG_TOUCH_KEY = ['logTouch'] as const;

export function logTouch({
  accountId,
  body,
}: Pick<LogTouchVariables, 'accountId' | 'body'>): Promise<TLogTouchResult> {
  return apiRequest<TLogTouchResult>(`/accounts/${encodeURIComponent(accountId)}/touches`, {
    method: 'POST',
    body,
  });
}

/**
 * Logs a call or visit. With `item`, the agenda updates before the server answers; on failure the agenda is
 * read again, so nothing logged is shown that was not saved. Afterwards the agenda, the goals and the
 * account's page are refreshed (the server re-planned the account's next touch and may have moved its stage).
 */
export function useLogTouch() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: LOG_TOUCH_KEY,
    // Tried even when the browser says it is offline (React Query would hold it, in this page only): it fails at
    // once and is kept on this device, where a reload or a closed tab cannot lose it.
    networkMode: 'always',
    // Each log carries an id of its own: sent again (kept offline, or its answer lost), it is logged once.
    mutationFn: async (variables: LogTouchVariables): Promise<LogTouchAnswer> => {
      const loggedAt = new Date().toISOString();
      const body = { ...variables.body, clientId: variables.body.clientId ?? newClientId() };
      try {
        return await logTouch({ accountId: variables.accountId, body });
      } catch (error) {
        const userId = client.getQueryData<TAuthStatus>(AUTH_STATUS_KEY)?.user?.id;
        if (!isUnreachable(error) || !userId) throw error;
        const kept: OutboxEntry = {
          clientId: body.clientId,
          userId,
          accountId: variables.accountId,
          accountName: variables.accountName ?? variables.item?.accountName ?? '',
          // Logged now, whenever it reaches the server.
          body: { ...body, at: body.at ?? loggedAt },
          ...(variables.item ? { touchId: variables.item.touchId } : {}),
          keptAt: loggedAt,
        };
        outbox.keep(kept);
        return { kept };
      }
    },
    onMutate: async (variables) => {
      await client.cancelQueries({ queryKey: agendaKeys.days() });
      const before = client.getQueriesData<TAgenda>({ queryKey: agendaKeys.days() });
      applyOptimistically(client, variables);
      return { before };
    },
    // Kept on this device: the agenda as it was, the kept log applied on reading it (withKeptLogs), once.
    onSuccess: (answer, _variables, context) => {
      if (!isKept(answer)) return;
      for (const [key, agenda] of context.before) client.setQueryData(key, agenda);
    },
    onSettled: (_result, _error, { accountId }) => {
      const refreshes = [
        client.invalidateQueries({ queryKey: accountKeys.detail(accountId) }),
        client.invalidateQueries({ queryKey: accountKeys.lists() }),
      ];
      // Several quick logs in a row: read the agenda once the last one is saved, so an earlier answer does
      // not bring back an item a later log has already taken off.
      if (client.isMutating({ mutationKey: LOG_TOUCH_KEY }) === 1) {
        refreshes.push(client.invalidateQueries({ queryKey: agendaKeys.all }));
      }
      // Calls made, coverage and the team's day count this touch (marked stale; read again when shown).
      refreshes.push(
        client.invalidateQueries({ queryKey: dashboardKeys.all }),
        client.invalidateQueries({ queryKey: teamDayKeys.all }),
      );
      return Promise.all(refreshes);
    },
  });
}
