import { describe, expect, it } from 'vitest';
import type { AgendaView, TAgenda, TAgendaItem, TLogTouchResult } from '../../web/src/api/agenda.ts';
import { withKeptLogs } from '../../web/src/api/agenda.ts';
import { ApiError } from '../../web/src/api/client.ts';
import type { OutboxEntry } from '../../web/src/features/touches/outbox.ts';
import { sendKept } from '../../web/src/features/touches/send-kept.ts';

const DAY = '2026-11-27';
const ZONE = 'Asia/Shanghai';

const item = (touchId: string) => ({ touchId, channel: 'call', overdue: false }) as unknown as TAgendaItem;

/** The agenda as the server answers it, asked for at `requestedAt` (api/agenda.ts `agendaQuery` notes it). */
function agenda(touchIds: string[], callsDone: number, requestedAt = Date.now()): AgendaView {
  return {
    requestedAt,
    date: DAY,
    timeZone: ZONE,
    items: touchIds.map(item),
    counts: { overdue: 0, calls: touchIds.length, visits: 0 },
    done: { calls: callsDone, visits: 0 },
  } as unknown as AgendaView;
}

function entry(clientId: string, touchId: string): OutboxEntry {
  return {
    clientId,
    userId: 'rep',
    accountId: `account-${touchId}`,
    accountName: '',
    body: { channel: 'call', outcome: 'reached', clientId, at: `${DAY}T02:00:00.000Z` },
    touchId,
    keptAt: `${DAY}T02:00:00.000Z`,
  } as OutboxEntry;
}

const RESULT = { nextTouches: [] } as unknown as TLogTouchResult;

/**
 * Today as the page shows it while kept logs are sent: the cached agenda with the outbox's logs applied
 * (`withKeptLogs`), written down at every change of either.
 */
function today(cached: AgendaView, kept: OutboxEntry[]) {
  const state = { cached, kept };
  const shown: TAgenda[] = [];
  const look = () => shown.push(withKeptLogs(state.cached, state.kept));
  look();
  return { state, shown, look };
}

describe('sending the logs kept on this device', () => {
  it('takes a sent log out of the outbox only once the agenda has the server’s answer', async () => {
    const kept = [entry('c1', 't1'), entry('c2', 't2')];
    // Before: t1 and t2 were logged offline; the cached agenda is the one read before, with both on it.
    const page = today(agenda(['t1', 't2', 't3'], 0), kept);
    const sent = await sendKept({
      entries: kept,
      send: async () => RESULT,
      sent: () => undefined,
      markSent: (clientId, sentAt) => {
        page.state.kept = page.state.kept.map((e) => (e.clientId === clientId ? { ...e, sentAt } : e));
        page.look();
      },
      refresh: async () => {
        await Promise.resolve();
        page.state.cached = agenda(['t3'], 2);
        page.look();
      },
      remove: (clientId) => {
        page.state.kept = page.state.kept.filter((e) => e.clientId !== clientId);
        page.look();
      },
      refuse: () => undefined,
    });
    expect(sent).toBe(2);
    expect(page.state.kept).toEqual([]);
    // At no moment do the logged calls show again on Today, and each is counted once all along: the server's
    // new answer counts both while they still wait in the outbox to leave it.
    for (const shown of page.shown) expect(shown.items.map((i) => i.touchId)).toEqual(['t3']);
    expect(page.shown.map((shown) => shown.done.calls)).toEqual(page.shown.map(() => 2));
  });

  it('adds a sent log to the count of an agenda asked for before it was sent, not of one asked for since', () => {
    const sent = { ...entry('c1', 't1'), sentAt: 1_000 };
    expect(withKeptLogs(agenda(['t1'], 0, 999), [sent]).done.calls).toBe(1);
    expect(withKeptLogs(agenda([], 1, 1_000), [sent]).done.calls).toBe(1);
    expect(withKeptLogs(agenda([], 1, 5_000), [sent]).done.calls).toBe(1);
    // Not sent yet, or an agenda the service worker kept (no time it was asked for): the outbox counts it.
    expect(withKeptLogs(agenda(['t1'], 0, 5_000), [entry('c1', 't1')]).done.calls).toBe(1);
    const kept = { ...agenda(['t1'], 0), requestedAt: undefined, offlineAsOf: '2026-11-27T01:00:00.000Z' };
    expect(withKeptLogs(kept, [sent]).done.calls).toBe(1);
  });

  it('still empties the outbox of what was sent when reading the pages again fails', async () => {
    const kept = [entry('c1', 't1')];
    const removed: string[] = [];
    await expect(
      sendKept({
        entries: kept,
        send: async () => RESULT,
        sent: () => undefined,
        markSent: () => undefined,
        refresh: () => Promise.reject(new Error('offline again')),
        remove: (clientId) => removed.push(clientId),
        refuse: () => undefined,
      }),
    ).rejects.toThrow('offline again');
    expect(removed).toEqual(['c1']);
  });

  it('stops at a log that cannot reach the server, keeps it, and marks one the server refuses', async () => {
    const kept = [entry('c1', 't1'), entry('c2', 't2'), entry('c3', 't3'), entry('c4', 't4')];
    const answers: Record<string, () => Promise<TLogTouchResult>> = {
      c1: async () => RESULT,
      c2: () => Promise.reject(new ApiError(403, 'forbidden', 'Not your account')),
      c3: () => Promise.reject(new ApiError(0, 'network', 'Failed to fetch')),
      c4: async () => RESULT,
    };
    const removed: string[] = [];
    const refused: [string, string][] = [];
    let refreshed = 0;
    const sent = await sendKept({
      entries: kept,
      send: (e) => (answers[e.clientId] as () => Promise<TLogTouchResult>)(),
      sent: () => undefined,
      markSent: () => undefined,
      refresh: async () => {
        refreshed += 1;
      },
      remove: (clientId) => removed.push(clientId),
      refuse: (clientId, reason) => refused.push([clientId, reason]),
    });
    expect(sent).toBe(1);
    expect(removed).toEqual(['c1']);
    expect(refused).toEqual([['c2', 'Not your account']]);
    expect(refreshed).toBe(1);
  });

  it('reads nothing again when nothing was sent', async () => {
    let refreshed = 0;
    const sent = await sendKept({
      entries: [entry('c1', 't1')],
      send: () => Promise.reject(new ApiError(401, 'unauthorized', 'Sign in')),
      sent: () => undefined,
      markSent: () => undefined,
      refresh: async () => {
        refreshed += 1;
      },
      remove: () => undefined,
      refuse: () => undefined,
    });
    expect(sent).toBe(0);
    expect(refreshed).toBe(0);
  });
});
