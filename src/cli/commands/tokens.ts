import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { notFound } from '../../domain/errors.ts';
import { contextForUser, createApiToken, listApiTokens, revokeApiToken } from '../../services/auth.ts';
import { findUserByIdOrEmail } from '../../services/skills.ts';
import { withDb } from '../db.ts';
import { info, parseIntOption, printJson, UsageError } from '../output.ts';

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
      'expire after N days (default: never)',
      parseIntOption('--expires-in-days'),
    )
    .option('--out <file>', 'write the token to this file (mode 600) instead of printing it')
    .option('--json', 'print the token record as JSON (with the token unless --out is given)')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx, db) => {
        const user = await findUserByIdOrEmail(db.kysely, opts.user);
        if (!user) throw notFound('User', opts.user);
        const created = await createApiToken(await contextForUser(db, user.id, ctx.now), {
          name: opts.name,
          access: opts.access,
          ...(opts.expiresInDays !== undefined ? { expiresInDays: opts.expiresInDays } : {}),
        });
        const { token, ...record } = created;
        if (opts.out) {
          writeFileSync(opts.out, `${token}\n`, { mode: 0o600 });
          if (opts.json) printJson(record);
          else
            process.stdout.write(
              `Created ${record.access} token "${record.name}" (id ${record.id}) for ${user.email}; wrote it to ${opts.out}.\n`,
            );
          return;
        }
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
        for (const t of all) {
          const state = t.revokedAt
            ? 'revoked'
            : t.expiresAt && t.expiresAt < ctx.now().toISOString()
              ? 'expired'
              : 'live';
          process.stdout.write(
            `${t.id}  ${t.prefix}…  ${t.access.padEnd(5)}  ${state.padEnd(7)}  user ${t.userId}  "${t.name}"  last used ${t.lastUsedAt ?? 'never'}\n`,
          );
        }
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
