import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../src/domain/calendar/working-calendar.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { type CapacityAccount, checkCapacity, planReport } from '../../src/domain/plan/capacity.ts';
import type { TTier } from '../../src/schemas/common.ts';

const china = createWorkingCalendar({ country: 'CN' });
const FROM = '2025-03-01';
// 2025-03-01..2026-02-28: 260 weekdays - 19 weekday holidays + 6 make-up days
const WORKING_DAYS = 247;
const WEEKS = 365 / 7;

function makeAccounts(tier: TTier, n: number, overrides: Partial<CapacityAccount> = {}): CapacityAccount[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tier}${String(i).padStart(4, '0')}`,
    tier,
    city: '上海',
    district: null,
    score: i,
    ...overrides,
  }));
}

describe('capacity check', () => {
  it('reports required load per working day and week, by tier, against capacity', () => {
    const accounts = [...makeAccounts('A', 25), ...makeAccounts('B', 25), ...makeAccounts('C', 25)];
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    expect(check.workingDays).toBe(WORKING_DAYS);
    expect(check.weeks).toBeCloseTo(WEEKS, 10);
    expect(check.fits).toBe(true);
    expect(check.options).toEqual([]);
    expect(check.required.call.total).toBe(25 * 12 + 25 * 4 + 25 * 2);
    expect(check.required.visit.total).toBe(25 * 4 + 25 * 2 + 25 * 1);
    expect(check.required.call.perWorkingDay).toBeCloseTo(450 / WORKING_DAYS, 10);
    expect(check.required.call.perWeek).toBeCloseTo(450 / WEEKS, 10);
    expect(check.required.visit.byTier).toEqual({
      A: { total: 100, perWorkingDay: 100 / WORKING_DAYS, perWeek: 100 / WEEKS },
      B: { total: 50, perWorkingDay: 50 / WORKING_DAYS, perWeek: 50 / WEEKS },
      C: { total: 25, perWorkingDay: 25 / WORKING_DAYS, perWeek: 25 / WEEKS },
    });
    expect(check.capacity).toEqual({
      call: { perDay: 40, total: 40 * WORKING_DAYS, perWeek: (40 * WORKING_DAYS) / WEEKS },
      visit: { perDay: 4, total: 4 * WORKING_DAYS, perWeek: (4 * WORKING_DAYS) / WEEKS },
    });
    expect(check.utilization.visit).toBeCloseTo(175 / (4 * WORKING_DAYS), 10);
    expect(check.unpublishedYears).toEqual([]);
  });

  it('offers demoting the N lowest-potential A accounts, or more visits per day, when visits overflow', () => {
    // 300 A accounts need 1,200 visits; 4 a day over 247 days is 988: 212 too many, 2 saved per demotion
    const accounts = makeAccounts('A', 300);
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    expect(check.fits).toBe(false);
    expect(check.options.map((o) => o.kind)).toEqual(['demote-a-to-b', 'raise-capacity']);
    const [demote, raise] = check.options;
    expect(demote).toMatchObject({ kind: 'demote-a-to-b', count: 106 });
    if (demote?.kind !== 'demote-a-to-b') throw new Error('expected a demotion');
    expect(demote.accountIds).toEqual(accounts.slice(0, 106).map((a) => a.id)); // scores 0..105
    expect(demote.result.fits).toBe(true);
    expect(demote.result.required.visit.total).toBe(988);
    expect(demote.result.required.call.total).toBe(3600 - 106 * 8);
    expect(raise).toMatchObject({ kind: 'raise-capacity', channel: 'visit', perDay: 5 });
    expect(raise?.result.fits).toBe(true);
    expect(raise?.result.capacity.visit.total).toBe(5 * WORKING_DAYS);
  });

  it('never demotes an account a manager pinned to A', () => {
    const accounts = makeAccounts('A', 300).map((a, i) => (i < 3 ? { ...a, tierOverride: 'A' as const } : a));
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    const demote = check.options.find((o) => o.kind === 'demote-a-to-b');
    if (demote?.kind !== 'demote-a-to-b') throw new Error('expected a demotion');
    expect(demote.accountIds[0]).toBe('A0003');
    expect(demote.accountIds).toHaveLength(106);
  });

  it('offers stretching C visits to 18 months', () => {
    // 1,000 C accounts last visited 2025-01-01: one visit each in the plan at 12 months, none at 18
    const accounts = makeAccounts('C', 1000, { lastTouchOn: { visit: '2025-01-01' } });
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    expect(check.required.visit.total).toBe(1000);
    expect(check.options).toEqual([
      {
        kind: 'stretch-interval',
        tier: 'C',
        channel: 'visit',
        fromMonths: 12,
        intervalMonths: 18,
        result: expect.objectContaining({
          fits: true,
          required: expect.objectContaining({ visit: expect.objectContaining({ total: 0 }) }),
        }),
      },
      expect.objectContaining({ kind: 'raise-capacity', channel: 'visit', perDay: 5 }),
    ]);
  });

  it('says so when one option is not enough', () => {
    // 1,000 A accounts: 12,000 calls (capacity 9,880) and 4,000 visits (capacity 988)
    const check = checkCapacity({ accounts: makeAccounts('A', 1000), from: FROM, calendar: china });
    const demote = check.options.find((o) => o.kind === 'demote-a-to-b');
    expect(demote).toMatchObject({ count: 1000, result: { fits: false } });
    expect(demote?.result.required).toMatchObject({ call: { total: 4000 }, visit: { total: 2000 } });
    const raises = check.options.filter((o) => o.kind === 'raise-capacity');
    expect(raises).toMatchObject([
      { channel: 'call', perDay: 49, result: { fits: false } },
      { channel: 'visit', perDay: 17, result: { fits: false } },
    ]);
  });

  it('counts an overdue account from the first day and a recent one from its last touch', () => {
    const accounts: CapacityAccount[] = [
      { id: 'overdue', tier: 'A', city: null, district: null, lastTouchOn: { call: '2024-06-01' } },
      // last call 2025-02-25: next due 2025-03-27, then monthly: 12 in the plan
      { id: 'recent', tier: 'A', city: null, district: null, lastTouchOn: { call: '2025-02-25' } },
      // last call 2026-02-10 (after the plan start): due 2026-03-12, outside the plan
      { id: 'future', tier: 'A', city: null, district: null, lastTouchOn: { call: '2026-02-10' } },
    ];
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    expect(check.required.call.total).toBe(12 + 12 + 0);
  });

  it('flags unpublished years in the horizon', () => {
    const check = checkCapacity({ accounts: makeAccounts('A', 1), from: '2026-06-01', calendar: china });
    expect(check.unpublishedYears).toEqual([2027]);
  });

  it('combines the check and the plan into the plan command’s answer', () => {
    const accounts = makeAccounts('A', 300);
    const check = checkCapacity({ accounts, from: FROM, calendar: china });
    const plan = buildPlan({ accounts, from: FROM, calendar: china });
    const report = planReport(check, plan);
    expect(Object.keys(report).sort()).toEqual(
      ['capacity', 'fits', 'options', 'required', 'touches', 'unplaced', 'unpublishedYears'].sort(),
    );
    expect(report.fits).toBe(false);
    expect(report.touches.length + report.unplaced.length).toBe(300 * 16);
    // a check that fits but a plan that could not place everything still does not fit
    const fitting = checkCapacity({ accounts: makeAccounts('A', 10), from: FROM, calendar: china });
    expect(planReport(fitting, { ...plan, unplaced: plan.unplaced.slice(0, 1) }).fits).toBe(false);
    expect(planReport(fitting, { ...plan, unplaced: [] }).fits).toBe(true);
  });
});
