import { describe, expect, it } from 'vitest';
import {
  bestUnit,
  citiesWithin,
  criteriaFromDraft,
  draftFromCriteria,
  EMPTY_DRAFT,
  fromYuan,
  invertedRanges,
  MONEY_UNITS,
  sameCriteria,
  toYuan,
} from '../../web/src/features/market/criteria.ts';

describe('market criteria from the form', () => {
  it('leaves out what is empty and orders lists, so equal drafts give equal criteria', () => {
    const criteria = criteriaFromDraft({
      ...EMPTY_DRAFT,
      minEmployees: 100,
      provinces: [' 浙江省', '广东省', '浙江省'],
      cities: [''],
    });
    expect(criteria).toEqual({ minEmployees: 100, provinces: ['广东省', '浙江省'] });
    expect(JSON.stringify(criteria)).toBe(
      JSON.stringify(
        criteriaFromDraft({ ...EMPTY_DRAFT, provinces: ['浙江省', '广东省'], minEmployees: 100 }),
      ),
    );
    expect(criteriaFromDraft(EMPTY_DRAFT)).toEqual({});
  });

  it('keeps criteria the form has no picker for (sources, territory)', () => {
    const saved = { minAnnualSales: 5e7, sourceIds: ['s1'], territoryId: 't1' };
    expect(criteriaFromDraft(draftFromCriteria(saved))).toEqual(saved);
    expect(sameCriteria(saved, { territoryId: 't1', sourceIds: ['s1'], minAnnualSales: 5e7 })).toBe(true);
    expect(sameCriteria(saved, { ...saved, minAnnualSales: 6e7 })).toBe(false);
  });

  it('finds ranges that nothing could match', () => {
    expect(invertedRanges({ ...EMPTY_DRAFT, minEmployees: 500, maxEmployees: 100 })).toEqual(['employees']);
    expect(invertedRanges({ ...EMPTY_DRAFT, minAnnualSales: 1e8, maxAnnualSales: 1e8 })).toEqual([]);
  });

  it('drops cities outside the chosen provinces', () => {
    const province = new Map([
      ['深圳市', '广东省'],
      ['杭州市', '浙江省'],
    ]);
    expect(citiesWithin(['深圳市', '杭州市'], ['广东省'], (c) => province.get(c))).toEqual(['深圳市']);
    expect(citiesWithin(['深圳市', '杭州市'], [], (c) => province.get(c))).toEqual(['深圳市', '杭州市']);
  });
});

describe('money in the units people say', () => {
  it('picks 万 or 亿 in Chinese and thousands to billions in English', () => {
    expect(bestUnit(5e7, 'zh-CN').key).toBe('wan'); // 5000万, not 0.5亿
    expect(bestUnit(1.5e8, 'zh-CN').key).toBe('yi');
    expect(bestUnit(null, 'zh-CN').key).toBe('wan');
    expect(bestUnit(5e7, 'en').key).toBe('million');
    expect(bestUnit(2e9, 'en').key).toBe('billion');
  });

  it('converts without float noise', () => {
    const yi = MONEY_UNITS['zh-CN'][1]!;
    expect(toYuan(0.3, yi)).toBe(30_000_000);
    expect(fromYuan(30_000_000, yi)).toBe(0.3);
    expect(fromYuan(123_456_789, MONEY_UNITS.en[1]!)).toBe(123.456789);
  });
});
