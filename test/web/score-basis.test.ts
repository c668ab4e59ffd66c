// The potential score (潜力评分) was shown as "1.78亿", which reads like the account's revenue: it now says what it
// is based on, by the workspace's tiering settings (annual sales, or net assets or employees as sales-equivalent yuan).
import type { TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TIERING_SETTINGS,
  potentialScore,
  salesEquivalent,
} from '../../src/domain/tiering/potential-score.ts';
import type { TTieringSettings } from '../../src/schemas/tiering.ts';
import { scoreBasis } from '../../web/src/features/account-page/tier-basis.ts';
import { formatMoney } from '../../web/src/i18n/format.ts';
import { catalogTranslators } from '../helpers/catalogs.ts';

const account = (values: { annualSales?: number; netAssets?: number; employeesMin?: number }) => ({
  id: 'a',
  tierOverride: null,
  annualSales: values.annualSales ?? null,
  netAssets: values.netAssets ?? null,
  employeesMin: values.employeesMin ?? null,
  employeesMax: null,
});

let tEn: TFunction;
let tZh: TFunction;
beforeAll(async () => {
  ({ tEn, tZh } = await catalogTranslators());
});

describe('what a potential score is based on', () => {
  it('names the one statistic the score is, as potentialScore took it (the default settings: sales, then a fallback)', () => {
    for (const [values, statistic] of [
      [{ annualSales: 178_000_000, netAssets: 50_000_000 }, 'annualSales'],
      [{ netAssets: 50_000_000, employeesMin: 300 }, 'netAssets'],
      [{ employeesMin: 300 }, 'employees'],
    ] as const) {
      const basis = scoreBasis(account(values));
      expect(basis).toEqual({ key: statistic, statistics: [statistic] });
      // The score is that statistic in sales-equivalent yuan: what the label says it is.
      expect(potentialScore(account(values))).toBe(
        salesEquivalent(account(values), statistic, DEFAULT_TIERING_SETTINGS.factors),
      );
    }
    expect(scoreBasis(account({}))).toBeNull();
  });

  it('says "mixed" for a weighted mean of several statistics, and follows a changed fallback order', () => {
    const weighted: TTieringSettings = {
      ...DEFAULT_TIERING_SETTINGS,
      weights: { annualSales: 1, netAssets: 1, employees: 0 },
    };
    expect(scoreBasis(account({ annualSales: 1e8, netAssets: 4e7, employeesMin: 500 }), weighted)).toEqual({
      key: 'mixed',
      statistics: ['annualSales', 'netAssets'],
    });
    const employeesFirst: TTieringSettings = {
      ...DEFAULT_TIERING_SETTINGS,
      weights: { annualSales: 0, netAssets: 0, employees: 0 },
      fallbackOrder: ['employees', 'annualSales', 'netAssets'],
    };
    expect(scoreBasis(account({ annualSales: 1e8, employeesMin: 500 }), employeesFirst)?.key).toBe(
      'employees',
    );
  });

  it('reads as a score of that basis, not as revenue, in both languages', () => {
    const score = (language: 'zh-CN' | 'en') => formatMoney(178_000_000, language);
    expect(tZh('account.scoreBasis.annualSales', { score: score('zh-CN') })).toBe('按年销售额 1.78亿');
    expect(tEn('account.scoreBasis.annualSales', { score: score('en') })).toBe('¥178M by annual sales');
    expect(tZh('account.scoreBasis.netAssets', { score: score('zh-CN') })).toMatch(/^按净资产.*1\.78亿$/);
  });
});
