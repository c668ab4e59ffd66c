import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ImportJobsTable } from '../tables.ts';
import { teamMemberIds } from './account-scope.ts';
import type { Executor } from './accounts.ts';

export type ImportJobRow = Selectable<ImportJobsTable>;

/** Whose jobs a caller may see: everyone's (admin, local CLI), their own, or their team's (a manager). */
export type JobViewer = { all: true } | { userId: string; role: 'rep' | 'manager' };

export async function insertImportJob(db: Executor, row: Insertable<ImportJobsTable>): Promise<void> {
  await db.insertInto('import_jobs').values(row).execute();
}

export async function findImportJob(
  db: Executor,
  id: string,
  viewer: JobViewer,
): Promise<ImportJobRow | undefined> {
  let q = db.selectFrom('import_jobs').selectAll().where('id', '=', id);
  if (!('all' in viewer)) {
    q =
      viewer.role === 'rep'
        ? q.where('created_by', '=', viewer.userId)
        : q.where('created_by', 'in', teamMemberIds(db, viewer.userId));
  }
  return q.executeTakeFirst();
}

/**
 * The jobs `viewer` may see, newest first. With `uploadedSince`, an upload never started is listed only when it was
 * made since then (one older is past its time to live and removed at the import runner's next tidy).
 */
export async function listImportJobs(
  db: Executor,
  viewer: JobViewer,
  limit: number,
  options: { uploadedSince?: string } = {},
): Promise<ImportJobRow[]> {
  let q = db.selectFrom('import_jobs').selectAll();
  const since = options.uploadedSince;
  if (since !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('status', '!=', 'queued'),
        eb('phase', 'is', null),
        eb('phase', '!=', 'uploaded'),
        eb('created_at', '>=', since),
      ]),
    );
  }
  if (!('all' in viewer)) {
    q =
      viewer.role === 'rep'
        ? q.where('created_by', '=', viewer.userId)
        : q.where('created_by', 'in', teamMemberIds(db, viewer.userId));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function updateImportJob(
  db: Executor,
  id: string,
  changes: Partial<Insertable<ImportJobsTable>>,
  where: {
    claimedBy?: string;
    status?: ImportJobRow['status'];
    phase?: ImportJobRow['phase'];
    /** Only while the job's uploaded file has not expired (file_expired_at is null). */
    fileKept?: true;
  } = {},
): Promise<boolean> {
  let q = db.updateTable('import_jobs').set(changes).where('id', '=', id);
  if (where.claimedBy !== undefined) q = q.where('claimed_by', '=', where.claimedBy);
  if (where.status !== undefined) q = q.where('status', '=', where.status);
  if (where.phase !== undefined) q = q.where('phase', '=', where.phase);
  if (where.fileKept) q = q.where('file_expired_at', 'is', null);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Claims the oldest uploaded job waiting to run, in one statement, so that of several processes polling the
 * queue exactly one gets each job. PostgreSQL: the candidate row is locked `FOR UPDATE SKIP LOCKED`, so
 * concurrent claimers take different jobs instead of queueing on the same row. SQLite: one writer at a time;
 * the `status = 'queued'` condition on the UPDATE itself makes a second claim of the same row change nothing.
 * Only API uploads (origin 'api') are taken: a CLI job is run by the process that created it, on its own file.
 */
export async function claimNextImportJob(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  claim: { token: string; at: string },
): Promise<ImportJobRow | undefined> {
  let next = db
    .selectFrom('import_jobs')
    .select('id')
    .where('status', '=', 'queued')
    .where('phase', '=', 'ready')
    .where('origin', '=', 'api')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);
  if (dialect === 'postgres') next = next.forUpdate().skipLocked();
  return db
    .updateTable('import_jobs')
    .set({
      status: 'running',
      claimed_by: claim.token,
      started_at: claim.at,
      heartbeat_at: claim.at,
      error: null,
    })
    .where('id', '=', next)
    .where('status', '=', 'queued')
    .where('phase', '=', 'ready')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Gives a running job back to the queue (status queued, phase ready, claim cleared, its rejections from this
 * run removed) if `token` still holds it; used when a server stops before the job finished. Nothing of the run
 * is visible (the merge is one transaction that also checks the claim), so the job reruns from the start.
 */
export async function releaseImportJob(
  db: Kysely<Database>,
  id: string,
  token: string,
  reason: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const released = await updateImportJob(
      trx,
      id,
      {
        status: 'queued',
        phase: 'ready',
        claimed_by: null,
        processed_rows: 0,
        rejected_count: 0,
        warning_count: 0,
        error: reason,
      },
      { claimedBy: token, status: 'running' },
    );
    if (released) await trx.deleteFrom('import_errors').where('job_id', '=', id).execute();
    return released;
  });
}

/** A job removed before it started: what is needed to remove its file and record the removal. */
export type DiscardedUpload = Pick<ImportJobRow, 'id' | 'file_path' | 'file_name' | 'origin' | 'created_by'>;

/**
 * Deletes uploaded jobs that were never started (status queued, phase uploaded; import_jobs_queue_idx): one by
 * `id`, or every one created before `createdBefore`. One statement whose condition is the state itself, so a job
 * started meanwhile (phase ready) is never deleted, and of two servers sweeping at once each job goes to one.
 */
export async function deleteUnstartedUploads(
  db: Executor,
  which: { id: string } | { createdBefore: string },
): Promise<DiscardedUpload[]> {
  let q = db.deleteFrom('import_jobs').where('status', '=', 'queued').where('phase', '=', 'uploaded');
  q = 'id' in which ? q.where('id', '=', which.id) : q.where('created_at', '<', which.createdBefore);
  return q.returning(['id', 'file_path', 'file_name', 'origin', 'created_by']).execute();
}

/** The states of a job that ended without importing anything (a failed run; nothing sets cancelled yet). */
export const ENDED_WITHOUT_IMPORT = [
  'failed',
  'cancelled',
] as const satisfies readonly ImportJobRow['status'][];

/** A failed job removed by a user: what its audit entry keeps, and its file to remove. */
export type DiscardedJob = DiscardedUpload &
  Pick<
    ImportJobRow,
    'status' | 'error' | 'processed_rows' | 'rejected_count' | 'warning_count' | 'finished_at'
  >;

/**
 * Deletes a job that ended without importing anything (failed or cancelled), by `id`; its rejections go with it
 * (import_errors cascades). The state is the statement's condition, so a job run again meanwhile is not deleted.
 */
export async function deleteEndedJob(db: Executor, id: string): Promise<DiscardedJob[]> {
  return db
    .deleteFrom('import_jobs')
    .where('id', '=', id)
    .where('status', 'in', ENDED_WITHOUT_IMPORT)
    .returning([
      'id',
      'file_path',
      'file_name',
      'origin',
      'created_by',
      'status',
      'error',
      'processed_rows',
      'rejected_count',
      'warning_count',
      'finished_at',
    ])
    .execute();
}

/**
 * Marks the uploaded files of jobs that failed (or were cancelled) before `endedBefore` as expired, at `at`, and
 * returns them, so the caller removes the files: API uploads only (a CLI job's file is the user's own), each once
 * (file_expired_at still null). One statement whose condition is the state, so a job run again meanwhile (queued)
 * keeps its file, and of two servers sweeping at once each job goes to one. The job rows stay.
 */
export async function expireEndedJobFiles(
  db: Executor,
  endedBefore: string,
  at: string,
): Promise<DiscardedUpload[]> {
  return db
    .updateTable('import_jobs')
    .set({ file_expired_at: at })
    .where('status', 'in', ENDED_WITHOUT_IMPORT)
    .where('origin', '=', 'api')
    .where('file_path', 'is not', null)
    .where('file_expired_at', 'is', null)
    .where((eb) => eb(eb.fn.coalesce('finished_at', 'created_at'), '<', endedBefore))
    .returning(['id', 'file_path', 'file_name', 'origin', 'created_by'])
    .execute();
}

/**
 * Of the given job ids and file paths, those some job has (as its id, or as its file_path): the uploads a sweep of
 * the uploads folder must keep.
 */
export async function referencedUploads(
  db: Executor,
  ids: readonly string[],
  paths: readonly string[],
): Promise<{ ids: Set<string>; paths: Set<string> }> {
  const found = { ids: new Set<string>(), paths: new Set<string>() };
  if (ids.length === 0 && paths.length === 0) return found;
  const rows = await db
    .selectFrom('import_jobs')
    .select(['id', 'file_path'])
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('id', 'in', ids)] : []),
        ...(paths.length > 0 ? [eb('file_path', 'in', paths)] : []),
      ]),
    )
    .execute();
  for (const row of rows) {
    found.ids.add(row.id);
    if (row.file_path) found.paths.add(row.file_path);
  }
  return found;
}

export async function runningImportJobs(db: Executor): Promise<ImportJobRow[]> {
  return db.selectFrom('import_jobs').selectAll().where('status', '=', 'running').execute();
}

/** The latest earlier successful (not dry-run) import of a file with this SHA-256. */
export async function previousImportOf(
  db: Executor,
  sha256: string,
  beforeJobId: string,
): Promise<{ id: string; finished_at: string | null } | undefined> {
  return db
    .selectFrom('import_jobs')
    .select(['id', 'finished_at'])
    .where('file_sha256', '=', sha256)
    .where('status', '=', 'succeeded')
    .where('dry_run', '=', 0)
    .where('id', '<>', beforeJobId)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface StoredIssue {
  id: string;
  line: number;
  column_name: string | null;
  value: string | null;
  reason: string;
  raw: string | null;
}

/** The job's errors (rejections) in line order, a page at a time. */
export function iterateRejections(
  db: Executor,
  jobId: string,
  pageSize = 5000,
): AsyncGenerator<StoredIssue[]> {
  return iterateIssues(db, jobId, 'error', pageSize);
}

/** The job's issues of one severity (errors: rejections; warnings: values left empty) in line order, by pages. */
export async function* iterateIssues(
  db: Executor,
  jobId: string,
  severity: 'error' | 'warning',
  pageSize = 5000,
): AsyncGenerator<StoredIssue[]> {
  let afterLine = -1;
  let afterId = '';
  for (;;) {
    const page = await db
      .selectFrom('import_errors')
      .select(['id', 'line', 'column_name', 'value', 'reason', 'raw'])
      .where('job_id', '=', jobId)
      .where('severity', '=', severity)
      .where((eb) =>
        eb.or([eb('line', '>', afterLine), eb.and([eb('line', '=', afterLine), eb('id', '>', afterId)])]),
      )
      .orderBy('line')
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1] as StoredIssue;
    afterLine = last.line;
    afterId = last.id;
  }
}

/** One page of the job's stored warnings in line order, and how many it stores in all. */
export async function importWarningsPage(
  db: Executor,
  jobId: string,
  offset: number,
  limit: number,
): Promise<{ rows: StoredIssue[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('import_errors')
      .select(['id', 'line', 'column_name', 'value', 'reason', 'raw'])
      .where('job_id', '=', jobId)
      .where('severity', '=', 'warning')
      .orderBy('line')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('import_errors')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('job_id', '=', jobId)
      .where('severity', '=', 'warning')
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface SourceReportRow {
  id: string;
  name: string;
  kind: 'purchased' | 'free';
  /** Null: not entered. */
  cost: number | null;
  acquired_on: string | null;
  /** Null: not entered. */
  cleaning_hours: number | null;
  mapping: string | null;
  accounts: number;
  in_market: number;
  last_import_at: string | null;
}

/** Every source with the accounts it supplied and how many of those are in the target market. */
export async function sourceReportRows(db: Executor): Promise<SourceReportRow[]> {
  const rows = await db
    .selectFrom('sources')
    .leftJoin('account_sources', 'account_sources.source_id', 'sources.id')
    .leftJoin('accounts', 'accounts.id', 'account_sources.account_id')
    .select((eb) => [
      'sources.id',
      'sources.name',
      'sources.kind',
      'sources.cost',
      'sources.acquired_on',
      'sources.cleaning_hours',
      'sources.mapping',
      eb.fn.count<number>('accounts.id').as('accounts'),
      eb.fn.coalesce(eb.fn.sum<number>('accounts.in_market'), eb.lit(0)).as('in_market'),
      eb
        .selectFrom('import_jobs')
        .select((j) => j.fn.max('import_jobs.finished_at').as('at'))
        .whereRef('import_jobs.source_id', '=', 'sources.id')
        .where('import_jobs.status', '=', 'succeeded')
        .as('last_import_at'),
    ])
    .groupBy([
      'sources.id',
      'sources.name',
      'sources.kind',
      'sources.cost',
      'sources.acquired_on',
      'sources.cleaning_hours',
      'sources.mapping',
    ])
    .orderBy('sources.name')
    .execute();
  return rows.map((r) => ({
    ...r,
    accounts: Number(r.accounts),
    in_market: Number(r.in_market),
    last_import_at: (r.last_import_at as string | null) ?? null,
  }));
}
