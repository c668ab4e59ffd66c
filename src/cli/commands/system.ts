import type { Command } from 'commander';
import { buildApp } from '../../server/app.ts';
import { makeContext } from '../../services/context.ts';
import { loadDemoWorkspace, workspaceIsEmpty } from '../../services/demo.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from '../../services/demo-credentials.ts';
import { createDb, redactUrl } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { databaseUrlOf, withDb } from '../db.ts';
import { info, parseIntOption, printJson } from '../output.ts';

export function registerSystemCommands(program: Command): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date (also done on every start)')
    .option('--json', 'print { applied } as JSON')
    .action(async (opts, command: Command) => {
      const db = await createDb(databaseUrlOf(command));
      try {
        const result = await migrateToLatest(db);
        if (opts.json) printJson(result);
        else
          process.stdout.write(
            result.applied.length
              ? `Applied ${result.applied.join(', ')} to ${db.location}.\n`
              : `${db.location} is up to date.\n`,
          );
      } finally {
        await db.close();
      }
    });

  program
    .command('demo')
    .description(
      'Load the demo workspace: a manager, two reps, ~300 accounts, two sources and a few weeks of history',
    )
    .option('--json', 'print what was loaded as JSON')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const summary = await loadDemoWorkspace(ctx);
        if (opts.json) printJson(summary);
        else
          process.stdout.write(
            `Loaded the demo workspace: ${summary.accounts} accounts, ${summary.users} users, ${summary.activities} logged touches.\n`,
          );
      });
    });

  program
    .command('serve')
    .description('Serve the web app and the API')
    .option('--port <port>', 'port to listen on', parseIntOption('--port'), 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--demo-on-first-run',
      'load the demo workspace when the database has no accounts and no users yet',
    )
    .action(async (opts, command: Command) => {
      const url = databaseUrlOf(command);
      const db = await createDb(url);
      await migrateToLatest(db);
      if (opts.demoOnFirstRun && (await workspaceIsEmpty(makeContext(db)))) {
        const summary = await loadDemoWorkspace(makeContext(db));
        info(
          `First run: loaded the demo workspace (${summary.accounts} accounts). Sign in as manager@${DEMO_EMAIL_DOMAIN}, li.na@${DEMO_EMAIL_DOMAIN} or admin@${DEMO_EMAIL_DOMAIN} with the password "${DEMO_PASSWORD}".`,
        );
      }
      const app = await buildApp(db, { logger: { level: process.env.LOG_LEVEL ?? 'info' } });
      const close = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void close('SIGTERM'));
      process.once('SIGINT', () => void close('SIGINT'));
      await app.listen({ port: opts.port, host: opts.host });
      const shown = opts.host === '127.0.0.1' || opts.host === '0.0.0.0' ? 'localhost' : opts.host;
      info(
        `Tierline is serving http://${shown}:${opts.port} (database: ${db.dialect === 'sqlite' ? db.location : redactUrl(url)})`,
      );
    });
}
