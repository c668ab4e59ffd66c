import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, mkdir, opendir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError, isAppError, notFound } from '../domain/errors.ts';
import { counted, type Locale, type Message, msg, renderMessage } from '../domain/messages.ts';
import {
  readStoredMessage,
  renderStoredMessage,
  storedMessage,
  storedMessageText,
} from '../domain/stored-message.ts';
import type { FieldKey } from '../import/header-mapping.ts';
import {
  type ImportFileInfo,
  type MappingColumn,
  openImportFile,
  originalColumnOf,
  REJECTS_COLUMNS,
  resolveMapping,
} from '../import/import-file.ts';
import { parseWorkerBundle, workerBundle } from '../import/parse-worker-bundle.ts';
import { buildRowPlan, prepareBatch, S, unpackStagedRows } from '../import/prepare-rows.ts';
import { reasonIn } from '../import/reason-zh.ts';
import type { ReadRow } from '../import/tabular-rows.ts';
import {
  IMPORT_FIELD_KEYS,
  type TImportJob,
  type TImportOwner,
  type TImportPreview,
  type TImportStart,
  type TImportWarning,
  type TImportWarningPage,
  type TSourceReport,
} from '../schemas/import-api.ts';
import { openPostgresBulk, openSqliteBulk } from '../storage/bulk-connection.ts';
import type { Db } from '../storage/database.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit, recordAudits } from '../storage/repositories/audit.ts';
import {
  claimNextImportJob,
  type DiscardedUpload,
  deleteEndedJob,
  deleteUnstartedUploads,
  ENDED_WITHOUT_IMPORT,
  expireEndedJobFiles,
  findImportJob,
  type ImportJobRow,
  importWarningsPage,
  insertImportJob,
  iterateIssues,
  iterateRejections,
  type JobViewer,
  listImportJobs as listJobRows,
  previousImportOf,
  referencedUploads,
  runningImportJobs,
  type StoredIssue,
  sourceReportRows,
  updateImportJob,
} from '../storage/repositories/imports.ts';
import { inTransaction } from '../storage/transaction.ts';
import { isUnrestrictedActor, requireSignedIn } from './access.ts';
import { checkAssignee } from './account-assignment.ts';
import { type Actor, makeContext, type ServiceContext, SYSTEM_ACTOR } from './context.ts';
import { csvChunks, type ExportColumn, UTF8_BOM } from './export-format.ts';
import {
  type ImportSourceSpec,
  type PipelineEvent,
  type PipelineJob,
  type PipelineResult,
  runPipeline,
} from './import-pipeline.ts';
import type { WriterWorkerData } from './import-writer-worker.ts';
import { getCurrentMarket } from './market.ts';
import { retierOffThread } from './off-thread.ts';
import { runWorkerTask } from './worker-task.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/*
 * Importing prospect lists (issue 3): the use cases behind `tierline import`, the API's upload → preview →
 * start → progress → rejected rows, and the source report. The work itself is in import-pipeline.ts.
 *
 * A job is a row in import_jobs. The CLI creates one and runs it at once; the API creates one on upload
 * (phase "uploaded"), the user confirms the mapping (phase "ready", status queued) and an ImportRunner in any
 * server process claims it (claimed_by = host/pid/nonce) and runs it. Jobs are visible to their creator, the
 * creator's manager and admins.
 */

export interface ImportOptions {
  source: ImportSourceSpec;
  /** Column header → field or null (custom field), over the automatic mapping. */
  mapping?: Record<string, FieldKey | null> | null;
  sheet?: string | undefined;
  dryRun?: boolean;
  newerSourceWins?: boolean;
  /**
   * Who owns the accounts the import creates: a user's id, or null for nobody (admins and the local CLI only).
   * Absent: the importer's default (defaultImportOwner). Accounts the file matches keep their owner.
   */
  ownerId?: string | null | undefined;
}

export interface ImportReport {
  jobId: string;
  rows: number;
  created: number;
  merged: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  /** Values of matched rows that differ from the account's and were not taken (each also a warning). */
  conflicts: number;
  sourceId: string | null;
  dryRun: boolean;
  /**
   * Where the rejected-rows CSV was written (CLI), null when nothing was rejected, and for a dry run unless a file
   * was asked for (`rejectsFile`): a dry run writes nothing of its own accord.
   */
  rejectsFile: string | null;
  previousImport: { jobId: string; finishedAt: string | null } | null;
  message: string;
  detected: ImportFileInfo;
  /** Who owns the accounts it created (null: nobody). */
  owner: TImportOwner | null;
}

interface StoredOptions extends ImportOptions {
  actor: { userId: string | null; role: string };
  /**
   * The owner of the accounts it creates, as resolved when the import was started (resolveImportOwner); absent
   * on an upload not started yet and on jobs queued before owners were chosen (then defaultImportOwner).
   */
  owner?: TImportOwner | null;
}

interface StoredResult {
  rows: number;
  created: number;
  merged: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  /** Absent in results stored before conflicts were counted. */
  conflicts?: number;
  duplicatesInFile: number;
  matchedExisting: number;
  dryRun: boolean;
  warningsNotStored: number;
  previousImport?: { jobId: string; finishedAt: string | null } | null;
  message?: string;
}

/** Where uploads and rejected-rows files go: $TIERLINE_IMPORT_DIR, else `imports/` beside the SQLite file, else ./data/imports. */
export function importsDir(db: Db): string {
  if (process.env.TIERLINE_IMPORT_DIR) return resolve(process.env.TIERLINE_IMPORT_DIR);
  if (db.dialect === 'sqlite' && db.location !== ':memory:') return join(dirname(db.location), 'imports');
  return resolve('data', 'imports');
}

/** A claim token: host, process id and a nonce, so a dead claimant on this host is recognised at once. */
export function claimToken(): string {
  return `${hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`;
}

function jobViewer(ctx: ServiceContext): JobViewer {
  requireSignedIn(ctx);
  const { actor } = ctx;
  if (isUnrestrictedActor(actor)) return { all: true };
  if ((actor.role === 'rep' || actor.role === 'manager') && actor.userId)
    return { userId: actor.userId, role: actor.role };
  throw new AppError('forbidden', msg('imports.may_not_import'));
}

const parseJson = <T>(json: string | null | undefined, fallback: T): T => {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

function stateOf(row: ImportJobRow): TImportJob['state'] {
  if (row.status === 'queued' && row.phase === 'uploaded') return 'uploaded';
  return row.status;
}

/**
 * A job as the API shows it. Its failure (`error`) in `locale`: stored with its catalog message when it has one
 * (see jobFailureText), so the web wizard shows it in the reader's language; the CLI and scripts get English.
 * Its summary (`message`) likewise: English as stored, other languages built from the stored counts (summaryIn).
 */
export function jobFromRow(row: ImportJobRow, locale: Locale = 'en'): TImportJob {
  const result = parseJson<StoredResult | null>(row.result, null);
  const detected = parseJson<ImportFileInfo | null>(row.detected, null);
  const owner = parseJson<StoredOptions | null>(row.options, null)?.owner;
  const total = Math.max(row.total_rows, row.processed_rows);
  const state = stateOf(row);
  return {
    id: row.id,
    state,
    phase: row.phase,
    fileName: row.file_name,
    fileSize: row.file_size ?? detected?.fileSize ?? null,
    origin: row.origin,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    dryRun: row.dry_run === 1,
    progress: {
      processedRows: row.processed_rows,
      totalRows: total,
      fraction: row.status === 'succeeded' ? 1 : total > 0 ? Math.min(1, row.processed_rows / total) : null,
    },
    counts: {
      rows: result?.rows ?? row.processed_rows,
      created: row.created_count,
      merged: row.merged_count,
      rejected: row.rejected_count,
      warnings: row.warning_count,
    },
    sourceId: row.source_id,
    error: row.error === null ? null : renderStoredMessage(row.error, locale),
    report: result
      ? {
          rows: result.rows,
          created: result.created,
          merged: result.merged,
          unchanged: result.unchanged,
          rejected: result.rejected,
          warnings: result.warnings,
          conflicts: result.conflicts ?? 0,
          duplicatesInFile: result.duplicatesInFile,
          matchedExisting: result.matchedExisting,
          dryRun: result.dryRun,
          warningsNotStored: result.warningsNotStored,
        }
      : null,
    message: result ? summaryIn(result, locale) : null,
    previousImport: result?.previousImport ?? null,
    fileExpiredAt: row.file_expired_at,
    retryable: isRetryable(row),
    ...(owner !== undefined ? { owner } : {}),
    expiresAt: state === 'uploaded' ? uploadExpiry(row.created_at) : null,
  };
}

/** When an upload made at `createdAt` and never started is removed (discardStaleUploads): uploadTtlMs() later. */
function uploadExpiry(createdAt: string): string | null {
  const at = Date.parse(createdAt);
  return Number.isFinite(at) ? new Date(at + uploadTtlMs()).toISOString() : null;
}

/** A failed upload whose file is still kept: POST …/start runs it again (a CLI job is rerun by the command). */
function isRetryable(row: ImportJobRow): boolean {
  return (
    row.status === 'failed' && row.origin === 'api' && row.file_path !== null && row.file_expired_at === null
  );
}

async function visibleJob(ctx: ServiceContext, id: string): Promise<ImportJobRow> {
  const row = await findImportJob(ctx.db.kysely, id, jobViewer(ctx));
  if (!row) throw notFound('Import job', id);
  return row;
}

export async function getImportJob(
  ctx: ServiceContext,
  id: string,
  locale: Locale = 'en',
): Promise<TImportJob> {
  return jobFromRow(await visibleJob(ctx, id), locale);
}

export async function listImportJobs(
  ctx: ServiceContext,
  limit = 50,
  locale: Locale = 'en',
): Promise<TImportJob[]> {
  // Uploads never started are listed until they expire (uploadTtlMs), not until the runner's next hourly tidy.
  const uploadedSince = new Date(ctx.now().getTime() - uploadTtlMs()).toISOString();
  const rows = await listJobRows(ctx.db.kysely, jobViewer(ctx), Math.min(Math.max(limit, 1), 200), {
    uploadedSince,
  });
  return rows.map((row) => jobFromRow(row, locale));
}

/** What `import_jobs.error` keeps of a failure: its English text, with its catalog message when it has one. */
function jobFailureText(error: unknown): string {
  if (isAppError(error)) return storedMessageText(error.message, error.localized);
  return storedMessageText(error instanceof Error ? error.message : String(error), null);
}

function storedActor(actor: Actor): StoredOptions['actor'] {
  return { userId: actor.userId, role: actor.role };
}

/**
 * Who owns the accounts an import creates when the import does not say: the importer when a rep or a manager
 * (so that what they imported stays in their sight: a manager's scope holds what the manager owns), nobody for
 * an admin or the local CLI (they see every account; the Accounts list's "Unassigned" filter finds them).
 */
export function defaultImportOwner(importer: { userId: string | null; role: string }): string | null {
  return (importer.role === 'rep' || importer.role === 'manager') && importer.userId ? importer.userId : null;
}

/**
 * The owner of the accounts an import will create, checked for the one starting it (`ctx`): `wanted` absent is the
 * importer's default (defaultImportOwner); a rep may only name themselves; a manager themselves or someone of their
 * team; an admin (and the local CLI) anyone enabled, or nobody (null). A manager may not leave them without
 * owner: those outside the team's territories would be out of their sight (403 `imports.owner_needed`).
 */
async function resolveImportOwner(
  ctx: ServiceContext,
  db: Executor,
  wanted: string | null | undefined,
  importer: { userId: string | null; role: string },
): Promise<TImportOwner | null> {
  const { actor } = ctx;
  if (wanted === undefined) {
    const id = defaultImportOwner(importer);
    if (id === null) return null;
    const user = await db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    return user ? { id: user.id, name: user.name } : null;
  }
  if (actor.role === 'rep' && wanted !== actor.userId) {
    throw new AppError('forbidden', msg('imports.owner_rep_self'), { field: 'ownerId' });
  }
  if (wanted === null) {
    if (isUnrestrictedActor(actor)) return null;
    throw new AppError('forbidden', msg('imports.owner_needed'), { field: 'ownerId' });
  }
  const user = await checkAssignee(ctx, db, wanted, 'ownerId');
  return { id: user.id, name: user.name };
}

// ---------------------------------------------------------------------------------------------------------
// Running a job

export interface RunHooks {
  onEvent?: (event: PipelineEvent) => void;
  /** Parse (and on SQLite write) in worker threads: 'auto' does so for files over 4 MiB. */
  threads?: 'auto' | 'always' | 'never';
  /**
   * SQLite: store and merge in a worker thread too, so that a server's event loop never waits on the
   * synchronous driver (default). The CLI has no event loop to keep free and stores in its main thread.
   */
  writerThread?: boolean;
}

function threadsFor(size: number, threads: RunHooks['threads']): boolean {
  const setting = threads ?? (process.env.TIERLINE_IMPORT_THREADS as RunHooks['threads']) ?? 'auto';
  if (setting === 'always') return true;
  if (setting === 'never') return false;
  return size > 4 * 1024 * 1024;
}

const WRITER_FILE = fileURLToPath(new URL('./import-writer-worker.ts', import.meta.url));

async function runInWriterWorker(
  dbPath: string,
  job: PipelineJob,
  onEvent: (event: PipelineEvent) => void,
): Promise<PipelineResult> {
  // Bundled (see worker-task.ts): no TypeScript loader in the thread, and the parse worker it starts comes from
  // the bundle built here (both bundles built at once; runWorkerTask finds the writer's ready). The writer's big
  // structures are typed arrays outside the V8 heap; bound the rest so garbage goes early. (A young generation
  // capped at 8 MiB, as the parse worker's, cost 6-9 s more CPU at 1M rows: a batch of 4,000 staged rows outlives
  // so small a nursery and is promoted.)
  const [parseBundle] = await Promise.all([parseWorkerBundle(), workerBundle(WRITER_FILE)]);
  const data: WriterWorkerData = { dbPath, job, parseBundle: parseBundle?.href ?? null };
  return runWorkerTask<PipelineResult, PipelineEvent>({
    file: WRITER_FILE,
    data,
    resourceLimits: { maxOldGenerationSizeMb: 160 },
    onEvent,
    stopped: (code) => msg('imports.writer_stopped', { code }),
  });
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The counts a summary is built from (a stored result, a pipeline's result). */
export type SummaryCounts = Pick<
  StoredResult,
  | 'rows'
  | 'created'
  | 'merged'
  | 'unchanged'
  | 'rejected'
  | 'warnings'
  | 'conflicts'
  | 'dryRun'
  | 'previousImport'
>;

/**
 * A finished job's summary as a catalog message, from its counts; values the matched accounts kept against the
 * file's (conflicts) are said after it, so that "nothing new" never hides them.
 */
export function summaryMessage(result: SummaryCounts): Message {
  const summary = countsSummary(result);
  const conflicts = result.conflicts ?? 0;
  if (conflicts === 0) return summary;
  return msg('import_summary.with_conflicts', {
    summary,
    conflicts: counted('import_summary.conflicts', conflicts),
  });
}

function countsSummary(result: SummaryCounts): Message {
  if (result.dryRun) {
    return msg('import_summary.dry_run', {
      rows: counted('import_summary.rows', result.rows),
      created: counted('import_summary.new_accounts', result.created),
      merged: counted('import_summary.merges', result.merged),
      rejected: result.rejected,
      warnings: counted('import_summary.warnings', result.warnings),
    });
  }
  if (result.merged > 0 && result.created === 0 && result.unchanged === result.merged) {
    const previous = result.previousImport;
    const before = !previous
      ? ''
      : previous.finishedAt
        ? msg('import_summary.imported_before_on', {
            jobId: previous.jobId,
            date: previous.finishedAt.slice(0, 10),
          })
        : msg('import_summary.imported_before', { jobId: previous.jobId });
    const again = result.rejected > 0 ? counted('import_summary.rejected_again', result.rejected) : '';
    return counted('import_summary.nothing_new', result.merged, { before, again });
  }
  return msg('import_summary.done', {
    created: counted('import_summary.created', result.created),
    merged: counted('import_summary.merged', result.merged, {
      unchanged: result.unchanged > 0 ? msg('import_summary.unchanged', { count: result.unchanged }) : '',
    }),
    rejected: result.rejected,
    warnings: counted('import_summary.warnings', result.warnings),
  });
}

/** The summary in English, as stored with the job's result (the CLI prints it). */
const summarize = (result: SummaryCounts): string => renderMessage(summaryMessage(result), 'en');

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * A stored job's summary in `locale`. English is the text stored with the result, as written. Another language
 * builds the same summary from the stored counts; a result without them (none is known) keeps its English text.
 */
function summaryIn(result: StoredResult, locale: Locale): string | null {
  if (!result.message) return null;
  if (locale === 'en') return result.message;
  const { rows, created, merged, unchanged, rejected, warnings } = result;
  if (![rows, created, merged, unchanged, rejected, warnings].every(isCount)) return result.message;
  return renderMessage(summaryMessage({ ...result, dryRun: result.dryRun === true }), locale);
}

/**
 * Runs a queued job to the end in this process: claims it, reads, stages and merges (see import-pipeline.ts)
 * and records the outcome. Returns the refreshed job row; a failure is recorded on the job and rethrown.
 */
export async function runImportJob(
  db: Db,
  jobId: string,
  options: { token?: string; now?: () => Date } & RunHooks = {},
): Promise<{ job: ImportJobRow; result: PipelineResult }> {
  const now = options.now ?? (() => new Date());
  const token = options.token ?? claimToken();
  const startedAt = now().toISOString();
  const claimed = await updateImportJob(
    db.kysely,
    jobId,
    { status: 'running', claimed_by: token, started_at: startedAt, heartbeat_at: startedAt, error: null },
    { status: 'queued', phase: 'ready' },
  );
  const row = await db.kysely
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', jobId)
    .executeTakeFirst();
  if (!claimed || !row) throw new AppError('conflict', msg('imports.not_waiting', { id: jobId }), { jobId });
  return runClaimedImportJob(db, row, { ...options, token, now });
}

/**
 * Claims the next uploaded job waiting in the queue (see claimNextImportJob: one process per job, row locks on
 * PostgreSQL) and runs it like runImportJob; undefined when the queue is empty.
 */
export async function runNextImportJob(
  db: Db,
  options: { token: string; now?: () => Date; onClaim?: (jobId: string) => void } & RunHooks,
): Promise<{ job: ImportJobRow; result: PipelineResult } | undefined> {
  const now = options.now ?? (() => new Date());
  const row = await claimNextImportJob(db.kysely, db.dialect, {
    token: options.token,
    at: now().toISOString(),
  });
  if (!row) return undefined;
  options.onClaim?.(row.id);
  return runClaimedImportJob(db, row, { ...options, now });
}

/** The claim (and heartbeat) of a job older than this is taken to belong to a process that died. */
export const IMPORT_LEASE_MS = 120_000;
/** How often a running job's heartbeat is written while nothing else writes to the job (PostgreSQL). */
const HEARTBEAT_MS = 10_000;

async function runClaimedImportJob(
  db: Db,
  row: ImportJobRow,
  options: { token: string; now: () => Date } & RunHooks,
): Promise<{ job: ImportJobRow; result: PipelineResult }> {
  const { token, now } = options;
  const jobId = row.id;
  const startedAt = row.started_at ?? now().toISOString();
  // Rejections of an earlier, interrupted run of this job are not this run's.
  await db.kysely.deleteFrom('import_errors').where('job_id', '=', jobId).execute();
  const stored = parseJson<StoredOptions | null>(row.options, null);
  const thread = threadsFor(row.file_size ?? 0, options.threads);
  const job: PipelineJob = {
    jobId,
    claimToken: token,
    filePath: row.file_path ?? '',
    sheet: stored?.sheet,
    userMapping: stored?.mapping ?? null,
    source: stored?.source ?? { name: row.file_name },
    dryRun: stored?.dryRun === true,
    newerSourceWins: stored?.newerSourceWins === true,
    actor: stored?.actor ?? { userId: row.created_by, role: 'rep' },
    owner:
      stored?.owner !== undefined
        ? (stored.owner?.id ?? null)
        : defaultImportOwner(stored?.actor ?? { userId: row.created_by, role: 'rep' }),
    at: startedAt,
    today: todayIn((await readWorkspaceSettings(db.kysely)).timeZone, new Date(startedAt)),
    thread,
  };
  const onEvent = options.onEvent ?? (() => {});
  const sha = row.file_sha256 ? Promise.resolve(row.file_sha256) : hashFile(job.filePath).catch(() => null);
  // PostgreSQL: several servers may share the queue, so keep the heartbeat (the claim's lease, IMPORT_LEASE_MS)
  // fresh during the long merge too. One write at a time: while the merge holds the job's row, writes wait.
  let beating = false;
  const heartbeat =
    db.dialect === 'postgres'
      ? setInterval(() => {
          if (beating) return;
          beating = true;
          updateImportJob(db.kysely, jobId, { heartbeat_at: now().toISOString() }, { claimedBy: token })
            .catch(() => {})
            .finally(() => {
              beating = false;
            });
        }, HEARTBEAT_MS)
      : null;
  try {
    if (!stored?.source || !row.file_path)
      throw new AppError('internal', msg('imports.job_without_file', { id: jobId }));
    if (row.origin === 'api' && !existsSync(row.file_path))
      throw new AppError('internal', msg('imports.upload_not_on_server', { id: jobId, path: row.file_path }));
    let result: PipelineResult;
    if (db.dialect === 'sqlite') {
      if (thread && options.writerThread !== false)
        result = await runInWriterWorker(db.location, job, onEvent);
      else {
        const bulk = openSqliteBulk(db.location);
        try {
          result = await runPipeline(job, bulk, onEvent);
        } finally {
          await bulk.close();
        }
      }
    } else {
      if (!db.pool) throw new AppError('internal', 'PostgreSQL database without a pool.');
      const bulk = await openPostgresBulk(db.pool);
      try {
        result = await runPipeline(job, bulk, onEvent);
      } finally {
        await bulk.close();
      }
    }
    const fileSha = await sha;
    const previous = fileSha && !job.dryRun ? await previousImportOf(db.kysely, fileSha, jobId) : undefined;
    const report: StoredResult = {
      ...parseJson<StoredResult>(
        (
          await db.kysely
            .selectFrom('import_jobs')
            .select('result')
            .where('id', '=', jobId)
            .executeTakeFirst()
        )?.result,
        {} as StoredResult,
      ),
      previousImport: previous ? { jobId: previous.id, finishedAt: previous.finished_at } : null,
    };
    report.message = summarize(report);
    await updateImportJob(
      db.kysely,
      jobId,
      { file_sha256: fileSha, result: JSON.stringify(report) },
      { claimedBy: token },
    );
    if (!job.dryRun && (result.created > 0 || result.merged > result.unchanged))
      await retierAfterImport(db, jobId, now);
    const job2 = await db.kysely
      .selectFrom('import_jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    return { job: job2, result };
  } catch (error) {
    await updateImportJob(
      db.kysely,
      jobId,
      { status: 'failed', phase: 'done', error: jobFailureText(error), finished_at: now().toISOString() },
      { claimedBy: token, status: 'running' },
    ).catch(() => {});
    throw error;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

/**
 * New accounts get their in-market flag and tier at once when a target market is defined. Re-tiering is derived
 * data, not the importing user's decision, so it runs as the system; a failure here does not undo the import
 * (the next re-tier catches up) and is recorded on the job.
 */
async function retierAfterImport(db: Db, jobId: string, now: () => Date): Promise<void> {
  const ctx = makeContext(db, SYSTEM_ACTOR, now);
  try {
    if (await getCurrentMarket(ctx)) await retierOffThread(ctx);
  } catch (error) {
    const reason = isAppError(error)
      ? (error.localized ?? error.message)
      : error instanceof Error
        ? error.message
        : String(error);
    await updateImportJob(db.kysely, jobId, {
      error: storedMessage(msg('imports.retier_failed', { reason })),
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// CLI: import a file now

/** Creates a job for a local file and runs it to the end (the CLI's `tierline import`). */
export async function importFile(
  ctx: ServiceContext,
  path: string,
  options: ImportOptions,
  hooks: RunHooks & { rejectsDir?: string; rejectsFile?: string | undefined } = {},
): Promise<ImportReport> {
  requireSignedIn(ctx);
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new AppError('bad_request', msg('imports.no_such_file', { path }), { problem: 'unreadable' });
  }
  const db = ctx.db;
  const { ownerId, ...stored } = options;
  const owner = await resolveImportOwner(ctx, db.kysely, ownerId, ctx.actor);
  await recoverAbandonedJobs(db, ctx.now);
  const id = newId(ctx.now().getTime());
  const stats = await stat(absolute);
  await insertImportJob(db.kysely, {
    id,
    source_id: null,
    file_name: basename(absolute),
    file_sha256: null,
    status: 'queued',
    phase: 'ready',
    origin: 'cli',
    file_path: absolute,
    file_size: stats.size,
    dry_run: options.dryRun ? 1 : 0,
    options: JSON.stringify({ ...stored, actor: storedActor(ctx.actor), owner } satisfies StoredOptions),
    created_by: ctx.actor.userId,
    created_at: ctx.now().toISOString(),
  });
  const { job, result } = await runImportJob(db, id, { ...hooks, now: ctx.now });
  let rejectsFile: string | null = null;
  // A dry run changes nothing, files included: its rejected rows are written only where asked (`rejectsFile`).
  if (result.rejected > 0 && (hooks.rejectsFile || !result.dryRun)) {
    const dir = hooks.rejectsDir ?? importsDir(db);
    rejectsFile = hooks.rejectsFile
      ? resolve(hooks.rejectsFile)
      : join(dir, `${basename(absolute, extname(absolute))}.rejected.${id.slice(-12)}.csv`);
    await mkdir(dirname(rejectsFile), { recursive: true });
    let text = '';
    // The CLI's file: English reasons, like the rest of the CLI's output.
    for await (const chunk of rejectedRowsFrom(db, job, 'en')) text += chunk;
    await writeFile(rejectsFile, text);
  }
  const view = jobFromRow(job);
  return {
    jobId: id,
    rows: result.rows,
    created: result.created,
    merged: result.merged,
    unchanged: result.unchanged,
    rejected: result.rejected,
    warnings: result.warnings,
    conflicts: result.conflicts,
    sourceId: result.sourceId,
    dryRun: result.dryRun,
    rejectsFile,
    previousImport: view.previousImport,
    message: view.message ?? summarize(result),
    detected: result.detected,
    owner,
  };
}

// ---------------------------------------------------------------------------------------------------------
// API: upload → preview → start

/** Records an uploaded file as a job waiting for its mapping (phase "uploaded"). */
export async function createUploadJob(
  ctx: ServiceContext,
  upload: { id: string; fileName: string; path: string; size: number; sha256: string },
): Promise<TImportJob> {
  requireSignedIn(ctx);
  jobViewer(ctx);
  await insertImportJob(ctx.db.kysely, {
    id: upload.id,
    source_id: null,
    file_name: upload.fileName.slice(0, 300),
    file_sha256: upload.sha256,
    status: 'queued',
    phase: 'uploaded',
    origin: 'api',
    file_path: upload.path,
    file_size: upload.size,
    options: JSON.stringify({ actor: storedActor(ctx.actor) }),
    created_by: ctx.actor.userId,
    created_at: ctx.now().toISOString(),
  });
  return getImportJob(ctx, upload.id);
}

/** A new job id and the path its upload is stored at. */
export function newUploadTarget(db: Db, now: Date): { id: string; path: string } {
  const id = newId(now.getTime());
  return { id, path: join(importsDir(db), 'uploads', `${id}.upload`) };
}

const PREVIEW_ROWS = 20;

function sourceMapping(json: string | null | undefined): Record<string, FieldKey | null> | null {
  const value = parseJson<Record<string, FieldKey | null> | null>(json, null);
  return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/**
 * Detected format, headers, the mapping and the first rows parsed with per-cell warnings. What is wrong with
 * the mapping (`mappingErrors`, `conflicts`) is in `locale`; the rows' reasons stay English (the route
 * translates them, import/reason-zh.ts).
 */
export async function previewImport(
  ctx: ServiceContext,
  jobId: string,
  query: {
    sheet?: string | undefined;
    source?: string | undefined;
    mapping?: Record<string, FieldKey | null> | undefined;
  },
  locale: Locale = 'en',
): Promise<TImportPreview> {
  const row = await visibleJob(ctx, jobId);
  if (!row.file_path || !existsSync(row.file_path)) {
    throw new AppError('unprocessable', msg('imports.file_gone', { id: jobId }));
  }
  const opened = await openImportFile(row.file_path, query.sheet ? { sheet: query.sheet } : {});
  const rows: ReadRow[] = [];
  try {
    for await (const read of opened.file.rows()) {
      rows.push(read);
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } finally {
    await opened.close();
  }
  const info = opened.info;
  let remembered: Record<string, FieldKey | null> | null = null;
  if (!query.mapping && query.source) {
    const source = await ctx.db.kysely
      .selectFrom('sources')
      .select('mapping')
      .where('name', '=', query.source)
      .executeTakeFirst();
    remembered = sourceMapping(source?.mapping);
  }
  let resolved = resolveMapping(info.header, query.mapping ?? remembered, {
    lenient: !query.mapping,
    ignored: info.ignoredColumns,
  });
  const mappingErrors: Message[] = resolved.ok ? [] : resolved.messages;
  if (!resolved.ok) resolved = resolveMapping(info.header, null, { ignored: info.ignoredColumns });
  if (!resolved.ok) throw new AppError('internal', 'the automatic mapping failed');
  const mapping = resolved.mapping;
  if (!mapping.columns.some((c) => c.field === 'name')) {
    mappingErrors.push(msg('import_mapping.no_name_column'));
  }
  const plan = buildRowPlan(mapping.columns, {
    date1904: info.date1904,
    ignore: new Set(info.ignoredColumns),
    original: originalColumnOf(info.header, info.ignoredColumns),
  });
  const batch = prepareBatch(rows, plan);
  const issuesByLine = new Map<number, TImportPreview['rows'][number]['issues']>();
  for (const issue of batch.issues) {
    const list = issuesByLine.get(issue.line) ?? [];
    list.push({ column: issue.column, value: issue.value, reason: issue.reason, severity: issue.severity });
    issuesByLine.set(issue.line, list);
  }
  const staged = new Map(unpackStagedRows(batch.rows).map((r) => [r[S.line], r]));
  const ignored = new Set(info.ignoredColumns);
  return {
    jobId,
    detected: {
      kind: info.kind,
      encoding: info.encoding,
      delimiter: info.delimiter,
      sheet: info.sheet,
      sheets: info.sheets,
      headerLine: info.headerLine,
      fileSize: info.fileSize,
    },
    headers: info.header,
    fields: [...IMPORT_FIELD_KEYS],
    mapping: info.header.map((header, index) => {
      const column = mapping.columns.find((c) => c.index === index);
      return {
        index,
        header,
        field: column?.field ?? null,
        ...(column?.scale !== undefined ? { scale: column.scale } : {}),
        source: column?.source ?? 'auto',
        ignored: ignored.has(index),
      };
    }),
    conflicts: mapping.conflictMessages.map((message) => renderMessage(message, locale)),
    mappingErrors: mappingErrors.map((message) => renderMessage(message, locale)),
    usedRememberedMapping: remembered !== null && !query.mapping,
    rows: rows.map((read) => {
      const issues = issuesByLine.get(read.line) ?? [];
      const accepted = staged.get(read.line);
      const values: Record<string, string | number | null> = {};
      if (accepted) {
        Object.assign(values, {
          name: accepted[S.name],
          uscc: accepted[S.uscc],
          website: accepted[S.websiteDomain],
          province: accepted[S.province],
          city: accepted[S.city],
          district: accepted[S.district],
          address: accepted[S.address],
          industry: accepted[S.industry],
          annualSales: accepted[S.annualSales],
          employeesMin: accepted[S.employeesMin],
          employeesMax: accepted[S.employeesMax],
          netAssets: accepted[S.netAssets],
          registeredCapital: accepted[S.registeredCapital],
          phone: accepted[S.phone],
          email: accepted[S.email],
          contactName: accepted[S.contactName],
          customFields: accepted[S.customFields],
        });
      }
      return {
        line: read.line,
        cells: read.fields,
        status: (!accepted ? 'rejected' : issues.length > 0 ? 'warning' : 'ok') as
          | 'rejected'
          | 'warning'
          | 'ok',
        values,
        issues,
      };
    }),
  };
}

/** Confirms an uploaded job's source and mapping and queues it; the runner picks it up. */
export async function startImport(
  ctx: ServiceContext,
  jobId: string,
  input: TImportStart,
): Promise<TImportJob> {
  const row = await visibleJob(ctx, jobId);
  const state = stateOf(row);
  if (state !== 'uploaded' && state !== 'failed') {
    throw new AppError('conflict', msg('imports.cannot_start', { id: jobId, state }), {
      state,
    });
  }
  // The runner takes only uploads: a CLI job queued here would wait for ever.
  if (row.origin !== 'api')
    throw new AppError('conflict', msg('imports.cli_job_not_restartable', { id: jobId }), { state });
  if (row.file_expired_at) {
    throw new AppError(
      'unprocessable',
      msg('imports.file_expired', { id: jobId, date: row.file_expired_at.slice(0, 10) }),
      { problem: 'file_expired', fileExpiredAt: row.file_expired_at },
    );
  }
  if (!row.file_path || !existsSync(row.file_path)) {
    throw new AppError('unprocessable', msg('imports.file_gone', { id: jobId }));
  }
  // Check the mapping now, so that the wizard can show what is wrong before anything runs.
  const opened = await openImportFile(row.file_path, input.sheet ? { sheet: input.sheet } : {});
  await opened.close();
  if (input.mapping) {
    const resolved = resolveMapping(opened.info.header, input.mapping, {
      ignored: opened.info.ignoredColumns,
    });
    if (!resolved.ok) {
      throw new AppError(
        'validation_failed',
        msg('imports.mapping_misfit', {
          errors: {
            en: resolved.errors.join('; '),
            'zh-CN': resolved.messages.map((message) => renderMessage(message, 'zh-CN')).join('；'),
          },
        }),
        {
          errors: resolved.errors,
        },
      );
    }
    if (!resolved.mapping.columns.some((c) => c.field === 'name')) {
      throw new AppError('validation_failed', msg('imports.needs_name_column'), {
        errors: ['no name column'],
      });
    }
  }
  // The uploader is the importer (its default owner, its audit entry), whoever starts it.
  const actor = parseJson<StoredOptions | null>(row.options, null)?.actor ?? storedActor(ctx.actor);
  const options: StoredOptions = {
    source: input.source,
    mapping: input.mapping ?? null,
    sheet: input.sheet,
    dryRun: input.dryRun === true,
    newerSourceWins: input.newerSourceWins === true,
    actor,
    owner: await resolveImportOwner(ctx, ctx.db.kysely, input.ownerId, actor),
  };
  // Run again: the failed run's rejections go, in the transaction that queues it, and only while its file is kept
  // (expireFailedImportFiles may be removing it at this moment).
  const ok = await inTransaction(ctx.db.kysely, async (trx) => {
    const queued = await updateImportJob(
      trx,
      jobId,
      {
        options: JSON.stringify(options),
        dry_run: options.dryRun ? 1 : 0,
        status: 'queued',
        phase: 'ready',
        error: null,
        claimed_by: null,
        processed_rows: 0,
        total_rows: 0,
        created_count: 0,
        merged_count: 0,
        rejected_count: 0,
        warning_count: 0,
        result: null,
        finished_at: null,
      },
      { status: row.status, fileKept: true },
    );
    if (queued && state === 'failed')
      await trx.deleteFrom('import_errors').where('job_id', '=', jobId).execute();
    return queued;
  });
  if (!ok) throw new AppError('conflict', msg('imports.changed_meanwhile', { id: jobId }));
  return getImportJob(ctx, jobId);
}

// ---------------------------------------------------------------------------------------------------------
// Housekeeping: uploads never started, failed imports, files no job references

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long an upload that was never started is kept: $TIERLINE_UPLOAD_TTL_HOURS (default 24 hours). */
export function uploadTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const hours = Number(env.TIERLINE_UPLOAD_TTL_HOURS);
  return (Number.isFinite(hours) && hours > 0 ? hours : 24) * HOUR_MS;
}

/** How long a failed import keeps its uploaded file (to be run again): $TIERLINE_FAILED_IMPORT_TTL_DAYS (default 7). */
export function failedImportTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.TIERLINE_FAILED_IMPORT_TTL_DAYS);
  return (Number.isFinite(days) && days > 0 ? days : 7) * DAY_MS;
}

/** Removes the stored files of discarded uploads (only the server's own copies: a CLI job's file is the user's). */
async function removeDiscardedFiles(rows: readonly DiscardedUpload[]): Promise<void> {
  for (const row of rows) if (row.origin === 'api' && row.file_path) await removeUpload(row.file_path);
}

const endedWithoutImport = (state: TImportJob['state']): boolean =>
  (ENDED_WITHOUT_IMPORT as readonly string[]).includes(state);

/**
 * Discards an upload that was never started (the wizard left before Start), or an import that failed: the job and
 * its stored file (a CLI job's file is the user's own and stays). Nothing of a failed import was imported (its
 * merge is one transaction), so only the job goes; its audit entry keeps what it was and why it failed. Whoever may
 * see the job may discard it (404 otherwise); a job queued, running or done is refused with 409, as is one run
 * again while this ran.
 */
export async function discardImportJob(ctx: ServiceContext, jobId: string): Promise<void> {
  const row = await visibleJob(ctx, jobId);
  const state = stateOf(row);
  if (state !== 'uploaded' && !endedWithoutImport(state))
    throw new AppError('conflict', msg('imports.cannot_discard', { id: jobId, state }), { state });
  const at = ctx.now().toISOString();
  const removed = await inTransaction(ctx.db.kysely, async (trx): Promise<DiscardedUpload[]> => {
    // An upload never started is only its file; a failed import's entry also keeps what it was and why it failed.
    const discarded =
      state === 'uploaded'
        ? (await deleteUnstartedUploads(trx, { id: jobId })).map((row) => ({ row, failed: {} }))
        : (await deleteEndedJob(trx, jobId)).map((row) => ({
            row,
            failed: {
              state: row.status,
              error: row.error === null ? null : renderStoredMessage(row.error, 'en'),
              processedRows: row.processed_rows,
              rejected: row.rejected_count,
              warnings: row.warning_count,
              finishedAt: row.finished_at,
            },
          }));
    for (const { row, failed } of discarded)
      await recordAudit(trx, {
        at,
        userId: ctx.actor.userId,
        entity: 'import_job',
        entityId: row.id,
        action: 'discard',
        before: { fileName: row.file_name, createdBy: row.created_by, ...failed },
      });
    return discarded.map((d) => d.row);
  });
  if (removed.length === 0) throw new AppError('conflict', msg('imports.changed_meanwhile', { id: jobId }));
  await removeDiscardedFiles(removed);
}

/**
 * Removes uploads never started within `ttlMs` of their upload (default uploadTtlMs()), with their files: the
 * wizard left open, an upload nobody came back to. A job that started is never touched. The import runner calls it
 * when it starts and then hourly (import-runner.ts); audited as the system's. Returns the removed jobs' ids.
 */
export async function discardStaleUploads(
  db: Db,
  now: () => Date,
  ttlMs: number = uploadTtlMs(),
): Promise<string[]> {
  const at = now();
  const createdBefore = new Date(at.getTime() - ttlMs).toISOString();
  return removeJobFiles(db, at, 'expire', (trx) => deleteUnstartedUploads(trx, { createdBefore }));
}

/**
 * Removes the uploaded files of imports that failed more than `ttlMs` ago (default failedImportTtlMs()): the job
 * stays, with its counts, its reason and its rejections, marked with `file_expired_at`, so it is no longer offered
 * to run again. Only uploads (a CLI job's file is the user's own); a job that succeeded is never touched. The import
 * runner calls it with discardStaleUploads; audited as the system's (`expire_file`). Returns the jobs' ids.
 */
export async function expireFailedImportFiles(
  db: Db,
  now: () => Date,
  ttlMs: number = failedImportTtlMs(),
): Promise<string[]> {
  const at = now();
  const endedBefore = new Date(at.getTime() - ttlMs).toISOString();
  return removeJobFiles(db, at, 'expire_file', (trx) =>
    expireEndedJobFiles(trx, endedBefore, at.toISOString()),
  );
}

/**
 * The system's tidying of import jobs: `change` removes or marks the jobs in one transaction with an audit entry
 * each (`action`), then their stored files are removed. Returns the jobs' ids.
 */
async function removeJobFiles(
  db: Db,
  at: Date,
  action: 'expire' | 'expire_file',
  change: (trx: Executor) => Promise<DiscardedUpload[]>,
): Promise<string[]> {
  const rows = await inTransaction(db.kysely, async (trx) => {
    const changed = await change(trx);
    await recordAudits(
      trx,
      changed.map((r) => ({
        at: at.toISOString(),
        userId: null,
        entity: 'import_job',
        entityId: r.id,
        action,
        before: { fileName: r.file_name, createdBy: r.created_by },
      })),
    );
    return changed;
  });
  await removeDiscardedFiles(rows);
  return rows.map((r) => r.id);
}

/** The folder uploads are stored in (newUploadTarget), the only one sweepOrphanUploads looks in. */
export function uploadsDir(db: Db): string {
  return join(importsDir(db), 'uploads');
}

/** An upload as newUploadTarget names it: `<job id>.upload`. Nothing else in the folder is ever removed. */
const UPLOAD_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12})\.upload$/;
/** The marker naming the workspace whose uploads folder this is (see uploadsFolderOwner). */
export const UPLOADS_OWNER_FILE = '.tierline-workspace';
const SHARED_MARKER = 'shared';

/**
 * Whose the uploads folder is. Its files are named by job ids, so a folder two workspaces (two databases) share
 * works, but only the database that made a file knows it: a sweep by the other would remove uploads still needed.
 * A workspace is known by the id of its first user (ids are random, copied by backups and export-all/import-all,
 * so a moved workspace stays itself; none yet: nobody can have uploaded). The folder keeps a marker with the id of
 * the first workspace that swept it; a different id there means the folder is shared: the marker becomes `shared`
 * and no workspace sweeps it until someone deletes the marker (after giving each workspace its own
 * TIERLINE_IMPORT_DIR). Nothing is written to the database.
 */
async function uploadsFolderOwner(db: Db, dir: string): Promise<'ours' | 'shared' | 'no workspace yet'> {
  const first = await db.kysely
    .selectFrom('users')
    .select((eb) => eb.fn.min('id').as('id'))
    .executeTakeFirst();
  const ours = first?.id;
  if (!ours) return 'no workspace yet';
  const marker = join(dir, UPLOADS_OWNER_FILE);
  try {
    await writeFile(marker, `${ours}\n`, { flag: 'wx' });
    return 'ours';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const theirs = (await readFile(marker, 'utf8')).trim();
  if (theirs === ours) return 'ours';
  if (theirs !== SHARED_MARKER) await writeFile(marker, `${SHARED_MARKER}\n`);
  return 'shared';
}

export interface OrphanSweep {
  /** The files removed (names in the uploads folder). */
  removed: string[];
  /** The folder is shared with another workspace, so nothing was removed (see uploadsFolderOwner). */
  shared: boolean;
}

/**
 * Removes upload files no job knows, left by a process that died mid-upload (the file is written before its job
 * exists) or by a removal that failed: in the uploads folder only, files named `<id>.upload` only (no other file,
 * folder or link), last written more than `ttlMs` ago (default uploadTtlMs(): an upload still arriving is being
 * written), and only when no job has that id or that file as its file. Skipped when the folder is shared with
 * another workspace. The import runner calls it with discardStaleUploads.
 */
export async function sweepOrphanUploads(
  db: Db,
  now: () => Date,
  ttlMs: number = uploadTtlMs(),
): Promise<OrphanSweep> {
  const dir = uploadsDir(db);
  const at = now();
  let folder: Awaited<ReturnType<typeof opendir>>;
  try {
    folder = await opendir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [], shared: false };
    throw error;
  }
  const writtenBefore = at.getTime() - ttlMs;
  const old: { id: string; name: string; path: string }[] = [];
  for await (const entry of folder) {
    const id = UPLOAD_NAME.exec(entry.name)?.[1];
    if (!id || !entry.isFile()) continue;
    const path = join(dir, entry.name);
    const stats = await lstat(path).catch(() => null);
    if (stats?.isFile() && stats.mtimeMs < writtenBefore) old.push({ id, name: entry.name, path });
  }
  const owner = await uploadsFolderOwner(db, dir);
  if (owner !== 'ours') return { removed: [], shared: owner === 'shared' };
  const removed: string[] = [];
  for (let i = 0; i < old.length; i += 500) {
    const batch = old.slice(i, i + 500);
    const known = await referencedUploads(
      db.kysely,
      batch.map((f) => f.id),
      batch.map((f) => f.path),
    );
    for (const file of batch) {
      if (known.ids.has(file.id) || known.paths.has(file.path)) continue;
      await removeUpload(file.path);
      removed.push(file.name);
    }
  }
  return { removed, shared: false };
}

// ---------------------------------------------------------------------------------------------------------
// Rejected rows

/**
 * One CSV record (RFC 4180 quoting, CRLF). Unlike the account exports, cells are written exactly as the user's
 * file had them (no formula guard), so that a fixed rejected-rows file imports like the original rows.
 */
function rawCsvRecord(cells: readonly string[]): string {
  return `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;
}

/** The text of a record that could not be split: its fields as read, joined by the file's delimiter. */
function recordText(fields: readonly string[], delimiter: string): string {
  const quote = (f: string) =>
    f.includes(delimiter) || /["\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  // A quote never closed runs to the end of the file: its field ends with the file's last line break.
  return fields.map((f, i) => quote(i === fields.length - 1 ? f.replace(/[\r\n]+$/, '') : f)).join(delimiter);
}

/** Reasons stored before the column was left to the file's header said it again (old jobs). */
const USCC_PREFIX = 'unified social credit code: ';

/**
 * The rejected rows as CSV: the file's own columns, then `line`, `reason` and `original`. A row rejected for a
 * value (no company name, a bad credit code) keeps its values in its columns, to be fixed there; `original` is
 * empty. A row the reader could not split (a field count unlike the header's, a quote never closed) leaves its
 * columns empty and keeps its text in `original`: imported again unfixed it is rejected again (not padded or
 * shifted into an account), and once its values are copied into the columns it imports like any row. A rejected
 * row of a rejected-rows file keeps the `original` it had. Each reason names its column once, in `locale`.
 */
async function* rejectedRowsFrom(db: Db, job: ImportJobRow, locale: string): AsyncGenerator<string> {
  const detected = parseJson<ImportFileInfo | null>(job.detected, null);
  const fullHeader = detected?.header ?? [];
  const ignoredList = detected?.ignoredColumns ?? [];
  const ignored = new Set(ignoredList);
  const originalAt = originalColumnOf(fullHeader, ignoredList);
  const header = fullHeader.filter((_, i) => !ignored.has(i));
  const delimiter = detected?.delimiter ?? (detected?.kind === 'xlsx' ? '\t' : ',');
  const zh = locale.toLowerCase().startsWith('zh');
  yield UTF8_BOM + rawCsvRecord([...header, ...REJECTS_COLUMNS]);
  let current: { line: number; raw: string[] | null; reasons: string[]; unsplit: boolean } | null = null;
  const emit = (entry: { line: number; raw: string[] | null; reasons: string[]; unsplit: boolean }) => {
    const raw = entry.raw ?? [];
    const carried = originalAt === undefined ? '' : (raw[originalAt] ?? '');
    const reason = entry.reasons.join(zh ? '；' : '; ');
    if (entry.unsplit) {
      // A rejected-rows file's row of this kind has the file's whole width; the reader's own, any width.
      const fields = raw.length === fullHeader.length ? raw.filter((_, i) => !ignored.has(i)) : raw;
      const original = carried.trim() ? carried : recordText(fields, delimiter);
      return rawCsvRecord([...header.map(() => ''), String(entry.line), reason, original]);
    }
    const data = raw.filter((_, i) => !ignored.has(i));
    const cells = header.length > 0 ? header.map((_, i) => data[i] ?? '') : data;
    return rawCsvRecord([...cells, String(entry.line), reason, carried]);
  };
  for await (const page of iterateRejections(db.kysely, job.id)) {
    let out = '';
    for (const issue of page) {
      if (!current || current.line !== issue.line) {
        if (current) out += emit(current);
        current = { line: issue.line, raw: null, reasons: [], unsplit: false };
      }
      if (issue.raw && !current.raw) current.raw = parseJson<string[]>(issue.raw, []);
      // A rejection without a column is the row's shape (the reader's, or an unsplit row again).
      if (issue.column_name === null) current.unsplit = true;
      const stored = issue.column_name && issue.reason.startsWith(USCC_PREFIX);
      const reason = reasonIn(locale, stored ? issue.reason.slice(USCC_PREFIX.length) : issue.reason);
      current.reasons.push(issue.column_name ? `${issue.column_name}${zh ? '：' : ': '}${reason}` : reason);
    }
    if (out) yield out;
  }
  if (current) yield emit(current);
}

/**
 * The rejected rows as CSV (UTF-8 with BOM): the input's own columns, then line, reason and original (see
 * rejectedRowsFrom), the reasons in `locale` (zh-*: Chinese; the `line`, `reason` and `original` headers stay as
 * they are, so the fixed file imports without them).
 */
export async function rejectedRowsCsv(
  ctx: ServiceContext,
  jobId: string,
  locale = 'en',
): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
  const row = await visibleJob(ctx, jobId);
  const stem = basename(row.file_name, extname(row.file_name)) || 'import';
  return { filename: `${stem}-rejected.csv`, chunks: rejectedRowsFrom(ctx.db, row, locale) };
}

// ---------------------------------------------------------------------------------------------------------
// Warnings

/**
 * A stored reason in `locale`: a catalog message stored with it (domain/stored-message.ts) is rendered in that
 * language; the English text the parsers write is translated as the rejections' reasons are (import/reason-zh.ts).
 */
export function issueReasonIn(stored: string, locale: string): string {
  const { text, message } = readStoredMessage(stored);
  if (message) return renderMessage(message, locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
  return reasonIn(locale, text);
}

/** Column header → the field it was mapped to (null: a custom field), from the job's resolved mapping. */
function fieldsByHeader(job: ImportJobRow): Map<string, TImportWarning['field']> {
  const columns = parseJson<{ columns?: MappingColumn[] } | null>(job.mapping, null)?.columns ?? [];
  const fields = new Map<string, TImportWarning['field']>();
  const used = new Set<string>();
  for (const column of Array.isArray(columns) ? columns : []) {
    if (fields.has(column.header)) continue;
    // As buildRowPlan: the first column of a field fills it; a later one is kept as a custom field.
    const field =
      column.field && IMPORT_FIELD_KEYS.includes(column.field) && !used.has(column.field)
        ? column.field
        : null;
    if (field) used.add(field);
    fields.set(column.header, field);
  }
  return fields;
}

function warningView(
  issue: StoredIssue,
  fields: Map<string, TImportWarning['field']>,
  locale: string,
): TImportWarning {
  return {
    line: issue.line,
    column: issue.column_name,
    value: issue.value,
    reason: issueReasonIn(issue.reason, locale),
    field: issue.column_name === null ? null : (fields.get(issue.column_name) ?? null),
  };
}

/**
 * A page of a job's warnings (optional values that could not be read, imported as empty), in line order, the
 * reasons in `locale`. Visible to whoever may see the job (404 otherwise). Also during a run and for dry runs:
 * warnings are stored as rows are read.
 */
export async function listImportWarnings(
  ctx: ServiceContext,
  jobId: string,
  paging: { page: number; pageSize: number },
  locale = 'en',
): Promise<TImportWarningPage> {
  const job = await visibleJob(ctx, jobId);
  const page = Math.max(1, Math.floor(paging.page));
  const pageSize = Math.min(Math.max(1, Math.floor(paging.pageSize)), 500);
  const { rows, total } = await importWarningsPage(ctx.db.kysely, job.id, (page - 1) * pageSize, pageSize);
  const fields = fieldsByHeader(job);
  const result = parseJson<StoredResult | null>(job.result, null);
  return {
    items: rows.map((issue) => warningView(issue, fields, locale)),
    total,
    page,
    pageSize,
    notStored: Math.max(0, result?.warningsNotStored ?? 0),
  };
}

const WARNING_COLUMNS: readonly ExportColumn<TImportWarning>[] = [
  { key: 'line', header: 'line', value: (w) => w.line },
  { key: 'column', header: 'column', value: (w) => w.column },
  { key: 'value', header: 'value', value: (w) => w.value },
  { key: 'reason', header: 'reason', value: (w) => w.reason },
];

async function* warningBatches(db: Db, job: ImportJobRow, locale: string): AsyncGenerator<TImportWarning[]> {
  const fields = fieldsByHeader(job);
  for await (const page of iterateIssues(db.kysely, job.id, 'warning'))
    yield page.map((issue) => warningView(issue, fields, locale));
}

/**
 * Every stored warning of a job as CSV (UTF-8 with BOM, RFC 4180): line, column, value and reason (in `locale`).
 * A report to read, not to import again, so cells a spreadsheet would run as formulas are neutralised as in the
 * other exports (export-format.ts).
 */
export async function importWarningsCsv(
  ctx: ServiceContext,
  jobId: string,
  locale = 'en',
): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
  const row = await visibleJob(ctx, jobId);
  const stem = basename(row.file_name, extname(row.file_name)) || 'import';
  return {
    filename: `${stem}-warnings.csv`,
    chunks: csvChunks(WARNING_COLUMNS, warningBatches(ctx.db, row, locale)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sources

/** Per source: accounts supplied, how many are in the target market, and what each in-market account cost. */
export async function listSourceReports(ctx: ServiceContext): Promise<TSourceReport[]> {
  requireSignedIn(ctx);
  const rows = await sourceReportRows(ctx.db.kysely);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    cost: r.cost == null ? null : Number(r.cost),
    acquiredOn: r.acquired_on,
    cleaningHours: r.cleaning_hours == null ? null : Number(r.cleaning_hours),
    accounts: r.accounts,
    inMarket: r.in_market,
    costPerInMarketAccount: r.in_market > 0 && r.cost != null ? Number(r.cost) / r.in_market : null,
    hoursPerInMarketAccount:
      r.in_market > 0 && r.cleaning_hours != null ? Number(r.cleaning_hours) / r.in_market : null,
    lastImportAt: r.last_import_at,
    mapping: sourceMapping(r.mapping),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Recovery

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A claim whose process is gone. On this host, a claimant whose pid no longer runs at once. Otherwise by its lease:
 * on PostgreSQL a running job's heartbeat is written every 10 s (also during the merge), so a heartbeat older
 * than IMPORT_LEASE_MS means the claimant died, hung or lost the database (on another machine, or in another
 * container that reuses pids). On SQLite (one machine) a live claimant is never taken over: its merge writes
 * no heartbeat while it holds the write lock.
 */
export function isAbandoned(row: ImportJobRow, now: Date, dialect: Db['dialect'] = 'postgres'): boolean {
  const [host, pidText] = (row.claimed_by ?? '').split('/');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0) {
    if (pid === process.pid) return false;
    if (!pidAlive(pid)) return true;
    if (dialect === 'sqlite') return false;
  }
  const beat = row.heartbeat_at ?? row.started_at;
  return !beat || now.getTime() - Date.parse(beat) > IMPORT_LEASE_MS;
}

/**
 * Jobs left running by a process that died: an uploaded file is queued again from the start (its staged rows
 * died with the process; nothing was merged), a CLI job is marked failed (rerun the command). Either way no
 * account from the dead run exists, because the merge is one transaction.
 */
export async function recoverAbandonedJobs(
  db: Db,
  now: () => Date,
): Promise<{ requeued: string[]; failed: string[] }> {
  const requeued: string[] = [];
  const failed: string[] = [];
  for (const row of await runningImportJobs(db.kysely)) {
    if (!isAbandoned(row, now(), db.dialect)) continue;
    const claimant = row.claimed_by ?? 'unknown';
    if (row.origin === 'api' && row.file_path && existsSync(row.file_path)) {
      const ok = await updateImportJob(
        db.kysely,
        row.id,
        {
          status: 'queued',
          phase: 'ready',
          claimed_by: null,
          processed_rows: 0,
          rejected_count: 0,
          warning_count: 0,
          error: storedMessage(msg('imports.interrupted_requeued', { claimant })),
        },
        { claimedBy: row.claimed_by ?? '', status: 'running' },
      );
      if (ok) {
        await db.kysely.deleteFrom('import_errors').where('job_id', '=', row.id).execute();
        requeued.push(row.id);
      }
    } else {
      const ok = await updateImportJob(
        db.kysely,
        row.id,
        {
          status: 'failed',
          phase: 'done',
          error: storedMessage(msg('imports.interrupted_failed', { claimant })),
          finished_at: now().toISOString(),
        },
        { claimedBy: row.claimed_by ?? '', status: 'running' },
      );
      if (ok) failed.push(row.id);
    }
  }
  return { requeued, failed };
}

/** Removes a stored upload (after a job is deleted or its file is no longer needed). */
export async function removeUpload(path: string): Promise<void> {
  await rm(path, { force: true });
}
