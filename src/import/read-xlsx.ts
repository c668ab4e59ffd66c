import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import { isAppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type ErrorRow,
  importFileError,
  type ReadRow,
  type TabularFile,
  type TabularStats,
} from './tabular-rows.ts';
import { excelSerialToDateTime } from './value-parsers.ts';
import {
  createPackageStream,
  type PackagePart,
  readWorkbookInfo,
  readZipDirectory,
  type SheetInfo,
} from './xlsx-package.ts';

/*
 * Streaming .xlsx reader on exceljs's WorkbookReader. Rows come out in the same shape as the
 * CSV reader's: `line` is the Excel row number, `fields` are strings the value parsers accept.
 *
 * Cell → string:
 * - dates (number cells with a date format, including the Chinese built-in formats 27-36 and
 *   50-58 that exceljs does not know) → YYYY-MM-DD, or "YYYY-MM-DD HH:mm:ss" when there is a
 *   time of day, or HH:mm:ss for a time alone; the workbook's 1904 date system is honoured and
 *   Excel's 1900 leap-year bug is corrected (serials before 1900-03-01);
 * - numbers → plain decimal strings, rounded to Excel's 15 significant digits, never with an
 *   exponent (1e21 → "1000000000000000000000");
 * - rich text → its text; hyperlinks → the displayed text (the link target is not read:
 *   streaming sees it only after the rows); formulas → their cached result (empty when the
 *   file has none); errors → their code (#N/A); booleans → TRUE / FALSE;
 * - merged cells → the value in the top-left cell, the other cells empty.
 *
 * Sheet: the named one (`sheet`), else the first visible sheet, in tab order, that has a
 * non-empty row. The zip is read through its central directory (see xlsx-package.ts), so the
 * sheets are streamed in tab order whatever order the file stores them in, and exceljs never
 * falls back to temporary files. A stream input is first copied to a temporary file (the zip
 * directory sits at the end of the archive); the copy is removed on close.
 *
 * Guarded (clear AppError, details.problem): compressed size (maxInputBytes), the declared
 * uncompressed size of the sheet and text-table parts (maxUncompressedBytes, checked before
 * anything is inflated), the text table (maxSharedStrings entries, maxSharedStringChars
 * characters: it is held in memory), rows in the sheet (maxRows), a legacy .xls, an encrypted
 * or non-zip file, cancellation through `signal`. A zip that lies about its uncompressed sizes
 * (a zip bomb) is stopped as soon as a part inflates past its declared size (xlsx-package.ts),
 * so no part ever unpacks to more than maxUncompressedBytes.
 */

export interface ReadXlsxOptions {
  /** Sheet name; exact, else case-insensitive. Default: the first visible sheet with data. */
  readonly sheet?: string;
  /** Row number of the header when it is not the first non-empty row (a title row above it). */
  readonly headerLine?: number;
  /** Size of the .xlsx file. Default 200 MiB. */
  readonly maxInputBytes?: number;
  /** Declared uncompressed size of the sheet XML or the text table. Default 1 GiB. */
  readonly maxUncompressedBytes?: number;
  /** Rows in the chosen sheet, empty rows included. Default 1,048,576 (Excel's own limit). */
  readonly maxRows?: number;
  /** Default 5,000,000. */
  readonly maxSharedStrings?: number;
  /** Total characters in the shared-strings table. Default 100,000,000. */
  readonly maxSharedStringChars?: number;
  /** Rows per batch. Default 2000. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface XlsxFile extends TabularFile {
  /** The sheet being read. */
  readonly sheetName: string;
  /** All sheet names in tab order. */
  readonly sheetNames: readonly string[];
  readonly date1904: boolean;
}

const DEFAULT_MAX_INPUT_BYTES = 200 * 1024 * 1024;
const DEFAULT_MAX_ROWS = 1_048_576;
const DEFAULT_MAX_SHARED_STRINGS = 5_000_000;
const DEFAULT_MAX_SHARED_STRING_CHARS = 100_000_000;

/** Opens an .xlsx (path or byte stream), picks the sheet and reads up to its header. */
export async function openXlsx(input: string | Readable, options: ReadXlsxOptions = {}): Promise<XlsxFile> {
  const reader = new XlsxReader(input, options);
  await reader.start();
  return reader;
}

// ---------------------------------------------------------------------------------------------
// Cell values

/** A number as a plain decimal string: 15 significant digits like Excel, no exponent. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const text = String(Number(value.toPrecision(15)));
  return text.includes('e') ? expandExponent(text) : text;
}

function expandExponent(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const sign = match[1] ?? '';
  const digits = (match[2] ?? '') + (match[3] ?? '');
  const point = 1 + Number(match[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign + digits.slice(0, point)}.${digits.slice(point)}`;
}

const FORMAT_LITERALS = /"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g;

/** Whether an Excel number format shows a date or time. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format.replace(FORMAT_LITERALS, '');
  if (/^general$/i.test(bare.trim())) return false;
  return /[ymdhs]/i.test(bare);
}

function isTimeOnlyFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format.replace(FORMAT_LITERALS, '');
  return !/[yd]/i.test(bare) && /[hs]/i.test(bare);
}

function serialText(serial: number, date1904: boolean, format: string | undefined): string {
  const converted = excelSerialToDateTime(serial, date1904);
  if (!converted) return plainNumber(serial);
  if (serial < 1 && isTimeOnlyFormat(format)) return converted.time;
  return converted.hasTime ? `${converted.date} ${converted.time}` : converted.date;
}

/**
 * exceljs turns date cells into Dates with (serial − 25569) days, +1462 when it thinks the
 * workbook uses the 1904 system; undo that with its own flag, then convert with the true one.
 */
function dateText(date: Date, context: CellContext, format: string | undefined): string {
  const serial = date.getTime() / 86_400_000 + 25569 - (context.exceljsDate1904 ? 1462 : 0);
  return serialText(serial, context.date1904, format);
}

interface CellContext {
  readonly date1904: boolean;
  /** What exceljs believes (it reads only date1904="1", not "true"). */
  readonly exceljsDate1904: boolean;
  readonly sharedStrings: readonly string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function richTextOf(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.richText)) return undefined;
  let text = '';
  for (const run of value.richText) if (isObject(run) && typeof run.text === 'string') text += run.text;
  return text;
}

function valueText(value: unknown, format: string | undefined, context: CellContext): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    return isDateFormat(format) ? serialText(value, context.date1904, format) : plainNumber(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, context, format);
  if (!isObject(value)) return '';
  // exceljs leaves { sharedString: n } when it has no text table at hand.
  if (typeof value.sharedString === 'number') return context.sharedStrings[value.sharedString] ?? '';
  const rich = richTextOf(value);
  if (rich !== undefined) return rich;
  if ('formula' in value || 'sharedFormula' in value) return valueText(value.result, format, context);
  if (typeof value.error === 'string') return value.error;
  if ('text' in value) return valueText(value.text, format, context);
  return '';
}

// ---------------------------------------------------------------------------------------------
// exceljs internals this reader relies on (exceljs 4.4, pinned)

interface RowEvent {
  readonly eventType: string;
  readonly value: unknown;
}

interface SheetReaderInternals {
  parse(): AsyncIterator<RowEvent[]>;
}

interface StyleInternals {
  model?: { styles?: Array<{ numFmtId?: number } | undefined> };
  index?: { numFmt?: Record<number, string> };
}

interface WorkbookInternals {
  /** Preset to our own array: exceljs then streams sheets directly instead of via temporary files. */
  sharedStrings?: string[];
  readonly styles?: StyleInternals;
  parse(): AsyncIterator<unknown>;
}

// Built-in number formats 27-36 and 50-58 are locale-specific (Chinese: 2020年1月5日, 10时30分);
// exceljs knows them only by a per-locale table it does not apply, so they read as plain numbers.
const CJK_BUILTIN_DATE_FORMATS: Readonly<Record<number, string>> = {
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: 'AM/PM h"时"mm"分"',
  35: 'AM/PM h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: 'AM/PM h"时"mm"分"',
  56: 'AM/PM h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

function patchBuiltinDateFormats(styles: StyleInternals | undefined): void {
  const xfs = styles?.model?.styles;
  const numFmt = styles?.index?.numFmt;
  if (!xfs || !numFmt) return;
  for (const xf of xfs) {
    const id = xf?.numFmtId;
    if (id !== undefined && numFmt[id] === undefined) {
      const format = CJK_BUILTIN_DATE_FORMATS[id];
      if (format) numFmt[id] = format;
    }
  }
}

function isSharedStringEvent(event: unknown): event is { index: number; text: unknown } {
  return isObject(event) && typeof event.index === 'number' && 'text' in event && !('eventType' in event);
}

function isWorksheetEvent(event: unknown): event is { eventType: 'worksheet'; value: SheetReaderInternals } {
  return isObject(event) && event.eventType === 'worksheet' && isObject(event.value);
}

function isRow(value: unknown): value is ExcelJS.Row {
  return isObject(value) && typeof value.number === 'number' && typeof value.eachCell === 'function';
}

function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Input: a file path, or a stream spooled to a temporary file (the zip directory is at the end)

async function spoolToTempFile(
  input: Readable,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tierline-xlsx-'));
  const path = join(dir, 'upload.xlsx');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(input, counter, createWriteStream(path), signal ? { signal } : {});
    return path;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (signal?.aborted) throw cancelled();
    if (isAppError(error)) throw error;
    throw importFileError(
      'unreadable',
      msg('import_file.upload_unreadable', { reason: (error as Error).message }),
    );
  }
}

const tooLarge = (maxBytes: number) =>
  importFileError(
    'file_too_large',
    msg('import_file.workbook_too_large', { max: maxBytes.toLocaleString('en-US') }),
  );
const cancelled = () => importFileError('aborted', msg('import_file.cancelled_workbook'));

async function checkFileType(handle: FileHandle, size: number): Promise<void> {
  if (size === 0) throw importFileError('empty_file', msg('import_file.workbook_empty'));
  const head = Buffer.alloc(4);
  await handle.read(head, 0, 4, 0);
  if (head[0] === 0x50 && head[1] === 0x4b) return; // "PK": a zip archive
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw importFileError('legacy_xls', msg('import_file.legacy_xls'));
  }
  throw importFileError('not_xlsx', msg('import_file.not_zip'));
}

// ---------------------------------------------------------------------------------------------

const DEFAULT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;
const HIDDEN = new Set(['hidden', 'veryHidden']);

class XlsxReader implements XlsxFile {
  header: string[] = [];
  headerLine = 0;
  sheetName = '';
  sheetNames: string[] = [];
  date1904 = false;

  private readonly options: ReadXlsxOptions;
  private readonly input: string | Readable;
  private generator: AsyncGenerator<ReadRow[], void, undefined> | undefined;
  private handle: FileHandle | undefined;
  private tempPath: string | undefined;
  private packageStream: Readable | undefined;
  private releaseStream: () => void = () => {};
  private exceljsDate1904 = false;
  private stopReason: Error | null = null;
  private stopWaiters: Array<(error: Error) => void> = [];
  private counts = { rows: 0, errorRows: 0, blankLines: 0 };
  private iterated = false;
  private closed = false;
  private readonly onAbort = (): void => {
    this.stop(cancelled());
  };

  constructor(input: string | Readable, options: ReadXlsxOptions) {
    this.input = input;
    this.options = options;
    if (options.signal?.aborted) this.onAbort();
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get stats(): TabularStats {
    return { ...this.counts };
  }

  async start(): Promise<void> {
    try {
      this.generator = this.produce(await this.openPackage());
      const first = await this.generator.next();
      if (first.done) throw importFileError('no_data', msg('import_file.no_sheet_with_data'));
    } catch (error) {
      await this.close();
      throw this.stopReason && !isAppError(error) ? this.stopReason : error;
    }
  }

  async *batches(): AsyncGenerator<ReadRow[], void, undefined> {
    if (this.iterated) throw new Error('the rows of a workbook can be read only once');
    this.iterated = true;
    try {
      for (;;) {
        if (!this.generator) return;
        const next = await this.generator.next();
        if (next.done) return;
        if (next.value.length > 0) yield next.value;
      }
    } finally {
      await this.close();
    }
  }

  async *rows(): AsyncGenerator<ReadRow, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.stop(new Error('closed'));
    this.releaseStream();
    this.packageStream?.destroy();
    if (typeof this.input !== 'string') this.input.destroy();
    await this.handle?.close().catch(() => {});
    if (this.tempPath) await rm(dirname(this.tempPath), { recursive: true, force: true }).catch(() => {});
  }

  /** Stops the read: pending awaits on exceljs reject with `error`. */
  private stop(error: Error): void {
    if (this.stopReason) return;
    this.stopReason = error;
    for (const waiter of this.stopWaiters) waiter(error);
    this.stopWaiters = [];
  }

  /** Awaits a step, unless the read is stopped first (exceljs cannot be cancelled). */
  private async step<T>(work: Promise<T>): Promise<T> {
    // If the stop wins the race, the abandoned work may still fail (its file closed): not an error.
    work.catch(() => {});
    if (this.stopReason) throw this.stopReason;
    let onStop: ((error: Error) => void) | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      onStop = reject;
      this.stopWaiters.push(reject);
    });
    try {
      return await Promise.race([work, stopped]);
    } finally {
      this.stopWaiters = this.stopWaiters.filter((waiter) => waiter !== onStop);
    }
  }

  /** Opens the zip, reads the workbook part and decides which sheets to stream. */
  private async openPackage(): Promise<{
    workbook: WorkbookInternals;
    sheets: readonly SheetInfo[];
    named: boolean;
  }> {
    const maxInput = this.options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
    let path: string;
    if (typeof this.input === 'string') {
      path = this.input;
    } else {
      this.tempPath = await this.step(spoolToTempFile(this.input, maxInput, this.options.signal));
      path = this.tempPath;
    }
    try {
      this.handle = await open(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      throw importFileError(
        'unreadable',
        msg('import_file.cannot_read', { reason: (error as Error).message }),
        {
          cause: code,
        },
      );
    }
    const size = (await this.handle.stat()).size;
    if (size > maxInput) throw tooLarge(maxInput);
    await checkFileType(this.handle, size);
    const entries = await this.step(readZipDirectory(this.handle, size));
    const info = await this.step(readWorkbookInfo(this.handle, entries));
    this.sheetNames = info.sheets.map((sheet) => sheet.name);
    this.date1904 = info.date1904;
    this.exceljsDate1904 = info.exceljsDate1904;

    const wanted = this.options.sheet;
    let sheets: SheetInfo[];
    if (wanted !== undefined) {
      const folded = wanted.trim().toLowerCase();
      const sheet =
        info.sheets.find((s) => s.name === wanted) ??
        info.sheets.find((s) => s.name.trim().toLowerCase() === folded);
      if (!sheet) {
        throw importFileError(
          'sheet_not_found',
          msg('import_file.sheet_not_found', {
            sheet: wanted,
            sheets: {
              en: this.sheetNames.map((n) => `"${n}"`).join(', '),
              'zh-CN': this.sheetNames.map((n) => `“${n}”`).join('、'),
            },
          }),
          { sheets: this.sheetNames },
        );
      }
      sheets = [sheet];
    } else {
      sheets = info.sheets.filter((sheet) => !HIDDEN.has(sheet.state));
    }
    const missing = sheets.find((sheet) => !sheet.part);
    if (missing) {
      throw importFileError('unreadable', msg('import_file.sheet_contents_missing', { sheet: missing.name }));
    }
    const maxPart = this.options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
    for (const part of [info.sharedStrings, ...sheets.map((s) => s.part)]) {
      if (part && part.size > maxPart) {
        throw importFileError(
          'file_too_large',
          msg('import_file.part_too_large', {
            part: part.name,
            size: part.size.toLocaleString('en-US'),
            max: maxPart.toLocaleString('en-US'),
          }),
          { part: part.name },
        );
      }
    }

    const parts: PackagePart[] = [
      { entry: info.relationships, as: 'xl/_rels/workbook.xml.rels' },
      { entry: info.workbook, as: 'xl/workbook.xml' },
    ];
    if (info.styles) parts.push({ entry: info.styles, as: 'xl/styles.xml' });
    if (info.sharedStrings) parts.push({ entry: info.sharedStrings, as: 'xl/sharedStrings.xml' });
    sheets.forEach((sheet, i) => {
      if (sheet.part) parts.push({ entry: sheet.part, as: `xl/worksheets/sheet${i + 1}.xml` });
    });
    const released = new Promise<void>((resolve) => {
      this.releaseStream = resolve;
    });
    this.packageStream = createPackageStream(path, this.handle, parts, released);
    this.packageStream.on('error', (error) =>
      this.stop(
        isAppError(error)
          ? error
          : importFileError('unreadable', msg('import_file.workbook_unreadable', { reason: error.message })),
      ),
    );
    // Loaded on first use: a CSV import (and the parse worker reading one) does without its ~4 MB of modules.
    const { default: excel } = await import('exceljs');
    const workbook = new excel.stream.xlsx.WorkbookReader(this.packageStream, {
      sharedStrings: 'emit',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    }) as unknown as WorkbookInternals;
    workbook.sharedStrings = [];
    return { workbook, sheets, named: wanted !== undefined };
  }

  private async *produce(pkg: {
    workbook: WorkbookInternals;
    sheets: readonly SheetInfo[];
    named: boolean;
  }): AsyncGenerator<ReadRow[], void, undefined> {
    const { workbook, sheets, named } = pkg;
    const sharedStrings = workbook.sharedStrings ?? [];
    const maxStrings = this.options.maxSharedStrings ?? DEFAULT_MAX_SHARED_STRINGS;
    const maxChars = this.options.maxSharedStringChars ?? DEFAULT_MAX_SHARED_STRING_CHARS;
    let sharedChars = 0;
    let sheetIndex = 0;
    const events = workbook.parse();
    try {
      while (sheetIndex < sheets.length) {
        const next = await this.step(events.next());
        if (next.done) break;
        const event = next.value;
        if (isSharedStringEvent(event)) {
          const text = typeof event.text === 'string' ? event.text : (richTextOf(event.text) ?? '');
          sharedStrings[event.index] = text;
          sharedChars += text.length;
          if (sharedStrings.length > maxStrings || sharedChars > maxChars) {
            const limit =
              sharedStrings.length > maxStrings
                ? msg('import_file.limit_texts', { count: maxStrings.toLocaleString('en-US') })
                : msg('import_file.limit_chars', { count: maxChars.toLocaleString('en-US') });
            throw importFileError(
              'shared_strings_too_large',
              msg('import_file.shared_strings_too_large', { limit }),
            );
          }
          continue;
        }
        if (!isWorksheetEvent(event)) continue;
        const sheet = sheets[sheetIndex++];
        if (!sheet) break;
        patchBuiltinDateFormats(workbook.styles);
        const context: CellContext = {
          date1904: this.date1904,
          exceljsDate1904: this.exceljsDate1904,
          sharedStrings,
        };
        if (yield* this.readSheet(event.value, sheet.name, context)) return;
      }
    } finally {
      // exceljs's generator cannot be interrupted mid-step; ask it to finish without waiting.
      events.return?.(undefined).catch(() => {});
    }
    if (sheetIndex < sheets.length) {
      throw importFileError('unreadable', msg('import_file.workbook_incomplete'));
    }
    if (named)
      throw importFileError('no_data', msg('import_file.sheet_empty', { sheet: sheets[0]?.name ?? '' }));
    throw importFileError('no_data', msg('import_file.no_visible_sheet_with_data'));
  }

  /** Dense string fields of a row, trailing empty cells dropped. */
  private rowFields(row: ExcelJS.Row, context: CellContext): string[] {
    const fields: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const text = valueText(cell.value, cell.numFmt, context);
      if (text.length === 0) return;
      while (fields.length < column - 1) fields.push('');
      fields[column - 1] = text;
    });
    return fields;
  }

  /**
   * Streams one sheet: the first yield (an empty batch) marks the header, then row batches.
   * Returns false when the sheet has no data (and nothing was yielded).
   */
  private async *readSheet(
    sheet: SheetReaderInternals,
    name: string,
    context: CellContext,
  ): AsyncGenerator<ReadRow[], boolean, undefined> {
    const maxRows = this.options.maxRows ?? DEFAULT_MAX_ROWS;
    const batchSize = Math.max(1, this.options.batchSize ?? 2000);
    const headerAt = this.options.headerLine ?? 0;
    const rows = sheet.parse();
    let rowCount = 0;
    let batch: ReadRow[] = [];
    let headerSeen = false;
    try {
      for (;;) {
        const next = await this.step(rows.next());
        if (next.done) break;
        for (const event of next.value) {
          if (event.eventType !== 'row' || !isRow(event.value)) continue;
          const row = event.value;
          rowCount++;
          if (rowCount > maxRows) {
            throw importFileError(
              'too_many_rows',
              msg('import_file.too_many_rows', { sheet: name, max: maxRows.toLocaleString('en-US') }),
              {
                line: row.number,
              },
            );
          }
          const fields = this.rowFields(row, context);
          if (fields.length === 0 || (!headerSeen && row.number < headerAt)) {
            this.counts.blankLines++;
            continue;
          }
          if (!headerSeen) {
            headerSeen = true;
            this.header = fields;
            this.headerLine = row.number;
            this.sheetName = name;
            yield [];
            continue;
          }
          batch.push(this.toRecord(row.number, fields));
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
    } finally {
      rows.return?.(undefined).catch(() => {});
    }
    if (!headerSeen) return false;
    if (batch.length > 0) yield batch;
    return true;
  }

  private toRecord(line: number, fields: string[]): ReadRow {
    const width = this.header.length;
    this.counts.rows++;
    if (fields.length > width) {
      const stray = fields.findIndex((text, i) => i >= width && text.length > 0);
      const column = columnLetters(stray + 1);
      this.counts.errorRows++;
      return {
        line,
        fields,
        error: `cell ${column}${line} has a value but column ${column} has no header (the header ends at column ${columnLetters(width)}); add a header or clear the cell`,
      } satisfies ErrorRow;
    }
    while (fields.length < width) fields.push('');
    return { line, fields };
  }
}
