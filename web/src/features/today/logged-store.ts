import { useSyncExternalStore } from 'react';
import type { TChannel, TOutcome } from '../../../../src/schemas/common.ts';

export interface LoggedEntry {
  /** The planned touch the log completed (unique per agenda item). */
  touchId: string;
  accountId: string;
  accountName: string;
  channel: TChannel;
  outcome: TOutcome;
  /** `kept`: no connection, kept on this device and sent later (features/touches/outbox.ts). */
  status: 'saving' | 'saved' | 'kept';
  /** When the next touch on the channel is due, once the server has re-planned it. */
  nextDueOn?: string | null;
  /** The agenda day it was logged from. */
  day: string;
  /** When it happened, when the rep logged it for an earlier time than now. */
  at?: string;
}

// What this browser tab logged from the agenda, newest first: it stays while the rep moves between Today and
// the account pages, and goes with a reload (the server's counts are the record).
let entries: readonly LoggedEntry[] = [];
const listeners = new Set<() => void>();

function set(next: readonly LoggedEntry[]) {
  entries = next;
  for (const listener of listeners) listener();
}

export const loggedStore = {
  add(entry: LoggedEntry) {
    set([entry, ...entries.filter((e) => e.touchId !== entry.touchId)].slice(0, 50));
  },
  update(touchId: string, patch: Partial<LoggedEntry>) {
    set(entries.map((e) => (e.touchId === touchId ? { ...e, ...patch } : e)));
  },
  remove(touchId: string) {
    set(entries.filter((e) => e.touchId !== touchId));
  },
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLoggedEntries(): readonly LoggedEntry[] {
  return useSyncExternalStore(subscribe, () => entries);
}
