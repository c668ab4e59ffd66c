import type { TLogTouchResult } from '../../../../src/schemas/plan-api.ts';
import { isUnreachable } from '../../api/agenda.ts';
import { ApiError } from '../../api/client.ts';
import type { OutboxEntry } from './outbox.ts';

/** What sending kept logs works with: the outbox, the server, and the cached pages they change. */
export interface SendKeptSteps {
  /** The user's kept logs, oldest first (outbox.ts `outbox.of`). */
  entries: readonly OutboxEntry[];
  /** Sends one log with its first client id (the server logs it once). */
  send: (entry: OutboxEntry) => Promise<TLogTouchResult>;
  /** A log the server took: what it answered (Today's "logged" note). */
  sent: (entry: OutboxEntry, result: TLogTouchResult) => void;
  /**
   * Marks a log the server took, with when (`Date.now()`): an agenda asked for from then on counts it already, so
   * it is counted once while it waits to leave the outbox (outbox.ts `sentAt`).
   */
  markSent: (clientId: string, sentAt: number) => void;
  /** Reads again what the sent logs changed, the agenda first of all; settles once the answers are in. */
  refresh: () => Promise<unknown>;
  /** Takes a sent log out of the outbox. */
  remove: (clientId: string) => void;
  /** Marks a log the server refused, with its reason. */
  refuse: (clientId: string, reason: string) => void;
}

/**
 * Sends kept logs, oldest first, stopping at the first that cannot reach the server (tried again later) or when the
 * session has ended (401); a log the server refuses is marked with its reason. The sent logs leave the outbox only
 * once the pages have been read again: while they are in it the agenda leaves their items off (api/agenda.ts
 * `withKeptLogs`), so a logged call never shows again on Today between the send and the agenda's new answer. Each is
 * marked sent first, with the time: the new answer counts it, and the outbox no longer adds it to that answer's
 * count. (Sent again meanwhile, after a reload say, a log is still logged once: its client id.) Returns how many
 * were sent.
 */
export async function sendKept(steps: SendKeptSteps): Promise<number> {
  const done: OutboxEntry[] = [];
  try {
    for (const entry of steps.entries) {
      if (entry.refused) continue;
      try {
        const result = await steps.send(entry);
        steps.markSent(entry.clientId, Date.now());
        done.push(entry);
        steps.sent(entry, result);
      } catch (error) {
        if (isUnreachable(error) || !(error instanceof ApiError) || error.status === 401) break;
        steps.refuse(entry.clientId, error.message);
      }
    }
  } finally {
    if (done.length > 0) {
      try {
        await steps.refresh();
      } finally {
        for (const entry of done) steps.remove(entry.clientId);
      }
    }
  }
  return done.length;
}
