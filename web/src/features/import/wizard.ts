import type { TImportFieldKey, TImportJob, TImportPreview } from '../../api/imports.ts';

/** The wizard's steps, in order. */
export const STEPS = ['upload', 'source', 'mapping', 'confirm', 'progress', 'result'] as const;
export type Step = (typeof STEPS)[number];

/** File types the import reads. */
export const ACCEPTED_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx'] as const;
export const ACCEPT_ATTRIBUTE = [
  ...ACCEPTED_EXTENSIONS,
  'text/csv',
  'text/tab-separated-values',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
].join(',');

/**
 * The server's default upload limit (TIERLINE_UPLOAD_LIMIT_MB, 200 MB). The API does not announce its limit
 * before an upload; a 413 carries the real one, which then replaces this.
 */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024;

export function isAcceptedFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A file size for people: 812 B, 3.4 KB, 12.5 MB. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/**
 * A cleaning time for people, in hours or, under an hour, in minutes: 2 hours over 174 accounts is 0.7 minutes
 * each, not "0.01 hours". Hours keep up to two decimals (1.5, 0.25 are what people type), minutes one below 10.
 */
export function cleaningTime(hours: number): { unit: 'hours' | 'minutes'; value: number } {
  if (hours === 0 || hours >= 1) return { unit: 'hours', value: Math.round(hours * 100) / 100 };
  const minutes = hours * 60;
  return { unit: 'minutes', value: minutes < 10 ? Math.round(minutes * 10) / 10 : Math.round(minutes) };
}

/** Where a job belongs in the wizard when it is opened by its id (a reload, or a recent import). */
export function stepForJob(job: Pick<TImportJob, 'state'>): Step {
  switch (job.state) {
    case 'uploaded':
      return 'source';
    case 'queued':
    case 'running':
      return 'progress';
    default:
      return 'result';
  }
}

/** Rows of the file shown under the mapping; the API sends up to 20 for the preview. */
export const PREVIEW_GRID_ROWS = 8;

/**
 * What the preview's heading and counts say: the rows shown in the grid, and how many rows the preview read (the
 * grid shows the first few of them) with the count of each status over all of those, so a count is never read as
 * one of the rows on screen (10 rejected beside 8 rows shown).
 */
export function previewRowCounts(rows: TImportPreview['rows'], shown = PREVIEW_GRID_ROWS) {
  const count = (status: TImportPreview['rows'][number]['status']) =>
    rows.filter((row) => row.status === status).length;
  return {
    shown: Math.min(shown, rows.length),
    read: rows.length,
    ok: count('ok'),
    warning: count('warning'),
    rejected: count('rejected'),
  };
}

/** Fields mapped by more than one column (the second would overwrite the first). */
export function duplicateFields(mapping: TImportPreview['mapping']): Set<TImportFieldKey> {
  const seen = new Set<TImportFieldKey>();
  const twice = new Set<TImportFieldKey>();
  for (const column of mapping) {
    if (column.ignored || column.field == null) continue;
    if (seen.has(column.field)) twice.add(column.field);
    seen.add(column.field);
  }
  return twice;
}

export interface CellIssue {
  reason: string;
  severity: 'error' | 'warning';
}

/** A preview row's issues by column header; issues of the whole row (no column) under the empty string. */
export function issuesByColumn(row: TImportPreview['rows'][number]): Map<string, CellIssue[]> {
  const out = new Map<string, CellIssue[]>();
  for (const issue of row.issues) {
    const key = issue.column ?? '';
    const list = out.get(key) ?? [];
    list.push({ reason: issue.reason, severity: issue.severity });
    out.set(key, list);
  }
  return out;
}

/** The first non-empty values of a column in the preview rows. */
export function sampleValues(preview: TImportPreview, index: number, count = 3): string[] {
  const out: string[] = [];
  for (const row of preview.rows) {
    const value = row.cells[index]?.trim();
    if (value) out.push(value);
    if (out.length >= count) break;
  }
  return out;
}

/** Warnings in the preview rows for one column header. */
export function columnIssueCount(preview: TImportPreview, header: string): number {
  let count = 0;
  for (const row of preview.rows) for (const issue of row.issues) if (issue.column === header) count++;
  return count;
}

export interface RateSample {
  at: number;
  rows: number;
}

/**
 * Rows per second over the samples of the last few seconds (the first sample of the window against the
 * last); null until there are two samples with time between them.
 */
export function rowsPerSecond(samples: readonly RateSample[], windowMs = 5000): number | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const first = samples.find((s) => last.at - s.at <= windowMs) ?? samples[0];
  if (!first || last.at <= first.at || last.rows < first.rows) return null;
  return ((last.rows - first.rows) * 1000) / (last.at - first.at);
}

/** The delimiter as people name it. */
export function delimiterKey(
  delimiter: string | null,
): 'comma' | 'tab' | 'semicolon' | 'pipe' | 'other' | null {
  switch (delimiter) {
    case null:
      return null;
    case ',':
      return 'comma';
    case '\t':
      return 'tab';
    case ';':
      return 'semicolon';
    case '|':
      return 'pipe';
    default:
      return 'other';
  }
}
