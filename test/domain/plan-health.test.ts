import { describe, expect, it } from 'vitest';
import { resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { channelHealth, healthBounds, planHealth } from '../../src/domain/plan/health.ts';

// The default cadence: A call monthly (30.4 days), C call half-yearly; C visit yearly.
const cadence = resolveCadence();
const plan = { from: '2026-11-02', to: '2027-11-02' };
const today = '2026-11-27';

describe('plan health rules', () => {
  it('bounds each interval as the planner does: whole days, ×1.2 rounded down, ×0.8', () => {
    expect(healthBounds(cadence, 'A', 'call')).toEqual({
      dueDays: 30,
      behindDays: 36,
      aheadGap: 0.8 * (365 / 12),
    });
    expect(healthBounds(cadence, 'C', 'visit')).toEqual({ dueDays: 365, behindDays: 438, aheadGap: 292 });
    const none = resolveCadence([{ tier: 'C', channel: 'visit', intervalMonths: null }]);
    expect(healthBounds(none, 'C', 'visit')).toBeNull();
    expect(channelHealth({ tier: 'C', channel: 'visit', lastOn: null, open: [] }, none, plan, today)).toEqual(
      [],
    );
  });

  it('counts a channel with no open touch as unplanned when its next due day falls in the plan', () => {
    const never = { tier: 'A' as const, channel: 'call' as const, lastOn: null, open: [] };
    expect(channelHealth(never, cadence, plan, today)).toEqual([{ reason: 'unplanned', nextDue: today }]);
    // Last visited 2026-11-03: due 2027-11-03, after the plan's last day (2027-11-01).
    const later = { tier: 'C' as const, channel: 'visit' as const, lastOn: '2026-11-03', open: [] };
    expect(channelHealth(later, cadence, plan, today)).toEqual([]);
    const inside = { ...later, lastOn: '2026-11-01' };
    expect(channelHealth(inside, cadence, plan, today)).toEqual([
      { reason: 'unplanned', nextDue: '2027-11-01' },
    ]);
    // An ended plan covers nothing from today on: whatever the next due day, a channel without an open touch due
    // today or later is unplanned (an overdue touch left from it is the agenda's, not a plan).
    const ended = { from: '2025-01-01', to: '2026-01-01' };
    expect(channelHealth(never, cadence, ended, today)).toEqual([{ reason: 'unplanned', nextDue: today }]);
    expect(channelHealth(later, cadence, ended, today)).toEqual([
      { reason: 'unplanned', nextDue: '2027-11-03' },
    ]);
    expect(channelHealth({ ...never, open: ['2025-12-20'] }, cadence, ended, today)).toEqual([
      { reason: 'unplanned', nextDue: today },
    ]);
    expect(
      channelHealth({ ...never, open: [today] }, cadence, { from: '2026-11-02', to: today }, today),
    ).toEqual([]);
  });

  it('expects no touch of an account never touched from a plan shorter than the interval (the planner spreads them)', () => {
    // A 2-month plan: A calls (monthly) must all be planned; A visits (quarterly) are spread over three months, so
    // some rightly fall after its end.
    const short = { from: '2026-11-02', to: '2027-01-02' };
    const call = { tier: 'A' as const, channel: 'call' as const, lastOn: null, open: [] };
    expect(channelHealth(call, cadence, short, today)).toEqual([{ reason: 'unplanned', nextDue: today }]);
    expect(channelHealth({ ...call, channel: 'visit' }, cadence, short, today)).toEqual([]);
    // One interval long (91 days for a quarter) is enough.
    expect(
      channelHealth({ ...call, channel: 'visit' }, cadence, { from: '2026-11-02', to: '2027-02-01' }, today),
    ).toEqual([{ reason: 'unplanned', nextDue: today }]);
  });

  it('counts a first touch later than 1.2 intervals after the later of the last touch and the plan start as behind', () => {
    const a = { tier: 'A' as const, channel: 'call' as const, lastOn: '2026-11-10' };
    expect(channelHealth({ ...a, open: ['2026-12-16'] }, cadence, plan, today)).toEqual([]);
    expect(channelHealth({ ...a, open: ['2026-12-17'] }, cadence, plan, today)).toEqual([
      { reason: 'behind', nextDue: '2026-12-17' },
    ]);
    // Last touched long before the plan: the anchor is the plan's first day (2026-11-02 + 36 = 2026-12-08).
    const old = { ...a, lastOn: '2025-03-01' };
    expect(channelHealth({ ...old, open: ['2026-12-08'] }, cadence, plan, today)).toEqual([]);
    expect(channelHealth({ ...old, open: ['2026-12-09'] }, cadence, plan, today)[0]?.reason).toBe('behind');
  });

  it('counts open touches due from today on closer than 0.8 intervals on average as ahead, overdue ones left out', () => {
    const c = { tier: 'C' as const, channel: 'call' as const, lastOn: '2026-10-01' };
    // C calls every 182.5 days: 2026-12-01 and 2027-01-01 are 31 days apart.
    expect(channelHealth({ ...c, open: ['2026-12-01', '2027-01-01'] }, cadence, plan, today)).toEqual([
      { reason: 'ahead', nextDue: '2026-12-01' },
    ]);
    expect(channelHealth({ ...c, open: ['2026-11-20', '2026-12-01'] }, cadence, plan, today)).toEqual([]);
    // On average: three C calls over 300 days (150 apart on average, at least 146) are not ahead, over 290 they are.
    expect(
      channelHealth({ ...c, open: ['2026-12-01', '2027-01-01', '2027-09-27'] }, cadence, plan, today),
    ).toEqual([]);
    expect(
      channelHealth({ ...c, open: ['2026-12-01', '2027-01-01', '2027-09-17'] }, cadence, plan, today),
    ).toEqual([{ reason: 'ahead', nextDue: '2026-12-01' }]);
  });

  it('reports an account outside the market with open touches, and sums accounts once', () => {
    const summary = planHealth(
      [
        { id: 'b', name: 'B', tier: 'B', city: null, lastOn: {}, open: {} },
        { id: 'o', name: 'O', tier: null, city: '上海市', lastOn: {}, open: { visit: ['2026-12-01'] } },
        {
          id: 'a',
          name: 'A',
          tier: 'A',
          city: null,
          lastOn: {},
          open: { call: ['2026-11-30'], visit: ['2026-12-01'] },
        },
      ],
      cadence,
      plan,
      today,
    );
    expect(summary.affected).toBe(2);
    expect(summary.counts.unplanned.call.B).toBe(1);
    expect(summary.counts.unplanned.visit.B).toBe(1);
    expect(summary.counts.outOfMarket).toEqual({ call: 0, visit: 1 });
    expect(summary.entries.map((e) => [e.id, e.channel, e.reason])).toEqual([
      ['b', 'call', 'unplanned'],
      ['b', 'visit', 'unplanned'],
      ['o', 'visit', 'outOfMarket'],
    ]);
  });
});
