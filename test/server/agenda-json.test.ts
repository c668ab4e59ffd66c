import { describe, expect, it } from 'vitest';
import { type TAgenda, ZAgenda } from '../../src/schemas/plan-api.ts';
import { agendaJson } from '../../src/server/agenda-json.ts';

const item = (i: number) => ({
  touchId: `t${i}`,
  accountId: `a${i}`,
  accountName: `深圳市"引号"\\精密电子 ${i}`,
  tier: i % 2 ? ('A' as const) : null,
  city: '深圳市',
  district: i % 3 ? '南山区' : null,
  phone: null,
  stage: 'contacted',
  channel: i % 2 ? ('call' as const) : ('visit' as const),
  dueOn: '2026-11-20',
  dueTime: i % 2 ? '09:30' : null,
  repId: i % 4 ? 'rep-1' : null,
  overdue: true,
  overdueDays: 7,
  lastTouch:
    i % 2
      ? {
          at: '2026-10-01T03:30:00.000Z',
          channel: 'call' as const,
          outcome: 'reached' as const,
          note: '换行\n备注',
        }
      : null,
});

// The agenda route writes its answer with agendaJson instead of the zod serializer: same content, nothing more.
describe('agendaJson', () => {
  it('writes what ZAgenda would, and only the fields the schema declares', () => {
    const agenda: TAgenda = {
      date: '2026-11-27',
      timeZone: 'Asia/Shanghai',
      repId: null,
      items: [0, 1, 2, 3, 4, 5].map(item),
      counts: { overdue: 6, calls: 3, visits: 3 },
      truncated: false,
      done: { calls: 1, visits: 0 },
      goal: { calls: 2, visits: 1 },
      next: null,
      day: { working: true, kind: 'workday', name: null },
    };
    // Extra properties an object might carry (a row's column, a secret) must not reach the client.
    const leaky = {
      ...agenda,
      secret: 'x',
      items: agenda.items.map((i) => ({
        ...i,
        password_hash: 'x',
        lastTouch: i.lastTouch && { ...i.lastTouch, userId: 'x' },
      })),
      counts: { ...agenda.counts, hidden: 1 },
      done: { ...agenda.done, hidden: 1 },
      goal: { ...agenda.goal, hidden: 1 },
      day: { ...agenda.day, hidden: 1 },
    } as TAgenda;
    const expected = ZAgenda.parse(agenda);
    expect(JSON.parse(agendaJson(agenda))).toStrictEqual(expected);
    expect(JSON.parse(agendaJson(leaky))).toStrictEqual(expected);
    expect(agendaJson(leaky)).not.toContain('"x"');
  });

  it('writes an empty agenda with the next planned day and the day off, and nothing more of them', () => {
    const empty: TAgenda = {
      date: '2026-11-28',
      timeZone: 'America/New_York',
      repId: 'rep-1',
      items: [],
      counts: { overdue: 0, calls: 0, visits: 0 },
      truncated: false,
      done: { calls: 0, visits: 0 },
      goal: { calls: 0, visits: 0 },
      next: { date: '2026-11-30', calls: 3, visits: 1 },
      day: { working: false, kind: 'holiday', name: '国庆节 National Day' },
    };
    const leaky = {
      ...empty,
      next: { ...empty.next, repId: 'x' },
      day: { ...empty.day, published: true },
    } as TAgenda;
    expect(JSON.parse(agendaJson(empty))).toStrictEqual(ZAgenda.parse(empty));
    expect(JSON.parse(agendaJson(leaky))).toStrictEqual(ZAgenda.parse(empty));
  });
});
