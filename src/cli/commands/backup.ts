import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../services/backup.ts';
import { exportWorkspace, importWorkspace } from '../../services/workspace-transfer.ts';
import { databaseUrlOf, withDb } from '../db.ts';
import { plural, printJson } from '../output.ts';

const number = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Copy the SQLite database to <file> while the server keeps serving (PostgreSQL: use pg_dump)',
    )
    .argument('<file>', 'the backup file to write')
    .option('--force', 'replace <file> if it exists')
    .option('--json', 'print { source, file, bytes, pages, integrity, migrations } as JSON')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }, command: Command) => {
      const result = await backupDatabase(databaseUrlOf(command), file, { force: opts.force === true });
      if (opts.json) printJson(result);
      else
        process.stdout.write(
          `Backed up ${result.source} to ${result.file} (${mib(result.bytes)}, integrity_check ok).\n`,
        );
    });

  program
    .command('restore')
    .description(
      'Replace the SQLite database with a backup made by `tierline backup` (stop the server first)',
    )
    .argument('<file>', 'the backup file')
    .option('--force', 'replace a database that already holds data')
    .option('--json', 'print { file, from, bytes, migrations, pending, replaced } as JSON')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }, command: Command) => {
      const result = await restoreDatabase(databaseUrlOf(command), file, { force: opts.force === true });
      if (opts.json) printJson(result);
      else
        process.stdout.write(
          `Restored ${result.from} to ${result.file} (${mib(result.bytes)}).${
            result.pending.length > 0
              ? ` Migrations ${result.pending.join(', ')} run on the next start (or \`tierline migrate\`).`
              : ''
          }\n`,
        );
    });

  program
    .command('export-all')
    .description(
      'Write the whole workspace to <dir>: one JSON Lines file per table and a manifest (SQLite or PostgreSQL)',
    )
    .argument('<dir>', 'a new or empty directory')
    .option('--json', 'print { dir, tables, rows, bytes } as JSON')
    .action(async (dir: string, opts: { json?: boolean }, command: Command) => {
      await withDb(command, async (_ctx, db) => {
        const result = await exportWorkspace(db, dir);
        if (opts.json)
          printJson({ dir: result.dir, tables: result.tables, rows: result.rows, bytes: result.bytes });
        else
          process.stdout.write(
            `Exported ${number(result.rows)} ${plural(result.rows, 'row')} of ${result.tables} ${plural(result.tables, 'table')} to ${result.dir} (${mib(result.bytes)}).\n`,
          );
      });
    });

  program
    .command('import-all')
    .description('Load a directory written by export-all into an empty database, in one transaction')
    .argument('<dir>', 'a directory written by `tierline export-all`')
    .option('--json', 'print { dir, tables, rows } as JSON')
    .action(async (dir: string, opts: { json?: boolean }, command: Command) => {
      await withDb(command, async (_ctx, db) => {
        const result = await importWorkspace(db, dir);
        if (opts.json) printJson({ dir: result.dir, tables: result.tables, rows: result.rows });
        else
          process.stdout.write(
            `Imported ${number(result.rows)} ${plural(result.rows, 'row')} of ${result.tables} ${plural(result.tables, 'table')} from ${result.dir} into ${db.location}.\n`,
          );
      });
    });
}
