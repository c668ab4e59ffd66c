import { describe, expect, it } from 'vitest';
import type { TAgendaItem } from '../../src/schemas/plan-api.ts';
import { topPercent } from '../../web/src/features/account-page/tier-basis.ts';
import { groupAgenda, progressPercent } from '../../web/src/features/today/agenda-groups.ts';
import { daysBetween, formatDay, isIsoDate, shiftDay } from '../../web/src/features/touches/dates.ts';

function item(touchId: string, tier: TAgendaItem['tier'], overdue = false): TAgendaItem {
  return {
    touchId,
    accountId: `a-${touchId}`,
    accountName: touchId,
    tier,
    city: null,
    district: null,
    phone: null,
    channel: 'call',
    dueOn: '2026-11-27',
    dueTime: null,
    overdue,
    overdueDays: overdue ? 2 : 0,
    repId: null,
    stage: 'prospect',
    lastTouch: null,
  };
}

describe('agenda sections', () => {
  it('puts overdue first whatever the tier, then A, B, C, then accounts without a tier', () => {
    const groups = groupAgenda([
      item('c1', 'C', true),
      item('a1', 'A', true),
      item('a2', 'A'),
      item('x', null),
      item('c2', 'C'),
      item('a3', 'A'),
    ]);
    expect(groups.map((g) => [g.key, g.items.map((i) => i.touchId)])).toEqual([
      ['overdue', ['c1', 'a1']],
      ['A', ['a2', 'a3']],
      ['C', ['c2']],
      ['none', ['x']],
    ]);
  });

  it('leaves empty sections out', () => {
    expect(groupAgenda([])).toEqual([]);
  });
});

describe('progress toward a goal', () => {
  it('is a whole percentage, capped at 100, and 0 with no goal and nothing done', () => {
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 4)).toBe(100);
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(2, 0)).toBe(100);
  });
});

describe('calendar dates', () => {
  it('validates and shifts ISO dates across months, years and leap days', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDay('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-27', '2027-01-01')).toBe(35);
  });

  it('writes a day the same way in every time zone, with the year only when it differs', () => {
    expect(formatDay('2026-11-28', 'zh-CN', 'short', '2026')).toBe('11月28日');
    expect(formatDay('2027-01-04', 'zh-CN', 'weekday', '2026')).toBe('2027年1月4日周一');
    expect(formatDay('2026-11-28', 'en', 'weekday', '2026')).toBe('Sat, Nov 28');
    expect(formatDay('2026-11-28', 'en', 'long')).toBe('Saturday, November 28, 2026');
    expect(formatDay('not a date', 'en', 'short')).toBe('not a date');
  });
});

describe('tier basis', () => {
  it('says how near the top a rank is, rounded up, at least 1%', () => {
    expect(topPercent(26, 247)).toBe(11);
    expect(topPercent(1, 1000)).toBe(1);
    expect(topPercent(247, 247)).toBe(100);
  });
});
