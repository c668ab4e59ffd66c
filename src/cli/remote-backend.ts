import { randomUUID } from 'node:crypto';
import { existsSync, openAsBlob } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { ZAccount, ZAccountCreate, ZAccountPage, ZAccountUpdate } from '../schemas/account.ts';
import {
  type TImportJob,
  ZImportJob,
  ZImportPreview,
  ZImportStart,
  ZImportWarningPage,
  ZSourceReport,
} from '../schemas/import-api.ts';
import { ZTierOverride } from '../schemas/market-api.ts';
import { ZAccountAssign, ZAccountAssignResult, ZUserList } from '../schemas/people.ts';
import { ZRepDaysOff, ZRepDaysOffSaved } from '../schemas/plan.ts';
import {
  ZAgenda,
  ZGoals,
  ZLogTouch,
  ZLogTouchResult,
  ZPlanCommit,
  ZPlanHealth,
  ZPlanRequest,
  ZPlanResult,
  ZTeamPlanCommit,
  ZTeamPlanHealth,
  ZTeamPlanRequest,
  ZTeamPlanResult,
} from '../schemas/plan-api.ts';
import {
  ZEffectivenessReport,
  ZPlaybook,
  ZPlaybookObjection,
  ZSearchResult,
} from '../schemas/playbook-api.ts';
import { ZTeamDay } from '../schemas/team-day.ts';
import type { AccountQuery, CliBackend } from './backend.ts';
import { ApiClient, type QueryValue, RemoteTransportError } from './http-client.ts';
import { WARNINGS_SHOWN, writeWarningsFile } from './import-warnings-file.ts';
import { info } from './output.ts';

const ZItems = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const PAGE_SIZE = 500;
const FINISHED: ReadonlySet<TImportJob['state']> = new Set(['succeeded', 'failed', 'cancelled']);

const id = (value: string) => encodeURIComponent(value);

/**
 * A log whose answer was lost (connection refused, reset or closed, no answer in time, 502/503/504) is sent again
 * after these pauses, with the same client id: the server answers the first log instead of logging twice.
 */
export const LOG_RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000];

/** Query-string values from a query object: arrays comma-separated, booleans as true/false. */
function toQuery(query: object): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map(String);
  }
  return out;
}

/**
 * The remote back end: the Tierline HTTP API with an API token. Requests are checked with the zod schemas the
 * server validates them with (a bad value fails here, before anything is sent); answers are parsed with the
 * schemas the server answers with.
 */
export function openRemoteBackend(server: URL, token: string): CliBackend {
  const api = new ApiClient(server, token);

  async function* accounts(query: AccountQuery, options: { limit?: number } = {}) {
    const pageSize = Math.min(PAGE_SIZE, Math.max(1, options.limit ?? PAGE_SIZE));
    for (let page = 1; ; page += 1) {
      const result = await api.get('/api/accounts', {
        query: { ...toQuery(query), page, pageSize },
        schema: ZAccountPage,
      });
      if (result.items.length > 0) yield result.items;
      if (result.items.length < pageSize || page * pageSize >= result.total) return;
    }
  }

  const backend: CliBackend = {
    kind: 'remote',
    accounts,
    countAccounts: async (query) =>
      (
        await api.get('/api/accounts', {
          query: { ...toQuery(query), page: 1, pageSize: 1 },
          schema: ZAccountPage,
        })
      ).total,
    timeZone: async () =>
      (await api.get('/api/settings', { schema: z.object({ timeZone: z.string() }) })).timeZone,
    account: (accountId) => api.get(`/api/accounts/${id(accountId)}`, { schema: ZAccount }),
    createAccount: (input) =>
      api.post('/api/accounts', { json: ZAccountCreate.parse(input), schema: ZAccount }),
    updateAccount: (accountId, input) =>
      api.patch(`/api/accounts/${id(accountId)}`, { json: ZAccountUpdate.parse(input), schema: ZAccount }),
    overrideTier: (accountId, input) =>
      api.put(`/api/accounts/${id(accountId)}/tier-override`, {
        json: ZTierOverride.parse(input),
        schema: ZAccount,
      }),
    assignAccounts: (input) =>
      api.post('/api/accounts/assign', { json: ZAccountAssign.parse(input), schema: ZAccountAssignResult }),

    previewPlan: (request) =>
      api.post('/api/plan/preview', { json: ZPlanRequest.parse(request), schema: ZPlanResult }),
    commitPlan: (request) =>
      api.post('/api/plan/commit', { json: ZPlanCommit.parse(request), schema: ZPlanResult }),
    agenda: (query) => api.get('/api/agenda', { query: toQuery(query), schema: ZAgenda }),
    planHealth: (query) => api.get('/api/plan/health', { query: toQuery(query), schema: ZPlanHealth }),
    teamPlanHealth: () => api.get('/api/plan/health/team', { schema: ZTeamPlanHealth }),
    previewTeamPlans: (request) =>
      api.post('/api/plan/team/preview', { json: ZTeamPlanRequest.parse(request), schema: ZTeamPlanResult }),
    commitTeamPlans: async ({ acceptOverload, ...request }) => {
      let commit = ZTeamPlanCommit.parse(request);
      if (acceptOverload) {
        // The API accepts overloads rep by rep: those of the reps the preview plans (the listed ones, else every
        // rep the token's user may plan), each named.
        const preview = await api.post('/api/plan/team/preview', {
          json: ZTeamPlanRequest.parse({
            repIds: request.repIds,
            from: request.from,
            months: request.months,
          }),
          schema: ZTeamPlanResult,
        });
        const repIds = preview.reps.map((r) => r.repId);
        if (repIds.length === 0) return preview;
        commit = { ...commit, repIds, acceptOverloadFor: repIds };
      }
      return api.post('/api/plan/team/commit', { json: commit, schema: ZTeamPlanResult });
    },
    logTouch: async (accountId, input) => {
      // Every log carries a client id (the caller's, else a new one), so sending it again cannot log it twice.
      const body = ZLogTouch.parse({ ...input, clientId: input.clientId ?? randomUUID() });
      const tries = LOG_RETRY_DELAYS_MS.length;
      try {
        return await api.post(`/api/accounts/${id(accountId)}/touches`, {
          json: body,
          schema: ZLogTouchResult,
          retry: {
            delaysMs: LOG_RETRY_DELAYS_MS,
            onRetry: (error, delayMs, attempt) =>
              info(
                `tierline: ${error.message}; sending the log again in ${delayMs / 1000} s (retry ${attempt} of ${tries}, same client id ${body.clientId}: it is logged once).`,
              ),
          },
        });
      } catch (error) {
        if (error instanceof RemoteTransportError && error.answerLost) {
          throw new RemoteTransportError(
            `${error.message}. The log may or may not have been saved: run the same command again with --client-id ${body.clientId} to log it exactly once.`,
          );
        }
        throw error;
      }
    },
    goals: (query) => api.get('/api/goals', { query: toQuery(query), schema: ZGoals }),
    teamDay: (query) => api.get('/api/team/day', { query: toQuery(query), schema: ZTeamDay }),
    exportPlan: async (format, range) => {
      // In English whatever the server would default to, as locally: the CSV headed with its column keys (date,
      // channel, accountId, …) and machine-readable values, the iCalendar titles in English.
      const query = { format, ...range, lang: 'en' };
      const response = await api.send('GET', '/api/plan/export', { query });
      return { body: await response.text(), count: null };
    },
    daysOff: (repId) => api.get('/api/calendar/days-off', { query: { repId }, schema: ZRepDaysOff }),
    setDaysOff: (repId, { dates, holidays, version }) =>
      api.put('/api/calendar/days-off', {
        json: { repId, dates, version, ...(holidays !== undefined ? { holidays } : {}) },
        schema: ZRepDaysOffSaved,
      }),

    playbook: (query) => api.get('/api/objections', { query: toQuery(query), schema: ZPlaybook }),
    objection: (idOrCode, query) =>
      api.get(`/api/objections/${id(idOrCode)}`, { query: toQuery(query), schema: ZPlaybookObjection }),
    searchPlaybook: (query) =>
      api.get('/api/objections/search', { query: toQuery(query), schema: ZSearchResult }),
    effectiveness: (query) =>
      api.get('/api/objections/effectiveness', { query: toQuery(query), schema: ZEffectivenessReport }),

    users: async () => (await api.get('/api/users', { schema: ZUserList })).items,
    sources: async () => (await api.get('/api/sources', { schema: ZItems(ZSourceReport) })).items,

    /**
     * Upload → preview (for the detected format) → start → poll until done → download the rejected rows.
     * The server runs the import in the background; the job survives this process.
     */
    importFile: async (path, options, onProgress, output = {}) => {
      const absolute = resolve(path);
      if (!existsSync(absolute)) {
        throw new AppError('bad_request', `${path}: no such file.`, { problem: 'unreadable' });
      }
      let kind = options.source.kind;
      if (kind === undefined) {
        // As locally: an existing source keeps its kind; a new one is purchased when it cost something.
        const known = (await backend.sources()).find((s) => s.name === options.source.name);
        kind = known?.kind ?? ((options.source.cost ?? 0) > 0 ? 'purchased' : 'free');
      }
      const start = ZImportStart.parse({
        source: { ...options.source, kind },
        ...(options.mapping ? { mapping: options.mapping } : {}),
        ...(options.sheet ? { sheet: options.sheet } : {}),
        newerSourceWins: options.newerSourceWins === true,
        dryRun: options.dryRun === true,
        ...(options.ownerId !== undefined ? { ownerId: options.ownerId } : {}),
      });

      const form = new FormData();
      form.append('file', await openAsBlob(absolute), basename(absolute));
      const uploaded = await api.post('/api/imports', { form, schema: ZImportJob, timeoutMs: 0 });
      const jobId = uploaded.id;
      const preview = await api.get(`/api/imports/${id(jobId)}/preview`, {
        query: { sheet: options.sheet },
        schema: ZImportPreview,
      });
      let job = await api.post(`/api/imports/${id(jobId)}/start`, { json: start, schema: ZImportJob });
      let wait = 150;
      while (!FINISHED.has(job.state)) {
        await sleep(wait);
        wait = Math.min(1000, Math.round(wait * 1.5));
        job = await api.get(`/api/imports/${id(jobId)}`, { schema: ZImportJob });
        onProgress({
          phase: job.phase === 'merging' ? 'merging' : 'reading',
          done: job.progress.processedRows,
          total: Math.max(1, job.progress.totalRows),
          rows: job.progress.processedRows,
        });
      }
      if (job.state !== 'succeeded') {
        throw new AppError(
          'unprocessable',
          `The import ${job.state === 'cancelled' ? 'was cancelled' : 'failed'} on the server: ${job.error ?? 'no reason given'} (import job ${jobId}).`,
          { jobId },
        );
      }
      const report = job.report;
      if (!report) {
        throw new RemoteTransportError(
          `${server.origin} finished import job ${jobId} without a report; look at it in the web app.`,
        );
      }
      let rejectsFile: string | null = null;
      // As locally: a dry run writes the rejected rows only to a file asked for.
      if (report.rejected > 0 && (output.rejectsFile || !report.dryRun)) {
        const response = await api.send('GET', `/api/imports/${id(jobId)}/rejects`);
        const dir = process.env.TIERLINE_IMPORT_DIR
          ? resolve(process.env.TIERLINE_IMPORT_DIR)
          : dirname(absolute);
        rejectsFile = output.rejectsFile
          ? resolve(output.rejectsFile)
          : join(dir, `${basename(absolute, extname(absolute))}.rejected.${jobId.slice(-12)}.csv`);
        await mkdir(dirname(rejectsFile), { recursive: true });
        await writeFile(rejectsFile, Buffer.from(await response.arrayBuffer()));
      }
      // The job's first warnings and, when asked, all of them as CSV; the reasons in English, as locally.
      const warnings =
        report.warnings > 0
          ? await api.get(`/api/imports/${id(jobId)}/warnings`, {
              query: { page: 1, pageSize: output.warningsShown ?? WARNINGS_SHOWN, lang: 'en' },
              schema: ZImportWarningPage,
            })
          : null;
      let warningsFile: string | null = null;
      if (output.warningsFile) {
        const response = await api.send('GET', `/api/imports/${id(jobId)}/warnings`, {
          query: { format: 'csv', lang: 'en' },
        });
        warningsFile = await writeWarningsFile(output.warningsFile, [
          new Uint8Array(await response.arrayBuffer()),
        ]);
      }
      const d = preview.detected;
      return {
        jobId,
        rows: report.rows,
        created: report.created,
        merged: report.merged,
        unchanged: report.unchanged,
        rejected: report.rejected,
        warnings: report.warnings,
        conflicts: report.conflicts,
        sourceId: job.sourceId,
        dryRun: report.dryRun,
        rejectsFile,
        previousImport: job.previousImport,
        owner: job.owner ?? null,
        message:
          job.message ?? `${report.created} created, ${report.merged} merged, ${report.rejected} rejected.`,
        detected: { kind: d.kind, encoding: d.encoding, delimiter: d.delimiter, sheet: d.sheet },
        firstWarnings: warnings?.items ?? [],
        warningsNotStored: report.warningsNotStored,
        warningsFile,
      };
    },

    close: async () => {},
  };
  return backend;
}
