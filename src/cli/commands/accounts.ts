import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ZodError } from 'zod';
import { parseEmployees, parseMoney } from '../../import/value-parsers.ts';
import type { TAccount, TAccountUpdate } from '../../schemas/account.ts';
import { ZAccountCreate, ZAccountUpdate } from '../../schemas/account.ts';
import { ZPipelineStage, ZTier } from '../../schemas/common.ts';
import { ZTierOverride } from '../../schemas/market-api.ts';
import { withBackend } from '../backend.ts';
import {
  alignColumns,
  flagOf,
  formatTable,
  grouped,
  info,
  intOption,
  plural,
  printJson,
  UsageError,
} from '../output.ts';
import { userIdOf } from '../user-option.ts';

/** The stable JSON shape of `accounts list --json` items. */
function listItem(a: TAccount) {
  return {
    id: a.id,
    name: a.name,
    uscc: a.uscc,
    province: a.province,
    city: a.city,
    district: a.district,
    industry: a.industry,
    annualSales: a.annualSales,
    employeesMin: a.employeesMin,
    employeesMax: a.employeesMax,
    netAssets: a.netAssets,
    phone: a.phone,
    email: a.email,
    website: a.website,
    tier: a.tier,
    inMarket: a.inMarket,
    stage: a.stage,
    ownerId: a.ownerId,
  };
}

/** Widest name, place and industry in the `accounts list` table, in terminal columns. */
const NAME_WIDTH = 28;
const PLACE_WIDTH = 24;
const INDUSTRY_WIDTH = 20;

/** An option's value that empties the field (commander keeps no null: it would store an empty string). */
const CLEARED = Symbol('cleared');

/**
 * An amount of money (3500万, 1.2亿, 50,000,000) in yuan. With `clearable` (accounts edit), an empty value is
 * CLEARED: the field is emptied.
 */
function moneyArg(name: string, clearable = false) {
  return (value: string): number | typeof CLEARED => {
    if (clearable && value.trim() === '') return CLEARED;
    const parsed = parseMoney(value);
    if (!parsed.ok || parsed.value == null) {
      throw new InvalidArgumentError(
        `${name}: ${parsed.ok ? `empty value; give an amount such as 3500万${clearable ? ', or "" to clear it' : ''}` : parsed.reason}`,
      );
    }
    return parsed.value;
  };
}

/** Yuan in 万 or 亿, short for a table (whole 万, 亿 to two places); a negative amount (net assets) with its sign. */
function formatYuan(value: number | null): string {
  if (value == null) return '';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 1e8) return `${sign}${(abs / 1e8).toFixed(2)}亿`;
  if (abs >= 1e4) return `${sign}${(abs / 1e4).toFixed(0)}万`;
  return `${sign}${abs}`;
}

/** One account's amount: short, with every yuan after it when the short form rounds (2.94亿 (¥294,123,456)). */
function formatYuanExact(value: number | null): string {
  const short = formatYuan(value);
  if (value == null || Math.abs(value) < 1e4) return short;
  const abs = Math.abs(value);
  const rounds = abs >= 1e8 ? abs % 1e6 !== 0 : abs % 1e4 !== 0;
  return rounds ? `${short} (¥${value.toLocaleString('en-US')})` : short;
}

function employeesText(a: TAccount): string {
  if (a.employeesMin == null && a.employeesMax == null) return '';
  if (a.employeesMin === a.employeesMax) return String(a.employeesMin);
  return `${a.employeesMin ?? ''}-${a.employeesMax ?? ''}`;
}

/** An account as `accounts show` prints it: a label and a value per line (custom fields last). */
function accountLines(account: TAccount): [string, string][] {
  const lines: [string, string][] = [
    ['id', account.id],
    ['name', account.name],
    ['uscc', account.uscc ?? ''],
    ['tier', account.tier ? `${account.tier}${account.tierOverride ? ' (override)' : ''}` : '-'],
    ['in market', account.inMarket ? 'yes' : 'no'],
    ['stage', account.stage],
    ['owner', account.ownerId ?? ''],
    ['place', [account.province, account.city, account.district].filter(Boolean).join(' ')],
    ['address', account.address ?? ''],
    ['industry', account.industry ?? ''],
    ['annual sales', formatYuanExact(account.annualSales)],
    ['employees', employeesText(account)],
    ['net assets', formatYuanExact(account.netAssets)],
    ['phone', account.phone ?? ''],
    ['email', account.email ?? ''],
    ['website', account.website ?? ''],
    ['version', String(account.version)],
  ];
  for (const [k, v] of Object.entries(account.customFields)) lines.push([k, v]);
  return lines;
}

export function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('List, show, add and edit accounts');

  accounts
    .command('list')
    .description('List accounts (all that match, unless --limit is given)')
    .option('--json', 'print a JSON array on stdout')
    .option('--tier <tiers>', 'A, B, C or none; comma-separated for several')
    .option('--province <names>', 'province(s), comma-separated')
    .option('--city <names>', 'city/cities, comma-separated')
    .option('--industry <names>', 'industry/industries, comma-separated')
    .option('--search <text>', 'fragment of the name, USCC, phone or website')
    .option('--in-market', 'only accounts inside the current target market')
    .option('--stage <stages>', `pipeline stage(s), comma-separated: ${ZPipelineStage.options.join(', ')}`)
    .option('--unassigned', 'only accounts nobody owns (e.g. imported without an owner)')
    .option('--limit <n>', 'print at most N accounts', intOption('--limit', 1))
    .addOption(
      new Option('--sort <field>', 'sort by')
        .choices(['name', 'annualSales', 'tier', 'province', 'city', 'updatedAt'])
        .default('name'),
    )
    .action(async (opts, command: Command) => {
      if (opts.tier) {
        for (const t of String(opts.tier).split(',')) {
          if (t.trim() !== 'none' && !ZTier.safeParse(t.trim()).success) {
            throw new InvalidArgumentError(`--tier must be A, B, C or none, got "${t}".`);
          }
        }
      }
      if (opts.stage) {
        for (const stage of String(opts.stage).split(',')) {
          if (!ZPipelineStage.safeParse(stage.trim()).success) {
            throw new InvalidArgumentError(
              `--stage must be one or more of ${ZPipelineStage.options.join(', ')}, got "${stage}".`,
            );
          }
        }
      }
      await withBackend(command, async (backend) => {
        const limit: number | undefined = opts.limit;
        const query = {
          tier: opts.tier,
          province: opts.province,
          city: opts.city,
          industry: opts.industry,
          search: opts.search,
          stage: opts.stage,
          inMarket: opts.inMarket ? true : undefined,
          unassigned: opts.unassigned ? true : undefined,
          sort: opts.sort,
        };
        const out: TAccount[] = [];
        for await (const batch of backend.accounts(query, limit !== undefined ? { limit } : {})) {
          for (const account of batch) {
            if (limit !== undefined && out.length >= limit) break;
            out.push(account);
          }
          if (limit !== undefined && out.length >= limit) break;
        }
        if (opts.json) {
          printJson(out.map(listItem));
          return;
        }
        if (out.length === 0) {
          info('No accounts match.');
          return;
        }
        // Columns lined up by terminal width (a Chinese character takes two columns), as every list does; a long
        // name or industry is cut with "…" so the columns after it stay in line.
        const rows = out.map((a) => [
          a.id,
          a.tier ?? '-',
          a.name,
          [a.province, a.city].filter(Boolean).join(' '),
          a.industry ?? '',
          formatYuan(a.annualSales),
          employeesText(a),
        ]);
        const header = ['id', 'tier', 'name', 'place', 'industry', 'sales', 'employees'];
        const widths = [undefined, undefined, NAME_WIDTH, PLACE_WIDTH, INDUSTRY_WIDTH];
        process.stdout.write(`${formatTable(header, rows, widths).join('\n')}\n`);
        // Cut short by --limit: say of how many, so a limited list does not pass for every match.
        const total =
          limit !== undefined && out.length >= limit ? await backend.countAccounts(query) : out.length;
        info(
          total > out.length
            ? `${grouped(out.length)} of ${grouped(total)} accounts.`
            : `${grouped(out.length)} ${plural(out.length, 'account')}.`,
        );
      });
    });

  accounts
    .command('show <id>')
    .description('Show one account')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const account = await backend.account(id);
        if (opts.json) {
          printJson(account);
          return;
        }
        // Lined up by terminal width: an imported column kept as a custom field may have a Chinese name.
        const lines = alignColumns(accountLines(account), Number.POSITIVE_INFINITY);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  const add = accounts.command('add').description('Add one account');
  addFieldOptions(add, 'add')
    .option(
      '--allow-similar-name',
      'add it even though an account with the same name exists in the same city (a different company); a matching credit code or website is always refused',
    )
    .option('--json', 'print the created account as JSON')
    .action(async (opts, command: Command) => {
      const fields = fieldValues(opts, 'add');
      const input = ZAccountCreate.safeParse({
        ...fields,
        ...(opts.allowSimilarName ? { allowSimilarName: true } : {}),
      });
      if (!input.success) throw refusedField(input.error);
      await withBackend(command, async (backend) => {
        const data = { ...input.data };
        if (data.ownerId) data.ownerId = await userIdOf(backend, '--owner', data.ownerId, { verify: false });
        const account = await backend.createAccount(data);
        if (opts.json) printJson(account);
        else process.stdout.write(`Created account ${account.id} (${account.name}).\n`);
      });
    });

  const edit = accounts
    .command('edit <id>')
    .description(
      'Change an account: only the fields given (an empty value, e.g. --city "", or --clear empties one). It reads the account and saves against the version it read, so a change someone made meanwhile is refused, not overwritten',
    );
  addFieldOptions(edit, 'edit')
    .addOption(
      new Option('--stage <stage>', 'pipeline stage').choices(ZPipelineStage.options as readonly string[]),
    )
    .option(
      '--clear <fields>',
      `empty these fields, comma-separated: ${CLEARABLE.map((c) => c.name).join(', ')}`,
    )
    .option(
      '--if-version <n>',
      'save only if the account is still at version N (the version `accounts show` printed); refused otherwise',
      intOption('--if-version', 1),
    )
    .option(
      '--allow-similar-name',
      'save a changed name or city even though another account has that name in that city (a different company); a credit code or website another account has is always refused',
    )
    .option('--json', 'print the saved account as JSON')
    .action(async (id: string, opts, command: Command) => {
      const fields = fieldValues(opts, 'edit');
      for (const name of clearList(opts.clear)) {
        const clearable = CLEARABLE.find((c) => c.name === name || c.alias === name);
        if (!clearable) {
          throw new InvalidArgumentError(
            `--clear: "${name}" is not a field that can be emptied; use ${CLEARABLE.map((c) => c.name).join(', ')}.`,
          );
        }
        for (const key of clearable.keys) {
          if (fields[key] !== undefined && fields[key] !== null) {
            throw new UsageError(`--clear ${name} and --${clearable.name} exclude each other.`);
          }
          (fields as Record<string, unknown>)[key] = null;
        }
      }
      if (opts.stage !== undefined) fields.stage = opts.stage;
      if (Object.keys(fields).length === 0) {
        throw new UsageError(
          'nothing to change: give the fields to set (e.g. --city 苏州市 --phone 0512-66881234) or --clear FIELDS.',
        );
      }
      // Checked before anything is read, with the version still unknown.
      const checked = ZAccountUpdate.safeParse({ version: 1, ...fields });
      if (!checked.success) throw refusedField(checked.error);
      const { version: _unknown, ...changes } = checked.data;
      await withBackend(command, async (backend) => {
        if (changes.ownerId)
          changes.ownerId = await userIdOf(backend, '--owner', changes.ownerId, { verify: false });
        const before = await backend.account(id);
        const after = await backend.updateAccount(id, {
          version: opts.ifVersion ?? before.version,
          ...changes,
          ...(opts.allowSimilarName ? { allowSimilarName: true } : {}),
        });
        if (opts.json) {
          printJson(after);
          return;
        }
        const was = new Map(accountLines(before));
        const changed = accountLines(after).filter(([k, v]) => k !== 'version' && was.get(k) !== v);
        process.stdout.write(
          `Saved account ${after.id} (${after.name}), version ${after.version}${changed.length ? ':' : '; no value changed.'}\n`,
        );
        if (changed.length) {
          const rows = changed.map(([k, v]) => [k, shown(was.get(k) ?? ''), '→', shown(v)]);
          for (const line of alignColumns(rows, 40)) process.stdout.write(`  ${line}\n`);
        }
      });
    });

  registerTierCommand(accounts);
}

/** `tierline accounts tier`: the manual tier override, on the account's version as read (as `accounts edit`). */
function registerTierCommand(accounts: Command): void {
  accounts
    .command('tier <id>')
    .description(
      "Override an account's tier by hand with the reason (--tier auto removes the override); kept across re-tiering, and a changed tier re-plans its open touches. It reads the account and saves against the version it read, so another manager's override made meanwhile is refused, not overwritten",
    )
    .addOption(
      new Option('--tier <tier>', 'the tier, or auto for the computed one').choices(['A', 'B', 'C', 'auto']),
    )
    .requiredOption('--reason <text>', 'why (kept with the override, and in the audit log)')
    .option(
      '--if-version <n>',
      'save only if the account is still at version N (the version `accounts show` printed); refused otherwise',
      intOption('--if-version', 1),
    )
    .option('--json', 'print the saved account as JSON')
    .action(async (id: string, opts, command: Command) => {
      if (opts.tier === undefined)
        throw new UsageError('--tier: give A, B, C, or auto to remove the override.');
      const tier = opts.tier === 'auto' ? null : ZTier.parse(opts.tier);
      // Checked before anything is read, with the version still unknown.
      const checked = ZTierOverride.safeParse({ tier, reason: String(opts.reason), version: 1 });
      if (!checked.success) throw refusedField(checked.error);
      await withBackend(command, async (backend) => {
        const before = await backend.account(id);
        const after = await backend.overrideTier(id, {
          ...checked.data,
          version: opts.ifVersion ?? before.version,
        });
        if (opts.json) printJson(after);
        else
          process.stdout.write(
            `Saved account ${after.id} (${after.name}), version ${after.version}: tier ${before.tier ?? '-'} → ${after.tier ?? '-'}${after.tierOverride ? ' (override)' : ' (computed)'}.\n`,
          );
      });
    });
}

/** A value in the list of changes: an empty one as "(empty)". */
const shown = (value: string) => (value === '' ? '(empty)' : value);

/**
 * The fields `accounts add` and `accounts edit` share, with the same names and value forms. `edit` takes an
 * empty value to mean "clear it" (except for the name).
 */
function addFieldOptions(command: Command, mode: 'add' | 'edit'): Command {
  const clear = mode === 'edit' ? '; "" clears it' : '';
  if (mode === 'add') command.requiredOption('--name <name>', 'company name');
  else command.option('--name <name>', 'company name');
  return command
    .option('--uscc <code>', `unified social credit code (checked)${clear}`)
    .option('--credit-code <code>', 'the same as --uscc')
    .option('--website <url>', `website; stored as its domain${clear}`)
    .option('--province <name>', `province, e.g. 江苏省${clear}`)
    .option('--city <name>', `city, e.g. 苏州市${clear}`)
    .option('--district <name>', `district or county, e.g. 吴中区${clear}`)
    .option('--address <text>', `street address${clear}`)
    .option('--industry <name>', `industry, e.g. 通用设备制造业${clear}`)
    .option(
      '--annual-sales <amount>',
      `e.g. 3500万, 1.2亿, 50000000${clear}`,
      moneyArg('--annual-sales', mode === 'edit'),
    )
    .option('--net-assets <amount>', `e.g. 800万${clear}`, moneyArg('--net-assets', mode === 'edit'))
    .option('--employees <range>', `e.g. 120, 100-499, 少于50人${clear}`)
    .option('--phone <phone>', `phone number${clear}`)
    .option('--email <email>', `email address${clear}`)
    .option('--owner <user>', `owning rep: user id or email${clear}`);
}

type FieldValues = Partial<Omit<TAccountUpdate, 'version' | 'allowSimilarName'>>;

/**
 * What `--clear` takes: each field by its option's name (`credit-code` for `uscc` too), and the request keys
 * it empties.
 */
const CLEARABLE: readonly { name: string; alias?: string; keys: readonly (keyof FieldValues)[] }[] = [
  { name: 'uscc', alias: 'credit-code', keys: ['uscc'] },
  { name: 'website', keys: ['website'] },
  { name: 'province', keys: ['province'] },
  { name: 'city', keys: ['city'] },
  { name: 'district', keys: ['district'] },
  { name: 'address', keys: ['address'] },
  { name: 'industry', keys: ['industry'] },
  { name: 'annual-sales', keys: ['annualSales'] },
  { name: 'net-assets', keys: ['netAssets'] },
  { name: 'employees', keys: ['employeesMin', 'employeesMax'] },
  { name: 'phone', keys: ['phone'] },
  { name: 'email', keys: ['email'] },
  { name: 'owner', keys: ['ownerId'] },
];

function clearList(value: unknown): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(/[,，]/)
    .map((s) => s.trim().replace(/^--/, ''))
    .filter(Boolean);
}

/**
 * The field options given, as request fields (only those given). For `edit` an empty value is null (cleared);
 * the name cannot be emptied.
 */
function fieldValues(opts: Record<string, unknown>, mode: 'add' | 'edit'): FieldValues {
  const fields: FieldValues = {};
  const text = (value: unknown): string | null | undefined => {
    if (value === undefined) return undefined;
    const s = String(value);
    return mode === 'edit' && s.trim() === '' ? null : s;
  };
  if (opts.uscc !== undefined && opts.creditCode !== undefined && opts.uscc !== opts.creditCode) {
    throw new UsageError('--uscc and --credit-code name the same field: give one of them.');
  }
  if (opts.name !== undefined) {
    if (mode === 'edit' && String(opts.name).trim() === '')
      throw new InvalidArgumentError('--name cannot be emptied: an account always has a name.');
    fields.name = String(opts.name);
  }
  const plain = {
    uscc: opts.uscc ?? opts.creditCode,
    website: opts.website,
    province: opts.province,
    city: opts.city,
    district: opts.district,
    address: opts.address,
    industry: opts.industry,
    phone: opts.phone,
    email: opts.email,
    ownerId: opts.owner,
  } as const;
  for (const [key, value] of Object.entries(plain) as [keyof typeof plain, unknown][]) {
    const v = text(value);
    if (v !== undefined) fields[key] = v;
  }
  const money = (value: unknown) => (value === CLEARED ? null : (value as number));
  if (opts.annualSales !== undefined) fields.annualSales = money(opts.annualSales);
  if (opts.netAssets !== undefined) fields.netAssets = money(opts.netAssets);
  if (opts.employees !== undefined) {
    const raw = String(opts.employees);
    if (mode === 'edit' && raw.trim() === '') {
      fields.employeesMin = null;
      fields.employeesMax = null;
    } else {
      const parsed = parseEmployees(raw);
      if (!parsed.ok) throw new InvalidArgumentError(`--employees: ${parsed.reason}`);
      if (mode === 'edit') {
        fields.employeesMin = parsed.value?.min ?? null;
        fields.employeesMax = parsed.value?.max ?? null;
      } else {
        if (parsed.value?.min != null) fields.employeesMin = parsed.value.min;
        if (parsed.value?.max != null) fields.employeesMax = parsed.value.max;
      }
    }
  }
  return fields;
}

/** A field the account schema refused, as a usage error naming its option (`employeesMax` → `--employees`). */
function refusedField(error: ZodError): InvalidArgumentError {
  const issue = error.issues[0];
  return new InvalidArgumentError(
    issue ? `${flagOf(issue.path)}: ${issue.message}` : 'the account was refused (invalid input).',
  );
}
