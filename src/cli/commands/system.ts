import type { Command } from 'commander';
import { exitOnSignals, resolveShutdownTimeoutMs } from '../../server/lifecycle.ts';
import { resolveLogLevel } from '../../server/logging.ts';
import { makeContext } from '../../services/context.ts';
import { loadDemoWorkspace, workspaceIsEmpty } from '../../services/demo.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from '../../services/demo-credentials.ts';
import { createDb, redactUrl } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { databaseUrlOf, withDb } from '../db.ts';
import { info, parseIntOption, printJson, UsageError } from '../output.ts';

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
    .option('--port <port>', 'port to listen on (default $PORT, else 3000)', parseIntOption('--port'))
    .option('--host <host>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option(
      '--log-level <level>',
      'JSON log level on stdout: fatal, error, warn, info, debug, trace or silent (default $LOG_LEVEL, else info)',
    )
    .option(
      '--shutdown-timeout <seconds>',
      'on SIGTERM/SIGINT, how long requests in flight and a running import get to finish (default $TIERLINE_SHUTDOWN_TIMEOUT, else 10)',
    )
    .option(
      '--demo-on-first-run',
      'load the demo workspace when the database has no accounts and no users yet',
    )
    .action(async (opts, command: Command) => {
      let level: ReturnType<typeof resolveLogLevel>;
      let shutdownTimeoutMs: number;
      let port: number;
      try {
        level = resolveLogLevel(opts.logLevel);
        shutdownTimeoutMs = resolveShutdownTimeoutMs(opts.shutdownTimeout);
        port = opts.port ?? portFromEnv();
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      const host: string = opts.host;
      const url = databaseUrlOf(command);
      // SQLite: write-ahead log checkpoints in a worker thread, not inside a request's commit (checkpointer.ts).
      const db = await createDb(url, { backgroundCheckpoints: true });
      await migrateToLatest(db);
      if (opts.demoOnFirstRun && (await workspaceIsEmpty(makeContext(db)))) {
        const summary = await loadDemoWorkspace(makeContext(db));
        info(
          `First run: loaded the demo workspace (${summary.accounts} accounts). Sign in as manager@${DEMO_EMAIL_DOMAIN}, li.na@${DEMO_EMAIL_DOMAIN} or admin@${DEMO_EMAIL_DOMAIN} with the password "${DEMO_PASSWORD}".`,
        );
      }
      // process.stdout: written synchronously (files, pipes), so no line is lost or reordered at exit.
      // The server's modules load only for `serve`: the other commands start without them.
      const { buildApp } = await import('../../server/app.ts');
      const app = await buildApp(db, { logger: { level, stream: process.stdout }, shutdownTimeoutMs });
      exitOnSignals(app, db);
      await app.listen({ port, host });
      const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
      info(
        `Tierline is serving http://${shown}:${port} (database: ${db.dialect === 'sqlite' ? db.location : redactUrl(url)})`,
      );
    });
}

/** $PORT when set (a whole number 1-65535), else 3000. */
function portFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PORT: "${raw}" is not a port number (1-65535).`);
  return port;
}
