import { describe, expect, it } from 'vitest';
import { criteriaFlags } from '../../src/cli/commands/plan.ts';

describe('tierline market show: the criteria as market set flags', () => {
  it('lists every criterion as its flag, lists comma-joined, money in yuan', () => {
    expect(
      criteriaFlags({
        maxNetAssets: 500_000_000,
        minEmployees: 100,
        provinces: ['江苏省', '上海市'],
        sourceIds: ['src-1'],
        territoryId: 'terr-1',
      }),
    ).toBe(
      '--provinces 江苏省,上海市 --sources src-1 --territory terr-1 --min-employees 100 --max-net-assets 500000000',
    );
  });

  it('quotes what a shell would split or expand, and leaves out empty lists', () => {
    expect(criteriaFlags({ cities: ["St. John's", 'New York'], industries: [] })).toBe(
      `--cities 'St. John'\\''s,New York'`,
    );
    expect(criteriaFlags({ industries: ['$HOME'] })).toBe(`--industries '$HOME'`);
    expect(criteriaFlags({})).toBe('');
  });
});
