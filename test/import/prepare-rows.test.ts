import { describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { resolveMapping } from '../../src/import/import-file.ts';
import { HashColumn, hashKey, IntColumn, KeyTable } from '../../src/import/key-table.ts';
import {
  buildRowPlan,
  KEYS_PER_ROW,
  packedLine,
  packedValue,
  prepareBatch,
  RowPacker,
  readStagedRow,
  S,
  type StagedRow,
  unpackStagedRows,
} from '../../src/import/prepare-rows.ts';

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
    const row = unpackStagedRows(batch.rows)[0];
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
    expect(unpackStagedRows(batch.rows).map((r) => r[S.line])).toEqual([5]);
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

describe('RowPacker', () => {
  const row = (line: number, text: (string | null)[], numbers: (number | null)[]): StagedRow =>
    [
      line,
      text[0],
      text[1],
      text[2],
      text[3],
      text[4],
      text[5],
      text[6],
      text[7],
      text[8],
      numbers[0],
      numbers[1],
      numbers[2],
      numbers[3],
      numbers[4],
      text[9],
      text[10],
      text[11],
      text[12],
    ] as StagedRow;

  it('gives back every value of every row: nulls, empty strings, surrogates, large and negative amounts', () => {
    const rows: StagedRow[] = [
      row(
        2,
        [
          '苏州恒瑞',
          '苏州恒瑞',
          null,
          'a.cn',
          '江苏',
          '苏州',
          null,
          '',
          '制造',
          '0512',
          null,
          '张三',
          '{"x":"1"}',
        ],
        [120_000_000, 100, 499, -5, 9_007_199_254_740_991],
      ),
      row(3, new Array(13).fill(null), [null, null, null, null, null]),
      row(7, ['😀\ud800', 'x', '', '', '', '', '', '', '', '', '', '', ''], [0, -0, 1.5, null, -1e15]),
      row(
        9,
        [null, 'y', null, null, null, null, null, null, null, null, null, null, 'z'],
        [1, null, 2, null, 3],
      ),
    ];
    const packer = new RowPacker(rows.length + 2);
    for (const r of rows) packer.push(r);
    const packed = packer.finish();
    expect(packed.count).toBe(4);
    const back = unpackStagedRows(packed);
    expect(back).toEqual(rows);
    expect(Object.is(back[2]?.[S.employeesMin], -0)).toBe(true);
    expect(back.map((r) => r[S.line])).toEqual(rows.map((_, i) => packedLine(packed, i)));
    for (let r = 0; r < rows.length; r++)
      for (let s = 0; s < 19; s++) expect(packedValue(packed, r, s)).toEqual(rows[r]?.[s]);
    // As the writer reads it: into a reused array, at an offset, overwriting what the row before left there.
    const out = new Array<unknown>(23).fill('stale');
    readStagedRow(packed, 1, out, 5);
    expect(out.slice(5)).toEqual(new Array(18).fill(null));
    readStagedRow(packed, 3, out, 5);
    expect(out.slice(5)).toEqual(rows[3]?.slice(1));
  });

  it('survives a structured clone with its buffers transferred', () => {
    const packer = new RowPacker(3);
    packer.push(
      row(4, ['名', '名', null, null, null, null, null, null, null, null, null, null, null], [1, 2, 3, 4, 5]),
    );
    const packed = packer.finish();
    const cloned = structuredClone(packed, { transfer: [packed.ends.buffer, packed.numbers.buffer] });
    expect(packed.ends.byteLength).toBe(0);
    expect(unpackStagedRows(cloned)[0]?.slice(0, 3)).toEqual([4, '名', '名']);
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
