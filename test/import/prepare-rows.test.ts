import { describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { resolveMapping } from '../../src/import/import-file.ts';
import { HashColumn, hashKey, IntColumn, KeyTable } from '../../src/import/key-table.ts';
import { buildRowPlan, KEYS_PER_ROW, prepareBatch, S } from '../../src/import/prepare-rows.ts';

function plan(header: string[]) {
  const resolved = resolveMapping(header, null);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return buildRowPlan(resolved.mapping.columns);
}

describe('prepareBatch', () => {
  const header = [
    '企业名称',
    '统一社会信用代码',
    '所属城市',
    '人员规模',
    '年营业额',
    '官网',
    '成立年份',
    '备注',
  ];

  it('cleans values and keeps unmapped columns as custom fields', () => {
    const batch = prepareBatch(
      [
        {
          line: 2,
          fields: [
            '  苏州恒瑞精密机械有限公司 ',
            makeUscc(1),
            '苏州市',
            '100-499人',
            '1.2亿',
            'http://www.hengrui.cn/x',
            '1998',
            '老客户',
          ],
        },
      ],
      plan(header),
    );
    expect(batch.rejected).toBe(0);
    expect(batch.issues).toEqual([]);
    const row = batch.rows[0];
    expect(row?.[S.name]).toBe('苏州恒瑞精密机械有限公司');
    expect(row?.[S.normalizedName]).toBe('苏州恒瑞精密机械');
    expect(row?.[S.annualSales]).toBe(120_000_000);
    expect([row?.[S.employeesMin], row?.[S.employeesMax]]).toEqual([100, 499]);
    expect(row?.[S.websiteDomain]).toBe('hengrui.cn');
    expect(JSON.parse(row?.[S.customFields] ?? '{}')).toEqual({ 成立年份: '1998-01-01', 备注: '老客户' });
    expect(batch.keys).toHaveLength(KEYS_PER_ROW);
    expect([...batch.keys].every((k) => k !== 0)).toBe(true);
  });

  it('rejects rows without a name, with a bad USCC, or that the reader could not split; warns on the rest', () => {
    const good = makeUscc(2);
    const bad = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
    const batch = prepareBatch(
      [
        { line: 2, fields: ['', good, '', '', '', '', '', ''] },
        { line: 3, fields: ['某某有限公司', bad, '', '', '', '', '', ''] },
        { line: 4, fields: ['a', 'b'], error: 'row has 2 fields, header has 8' },
        { line: 5, fields: ['某某二有限公司', '', '', '很多人', '面议', 'not a site', '', ''] },
      ],
      plan(header),
    );
    expect(batch.rejected).toBe(3);
    expect(batch.rows.map((r) => r[S.line])).toEqual([5]);
    expect(batch.warnings).toBe(3);
    expect(batch.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ line: 2, column: '企业名称', raw: ['', good, '', '', '', '', '', ''] }),
      expect.objectContaining({ line: 3, column: '统一社会信用代码', value: bad }),
      expect.objectContaining({ line: 4, column: null, reason: 'row has 2 fields, header has 8' }),
    ]);
    expect(
      batch.issues
        .filter((i) => i.severity === 'warning')
        .map((i) => i.column)
        .sort(),
    ).toEqual(['人员规模', '官网', '年营业额'].sort());
  });

  it('gives repeats of one company the same keys', () => {
    const p = plan(['企业名称', '所属城市', '官网']);
    const batch = prepareBatch(
      [
        { line: 2, fields: ['上海华信电子有限公司', '上海市', 'www.huaxin.com'] },
        { line: 3, fields: ['上海华信电子（中国）有限公司', '上海', ''] },
        { line: 4, fields: ['华信电子有限公司', '北京市', 'https://huaxin.com/about'] },
      ],
      p,
    );
    const key = (row: number, k: number) => [
      batch.keys[row * KEYS_PER_ROW + k * 2],
      batch.keys[row * KEYS_PER_ROW + k * 2 + 1],
    ];
    expect(key(0, 2)).toEqual(key(1, 2)); // name + city
    expect(key(0, 1)).toEqual(key(2, 1)); // domain
    expect(key(0, 2)).not.toEqual(key(2, 2));
  });
});

describe('KeyTable', () => {
  it('maps 64-bit hashes to values, keeps the first, and grows', () => {
    const table = new KeyTable(4);
    const keys = new Uint32Array(2);
    for (let i = 0; i < 50_000; i++) {
      hashKey(`n公司${i}|上海`, keys, 0);
      expect(table.setIfAbsent(keys[0] as number, keys[1] as number, i)).toBe(i);
    }
    hashKey('n公司123|上海', keys, 0);
    expect(table.setIfAbsent(keys[0] as number, keys[1] as number, 999_999)).toBe(123);
    expect(table.get(keys[0] as number, keys[1] as number)).toBe(123);
    hashKey('n公司123|北京', keys, 0);
    expect(table.get(keys[0] as number, keys[1] as number)).toBe(-1);
    expect(table.size).toBe(50_000);
    const column = new HashColumn();
    column.set(10_000, 7, 9);
    column.set(200_000, 0xffff_ffff, 1);
    expect([column.hi(10_000), column.lo(10_000), column.hi(3), column.hi(70_000)]).toEqual([7, 9, 0, 0]);
    expect([column.hi(200_000), column.lo(200_000), column.hi(9_000_000)]).toEqual([0xffff_ffff, 1, 0]);
    const lines = new IntColumn();
    for (let i = 0; i < 150_000; i++) lines.push(i * 3 + 2);
    expect([lines.length, lines.at(0), lines.at(65_536), lines.at(149_999), lines.at(150_000)]).toEqual([
      150_000,
      2,
      65_536 * 3 + 2,
      149_999 * 3 + 2,
      0,
    ]);
  });
});
