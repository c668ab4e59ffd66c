import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { ZIsoDate } from '../../schemas/common.ts';
import { ZColumnMapping } from '../../schemas/import-mapping.ts';
import { type CliImportReport, type ImportProgress, withBackend } from '../backend.ts';
import { formatTable, info, parseNumberOption, plural, printJson, UsageError } from '../output.ts';

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
    .option('--cost <yuan>', 'what the list cost, in yuan', parseNumberOption('--cost'))
    .option('--acquired-on <date>', 'when the list was bought or collected (YYYY-MM-DD; default today)')
    .option(
      '--cleaning-hours <hours>',
      'hours spent cleaning the list',
      parseNumberOption('--cleaning-hours'),
    )
    .option('--mapping <file>', 'JSON file {"column header": "field" or null} over the automatic mapping')
    .option('--sheet <name>', 'Excel sheet (default: the first with data)')
    .option('--dry-run', 'validate, de-duplicate and count, but change nothing')
    .option(
      '--newer-source-wins',
      'values from this file replace stored ones (default: only empty fields are filled)',
    )
    .option(
      '--warnings-file <file>',
      'write every warning (line, column, value, reason) to this CSV file (UTF-8 with BOM); with --dry-run too',
    )
    .option(
      '--json',
      'print one JSON object { rows, created, merged, rejected, warnings, rejectsFile, sourceId } (and warningsFile with --warnings-file)',
    )
    .action(async (file: string, opts, command: Command) => {
      if (opts.purchased && opts.free) throw new UsageError('--purchased and --free exclude each other.');
      if (opts.cost !== undefined && opts.cost < 0)
        throw new InvalidArgumentError('--cost must not be negative.');
      if (opts.acquiredOn !== undefined && !ZIsoDate.safeParse(opts.acquiredOn).success) {
        throw new UsageError('--acquired-on must be a date as YYYY-MM-DD.');
      }
      const mapping = opts.mapping ? readMapping(opts.mapping) : null;
      const progress = progressBar(Boolean(process.stderr.isTTY) && !opts.json);
      await withBackend(command, async (backend) => {
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
            },
            progress.onProgress,
            { warningsFile: opts.warningsFile },
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
            rejectsFile: report.rejectsFile,
            sourceId: report.sourceId,
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
          `  created   ${number(report.created)}`,
          `  merged    ${number(report.merged)}${report.unchanged ? ` (${number(report.unchanged)} added nothing new)` : ''}`,
          `  rejected  ${number(report.rejected)}${report.rejectsFile ? ` -> ${report.rejectsFile}` : ''}`,
          `  warnings  ${number(report.warnings)}${report.warningsFile ? ` -> ${report.warningsFile}` : ''}`,
          report.message,
        ];
        if (report.rejectsFile) {
          lines.push(
            'Fix the rejected rows in that file and import it again: its line and reason columns are ignored.',
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
