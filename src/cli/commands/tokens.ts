import { closeSync, existsSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { notFound } from '../../domain/errors.ts';
import { contextForUser, createApiToken, listApiTokens, revokeApiToken } from '../../services/auth.ts';
import type { ServiceContext } from '../../services/context.ts';
import { findUserByIdOrEmail } from '../../services/skills.ts';
import { placeFile, tempPathBeside } from '../../storage/sqlite-backup.ts';
import { withDb } from '../db.ts';
import { AppError, formatTable, info, intOption, printJson, UsageError } from '../output.ts';

/**
 * The file `tokens create --out` writes, claimed before the token exists: refused when it exists (unless `force`)
 * or is a directory, and a temporary file beside it (mode 600) opened, which proves the directory is writable.
 * `place` writes the token into it and moves it into place; `discard` removes it.
 */
function claimTokenFile(file: string, force: boolean) {
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory())
    throw new AppError('bad_request', `${file} is a directory: give the token a file name.`);
  if (existsSync(target) && !force)
    throw new AppError('conflict', `${file} already exists: pass --force to replace it.`);
  const temp = tempPathBeside(target);
  let fd: number | null;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AppError('unprocessable', `Cannot write ${file} (${reason}); no token was created.`);
  }
  const discard = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(temp, { force: true });
  };
  const place = (token: string) => {
    if (fd === null) throw new Error('the token file was discarded');
    writeSync(fd, `${token}\n`);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    if (!placeFile(temp, target, force))
      throw new AppError('conflict', `${file} appeared meanwhile: pass --force to replace it.`);
  };
  return { place, discard };
}

/** Creates the token and writes it to `file`; a token whose file could not be written is revoked, never left live. */
async function createTokenIntoFile(
  ctx: ServiceContext,
  userCtx: ServiceContext,
  input: Parameters<typeof createApiToken>[1],
  file: string,
  force: boolean,
) {
  const claimed = claimTokenFile(file, force);
  try {
    const { token, ...record } = await createApiToken(userCtx, input);
    try {
      claimed.place(token);
    } catch (error) {
      await revokeApiToken(ctx, record.id);
      throw error;
    }
    return record;
  } finally {
    claimed.discard();
  }
}

/**
 * Personal API tokens, made by the operator who holds the database (people make their own from a signed-in
 * session: POST /api/auth/tokens). A token lets `tierline --server …` and scripts act as its user.
 */
export function registerTokenCommands(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('Create, list and revoke personal API tokens (for the CLI against a server, and scripts)');

  tokens
    .command('create')
    .description(
      'Create an API token for a user; the token is shown (or written to --out) only now, the database keeps its hash',
    )
    .requiredOption('--user <id|email>', 'whose token: it acts as this user, within their scope')
    .requiredOption('--name <name>', 'what it is for, e.g. "laptop" or "nightly export"')
    .addOption(
      new Option('--access <access>', 'read: GET only; write: everything the user may do')
        .choices(['read', 'write'])
        .default('read'),
    )
    .option(
      '--expires-in-days <n>',
      'expire after N days, 1 to 3650 (default: never)',
      intOption('--expires-in-days', 1, 3650),
    )
    .option(
      '--out <file>',
      'write the token to this new file (mode 600) instead of printing it; an existing file is refused',
    )
    .option('--force', 'with --out: replace the file if it exists')
    .option('--json', 'print the token record as JSON (with the token unless --out is given)')
    .action(async (opts, command: Command) => {
      if (opts.force && !opts.out) throw new UsageError('--force goes with --out <file>.');
      await withDb(command, async (ctx, db) => {
        const user = await findUserByIdOrEmail(db.kysely, opts.user);
        if (!user) throw notFound('User', opts.user);
        const userCtx = await contextForUser(db, user.id, ctx.now);
        const input = {
          name: opts.name,
          access: opts.access,
          ...(opts.expiresInDays !== undefined ? { expiresInDays: opts.expiresInDays } : {}),
        };
        if (opts.out) {
          const record = await createTokenIntoFile(ctx, userCtx, input, opts.out, opts.force === true);
          if (opts.json) printJson(record);
          else
            process.stdout.write(
              `Created ${record.access} token "${record.name}" (id ${record.id}) for ${user.email}; wrote it to ${opts.out}.\n`,
            );
          return;
        }
        const created = await createApiToken(userCtx, input);
        const { token, ...record } = created;
        if (opts.json) {
          printJson(created);
          return;
        }
        info(
          `Created ${record.access} token "${record.name}" (id ${record.id}) for ${user.email}. It is shown only now:`,
        );
        process.stdout.write(`${token}\n`);
      });
    });

  tokens
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const all = await listApiTokens(ctx);
        if (opts.json) {
          printJson(all);
          return;
        }
        if (all.length === 0) {
          info('No API tokens yet. Create one with `tierline tokens create --user <email> --name …`.');
          return;
        }
        // Whose token, by email (the id where the user is gone).
        const emails = new Map<string, string>();
        for (const userId of new Set(all.map((t) => t.userId))) {
          const user = await findUserByIdOrEmail(ctx.db.kysely, userId);
          if (user) emails.set(userId, user.email);
        }
        const rows = all.map((t) => [
          t.id,
          `${t.prefix}…`,
          t.access,
          t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt < ctx.now().toISOString() ? 'expired' : 'live',
          emails.get(t.userId) ?? t.userId,
          t.name,
          t.lastUsedAt ?? 'never',
        ]);
        const header = ['id', 'prefix', 'access', 'state', 'user', 'name', 'last used'];
        process.stdout.write(`${formatTable(header, rows).join('\n')}\n`);
      });
    });

  tokens
    .command('revoke <tokenId>')
    .description('Revoke an API token at once')
    .action(async (tokenId: string, _opts, command: Command) => {
      if (!tokenId.trim()) throw new UsageError('give the token id (see `tierline tokens list`).');
      await withDb(command, async (ctx) => {
        await revokeApiToken(ctx, tokenId);
        process.stdout.write(`Revoked API token ${tokenId}.\n`);
      });
    });
}
