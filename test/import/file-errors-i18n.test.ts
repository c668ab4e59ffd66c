import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { renderMessage, templateParams } from '../../src/domain/messages.ts';
import { openImportFile } from '../../src/import/import-file.ts';
import { openDelimited, type ReadDelimitedOptions } from '../../src/import/read-delimited.ts';
import { openXlsx, type ReadXlsxOptions } from '../../src/import/read-xlsx.ts';
import type { ImportFileProblem } from '../../src/import/tabular-rows.ts';
import { buildXlsx, inline, row, s, zip } from '../fixtures/build-xlsx.ts';

// Every problem a file as a whole can have (ImportFileProblem) is said in English and in Chinese: each case below
// makes the readers meet it for real, and the error carries a catalog message whose English is the error's text.

const dir = mkdtempSync(join(tmpdir(), 'tierline-file-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function tempFile(bytes: Buffer | string, extension: string): string {
  const path = join(dir, `file-${count++}.${extension}`);
  writeFileSync(path, bytes);
  return path;
}

async function drain(file: { batches(): AsyncGenerator<unknown[]> }) {
  for await (const _batch of file.batches());
}

async function failure(read: () => Promise<unknown>): Promise<AppError> {
  try {
    await read();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the read to fail');
}

const csv =
  (text: string, options: ReadDelimitedOptions = {}) =>
  () =>
    openDelimited(Readable.from([Buffer.from(text)]), options).then(drain);
const xlsx =
  (input: Buffer | string, options: ReadXlsxOptions = {}) =>
  () =>
    openXlsx(Buffer.isBuffer(input) ? Readable.from([input]) : input, options).then(drain);

const big = () => {
  let data = row(1, [s('A1', 0)]);
  for (let r = 2; r <= 50; r++) data += row(r, [s(`A${r}`, r - 1)]);
  return buildXlsx({
    sharedStrings: Array.from({ length: 50 }, (_, i) => `text ${i}`),
    sheets: [{ name: '客户', sheetData: data }],
  });
};
const twoSheets = () =>
  buildXlsx({
    sheets: [
      { name: 'Sheet1', sheetData: row(1, [inline('A1', '企业名称')]) },
      { name: '空白', sheetData: '' },
    ],
  });
const OLD_XLS = Buffer.concat([
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  Buffer.alloc(512),
]);

/** Ways to meet each problem; typed by the union, so a new problem needs a case here. */
const CASES: Record<ImportFileProblem, [string, () => Promise<unknown>][]> = {
  empty_file: [
    ['a CSV of blank lines', csv('\n\n  \n')],
    ['an empty workbook file', xlsx(tempFile('', 'xlsx'))],
  ],
  malformed_header: [
    ['a header with an unclosed quote', csv('name,"city\nAcme,SH\n')],
    ['a header with malformed quotes', csv('"name"x,city\nAcme,SH\n')],
  ],
  record_too_large: [
    ['a record past maxRecordChars', csv(`name,city\nAcme,"${'x'.repeat(500)}\n`, { maxRecordChars: 100 })],
  ],
  file_too_large: [
    ['a workbook past maxInputBytes', xlsx(big(), { maxInputBytes: 500 })],
    ['a workbook path past maxInputBytes', xlsx(tempFile(big(), 'xlsx'), { maxInputBytes: 500 })],
    ['a part past maxUncompressedBytes', xlsx(big(), { maxUncompressedBytes: 1000 })],
  ],
  too_many_rows: [['a sheet past maxRows', xlsx(big(), { maxRows: 10 })]],
  shared_strings_too_large: [
    ['too many distinct texts', xlsx(big(), { maxSharedStrings: 10 })],
    ['too many characters of text', xlsx(big(), { maxSharedStringChars: 100 })],
  ],
  not_xlsx: [
    ['a zip that is no workbook', xlsx(zip([['word/document.xml', '<w:document/>']]))],
    ['a CSV read as a workbook', xlsx(Buffer.from('name,city\nAcme,SH\n'))],
  ],
  legacy_xls: [['an old .xls', xlsx(tempFile(OLD_XLS, 'xls'))]],
  sheet_not_found: [
    ['a sheet the workbook lacks', xlsx(twoSheets(), { sheet: 'Customers' })],
    ['a sheet asked of a CSV', () => openImportFile(tempFile('name\nAcme\n', 'csv'), { sheet: '会员' })],
  ],
  no_data: [
    ['an empty sheet asked for', xlsx(twoSheets(), { sheet: '空白' })],
    ['a workbook without data', xlsx(buildXlsx({ sheets: [{ name: 'S', sheetData: '' }] }))],
  ],
  aborted: [
    ['a CSV read cancelled', csv('name\nAcme\n', { signal: AbortSignal.abort() })],
    ['a workbook read cancelled', xlsx(big(), { signal: AbortSignal.abort() })],
  ],
  unreadable: [
    ['a missing file', xlsx(join(dir, 'missing.xlsx'))],
    ['a missing CSV', () => openDelimited(join(dir, 'missing.csv')).then(drain)],
    ['a workbook cut short', xlsx(big().subarray(0, 300))],
    ['a workbook cut in its middle', xlsx(big().subarray(0, Math.floor(big().length / 2)))],
  ],
};

const HAN = /[\u4e00-\u9fff]/;

describe('file-level import errors in both languages', () => {
  const cases = Object.entries(CASES).flatMap(([problem, list]) =>
    list.map(([what, read]) => ({ problem, what, read })),
  );

  it.each(cases)('$problem: $what', async ({ problem, read }) => {
    const error = await failure(read);
    expect(error.details).toMatchObject({ problem });
    const message = error.localized;
    expect(message, error.message).not.toBeNull();
    if (!message) return;
    expect(message.key).toMatch(/^import_file\./);
    // The English is the error's own text (the CLI, logs), unchanged; the Chinese is Chinese, parameters filled.
    expect(renderMessage(message, 'en')).toBe(error.message);
    const zh = renderMessage(message, 'zh-CN');
    expect(zh).toMatch(HAN);
    expect(zh).not.toBe(error.message);
    expect(templateParams(zh).filter((name) => zh.includes(`{${name}}`))).toEqual([]);
  });

  it('renders a cut workbook with the reason inside in Chinese too', async () => {
    const error = await failure(xlsx(big().subarray(0, 300)));
    expect(error.message).toBe(
      'the workbook is damaged or incomplete (no end-of-archive record); open it in Excel or WPS and save it again as .xlsx, or save it as CSV',
    );
    expect(error.localized && renderMessage(error.localized, 'zh-CN')).toBe(
      '工作簿已损坏或不完整（缺少压缩包的结束记录）；请用 Excel 或 WPS 打开，重新另存为 .xlsx，或另存为 CSV',
    );
  });

  it('names the limits in Chinese', async () => {
    const texts = await failure(xlsx(big(), { maxSharedStrings: 10 }));
    expect(texts.localized && renderMessage(texts.localized, 'zh-CN')).toBe(
      '工作簿中的不同文本超过 10 条，超出了能安全读取的范围；请把工作表另存为 CSV（UTF-8）后导入',
    );
    const rows = await failure(xlsx(big(), { maxRows: 10 }));
    expect(rows.message).toBe('the sheet "客户" has more than 10 rows');
    expect(rows.localized && renderMessage(rows.localized, 'zh-CN')).toBe('工作表“客户”超过了 10 行');
  });
});
