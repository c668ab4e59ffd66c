import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import type { FieldKey } from '../../src/import/header-mapping.ts';
import { openImportFile, prepareBatches, resolveMapping } from '../../src/import/import-file.ts';
import { HashColumn, hashKey, IntColumn, KeyTable } from '../../src/import/key-table.ts';
import {
  buildRowPlan,
  KEYS_PER_ROW,
  packedLine,
  packedValue,
  prepareBatch,
  type RowIssue,
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
    expect(JSON.parse(row?.[S.customFields] ?? '{}')).toEqual({ 成立年份: '1998', 备注: '老客户' });
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

describe('what the account fields cannot hold is kept, not lost or changed', () => {
  const EXTERNAL = '/work/shared/testdata/external';

  /** Every prepared batch of a file, read with the automatic mapping over `mapping`. */
  async function prepareFile(path: string, mapping: Record<string, FieldKey | null> | null = null) {
    const opened = await openImportFile(path);
    const resolved = resolveMapping(opened.info.header, mapping, { ignored: opened.info.ignoredColumns });
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const rows: StagedRow[] = [];
    const issues: RowIssue[] = [];
    for await (const batch of prepareBatches(opened, resolved.mapping.columns)) {
      rows.push(...unpackStagedRows(batch.rows));
      issues.push(...batch.issues);
    }
    return { rows, issues };
  }

  it('keeps an amount in another currency as text, empty in the field, with a warning naming the currency', () => {
    const batch = prepareBatch(
      [
        { line: 2, fields: ['甲公司', '50万美元', '3500万美元', '2亿5000万'] },
        { line: 3, fields: ['乙公司', '100万港元', '¥500万', ''] },
      ],
      plan(['企业名称', '注册资本', '年营业额', '净资产']),
    );
    const [first, second] = unpackStagedRows(batch.rows);
    expect(first?.[S.registeredCapital]).toBeNull();
    expect(first?.[S.annualSales]).toBeNull();
    expect(first?.[S.netAssets]).toBe(250_000_000);
    expect(JSON.parse(first?.[S.customFields] ?? '{}')).toEqual({
      注册资本: '50万美元',
      年营业额: '3500万美元',
    });
    expect(second?.[S.registeredCapital]).toBeNull();
    expect(second?.[S.annualSales]).toBe(5_000_000);
    expect(JSON.parse(second?.[S.customFields] ?? '{}')).toEqual({ 注册资本: '100万港元' });
    expect(batch.issues).toEqual([
      expect.objectContaining({ line: 2, column: '年营业额', value: '3500万美元', severity: 'warning' }),
      expect.objectContaining({ line: 2, column: '注册资本', value: '50万美元', severity: 'warning' }),
      expect.objectContaining({ line: 3, column: '注册资本', value: '100万港元', severity: 'warning' }),
    ]);
    expect(batch.issues[1]?.reason).toBe(
      '"50万美元" is in US dollars (USD), not yuan; amounts are kept in yuan and never converted; left empty, the text kept in the custom field "注册资本"',
    );
    expect(batch.issues[2]?.reason).toContain('Hong Kong dollars (HKD)');
  });

  it('reads a column whose header names a currency as that currency (an English list in dollars)', () => {
    const batch = prepareBatch(
      [{ line: 2, fields: ['Acme Corp', '1,200', 'Boston'] }],
      plan(['Company', 'Revenue ($M)', 'City']),
    );
    const [row] = unpackStagedRows(batch.rows);
    expect(row?.[S.annualSales]).toBeNull();
    expect(JSON.parse(row?.[S.customFields] ?? '{}')).toEqual({ 'Revenue ($M)': '1,200' });
    expect(batch.issues).toEqual([
      expect.objectContaining({
        column: 'Revenue ($M)',
        reason: expect.stringContaining('is in US dollars (USD), as the column header says, not yuan'),
      }),
    ]);
  });

  it('stores a range or a lower bound as its lower bound, saying so', () => {
    const batch = prepareBatch(
      [
        { line: 2, fields: ['甲公司', '500万以上'] },
        { line: 3, fields: ['乙公司', '50-100万'] },
        { line: 4, fields: ['丙公司', '50万-100万'] },
        { line: 5, fields: ['丁公司', '100万以下'] },
      ],
      plan(['企业名称', '年营业额']),
    );
    expect(unpackStagedRows(batch.rows).map((r) => r[S.annualSales])).toEqual([
      5_000_000,
      500_000,
      500_000,
      null,
    ]);
    expect(batch.issues.map((i) => i.reason)).toEqual([
      '"500万以上" is a range or a lower bound; stored as its lower bound, 5,000,000 yuan',
      '"50-100万" is a range or a lower bound; stored as its lower bound, 500,000 yuan',
      '"50万-100万" is a range or a lower bound; stored as its lower bound, 500,000 yuan',
      '"100万以下" gives only an upper bound, not an amount',
    ]);
  });

  it('fills the phone with the first number of several and keeps the whole cell', () => {
    const batch = prepareBatch(
      [
        { line: 2, fields: ['甲公司', '13800138000;13900139000', 'a@x.cn; b@y.cn'] },
        { line: 3, fields: ['乙公司', '13800138000', 'a@x.cn'] },
      ],
      plan(['企业名称', '电话', '邮箱']),
    );
    const [first, second] = unpackStagedRows(batch.rows);
    expect(first?.[S.phone]).toBe('13800138000');
    expect(first?.[S.email]).toBe('a@x.cn');
    expect(JSON.parse(first?.[S.customFields] ?? '{}')).toEqual({
      电话: '13800138000;13900139000',
      邮箱: 'a@x.cn; b@y.cn',
    });
    expect(second?.[S.customFields]).toBeNull();
    expect(batch.issues).toEqual([]);
  });

  it('keeps custom columns as written: no value is read as empty', () => {
    const batch = prepareBatch(
      [{ line: 2, fields: ['甲公司', 'N/A', '无', '-', '  '] }],
      plan(['企业名称', 'Ticker', '备注', '评级', '其他']),
    );
    const [row] = unpackStagedRows(batch.rows);
    expect(JSON.parse(row?.[S.customFields] ?? '{}')).toEqual({ Ticker: 'N/A', 备注: '无', 评级: '-' });
  });

  it('keeps every Founded value of the S&P 500 list: a year as the year, anything else as written', async () => {
    const path = `${EXTERNAL}/firmographics/sp500-en/constituents.csv`;
    const source = await readCsvColumn(path, 'Founded');
    const { rows, issues } = await prepareFile(path);
    expect(rows).toHaveLength(source.length);
    const kept = rows.map((r) => JSON.parse(r[S.customFields] ?? '{}').Founded);
    // Nothing dropped, nothing changed: 1902 stays 1902, "2013 (1888)" stays as it is.
    expect(kept).toEqual(source.map((v) => v.trim()));
    expect(kept).toContain('2013 (1888)');
    const notYears = source.filter((v) => !/^\d{4}$/.test(v.trim()));
    expect(notYears.length).toBeGreaterThan(10);
    expect(issues.filter((i) => i.column === 'Founded').map((i) => i.value)).toEqual(notYears);
    expect(issues.every((i) => i.severity === 'warning' && i.reason.endsWith('; kept as written'))).toBe(
      true,
    );
  });

  it('keeps every 成立年份 of the Chinese S&P 500 list', async () => {
    const path = `${EXTERNAL}/firmographics/sp500-zh/constituents.csv`;
    const source = await readCsvColumn(path, '成立年份');
    const { rows } = await prepareFile(path);
    expect(rows.map((r) => JSON.parse(r[S.customFields] ?? '{}').成立年份 ?? '')).toEqual(
      source.map((v) => v.trim()),
    );
  });

  it('rejects a company name over several lines (csv-spectrum newlines.csv)', async () => {
    const { rows, issues } = await prepareFile(`${EXTERNAL}/csv-spectrum/csvs/newlines.csv`, { a: 'name' });
    expect(rows.map((r) => r[S.name])).toEqual(['1', '7']);
    expect(issues).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'a',
        severity: 'error',
        reason:
          'the company name spans several lines; a company name is one line (a quote left open in the file joins rows into one field): check the row',
      }),
    ]);
  });

  it('rejects again a rejected-rows file row that holds only its original text', () => {
    const header = ['企业名称', '城市', 'line', 'reason', 'original'];
    const resolved = resolveMapping(header, null, { ignored: [2, 3, 4] });
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const batch = prepareBatch(
      [
        { line: 2, fields: ['', '', '3', 'row has 4 fields, header has 3', '行二公司,北京市,010,extra'] },
        { line: 3, fields: ['行二公司', '北京市', '3', 'row has 4 fields, header has 3', '行二公司,北京市'] },
        { line: 4, fields: ['', '', '5', 'the company name is empty; every row needs one', ''] },
      ],
      buildRowPlan(resolved.mapping.columns, { ignore: new Set([2, 3, 4]), original: 4 }),
    );
    expect(unpackStagedRows(batch.rows).map((r) => [r[S.name], r[S.customFields]])).toEqual([
      ['行二公司', null],
    ]);
    expect(batch.issues).toEqual([
      expect.objectContaining({
        line: 2,
        column: null,
        reason: expect.stringContaining('"original" column'),
      }),
      expect.objectContaining({
        line: 4,
        column: '企业名称',
        reason: 'the company name is empty; every row needs one',
      }),
    ]);
  });
});

/** One column of a CSV file, every data row, as papaparse reads it. */
async function readCsvColumn(path: string, column: string): Promise<string[]> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  return parsed.data.map((row) => row[column] ?? '');
}
