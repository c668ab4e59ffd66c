import type { Command } from 'commander';
import type { TAccount, TAccountCreate, TAccountListInput, TAccountUpdate } from '../schemas/account.ts';
import type { TImportWarning, TSourceReport } from '../schemas/import-api.ts';
import type { TTierOverride } from '../schemas/market-api.ts';
import type { TAccountAssign, TAccountAssignResult, TUser } from '../schemas/people.ts';
import type { THolidayCountry } from '../schemas/plan.ts';
import type {
  TAgenda,
  TGoals,
  TLogTouch,
  TLogTouchResult,
  TPlanCommit,
  TPlanHealth,
  TPlanRequest,
  TPlanResult,
  TTeamPlanCommit,
  TTeamPlanHealth,
  TTeamPlanRequest,
  TTeamPlanResult,
} from '../schemas/plan-api.ts';
import type {
  TEffectivenessQuery,
  TEffectivenessReport,
  TPlaybook,
  TPlaybookObjection,
  TPlaybookQuery,
  TSearchQuery,
  TSearchResult,
} from '../schemas/playbook-api.ts';
import type { TTeamDay } from '../schemas/team-day.ts';
import type { ImportOptions, ImportReport } from '../services/import-prospects.ts';
import { connectionOf } from './connection.ts';
import { openLocalBackend } from './local-backend.ts';
import { openRemoteBackend } from './remote-backend.ts';

/*
 * A CLI command has one definition (options, checks, output for people and --json) and two back ends: the
 * local one calls the services on a database the CLI opens itself (as the `system` actor), the remote one calls
 * the HTTP API of a Tierline server with an API token (as that token's user; the server enforces the scope).
 * Both return the shapes of src/schemas, so the command formats them once.
 */

export type AccountQuery = Omit<TAccountListInput, 'page' | 'pageSize'>;

/** Progress of an import, in whatever unit the back end can see (bytes read locally, rows remotely). */
export interface ImportProgress {
  phase: 'reading' | 'merging';
  done: number;
  total: number;
  rows: number;
}

/** What the import command wants besides the import itself. */
export interface ImportOutput {
  /** Write every stored warning of the job to this CSV file (line, column, value, reason; UTF-8 with BOM). */
  warningsFile?: string | undefined;
  /**
   * Write the rejected rows to this CSV file (default: beside the database, or the file, under a name of the job's;
   * a dry run writes them only to a file given here).
   */
  rejectsFile?: string | undefined;
  /** How many of the job's first warnings to return in the report (default 10). */
  warningsShown?: number;
}

/**
 * What the import command reports, from either back end: the service's report, with only the detected format's
 * fields an API answer carries (and none when the server did not say), the job's first warnings (reasons in
 * English, as the CLI speaks), and where every warning was written when asked.
 */
export type CliImportReport = Omit<ImportReport, 'detected'> & {
  detected: {
    kind: 'delimited' | 'xlsx';
    encoding: string | null;
    delimiter: string | null;
    sheet: string | null;
  } | null;
  firstWarnings: TImportWarning[];
  /** Warnings counted but not stored (beyond the first 100,000), so in neither the list nor the file. */
  warningsNotStored: number;
  /** The CSV of every stored warning, when `ImportOutput.warningsFile` asked for one. */
  warningsFile: string | null;
};

export interface PlanExport {
  body: string;
  /** Touches in the file, when the back end knows. */
  count: number | null;
}

export interface DaysOff {
  repId: string;
  dates: string[];
  /** The rep's public holidays (a country code); null: the workspace's. */
  holidays: string | null;
  /** The rep's version: a change sends the one it read. */
  version: number;
}

export interface CliBackend {
  readonly kind: 'local' | 'remote';
  /** Matching accounts in batches; `limit` is a hint (the caller stops reading). */
  accounts(query: AccountQuery, options?: { limit?: number }): AsyncIterable<TAccount[]>;
  /** How many accounts match (those the caller may see), without reading them. */
  countAccounts(query: AccountQuery): Promise<number>;
  /** The workspace's time zone (IANA name): times are shown on its clock. */
  timeZone(): Promise<string>;
  account(id: string): Promise<TAccount>;
  createAccount(input: TAccountCreate): Promise<TAccount>;
  /** PATCH: only the fields given; `version` is the one read (a stale one is refused with version_conflict). */
  updateAccount(id: string, input: TAccountUpdate): Promise<TAccount>;
  /** The manual tier (tier null removes it) on the account's `version` read; a stale one: version_conflict. */
  overrideTier(id: string, input: TTierOverride): Promise<TAccount>;
  assignAccounts(input: TAccountAssign): Promise<TAccountAssignResult>;

  previewPlan(request: TPlanRequest): Promise<TPlanResult>;
  commitPlan(request: TPlanCommit): Promise<TPlanResult>;
  agenda(query: { date?: string; repId?: string }): Promise<TAgenda>;
  planHealth(query: { repId?: string }): Promise<TPlanHealth>;
  teamPlanHealth(): Promise<TTeamPlanHealth>;
  /** Several reps' plans at once (an admin, a manager's team, or the local system: every active rep). */
  previewTeamPlans(request: TTeamPlanRequest): Promise<TTeamPlanResult>;
  /** Commits them in one transaction; `acceptOverload`: every planned rep's overload is accepted. */
  commitTeamPlans(request: TTeamPlanCommit & { acceptOverload?: boolean }): Promise<TTeamPlanResult>;
  logTouch(accountId: string, input: TLogTouch): Promise<TLogTouchResult>;
  goals(query: { period: 'week' | 'month'; date?: string; repId?: string }): Promise<TGoals>;
  teamDay(query: { date?: string }): Promise<TTeamDay>;
  exportPlan(
    format: 'ics' | 'csv',
    range: { from?: string; to?: string; repId?: string },
  ): Promise<PlanExport>;
  daysOff(repId: string): Promise<DaysOff>;
  /**
   * `holidays`: a country code, null for the workspace's, undefined to keep; `version`: the one `daysOff` read (a
   * stale one is refused with version_conflict).
   */
  setDaysOff(
    repId: string,
    change: { dates: string[]; holidays?: THolidayCountry | null; version: number },
  ): Promise<DaysOff & { moved: number }>;

  playbook(query: TPlaybookQuery): Promise<TPlaybook>;
  objection(idOrCode: string, query: { lang?: 'zh' | 'en' }): Promise<TPlaybookObjection>;
  searchPlaybook(query: TSearchQuery): Promise<TSearchResult>;
  effectiveness(query: TEffectivenessQuery): Promise<TEffectivenessReport>;

  users(): Promise<TUser[]>;
  sources(): Promise<TSourceReport[]>;
  importFile(
    path: string,
    options: ImportOptions,
    onProgress: (progress: ImportProgress) => void,
    output?: ImportOutput,
  ): Promise<CliImportReport>;

  close(): Promise<void>;
}

/**
 * Runs `work` with the back end the global options choose (`--server`/`--token…` or `--db`), and always
 * closes it.
 */
export async function withBackend<T>(
  command: Command,
  work: (backend: CliBackend) => Promise<T>,
): Promise<T> {
  const connection = connectionOf(command);
  const backend =
    connection.kind === 'remote'
      ? openRemoteBackend(connection.server, connection.token)
      : await openLocalBackend(connection.databaseUrl);
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}
