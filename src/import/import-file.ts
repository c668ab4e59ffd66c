import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { type Message, msg } from '../domain/messages.ts';
import type { TextEncodingName } from './detect-encoding.ts';
import { applyUserMapping, autoMapHeaders, type ColumnMapping, type FieldKey } from './header-mapping.ts';
import { buildRowPlan, type PreparedBatch, prepareBatch } from './prepare-rows.ts';
import { type Delimiter, openDelimited } from './read-delimited.ts';
import { openXlsx } from './read-xlsx.ts';
import { importFileError, type ReadRow, type TabularFile } from './tabular-rows.ts';

/*
 * An import file as the import service sees it: CSV/TSV or .xlsx (told apart by the bytes, not the name),
 * its header and detected format, and its rows as prepared batches (see prepare-rows.ts). The same code runs
 * inline and inside the parse worker (parse-worker.ts).
 */

export type ImportFileKind = 'delimited' | 'xlsx';

/** What was detected when the file was opened; shown in the preview and kept on the job. */
export interface ImportFileInfo {
  kind: ImportFileKind;
  header: string[];
  headerLine: number;
  encoding: TextEncodingName | null;
  delimiter: Delimiter | null;
  sheet: string | null;
  sheets: string[];
  date1904: boolean;
  fileSize: number;
  /**
   * Columns ignored on import: the `line`, `reason` and `original` columns that Tierline appends to a rejected-rows
   * file (`line` and `reason` in files written before `original` existed), so that a fixed rejected-rows file
   * imports like the original.
   */
  ignoredColumns: number[];
}

export interface OpenImportFileOptions {
  sheet?: string;
  signal?: AbortSignal;
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

async function sniffKind(path: string): Promise<ImportFileKind> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw importFileError('unreadable', msg('import_file.cannot_read', { reason: error.message }), {
      cause: error.code,
    });
  });
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const starts = (magic: number[]) => bytesRead >= 4 && magic.every((b, i) => head[i] === b);
    return starts(XLSX_MAGIC) || starts(OLE_MAGIC) ? 'xlsx' : 'delimited';
  } finally {
    await handle.close();
  }
}

/** Counts the bytes that pass, for progress on large files. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

export interface OpenedImportFile {
  info: ImportFileInfo;
  /** The rows, raw. Can be iterated once. */
  file: TabularFile;
  /** Bytes of the file read so far (CSV; for Excel 0 until the end). */
  bytesRead(): number;
  close(): Promise<void>;
}

/**
 * The columns a rejected-rows file adds after the file's own (see rejectedRowsFrom in services/import-prospects.ts):
 * `line`, `reason` and, since rows that could not be split are kept whole, `original`.
 */
export const REJECTS_COLUMNS = ['line', 'reason', 'original'] as const;

function ignoredColumns(header: readonly string[]): number[] {
  const n = header.length;
  const at = (i: number) => header[i]?.trim();
  if (n >= 4 && at(n - 3) === 'line' && at(n - 2) === 'reason' && at(n - 1) === 'original')
    return [n - 3, n - 2, n - 1];
  // A rejected-rows file written before the `original` column existed.
  if (n >= 3 && at(n - 2) === 'line' && at(n - 1) === 'reason') return [n - 2, n - 1];
  return [];
}

/**
 * The `original` column of a rejected-rows file (the text of a row that could not be split into the columns), by
 * the file's ignored columns; undefined for any other file.
 */
export function originalColumnOf(header: readonly string[], ignored: readonly number[]): number | undefined {
  const last = ignored[ignored.length - 1];
  return ignored.length === 3 && last !== undefined && header[last]?.trim() === 'original' ? last : undefined;
}

/** Opens an import file and reads up to its header. */
export async function openImportFile(
  path: string,
  options: OpenImportFileOptions = {},
): Promise<OpenedImportFile> {
  const kind = await sniffKind(path);
  const { size } = await stat(path);
  if (kind === 'xlsx') {
    const xlsx = await openXlsx(path, {
      ...(options.sheet ? { sheet: options.sheet } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      info: {
        kind,
        header: [...xlsx.header],
        headerLine: xlsx.headerLine,
        encoding: null,
        delimiter: null,
        sheet: xlsx.sheetName,
        sheets: [...xlsx.sheetNames],
        date1904: xlsx.date1904,
        fileSize: size,
        ignoredColumns: ignoredColumns(xlsx.header),
      },
      file: xlsx,
      bytesRead: () => 0,
      close: () => xlsx.close(),
    };
  }
  if (options.sheet) {
    throw importFileError('sheet_not_found', msg('import_file.sheet_for_csv', { sheet: options.sheet }));
  }
  const counter = new ByteCounter();
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  source.on('error', (error) => counter.destroy(error));
  source.pipe(counter);
  const delimited = await openDelimited(counter, options.signal ? { signal: options.signal } : {});
  return {
    info: {
      kind,
      header: [...delimited.header],
      headerLine: delimited.headerLine,
      encoding: delimited.encoding,
      delimiter: delimited.delimiter,
      sheet: null,
      sheets: [],
      date1904: false,
      fileSize: size,
      ignoredColumns: ignoredColumns(delimited.header),
    },
    file: delimited,
    bytesRead: () => counter.bytes,
    close: async () => {
      source.destroy();
      await delimited.close();
    },
  };
}

/** A mapping as passed between threads and stored on the job: one entry per column. */
export interface MappingColumn {
  index: number;
  header: string;
  field: FieldKey | null;
  scale?: number;
  /** A money column's foreign currency, from its header (ISO code). */
  currency?: string;
  yearOnly?: boolean;
  source: 'auto' | 'user';
}

export interface ResolvedMapping {
  columns: MappingColumn[];
  /** Columns kept as custom fields because another column has their field, in English. */
  conflicts: string[];
  /** The same as catalog messages, for a reader's language (the preview). */
  conflictMessages: Message[];
}

/**
 * The automatic mapping with a user mapping (a ZColumnMapping object) over it. A remembered mapping may name
 * columns this file lacks: pass `lenient` to drop those entries instead of failing.
 */
export function resolveMapping(
  header: readonly string[],
  userMapping: Record<string, FieldKey | null> | null | undefined,
  options: { lenient?: boolean; ignored?: readonly number[] } = {},
): { ok: true; mapping: ResolvedMapping } | { ok: false; errors: string[]; messages: Message[] } {
  const auto = autoMapHeaders(header);
  let mapping: ColumnMapping = auto;
  if (userMapping && Object.keys(userMapping).length > 0) {
    let entries = userMapping;
    if (options.lenient) {
      const present = new Set(header);
      entries = Object.fromEntries(Object.entries(userMapping).filter(([key]) => present.has(key)));
    }
    const applied = applyUserMapping(auto, entries);
    if (!applied.ok) return applied;
    mapping = applied.mapping;
  }
  const ignored = new Set(options.ignored ?? []);
  const columns = mapping.columns
    .filter((c) => !ignored.has(c.index))
    .map(
      (c): MappingColumn => ({
        index: c.index,
        header: c.header,
        field: c.field,
        source: c.source,
        ...(c.scale !== undefined ? { scale: c.scale } : {}),
        ...(c.currency !== undefined ? { currency: c.currency } : {}),
        ...(c.yearOnly ? { yearOnly: true } : {}),
      }),
    );
  return {
    ok: true,
    mapping: {
      columns,
      conflicts: mapping.conflicts.map((c) => c.message),
      conflictMessages: mapping.conflicts.map((c) => c.localized),
    },
  };
}

/** The mapping as `{ header: field | null }`, the shape users write and sources remember. */
export function mappingObject(
  columns: readonly MappingColumn[],
  onlyUser = false,
): Record<string, FieldKey | null> {
  const out: Record<string, FieldKey | null> = {};
  for (const column of columns) if (!onlyUser || column.source === 'user') out[column.header] = column.field;
  return out;
}

export interface PrepareProgress {
  rowsRead: number;
  bytesRead: number;
  fileSize: number;
}

/** Reads the rest of an opened file as prepared batches. Closes the file at the end or on early exit. */
export async function* prepareBatches(
  opened: OpenedImportFile,
  columns: readonly MappingColumn[],
): AsyncGenerator<PreparedBatch & { progress: PrepareProgress }, void, undefined> {
  const plan = buildRowPlan(
    columns.map((c) => ({ ...c })),
    {
      date1904: opened.info.date1904,
      ignore: new Set(opened.info.ignoredColumns),
      original: originalColumnOf(opened.info.header, opened.info.ignoredColumns),
    },
  );
  let rowsRead = 0;
  try {
    for await (const rows of opened.file.batches()) {
      // Large reader batches are split so that one message stays small.
      for (let i = 0; i < rows.length; i += 4000) {
        const slice: ReadRow[] = i === 0 && rows.length <= 4000 ? rows : rows.slice(i, i + 4000);
        const batch = prepareBatch(slice, plan);
        rowsRead += batch.read;
        yield {
          ...batch,
          progress: { rowsRead, bytesRead: opened.bytesRead(), fileSize: opened.info.fileSize },
        };
      }
    }
  } finally {
    await opened.close();
  }
}
