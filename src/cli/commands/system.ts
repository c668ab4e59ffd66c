import type { Command } from 'commander';
import { exitOnSignals, resolveShutdownTimeoutMs } from '../../server/lifecycle.ts';
import { resolveLogLevel } from '../../server/logging.ts';
import { makeContext } from '../../services/context.ts';
import { loadDemoWorkspace, workspaceIsEmpty } from '../../services/demo.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from '../../services/demo-credentials.ts';
import { createDb, redactUrl } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { databaseUrlOf, withDb } from '../db.ts';
import { count, info, intOption, printJson, UsageError } from '../output.ts';

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
      'Load the demo workspace: an admin, a manager, two reps, 300 accounts, two sources and a plan worked for four weeks (loads once: running it again changes nothing)',
    )
    .option(
      '--json',
      'print { users, accounts, sources, activities, alreadyLoaded } as JSON (alreadyLoaded: it was there, nothing changed)',
    )
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const summary = await loadDemoWorkspace(ctx);
        if (opts.json) {
          printJson(summary);
          return;
        }
        const what = `${count(summary.accounts, 'account')}, ${count(summary.users, 'user')}, ${count(summary.activities, 'logged touch', 'logged touches')}`;
        process.stdout.write(
          summary.alreadyLoaded
            ? `The demo workspace is already loaded (${what}); nothing was changed.\n`
            : `Loaded the demo workspace: ${what}.\n`,
        );
      });
    });

  program
    .command('serve')
    .description('Serve the web app and the API')
    .option(
      '--port <port>',
      'port to listen on, 1 to 65535 (default $PORT, else 3000)',
      intOption('--port', 1, 65535),
    )
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
      // The server's modules load only for `serve`: the other commands start without them.
      const { buildApp } = await import('../../server/app.ts');
      const { trustProxyFromEnv } = await import('../../server/auth.ts');
      let level: ReturnType<typeof resolveLogLevel>;
      let shutdownTimeoutMs: number;
      let port: number;
      let trustProxy: ReturnType<typeof trustProxyFromEnv>;
      try {
        level = resolveLogLevel(opts.logLevel);
        shutdownTimeoutMs = resolveShutdownTimeoutMs(opts.shutdownTimeout);
        port = opts.port ?? portFromEnv();
        trustProxy = trustProxyFromEnv(process.env.TRUST_PROXY);
        checkNumberSettings();
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      const host: string = opts.host;
      const url = databaseUrlOf(command);
      // SQLite: write-ahead log checkpoints in a worker thread, not inside a request's commit (checkpointer.ts).
      const db = await createDb(url, { backgroundCheckpoints: true });
      let app: Awaited<ReturnType<typeof buildApp>> | undefined;
      try {
        await migrateToLatest(db);
        if (opts.demoOnFirstRun && (await workspaceIsEmpty(makeContext(db)))) {
          const summary = await loadDemoWorkspace(makeContext(db));
          info(
            `First run: loaded the demo workspace (${count(summary.accounts, 'account')}). Sign in as manager@${DEMO_EMAIL_DOMAIN}, li.na@${DEMO_EMAIL_DOMAIN} or admin@${DEMO_EMAIL_DOMAIN} with the password "${DEMO_PASSWORD}".`,
          );
        }
        // process.stdout: written synchronously (files, pipes), so no line is lost or reordered at exit.
        app = await buildApp(db, {
          logger: { level, stream: process.stdout },
          shutdownTimeoutMs,
          trustProxy,
        });
        await app.listen({ port, host });
      } catch (error) {
        // A server that cannot start (port taken, schema newer than this version, …) must exit, not hang on its
        // open database: a supervisor then sees the failure and restarts or reports it.
        await app?.close().catch(() => undefined);
        await db.close().catch(() => undefined);
        throw error;
      }
      exitOnSignals(app, db);
      const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
      info(
        `Tierline is serving http://${shown}:${port} (database: ${db.dialect === 'sqlite' ? db.location : redactUrl(url)})`,
      );
    });
}

/**
 * Settings read only later, where a bad value would silently fall back to the default: refused at the start,
 * naming the setting (docs/deploy.md, Settings).
 */
function checkNumberSettings(env: NodeJS.ProcessEnv = process.env): void {
  const settings = [
    { name: 'TIERLINE_UPLOAD_LIMIT_MB', zeroAllowed: false, what: 'a number of megabytes above 0' },
    { name: 'TIERLINE_UPLOAD_TTL_HOURS', zeroAllowed: false, what: 'a number of hours above 0' },
    { name: 'TIERLINE_FAILED_IMPORT_TTL_DAYS', zeroAllowed: false, what: 'a number of days above 0' },
    { name: 'TIERLINE_OFF_THREAD_ACCOUNTS', zeroAllowed: true, what: 'a number of accounts, 0 or more' },
  ];
  for (const { name, zeroAllowed, what } of settings) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed))
      throw new Error(`${name}: "${raw}" is not ${what}.`);
  }
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
