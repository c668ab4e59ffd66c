import { useSyncExternalStore } from 'react';
import type { TLogTouch } from '../../../../src/schemas/plan-api.ts';

/**
 * Logs kept on this device because the server could not be reached (a basement, a lift, a village without signal):
 * each is sent again later with the same `clientId`, so a log whose first answer was lost is still logged once
 * (the server answers the first log). Kept in localStorage, so a reload or a closed tab loses nothing; each entry
 * names its user, and only that user's session sends or shows it.
 */
export interface OutboxEntry {
  /** The id the log was first sent with (also `body.clientId`). */
  clientId: string;
  userId: string;
  accountId: string;
  accountName: string;
  /** As it will be sent: `clientId` set, and `at` fixed to when the rep logged it (not when it is sent). */
  body: TLogTouch & { clientId: string; at: string };
  /** The agenda item it completes, so the agenda leaves it off until it is sent. */
  touchId?: string;
  /** When it was kept (ISO). */
  keptAt: string;
  /** The server answered and refused it (the account left the rep's scope, say): shown until dismissed. */
  refused?: string;
  /**
   * The server took it, at this time (this browser's clock, ms): an agenda asked for since counts it, so it is not
   * counted again while it waits to leave the outbox (send-kept.ts, api/agenda.ts `withKeptLogs`).
   */
  sentAt?: number;
}

const STORAGE_KEY = 'tierline.outbox';

let entries: readonly OutboxEntry[] = read();
const listeners = new Set<() => void>();

function read(): readonly OutboxEntry[] {
  try {
    const text = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    typeof entry.clientId === 'string' &&
    typeof entry.userId === 'string' &&
    typeof entry.accountId === 'string' &&
    typeof entry.body === 'object' &&
    entry.body !== null
  );
}

function set(next: readonly OutboxEntry[]): void {
  entries = next;
  try {
    if (next.length === 0) globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // storage full or refused (private browsing): the entries stay for this page's life
  }
  for (const listener of listeners) listener();
}

// Another tab of the same browser kept or sent a log: follow it.
globalThis.addEventListener?.('storage', (event: StorageEvent) => {
  if (event.key !== STORAGE_KEY) return;
  entries = read();
  for (const listener of listeners) listener();
});

export const outbox = {
  /** Every entry of `userId`, oldest first (the order they are sent in). */
  of(userId: string | undefined): readonly OutboxEntry[] {
    return userId ? entries.filter((entry) => entry.userId === userId) : [];
  },
  keep(entry: OutboxEntry): void {
    set([...entries.filter((e) => e.clientId !== entry.clientId), entry]);
  },
  remove(clientId: string): void {
    set(entries.filter((e) => e.clientId !== clientId));
  },
  refuse(clientId: string, reason: string): void {
    set(entries.map((e) => (e.clientId === clientId ? { ...e, refused: reason } : e)));
  },
  markSent(clientId: string, sentAt: number): void {
    set(entries.map((e) => (e.clientId === clientId ? { ...e, sentAt } : e)));
  },
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const NONE: readonly OutboxEntry[] = [];
let lastUser: string | undefined;
let lastAll: readonly OutboxEntry[] | undefined;
let lastMine: readonly OutboxEntry[] = NONE;

/** The signed-in user's kept logs (a stable array until they change). */
export function useOutbox(userId: string | undefined): readonly OutboxEntry[] {
  return useSyncExternalStore(subscribe, () => {
    if (entries !== lastAll || userId !== lastUser) {
      lastAll = entries;
      lastUser = userId;
      const mine = outbox.of(userId);
      lastMine = mine.length === 0 ? NONE : mine;
    }
    return lastMine;
  });
}

/** A new client id for a log: a UUID where the browser makes one (secure pages), else 128 random bits in hex. */
export function newClientId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
