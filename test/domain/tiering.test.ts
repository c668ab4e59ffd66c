import { describe, expect, it } from 'vitest';
import { compileMarketCriteria, type MarketAccount } from '../../src/domain/market/market-criteria.ts';
import { assignTiers, compareLowestPotentialFirst } from '../../src/domain/tiering/assign-tiers.ts';
import {
  calibrateFactors,
  DEFAULT_TIERING_SETTINGS,
  potentialScore,
  type TieringAccount,
} from '../../src/domain/tiering/potential-score.ts';
import { type TTieringSettings, ZTieringSettings } from '../../src/schemas/tiering.ts';

type Account = TieringAccount & Pick<MarketAccount, 'province'>;

function makeAccount(id: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    annualSales: null,
    netAssets: null,
    employeesMin: null,
    employeesMax: null,
    tierOverride: null,
    province: '上海',
    ...overrides,
  };
}

/** n accounts with annual sales n, n-1, …, 1 (id 'a001' has the highest). */
function ranked(n: number): Account[] {
  return Array.from({ length: n }, (_, i) =>
    makeAccount(`a${String(i + 1).padStart(3, '0')}`, { annualSales: (n - i) * 1_000_000 }),
  );
}

const tiersOf = (accounts: readonly Account[], settings?: TTieringSettings) =>
  assignTiers(accounts, settings)
    .assignments.map((a) => a.tier)
    .join('');

describe('potential score', () => {
  it.each([
    ['annual sales', { annualSales: 80_000_000 }, 80_000_000],
    ['net assets × 1.5 when sales are unknown', { netAssets: 20_000_000 }, 30_000_000],
    [
      'employees lower bound × 500,000 when both are unknown',
      { employeesMin: 100, employeesMax: 499 },
      50_000_000,
    ],
    ['sales win over the fallbacks', { annualSales: 1, netAssets: 9e9, employeesMin: 9999 }, 1],
    ['net assets win over employees', { netAssets: 2, employeesMin: 9999 }, 3],
    ['"under 50" counts as 0 employees', { employeesMax: 49 }, 0],
    ['no statistic at all', {}, null],
    ['non-finite values are ignored', { annualSales: Number.NaN, netAssets: 10 }, 15],
  ] as const)('%s', (_, fields, expected) => {
    expect(potentialScore(makeAccount('x', fields))).toBe(expected);
  });

  it('blends the weighted statistics an account has', () => {
    const settings = ZTieringSettings.parse({ weights: { annualSales: 2, netAssets: 1, employees: 0 } });
    expect(potentialScore(makeAccount('x', { annualSales: 30, netAssets: 20 }), settings)).toBe(
      (2 * 30 + 30) / 3,
    );
    expect(potentialScore(makeAccount('x', { netAssets: 20 }), settings)).toBe(30);
    // no weighted statistic: fall back to employees
    expect(potentialScore(makeAccount('x', { employeesMin: 2 }), settings)).toBe(1_000_000);
  });

  it('uses configurable factors and fallback order', () => {
    const settings = ZTieringSettings.parse({
      factors: { netAssets: 2, employees: 100 },
      fallbackOrder: ['employees', 'netAssets', 'annualSales'],
      weights: { annualSales: 0, netAssets: 0, employees: 0 },
    });
    expect(
      potentialScore(makeAccount('x', { annualSales: 5, netAssets: 7, employeesMin: 3 }), settings),
    ).toBe(300);
    expect(potentialScore(makeAccount('x', { annualSales: 5, netAssets: 7 }), settings)).toBe(14);
  });

  it('calibrates factors from accounts that have both statistics', () => {
    const accounts = [
      makeAccount('1', { annualSales: 100, netAssets: 50, employeesMin: 10 }),
      makeAccount('2', { annualSales: 300, netAssets: 100, employeesMin: 10 }),
      makeAccount('3', { annualSales: 400, netAssets: 100, employeesMin: 0 }),
      makeAccount('4', { annualSales: null, netAssets: 100, employeesMin: 10 }),
    ];
    expect(calibrateFactors(accounts, 2)).toEqual({
      netAssets: 3, // median of 2, 3, 4
      employees: 20, // median of 10, 30
      samples: { netAssets: 3, employees: 2 },
    });
    expect(calibrateFactors(accounts).netAssets).toBeNull(); // fewer than 30 samples
  });
});

describe('tier cut by rank', () => {
  it.each([
    [10, 2, 3, 5],
    [100, 20, 30, 50],
    [7, 1, 3, 3], // 1.4 -> 1 A; 3.5 -> 4 A+B
    [1, 0, 1, 0], // 0.2 -> 0 A; 0.5 -> 1 A+B
    [0, 0, 0, 0],
  ])('%i accounts: %i A, %i B, %i C (top 20%%, next 30%%)', (n, a, b, c) => {
    const { counts } = assignTiers(ranked(n));
    expect(counts).toEqual({ A: a, B: b, C: c, outOfMarket: 0, overridden: 0 });
  });

  it('ranks by score, highest first', () => {
    expect(tiersOf(ranked(10))).toBe('AABBBCCCCC');
    expect(tiersOf([...ranked(10)].reverse())).toBe('CCCCCBBBAA');
  });

  it('breaks ties by id, whatever the input order', () => {
    const tied = ['d', 'b', 'e', 'a', 'c'].map((id) => makeAccount(id, { annualSales: 5 }));
    const settings = ZTieringSettings.parse({ cut: { method: 'rank', aPercent: 40, bPercent: 20 } });
    const byId = Object.fromEntries(assignTiers(tied, settings).assignments.map((a) => [a.id, a.tier]));
    expect(byId).toEqual({ a: 'A', b: 'A', c: 'B', d: 'C', e: 'C' });
  });

  it('puts accounts without statistics last', () => {
    const accounts = [makeAccount('none'), ...ranked(4)];
    const result = assignTiers(
      accounts,
      ZTieringSettings.parse({ cut: { method: 'rank', aPercent: 80, bPercent: 0 } }),
    );
    expect(result.assignments[0]).toEqual({
      id: 'none',
      score: null,
      inMarket: true,
      computedTier: 'C',
      tier: 'C',
    });
  });

  it('accepts other percentages and rejects more than 100%', () => {
    const settings = ZTieringSettings.parse({ cut: { method: 'rank', aPercent: 10, bPercent: 40 } });
    expect(assignTiers(ranked(20), settings).counts).toMatchObject({ A: 2, B: 8, C: 10 });
    expect(ZTieringSettings.safeParse({ cut: { method: 'rank', aPercent: 60, bPercent: 50 } }).success).toBe(
      false,
    );
  });

  it('cuts a large population exactly', () => {
    const n = 50_000;
    const accounts = Array.from(
      { length: n },
      (_, i) => makeAccount(`x${i}`, { annualSales: (i * 7919) % 1000 }), // many ties
    );
    const { counts, assignments } = assignTiers(accounts);
    expect(counts).toMatchObject({ A: 10_000, B: 15_000, C: 25_000 });
    const minA = Math.min(...assignments.filter((a) => a.tier === 'A').map((a) => a.score as number));
    const maxB = Math.max(...assignments.filter((a) => a.tier === 'B').map((a) => a.score as number));
    expect(minA).toBeGreaterThanOrEqual(maxB);
  });
});

describe('tier cut by thresholds', () => {
  it('compares scores with the thresholds', () => {
    const settings = ZTieringSettings.parse({
      cut: { method: 'thresholds', aMinScore: 8e6, bMinScore: 5e6 },
    });
    expect(tiersOf(ranked(10), settings)).toBe('AAABBBCCCC');
    expect(tiersOf([makeAccount('none')], settings)).toBe('C');
  });
});

describe('market and overrides', () => {
  it('gives out-of-market accounts no tier, even with an override', () => {
    const accounts = [
      ...ranked(5),
      makeAccount('out', { annualSales: 9e9, province: '北京', tierOverride: 'A' }),
    ];
    const inShanghai = compileMarketCriteria({ provinces: ['上海'] });
    const result = assignTiers(accounts, DEFAULT_TIERING_SETTINGS, (a) =>
      inShanghai({ ...a, city: null, district: null, industry: null, sourceIds: [], territoryId: null }),
    );
    expect(result.assignments.at(-1)).toEqual({
      id: 'out',
      score: 9e9,
      inMarket: false,
      computedTier: null,
      tier: null,
    });
    // the out-of-market giant does not take an A slot
    expect(result.counts).toEqual({ A: 1, B: 2, C: 2, outOfMarket: 1, overridden: 0 });
  });

  it('keeps a manual override across re-tiering', () => {
    const accounts = ranked(10);
    accounts[9] = { ...(accounts[9] as Account), tierOverride: 'A' }; // the smallest account, pinned to A
    const first = assignTiers(accounts);
    expect(first.assignments[9]).toMatchObject({ computedTier: 'C', tier: 'A' });
    expect(first.counts).toMatchObject({ A: 3, B: 3, C: 4, overridden: 1 });

    // New data arrives: everybody's sales change; the override still holds.
    const retiered = accounts.map((a, i) => ({ ...a, annualSales: (i + 1) * 3_000_000 }));
    const second = assignTiers(retiered);
    expect(second.assignments[9]).toMatchObject({ computedTier: 'A', tier: 'A' });
    expect(second.assignments[0]).toMatchObject({ computedTier: 'C', tier: 'C' });
    const demoted = retiered.map((a, i) => (i === 9 ? { ...a, tierOverride: 'C' as const } : a));
    expect(assignTiers(demoted).assignments[9]).toMatchObject({ computedTier: 'A', tier: 'C' });
  });

  it('orders lowest potential first, the reverse of the rank', () => {
    const list = [
      { id: 'b', score: 5 },
      { id: 'a', score: 5 },
      { id: 'c', score: null },
      { id: 'd', score: 1 },
    ];
    expect(list.sort(compareLowestPotentialFirst).map((x) => x.id)).toEqual(['c', 'd', 'b', 'a']);
  });
});
