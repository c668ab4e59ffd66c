import { InvalidArgumentError } from 'commander';
import stringWidth from 'string-width';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../domain/errors.ts';
import { isRemoteApiError, RemoteTransportError, USAGE_ERROR_CODES } from './http-client.ts';

/** Machine-readable output goes to stdout only; everything for people goes to stderr or plain text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export class UsageError extends Error {}

/** Prints what went wrong and what to do, and sets the exit code (2 for usage errors, 1 otherwise). */
export function reportError(error: unknown): void {
  if (error instanceof UsageError) {
    process.stderr.write(`tierline: ${error.message}\nRun with --help for usage.\n`);
    process.exitCode = 2;
    return;
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    process.stderr.write(
      `tierline: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}\nRun with --help for usage.\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (isAppError(error)) {
    process.stderr.write(`tierline: ${error.message}\n`);
    process.exitCode = USAGE_ERROR_CODES.has(error.code) ? 2 : 1;
    return;
  }
  if (isRemoteApiError(error)) {
    // The same exit codes as the local path; the API's code and message, and what its details say.
    const status = `(HTTP ${error.status} ${error.code})`;
    const head =
      error.status === 401
        ? `token rejected by ${error.server}: ${error.message} ${status}`
        : `${error.message} ${status}`;
    const lines = [`tierline: ${head}`, ...describeDetails(error.details)];
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = USAGE_ERROR_CODES.has(error.code) ? 2 : 1;
    return;
  }
  if (error instanceof RemoteTransportError) {
    process.stderr.write(`tierline: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tierline: ${message}\n`);
  process.exitCode = 1;
}

/** The details of an API error as indented lines: validation issues, mapping errors, else compact JSON. */
export function describeDetails(details: unknown): string[] {
  if (details === null || details === undefined || typeof details !== 'object') return [];
  const record = details as Record<string, unknown>;
  const lines: string[] = [];
  const { issues, errors, current, ...rest } = record;
  if (Array.isArray(issues)) {
    for (const issue of issues) {
      const i = issue as { path?: unknown; message?: unknown };
      lines.push(
        `  ${typeof i.path === 'string' ? `${i.path}: ` : ''}${String(i.message ?? JSON.stringify(issue))}`,
      );
    }
  }
  if (Array.isArray(errors))
    for (const e of errors) lines.push(`  - ${typeof e === 'string' ? e : JSON.stringify(e)}`);
  if (current && typeof current === 'object' && 'version' in current) {
    lines.push(
      `  the current version is ${String((current as { version: unknown }).version)}; read it again`,
    );
  }
  if (Object.keys(rest).length > 0) {
    const json = JSON.stringify(rest);
    lines.push(`  details: ${json.length > 2000 ? `${json.slice(0, 2000)}…` : json}`);
  }
  return lines;
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || !Number.isInteger(n))
      throw new InvalidArgumentError(`${name} must be a whole number.`);
    return n;
  };
}

export function parseNumberOption(name: string) {
  return (value: string): number => {
    const n = Number(value.replace(/[,_]/g, ''));
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
    return n;
  };
}

export { AppError };

/** The noun for `n` of it: `plural(1, 'rep')` is "rep", `plural(2, 'rep')` "reps" (`many` for irregular plurals). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `n` and its noun, for text people read: `count(1, 'rep')` is "1 rep", `count(3, 'touch', 'touches')` "3 touches". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${plural(n, one, many)}`;
}

/**
 * `text` cut to at most `maxWidth` terminal columns (a Chinese character takes two), ending in "…" when it was
 * cut; shorter text is returned as it is.
 */
export function truncateToWidth(text: string, maxWidth: number): string {
  if (stringWidth(text) <= maxWidth) return text;
  let cut = '';
  let width = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = stringWidth(segment);
    if (width + w > maxWidth - 1) break;
    cut += segment;
    width += w;
  }
  return `${cut}…`;
}

/** The widest a table cell is shown (terminal columns; a UUID id, 36, fits): longer text is cut with "…". */
export const TABLE_CELL_MAX_WIDTH = 40;

/**
 * A table for people: the header and the rows as lines, each cell cut to at most its column's width with "…"
 * (truncateToWidth; `maxWidths` is one width for every column or one per column, TABLE_CELL_MAX_WIDTH where none
 * is given), the columns lined up by their width on a terminal (alignColumns: a Chinese character takes two).
 * What every `… list` command prints; `--json` gives the full values.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidths: number | readonly (number | undefined)[] = TABLE_CELL_MAX_WIDTH,
): string[] {
  const widthOf = (k: number) =>
    typeof maxWidths === 'number' ? maxWidths : (maxWidths[k] ?? TABLE_CELL_MAX_WIDTH);
  const cut = (row: readonly string[]) => row.map((cell, k) => truncateToWidth(cell, widthOf(k)));
  return alignColumns([cut(header), ...rows.map(cut)], Number.POSITIVE_INFINITY);
}

/**
 * Rows of cells as text columns lined up by their width on a terminal (a Chinese character takes two columns),
 * separated by two spaces; the last column is left as it is. A cell wider than `maxWidth` keeps its full text and
 * pushes only its own row's later cells.
 */
export function alignColumns(rows: string[][], maxWidth = 40): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, k) => {
      widths[k] = Math.max(widths[k] ?? 0, Math.min(maxWidth, stringWidth(cell)));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, k) =>
        k === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[k] ?? 0) - stringWidth(cell))),
      )
      .join('  ')
      .trimEnd(),
  );
}
