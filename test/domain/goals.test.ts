import { describe, expect, it } from 'vitest';
import {
  countOverdue,
  coverageByTier,
  deriveGoals,
  goalProgress,
  type LoggedTouch,
  periodOf,
} from '../../src/domain/plan/goals.ts';
import type { TChannel, TTier } from '../../src/schemas/common.ts';

const touch = (dueOn: string, channel: TChannel = 'call', tier: TTier = 'A') => ({
  accountId: 'x',
  channel,
  dueOn,
  tier,
});
const logged = (on: string, channel: TChannel = 'call', accountId = 'x'): LoggedTouch => ({
  accountId,
  channel,
  on,
});

describe('periods', () => {
  it.each([
    ['2025-03-05', 'week', { key: '2025-03-03', from: '2025-03-03', to: '2025-03-10' }],
    ['2025-03-09', 'week', { key: '2025-03-03', from: '2025-03-03', to: '2025-03-10' }], // Sunday ends the week
    ['2025-03-10', 'week', { key: '2025-03-10', from: '2025-03-10', to: '2025-03-17' }],
    ['2025-12-31', 'week', { key: '2025-12-29', from: '2025-12-29', to: '2026-01-05' }],
    ['2025-02-14', 'month', { key: '2025-02', from: '2025-02-01', to: '2025-03-01' }],
    ['2024-12-31', 'month', { key: '2024-12', from: '2024-12-01', to: '2025-01-01' }],
  ] as const)('%s lies in the %s %o', (date, period, expected) => {
    expect(periodOf(date, period)).toEqual({ period, ...expected });
  });
});

describe('goals from the plan', () => {
  const plan = [
    touch('2025-03-03'),
    touch('2025-03-09', 'visit'),
    touch('2025-03-05'),
    touch('2025-03-24'),
    touch('2025-04-01', 'visit'),
  ];

  it('counts planned calls and visits per week, listing empty weeks too', () => {
    expect(deriveGoals(plan, 'week').map((g) => [g.key, g.calls, g.visits])).toEqual([
      ['2025-03-03', 2, 1],
      ['2025-03-10', 0, 0],
      ['2025-03-17', 0, 0],
      ['2025-03-24', 1, 0],
      ['2025-03-31', 0, 1],
    ]);
  });

  it('counts per month and respects a range', () => {
    expect(deriveGoals(plan, 'month').map((g) => [g.key, g.calls, g.visits])).toEqual([
      ['2025-03', 3, 1],
      ['2025-04', 0, 1],
    ]);
    expect(
      deriveGoals(plan, 'month', { from: '2025-03-10', to: '2025-06-01' }).map((g) => [
        g.key,
        g.calls,
        g.visits,
      ]),
    ).toEqual([
      ['2025-03', 1, 0],
      ['2025-04', 0, 1],
      ['2025-05', 0, 0],
    ]);
  });

  it('measures logged touches against the goals', () => {
    const goals = deriveGoals(plan, 'week');
    const progress = goalProgress(goals, [
      logged('2025-03-03'),
      logged('2025-03-04'),
      logged('2025-03-06'),
      logged('2025-03-08', 'visit'),
      logged('2025-03-12'), // an unplanned call still counts
      logged('2025-05-01'), // outside every period
    ]);
    expect(progress[0]).toMatchObject({
      key: '2025-03-03',
      calls: 2,
      actual: { calls: 3, visits: 1 },
      ratio: { calls: 1.5, visits: 1 },
    });
    expect(progress[1]).toMatchObject({
      actual: { calls: 1, visits: 0 },
      ratio: { calls: null, visits: null },
    });
    expect(progress[3]).toMatchObject({ actual: { calls: 0, visits: 0 }, ratio: { calls: 0 } });
  });
});

describe('coverage per tier', () => {
  const accounts = [
    { id: 'a1', tier: 'A' as const },
    { id: 'a2', tier: 'A' as const },
    { id: 'a3', tier: 'A' as const },
    { id: 'a4', tier: 'A' as const },
    { id: 'b1', tier: 'B' as const },
    { id: 'out', tier: null },
  ];
  const touches = [
    logged('2025-06-10', 'call', 'a1'), // 20 days before: within a month
    logged('2025-05-15', 'call', 'a2'), // 46 days: not within a month
    logged('2025-06-20', 'visit', 'a2'),
    logged('2025-05-31', 'call', 'a3'), // exactly 30 days: within 30.4
    logged('2025-07-05', 'call', 'a4'), // after the date: ignored
    logged('2025-04-15', 'call', 'b1'), // 76 days: within a quarter
    logged('2025-06-01', 'call', 'out'),
  ];

  it('shares the accounts of each tier touched within their interval', () => {
    const coverage = coverageByTier(accounts, touches, '2025-06-30');
    expect(coverage.A.call).toEqual({ accounts: 4, covered: 2, share: 0.5, neverTouched: 1 });
    expect(coverage.A.visit).toEqual({ accounts: 4, covered: 1, share: 0.25, neverTouched: 3 });
    expect(coverage.B.call).toEqual({ accounts: 1, covered: 1, share: 1, neverTouched: 0 });
    expect(coverage.C.call).toEqual({ accounts: 0, covered: 0, share: null, neverTouched: 0 });
  });

  it('uses the cadence given', () => {
    const coverage = coverageByTier(accounts, touches, '2025-06-30', [
      { tier: 'A', channel: 'call', intervalMonths: 2 },
    ]);
    expect(coverage.A.call.covered).toBe(3);
  });
});

describe('overdue touches', () => {
  it('counts planned touches due before the date and not completed', () => {
    const counts = countOverdue(
      [
        { ...touch('2025-03-03'), completedOn: null },
        { ...touch('2025-03-04'), completedOn: '2025-03-04' },
        { ...touch('2025-03-05', 'visit', 'B') },
        { ...touch('2025-03-10', 'visit', 'B') }, // due today: not overdue yet
        { ...touch('2025-03-01', 'call', 'C'), completedOn: '2025-03-20' },
      ],
      '2025-03-10',
    );
    expect(counts.total).toBe(2);
    expect(counts.byTier.A).toEqual({ call: 1, visit: 0 });
    expect(counts.byTier.B).toEqual({ call: 0, visit: 1 });
    expect(counts.outOfMarket).toEqual({ call: 0, visit: 0 });
  });

  it('counts the open touches of an account that left the market, apart from the tiers', () => {
    const counts = countOverdue(
      [
        { channel: 'call', tier: null, dueOn: '2025-03-03' },
        { channel: 'visit', tier: null, dueOn: '2025-03-04', completedOn: '2025-03-05' },
        { ...touch('2025-03-05', 'visit', 'C') },
      ],
      '2025-03-10',
    );
    expect(counts.total).toBe(2);
    expect(counts.outOfMarket).toEqual({ call: 1, visit: 0 });
    expect(counts.byTier.C).toEqual({ call: 0, visit: 1 });
  });
});
