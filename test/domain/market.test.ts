import { describe, expect, it } from 'vitest';
import {
  compileMarketCriteria,
  diffCriteria,
  employeesLowerBound,
  isInMarket,
  isWidening,
  type MarketAccount,
  summarizeMatch,
} from '../../src/domain/market/market-criteria.ts';
import { isSamePlace, normalizePlace, splitPlace } from '../../src/domain/market/normalize-place.ts';
import { type TMarketCriteria, ZMarketCriteria } from '../../src/schemas/market.ts';

let serial = 0;
function makeAccount(overrides: Partial<MarketAccount> = {}): MarketAccount {
  serial++;
  return {
    id: `acc-${serial}`,
    province: '上海市',
    city: '上海市',
    district: '浦东新区',
    industry: '制造业',
    annualSales: 50_000_000,
    employeesMin: 100,
    employeesMax: 499,
    netAssets: 20_000_000,
    sourceIds: ['src-1'],
    territoryId: 'east',
    ...overrides,
  };
}

describe('employee ranges compare by their lower bound', () => {
  it.each([
    [{ employeesMin: 100, employeesMax: 499 }, { minEmployees: 100 }, true],
    [{ employeesMin: 100, employeesMax: 499 }, { minEmployees: 101 }, false],
    [{ employeesMin: 50, employeesMax: 99 }, { minEmployees: 100 }, false],
    [{ employeesMin: 1000, employeesMax: null }, { minEmployees: 100 }, true],
    [{ employeesMin: 100, employeesMax: 499 }, { maxEmployees: 200 }, true], // lower bound 100 <= 200
    [{ employeesMin: 300, employeesMax: 499 }, { maxEmployees: 200 }, false],
    [{ employeesMin: 100, employeesMax: 499 }, { minEmployees: 100, maxEmployees: 100 }, true],
    [{ employeesMin: null, employeesMax: null }, { minEmployees: 100 }, false], // unknown
    [{ employeesMin: null, employeesMax: null }, { maxEmployees: 100 }, false], // unknown
    [{ employeesMin: null, employeesMax: 50 }, { minEmployees: 100 }, false], // "under 50": lower bound 0
    [{ employeesMin: null, employeesMax: 50 }, { maxEmployees: 200 }, true],
    [{ employeesMin: null, employeesMax: null }, {}, true], // no criterion, no requirement
  ] as const)('%o meets %o: %s', (employees, criteria, expected) => {
    expect(isInMarket(makeAccount(employees), criteria)).toBe(expected);
  });

  it('computes the lower bound', () => {
    expect(employeesLowerBound({ employeesMin: 20, employeesMax: 49 })).toBe(20);
    expect(employeesLowerBound({ employeesMin: null, employeesMax: 49 })).toBe(0);
    expect(employeesLowerBound({ employeesMin: null, employeesMax: null })).toBeNull();
  });
});

describe('money statistics', () => {
  it.each([
    [{ annualSales: 10_000_000 }, { minAnnualSales: 10_000_000 }, true],
    [{ annualSales: 9_999_999 }, { minAnnualSales: 10_000_000 }, false],
    [{ annualSales: null }, { minAnnualSales: 1 }, false],
    [{ annualSales: null }, { maxAnnualSales: 1e12 }, false],
    [{ annualSales: 5e8 }, { maxAnnualSales: 1e8 }, false],
    [{ netAssets: -5 }, { minNetAssets: 0 }, false],
    [{ netAssets: null }, { maxNetAssets: 1e9 }, false],
    [{ netAssets: 3e7 }, { minNetAssets: 1e7, maxNetAssets: 5e7 }, true],
  ] as const)('%o meets %o: %s', (stats, criteria, expected) => {
    expect(isInMarket(makeAccount(stats), criteria)).toBe(expected);
  });
});

describe('places tolerate suffixes and case', () => {
  it.each([
    ['上海', '上海市', true],
    ['广东', '广东省', true],
    ['深圳', '深圳市', true],
    ['广西', '广西壮族自治区', true],
    ['广西自治区', '广西壮族自治区', true],
    ['内蒙古', '内蒙古自治区', true],
    ['香港', '香港特别行政区', true],
    ['浦东', '浦东新区', true],
    ['朝阳区', '朝阳区', true],
    ['Shanghai', 'shanghai', true],
    ['Shenzhen City', 'shenzhen', true],
    ['Guangdong Province', 'GUANGDONG', true],
    ['吉林省', '吉林市', false], // a province and a city of the same name
    ['朝阳区', '朝阳县', false],
    ['上海', '北京', false],
  ])('%s ~ %s: %s', (a, b, same) => {
    expect(isSamePlace(a, b)).toBe(same);
    expect(isSamePlace(b, a)).toBe(same);
  });

  it('normalizes to a base', () => {
    expect(normalizePlace(' 上海市 ')).toBe('上海');
    expect(normalizePlace('Shenzhen  City')).toBe('shenzhen');
    expect(splitPlace('城区')).toEqual({ base: '城区', suffix: '' }); // a one-character base is kept whole
  });

  it.each([
    [{ province: '上海市', city: '上海市' }, { provinces: ['上海'] }, true],
    [{ province: '广东省', city: '深圳市' }, { provinces: ['广东'], cities: ['深圳'] }, true],
    [{ province: '广东', city: '深圳' }, { cities: ['深圳市'] }, true],
    [{ province: '广东', city: '广州' }, { cities: ['深圳市'] }, false],
    [{ province: null, city: '深圳' }, { provinces: ['广东'] }, false],
    [{ city: 'shenzhen' }, { cities: ['Shenzhen'] }, true],
    [{ district: '浦东新区' }, { districts: ['浦东'] }, true],
    [{ district: '闵行区' }, { districts: ['浦东'] }, false],
    [{ province: '浙江省' }, { provinces: [] }, true], // empty list: any place
  ] as [Partial<MarketAccount>, TMarketCriteria, boolean][])(
    '%o meets %o: %s',
    (place, criteria, expected) => {
      expect(isInMarket(makeAccount(place), criteria)).toBe(expected);
    },
  );
});

describe('industries, sources, territory', () => {
  it.each([
    [{ industry: 'Manufacturing' }, { industries: ['manufacturing'] }, true],
    [{ industry: '制造业' }, { industries: ['制造业', '批发业'] }, true],
    [{ industry: null }, { industries: ['制造业'] }, false],
    [{ sourceIds: ['a', 'b'] }, { sourceIds: ['b'] }, true],
    [{ sourceIds: [] }, { sourceIds: ['b'] }, false],
    [{ territoryId: 'east' }, { territoryId: 'east' }, true],
    [{ territoryId: null }, { territoryId: 'east' }, false],
  ] as [Partial<MarketAccount>, TMarketCriteria, boolean][])(
    '%o meets %o: %s',
    (fields, criteria, expected) => {
      expect(isInMarket(makeAccount(fields), criteria)).toBe(expected);
    },
  );

  it('requires every present criterion (method §1 example: more than 100 employees in Shanghai)', () => {
    const criteria: TMarketCriteria = { minEmployees: 100, provinces: ['上海'], minAnnualSales: 1e7 };
    const inMarket = compileMarketCriteria(criteria);
    expect(inMarket(makeAccount())).toBe(true);
    expect(inMarket(makeAccount({ province: '江苏省' }))).toBe(false);
    expect(inMarket(makeAccount({ employeesMin: 20, employeesMax: 99 }))).toBe(false);
  });

  it('validates criteria with zod', () => {
    expect(ZMarketCriteria.parse({ provinces: [' 上海 '] })).toEqual({ provinces: ['上海'] });
    expect(ZMarketCriteria.safeParse({ minEmployees: -1 }).success).toBe(false);
    expect(ZMarketCriteria.safeParse({ minEmployees: 1.5 }).success).toBe(false);
  });
});

describe('widening the market', () => {
  const base: TMarketCriteria = {
    minEmployees: 100,
    maxAnnualSales: 1e9,
    provinces: ['上海'],
    industries: ['制造业'],
    territoryId: 'east',
  };
  it.each<[string, TMarketCriteria, boolean]>([
    ['unchanged', { ...base }, false],
    ['lower minimum', { ...base, minEmployees: 50 }, true],
    ['higher minimum', { ...base, minEmployees: 200 }, false],
    ['removed minimum', { ...base, minEmployees: undefined }, true],
    ['higher maximum', { ...base, maxAnnualSales: 2e9 }, true],
    ['lower maximum', { ...base, maxAnnualSales: 5e8 }, false],
    ['another province', { ...base, provinces: ['上海', '江苏'] }, true],
    ['same province spelled differently', { ...base, provinces: ['上海市'] }, false],
    ['province list emptied (any place)', { ...base, provinces: [] }, true],
    ['new constraint on cities', { ...base, cities: ['上海'] }, false],
    ['another industry', { ...base, industries: ['制造业', '批发业'] }, true],
    ['industry swapped', { ...base, industries: ['批发业'] }, true],
    ['territory removed', { ...base, territoryId: undefined }, true],
    ['tightened one, widened another', { ...base, minEmployees: 500, provinces: ['上海', '浙江'] }, true],
  ])('%s: %s', (_, after, widening) => {
    expect(isWidening(base, after)).toBe(widening);
  });

  it('names what widened and what narrowed', () => {
    expect(diffCriteria(base, { ...base, minEmployees: 500, provinces: ['上海', '浙江'] })).toEqual({
      widened: ['provinces'],
      narrowed: ['minEmployees'],
    });
    expect(diffCriteria({}, { minNetAssets: 1 })).toEqual({ widened: [], narrowed: ['minNetAssets'] });
  });
});

describe('match preview', () => {
  it('counts matches, relationships and places, merging spellings', () => {
    const accounts = [
      makeAccount({ id: 'a', province: '上海', city: '上海' }),
      makeAccount({ id: 'b', province: '上海市', city: '上海市' }),
      makeAccount({ id: 'c', province: '广东省', city: '深圳市' }),
      makeAccount({ id: 'd', province: '广东', city: '深圳' }),
      makeAccount({ id: 'e', province: '广东省', city: '广州市' }),
      makeAccount({ id: 'f', province: '广东省', city: '广州市', employeesMin: 10, employeesMax: 49 }),
      makeAccount({ id: 'g', province: null, city: null }),
    ];
    const summary = summarizeMatch(accounts, { minEmployees: 100 }, new Set(['a', 'c', 'f']));
    expect(summary).toEqual({
      total: 7,
      matching: 6,
      withRelationship: 2,
      byProvince: [
        { province: '广东省', count: 3 },
        { province: '上海市', count: 2 },
        { province: null, count: 1 },
      ],
      byCity: [
        { province: '上海市', city: '上海市', count: 2 },
        { province: '广东省', city: '深圳市', count: 2 },
        { province: '广东省', city: '广州市', count: 1 },
        { province: null, city: null, count: 1 },
      ],
    });
    expect(summarizeMatch(accounts, { minEmployees: 100 }).withRelationship).toBeNull();
  });
});
