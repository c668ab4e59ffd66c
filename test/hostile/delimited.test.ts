import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { decodeText, detectEncoding } from '../../src/import/detect-encoding.ts';
import { resolveMapping } from '../../src/import/import-file.ts';
import {
  buildRowPlan,
  type PreparedBatch,
  prepareBatch,
  S,
  unpackStagedRows,
} from '../../src/import/prepare-rows.ts';
import { openDelimited, type ReadDelimitedOptions } from '../../src/import/read-delimited.ts';
import { isErrorRow, type ReadRow } from '../../src/import/tabular-rows.ts';
import { csvRecord, neutralizeFormula, UTF8_BOM } from '../../src/services/export-format.ts';

// Hostile input for the CSV/TSV reader: what Tierline writes it reads back cell for cell; random bytes never
// crash it or hang it; bytes that are not text in the file's encoding (a damaged file, GBK rows pasted into a
// UTF-8 file) never slip into an account unnoticed: the row is rejected, or the cell warned about, by line.

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function readAll(bytes: Buffer, chunkSize = 64 * 1024, options: ReadDelimitedOptions = {}) {
  const file = await openDelimited(chunked(bytes, chunkSize), options);
  const rows: ReadRow[] = [];
  for await (const batch of file.batches()) rows.push(...batch);
  return { file, rows };
}

/** Rejects when `work` has not settled within `ms`: the reader must never hang on any input. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads and prepares a whole file as an import does (automatic mapping). */
async function prepareFile(
  bytes: Buffer,
): Promise<{ rows: ReadRow[]; batch: PreparedBatch; hadInvalidBytes: boolean }> {
  const { file, rows } = await readAll(bytes, 997);
  const resolved = resolveMapping(file.header, null);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return {
    rows,
    batch: prepareBatch(rows, buildRowPlan(resolved.mapping.columns)),
    hadInvalidBytes: (file as unknown as { hadInvalidBytes: boolean }).hadInvalidBytes,
  };
}

/** A record the reader skips as blank: it starts with whitespace (or nothing) and has no text in any field. */
const isBlank = (fields: readonly string[]) =>
  (fields[0] ?? '').charCodeAt(0) > 0x20 ? false : fields.every((f) => f.trim().length === 0);

const cellText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      '中',
      ',',
      '"',
      '""',
      '\n',
      '\r\n',
      '\r',
      ' ',
      '\t',
      ';',
      '=',
      '-',
      '+',
      '@',
      "'",
    ),
    maxLength: 8,
  }),
  fc.constantFrom('', '"', ',', '\r\n', '=SUM(A1)', '-5', '𠀀', '\u3000', ' 前后空格 '),
);

describe('the CSV reader on hostile input', () => {
  it('reads back what the export writer writes, cell for cell (quotes, line breaks, formulas neutralised)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }).chain((width) =>
          fc.record({
            header: fc.array(fc.stringMatching(/^[a-z中]{1,6}$/), { minLength: width, maxLength: width }),
            rows: fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { maxLength: 20 }),
          }),
        ),
        fc.integer({ min: 1, max: 300 }),
        async ({ header, rows }, chunkSize) => {
          // The reader skips records whose fields are all blank, by design.
          const written = rows.map((r) => r.map((cell) => neutralizeFormula(cell)));
          const text = UTF8_BOM + csvRecord(header) + rows.map((r) => csvRecord(r)).join('');
          const { file, rows: read } = await within(
            5000,
            readAll(Buffer.from(text, 'utf8'), chunkSize, { delimiter: ',' }),
          );
          expect(file.header).toEqual(header);
          expect(read.filter(isErrorRow)).toEqual([]);
          expect(read.map((r) => r.fields)).toEqual(written.filter((r) => !isBlank(r)));
          // Line numbers: the header is line 1; each record starts after the line breaks before it.
          let line = 2;
          const lines: number[] = [];
          for (const r of written) {
            if (!isBlank(r)) lines.push(line);
            line += 1 + r.join('').split('\n').length - 1;
          }
          expect(read.map((r) => r.line)).toEqual(lines);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never throws anything but a clear file error on random bytes, and never hangs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc
            .array(
              fc.constantFrom(
                0x22,
                0x2c,
                0x0a,
                0x0d,
                0x09,
                0x3b,
                0x7c,
                0x00,
                0xef,
                0xbb,
                0xbf,
                0xff,
                0xfe,
                0xc9,
                0xee,
                0x61,
                0x80,
              ),
              {
                maxLength: 3000,
              },
            )
            .map((bytes) => Uint8Array.from(bytes)),
        ),
        fc.integer({ min: 1, max: 512 }),
        async (bytes, chunkSize) => {
          try {
            const { file, rows } = await within(5000, readAll(Buffer.from(bytes), chunkSize));
            expect(file.stats.rows).toBe(rows.length);
            for (const row of rows) {
              expect(row.line).toBeGreaterThan(file.headerLine);
              if (isErrorRow(row)) expect(row.error.length).toBeGreaterThan(0);
            }
          } catch (error) {
            expect(isAppError(error), String(error)).toBe(true);
            expect((error as Error).message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('detects the encoding of any text written as UTF-8 (with or without BOM), UTF-16 with BOM or GB18030', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ',', '\n', '深', '圳', '华', '信', '科', '技', '有', '限', '公', '司'),
          minLength: 1,
          maxLength: 200,
        }),
        fc.constantFrom('utf8', 'utf8-bom', 'utf16le', 'utf16be', 'gb18030'),
        (text, encoding) => {
          const bytes =
            encoding === 'utf8'
              ? Buffer.from(text, 'utf8')
              : encoding === 'utf8-bom'
                ? Buffer.from(UTF8_BOM + text, 'utf8')
                : iconv.encode(text, encoding, { addBOM: encoding !== 'gb18030' });
          // Detection is a judgement on the bytes: 司 alone is CB BE in GBK, which is also valid UTF-8 (ʾ); text with
          // any other of these characters is told apart.
          fc.pre(encoding !== 'gb18030' || /[\u0080-\u53f7\u53f9-\uffff]/.test(text));
          expect(decodeText(bytes)).toBe(text);
          if (/[\u0080-\uffff]/.test(text)) {
            expect(detectEncoding(bytes)).toBe(encoding === 'utf8-bom' ? 'utf8' : encoding);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bytes that are not text

const HEADER = '企业名称,所属城市,联系电话,备注\r\n';
const NAMES = [
  '深圳市华信电子科技有限公司',
  '杭州西溪数据服务有限公司',
  '南京江宁精密机械有限公司',
  '苏州工业园区创新材料有限公司',
];

describe('malformed UTF-8 and mixed encodings', () => {
  it('rejects, by line, the rows of GBK pasted into a UTF-8 file, and imports the rest untouched', async () => {
    const parts: Buffer[] = [Buffer.from(HEADER, 'utf8')];
    const gbkLines = new Set([5, 17, 30]);
    const expectedNames = new Map<number, string>();
    for (let line = 2; line <= 40; line++) {
      const name = `${NAMES[line % NAMES.length]}${line}`;
      const record = `${name},深圳市,0755-8888${String(line).padStart(4, '0')},第${line}行\r\n`;
      if (gbkLines.has(line)) parts.push(iconv.encode(record, 'gbk'));
      else {
        parts.push(Buffer.from(record, 'utf8'));
        expectedNames.set(line, name);
      }
    }
    const { rows, batch, hadInvalidBytes } = await prepareFile(Buffer.concat(parts));
    expect(hadInvalidBytes).toBe(true);
    expect(rows).toHaveLength(39);
    const rejected = batch.issues.filter((i) => i.severity === 'error');
    expect(rejected.map((i) => i.line).sort((a, b) => a - b)).toEqual([...gbkLines]);
    for (const issue of rejected) {
      expect(issue.column).toBe('企业名称');
      expect(issue.reason).toMatch(/not valid text in the encoding.*mixes encodings/);
      expect(issue.raw).toBeDefined();
    }
    expect(batch.warnings).toBe(0);
    expect(new Map(unpackStagedRows(batch.rows).map((r) => [r[S.line], r[S.name]]))).toEqual(expectedNames);
  });

  it('warns, by line and column, about undecodable bytes in other cells and keeps the row', async () => {
    const text = Buffer.concat([
      Buffer.from(`${HEADER}${NAMES[0]},深圳市,0755-83451234,ok\r\n${NAMES[1]},`, 'utf8'),
      Buffer.from([0xc9, 0xee, 0xdb, 0xda]), // 深圳 in GBK: not UTF-8
      Buffer.from(`市,0755-83452345,好\r\n${NAMES[2]},南京市,025-52345678,备注`, 'utf8'),
      Buffer.from([0xff]),
      Buffer.from('\r\n', 'utf8'),
    ]);
    const { batch } = await prepareFile(text);
    expect(batch.rows.count).toBe(3);
    expect(batch.rejected).toBe(0);
    expect(batch.issues.map((i) => [i.line, i.column, i.severity])).toEqual([
      [3, '所属城市', 'warning'],
      [4, '备注', 'warning'],
    ]);
    expect(batch.warnings).toBe(2);
  });

  it('never accepts a row with undecodable bytes in its name, and every issue names a line of the file', async () => {
    const lines = NAMES.flatMap((name, i) =>
      Array.from({ length: 5 }, (_, k) => `${name}${i * 5 + k},城市${k},,备注${k}\r\n`),
    );
    const clean = Buffer.from(HEADER + lines.join(''), 'utf8');
    const headerBytes = Buffer.byteLength(HEADER, 'utf8');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: headerBytes, max: clean.length - 1 }),
            fc.integer({ min: 0x80, max: 0xff }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (damage) => {
          const bytes = Buffer.from(clean);
          for (const [at, byte] of damage) {
            // Leave the line structure and the delimiters alone: the damage is to the text.
            if (bytes[at] !== 0x0d && bytes[at] !== 0x0a && bytes[at] !== 0x2c) bytes[at] = byte;
          }
          const { rows, batch } = await within(5000, prepareFile(bytes));
          const recordLines = new Set(rows.map((r) => r.line));
          for (const issue of batch.issues) expect(recordLines.has(issue.line)).toBe(true);
          const accepted = unpackStagedRows(batch.rows);
          for (const staged of accepted) expect(staged[S.name]).not.toContain('\ufffd');
          for (const row of rows) {
            const garbledName = (row.fields[0] ?? '').includes('\ufffd');
            const rejected = !accepted.some((r) => r[S.line] === row.line);
            if (garbledName) expect(rejected).toBe(true);
            for (let column = 1; column < row.fields.length; column++) {
              if ((row.fields[column] ?? '').includes('\ufffd') && !rejected) {
                expect(batch.issues.some((i) => i.line === row.line && i.severity === 'warning')).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
