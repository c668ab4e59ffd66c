import type { TAgenda, TAgendaItem } from '../schemas/plan-api.ts';

/**
 * GET /api/agenda's answer as JSON: exactly the fields of ZAgenda (src/schemas/plan-api.ts), copied one by one,
 * so nothing else an object carries can reach the client, then `JSON.stringify`. The route uses it instead of
 * the zod serializer (a full `ZAgenda.parse` of every item before stringifying: ~30% more CPU for a
 * 70-item agenda, on the most requested read); the shape is ours and fixed by the TAgenda type.
 * `test/server/agenda-json.test.ts` checks it against the schema.
 */
export function agendaJson(agenda: TAgenda): string {
  const items = new Array<TAgendaItem>(agenda.items.length);
  for (let k = 0; k < items.length; k++) {
    const i = agenda.items[k] as TAgendaItem;
    const l = i.lastTouch;
    items[k] = {
      touchId: i.touchId,
      accountId: i.accountId,
      accountName: i.accountName,
      tier: i.tier,
      city: i.city,
      district: i.district,
      phone: i.phone,
      stage: i.stage,
      channel: i.channel,
      dueOn: i.dueOn,
      dueTime: i.dueTime,
      repId: i.repId,
      overdue: i.overdue,
      overdueDays: i.overdueDays,
      lastTouch: l ? { at: l.at, channel: l.channel, outcome: l.outcome, note: l.note } : null,
    };
  }
  const { counts, done, goal } = agenda;
  return JSON.stringify({
    date: agenda.date,
    timeZone: agenda.timeZone,
    repId: agenda.repId,
    items,
    counts: { overdue: counts.overdue, calls: counts.calls, visits: counts.visits },
    truncated: agenda.truncated,
    done: { calls: done.calls, visits: done.visits },
    goal: { calls: goal.calls, visits: goal.visits },
    next: agenda.next
      ? { date: agenda.next.date, calls: agenda.next.calls, visits: agenda.next.visits }
      : null,
    day: { working: agenda.day.working, kind: agenda.day.kind, name: agenda.day.name },
  } satisfies TAgenda);
}
