import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { parseMoney } from '../../import/value-parsers.ts';
import { ZIsoDate } from '../../schemas/common.ts';
import { MAX_CLEANING_HOURS, MAX_SOURCE_COST } from '../../schemas/import-api.ts';
import { ZColumnMapping } from '../../schemas/import-mapping.ts';
import { type CliImportReport, type ImportProgress, withBackend } from '../backend.ts';
import { formatTable, info, parseNumberOption, plural, printJson, UsageError } from '../output.ts';
import { userIdOf } from '../user-option.ts';

function readMapping(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`--mapping ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ZColumnMapping.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `--mapping ${path}: ${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid'} (expected {"column header": "field" or null})`,
    );
  }
  return parsed.data;
}

const number = (n: number) => n.toLocaleString('en-US');

/** --cost: an amount in yuan as everywhere else (4800, 4,800元, 4.8万, 1.2亿), not negative, at most 1万亿. */
function costOption(value: string): number {
  const parsed = parseMoney(value);
  if (!parsed.ok) throw new InvalidArgumentError(`--cost: ${parsed.reason}`);
  if (parsed.value === null)
    throw new InvalidArgumentError('--cost: empty value; give an amount such as 4800');
  if (parsed.value < 0) throw new InvalidArgumentError('--cost must not be negative.');
  if (parsed.value > MAX_SOURCE_COST)
    throw new InvalidArgumentError('--cost: a list costs at most 1,000,000,000,000 yuan (1万亿).');
  return parsed.value;
}

/** --cleaning-hours: a number of hours, 0 to 100,000. */
function cleaningHoursOption(value: string): number {
  const hours = parseNumberOption('--cleaning-hours')(value);
  if (hours < 0 || hours > MAX_CLEANING_HOURS)
    throw new InvalidArgumentError('--cleaning-hours must be between 0 and 100,000.');
  return hours;
}

/** After the merged count: rows that added nothing, and values the accounts kept against the file's. */
function mergedNote(report: CliImportReport): string {
  const notes = [
    ...(report.unchanged ? [`${number(report.unchanged)} added nothing new`] : []),
    ...(report.conflicts
      ? [
          `${number(report.conflicts)} ${plural(report.conflicts, 'value')} differing from the account's kept, not taken (--newer-source-wins takes them)`,
        ]
      : []),
  ];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** A progress bar on stderr for long imports (only on a terminal): bytes read locally, rows on a server. */
function progressBar(enabled: boolean) {
  if (!enabled) return { onProgress: (_progress: ImportProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Importing [{bar}] {percentage}% | {rows} rows | {phase}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(progress: ImportProgress) {
      const payload = {
        rows: number(progress.rows),
        phase: progress.phase === 'merging' ? 'merging (one transaction)' : 'reading',
      };
      if (!started) {
        bar.start(progress.total, progress.done, payload);
        started = true;
      } else {
        bar.setTotal(progress.total);
        bar.update(progress.done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A value as the warnings list quotes it: JSON string syntax, cut to 60 characters. */
function quoted(value: string | null): string {
  if (value === null) return '(none)';
  const chars = [...value];
  return JSON.stringify(chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : value);
}

/**
 * The job's first warnings (line, column, value: reason), then how many more there are and how to get them
 * all: the CSV written with --warnings-file, or how to write it.
 */
function warningLines(report: CliImportReport, backend: 'local' | 'remote'): string[] {
  if (report.warnings === 0) return [];
  const shown = report.firstWarnings;
  const stored = report.warnings - report.warningsNotStored;
  const lines = [
    shown.length < stored
      ? `First ${number(shown.length)} of ${number(report.warnings)} warnings (values imported as empty, cut or kept as read):`
      : 'Warnings (values imported as empty, cut or kept as read):',
    ...shown.map((w) => `  line ${w.line}, ${w.column ?? '(row)'}, ${quoted(w.value)}: ${w.reason}`),
  ];
  const more = stored - shown.length;
  if (report.warningsFile) {
    lines.push(`All ${number(stored)} stored warnings are in ${report.warningsFile}.`);
  } else if (more > 0) {
    const api =
      backend === 'remote' ? `, or GET /api/imports/${report.jobId}/warnings?format=csv from the server` : '';
    lines.push(
      `${number(more)} more not shown: run the import again with ${report.dryRun ? '' : '--dry-run (which changes nothing) and '}--warnings-file FILE to write them all as CSV${api}.`,
    );
  }
  if (report.warningsNotStored > 0) {
    lines.push(
      `${number(report.warningsNotStored)} warnings beyond the first ${number(stored)} were counted but not stored.`,
    );
  }
  return lines;
}

export function registerImportCommands(program: Command): void {
  program
    .command('import <file>')
    .description(
      'Import a prospect list (CSV/TSV in UTF-8, UTF-16 or GBK/GB18030, or .xlsx): values cleaned, rows validated, companies de-duplicated against the file and the database, all merged in one transaction',
    )
    .option(
      '--source <name>',
      'where the list came from (default: the file name); remembered with its mapping',
    )
    .option('--purchased', 'the list was bought (the default for a new source with a cost)')
    .option('--free', 'the list is from a free source (chamber of commerce, library, publications)')
    .option(
      '--cost <yuan>',
      'what the list cost, in yuan: 4800, 4,800 or 4800元, 4.8万, 1.2亿 (at most 1万亿)',
      costOption,
    )
    .option('--acquired-on <date>', 'when the list was bought or collected (YYYY-MM-DD; default today)')
    .option(
      '--cleaning-hours <hours>',
      'hours spent cleaning the list (at most 100,000)',
      cleaningHoursOption,
    )
    .option('--mapping <file>', 'JSON file {"column header": "field" or null} over the automatic mapping')
    .option('--sheet <name>', 'Excel sheet (default: the first with data)')
    .option('--dry-run', 'validate, de-duplicate and count, but change nothing')
    .option(
      '--newer-source-wins',
      'values from this file replace stored ones (default: only empty fields are filled)',
    )
    .option(
      '--owner <user>',
      'who owns the accounts the import creates: a user id or email, or "none" for nobody (default: nobody on the local database; against a server, you when you are a rep or a manager). Accounts the file matches keep their owner',
    )
    .option(
      '--rejects-file <file>',
      'write the rejected rows to this CSV file (default: <name>.rejected.<job>.csv under imports/ beside the database; a dry run writes them only when this is given)',
    )
    .option(
      '--warnings-file <file>',
      'write every warning (line, column, value, reason) to this CSV file (UTF-8 with BOM); with --dry-run too',
    )
    .option(
      '--json',
      'print one JSON object { rows, created, merged, rejected, warnings, rejectsFile, sourceId, owner } (and warningsFile with --warnings-file); owner: { id, name } of the new accounts, or null',
    )
    .action(async (file: string, opts, command: Command) => {
      if (opts.purchased && opts.free) throw new UsageError('--purchased and --free exclude each other.');
      if (opts.acquiredOn !== undefined && !ZIsoDate.safeParse(opts.acquiredOn).success) {
        throw new UsageError('--acquired-on must be a date as YYYY-MM-DD.');
      }
      const mapping = opts.mapping ? readMapping(opts.mapping) : null;
      const progress = progressBar(Boolean(process.stderr.isTTY) && !opts.json);
      const owner = typeof opts.owner === 'string' ? opts.owner.trim() : undefined;
      if (owner === '') throw new UsageError('--owner needs a user id or email, or "none".');
      await withBackend(command, async (backend) => {
        const ownerId =
          owner === undefined
            ? undefined
            : owner.toLowerCase() === 'none'
              ? null
              : await userIdOf(backend, '--owner', owner, { verify: true });
        let report: CliImportReport;
        try {
          report = await backend.importFile(
            file,
            {
              source: {
                name: opts.source ?? basename(file, extname(file)),
                kind: opts.free ? 'free' : opts.purchased ? 'purchased' : undefined,
                cost: opts.cost,
                acquiredOn: opts.acquiredOn,
                cleaningHours: opts.cleaningHours,
              },
              mapping,
              sheet: opts.sheet,
              dryRun: Boolean(opts.dryRun),
              newerSourceWins: Boolean(opts.newerSourceWins),
              ...(ownerId !== undefined ? { ownerId } : {}),
            },
            progress.onProgress,
            { warningsFile: opts.warningsFile, rejectsFile: opts.rejectsFile },
          );
        } finally {
          progress.stop();
        }
        if (opts.json) {
          printJson({
            rows: report.rows,
            created: report.created,
            merged: report.merged,
            rejected: report.rejected,
            warnings: report.warnings,
            conflicts: report.conflicts,
            rejectsFile: report.rejectsFile,
            sourceId: report.sourceId,
            owner: report.owner,
            ...(report.warningsFile ? { warningsFile: report.warningsFile } : {}),
          });
          return;
        }
        const d = report.detected;
        const format = !d
          ? ''
          : d.kind === 'xlsx'
            ? ` (Excel, sheet "${d.sheet}")`
            : ` (${d.encoding ?? 'utf8'}, ${d.delimiter === '\t' ? 'tab' : `"${d.delimiter}"`}-separated)`;
        const lines = [
          `${report.dryRun ? 'Checked' : 'Imported'} ${file}${format}: ${number(report.rows)} ${plural(report.rows, 'row')}`,
          `  created   ${number(report.created)}${report.created > 0 ? (report.owner ? `, owned by ${report.owner.name}` : ', without an owner (`tierline accounts list --unassigned`)') : ''}`,
          `  merged    ${number(report.merged)}${mergedNote(report)}`,
          `  rejected  ${number(report.rejected)}${report.rejectsFile ? ` -> ${report.rejectsFile}` : report.rejected > 0 && report.dryRun ? ' (not written: a dry run writes no file unless --rejects-file FILE is given)' : ''}`,
          `  warnings  ${number(report.warnings)}${report.warningsFile ? ` -> ${report.warningsFile}` : ''}`,
          report.message,
        ];
        if (report.rejectsFile) {
          lines.push(
            'Fix the rejected rows in that file and import it again: its line, reason and original columns are ignored. A row whose columns are empty could not be split into columns: its text is in "original"; copy its values into the columns.',
          );
        }
        lines.push(...warningLines(report, backend.kind));
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  const sources = program
    .command('sources')
    .description('Where prospect lists came from, and what they are worth');
  sources
    .command('list')
    .description(
      'Each source: accounts supplied, how many are in the target market, cost per in-market account',
    )
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const reports = await backend.sources();
        if (opts.json) {
          printJson(reports);
          return;
        }
        if (reports.length === 0) {
          info('No sources yet: `tierline import <file> --source NAME` records one.');
          return;
        }
        const rows = reports.map((r) => [
          r.name,
          r.kind,
          r.cost === null ? '-' : number(r.cost),
          number(r.accounts),
          number(r.inMarket),
          r.costPerInMarketAccount === null ? '-' : r.costPerInMarketAccount.toFixed(2),
          r.cleaningHours === null ? '-' : String(r.cleaningHours),
        ]);
        const header = ['source', 'kind', 'cost', 'accounts', 'in market', 'cost/in-market', 'cleaning h'];
        process.stdout.write(`${formatTable(header, rows).join('\n')}\n`);
      });
    });
}
