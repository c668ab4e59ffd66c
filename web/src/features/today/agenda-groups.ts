import type { TAgendaItem } from '../../api/agenda.ts';

export type AgendaGroupKey = 'overdue' | 'A' | 'B' | 'C' | 'none';

export interface AgendaGroup {
  key: AgendaGroupKey;
  items: TAgendaItem[];
}

const ORDER: readonly AgendaGroupKey[] = ['overdue', 'A', 'B', 'C', 'none'];

function groupOf(item: TAgendaItem): AgendaGroupKey {
  if (item.overdue) return 'overdue';
  return item.tier ?? 'none';
}

/**
 * The agenda in its sections: overdue first (whatever the tier), then A, B and C, and accounts without a tier
 * last. Items keep the server's order inside a section; empty sections are left out.
 */
export function groupAgenda(items: readonly TAgendaItem[]): AgendaGroup[] {
  const groups = new Map<AgendaGroupKey, TAgendaItem[]>();
  for (const item of items) {
    const key = groupOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return ORDER.flatMap((key) => {
    const list = groups.get(key);
    return list ? [{ key, items: list }] : [];
  });
}

/** A share of a goal as a whole percentage for a progress bar, 0 when nothing is planned, at most 100. */
export function progressPercent(done: number, goal: number): number {
  if (goal <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.round((done / goal) * 100));
}
