import { type Command, InvalidArgumentError } from 'commander';
import stringWidth from 'string-width';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../domain/errors.ts';
import { ZLocalDate } from '../schemas/common.ts';
import { isRemoteApiError, RemoteTransportError, USAGE_ERROR_CODES } from './http-client.ts';

/** Machine-readable output goes to stdout only; everything for people goes to stderr or plain text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export class UsageError extends Error {}

/**
 * Whether the command being run was given `--json`: its errors are then also printed on stdout as one JSON
 * object, `{ "error": { "code", "message", "details"? } }` (the HTTP API's error shape), so a script reading
 * stdout always gets one JSON value. Set by runCli (program.ts) before the command runs.
 */
let jsonErrors = false;

export function setJsonErrors(on: boolean): void {
  jsonErrors = on;
}

/** An error as the JSON a `--json` command prints on stdout: the API's `{ error: { code, message, details } }`. */
export function printJsonError(code: string, message: string, details?: unknown): void {
  if (!jsonErrors) return;
  const error: { code: string; message: string; details?: unknown } = { code, message };
  if (details !== undefined && details !== null) error.details = details;
  printJson({ error });
}

/**
 * The CLI flag a request field is given with, for messages about a value the schemas refused (`repId` is given
 * as `--rep`); a field not listed is named as it is.
 */
const FIELD_FLAGS: Record<string, string> = {
  repId: '--rep',
  userId: '--rep',
  objectionId: '--objection',
  responseId: '--response',
  nextStep: '--next-step',
  ownerId: '--owner',
  expiresInDays: '--expires-in-days',
  callsPerDay: '--calls-per-day',
  visitsPerDay: '--visits-per-day',
  annualSales: '--annual-sales',
  netAssets: '--net-assets',
  employeesMin: '--employees',
  employeesMax: '--employees',
  groupBy: '--group-by',
  teamId: '--team',
  managerId: '--manager',
};

/**
 * A command's own names for the request fields it sets, where they differ from FIELD_FLAGS: an argument
 * (`objections search <text...>` sets `q`), or an option named otherwise (`teams set-manager`'s `<userId>` is the
 * `managerId`). Registered with `namesFields`, looked up for the command being run.
 */
const commandFields = new WeakMap<Command, Readonly<Record<string, string>>>();
let activeFields: Readonly<Record<string, string>> = {};

/** Names request fields as this command's arguments or options in its error messages (see flagOf). */
export function namesFields<C extends Command>(command: C, names: Readonly<Record<string, string>>): C {
  commandFields.set(command, names);
  return command;
}

/** The command about to run (runCli's preAction hook; null when done): its field names apply to messages. */
export function setActiveCommand(command: Command | null): void {
  activeFields = (command && commandFields.get(command)) ?? {};
}

/**
 * A field of a request as the CLI argument or option that sets it: `repId` → `--rep`, `months` → `--months`,
 * `q` → `<text>` for `objections search` (the running command's own names first).
 */
export function flagOf(path: readonly PropertyKey[]): string {
  const key = String(path[path.length - 1] ?? '');
  if (!key) return 'input';
  return activeFields[key] ?? FIELD_FLAGS[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * A message of the services or the API as the CLI says it: a leading `field: ` that names a request field (the
 * refusal's `details.field`, or a field the command or FIELD_FLAGS names) becomes the CLI's argument or option
 * (`teamId: team x does not exist` → `--team: team x does not exist`), and so does a field written in camelCase in
 * the text (`minEmployees (500) must not be more than maxEmployees (100)` for `market set` names
 * `--min-employees` and `--max-employees`). Other text is left as it is.
 */
export function cliMessage(message: string, field?: unknown): string {
  const named = (key: string) => key in activeFields || key in FIELD_FLAGS;
  const prefix = /^([A-Za-z][A-Za-z0-9]*): /.exec(message);
  const lead =
    prefix?.[1] && (prefix[1] === field || named(prefix[1]))
      ? `${flagOf([prefix[1]])}: `
      : (prefix?.[0] ?? '');
  const rest = message.slice(prefix?.[0].length ?? 0);
  // Not inside a path, an option or an argument already written for the CLI (/api/users/…, --x, <userId>).
  return `${lead}${rest.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, (word, offset: number, whole: string) =>
    named(word) && !'-/<.'.includes(whole[offset - 1] ?? ' ') ? flagOf([word]) : word,
  )}`;
}

/** Prints what went wrong and what to do, and sets the exit code (2 for usage errors, 1 otherwise). */
export function reportError(error: unknown): void {
  if (error instanceof UsageError || error instanceof InvalidArgumentError) {
    process.stderr.write(`tierline: ${error.message}\nRun with --help for usage.\n`);
    printJsonError('bad_request', error.message);
    process.exitCode = 2;
    return;
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const message = issue ? `${flagOf(issue.path)}: ${cliMessage(issue.message)}` : 'invalid input';
    process.stderr.write(`tierline: ${message}\nRun with --help for usage.\n`);
    printJsonError('bad_request', message, {
      issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
    process.exitCode = 2;
    return;
  }
  if (isAppError(error)) {
    const message = cliMessage(error.message, fieldOf(error.details));
    const lines = [`tierline: ${message}`, ...describeRefusal(error.code, message, error.details)];
    process.stderr.write(`${lines.join('\n')}\n`);
    printJsonError(error.code, message, error.details);
    process.exitCode = USAGE_ERROR_CODES.has(error.code) ? 2 : 1;
    return;
  }
  if (isRemoteApiError(error)) {
    // The same exit codes as the local path; the API's code and message, and what its details say.
    const status = `(HTTP ${error.status} ${error.code})`;
    const message = cliMessage(error.message, fieldOf(error.details));
    const head =
      error.status === 401
        ? `token rejected by ${error.server}: ${message} ${status}`
        : `${message} ${status}`;
    const lines = [
      `tierline: ${head}`,
      ...(error.code === 'duplicate_account'
        ? describeRefusal(error.code, error.message, error.details)
        : describeDetails(error.details)),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    printJsonError(error.code, error.message, error.details);
    process.exitCode = USAGE_ERROR_CODES.has(error.code) ? 2 : 1;
    return;
  }
  if (error instanceof RemoteTransportError) {
    process.stderr.write(`tierline: ${error.message}\n`);
    printJsonError('unavailable', error.message);
    process.exitCode = 1;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tierline: ${message}\n`);
  printJsonError('internal', message);
  process.exitCode = 1;
}

/** The request field a refusal's details name (`{ field: 'teamId' }`), if any. */
function fieldOf(details: unknown): string | undefined {
  const field = (details as { field?: unknown } | null | undefined)?.field;
  return typeof field === 'string' ? field : undefined;
}

/**
 * What to do about a refusal whose details say more, as lines after its message (the local and the remote
 * path alike): for a duplicate company, the existing account to open and, for a name match, the flag that adds
 * or saves it anyway; for a stale version, the version the account is at now.
 */
function describeRefusal(code: string, message: string, details: unknown): string[] {
  const record = (details ?? {}) as {
    existing?: { id?: unknown; name?: unknown } | null;
    allowSimilarName?: unknown;
    current?: { version?: unknown } | null;
  };
  const lines: string[] = [];
  if (code === 'duplicate_account') {
    const existing = record.existing;
    if (existing && typeof existing.id === 'string') {
      lines.push(
        `Existing account: ${existing.id} (${String(existing.name)}); see it with: tierline accounts show ${existing.id}`,
      );
    }
    if (record.allowSimilarName === true && !message.includes('--allow-similar-name')) {
      lines.push('If it is a different company, run the command again with --allow-similar-name.');
    }
  }
  if (code === 'version_conflict' && record.current && typeof record.current.version === 'number') {
    lines.push(`  the current version is ${record.current.version}; read it again`);
  }
  return lines;
}

/** The details of an API error as indented lines: validation issues, mapping errors, else compact JSON. */
export function describeDetails(details: unknown): string[] {
  if (details === null || details === undefined || typeof details !== 'object') return [];
  const record = details as Record<string, unknown>;
  const lines: string[] = [];
  const { issues, errors, current, ...rest } = record;
  if (Array.isArray(issues)) {
    for (const issue of issues) {
      // The API names a field by its path (`query.q`, `body.teamId`): a field the request itself has is named as
      // the CLI's argument or option; a deeper path (`body.responses.0.code`) stays as the API wrote it.
      const i = issue as { path?: unknown; message?: unknown };
      const path = typeof i.path === 'string' ? i.path : null;
      const parts = path?.split('.') ?? [];
      const field = parts.length === 2 && /^[A-Za-z]\w*$/.test(parts[1] ?? '') ? parts[1] : undefined;
      const label = field ? flagOf([field]) : path;
      lines.push(`  ${label ? `${label}: ` : ''}${cliMessage(String(i.message ?? JSON.stringify(issue)))}`);
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
    if (value.trim() === '' || !Number.isFinite(n) || !Number.isInteger(n))
      throw new InvalidArgumentError(`${name} must be a whole number.`);
    return n;
  };
}

/**
 * A whole number from `min` to `max` (either may be left open): the message names the option and the range,
 * e.g. "--months must be a whole number from 1 to 24 (got 0)."
 */
export function intOption(name: string, min?: number, max?: number) {
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? `, ${min} or more`
        : max !== undefined
          ? `, at most ${max}`
          : '';
  return (value: string): number => {
    const n = Number(value);
    if (
      value.trim() === '' ||
      !Number.isInteger(n) ||
      (min !== undefined && n < min) ||
      (max !== undefined && n > max)
    )
      throw new InvalidArgumentError(`${name} must be a whole number${range} (got "${value}").`);
    return n;
  };
}

/** A day as YYYY-MM-DD that exists (not 2026-02-30): the message names the option and the form. */
export function dateOption(name: string) {
  return (value: string): string => {
    if (!ZLocalDate.safeParse(value).success)
      throw new InvalidArgumentError(
        `${name} must be a date that exists, as YYYY-MM-DD (e.g. 2026-12-01; got "${value}").`,
      );
    return value;
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

/**
 * A moment (an ISO timestamp) on the workspace's clock, as the CLI prints times: `2026-11-29 09:01` in its time
 * zone, not the UTC the API and --json carry.
 */
export function localDateTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

/** A count for people, with thousands separated: 1305 → "1,305". */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

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
  const cut = (row: readonly string[]) => row.map((cell, k) => truncateToWidth(oneLine(cell), widthOf(k)));
  return alignColumns([cut(header), ...rows.map(cut)], Number.POSITIVE_INFINITY);
}

/**
 * A cell's text on one line: line breaks and tabs (a note typed over several lines) become one space, other
 * control characters and zero-width ones (which a terminal does not advance over, though string-width counts
 * some) are dropped, so a row stays one line and its columns where the header's are.
 */
export function oneLine(text: string): string {
  let clean = true;
  for (let i = 0; i < text.length && clean; i++) clean = !isInvisible(text.charCodeAt(i));
  if (clean) return text;
  let out = '';
  let space = false;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (BREAKS.has(code)) {
      space = out !== '';
      continue;
    }
    if (isInvisible(code)) continue;
    if (space && ch !== ' ') out += ' ';
    space = false;
    out += ch;
  }
  return out.replace(/ {2,}/g, ' ').trimEnd();
}

/** Line breaks and tabs: shown as one space. */
const BREAKS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]);

/** C0 and C1 control characters, zero-width space and joiners, word joiner, byte order mark. */
function isInvisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200d) ||
    code === 0x2060 ||
    code === 0xfeff ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/**
 * Rows of cells as text columns lined up by their width on a terminal (a Chinese character takes two columns),
 * separated by two spaces; the last column is left as it is. A cell wider than `maxWidth` keeps its full text and
 * pushes only its own row's later cells (formatTable cuts cells first). Each cell is shown on one line (oneLine).
 */
export function alignColumns(rows: string[][], maxWidth = 40): string[] {
  const lines = rows.map((row) => row.map(oneLine));
  const widths: number[] = [];
  for (const row of lines) {
    row.slice(0, -1).forEach((cell, k) => {
      widths[k] = Math.max(widths[k] ?? 0, Math.min(maxWidth, stringWidth(cell)));
    });
  }
  return lines.map((row) =>
    row
      .map((cell, k) =>
        k === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[k] ?? 0) - stringWidth(cell))),
      )
      .join('  ')
      .trimEnd(),
  );
}
