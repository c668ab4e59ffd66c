import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { openImportFile } from '../../src/import/import-file.ts';
import { openXlsx, type ReadXlsxOptions } from '../../src/import/read-xlsx.ts';
import { buildXlsx, inline, row, s } from '../fixtures/build-xlsx.ts';

// Zip bombs and oversized parts in .xlsx uploads: a clear rejection (payload_too_large, details.problem
// file_too_large or shared_strings_too_large) before memory runs out, whether the file declares its sizes
// honestly or lies about them.

const dir = mkdtempSync(join(tmpdir(), 'tierline-xlsx-bomb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const tempFile = (bytes: Buffer) => {
  const path = join(dir, `bomb-${count++}.xlsx`);
  writeFileSync(path, bytes);
  return path;
};

/** Rewrites the uncompressed size that the zip's central directory (and local header) declare for `name`. */
function declareSize(book: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(book);
  const nameBytes = Buffer.from(name, 'utf8');
  let patched = 0;
  for (let at = out.indexOf(nameBytes); at !== -1; at = out.indexOf(nameBytes, at + 1)) {
    if (at >= 46 && out.readUInt32LE(at - 46) === 0x02014b50) {
      out.writeUInt32LE(size, at - 46 + 24);
      patched++;
    } else if (at >= 30 && out.readUInt32LE(at - 30) === 0x04034b50) {
      out.writeUInt32LE(size, at - 30 + 22);
      patched++;
    }
  }
  if (patched !== 2) throw new Error(`${name}: patched ${patched} headers`);
  return out;
}

/** A workbook whose sheet XML is `megabytes` MB of rows of one repeated cell (deflates ~1000:1). */
function bigSheetBook(megabytes: number): Buffer {
  const unit = row(2, [s('A2', 1)]);
  const rows = unit.repeat(Math.ceil((megabytes * 1024 * 1024) / unit.length));
  return buildXlsx({
    sharedStrings: ['企业名称', '深圳市华信电子科技有限公司'],
    sheets: [{ name: 'S', sheetData: row(1, [s('A1', 0)]) + rows }],
  });
}

/** The refusal itself; a reader that inflated the whole bomb instead would run into the test's timeout. */
async function failure(path: string, options: ReadXlsxOptions = {}): Promise<unknown> {
  try {
    const file = await openXlsx(path, options);
    for await (const _batch of file.batches()) {
      // read everything
    }
  } catch (error) {
    return error;
  }
  throw new Error('expected the workbook to be refused');
}

describe('xlsx zip bombs', () => {
  it('refuses a sheet that unpacks to far more than its directory entry declares, without inflating it', async () => {
    const honest = bigSheetBook(48);
    expect(honest.length).toBeLessThan(1024 * 1024);
    const bomb = tempFile(declareSize(honest, 'xl/worksheets/sheet1.xml', 4096));
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await failure(bomb);
    expect(error).toMatchObject({
      code: 'payload_too_large',
      details: { problem: 'file_too_large', part: 'xl/worksheets/sheet1.xml' },
    });
    expect((error as Error).message).toMatch(/unpacks to more than the 4,096 bytes.*zip bomb/);
    // Stopped after the first inflated chunk: nowhere near the 48 MB of XML.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);
  });

  it('refuses one giant cell hidden behind a small declared size, in the sheet or in the shared strings', async () => {
    const giant = 'A'.repeat(32 * 1024 * 1024);
    const inSheet = buildXlsx({
      sheets: [{ name: 'S', sheetData: row(1, [inline('A1', 'name')]) + row(2, [inline('A2', giant)]) }],
    });
    expect(await failure(tempFile(declareSize(inSheet, 'xl/worksheets/sheet1.xml', 2000)))).toMatchObject({
      details: { problem: 'file_too_large', part: 'xl/worksheets/sheet1.xml' },
    });
    const inStrings = buildXlsx({
      sharedStrings: ['name', giant],
      sheets: [{ name: 'S', sheetData: row(1, [s('A1', 0)]) + row(2, [s('A2', 1)]) }],
    });
    expect(await failure(tempFile(declareSize(inStrings, 'xl/sharedStrings.xml', 2000)))).toMatchObject({
      details: { problem: 'file_too_large', part: 'xl/sharedStrings.xml' },
    });
  });

  it('refuses parts that declare more than the limit before inflating anything (the import defaults: 1 GiB)', async () => {
    const book = bigSheetBook(1);
    for (const part of ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']) {
      const path = tempFile(declareSize(book, part, 1024 * 1024 * 1024 + 1));
      let error: unknown;
      try {
        await openImportFile(path);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({
        code: 'payload_too_large',
        details: { problem: 'file_too_large', part },
      });
      expect((error as Error).message).toMatch(/unpacks to 1,073,741,825 bytes.*save the sheet as CSV/);
    }
  });

  it('refuses a sheet that honestly unpacks past a configured limit, and a huge text table', async () => {
    const path = tempFile(bigSheetBook(8));
    expect(await failure(path, { maxUncompressedBytes: 4 * 1024 * 1024 })).toMatchObject({
      details: { problem: 'file_too_large' },
    });
    const strings = Array.from({ length: 20_000 }, (_, i) => `公司${i}`);
    const manyStrings = tempFile(
      buildXlsx({
        sharedStrings: ['name', ...strings],
        sheets: [{ name: 'S', sheetData: row(1, [s('A1', 0)]) }],
      }),
    );
    const error = await failure(manyStrings, { maxSharedStrings: 10_000 });
    expect(error).toMatchObject({
      code: 'payload_too_large',
      details: { problem: 'shared_strings_too_large' },
    });
    expect((error as Error).message).toMatch(/more than 10,000 distinct texts.*save the sheet as CSV/);
  });

  it('on any lie about the declared sizes, either reads the real rows or refuses the file clearly', async () => {
    const book = buildXlsx({
      sharedStrings: ['企业名称', '深圳市华信电子科技有限公司', '南京江宁精密机械有限公司'],
      sheets: [{ name: 'S', sheetData: row(1, [s('A1', 0)]) + row(2, [s('A2', 1)]) + row(3, [s('A3', 2)]) }],
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'xl/worksheets/sheet1.xml',
          'xl/sharedStrings.xml',
          'xl/workbook.xml',
          'xl/styles.xml',
        ),
        fc.integer({ min: 0, max: 2 ** 32 - 2 }),
        async (part, size) => {
          const path = tempFile(declareSize(book, part, size));
          try {
            const file = await openXlsx(path);
            const names: string[] = [];
            for await (const batch of file.batches()) for (const r of batch) names.push(r.fields[0] ?? '');
            expect(names).toEqual(['深圳市华信电子科技有限公司', '南京江宁精密机械有限公司']);
          } catch (error) {
            expect(isAppError(error), String(error)).toBe(true);
            expect((error as Error).message.length).toBeGreaterThan(20);
          } finally {
            rmSync(path, { force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
