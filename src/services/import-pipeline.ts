import { AppError } from '../domain/errors.ts';
import { msg, renderMessage } from '../domain/messages.ts';
import type { FieldKey } from '../import/header-mapping.ts';
import type { MappingColumn } from '../import/import-file.ts';
import {
  type ImportFileInfo,
  mappingObject,
  type ResolvedMapping,
  resolveMapping,
} from '../import/import-file.ts';
import { HashColumn, IntColumn, KeyTable } from '../import/key-table.ts';
import {
  accountKeyStrings,
  hashAccountKeys,
  KEYS_PER_ROW,
  packedLine,
  type RowIssue,
  readStagedRow,
  S,
} from '../import/prepare-rows.ts';
import { openPreparedSource } from '../import/prepared-source.ts';
import { importFileError } from '../import/tabular-rows.ts';
import { showValue } from '../import/value-parsers.ts';
import { type BulkConnection, idFactory } from '../storage/bulk-connection.ts';
import { newIdSequence } from '../storage/ids.ts';
import { createIndexes, dropSecondaryIndexes, type StoredIndex } from '../storage/index-rebuild.ts';
import { ACCOUNT_MERGE_LOCK_SQL } from '../storage/repositories/accounts.ts';
import { placeMatch } from '../storage/repositories/people.ts';

/*
 * The import pipeline, written once against a BulkConnection and run in the thread that owns it (a worker for
 * SQLite, the main thread for PostgreSQL). Three steps:
 *
 * 1. Read and stage. The parse source (a worker thread for large files) decodes, validates and prepares rows;
 *    here they are de-duplicated within the file (64-bit key hashes in a compact table: USCC, then website
 *    domain, then normalised name + city) and loaded into a TEMP table of this connection. Rejections and
 *    warnings, the progress (processed_rows) and a heartbeat are written to the job in small transactions.
 *    Nothing touches accounts yet.
 * 2. Merge, in ONE transaction: match the file's companies against every existing account (the same keys),
 *    create the new accounts with INSERT … SELECT from the staging table, fill empty fields of the matched ones
 *    (or overwrite them with "newer source wins"), link every account to the source, add contacts, and mark
 *    the job succeeded in the same transaction. Killed at any point before the commit, the database shows none
 *    of it; the staging table disappears with the connection.
 * 3. A dry run does everything and rolls the merge back, so its counts are exact.
 */

export interface ImportSourceSpec {
  name: string;
  /** Absent: keep an existing source's kind; a new source is purchased when it cost something, else free. */
  kind?: 'purchased' | 'free' | undefined;
  cost?: number | undefined;
  acquiredOn?: string | undefined;
  cleaningHours?: number | undefined;
}

export interface PipelineJob {
  jobId: string;
  claimToken: string;
  filePath: string;
  sheet?: string | undefined;
  /** A mapping decided already (the wizard's confirmed mapping); else resolved from userMapping or the source's. */
  userMapping: Record<string, FieldKey | null> | null;
  source: ImportSourceSpec;
  dryRun: boolean;
  newerSourceWins: boolean;
  /** The importing user (the audit entry's). */
  actor: { userId: string | null; role: string };
  /** Owner of the accounts the import creates (chosen when it was started; null: nobody). Matched ones keep theirs. */
  owner: string | null;
  /** ISO time stamped on every row the import writes. */
  at: string;
  /** The workspace's date (its time zone) when the import started: a new source's acquired date by default. */
  today: string;
  /** Parse in a worker thread. */
  thread: boolean;
}

export interface PipelineResult {
  rows: number;
  created: number;
  merged: number;
  /** Merged rows that added nothing the account did not have. */
  unchanged: number;
  rejected: number;
  warnings: number;
  /**
   * Values of merged rows that differ from the account's and were not taken (the account keeps its own unless
   * newer-source-wins); each is also a warning.
   */
  conflicts: number;
  /** Rows that repeat a company earlier in the same file. */
  duplicatesInFile: number;
  /** Accounts that existed before and were matched. */
  matchedExisting: number;
  sourceId: string | null;
  dryRun: boolean;
  detected: ImportFileInfo;
  mapping: ResolvedMapping;
  /** Warnings counted but not stored (beyond MAX_STORED_WARNINGS). */
  warningsNotStored: number;
}

export type PipelineEvent =
  | { type: 'opened'; info: ImportFileInfo; mapping: ResolvedMapping }
  | { type: 'progress'; phase: 'reading' | 'merging'; rows: number; bytesRead: number; fileSize: number };

export const MAX_STORED_WARNINGS = 100_000;
/** SQLite page cache (MiB) of the TEMP tables while rows are staged (appended), and during the merge. */
const STAGE_APPEND_CACHE_MIB = 4;
const STAGE_CACHE_MIB = 16;
const PROGRESS_EVERY_MS = 250;

const STAGE_COLUMNS = [
  'line',
  'leader_line',
  'account_id',
  'contact_id',
  'territory_id',
  'name',
  'normalized_name',
  'uscc',
  'website_domain',
  'province',
  'city',
  'district',
  'address',
  'industry',
  'annual_sales',
  'employees_min',
  'employees_max',
  'net_assets',
  'registered_capital',
  'phone',
  'email',
  'contact_name',
  'custom_fields',
] as const;

const STAGE_DDL = `create temp table import_stage (
  line integer primary key, leader_line integer not null, account_id text, contact_id text, territory_id text,
  name text not null, normalized_name text not null, uscc text, website_domain text, province text, city text,
  district text, address text, industry text, annual_sales bigint, employees_min integer, employees_max integer,
  net_assets bigint, registered_capital bigint, phone text, email text, contact_name text, custom_fields text)`;

/** Fields a merge may fill (or overwrite with newer-source-wins): stage column = account column. */
const MERGE_FIELDS = [
  'website_domain',
  'province',
  'city',
  'district',
  'address',
  'industry',
  'annual_sales',
  'net_assets',
  'registered_capital',
  'phone',
  'email',
] as const;

interface Territory {
  id: string;
  provinces: string[];
  cities: string[];
  districts: string[];
}

const parseList = (json: string): string[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

/** Runs one import job on `bulk`. Throws AppError for a file or mapping problem; the caller records failures. */
export async function runPipeline(
  job: PipelineJob,
  bulk: BulkConnection,
  emit: (event: PipelineEvent) => void = () => {},
): Promise<PipelineResult> {
  const nextId = idFactory();
  // The job's rejections and warnings get ids that ascend in the order they arise, so that (line, id) lists a
  // line's issues as the row was checked (the warnings API and the rejected-rows file read them in that order).
  const nextIssueId = newIdSequence();
  const source = await openPreparedSource(job.filePath, { sheet: job.sheet, thread: job.thread });
  try {
    // Mapping: the user's, else the one remembered for this source, over the automatic one.
    const remembered = await bulk.all<{ mapping: string | null }>(
      'select mapping from sources where name = ?',
      [job.source.name],
    );
    let userMapping = job.userMapping;
    let lenient = false;
    if (!userMapping && remembered[0]?.mapping) {
      userMapping = JSON.parse(remembered[0].mapping) as Record<string, FieldKey | null>;
      lenient = true;
    }
    const resolved = resolveMapping(source.info.header, userMapping, {
      lenient,
      ignored: source.info.ignoredColumns,
    });
    if (!resolved.ok) {
      throw new AppError(
        'validation_failed',
        msg('imports.column_mapping_misfit', {
          errors: {
            en: resolved.errors.join('; '),
            'zh-CN': resolved.messages.map((message) => renderMessage(message, 'zh-CN')).join('；'),
          },
        }),
        {
          problem: 'mapping',
          errors: resolved.errors,
        },
      );
    }
    const mapping = resolved.mapping;
    if (!mapping.columns.some((c) => c.field === 'name')) {
      throw new AppError(
        'unprocessable',
        msg('imports.no_name_column', {
          columns: source.info.header.map((h) => `"${h}"`).join(', '),
          example: `{"${source.info.header[0] ?? '公司'}": "name"}`,
        }),
        { problem: 'no_name_column', headers: source.info.header },
      );
    }
    emit({ type: 'opened', info: source.info, mapping });
    const claimed = await bulk.runMeta(
      `update import_jobs set phase = 'reading', detected = ?, mapping = ?, file_size = ?, heartbeat_at = ?
       where id = ? and claimed_by = ? and status = 'running'`,
      [
        JSON.stringify(source.info),
        JSON.stringify(mapping),
        source.info.fileSize,
        new Date().toISOString(),
        job.jobId,
        job.claimToken,
      ],
    );
    if (claimed === 0) throw lostClaim(job.jobId);

    const territories: Territory[] = (
      await bulk.all<{ id: string; provinces: string; cities: string; districts: string }>(
        'select id, provinces, cities, districts from territories order by created_at, id',
      )
    ).map((t) => ({
      id: t.id,
      provinces: parseList(t.provinces),
      cities: parseList(t.cities),
      districts: parseList(t.districts),
    }));
    const territoryMemo = new Map<string, string | null>();
    const territoryFor = (
      province: string | null,
      city: string | null,
      district: string | null,
    ): string | null => {
      if (territories.length === 0 || (!province && !city && !district)) return null;
      const key = `${province ?? ''}\u0001${city ?? ''}\u0001${district ?? ''}`;
      let id = territoryMemo.get(key);
      if (id === undefined) {
        let best: { id: string; score: number } | null = null;
        for (const t of territories) {
          const score = placeMatch(t, { province, city, district });
          if (score > (best?.score ?? 0)) best = { id: t.id, score };
        }
        id = best?.id ?? null;
        territoryMemo.set(key, id);
      }
      return id;
    };

    // ---- 1. Read and stage -----------------------------------------------------------------------------
    await bulk.exec(`drop table if exists ${temp(bulk, 'import_stage')}`);
    await bulk.exec(STAGE_DDL);
    // SQLite: rows are appended to the staging table in line order, which needs few cached pages; the merge
    // reads it back by line and gets the bigger cache again (see STAGE_CACHE_MIB). Likewise the database's own
    // cache: while reading, only rejections and the job's progress are written (appended), so a small cache
    // serves; the merge gets the connection's cache back (mainCacheSize).
    let mainCacheSize: number | null = null;
    if (bulk.dialect === 'sqlite') {
      await bulk.exec(`pragma temp.cache_size = -${STAGE_APPEND_CACHE_MIB * 1024}`);
      const cache = await bulk.all<{ cache_size: number }>('pragma main.cache_size');
      mainCacheSize = Number(cache[0]?.cache_size ?? -2000);
      await bulk.exec(`pragma main.cache_size = -${STAGE_APPEND_CACHE_MIB * 1024}`);
    }
    // Sized from the file (up to three keys a row; vendor rows run 150-300 bytes) so that it rarely grows, which
    // holds the old and the new table at once.
    const inFile = new KeyTable(Math.min(3 * Math.ceil(source.info.fileSize / 250), 12_000_000));
    const leaderLine = new IntColumn();
    const leaderKeys = [new HashColumn(), new HashColumn(), new HashColumn()] as const;
    let rows = 0;
    let rejected = 0;
    let warnings = 0;
    let storedWarnings = 0;
    let duplicatesInFile = 0;
    let pendingIssues: RowIssue[] = [];
    let lastFlush = Date.now();
    let bytesRead = 0;

    /** Stores issues as the job's rejections and warnings: `run` inside the merge transaction, else `runMeta`. */
    const insertIssues = async (issues: readonly RowIssue[], via: 'run' | 'runMeta') => {
      for (let i = 0; i < issues.length; i += 400) {
        const chunk = issues.slice(i, i + 400);
        await bulk[via](
          `insert into import_errors (id, job_id, line, column_name, value, reason, severity, raw) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((issue) => [
            nextIssueId(),
            job.jobId,
            issue.line,
            issue.column,
            issue.value === null ? null : issue.value.slice(0, 1000),
            issue.reason,
            issue.severity,
            issue.raw ? JSON.stringify(issue.raw) : null,
          ]),
        );
      }
    };

    const flush = async (force: boolean) => {
      if (!force && Date.now() - lastFlush < PROGRESS_EVERY_MS && pendingIssues.length < 5000) return;
      lastFlush = Date.now();
      const issues = pendingIssues;
      pendingIssues = [];
      await insertIssues(issues, 'runMeta');
      const estimate =
        bytesRead > 0 && source.info.fileSize > bytesRead
          ? Math.round((rows * source.info.fileSize) / bytesRead)
          : rows;
      const updated = await bulk.runMeta(
        `update import_jobs set processed_rows = ?, total_rows = ?, rejected_count = ?, warning_count = ?, heartbeat_at = ?
         where id = ? and claimed_by = ? and status = 'running'`,
        [rows, estimate, rejected, warnings, new Date().toISOString(), job.jobId, job.claimToken],
      );
      if (updated === 0) throw lostClaim(job.jobId);
      emit({ type: 'progress', phase: 'reading', rows, bytesRead, fileSize: source.info.fileSize });
    };

    for await (const batch of source.batches(mapping.columns)) {
      rows += batch.read;
      rejected += batch.rejected;
      warnings += batch.warnings;
      bytesRead = batch.progress.bytesRead;
      for (const issue of batch.issues) {
        if (issue.severity === 'warning') {
          if (storedWarnings >= MAX_STORED_WARNINGS) continue;
          storedWarnings++;
        }
        pendingIssues.push(issue);
      }
      // Each row goes from the packed batch straight into the staging insert (or COPY text), de-duplicated on
      // the way: no array per row.
      const packed = batch.rows;
      const keys = batch.keys;
      await bulk.loadEach('import_stage', STAGE_COLUMNS, packed.count, (r, out) => {
        const at = r * KEYS_PER_ROW;
        const usccHi = keys[at] as number;
        const usccLo = keys[at + 1] as number;
        let target = -1;
        for (let k = 0; k < 3 && target < 0; k++) {
          const hi = keys[at + k * 2] as number;
          const lo = keys[at + k * 2 + 1] as number;
          if (hi === 0 && lo === 0) continue;
          const found = inFile.get(hi, lo);
          if (found < 0) continue;
          // Two different registration codes are two companies, whatever their names or websites say.
          if (k > 0 && (usccHi !== 0 || usccLo !== 0)) {
            const theirs = leaderKeys[0];
            if (
              (theirs.hi(found) !== 0 || theirs.lo(found) !== 0) &&
              (theirs.hi(found) !== usccHi || theirs.lo(found) !== usccLo)
            )
              continue;
          }
          target = found;
        }
        const line = packedLine(packed, r);
        // out: line, leader_line, account_id, contact_id, territory_id, then StagedRow's values after the line.
        readStagedRow(packed, r, out, 5);
        const contactId = out[5 + S.contactName - 1] === null ? null : nextId();
        let leader: number;
        out[0] = line;
        if (target < 0) {
          leader = leaderLine.length;
          leaderLine.push(line);
          for (let k = 0; k < 3; k++)
            (leaderKeys[k] as HashColumn).set(
              leader,
              keys[at + k * 2] as number,
              keys[at + k * 2 + 1] as number,
            );
          out[1] = line;
          out[2] = nextId();
          out[3] = contactId;
          out[4] = territoryFor(
            out[5 + S.province - 1] as string | null,
            out[5 + S.city - 1] as string | null,
            out[5 + S.district - 1] as string | null,
          );
        } else {
          leader = target;
          duplicatesInFile++;
          if (
            leaderKeys[0].hi(leader) === 0 &&
            leaderKeys[0].lo(leader) === 0 &&
            (usccHi !== 0 || usccLo !== 0)
          )
            leaderKeys[0].set(leader, usccHi, usccLo);
          out[1] = leaderLine.at(leader);
          out[2] = null;
          out[3] = contactId;
          out[4] = null;
        }
        for (let k = 0; k < 3; k++) {
          const hi = keys[at + k * 2] as number;
          const lo = keys[at + k * 2 + 1] as number;
          if (hi !== 0 || lo !== 0) inFile.setIfAbsent(hi, lo, leader);
        }
      });
      await flush(false);
    }
    await flush(true);
    // A header and nothing under it: refused like an empty file, before any source or account is touched.
    if (rows === 0) {
      throw importFileError('no_data', msg('import_file.header_only', { line: source.info.headerLine }), {
        line: source.info.headerLine,
      });
    }
    // The repeats are known now: the merge needs only the leaders' keys, not the lookup table.
    inFile.clear();

    // ---- 2. Merge, in one transaction ------------------------------------------------------------------
    if (process.env.TIERLINE_TRACE_SQL === '1') {
      const used = process.cpuUsage();
      process.stderr.write(
        `[import read+stage done: ${rows} rows, process cpu ${((used.user + used.system) / 1000).toFixed(0)} ms]\n`,
      );
    }
    await bulk.runMeta(
      `update import_jobs set phase = 'merging', heartbeat_at = ? where id = ? and claimed_by = ?`,
      [new Date().toISOString(), job.jobId, job.claimToken],
    );
    emit({
      type: 'progress',
      phase: 'merging',
      rows,
      bytesRead: source.info.fileSize,
      fileSize: source.info.fileSize,
    });
    if (bulk.dialect === 'sqlite') {
      await bulk.exec(`pragma temp.cache_size = -${STAGE_CACHE_MIB * 1024}`);
      if (mainCacheSize !== null) await bulk.exec(`pragma main.cache_size = ${Math.trunc(mainCacheSize)}`);
    }
    await bulk.exec(`drop table if exists ${temp(bulk, 'import_remap')}`);
    await bulk.exec(
      'create temp table import_remap (leader_line integer primary key, account_id text not null)',
    );
    await bulk.exec(`drop table if exists ${temp(bulk, 'import_merge')}`);

    await bulk.begin();
    try {
      if (bulk.dialect === 'postgres') {
        // One merge at a time across processes: two imports of overlapping lists (or an import and an account added
        // by hand) must not both create a company. Keyed by schema (see ACCOUNT_MERGE_LOCK_SQL).
        await bulk.exec(ACCOUNT_MERGE_LOCK_SQL);
        // For this transaction only: the joins and sorts over the staging table (a million rows) stay in memory
        // instead of spilling to temporary files at the default 4 MB.
        await bulk.exec(`set local work_mem = '${PG_MERGE_WORK_MEM}'`);
      }
      const mine = await bulk.all<{ status: string }>(
        'select status from import_jobs where id = ? and claimed_by = ?',
        [job.jobId, job.claimToken],
      );
      if (mine[0]?.status !== 'running') throw lostClaim(job.jobId);

      // PostgreSQL, first import: lock the empty accounts table so that its indexes can be rebuilt.
      const emptyAndLocked = await lockEmptyAccounts(bulk, leaderLine.length);
      // Match the file's companies against existing accounts.
      const existing = await matchExisting(bulk, leaderLine, leaderKeys);
      const matchedExisting = existing.accounts;

      const sourceId = await upsertSource(bulk, job, mapping, nextId);
      const owner = job.owner;
      const rebuilt = await dropIndexesForBulkInsert(
        bulk,
        leaderLine.length - existing.leadersMatched,
        existing.before,
        emptyAndLocked,
      );
      // PostgreSQL: read the staging table in line order through its primary key, which follows the order the
      // rows were copied in, rather than sorting all of it (a million rows spill a 350 MB sort to disk). The
      // planner cannot know that without statistics, and the staging table is never analyzed.
      let enableSort: string | null = null;
      if (bulk.dialect === 'postgres') {
        enableSort =
          (await bulk.all<{ value: string }>("select current_setting('enable_sort') as value"))[0]?.value ??
          'on';
        await bulk.exec('set local enable_sort = off');
      }
      const created = await bulk.run(
        `insert into accounts (id, name, normalized_name, uscc, website_domain, province, city, district, address,
           industry, annual_sales, employees_min, employees_max, net_assets, registered_capital, phone, email,
           custom_fields, owner_id, territory_id, created_at, updated_at)
         select s.account_id, s.name, s.normalized_name, s.uscc, s.website_domain, s.province, s.city, s.district,
           s.address, s.industry, s.annual_sales, s.employees_min, s.employees_max, s.net_assets,
           s.registered_capital, s.phone, s.email, coalesce(s.custom_fields, '{}'), ?, s.territory_id, ?, ?
         from import_stage s
         where s.line = s.leader_line and not exists (select 1 from import_remap r where r.leader_line = s.line)
         order by s.line`,
        [owner, job.at, job.at],
      );
      if (enableSort !== null) await bulk.all("select set_config('enable_sort', ?, true)", [enableSort]);
      await bulk.run(
        `insert into contacts (id, account_id, name, created_at, updated_at)
         select s.contact_id, s.account_id, s.contact_name, ?, ?
         from import_stage s
         where s.line = s.leader_line and s.contact_name is not null
           and not exists (select 1 from import_remap r where r.leader_line = s.line)`,
        [job.at, job.at],
      );
      // PostgreSQL: the merge of the repeats looks accounts and contacts up by key, 500 at a time, in tables that
      // have no statistics yet when they were empty before this transaction; the planner then takes an IN list
      // of 500 keys for most of the table and scans all of it (≈ 50 ms at 200,000 rows, per batch).
      let enableSeqscan: string | null = null;
      if (bulk.dialect === 'postgres') {
        enableSeqscan =
          (await bulk.all<{ value: string }>("select current_setting('enable_seqscan') as value"))[0]
            ?.value ?? 'on';
        await bulk.exec('set local enable_seqscan = off');
      }
      const conflicts: ConflictLog = {
        headers: conflictHeaders(mapping.columns),
        issues: [],
        count: 0,
        room: Math.max(0, MAX_STORED_WARNINGS - storedWarnings),
      };
      const unchanged = await mergeIntoAccounts(bulk, job, nextId, conflicts);
      warnings += conflicts.count;
      storedWarnings += conflicts.issues.length;
      if (enableSeqscan !== null)
        await bulk.all("select set_config('enable_seqscan', ?, true)", [enableSeqscan]);
      await recreateIndexes(bulk, rebuilt);
      // Accounts created just now cannot have a link yet: a plain insert (ON CONFLICT costs an extra index probe
      // a row on PostgreSQL); only the matched existing accounts may already come from this source.
      await bulk.run(
        `insert into account_sources (account_id, source_id, import_job_id, line, created_at)
         select s.account_id, ?, ?, s.line, ?
         from import_stage s
         where s.line = s.leader_line and not exists (select 1 from import_remap r where r.leader_line = s.line)`,
        [sourceId, job.jobId, job.at],
      );
      await bulk.run(
        `insert into account_sources (account_id, source_id, import_job_id, line, created_at)
         select r.account_id, ?, ?, s.line, ?
         from import_stage s join import_remap r on r.leader_line = s.line
         where s.line = s.leader_line
         order by s.line
         on conflict do nothing`,
        [sourceId, job.jobId, job.at],
      );
      await restoreForeignKeys(bulk, rebuilt);

      const accepted = rows - rejected;
      const result: PipelineResult = {
        rows,
        created,
        merged: accepted - created,
        unchanged,
        rejected,
        warnings,
        conflicts: conflicts.count,
        duplicatesInFile,
        matchedExisting,
        sourceId: job.dryRun ? null : sourceId,
        dryRun: job.dryRun,
        detected: source.info,
        mapping,
        warningsNotStored: warnings - storedWarnings,
      };
      if (job.dryRun) {
        await bulk.rollback();
        // A dry run's warnings are stored like an import's, the conflicts it found too.
        await insertIssues(conflicts.issues, 'runMeta');
      } else {
        await insertIssues(conflicts.issues, 'run');
        await bulk.run(
          `insert into audit_log (id, at, user_id, entity, entity_id, action, before, after) values (?, ?, ?, 'import', ?, 'import', null, ?)`,
          [
            nextId(),
            job.at,
            job.actor.userId,
            job.jobId,
            JSON.stringify({
              source: job.source.name,
              sourceId,
              rows,
              created,
              merged: result.merged,
              rejected,
              warnings,
              conflicts: conflicts.count,
            }),
          ],
        );
        const done = await finishJob(bulk, job, result, 'run');
        if (done === 0) throw lostClaim(job.jobId);
        await bulk.commit();
      }
      if (job.dryRun) await finishJob(bulk, job, result, 'meta');
      return result;
    } catch (error) {
      await bulk.rollback().catch(() => {});
      throw error;
    }
  } finally {
    await source.close();
  }
}

/** A TEMP table's qualified name, so that a drop can never reach a real table of the same name. */
function temp(bulk: BulkConnection, table: string): string {
  return `${bulk.dialect === 'sqlite' ? 'temp' : 'pg_temp'}.${table}`;
}

function lostClaim(jobId: string): AppError {
  return new AppError('conflict', msg('imports.lost_claim', { id: jobId }), { problem: 'lost_claim' });
}

async function finishJob(
  bulk: BulkConnection,
  job: PipelineJob,
  result: PipelineResult,
  via: 'run' | 'meta',
): Promise<number> {
  const sql = `update import_jobs set status = 'succeeded', phase = 'done', total_rows = ?, processed_rows = ?,
      created_count = ?, merged_count = ?, rejected_count = ?, warning_count = ?, source_id = ?, result = ?,
      finished_at = ?, heartbeat_at = ?
    where id = ? and claimed_by = ? and status = 'running'`;
  const report = {
    rows: result.rows,
    created: result.created,
    merged: result.merged,
    unchanged: result.unchanged,
    rejected: result.rejected,
    warnings: result.warnings,
    conflicts: result.conflicts,
    duplicatesInFile: result.duplicatesInFile,
    matchedExisting: result.matchedExisting,
    dryRun: result.dryRun,
    warningsNotStored: result.warningsNotStored,
  };
  const params = [
    result.rows,
    result.rows,
    result.created,
    result.merged,
    result.rejected,
    result.warnings,
    result.sourceId,
    JSON.stringify(report),
    new Date().toISOString(),
    new Date().toISOString(),
    job.jobId,
    job.claimToken,
  ];
  return via === 'run' ? bulk.run(sql, params) : bulk.runMeta(sql, params);
}

/**
 * Below this many new accounts the indexes of `accounts` are kept and updated row by row (at 200,000 rows the
 * rebuild gained little). $TIERLINE_IMPORT_REBUILD_INDEXES_FROM changes it (the tests take the rebuild path with a
 * small file).
 */
function rebuildIndexesFrom(): number {
  const configured = Number(process.env.TIERLINE_IMPORT_REBUILD_INDEXES_FROM);
  return Number.isInteger(configured) && configured > 0 ? configured : 50_000;
}
/** Page cache (MiB) while the indexes are rebuilt: the rows are appended, and SQLite's sorter takes as much again. */
const REBUILD_CACHE_MIB = 16;

interface DroppedIndexes {
  indexes: StoredIndex[];
  /** SQLite: the connection's cache_size before the rebuild, restored after it (null on PostgreSQL). */
  cacheSize: number | null;
  /** PostgreSQL: the foreign keys from contacts and account_sources to accounts, added again after the merge. */
  foreignKeys: StoredForeignKey[];
}

interface StoredForeignKey {
  /** The table, as regclass text (quoted, qualified when needed). */
  table: string;
  /** The constraint's name, quoted. */
  name: string;
  /** pg_get_constraintdef: FOREIGN KEY (…) REFERENCES …(…) ON DELETE …. */
  definition: string;
}

/** PostgreSQL: how long the merge waits for the lock that lets it rebuild the indexes of an empty `accounts`. */
function emptyTableLockTimeoutMs(): number {
  const configured = Number(process.env.TIERLINE_IMPORT_LOCK_TIMEOUT_MS);
  return Number.isInteger(configured) && configured > 0 ? configured : 2_000;
}
/** PostgreSQL: memory of each sort and hash of the merge transaction's statements (the default is 4 MB). */
const PG_MERGE_WORK_MEM = '64MB';
/** PostgreSQL: sort memory of each CREATE INDEX of the rebuild (one at a time; the default is 64 MB). */
const PG_REBUILD_MAINTENANCE_WORK_MEM = '256MB';

/**
 * PostgreSQL, the first import into a workspace (`accounts` empty) that creates at least rebuildIndexesFrom()
 * accounts: takes `accounts` (and contacts and account_sources) in ACCESS EXCLUSIVE mode for the rest of the merge
 * transaction, so that its secondary indexes can be dropped and built again from sorted keys after the insert (a
 * million new accounts, the server's CPU: ≈ 10 s for the insert and ≈ 27 s for the eleven builds, against ≈ 64 s
 * row by row through eleven indexes that outgrow shared_buffers; see docs/performance.md). The price: until the
 * merge commits, other sessions' reads of those tables wait instead of seeing them empty (on PostgreSQL DROP INDEX
 * locks readers out; that is why it is done only when there is nothing to read). The lock is asked for with a
 * short lock_timeout inside a savepoint: when another session holds one of the tables (a long report, an open
 * transaction), a row appeared meanwhile, or this role may not lock them, the savepoint is rolled back (which
 * releases the lock) and the merge goes row by row as before. Called before matchExisting, so that the emptiness
 * it checks under the lock is the one the merge sees. Returns whether the lock is held.
 */
async function lockEmptyAccounts(bulk: BulkConnection, leaders: number): Promise<boolean> {
  if (bulk.dialect !== 'postgres' || leaders < rebuildIndexesFrom()) return false;
  const empty = async () =>
    (await bulk.all<{ empty: boolean }>('select not exists (select 1 from accounts) as empty'))[0]?.empty ===
    true;
  if (!(await empty())) return false;
  const setting = await bulk.all<{ value: string }>("select current_setting('lock_timeout') as value");
  await bulk.exec('savepoint import_lock_accounts');
  try {
    // SET LOCAL inside the savepoint: a rollback to it restores the setting, a release keeps it (restored below).
    await bulk.exec(`set local lock_timeout = ${emptyTableLockTimeoutMs()}`);
    // contacts and account_sources reference accounts (not null), so they are empty too; their foreign keys to
    // accounts are dropped and added again (dropPostgresForBulkInsert), which locks them the same way.
    await bulk.exec('lock table accounts, contacts, account_sources in access exclusive mode');
    if (!(await empty())) {
      await bulk.exec('rollback to savepoint import_lock_accounts');
      return false;
    }
    await bulk.exec('release savepoint import_lock_accounts');
    await bulk.all("select set_config('lock_timeout', ?, true)", [setting[0]?.value ?? '0']);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '55P03' && code !== '42501') throw error; // lock_not_available, insufficient_privilege
    await bulk.exec('rollback to savepoint import_lock_accounts');
    return false;
  }
}

/**
 * PostgreSQL, under the lock lockEmptyAccounts took: drops the secondary indexes of `accounts` (not the primary
 * key, nor an index that backs a constraint) and the foreign keys from contacts and account_sources to accounts,
 * and returns their definitions (pg_get_indexdef, pg_get_constraintdef: exactly what the migrations created), in
 * creation order. A foreign key checks each inserted row with its own query (≈ 15 µs a row, a row lock on the
 * account and its WAL record); added again after the merge it checks all rows with one join. DDL is
 * transactional, so a rollback, a dry run or a killed connection restores them with everything else. Null (row by
 * row, as before) when this role may not alter the tables (it does not own them).
 */
async function dropPostgresForBulkInsert(bulk: BulkConnection): Promise<DroppedIndexes | null> {
  const indexes = await bulk.all<StoredIndex>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as sql
     from pg_index i
     where i.indrelid = 'accounts'::regclass and not i.indisprimary
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
     order by i.indexrelid`,
  );
  const foreignKeys = await bulk.all<StoredForeignKey>(
    `select c.conrelid::regclass::text as "table", quote_ident(c.conname) as name,
       pg_get_constraintdef(c.oid) as definition
     from pg_constraint c
     where c.contype = 'f' and c.confrelid = 'accounts'::regclass
       and c.conrelid in ('contacts'::regclass, 'account_sources'::regclass)
     order by c.oid`,
  );
  await bulk.exec('savepoint import_drop_indexes');
  try {
    for (const index of indexes) await bulk.exec(`drop index ${index.name}`);
    for (const key of foreignKeys) await bulk.exec(`alter table ${key.table} drop constraint ${key.name}`);
    await bulk.exec('release savepoint import_drop_indexes');
  } catch (error) {
    if ((error as { code?: unknown }).code !== '42501') throw error; // insufficient_privilege
    await bulk.exec('rollback to savepoint import_drop_indexes');
    return null;
  }
  return { indexes, cacheSize: null, foreignKeys };
}

/** PostgreSQL: adds the foreign keys dropPostgresForBulkInsert dropped again; each validates its rows in one join. */
async function restoreForeignKeys(bulk: BulkConnection, dropped: DroppedIndexes | null): Promise<void> {
  for (const key of dropped?.foreignKeys ?? [])
    await bulk.exec(`alter table ${key.table} add constraint ${key.name} ${key.definition}`);
}

/**
 * SQLite, an import that creates at least as many accounts as the table holds (and at least
 * rebuildIndexesFrom()): drops the secondary indexes of `accounts` inside the merge transaction, so that the new
 * rows are written without them, and returns their definitions for recreateIndexes. Building an index sorts its
 * keys once; inserting a million rows into eleven indexes keyed by name, USCC, place … touches pages all over
 * each of them, far more than the page cache holds (a million new accounts: ≈ 46 s of CPU row by row against
 * ≈ 23 s for the insert and the eleven builds). DDL is transactional in SQLite: other connections go on reading
 * the committed schema and rows, a rollback or a killed process restores the indexes with everything else, and
 * the merge's own statements (matching by id, updates of merged accounts, contacts and account_sources) use no
 * secondary index of `accounts`. On PostgreSQL, where DROP INDEX locks every reader out of the table until the
 * commit, only when `accounts` was empty and lockEmptyAccounts holds it (see there).
 */
async function dropIndexesForBulkInsert(
  bulk: BulkConnection,
  creating: number,
  existingAccounts: number,
  emptyAndLocked: boolean,
): Promise<DroppedIndexes | null> {
  if (bulk.dialect === 'postgres') {
    if (!emptyAndLocked || existingAccounts !== 0 || creating < rebuildIndexesFrom()) return null;
    return dropPostgresForBulkInsert(bulk);
  }
  if (creating < rebuildIndexesFrom() || creating < existingAccounts) return null;
  const cache = await bulk.all<{ cache_size: number }>('pragma main.cache_size');
  // Appending rows needs few pages in the cache; the sorter of each CREATE INDEX uses up to the cache size more.
  await bulk.exec(`pragma main.cache_size = -${REBUILD_CACHE_MIB * 1024}`);
  const indexes = await dropSecondaryIndexes(bulk, 'accounts');
  return { indexes, cacheSize: Number(cache[0]?.cache_size ?? -2000), foreignKeys: [] };
}

/** Creates the indexes dropIndexesForBulkInsert dropped, from their stored definitions, in the same transaction. */
async function recreateIndexes(bulk: BulkConnection, dropped: DroppedIndexes | null): Promise<void> {
  if (!dropped) return;
  if (bulk.dialect === 'postgres') {
    const setting = await bulk.all<{ value: string }>(
      "select current_setting('maintenance_work_mem') as value",
    );
    await bulk.exec(`set local maintenance_work_mem = '${PG_REBUILD_MAINTENANCE_WORK_MEM}'`);
    await createIndexes(bulk, dropped.indexes);
    await bulk.all("select set_config('maintenance_work_mem', ?, true)", [setting[0]?.value ?? '64MB']);
    return;
  }
  await createIndexes(bulk, dropped.indexes);
  await bulk.exec(`pragma main.cache_size = ${Math.trunc(dropped.cacheSize ?? -2000)}`);
}

/**
 * Finds existing accounts for the file's companies; fills import_remap(leader_line → account id). Returns the
 * number of accounts before the import, of those matched and of the file's companies (leaders) matched.
 */
async function matchExisting(
  bulk: BulkConnection,
  leaderLine: IntColumn,
  leaderKeys: readonly [HashColumn, HashColumn, HashColumn],
): Promise<{ before: number; accounts: number; leadersMatched: number }> {
  const count = await bulk.all<{ n: number | string }>('select count(*) as n from accounts');
  const before = Number(count[0]?.n ?? 0);
  if (before === 0) return { before, accounts: 0, leadersMatched: 0 };
  const table = new KeyTable(before * 2);
  const ids: string[] = [];
  const usccOf = new HashColumn();
  const keys = new Uint32Array(KEYS_PER_ROW);
  let after = '';
  for (;;) {
    const page = await bulk.all<{
      id: string;
      uscc: string | null;
      website_domain: string | null;
      normalized_name: string;
      city: string | null;
    }>(
      'select id, uscc, website_domain, normalized_name, city from accounts where id > ? order by id limit 20000',
      [after],
    );
    for (const account of page) {
      const index = ids.length;
      ids.push(account.id);
      hashAccountKeys(
        accountKeyStrings({
          uscc: account.uscc,
          websiteDomain: account.website_domain,
          normalizedName: account.normalized_name,
          city: account.city,
        }),
        keys,
        0,
      );
      usccOf.set(index, keys[0] as number, keys[1] as number);
      for (let k = 0; k < 3; k++) {
        const hi = keys[k * 2] as number;
        const lo = keys[k * 2 + 1] as number;
        if (hi !== 0 || lo !== 0) table.setIfAbsent(hi, lo, index);
      }
    }
    if (page.length < 20000) break;
    after = page[page.length - 1]?.id ?? after;
  }
  const remap: [number, string][] = [];
  for (let leader = 0; leader < leaderLine.length; leader++) {
    const usccHi = leaderKeys[0].hi(leader);
    const usccLo = leaderKeys[0].lo(leader);
    for (let k = 0; k < 3; k++) {
      const column = leaderKeys[k] as HashColumn;
      const hi = column.hi(leader);
      const lo = column.lo(leader);
      if (hi === 0 && lo === 0) continue;
      const found = table.get(hi, lo);
      if (found < 0) continue;
      if (k > 0 && (usccHi !== 0 || usccLo !== 0)) {
        const h = usccOf.hi(found);
        const l = usccOf.lo(found);
        if ((h !== 0 || l !== 0) && (h !== usccHi || l !== usccLo)) continue;
      }
      remap.push([leaderLine.at(leader), ids[found] as string]);
      break;
    }
  }
  for (let i = 0; i < remap.length; i += 5000) {
    await bulk.load('import_remap', ['leader_line', 'account_id'], remap.slice(i, i + 5000));
  }
  return { before, accounts: new Set(remap.map(([, id]) => id)).size, leadersMatched: remap.length };
}

async function upsertSource(
  bulk: BulkConnection,
  job: PipelineJob,
  mapping: ResolvedMapping,
  nextId: () => string,
): Promise<string> {
  const existing = await bulk.all<{ id: string; mapping: string | null }>(
    'select id, mapping from sources where name = ?',
    [job.source.name],
  );
  // Remember the columns the user mapped by hand, over what was remembered before.
  const userEntries = mappingObject(mapping.columns, true);
  const row = existing[0];
  let remembered: Record<string, unknown> = {};
  if (row?.mapping) {
    try {
      remembered = JSON.parse(row.mapping) as Record<string, unknown>;
    } catch {
      remembered = {};
    }
  }
  const merged = { ...remembered, ...userEntries };
  const mappingJson = Object.keys(merged).length > 0 ? JSON.stringify(merged) : null;
  if (row) {
    const sets = ['mapping = ?', 'updated_at = ?'];
    const params: unknown[] = [mappingJson, job.at];
    if (job.source.kind !== undefined) {
      sets.push('kind = ?');
      params.push(job.source.kind);
    }
    if (job.source.cost !== undefined) {
      sets.push('cost = ?');
      params.push(job.source.cost);
    } else if (job.source.kind === 'free') {
      // A list now free, its cost never entered: it costs nothing.
      sets.push('cost = coalesce(cost, 0)');
    }
    if (job.source.acquiredOn !== undefined) {
      sets.push('acquired_on = ?');
      params.push(job.source.acquiredOn);
    }
    if (job.source.cleaningHours !== undefined) {
      sets.push('cleaning_hours = ?');
      params.push(job.source.cleaningHours);
    }
    await bulk.run(`update sources set ${sets.join(', ')} where id = ?`, [...params, row.id]);
    return row.id;
  }
  const id = nextId();
  const kind = job.source.kind ?? ((job.source.cost ?? 0) > 0 ? 'purchased' : 'free');
  await bulk.run(
    `insert into sources (id, name, kind, cost, acquired_on, cleaning_hours, mapping, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      job.source.name,
      kind,
      // Not entered: unknown (null), but a free list costs nothing.
      job.source.cost ?? (kind === 'free' ? 0 : null),
      job.source.acquiredOn ?? job.today,
      job.source.cleaningHours ?? null,
      mappingJson,
      job.at,
      job.at,
    ],
  );
  return id;
}

interface MergeRow {
  seq: number;
  target: string;
  existing: number;
  line: number;
  uscc: string | null;
  website_domain: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  industry: string | null;
  annual_sales: number | null;
  employees_min: number | null;
  employees_max: number | null;
  net_assets: number | null;
  registered_capital: number | null;
  phone: string | null;
  email: string | null;
  contact_name: string | null;
  contact_id: string | null;
  custom_fields: string | null;
}

type AccountValues = Record<string, unknown> & { id: string; version: number; custom_fields: string };

const parseObject = (json: string | null): Record<string, string> => {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, string>)
      : {};
  } catch {
    return {};
  }
};

/**
 * Applies the rows that match an account (a repeat within the file, or an existing account) in file order:
 * empty fields are filled; with newer-source-wins the file's values replace the stored ones. The name and
 * the registration code are never replaced. Returns the number of rows that changed nothing.
 */
async function mergeIntoAccounts(
  bulk: BulkConnection,
  job: PipelineJob,
  nextId: () => string,
  conflicts: ConflictLog,
): Promise<number> {
  await bulk.exec(
    `create temp table import_merge as
     select row_number() over (order by coalesce(r.account_id, l.account_id), s.line) as seq,
       coalesce(r.account_id, l.account_id) as target,
       case when r.account_id is null then 0 else 1 end as existing,
       s.line, s.uscc, s.website_domain, s.province, s.city, s.district, s.address, s.industry, s.annual_sales,
       s.employees_min, s.employees_max, s.net_assets, s.registered_capital, s.phone, s.email, s.contact_name,
       s.contact_id, s.custom_fields
     from import_stage s
     join import_stage l on l.line = s.leader_line
     left join import_remap r on r.leader_line = s.leader_line
     where s.line <> s.leader_line or r.account_id is not null`,
  );
  let unchanged = 0;
  let groups: MergeRow[][] = [];
  let current: MergeRow[] = [];
  const PAGE = 5000;
  for (let from = 0; ; from += PAGE) {
    const page = await bulk.all<MergeRow>(
      'select * from import_merge where seq > ? and seq <= ? order by seq',
      [from, from + PAGE],
    );
    for (const row of page) {
      if (current.length > 0 && current[0]?.target !== row.target) {
        groups.push(current);
        current = [];
        if (groups.length >= 500) {
          unchanged += await applyGroups(bulk, job, groups, nextId, conflicts);
          groups = [];
        }
      }
      current.push(row);
    }
    if (page.length < PAGE) break;
  }
  if (current.length > 0) groups.push(current);
  if (groups.length > 0) unchanged += await applyGroups(bulk, job, groups, nextId, conflicts);
  return unchanged;
}

async function applyGroups(
  bulk: BulkConnection,
  job: PipelineJob,
  groups: MergeRow[][],
  nextId: () => string,
  conflicts: ConflictLog,
): Promise<number> {
  const ids = groups.map((g) => g[0]?.target as string);
  const marks = ids.map(() => '?').join(', ');
  const accounts = new Map(
    (await bulk.all<AccountValues>(`select * from accounts where id in (${marks})`, ids)).map((a) => [
      a.id,
      a,
    ]),
  );
  const contacts = new Map<string, Set<string>>();
  for (const c of await bulk.all<{ account_id: string; name: string }>(
    `select account_id, name from contacts where account_id in (${marks})`,
    ids,
  )) {
    let names = contacts.get(c.account_id);
    if (!names) {
      names = new Set();
      contacts.set(c.account_id, names);
    }
    names.add(c.name.trim());
  }
  let unchanged = 0;
  const newContacts: unknown[][] = [];
  for (const group of groups) {
    const target = group[0]?.target as string;
    const account = accounts.get(target);
    if (!account) {
      unchanged += group.length;
      continue;
    }
    const before: Record<string, unknown> = {};
    const changes: Record<string, unknown> = {};
    const set = (column: string, value: unknown) => {
      if (!(column in before)) before[column] = account[column];
      account[column] = value;
      changes[column] = value;
    };
    let custom = parseObject(account.custom_fields);
    let customChanged = false;
    for (const row of group) {
      let changed = false;
      if (row.uscc !== null && account.uscc == null) {
        set('uscc', row.uscc);
        changed = true;
      }
      for (const field of MERGE_FIELDS) {
        const value = row[field];
        if (value === null || value === undefined) continue;
        const stored = account[field];
        if (stored === null || stored === undefined || stored === '') {
          set(field, value);
          changed = true;
        } else if (!sameValue(stored, value)) {
          if (job.newerSourceWins) {
            set(field, value);
            changed = true;
          } else noteConflict(conflicts, row.line, conflicts.headers.get(field) ?? field, value, stored);
        }
      }
      if (row.employees_min !== null || row.employees_max !== null) {
        const empty = account.employees_min == null && account.employees_max == null;
        const differs =
          !sameValue(account.employees_min, row.employees_min) ||
          !sameValue(account.employees_max, row.employees_max);
        if (empty || (job.newerSourceWins && differs)) {
          set('employees_min', row.employees_min);
          set('employees_max', row.employees_max);
          changed = true;
        } else if (differs) {
          noteConflict(
            conflicts,
            row.line,
            conflicts.headers.get('employees') ?? 'employees',
            headCount(row.employees_min, row.employees_max),
            headCount(account.employees_min, account.employees_max),
          );
        }
      }
      if (row.custom_fields) {
        const incoming = parseObject(row.custom_fields);
        for (const [key, value] of Object.entries(incoming)) {
          if (custom[key] === undefined || (job.newerSourceWins && custom[key] !== value)) {
            if (!customChanged) before.custom_fields = account.custom_fields;
            custom = { ...custom, [key]: value };
            customChanged = true;
            changed = true;
          } else if (custom[key] !== value) noteConflict(conflicts, row.line, key, value, custom[key]);
        }
      }
      const contactName = row.contact_name?.trim();
      if (contactName) {
        let names = contacts.get(target);
        if (!names) {
          names = new Set();
          contacts.set(target, names);
        }
        if (!names.has(contactName)) {
          names.add(contactName);
          newContacts.push([row.contact_id ?? nextId(), target, contactName, job.at, job.at]);
          changed = true;
        }
      }
      if (!changed) unchanged++;
    }
    if (customChanged) changes.custom_fields = JSON.stringify(custom);
    const columns = Object.keys(changes);
    if (columns.length === 0) continue;
    await bulk.run(
      `update accounts set ${columns.map((c) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ? where id = ?`,
      [...columns.map((c) => changes[c]), job.at, target],
    );
    if (group[0]?.existing === 1) {
      await bulk.run(
        `insert into audit_log (id, at, user_id, entity, entity_id, action, before, after) values (?, ?, ?, 'account', ?, 'import-merge', ?, ?)`,
        [
          nextId(),
          job.at,
          job.actor.userId,
          target,
          JSON.stringify(before),
          JSON.stringify({ ...changes, importJobId: job.jobId }),
        ],
      );
    }
  }
  for (let i = 0; i < newContacts.length; i += 500) {
    const chunk = newContacts.slice(i, i + 500);
    await bulk.run(
      `insert into contacts (id, account_id, name, created_at, updated_at) values ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
  return unchanged;
}

/** Conflicts found by the merge: values of the file an account kept its own against (see applyGroups). */
interface ConflictLog {
  /** Stage column (or `employees`) → the file's column header that fills it. */
  headers: Map<string, string>;
  /** The warnings to store, at most `room` of them. */
  issues: RowIssue[];
  count: number;
  room: number;
}

/** Which header fills each merged stage column, from the job's mapping (the first column of a field fills it). */
function conflictHeaders(columns: readonly MappingColumn[]): Map<string, string> {
  const stageColumn: Partial<Record<FieldKey, string>> = {
    website: 'website_domain',
    province: 'province',
    city: 'city',
    district: 'district',
    address: 'address',
    industry: 'industry',
    annualSales: 'annual_sales',
    netAssets: 'net_assets',
    registeredCapital: 'registered_capital',
    phone: 'phone',
    email: 'email',
    employees: 'employees',
  };
  const headers = new Map<string, string>();
  for (const column of columns) {
    const stage = column.field === null ? undefined : stageColumn[column.field];
    if (stage !== undefined && !headers.has(stage)) headers.set(stage, column.header);
  }
  return headers;
}

/** Stored values come back as numbers or text; an amount read from the file is a number. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return typeof a === 'number' || typeof b === 'number' ? Number(a) === Number(b) : String(a) === String(b);
}

function headCount(min: unknown, max: unknown): string {
  if (min == null && max == null) return '';
  if (max == null) return `${min}+`;
  return min === max ? String(min) : `${min ?? 0}-${max}`;
}

function noteConflict(log: ConflictLog, line: number, column: string, value: unknown, kept: unknown): void {
  log.count++;
  if (log.issues.length >= log.room) return;
  log.issues.push({
    line,
    column,
    value: String(value),
    reason: `differs from the account's value ${showValue(String(kept))}, which was kept (import with newer source wins to take the file's values)`,
    severity: 'warning',
  });
}
