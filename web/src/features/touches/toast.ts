import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  title: string;
  message?: string;
  /** `kept`: logged on this device, to be sent when the server can be reached (outbox.ts). */
  tone: 'success' | 'kept' | 'error';
}

const LIFETIME_MS = 7000;
let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const listener of listeners) listener();
}

/** Removes a toast (its close button, or its time ran out). */
export function dismissToast(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** Removes every toast (the page they spoke about changed, e.g. another day's agenda). */
export function dismissAllToasts(): void {
  if (toasts.length === 0) return;
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
  toasts = [];
  emit();
}

/** Keeps a toast on screen while the pointer or focus is on it; `false` restarts its clock. */
export function holdToast(id: number, hold: boolean): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  if (!hold)
    timers.set(
      id,
      setTimeout(() => dismissToast(id), LIFETIME_MS),
    );
}

/** Shows a short confirmation (or error); at most three are on screen, the newest last. */
export function showToast(toast: Omit<Toast, 'id'>): number {
  const id = nextId++;
  toasts = [...toasts, { ...toast, id }].slice(-3);
  holdToast(id, false);
  emit();
  return id;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
