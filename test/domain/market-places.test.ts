import { describe, expect, it } from 'vitest';
import {
  compileMarketCriteria,
  type MarketAccount,
  unknownValueTracker,
} from '../../src/domain/market/market-criteria.ts';
import { isSamePlace, splitPlace } from '../../src/domain/market/normalize-place.ts';
import { PROVINCES } from '../../src/domain/market/provinces.ts';
import { MARKET_RANGES, ZMarketCriteria, ZStoredMarketCriteria } from '../../src/schemas/market.ts';
import { placeMatch } from '../../src/storage/repositories/people.ts';

let serial = 0;
function account(overrides: Partial<MarketAccount> = {}): MarketAccount {
  serial++;
  return {
    id: `acc-${serial}`,
    province: '江苏省',
    city: '苏州市',
    district: '工业园区',
    industry: '制造业',
    annualSales: 50_000_000,
    employeesMin: 100,
    employeesMax: 499,
    netAssets: 20_000_000,
    sourceIds: [],
    territoryId: null,
    ...overrides,
  };
}

describe('provinces written in English are the same places as in Chinese', () => {
  it('folds every provincial-level division’s English names onto its Chinese name', () => {
    expect(PROVINCES).toHaveLength(34);
    for (const { name, english } of PROVINCES) {
      for (const spelling of english) {
        expect(isSamePlace(spelling, name), `${spelling} = ${name}`).toBe(true);
        const capitalised = spelling.replace(/\b\w/g, (c) => c.toUpperCase());
        expect(isSamePlace(capitalised, name), `${capitalised} = ${name}`).toBe(true);
      }
    }
    expect(splitPlace('Jiangsu Province')).toEqual({ base: '江苏', suffix: 'province' });
    expect(isSamePlace('Guangxi Zhuang Autonomous Region', '广西壮族自治区')).toBe(true);
    // Two provinces whose pinyin differ by one letter stay two provinces; a province is not its city.
    expect(isSamePlace('Shanxi', '陕西省')).toBe(false);
    expect(isSamePlace('Shaanxi', '陕西省')).toBe(true);
    expect(isSamePlace('Jiangsu Province', '江苏市')).toBe(false);
    // Other English names are left as they are.
    expect(splitPlace('Shenzhen City')).toEqual({ base: 'shenzhen', suffix: 'city' });
  });

  it('matches market criteria written in English against accounts written in Chinese, and the other way round', () => {
    const jiangsu = compileMarketCriteria({ provinces: ['Jiangsu'] });
    expect(jiangsu(account({ province: '江苏省' }))).toBe(true);
    expect(jiangsu(account({ province: '江苏' }))).toBe(true);
    expect(jiangsu(account({ province: '浙江省' }))).toBe(false);
    expect(compileMarketCriteria({ provinces: ['浙江省'] })(account({ province: 'Zhejiang' }))).toBe(true);
  });

  it('puts an account into a territory however its province or city is spelled', () => {
    const rule = { provinces: ['江苏省'], cities: ['上海市'], districts: ['南京市/鼓楼区'] };
    expect(placeMatch(rule, { province: '江苏' })).toBe(1);
    expect(placeMatch(rule, { province: 'Jiangsu' })).toBe(1);
    expect(placeMatch(rule, { province: '浙江省' })).toBe(0);
    expect(placeMatch(rule, { city: '上海' })).toBe(2);
    expect(placeMatch(rule, { city: 'Shanghai' })).toBe(2);
    expect(placeMatch(rule, { city: '南京', district: '鼓楼' })).toBe(3);
    expect(placeMatch(rule, { city: '福州市', district: '鼓楼区' })).toBe(0);
  });
});

describe('values of the criteria no account has', () => {
  const accounts = [
    account({ province: '江苏省', city: '苏州市', industry: '制造业' }),
    account({ province: 'Zhejiang', city: '杭州市', district: '西湖区', industry: 'Software' }),
  ];
  const unknown = (criteria: Parameters<typeof unknownValueTracker>[0]) => {
    const tracker = unknownValueTracker(criteria);
    for (const a of accounts) tracker.visit(a);
    return tracker.unknown();
  };

  it('lists a province, city, district or industry that matches no account at all, in the criteria’s order', () => {
    expect(
      unknown({
        provinces: ['Atlantis', '江苏', 'Jiangsu', '浙江省'],
        cities: ['杭州', '苏州县'],
        districts: ['西湖区', '东湖区'],
        industries: ['software', '农业'],
      }),
    ).toEqual([
      { field: 'provinces', value: 'Atlantis' },
      { field: 'cities', value: '苏州县' },
      { field: 'districts', value: '东湖区' },
      { field: 'industries', value: '农业' },
    ]);
  });

  it('counts every account, not only those the other criteria let through', () => {
    // No account has both: each value alone is known, so neither is named.
    expect(unknown({ provinces: ['江苏省'], cities: ['杭州市'] })).toEqual([]);
    expect(unknown({})).toEqual([]);
  });
});

describe('a minimum above its maximum', () => {
  it('is refused for every range, at the minimum, naming the maximum', () => {
    for (const [min, max] of MARKET_RANGES) {
      const result = ZMarketCriteria.safeParse({ [min]: 500, [max]: 100 });
      expect(result.success, min).toBe(false);
      const issue = result.error?.issues[0];
      expect(issue?.path).toEqual([min]);
      expect(issue?.message).toBe(`500 is more than ${max} (100): no account could match`);
      expect(ZMarketCriteria.safeParse({ [min]: 100, [max]: 100 }).success, `${min} = ${max}`).toBe(true);
    }
  });

  it('still reads a stored version saved before the check', () => {
    expect(ZStoredMarketCriteria.parse({ minEmployees: 500, maxEmployees: 100 })).toEqual({
      minEmployees: 500,
      maxEmployees: 100,
    });
  });
});
