import type { Db } from '../storage/database.ts';
import { readyImportJobs } from '../storage/repositories/imports.ts';
import { claimToken, recoverAbandonedJobs, runImportJob } from './import-prospects.ts';

/**
 * Runs queued import jobs in the background of a server process, one at a time. Jobs live in the database
 * (status, phase, claimed_by, heartbeat), so any process can run any job and several servers can share one
 * PostgreSQL. On start, jobs left running by a process that died are recovered (see recoverAbandonedJobs):
 * an uploaded file is queued again and rerun from the start, which is safe because nothing of a run is
 * visible before its single merge transaction commits.
 */
const runners = new WeakMap<Db, ImportRunner>();

/** The runner started for this database by the server (tests wait on it with `idle()`). */
export function importRunnerFor(db: Db): ImportRunner | undefined {
  return runners.get(db);
}

export class ImportRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly options: {
      now?: () => Date;
      pollMs?: number;
      log?: (message: string, error?: unknown) => void;
    } = {},
  ) {
    runners.set(db, this);
  }

  start(): void {
    if (!this.stopped) return;
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

  /** Stops polling and waits for the job in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Resolves when no job is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.options.pollMs ?? 5000);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    const now = this.options.now ?? (() => new Date());
    try {
      await recoverAbandonedJobs(this.db, now);
      for (;;) {
        if (this.stopped) return;
        const [next] = await readyImportJobs(this.db.kysely, 1);
        if (!next) return;
        try {
          await runImportJob(this.db, next.id, { token: claimToken(), now });
        } catch (error) {
          // Recorded on the job (status failed, error); a claim lost to another process is not an error here.
          this.options.log?.(`import job ${next.id} failed`, error);
        }
      }
    } catch (error) {
      this.options.log?.('the import runner could not read the queue', error);
    }
  }
}
