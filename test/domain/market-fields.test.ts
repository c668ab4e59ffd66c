import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMarketCriteria,
  type MarketAccount,
  type MarketField,
  marketCriteriaFields,
} from '../../src/domain/market/market-criteria.ts';
import type { TMarketCriteria } from '../../src/schemas/market.ts';

// saveMarket reads only the place, industry and territory columns its criteria use (marketCriteriaFields) and
// leaves the others null: the predicate must give the same answer whatever the unlisted fields hold.

const places = ['上海市', '上海', '江苏省', '苏州市', '浦东新区', '工业园区', 'Shanghai City', ''];
const placeArb = fc.option(fc.constantFrom(...places), { nil: null });
const accountArb: fc.Arbitrary<MarketAccount> = fc.record({
  id: fc.constantFrom('a', 'b'),
  province: placeArb,
  city: placeArb,
  district: placeArb,
  industry: fc.option(fc.constantFrom('制造业', 'Manufacturing', '批发业'), { nil: null }),
  annualSales: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null }),
  employeesMin: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  employeesMax: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  netAssets: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null }),
  sourceIds: fc.array(fc.constantFrom('s1', 's2', 's3'), { maxLength: 2 }),
  territoryId: fc.option(fc.constantFrom('east', 'west'), { nil: null }),
});
// Criteria mostly built from the account's own values (so that it often matches and every constraint counts),
// some from other values.
const pick = <T>(own: T, others: readonly T[]) => fc.oneof(fc.constant(own), fc.constantFrom(...others));
const criteriaFor = (a: MarketAccount): fc.Arbitrary<TMarketCriteria> => {
  const low = (v: number | null) => (v === null ? 0 : Math.max(0, v - 1));
  const high = (v: number | null) => (v === null ? 0 : v + 1);
  const some = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
  const placeList = (own: string | null) =>
    some(fc.array(pick(own ?? '上海', places.filter(Boolean)), { minLength: 1, maxLength: 2 }));
  return fc
    .record({
      minAnnualSales: some(pick(low(a.annualSales), [0, 5e8])),
      maxAnnualSales: some(pick(high(a.annualSales), [1e9, 10])),
      minEmployees: some(pick(low(a.employeesMin ?? 0), [0, 4000])),
      maxEmployees: some(pick(high(a.employeesMin ?? 0), [5000, 1])),
      minNetAssets: some(pick(low(a.netAssets), [0, 5e8])),
      maxNetAssets: some(pick(high(a.netAssets), [1e9, 10])),
      provinces: placeList(a.province),
      cities: placeList(a.city),
      districts: placeList(a.district),
      industries: some(fc.array(pick(a.industry ?? '制造业', ['制造业', 'manufacturing']), { minLength: 1 })),
      sourceIds: some(fc.array(pick(a.sourceIds[0] ?? 's1', ['s1', 's2']), { minLength: 1 })),
      territoryId: some(pick(a.territoryId ?? 'east', ['east', 'west'])),
    })
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as TMarketCriteria);
};

const ALL_FIELDS: readonly MarketField[] = [
  'province',
  'city',
  'district',
  'industry',
  'annualSales',
  'employeesMin',
  'employeesMax',
  'netAssets',
  'sourceIds',
  'territoryId',
];

describe('marketCriteriaFields', () => {
  it('names every field the predicate reads: the others can be left null (or hold anything)', () => {
    fc.assert(
      fc.property(
        accountArb.chain((account) => fc.tuple(fc.constant(account), criteriaFor(account), accountArb)),
        ([account, criteria, other]) => {
          const fields = marketCriteriaFields(criteria);
          const matches = compileMarketCriteria(criteria);
          const unread: Record<string, unknown> = {};
          const mixed: Record<string, unknown> = {};
          for (const field of ALL_FIELDS) {
            const value = account[field];
            unread[field] = fields.has(field) ? value : field === 'sourceIds' ? [] : null;
            mixed[field] = fields.has(field) ? value : other[field];
          }
          const expected = matches(account);
          expect(matches({ ...account, ...unread } as MarketAccount)).toBe(expected);
          expect(matches({ ...account, ...mixed } as MarketAccount)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is empty for criteria that constrain nothing, and names only what is constrained', () => {
    expect([...marketCriteriaFields({})]).toEqual([]);
    expect([...marketCriteriaFields({ provinces: [], industries: [] })]).toEqual([]);
    expect([...marketCriteriaFields({ provinces: ['上海'], minEmployees: 10 })].sort()).toEqual([
      'employeesMax',
      'employeesMin',
      'province',
    ]);
  });
});
