import { ZAccountUpdate } from '../schemas/account.ts';
import { ZTierOverride } from '../schemas/market-api.ts';
import { ZLogTouch } from '../schemas/plan-api.ts';
import { assignAccounts } from '../services/account-assignment.ts';
import {
  createAccount,
  findAccounts,
  getAccount,
  streamAccounts,
  updateAccount,
} from '../services/accounts.ts';
import { exportPlan, getDaysOff, setDaysOff } from '../services/calendar.ts';
import { makeContext } from '../services/context.ts';
import { getGoals } from '../services/goals.ts';
import {
  importFile,
  importWarningsCsv,
  listImportWarnings,
  listSourceReports,
} from '../services/import-prospects.ts';
import { overrideTier } from '../services/market.ts';
import { commitPlan, commitTeamPlans, previewPlan, previewTeamPlans } from '../services/plan.ts';
import { planHealth, teamPlanHealth } from '../services/plan-health.ts';
import { getEffectiveness, getObjection, listPlaybook, searchPlaybook } from '../services/playbook.ts';
import { getTeamDay } from '../services/team-day.ts';
import { getAgenda, logTouch } from '../services/touches.ts';
import { listUsers } from '../services/users.ts';
import { readWorkspaceSettings } from '../services/workspace-settings.ts';
import { createDb } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import type { CliBackend } from './backend.ts';
import { WARNINGS_SHOWN, writeWarningsFile } from './import-warnings-file.ts';

/** The local back end: the services on a database the CLI opens and migrates, as the `system` actor. */
export async function openLocalBackend(databaseUrl: string): Promise<CliBackend> {
  const db = await createDb(databaseUrl);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const ctx = makeContext(db);
  return {
    kind: 'local',
    accounts: (query) => streamAccounts(ctx, query),
    countAccounts: async (query) => (await findAccounts(ctx, { ...query, page: 1, pageSize: 1 })).total,
    timeZone: async () => (await readWorkspaceSettings(db.kysely)).timeZone,
    account: (id) => getAccount(ctx, id),
    createAccount: (input) => createAccount(ctx, input),
    updateAccount: (id, input) => updateAccount(ctx, id, ZAccountUpdate.parse(input)),
    overrideTier: (id, input) => overrideTier(ctx, id, ZTierOverride.parse(input)),
    assignAccounts: (input) => assignAccounts(ctx, input),

    previewPlan: (request) => previewPlan(ctx, request),
    commitPlan: (request) => commitPlan(ctx, request),
    agenda: (query) => getAgenda(ctx, query),
    planHealth: (query) => planHealth(ctx, query),
    teamPlanHealth: () => teamPlanHealth(ctx),
    previewTeamPlans: (request) => previewTeamPlans(ctx, request),
    commitTeamPlans: (request) => commitTeamPlans(ctx, request),
    logTouch: (accountId, input) => logTouch(ctx, accountId, ZLogTouch.parse(input)),
    goals: (query) => getGoals(ctx, query),
    teamDay: (query) => getTeamDay(ctx, query),
    exportPlan: async (format, range) => {
      const file = await exportPlan(ctx, format, range);
      return { body: file.body, count: file.count };
    },
    daysOff: (repId) => getDaysOff(ctx, repId),
    setDaysOff: (repId, change) => setDaysOff(ctx, repId, change),

    playbook: (query) => listPlaybook(ctx, query),
    objection: (idOrCode, query) => getObjection(ctx, idOrCode, query),
    searchPlaybook: (query) => searchPlaybook(ctx, query),
    effectiveness: (query) => getEffectiveness(ctx, query),

    users: () => listUsers(ctx),
    sources: () => listSourceReports(ctx),
    importFile: async (path, options, onProgress, output = {}) => {
      let fileSize = 1;
      const report = await importFile(ctx, path, options, {
        writerThread: false,
        rejectsFile: output.rejectsFile,
        onEvent: (event) => {
          if (event.type === 'opened') {
            fileSize = Math.max(1, event.info.fileSize);
            onProgress({ phase: 'reading', done: 0, total: fileSize, rows: 0 });
          } else {
            onProgress({
              phase: event.phase,
              done: event.phase === 'merging' ? event.fileSize : event.bytesRead,
              total: Math.max(1, event.fileSize),
              rows: event.rows,
            });
          }
        },
      });
      // The job's warnings as stored (also by a dry run), the reasons in English like the rest of the CLI.
      const warnings =
        report.warnings > 0
          ? await listImportWarnings(
              ctx,
              report.jobId,
              { page: 1, pageSize: output.warningsShown ?? WARNINGS_SHOWN },
              'en',
            )
          : null;
      const warningsFile = output.warningsFile
        ? await writeWarningsFile(
            output.warningsFile,
            (await importWarningsCsv(ctx, report.jobId, 'en')).chunks,
          )
        : null;
      const d = report.detected;
      return {
        jobId: report.jobId,
        rows: report.rows,
        created: report.created,
        merged: report.merged,
        unchanged: report.unchanged,
        rejected: report.rejected,
        warnings: report.warnings,
        conflicts: report.conflicts,
        sourceId: report.sourceId,
        dryRun: report.dryRun,
        rejectsFile: report.rejectsFile,
        previousImport: report.previousImport,
        owner: report.owner,
        message: report.message,
        detected: { kind: d.kind, encoding: d.encoding, delimiter: d.delimiter, sheet: d.sheet },
        firstWarnings: warnings?.items ?? [],
        warningsNotStored: warnings?.notStored ?? 0,
        warningsFile,
      };
    },

    close: () => db.close(),
  };
}
