import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';

// Safe spreadsheet exports, for every export in the product (accounts, plans, agenda, analytics).
// A text cell beginning with =, +, -, @, tab or carriage return would run as a formula when a spreadsheet
// opens the file (CSV injection, OWASP); such cells get a leading single quote, which spreadsheets show as
// text and do not evaluate. Numbers are written as numbers and left alone (a number is never a formula).

export type Cell = string | number | boolean | Date | null | undefined;

export interface ExportColumn<T> {
  /** Stable key (also the XLSX column key). */
  key: string;
  header: string;
  value: (row: T) => Cell;
  /** XLSX column width in characters. */
  width?: number;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to text a spreadsheet would take for a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return neutralizeFormula(cell);
}

/** One CSV field per RFC 4180: quoted (inner quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(cell: Cell): string {
  const text = cellText(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The UTF-8 byte order mark: without it Excel reads a UTF-8 CSV as the local code page (GBK) and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

/** CSV text in pieces (BOM, header, then one piece per batch of rows), for streaming to a response or a file. */
export async function* csvChunks<T>(
  columns: readonly ExportColumn<T>[],
  batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
): AsyncGenerator<string> {
  yield UTF8_BOM + csvRecord(columns.map((c) => c.header));
  for await (const batch of batches) {
    let chunk = '';
    for (const row of batch) chunk += csvRecord(columns.map((c) => c.value(row)));
    if (chunk) yield chunk;
  }
}

function xlsxValue(cell: Cell): ExcelJS.CellValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'boolean' || cell instanceof Date) return cell;
  return neutralizeFormula(cell);
}

/**
 * Writes an .xlsx workbook with one sheet to `output` row by row (exceljs's streaming writer), so a large
 * export never sits in memory. Text is always a string cell, never a formula, and neutralised as for CSV.
 */
export async function writeXlsx<T>(
  output: Writable,
  columns: readonly ExportColumn<T>[],
  batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  sheetName = 'Sheet1',
): Promise<void> {
  // exceljs takes ~0.5 s to load: only an .xlsx export pays for it, not every process that can export.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  for await (const batch of batches) {
    for (const row of batch) {
      sheet.addRow(columns.map((c) => xlsxValue(c.value(row)))).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}
