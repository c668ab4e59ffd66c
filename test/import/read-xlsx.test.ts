import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isDateFormat, openXlsx, plainNumber, type ReadXlsxOptions } from '../../src/import/read-xlsx.ts';
import { isErrorRow, type ReadRow } from '../../src/import/tabular-rows.ts';
import { buildXlsx, inline, n, row, s, type WorkbookSpec, zip } from '../fixtures/build-xlsx.ts';

const EXCEL = '/work/shared/testdata/external/excel';
const dir = mkdtempSync(join(tmpdir(), 'tierline-read-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function tempFile(bytes: Buffer, extension = 'xlsx'): string {
  const path = join(dir, `book-${fileCount++}.${extension}`);
  writeFileSync(path, bytes);
  return path;
}

async function readAll(input: string | Readable | Buffer, options: ReadXlsxOptions = {}) {
  const file = await openXlsx(Buffer.isBuffer(input) ? Readable.from([input]) : input, options);
  const rows: ReadRow[] = [];
  for await (const batch of file.batches()) rows.push(...batch);
  return { file, rows };
}

async function readError(input: string | Readable | Buffer, options: ReadXlsxOptions = {}): Promise<unknown> {
  try {
    await readAll(input, options);
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}

const book = (spec: WorkbookSpec): Buffer => buildXlsx(spec);
const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('the external Excel files', () => {
  const files = readdirSync(EXCEL, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xlsx'));

  it('finds the six files', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s reads without error, from a path and from a stream', async (name) => {
    const { file, rows } = await readAll(join(EXCEL, name));
    expect(file.header.length).toBeGreaterThan(0);
    expect(rows.filter(isErrorRow)).toEqual([]);
    const streamed = await readAll(readFileSync(join(EXCEL, name)));
    expect(streamed.rows).toEqual(rows);
  });

  it.each(['1900', '1904'])(
    '%s.xlsx: every date equals the date Excel shows (its TEXT() column)',
    async (system) => {
      const { file, rows } = await readAll(`${EXCEL}/sheetjs/${system}.xlsx`);
      expect(file.date1904).toBe(system === '1904');
      const all = [file.header, ...rows.map((r) => r.fields)];
      expect(all).toHaveLength(5);
      for (const [serial, date, text, t] of all) {
        expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(date).toBe(text);
        expect(date).toBe(t);
        expect(serial).toMatch(/^1+$/);
      }
    },
  );

  it('1900.xlsx and 1904.xlsx hold the same serials, read 1462 days apart (1461 before 1900-03-01)', async () => {
    const dates = async (system: string) => {
      const { file, rows } = await readAll(`${EXCEL}/sheetjs/${system}.xlsx`);
      return [file.header, ...rows.map((r) => r.fields)].map((f) => f[1] ?? '');
    };
    const d1900 = await dates('1900');
    const d1904 = await dates('1904');
    expect(d1900[0]).toBe('1900-01-01');
    expect(d1904[0]).toBe('1904-01-02');
    // The 1900 system counts a nonexistent 1900-02-29, so serials before 61 are one day closer.
    expect(d1904).toEqual(d1900.map((d) => addDays(d, d < '1900-03-01' ? 1461 : 1462)));
  });

  it('dataformat.xlsx: dates in Chinese and US formats, including built-in Chinese formats', async () => {
    const { file, rows } = await readAll(`${EXCEL}/easyexcel/dataformat.xlsx`);
    expect(file.sheetName).toBe('Sheet1');
    expect(file.header).toEqual([
      'date',
      'dateStringCn',
      'dateStringCn2',
      'dateStringUs',
      'number',
      'numberStringCn',
      'numberStringUs',
    ]);
    // Every row's first cell is the same date-time under a different format (rows 8-10 use the
    // built-in Chinese formats 31, 57 and 58, which exceljs alone reads as plain numbers).
    for (const r of rows) expect(r.fields[0]).toBe('2020-01-01 01:01:01');
    expect(rows.find((r) => r.line === 5)?.fields.slice(1, 2)).toEqual(['2020年1月1日']);
    expect(rows.find((r) => r.line === 10)?.fields[4]).toBe('1111.1111');
    expect(rows.find((r) => r.line === 14)?.fields[4]).toBe('0.105');
  });

  it('demo.xlsx: Chinese header, date-times and numbers', async () => {
    const { file, rows } = await readAll(`${EXCEL}/easyexcel/demo.xlsx`);
    expect(file.header).toEqual(['字符串标题', '日期标题', '数字标题']);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ line: 2, fields: ['字符串0', '2020-01-01 01:01:01', '1'] });
    expect(rows[9]).toEqual({ line: 11, fields: ['字符串9', '2020-01-10 01:01:01', '10'] });
  });

  it('extra.xlsx: hyperlinks read as their text, a merged cell as its top-left value', async () => {
    const { file, rows } = await readAll(`${EXCEL}/easyexcel/extra.xlsx`);
    expect(file.header).toEqual(['第一列', '第二列']);
    expect(rows.map((r) => r.fields)).toEqual([
      ['普通超链接', ''],
      ['多单元格超链接A', '多单元格超链接B'],
      ['多单元格超链接C', '多单元格超链接D'],
      ['批注', ''],
      ['合并单元格', ''],
    ]);
    expect(file.stats.blankLines).toBe(1);
  });

  it('merge_cells.xlsx: merged ranges keep the value in the top-left cell only', async () => {
    const { file, rows } = await readAll(`${EXCEL}/sheetjs/merge_cells.xlsx`);
    expect(file.sheetName).toBe('Merge');
    expect(file.header).toEqual(['A1:B2', '', 'C1:C2', 'Separate blocks']);
    expect(rows).toEqual([
      { line: 3, fields: ['A3:B3', '', 'C3', ''] },
      { line: 4, fields: ['… are merged separately', '', '', ''] },
    ]);
  });
});

describe('sheet choice', () => {
  const twoSheets = (
    order?: number[],
    first = row(1, [inline('A1', 'first')]),
    second = row(1, [inline('A1', 'second')]),
  ) =>
    book({
      sheets: [
        { name: 'First', sheetData: first },
        { name: '第二页', sheetData: second },
      ],
      ...(order ? { sheetOrder: order } : {}),
    });

  it('reads a named sheet, exactly or case-insensitively', async () => {
    expect((await readAll(twoSheets(), { sheet: '第二页' })).file.header).toEqual(['second']);
    const { file } = await readAll(`${EXCEL}/easyexcel/demo.xlsx`, { sheet: ' sheet2 ' });
    expect(file.sheetName).toBe('Sheet2');
    expect(file.sheetNames).toEqual(['Sheet1', 'Sheet2']);
  });

  it('lists the sheet names when the named sheet does not exist', async () => {
    const error = await readError(`${EXCEL}/easyexcel/demo.xlsx`, { sheet: 'Customers' });
    expect(error).toMatchObject({
      code: 'bad_request',
      message: 'there is no sheet named "Customers"; the workbook has: "Sheet1", "Sheet2"',
      details: { problem: 'sheet_not_found', sheets: ['Sheet1', 'Sheet2'] },
    });
  });

  it('fails when the named sheet is empty', async () => {
    const error = await readError(twoSheets(undefined, row(1, [inline('A1', 'x')]), ''), { sheet: '第二页' });
    expect(error).toMatchObject({ details: { problem: 'no_data' } });
  });

  it('skips empty and hidden sheets', async () => {
    const spec: WorkbookSpec = {
      sheets: [
        { name: 'Hidden', state: 'hidden', sheetData: row(1, [inline('A1', 'hidden')]) },
        { name: 'Empty', sheetData: row(1, []) + row(2, [inline('A2', '')]) },
        { name: 'Data', sheetData: row(3, [inline('B3', 'data')]) },
      ],
    };
    const { file } = await readAll(book(spec));
    expect(file.sheetName).toBe('Data');
    expect(file.header).toEqual(['', 'data']);
    expect(file.headerLine).toBe(3);
  });

  it('takes the first tab with data, whatever order the zip stores the sheets in', async () => {
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      expect((await readAll(tempFile(twoSheets(order)))).file.sheetName).toBe('First');
      expect((await readAll(twoSheets(order))).file.sheetName).toBe('First');
    }
  });

  it('moves on to the next tab when the first is empty', async () => {
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const { file, rows } = await readAll(
        twoSheets(order, '', row(1, [inline('A1', 'h')]) + row(2, [inline('A2', 'v')])),
      );
      expect(file.sheetName).toBe('第二页');
      expect(rows).toEqual([{ line: 2, fields: ['v'] }]);
    }
  });

  it('reads the same workbook the same way every time (exceljs alone drops parts now and then)', async () => {
    const bytes = book({
      sharedStrings: ['name', 'value'],
      sheets: [
        { name: 'Empty', sheetData: '' },
        { name: 'Data', sheetData: row(1, [s('A1', 0)]) + row(2, [s('A2', 1)]) },
      ],
      sheetOrder: [1, 0],
    });
    const path = tempFile(bytes);
    for (let i = 0; i < 40; i++) {
      const { file, rows } = await readAll(i % 2 === 0 ? path : bytes);
      expect([file.sheetName, file.header, rows]).toEqual([
        'Data',
        ['name'],
        [{ line: 2, fields: ['value'] }],
      ]);
    }
  });

  it('fails when no sheet has data', async () => {
    const error = await readError(book({ sheets: [{ name: 'A', sheetData: '' }] }));
    expect(error).toMatchObject({ code: 'unprocessable', details: { problem: 'no_data' } });
  });
});

describe('cell values', () => {
  const spec: WorkbookSpec = {
    sharedStrings: ['名称', '金额', '日期', ['富', '文本'], '上海某某科技有限公司'],
    numFmts: { 164: 'yyyy-mm-dd', 165: '"￥"#,##0.00', 166: 'h:mm' },
    cellXfs: [0, 164, 31, 165, 166, 22, 57],
    sheets: [
      {
        name: 'Values',
        sheetData:
          row(1, [s('A1', 0), s('B1', 1), s('C1', 2)]) +
          row(2, [s('A2', 4), n('B2', '1.2E+21'), n('C2', 43835, 1)]) +
          row(3, [s('A3', 3), n('B3', 12345678.9, 3), n('C3', 43835, 2)]) +
          row(4, [inline('A4', 'inline'), n('B4', '0.30000000000000004'), n('C4', 0.5, 4)]) +
          row(5, [
            '<c r="A5" t="b"><v>1</v></c>',
            '<c r="B5" t="e"><v>#N/A</v></c>',
            '<c r="C5" s="1"><f>C2+1</f><v>43836</v></c>',
          ]) +
          row(6, [
            '<c r="A6" t="str"><f>A2&amp;"!"</f><v>上海某某科技有限公司!</v></c>',
            n('B6', '123456789012345678'),
            n('C6', '43835.75', 5),
          ]) +
          row(7, [n('A7', '1.5E-7'), n('B7', -42), n('C7', 43835, 6)]) +
          row(8, ['<c r="A8"><f>NOW()</f></c>', n('B8', '13800138000'), n('C8', 1, 1)]),
      },
    ],
  };

  it('turns every kind of cell into the string the value parsers expect', async () => {
    const { file, rows } = await readAll(book(spec));
    expect(file.header).toEqual(['名称', '金额', '日期']);
    expect(rows.map((r) => r.fields)).toEqual([
      ['上海某某科技有限公司', '1200000000000000000000', '2020-01-05'],
      ['富文本', '12345678.9', '2020-01-05'],
      ['inline', '0.3', '12:00:00'],
      ['TRUE', '#N/A', '2020-01-06'],
      ['上海某某科技有限公司!', '123456789012346000', '2020-01-05 18:00:00'],
      ['0.00000015', '-42', '2020-01-05'],
      ['', '13800138000', '1900-01-01'],
    ]);
  });

  it('honours the 1904 date system, written as "1" or "true"', async () => {
    for (const date1904 of ['1', 'true'] as const) {
      const { file, rows } = await readAll(book({ ...spec, date1904 }));
      expect(file.date1904).toBe(true);
      expect(rows[0]?.fields[2]).toBe('2024-01-06');
      expect(rows[1]?.fields[2]).toBe('2024-01-06');
      expect(rows[6]?.fields[2]).toBe('1904-01-02');
    }
  });

  it('reads the same with the text table before the sheets', async () => {
    const { rows } = await readAll(book({ ...spec, stringsFirst: true }));
    expect(rows[0]?.fields[0]).toBe('上海某某科技有限公司');
  });

  it('reads a workbook whose parts are stored uncompressed', async () => {
    const { rows } = await readAll(book({ ...spec, stored: true }));
    expect(rows[0]?.fields).toEqual(['上海某某科技有限公司', '1200000000000000000000', '2020-01-05']);
  });
});

describe('rows', () => {
  it('pads short rows and reports a value in a column without a header', async () => {
    const data =
      row(1, [inline('A1', 'name'), inline('B1', 'city')]) +
      row(2, [inline('A2', 'Acme')]) +
      row(4, [inline('A4', 'Beta'), inline('B4', 'SH'), inline('D4', 'note')]) +
      row(5, [inline('A5', 'Gamma'), inline('B5', 'BJ'), inline('C5', '')]);
    const { rows, file } = await readAll(book({ sheets: [{ name: 'S', sheetData: data }] }));
    expect(rows).toEqual([
      { line: 2, fields: ['Acme', ''] },
      {
        line: 4,
        fields: ['Beta', 'SH', '', 'note'],
        error:
          'cell D4 has a value but column D has no header (the header ends at column B); add a header or clear the cell',
      },
      { line: 5, fields: ['Gamma', 'BJ'] },
    ]);
    expect(file.stats).toEqual({ rows: 3, errorRows: 1, blankLines: 0 });
  });

  it('starts at a given header row (a title row above the header)', async () => {
    const data =
      row(1, [inline('A1', '客户名单')]) +
      row(2, [inline('A2', 'name'), inline('B2', 'city')]) +
      row(3, [inline('A3', 'x'), inline('B3', 'y')]);
    const { file, rows } = await readAll(book({ sheets: [{ name: 'S', sheetData: data }] }), {
      headerLine: 2,
    });
    expect(file.header).toEqual(['name', 'city']);
    expect(rows).toEqual([{ line: 3, fields: ['x', 'y'] }]);
  });

  it('batches rows', async () => {
    let data = row(1, [inline('A1', 'n')]);
    for (let r = 2; r <= 251; r++) data += row(r, [n(`A${r}`, r)]);
    const file = await openXlsx(Readable.from([book({ sheets: [{ name: 'S', sheetData: data }] })]), {
      batchSize: 100,
    });
    const sizes: number[] = [];
    for await (const batch of file.batches()) sizes.push(batch.length);
    expect(sizes).toEqual([100, 100, 50]);
  });
});

describe('guards and failures', () => {
  const big = (): Buffer => {
    let data = row(1, [s('A1', 0)]);
    for (let r = 2; r <= 50; r++) data += row(r, [s(`A${r}`, r - 1)]);
    return book({
      sharedStrings: Array.from({ length: 50 }, (_, i) => `text ${i}`),
      sheets: [{ name: 'S', sheetData: data }],
    });
  };

  it.each([
    [{ maxRows: 10 }, 'too_many_rows', 'payload_too_large'],
    [{ maxSharedStrings: 10 }, 'shared_strings_too_large', 'payload_too_large'],
    [{ maxSharedStringChars: 100 }, 'shared_strings_too_large', 'payload_too_large'],
    [{ maxInputBytes: 500 }, 'file_too_large', 'payload_too_large'],
    [{ maxUncompressedBytes: 1000 }, 'file_too_large', 'payload_too_large'],
  ] as const)('%j → %s', async (options, problem, code) => {
    const error = await readError(big(), options);
    expect(error).toMatchObject({ code, details: { problem } });
  });

  it('reads within the limits', async () => {
    const { rows } = await readAll(big(), { maxRows: 50, maxSharedStrings: 50 });
    expect(rows).toHaveLength(49);
  });

  it('checks the size of a file path too', async () => {
    expect(await readError(tempFile(big()), { maxInputBytes: 500 })).toMatchObject({
      details: { problem: 'file_too_large' },
    });
  });

  it('rejects a zip that is not a workbook', async () => {
    const notBook = zip([['hello.txt', 'hi']]);
    expect(await readError(notBook)).toMatchObject({ details: { problem: 'not_xlsx' } });
  });

  it('recognises a legacy .xls, a CSV and an empty file', async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    expect(await readError(tempFile(xls, 'xls'))).toMatchObject({ details: { problem: 'legacy_xls' } });
    expect(await readError(Buffer.from('name,city\nAcme,SH\n'))).toMatchObject({
      details: { problem: 'not_xlsx' },
    });
    expect(await readError(tempFile(Buffer.alloc(0)))).toMatchObject({ details: { problem: 'empty_file' } });
  });

  it('reports a truncated workbook as unreadable', async () => {
    const bytes = readFileSync(`${EXCEL}/easyexcel/demo.xlsx`);
    for (const cut of [100, bytes.length / 2, bytes.length - 30]) {
      const error = await readError(bytes.subarray(0, Math.floor(cut)));
      expect(error).toMatchObject({ code: 'unprocessable', details: { problem: 'unreadable' } });
    }
  });

  it('reports a missing file as unreadable', async () => {
    expect(await readError(join(dir, 'missing.xlsx'))).toMatchObject({
      details: { problem: 'unreadable', cause: 'ENOENT' },
    });
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const file = await openXlsx(`${EXCEL}/easyexcel/demo.xlsx`, { signal: controller.signal, batchSize: 2 });
    const batches = file.batches();
    await batches.next();
    controller.abort();
    await expect(
      (async () => {
        for (;;) if ((await batches.next()).done) return;
      })(),
    ).rejects.toMatchObject({ details: { problem: 'aborted' } });
    const aborted = AbortSignal.abort();
    expect(await readError(`${EXCEL}/easyexcel/demo.xlsx`, { signal: aborted })).toMatchObject({
      details: { problem: 'aborted' },
    });
  });

  it('closes cleanly when the consumer stops early', async () => {
    const input = Readable.from([readFileSync(`${EXCEL}/easyexcel/demo.xlsx`)]);
    const file = await openXlsx(input, { batchSize: 1 });
    for await (const batch of file.rows()) {
      expect(batch.line).toBe(2);
      break;
    }
    expect(input.destroyed).toBe(true);
    await file.close();
  });
});

describe('plainNumber / isDateFormat', () => {
  it.each([
    [0, '0'],
    [42, '42'],
    [-42.5, '-42.5'],
    [0.1 + 0.2, '0.3'],
    [1e21, '1000000000000000000000'],
    [1.23e-7, '0.000000123'],
    [Number('123456789012345678'), '123456789012346000'],
    [13800138000, '13800138000'],
    [Number.NaN, ''],
  ])('plainNumber(%d) → %s', (value, expected) => {
    expect(plainNumber(value)).toBe(expected);
  });

  it.each([
    ['yyyy-mm-dd', true],
    ['[DBNum1][$-804]yyyy"年"m"月"d"日"', true],
    ['h:mm AM/PM', true],
    ['mm:ss.0', true],
    ['General', false],
    ['0.00', false],
    ['"￥"#,##0.00;"￥"\\-#,##0.00', false],
    ['0.00E+00', false],
    ['#,##0 "days"', false],
    ['@', false],
    [undefined, false],
  ])('isDateFormat(%j) → %s', (format, expected) => {
    expect(isDateFormat(format)).toBe(expected);
  });
});
