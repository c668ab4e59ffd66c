import { createHash, type Hash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../domain/errors.ts';
import {
  type TExportManifest,
  type TExportTable,
  WORKSPACE_EXPORT_FORMAT,
  WORKSPACE_EXPORT_VERSION,
  ZExportManifest,
} from '../schemas/workspace-export.ts';
import { type BulkConnection, openPostgresBulk, openSqliteBulk } from '../storage/bulk-connection.ts';
import type { Db, DialectName } from '../storage/database.ts';
import {
  bulkHasRows,
  openSnapshotReader,
  quoteId,
  type RawRow,
  tablesWithData,
} from '../storage/table-io.ts';
import {
  type ColumnInfo,
  type TableInfo,
  type WorkspaceSchema,
  workspaceSchema,
} from '../storage/workspace-schema.ts';

/*
 * `tierline export-all` / `tierline import-all`: a whole workspace as one JSON Lines file per table plus a
 * manifest (format version, migrations, per-table columns, row counts, sizes and SHA-256), readable by either
 * database. Tables, columns and their order come from the migrations (storage/workspace-schema.ts).
 *
 * Values in the files, per column kind:
 *   text    → JSON string                 integer → JSON number; beyond ±2^53 a string of digits
 *   real    → JSON number; "NaN", "Infinity", "-Infinity", "-0" as strings
 *   boolean → true/false                  blob    → {"$base64": "…"}          NULL → null
 * Dates, timestamps and JSON documents are text in both databases (see ARCHITECTURE.md), so they travel as the
 * exact strings stored. Rows are in primary-key order by bytes, so the same workspace exports to the same files
 * from SQLite and from PostgreSQL.
 */

export const MANIFEST_FILE = 'manifest.json';
const BATCH_ROWS = 5000;
const CHUNK_CHARS = 1 << 16;

export interface ExportResult {
  dir: string;
  tables: number;
  rows: number;
  bytes: number;
  manifest: TExportManifest;
}

export interface ImportResult {
  dir: string;
  tables: number;
  rows: number;
  /** What the target held before: only what its migrations seed (the default playbook), now replaced. */
  replacedSeed: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Values

type JsonValue = string | number | boolean | null | { $base64: string };

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function integerJson(value: bigint): number | string {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}

function encodeValue(table: TableInfo, column: ColumnInfo, value: unknown, row: number): JsonValue {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'text':
      if (typeof value === 'string') return value;
      break;
    case 'integer':
      if (typeof value === 'bigint') return integerJson(value);
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return integerJson(BigInt(value));
      break;
    case 'real':
      if (typeof value === 'bigint') return integerJson(value);
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return String(value);
        return Object.is(value, -0) ? '-0' : value;
      }
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 0n) return false;
      if (value === 1 || value === 1n) return true;
      break;
    case 'blob':
      if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
      break;
  }
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  throw new AppError(
    'unprocessable',
    `${table.name} row ${row}, column ${column.name}: the value ${shown} (${typeof value}) does not fit its ` +
      `${column.declared} column, so it cannot be exported exactly. Correct that row and export again.`,
  );
}

class RowError extends Error {}

/** A JSON value from the file → what the target's bulk path binds (SQLite) or writes to COPY (PostgreSQL). */
function decodeValue(column: ColumnInfo, value: unknown, dialect: DialectName): unknown {
  if (value === null) return null;
  const fail = (): never => {
    throw new RowError(`column ${column.name}: ${JSON.stringify(value)} is not a ${column.kind} value`);
  };
  switch (column.kind) {
    case 'text':
      return typeof value === 'string' ? value : fail();
    case 'integer':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : fail();
      if (typeof value === 'string' && /^-?\d+$/.test(value))
        return dialect === 'sqlite' ? BigInt(value) : value;
      return fail();
    case 'real':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && /^(-?\d+|NaN|-?Infinity|-0)$/.test(value)) {
        if (value === 'NaN' && dialect === 'sqlite') {
          throw new RowError(`column ${column.name}: SQLite cannot store NaN (it would become NULL)`);
        }
        return dialect === 'postgres' ? value : Number(value);
      }
      return fail();
    case 'boolean':
      if (typeof value !== 'boolean') return fail();
      return dialect === 'sqlite' ? (value ? 1 : 0) : value ? 'true' : 'false';
    case 'blob': {
      const b64 =
        typeof value === 'object' && value !== null && '$base64' in value
          ? (value as { $base64: unknown }).$base64
          : undefined;
      if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return fail();
      const bytes = Buffer.from(b64, 'base64');
      // COPY text format: bytea in hex; bulk-connection escapes the backslash.
      return dialect === 'postgres' ? `\\x${bytes.toString('hex')}` : bytes;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Export

function refuseUsedDirectory(target: string, shown: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new AppError('bad_request', `${shown} exists and is not a directory.`);
  }
  if (readdirSync(target).length > 0) {
    throw new AppError(
      'conflict',
      `${shown} is not empty: export-all writes into a new or empty directory, so an older export is never mixed with a new one.`,
    );
  }
}

/** Writes the whole workspace of `db`, read in one snapshot, to `dir` (new or empty); the directory appears
 * complete or not at all (files are written beside it and renamed into place). */
export async function exportWorkspace(db: Db, dir: string, now: Date = new Date()): Promise<ExportResult> {
  const schema = await workspaceSchema();
  const target = resolve(dir);
  refuseUsedDirectory(target, dir);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(
    dirname(target),
    `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  mkdirSync(temp);
  try {
    const reader = await openSnapshotReader(db);
    const tables: TExportTable[] = [];
    let migrations: string[];
    try {
      migrations = await reader.migrations();
      assertSameMigrations(schema, migrations, 'The database');
      for (const table of schema.tables) {
        const file = `${table.name}.jsonl`;
        const written = await writeTable(reader.rows(table), table, join(temp, file));
        tables.push({
          name: table.name,
          file,
          rows: written.rows,
          bytes: written.bytes,
          sha256: written.sha256,
          columns: table.columns.map((c) => ({ name: c.name, kind: c.kind })),
        });
      }
    } finally {
      await reader.close();
    }
    const manifest: TExportManifest = {
      format: WORKSPACE_EXPORT_FORMAT,
      formatVersion: WORKSPACE_EXPORT_VERSION,
      createdAt: now.toISOString(),
      source: { dialect: db.dialect },
      migrations,
      tables,
    };
    writeFileSync(join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(target)) {
      refuseUsedDirectory(target, dir);
      rmdirSync(target);
    }
    renameSync(temp, target);
    return {
      dir: target,
      tables: tables.length,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      bytes: tables.reduce((n, t) => n + t.bytes, 0),
      manifest,
    };
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

async function writeTable(
  rows: AsyncIterable<RawRow>,
  table: TableInfo,
  path: string,
): Promise<{ rows: number; bytes: number; sha256: string }> {
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let count = 0;
  let bytes = 0;
  let chunk = '';
  const flush = async () => {
    if (!chunk) return;
    const buffer = Buffer.from(chunk, 'utf8');
    chunk = '';
    hash.update(buffer);
    bytes += buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  };
  try {
    for await (const raw of rows) {
      count += 1;
      const record: Record<string, JsonValue> = {};
      for (const column of table.columns)
        record[column.name] = encodeValue(table, column, raw[column.name], count);
      chunk += `${JSON.stringify(record)}\n`;
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    await flush();
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { rows: count, bytes, sha256: hash.digest('hex') };
}

// ---------------------------------------------------------------------------------------------------------
// Import

function assertSameMigrations(schema: WorkspaceSchema, migrations: readonly string[], what: string): void {
  const unknown = migrations.filter((m) => !schema.migrations.includes(m));
  if (unknown.length > 0) {
    throw new AppError(
      'unprocessable',
      `${what} was written by a newer Tierline: migrations ${unknown.join(', ')} are unknown to this version. Upgrade Tierline first.`,
    );
  }
  const missing = schema.migrations.filter((m) => !migrations.includes(m));
  if (missing.length > 0) {
    throw new AppError(
      'unprocessable',
      `${what} predates migrations ${missing.join(', ')} of this version: bring its source up to date with this ` +
        'version (`tierline migrate --db <source>`) and export it again.',
    );
  }
}

/** Reads and checks `<dir>/manifest.json` against this version's schema (no file is read beyond it). */
export function readManifest(dir: string, schema: WorkspaceSchema): TExportManifest {
  const path = join(resolve(dir), MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new AppError(
      'bad_request',
      `${dir} has no ${MANIFEST_FILE}: it is not a directory written by \`tierline export-all\`.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError(
      'unprocessable',
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (typeof json === 'object' && json !== null && 'formatVersion' in json) {
    const version = (json as { formatVersion: unknown }).formatVersion;
    if (typeof version === 'number' && version > WORKSPACE_EXPORT_VERSION) {
      throw new AppError(
        'unprocessable',
        `${path} has format version ${version}; this Tierline reads version ${WORKSPACE_EXPORT_VERSION}. Upgrade Tierline first.`,
      );
    }
  }
  const parsed = ZExportManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'unprocessable',
      `${path}: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'not a Tierline export manifest'}.`,
    );
  }
  const manifest = parsed.data;
  assertSameMigrations(schema, manifest.migrations, 'The export');
  const listed = new Map(manifest.tables.map((t) => [t.name, t]));
  for (const table of schema.tables) {
    const entry = listed.get(table.name);
    if (!entry) throw new AppError('unprocessable', `${path} does not list table ${table.name}.`);
    const expected = table.columns.map((c) => `${c.name}:${c.kind}`).join(',');
    const found = entry.columns.map((c) => `${c.name}:${c.kind}`).join(',');
    if (entry.file !== `${table.name}.jsonl` || expected !== found) {
      throw new AppError(
        'unprocessable',
        `${path}: table ${table.name} does not match this version's schema (columns ${found}; expected ${expected}).`,
      );
    }
    listed.delete(table.name);
  }
  if (listed.size > 0) {
    throw new AppError(
      'unprocessable',
      `${path} lists tables this version does not have: ${[...listed.keys()].join(', ')}.`,
    );
  }
  return manifest;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function checksumError(entry: TExportTable, found: string): AppError {
  return new AppError(
    'unprocessable',
    `${entry.file}: checksum mismatch (manifest sha256 ${entry.sha256.slice(0, 12)}…, file ${found.slice(0, 12)}…): ` +
      'the file was changed or damaged after export. Nothing was imported.',
    { file: entry.file },
  );
}

/** Checks every file of an export directory against its manifest (presence, size, SHA-256). */
export async function verifyExport(dir: string): Promise<TExportManifest> {
  const schema = await workspaceSchema();
  const manifest = readManifest(dir, schema);
  for (const entry of manifest.tables) {
    const path = join(resolve(dir), entry.file);
    if (!existsSync(path)) {
      throw new AppError('unprocessable', `${entry.file} is missing from ${dir}. Nothing was imported.`, {
        file: entry.file,
      });
    }
    const found = await sha256OfFile(path);
    if (found !== entry.sha256) throw checksumError(entry, found);
  }
  return manifest;
}

/** Lines of a UTF-8 file, hashing the bytes as they are read. */
async function* linesOf(path: string, hash: Hash): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    hash.update(chunk as Buffer);
    const parts = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}

async function loadTable(
  bulk: BulkConnection,
  table: TableInfo,
  entry: TExportTable,
  dir: string,
): Promise<number> {
  const path = join(resolve(dir), entry.file);
  const hash = createHash('sha256');
  const columns = table.columns.map((c) => quoteId(c.name));
  let batch: unknown[][] = [];
  let line = 0;
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await bulk.load(quoteId(table.name), columns, batch);
    } catch (error) {
      throw new AppError(
        'unprocessable',
        `${entry.file}: loading rows ${rows - batch.length + 1}–${rows} into ${table.name} failed: ${
          error instanceof Error ? error.message : String(error)
        }. Nothing was imported.`,
        { file: entry.file },
      );
    }
    batch = [];
  };
  for await (const text of linesOf(path, hash)) {
    line += 1;
    if (text === '') continue;
    try {
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        throw new RowError('not valid JSON');
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new RowError('expected a JSON object');
      }
      const values = record as Record<string, unknown>;
      const keys = Object.keys(values);
      const extra = keys.filter((k) => !table.columns.some((c) => c.name === k));
      if (extra.length > 0) throw new RowError(`unknown column ${extra.join(', ')}`);
      batch.push(
        table.columns.map((column) => {
          if (!(column.name in values)) throw new RowError(`column ${column.name} is missing`);
          return decodeValue(column, values[column.name], bulk.dialect);
        }),
      );
    } catch (error) {
      if (error instanceof RowError) {
        throw new AppError(
          'unprocessable',
          `${entry.file} line ${line}: ${error.message}. Nothing was imported.`,
          {
            file: entry.file,
            line,
          },
        );
      }
      throw error;
    }
    rows += 1;
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  const found = hash.digest('hex');
  if (found !== entry.sha256) throw checksumError(entry, found);
  if (rows !== entry.rows) {
    throw new AppError(
      'unprocessable',
      `${entry.file} holds ${rows} rows but the manifest says ${entry.rows}. Nothing was imported.`,
      { file: entry.file },
    );
  }
  return rows;
}

/**
 * Loads an export directory into the (empty) workspace of `db` in one transaction: the manifest and every
 * checksum are verified first, the target must hold nothing but what its migrations seed, and any failure
 * leaves the target as it was.
 */
export async function importWorkspace(db: Db, dir: string): Promise<ImportResult> {
  const schema = await workspaceSchema();
  const manifest = await verifyExport(dir);
  const entries = new Map(manifest.tables.map((t) => [t.name, t]));
  let bulk: BulkConnection;
  if (db.dialect === 'postgres') {
    if (!db.pool) throw new Error('PostgreSQL database without a pool');
    bulk = await openPostgresBulk(db.pool);
  } else {
    bulk = openSqliteBulk(db.location);
  }
  try {
    await bulk.begin();
    if (bulk.dialect === 'postgres') {
      // Readers carry on; writers (a server already running on this database) wait until we are done.
      await bulk.exec(`lock table ${schema.tables.map((t) => quoteId(t.name)).join(', ')} in exclusive mode`);
    }
    const used = await tablesWithData(schema, bulkHasRows(bulk));
    if (used.length > 0) {
      throw new AppError(
        'conflict',
        `The target database already holds a workspace (rows in ${used.slice(0, 6).join(', ')}${
          used.length > 6 ? ', …' : ''
        }): import-all loads only into an empty database. Point --db at a new SQLite file or an empty PostgreSQL database/schema.`,
      );
    }
    const replacedSeed: string[] = [];
    for (const table of [...schema.tables].reverse()) {
      if (schema.seeded.includes(table.name) && (await bulkHasRows(bulk)(table.name)))
        replacedSeed.push(table.name);
      await bulk.exec(`delete from ${quoteId(table.name)}`);
    }
    let rows = 0;
    for (const table of schema.tables) {
      const entry = entries.get(table.name);
      if (!entry) throw new Error(`manifest lost table ${table.name}`);
      rows += await loadTable(bulk, table, entry, dir);
    }
    await bulk.commit();
    return { dir: resolve(dir), tables: schema.tables.length, rows, replacedSeed: replacedSeed.sort() };
  } catch (error) {
    await bulk.rollback().catch(() => undefined);
    throw error;
  } finally {
    await bulk.close();
  }
}
