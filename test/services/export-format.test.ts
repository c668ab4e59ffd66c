import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  csvChunks,
  csvField,
  csvRecord,
  type ExportColumn,
  neutralizeFormula,
  UTF8_BOM,
  writeXlsx,
} from '../../src/services/export-format.ts';

const DANGEROUS = ['=1+1', '+86 138', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")'];

interface Row {
  name: string;
  sales: number | null;
  note: string | null;
}

const columns: ExportColumn<Row>[] = [
  { key: 'name', header: '名称', value: (r) => r.name },
  { key: 'sales', header: 'Sales', value: (r) => r.sales },
  { key: 'note', header: 'Note', value: (r) => r.note },
];

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

describe('safe spreadsheet exports', () => {
  it('prefixes a single quote to text that starts like a formula, and nothing else', () => {
    for (const value of DANGEROUS) expect(neutralizeFormula(value)).toBe(`'${value}`);
    for (const value of ['深圳市华信', 'a=b', ' =1', '1-2', "'quoted", ''])
      expect(neutralizeFormula(value)).toBe(value);
  });

  it('quotes CSV fields per RFC 4180 and leaves numbers alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(true)).toBe('true');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvRecord(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('writes CSV with a UTF-8 BOM, a header and CRLF records', async () => {
    const rows: Row[] = [
      { name: '深圳市华信电子科技有限公司', sales: 120_000_000, note: null },
      { name: '=cmd|" /C calc"!A0', sales: -1, note: 'line1\nline2' },
    ];
    const out = await text(csvChunks(columns, [rows.slice(0, 1), rows.slice(1)]));
    expect(out.startsWith(UTF8_BOM)).toBe(true);
    expect(out.slice(1)).toBe(
      `名称,Sales,Note\r\n深圳市华信电子科技有限公司,120000000,\r\n"'=cmd|"" /C calc""!A0",-1,"line1\nline2"\r\n`,
    );
  });

  it('writes XLSX whose text cells are neutralised strings and numbers stay numbers', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const rows: Row[] = DANGEROUS.map((d, i) => ({ name: d, sales: i - 3, note: '普通文本' }));
    await writeXlsx(
      stream,
      columns,
      (async function* () {
        yield rows;
      })(),
      '客户',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('客户');
    expect(sheet).toBeDefined();
    expect(sheet?.getRow(1).values).toEqual([undefined, '名称', 'Sales', 'Note']);
    DANGEROUS.forEach((d, i) => {
      const row = sheet?.getRow(i + 2);
      // XML turns a bare CR into LF when read back; the quote in front is what matters.
      expect(row?.getCell(1).value).toBe(`'${d.replace('\r', '\n')}`);
      expect(row?.getCell(1).formula).toBeUndefined();
      expect(row?.getCell(2).value).toBe(i - 3);
      expect(row?.getCell(3).value).toBe('普通文本');
    });
  });
});
