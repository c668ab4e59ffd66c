import { msg } from '../domain/messages.ts';
import { storedMessage } from '../domain/stored-message.ts';
import type { Db } from '../storage/database.ts';
import { releaseImportJob } from '../storage/repositories/imports.ts';
import {
  claimToken,
  discardStaleUploads,
  expireFailedImportFiles,
  failedImportTtlMs,
  recoverAbandonedJobs,
  runNextImportJob,
  sweepOrphanUploads,
  UPLOADS_OWNER_FILE,
  uploadsDir,
  uploadTtlMs,
} from './import-prospects.ts';

/**
 * How often the runner tidies the uploads (uploads never started, files of failed imports, files no job knows; see
 * sweepUploads): at its start, then hourly.
 */
export const UPLOAD_SWEEP_MS = 3_600_000;

/**
 * Runs queued import jobs in the background of a server process, one at a time. Jobs live in the database
 * (status, phase, claimed_by, heartbeat), so any process can run any job and several servers can share one
 * PostgreSQL: each job is claimed by exactly one of them in one statement (claimNextImportJob, row locks with
 * SKIP LOCKED on PostgreSQL). On start and at every poll, jobs left running by a process that died (or whose
 * lease ran out) are recovered (see recoverAbandonedJobs): an uploaded file is queued again and rerun from the
 * start, which is safe because nothing of a run is visible before its single merge transaction commits.
 * When it starts and then at the first poll of every hour (on its clock), it also removes the uploads that were
 * never started within $TIERLINE_UPLOAD_TTL_HOURS, with their files (discardStaleUploads), the files of imports
 * that failed more than $TIERLINE_FAILED_IMPORT_TTL_DAYS ago (expireFailedImportFiles; the jobs stay), and upload
 * files no job knows that are older than $TIERLINE_UPLOAD_TTL_HOURS (sweepOrphanUploads).
 */
const runners = new WeakMap<Db, ImportRunner>();

/** The runner started for this database by the server (tests wait on it with `idle()`). */
export function importRunnerFor(db: Db): ImportRunner | undefined {
  return runners.get(db);
}

export interface StopOutcome {
  /** The job that was still running when the grace period ended, if any. */
  interrupted: string | null;
  /** Whether that job was given back to the queue (another server, or the next start, runs it again). */
  released: boolean;
}

export class ImportRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;
  /** The job in progress and the claim token it was taken with (host/pid/nonce, new for every job). */
  private current: { id: string; token: string } | null = null;
  private stopping: Promise<StopOutcome> | null = null;
  /** When (on the runner's clock) uploads never started were last looked for. */
  private sweptAt: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: {
      now?: () => Date;
      pollMs?: number;
      /** How long an upload never started is kept (default $TIERLINE_UPLOAD_TTL_HOURS, else 24 hours). */
      uploadTtlMs?: number;
      /** How long a failed import keeps its file (default $TIERLINE_FAILED_IMPORT_TTL_DAYS, else 7 days). */
      failedImportTtlMs?: number;
      log?: (message: string, error?: unknown) => void;
      /** Routine news (uploads removed), below `log`'s warnings. */
      info?: (message: string) => void;
    } = {},
  ) {
    runners.set(db, this);
  }

  start(): void {
    if (!this.stopped || this.stopping) return;
    this.stopped = false;
    this.kick();
  }

  /** Looks for work now (after an upload is confirmed) instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else this.schedule();
    });
  }

  /**
   * Stops taking jobs at once and waits up to `graceMs` for the job in progress. A job still running then is
   * given back to the queue (its claim released, nothing of the run visible), except on SQLite during its
   * merge transaction, where the write lock would block; a job left claimed there is queued again by the next
   * start (its process is gone). Calling it again returns the same outcome.
   */
  stop(graceMs = Number.POSITIVE_INFINITY): Promise<StopOutcome> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping ??= this.finish(graceMs);
    return this.stopping;
  }

  /** Resolves when no job is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async finish(graceMs: number): Promise<StopOutcome> {
    const running = this.running;
    if (!running) return { interrupted: null, released: false };
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      running.then(() => true),
      new Promise<boolean>((resolve) => {
        if (Number.isFinite(graceMs)) timer = setTimeout(() => resolve(false), Math.max(0, graceMs));
      }),
    ]);
    if (timer) clearTimeout(timer);
    const current = this.current;
    if (finished || !current) return { interrupted: null, released: false };
    const jobId = current.id;
    let released = false;
    try {
      const phase = await this.db.kysely
        .selectFrom('import_jobs')
        .select('phase')
        .where('id', '=', jobId)
        .executeTakeFirst();
      if (this.db.dialect === 'postgres' || phase?.phase !== 'merging') {
        released = await releaseImportJob(
          this.db.kysely,
          jobId,
          current.token,
          storedMessage(msg('imports.server_stopped_requeued')),
        );
      }
    } catch (error) {
      this.options.log?.(`import job ${jobId} could not be given back to the queue`, error);
    }
    return { interrupted: jobId, released };
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.options.pollMs ?? 5000);
    this.timer.unref();
  }

  /**
   * At the first look for jobs, then once an hour: removes uploads never started, the files of imports that failed
   * long ago and upload files no job knows. Each step on its own: a failure is only logged.
   */
  private async sweepUploads(now: () => Date): Promise<void> {
    const at = now().getTime();
    if (this.sweptAt !== null && at - this.sweptAt < UPLOAD_SWEEP_MS) return;
    this.sweptAt = at;
    const uploadTtl = this.options.uploadTtlMs ?? uploadTtlMs();
    try {
      const removed = await discardStaleUploads(this.db, now, uploadTtl);
      if (removed.length > 0)
        this.options.info?.(`removed ${removed.length} upload(s) never started: ${removed.join(', ')}`);
    } catch (error) {
      this.options.log?.('the import runner could not remove old uploads', error);
    }
    try {
      const expired = await expireFailedImportFiles(
        this.db,
        now,
        this.options.failedImportTtlMs ?? failedImportTtlMs(),
      );
      if (expired.length > 0)
        this.options.info?.(
          `removed the uploaded files of ${expired.length} failed import(s) (the jobs stay): ${expired.join(', ')}`,
        );
    } catch (error) {
      this.options.log?.('the import runner could not remove the files of old failed imports', error);
    }
    try {
      const orphans = await sweepOrphanUploads(this.db, now, uploadTtl);
      if (orphans.shared)
        this.options.log?.(
          `the uploads folder ${uploadsDir(this.db)} is shared with another workspace (another database), so files no job of this one knows are left alone: give each workspace its own TIERLINE_IMPORT_DIR, then delete ${UPLOADS_OWNER_FILE} there`,
        );
      if (orphans.removed.length > 0)
        this.options.info?.(
          `removed ${orphans.removed.length} upload file(s) no import job knows: ${orphans.removed.join(', ')}`,
        );
    } catch (error) {
      this.options.log?.('the import runner could not sweep the uploads folder', error);
    }
  }

  private async drain(): Promise<void> {
    const now = this.options.now ?? (() => new Date());
    try {
      await this.sweepUploads(now);
      await recoverAbandonedJobs(this.db, now);
      for (;;) {
        if (this.stopped) return;
        const token = claimToken();
        try {
          const ran = await runNextImportJob(this.db, {
            token,
            now,
            onClaim: (id) => {
              this.current = { id, token };
            },
          });
          if (!ran) return;
        } catch (error) {
          // Recorded on the job (status failed, error); a claim lost to another process is not an error here.
          this.options.log?.(`import job ${this.current?.id ?? '?'} failed`, error);
        } finally {
          this.current = null;
        }
      }
    } catch (error) {
      this.options.log?.('the import runner could not read the queue', error);
    }
  }
}
