import { z } from 'zod';
import { pageOf, ZId, ZLocalDate, ZPageQuery } from './common.ts';
import { IMPORT_FIELD_KEYS, ZColumnMapping, ZImportFieldKey } from './import-mapping.ts';

/** The most a list may cost, in yuan (1万亿): beyond it a value is a typo, not a price. */
export const MAX_SOURCE_COST = 1e12;
/** The most hours cleaning a list may take. */
export const MAX_CLEANING_HOURS = 100_000;

/** Where a prospect list came from (method §1: purchased lists cost money, free ones cost cleaning time). */
export const ZImportSource = z
  .object({
    name: z.string().trim().min(1, 'the source needs a name').max(200),
    kind: z.enum(['purchased', 'free']),
    cost: z
      .number()
      .finite()
      .min(0)
      .max(MAX_SOURCE_COST, 'a list costs at most 1,000,000,000,000 yuan (1万亿)')
      .optional()
      .describe('What the list cost, in yuan (at most 1万亿)'),
    acquiredOn: ZLocalDate.optional().describe('When the list was bought or collected (default: today)'),
    cleaningHours: z
      .number()
      .finite()
      .min(0)
      .max(MAX_CLEANING_HOURS, 'cleaning a list takes at most 100,000 hours')
      .optional()
      .describe('Hours spent cleaning it (at most 100,000)'),
  })
  .meta({ id: 'ImportSource' });
export type TImportSource = z.infer<typeof ZImportSource>;

export const ZImportStart = z
  .object({
    source: ZImportSource,
    mapping: ZColumnMapping.optional().describe(
      'Column header → field (or null for a custom field), over the automatic mapping; default: the mapping remembered for the source',
    ),
    newerSourceWins: z
      .boolean()
      .optional()
      .describe(
        'When a row matches an existing account, its values replace the stored ones (default: only empty fields are filled)',
      ),
    sheet: z.string().min(1).max(200).optional().describe('Excel sheet (default: the first with data)'),
    dryRun: z.boolean().optional().describe('Validate and count, change nothing'),
    ownerId: ZId.nullable()
      .optional()
      .describe(
        "Who owns the accounts the import creates (they also get the territory their place lies in; accounts the file matches keep their owner): a user's id, or null for nobody. Default: the importer when a rep or a manager, nobody for an admin. A rep may only name themselves; a manager themselves or someone of their team, never null (403), so that what they import stays in their sight; an admin anyone",
      ),
  })
  .meta({ id: 'ImportStart' });
export type TImportStart = z.infer<typeof ZImportStart>;

export const ZImportOwner = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'ImportOwner' })
  .describe('A person given the accounts an import creates (the name as it was when the import started)');
export type TImportOwner = z.infer<typeof ZImportOwner>;

export const ZImportState = z.enum(['uploaded', 'queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const ZImportReport = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    merged: z.number().int().describe('Rows that matched an account (existing, or earlier in the same file)'),
    unchanged: z.number().int().describe('Merged rows that added nothing new'),
    rejected: z.number().int(),
    warnings: z.number().int(),
    conflicts: z
      .number()
      .int()
      .describe(
        "Values of matched rows that differ from the account's and were not taken (the account kept its own; newerSourceWins takes the file's): each is also a warning",
      ),
    duplicatesInFile: z.number().int(),
    matchedExisting: z.number().int().describe('Existing accounts the file matched'),
    dryRun: z.boolean(),
    warningsNotStored: z.number().int(),
  })
  .meta({ id: 'ImportReport' });

export const ZImportJob = z
  .object({
    id: z.string(),
    state: ZImportState.describe(
      'uploaded: waiting for POST …/start; queued, running, then succeeded or failed',
    ),
    phase: z.string().nullable().describe('reading (staging rows) or merging (the one final transaction)'),
    fileName: z.string(),
    fileSize: z.number().int().nullable(),
    origin: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    dryRun: z.boolean(),
    progress: z.object({
      processedRows: z.number().int(),
      totalRows: z.number().int().describe('An estimate while reading; exact when done'),
      fraction: z.number().nullable(),
    }),
    counts: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      merged: z.number().int(),
      rejected: z.number().int(),
      warnings: z.number().int(),
    }),
    sourceId: z.string().nullable(),
    error: z
      .string()
      .nullable()
      .describe(
        "Why the job failed (or was interrupted), in the request's language (Accept-Language; else English)",
      ),
    report: ZImportReport.nullable(),
    message: z.string().nullable().describe('A sentence for people, e.g. that a re-import created nothing'),
    previousImport: z
      .object({ jobId: z.string(), finishedAt: z.string().nullable() })
      .nullable()
      .describe('An earlier import of the same file (same SHA-256)'),
    fileExpiredAt: z
      .string()
      .nullable()
      .describe(
        'When the uploaded file of this failed import was removed (TIERLINE_FAILED_IMPORT_TTL_DAYS after it failed); the job and its report stay, but it can no longer be run again',
      ),
    retryable: z
      .boolean()
      .describe(
        'A failed upload whose file is still kept: POST …/start runs it again (with a source and mapping)',
      ),
    owner: ZImportOwner.nullable()
      .optional()
      .describe(
        'Who owns the accounts this import creates, chosen when it was started; null: nobody. Absent on an upload not started yet (and on imports from before the choice was recorded)',
      ),
    expiresAt: z
      .string()
      .nullable()
      .describe(
        'An upload never started: when the server removes it with its file (TIERLINE_UPLOAD_TTL_HOURS after the upload); the recent imports no longer list it from then on. null for any other job',
      ),
  })
  .meta({ id: 'ImportJob' });
export type TImportJob = z.infer<typeof ZImportJob>;

const ZIssue = z.object({
  column: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
});

export const ZImportPreview = z
  .object({
    jobId: z.string(),
    detected: z.object({
      kind: z.enum(['delimited', 'xlsx']),
      encoding: z.string().nullable(),
      delimiter: z.string().nullable(),
      sheet: z.string().nullable(),
      sheets: z.array(z.string()),
      headerLine: z.number().int(),
      fileSize: z.number().int(),
    }),
    headers: z.array(z.string()),
    fields: z.array(ZImportFieldKey).describe('Every field a column can be mapped to'),
    mapping: z.array(
      z.object({
        index: z.number().int(),
        header: z.string(),
        field: ZImportFieldKey.nullable().describe('null: kept as a custom field'),
        scale: z.number().optional().describe('Money unit taken from the header, e.g. 10000 for (万元)'),
        source: z.enum(['auto', 'user']),
        ignored: z.boolean().describe('The line/reason columns of a rejected-rows file'),
      }),
    ),
    conflicts: z.array(z.string()),
    mappingErrors: z.array(z.string()),
    usedRememberedMapping: z.boolean(),
    rows: z.array(
      z.object({
        line: z.number().int(),
        cells: z.array(z.string()),
        status: z.enum(['ok', 'warning', 'rejected']),
        values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
        issues: z.array(ZIssue),
      }),
    ),
  })
  .meta({ id: 'ImportPreview' });
export type TImportPreview = z.infer<typeof ZImportPreview>;

export const ZImportPreviewQuery = z.object({
  sheet: z.string().min(1).max(200).optional(),
  source: z.string().min(1).max(200).optional().describe('Apply the mapping remembered for this source'),
  mapping: z.string().max(20_000).optional().describe('A mapping to try, as JSON (same shape as in …/start)'),
});

/** A warning of an import: an optional value that could not be read was imported as empty (or cut, or kept as read). */
export const ZImportWarning = z
  .object({
    line: z.number().int().describe('Line in the file (the header is line 1 unless a title row precedes it)'),
    column: z.string().nullable().describe('The column header as in the file'),
    value: z.string().nullable().describe('The value as read (the first 1,000 characters)'),
    reason: z
      .string()
      .describe("Why, in the request's language (?lang=, else Accept-Language; English without either)"),
    field: ZImportFieldKey.nullable().describe('The field the column was mapped to; null: a custom field'),
  })
  .meta({ id: 'ImportWarning' });
export type TImportWarning = z.infer<typeof ZImportWarning>;

export const ZImportWarningPage = pageOf(ZImportWarning)
  .extend({
    notStored: z
      .number()
      .int()
      .describe('Warnings counted but not stored (beyond the first 100,000 of a job); not in `total`'),
  })
  .meta({ id: 'ImportWarningPage' });
export type TImportWarningPage = z.infer<typeof ZImportWarningPage>;

export const ZImportWarningsQuery = ZPageQuery.extend({
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .describe('csv: every stored warning as a download (line, column, value, reason; UTF-8 with BOM)'),
  lang: z
    .enum(['zh-CN', 'en'])
    .optional()
    .describe('Language of the reasons (default: the Accept-Language header, else English)'),
});
export type TImportWarningsQuery = z.infer<typeof ZImportWarningsQuery>;

export const ZSourceReport = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['purchased', 'free']),
    cost: z
      .number()
      .nullable()
      .describe(
        "What the list cost, in yuan; null when it was not entered (a free list's is 0 unless entered)",
      ),
    acquiredOn: z.string().nullable(),
    cleaningHours: z.number().nullable().describe('Hours spent cleaning it; null when they were not entered'),
    accounts: z.number().int().describe('Accounts this source supplied'),
    inMarket: z.number().int().describe('Of those, inside the current target market'),
    costPerInMarketAccount: z
      .number()
      .nullable()
      .describe('cost ÷ inMarket; null when none is in market or the cost was not entered'),
    hoursPerInMarketAccount: z
      .number()
      .nullable()
      .describe('cleaningHours ÷ inMarket; null when none is in market or the hours were not entered'),
    lastImportAt: z.string().nullable(),
    mapping: z
      .record(z.string(), ZImportFieldKey.nullable())
      .nullable()
      .describe('The remembered column mapping'),
  })
  .meta({ id: 'SourceReport' });
export type TSourceReport = z.infer<typeof ZSourceReport>;

export { IMPORT_FIELD_KEYS };
