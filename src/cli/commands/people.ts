import { type Command, InvalidArgumentError, Option } from 'commander';
import type { TTeam, TTerritory, TUser, TUserUpdate } from '../../schemas/people.ts';
import { MAX_CALLS_PER_DAY, MAX_VISITS_PER_DAY } from '../../schemas/plan.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createTeam, listTeams, updateTeam } from '../../services/teams.ts';
import { createTerritory, deleteTerritory, listTerritories } from '../../services/territories.ts';
import {
  createUser,
  disableUser,
  enableUser,
  getUser,
  listUsers,
  setUserPassword,
  updateUser,
} from '../../services/users.ts';
import { withBackend } from '../backend.ts';
import { withDb } from '../db.ts';
import {
  AppError,
  count,
  formatTable,
  info,
  intOption,
  namesFields,
  printJson,
  UsageError,
} from '../output.ts';

// The CLI acts as the local system user: whoever can open the database file may manage everyone, so these
// commands are for the machine's operator (first admin, recovery, scripts), not a substitute for sign-in.

function list(value: string): string[] {
  return value
    .split(/[,，]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The password from stdin (first line; a trailing newline is not part of it). */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      '--password-stdin reads the password from a pipe: printf %s "$PASSWORD" | tierline …',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function printTable(header: string[], rows: string[][]): void {
  process.stdout.write(`${formatTable(header, rows).join('\n')}\n`);
}

function describeUser(u: TUser): string {
  return `${u.name} <${u.email}> (${u.role}, id ${u.id})`;
}

/** A user named by id or email (any user: the CLI acts as the system); not found: exit 1 naming what was given. */
async function userOf(ctx: ServiceContext, wanted: string): Promise<TUser> {
  const value = wanted.trim();
  if (value.includes('@')) {
    const user = (await listUsers(ctx)).find((u) => u.email.toLowerCase() === value.toLowerCase());
    if (user) return user;
    throw new AppError(
      'not_found',
      `<id|email>: no user has the email "${value}" (\`tierline users list\` lists them).`,
      { value },
    );
  }
  return getUser(ctx, value);
}

/**
 * `--calls-per-day N` and the like for a person: a whole number within the API's limit, or "" (kept as "": commander
 * gives back no null) for the workspace's capacity.
 */
function capacityOption(name: string, max: number) {
  const number = intOption(name, 0, max);
  return (value: string): number | '' => (value.trim() === '' ? '' : number(value));
}

/** A capacity option's value for the API: "" is null, the workspace's capacity. */
const capacityValue = (value: number | '') => (value === '' ? null : value);

/** What an edit changed, as `role rep → manager` lines. */
function userChanges(before: TUser, after: TUser): string[] {
  // A capacity of their own left empty is the workspace's.
  const fields = [
    ['name', before.name, after.name, '(none)'],
    ['email', before.email, after.email, '(none)'],
    ['role', before.role, after.role, '(none)'],
    ['team', before.teamId, after.teamId, '(none)'],
    ['language', before.locale, after.locale, '(none)'],
    ['calls per day', before.callsPerDay, after.callsPerDay, "(the workspace's)"],
    ['visits per day', before.visitsPerDay, after.visitsPerDay, "(the workspace's)"],
  ] as const;
  const shown = (v: string | number | null, empty: string) => (v === null || v === '' ? empty : String(v));
  return fields
    .filter(([, was, now]) => was !== now)
    .map(([label, was, now, empty]) => `${label} ${shown(was, empty)} → ${shown(now, empty)}`);
}

export function registerPeopleCommands(program: Command): void {
  const users = program
    .command('users')
    .description('Add, edit, list, disable and enable users (acts as the local system user)');

  users
    .command('add')
    .description('Add a user; with no user yet, `--role admin` does what the web setup page does')
    .requiredOption('--email <email>', 'sign-in email address')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'manager', 'rep']).makeOptionMandatory())
    .option('--team <teamId>', 'team id (see `tierline teams list`)')
    .addOption(new Option('--locale <locale>', 'language of the web app').choices(['zh-CN', 'en']))
    .option(
      '--password-stdin',
      'read the password (at least 10 characters) from stdin; without it the user cannot sign in yet',
    )
    .option('--json', 'print the user as JSON')
    .action(async (opts, command: Command) => {
      const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
      await withDb(command, async (ctx) => {
        const user = await createUser(ctx, {
          email: opts.email,
          name: opts.name,
          role: opts.role,
          teamId: opts.team ?? null,
          ...(opts.locale ? { locale: opts.locale } : {}),
          ...(password !== undefined ? { password } : {}),
        });
        if (opts.json) printJson(user);
        else {
          process.stdout.write(`Added ${describeUser(user)}.\n`);
          if (!user.hasPassword)
            info('No password yet: set one with `tierline users set-password <id> --password-stdin`.');
        }
      });
    });

  users
    .command('edit <id|email>')
    .description(
      'Change a person: only what is given (as PATCH /api/users/:id, with every right: the CLI acts as the local system user). It saves on the version it reads, so a change made meanwhile is refused, not overwritten; the last admin stays an admin',
    )
    .option('--name <name>', 'display name')
    .option('--email <email>', 'sign-in email address')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'manager', 'rep']))
    .option('--team <teamId>', 'team id (see `tierline teams list`); "" takes them out of their team')
    .addOption(new Option('--locale <locale>', 'language of the web app').choices(['zh-CN', 'en']))
    .option(
      '--calls-per-day <n>',
      `their own call capacity per working day, 0 to ${MAX_CALLS_PER_DAY}; "" for the workspace's`,
      capacityOption('--calls-per-day', MAX_CALLS_PER_DAY),
    )
    .option(
      '--visits-per-day <n>',
      `their own visit capacity per working day, 0 to ${MAX_VISITS_PER_DAY}; "" for the workspace's`,
      capacityOption('--visits-per-day', MAX_VISITS_PER_DAY),
    )
    .option(
      '--if-version <n>',
      'save only if the person is still at version N (as `users list --json` shows it); refused otherwise',
      intOption('--if-version', 1),
    )
    .option('--json', 'print the user as JSON')
    .action(async (idOrEmail: string, opts, command: Command) => {
      const change: TUserUpdate = {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.email !== undefined ? { email: opts.email } : {}),
        ...(opts.role !== undefined ? { role: opts.role } : {}),
        ...(opts.team !== undefined ? { teamId: opts.team.trim() === '' ? null : opts.team.trim() } : {}),
        ...(opts.locale !== undefined ? { locale: opts.locale } : {}),
        ...(opts.callsPerDay !== undefined ? { callsPerDay: capacityValue(opts.callsPerDay) } : {}),
        ...(opts.visitsPerDay !== undefined ? { visitsPerDay: capacityValue(opts.visitsPerDay) } : {}),
      };
      if (Object.keys(change).length === 0)
        throw new UsageError(
          'nothing to change: give --name, --email, --role, --team, --locale, --calls-per-day or --visits-per-day.',
        );
      await withDb(command, async (ctx) => {
        const before = await userOf(ctx, idOrEmail);
        const after = await updateUser(ctx, before.id, {
          ...change,
          version: opts.ifVersion ?? before.version,
        });
        if (opts.json) {
          printJson(after);
          return;
        }
        const changed = userChanges(before, after);
        process.stdout.write(
          `Saved ${describeUser(after)}, version ${after.version}${changed.length ? ':' : '; nothing changed.'}\n`,
        );
        for (const line of changed) process.stdout.write(`  ${line}\n`);
      });
    });

  users
    .command('list')
    .description('List users')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const all = await backend.users();
        if (opts.json) {
          printJson(all);
          return;
        }
        if (all.length === 0) {
          info('No users yet. Add the first admin with `tierline users add --role admin …`.');
          return;
        }
        printTable(
          ['id', 'role', 'name', 'email', 'team', 'status'],
          all.map((u) => [
            u.id,
            u.role,
            u.name,
            u.email,
            u.teamId ?? '',
            u.disabledAt ? 'disabled' : 'active',
          ]),
        );
      });
    });

  users
    .command('disable <userId>')
    .description(
      'Disable a user: they cannot sign in, their sessions end at once, their API tokens are revoked',
    )
    .option('--json', 'print the user as JSON')
    .action(async (userId: string, opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const user = await disableUser(ctx, userId);
        if (opts.json) printJson(user);
        else
          process.stdout.write(
            `Disabled ${describeUser(user)}. Hand over their accounts with \`tierline accounts assign --from ${user.id} --to <userId>\`.\n`,
          );
      });
    });

  users
    .command('enable <userId>')
    .description('Enable a disabled user again')
    .option('--json', 'print the user as JSON')
    .action(async (userId: string, opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const user = await enableUser(ctx, userId);
        if (opts.json) printJson(user);
        else process.stdout.write(`Enabled ${describeUser(user)}.\n`);
      });
    });

  users
    .command('set-password <userId>')
    .description("Set a user's password from stdin (at least 10 characters); ends their sessions")
    .requiredOption('--password-stdin', 'read the password from stdin')
    .action(async (userId: string, _opts, command: Command) => {
      const password = await readPasswordFromStdin();
      await withDb(command, async (ctx) => {
        const user = await setUserPassword(ctx, userId, password);
        process.stdout.write(`Set the password of ${describeUser(user)}; their sessions have ended.\n`);
      });
    });

  const teams = program.command('teams').description('Add and list teams, set their manager');

  teams
    .command('add')
    .description('Add a team; a name another team has (case and full-width letters aside) is refused')
    .requiredOption('--name <name>', 'team name')
    .option('--manager <userId>', 'the manager (a user with role manager or admin)')
    .option('--json', 'print the team as JSON')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const team = await createTeam(ctx, { name: opts.name, managerId: opts.manager ?? null });
        if (opts.json) printJson(team);
        else process.stdout.write(`Added team ${team.name} (id ${team.id}).\n`);
      });
    });

  teams
    .command('list')
    .description('List teams')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const all: TTeam[] = await listTeams(ctx);
        if (opts.json) {
          printJson(all);
          return;
        }
        if (all.length === 0) {
          info('No teams yet. Add one with `tierline teams add --name …`.');
          return;
        }
        printTable(
          ['id', 'name', 'manager', 'members'],
          all.map((t) => [t.id, t.name, t.managerId ?? '', String(t.memberCount)]),
        );
      });
    });

  const setManager = teams.command('set-manager <teamId> <userId>');
  // The manager is this command's second argument, not --manager.
  namesFields(setManager, { managerId: '<userId>' })
    .description("Set a team's manager")
    .option('--json', 'print the team as JSON')
    .action(async (teamId: string, userId: string, opts, command: Command) => {
      await withDb(command, async (ctx) => {
        // Changed on the version just read: a change made meanwhile elsewhere is refused, not overwritten.
        const read = (await listTeams(ctx)).find((t) => t.id === teamId);
        const team = await updateTeam(ctx, teamId, { managerId: userId, version: read?.version ?? 1 });
        if (opts.json) printJson(team);
        else process.stdout.write(`Team ${team.name} is now managed by ${userId}.\n`);
      });
    });

  const territories = program.command('territories').description('Define and list territories');

  territories
    .command('add')
    .description(
      'Define a territory for a rep; accounts without a territory that lie in it join it. A district may be written 城市/区县 to mean one city',
    )
    .requiredOption('--name <name>', 'territory name')
    .requiredOption('--rep <userId>', 'the rep who works it')
    .option('--provinces <names>', 'provinces, comma-separated (e.g. 江苏省,浙江省)', list)
    .option('--cities <names>', 'cities, comma-separated (e.g. 苏州市,无锡市)', list)
    .option('--districts <names>', 'districts, comma-separated (e.g. 南京市/鼓楼区,浦东新区)', list)
    .option('--accounts <ids>', 'accounts listed explicitly, comma-separated ids', list)
    .option('--json', 'print the territory as JSON')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const territory = await createTerritory(ctx, {
          name: opts.name,
          repId: opts.rep,
          provinces: opts.provinces ?? [],
          cities: opts.cities ?? [],
          districts: opts.districts ?? [],
          accountIds: opts.accounts ?? [],
        });
        if (opts.json) printJson(territory);
        else
          process.stdout.write(
            `Added territory ${territory.name} (id ${territory.id}); ${count(territory.claimedAccounts, 'account')} joined it.\n`,
          );
      });
    });

  territories
    .command('delete <id>')
    .description(
      'Delete a territory; its accounts keep their owners. It reads the territory and deletes the version it read, so a change someone made meanwhile is refused, not deleted unseen',
    )
    .option(
      '--if-version <n>',
      'delete only if the territory is still at version N (as `territories list --json` shows it); refused otherwise',
      intOption('--if-version', 1),
    )
    .action(async (id: string, opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const read = (await listTerritories(ctx)).find((t) => t.id === id);
        await deleteTerritory(ctx, id, opts.ifVersion ?? read?.version ?? 1);
        process.stdout.write(
          `Deleted territory ${read?.name ?? id}; its accounts keep their owners (${count(read?.accountCount ?? 0, 'account')}).\n`,
        );
      });
    });

  territories
    .command('list')
    .description('List territories')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const all: TTerritory[] = await listTerritories(ctx);
        if (opts.json) {
          printJson(all);
          return;
        }
        if (all.length === 0) {
          info('No territories yet. Add one with `tierline territories add --name … --rep …`.');
          return;
        }
        printTable(
          ['id', 'name', 'rep', 'places', 'accounts'],
          all.map((t) => [
            t.id,
            t.name,
            t.repId ?? '',
            [...t.provinces, ...t.cities, ...t.districts].join(','),
            String(t.accountCount),
          ]),
        );
      });
    });
}

/** `tierline accounts assign`, added to the existing `accounts` command. */
export function registerAccountAssignCommand(program: Command): void {
  const accounts = program.commands.find((c) => c.name() === 'accounts') ?? program.command('accounts');
  accounts
    .command('assign [accountIds...]')
    .description(
      'Hand accounts to another person: the listed ones, or with --from all of a (leaving) user’s accounts and their planned touches',
    )
    .requiredOption('--to <userId>', 'who takes the accounts over')
    .option('--from <userId>', 'hand over every account this user owns')
    .option('--json', 'print { accounts, plannedTouches } as JSON')
    .action(async (accountIds: string[], opts, command: Command) => {
      const ids = accountIds.flatMap(list);
      if (ids.length > 0 === Boolean(opts.from)) {
        throw new InvalidArgumentError(
          'give either account ids or --from <userId>, not both and not neither.',
        );
      }
      await withBackend(command, async (backend) => {
        const result = await backend.assignAccounts({
          toUserId: opts.to,
          ...(opts.from ? { fromUserId: opts.from } : { accountIds: ids }),
        });
        if (opts.json) printJson(result);
        else
          process.stdout.write(
            `Handed ${count(result.accounts, 'account')} and ${count(result.plannedTouches, 'planned touch', 'planned touches')} to ${opts.to}.\n`,
          );
      });
    });
}
