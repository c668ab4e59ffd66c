import { type Command, InvalidArgumentError, Option } from 'commander';
import { isAppError } from '../../domain/errors.ts';
import { parseEmployees, parseMoney } from '../../import/value-parsers.ts';
import type { TAccount } from '../../schemas/account.ts';
import { ZAccountCreate } from '../../schemas/account.ts';
import { ZTier } from '../../schemas/common.ts';
import { withBackend } from '../backend.ts';
import { isRemoteApiError } from '../http-client.ts';
import { count, formatTable, info, parseIntOption, printJson } from '../output.ts';

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

function moneyArg(name: string) {
  return (value: string): number => {
    const parsed = parseMoney(value);
    if (!parsed.ok || parsed.value == null) {
      throw new InvalidArgumentError(`${name}: ${parsed.ok ? 'empty value' : parsed.reason}`);
    }
    return parsed.value;
  };
}

function formatYuan(value: number | null): string {
  if (value == null) return '';
  if (value >= 1e8) return `${(value / 1e8).toFixed(2)}亿`;
  if (value >= 1e4) return `${(value / 1e4).toFixed(0)}万`;
  return String(value);
}

function employeesText(a: TAccount): string {
  if (a.employeesMin == null && a.employeesMax == null) return '';
  if (a.employeesMin === a.employeesMax) return String(a.employeesMin);
  return `${a.employeesMin ?? ''}-${a.employeesMax ?? ''}`;
}

export function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('List, show and add accounts');

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
    .option('--limit <n>', 'print at most N accounts', parseIntOption('--limit'))
    .addOption(
      new Option('--sort <field>', 'sort by')
        .choices(['name', 'annualSales', 'tier', 'province', 'city', 'updatedAt'])
        .default('name'),
    )
    .action(async (opts, command: Command) => {
      if (opts.tier) {
        for (const t of String(opts.tier).split(',')) {
          if (t !== 'none' && !ZTier.safeParse(t.trim()).success) {
            throw new InvalidArgumentError(`--tier must be A, B, C or none, got "${t}".`);
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
          inMarket: opts.inMarket ? true : undefined,
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
        info(`${count(out.length, 'account')}.`);
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
        const lines: [string, string][] = [
          ['id', account.id],
          ['name', account.name],
          ['uscc', account.uscc ?? ''],
          ['tier', account.tier ? `${account.tier}${account.tierOverride ? ' (override)' : ''}` : '-'],
          ['in market', account.inMarket ? 'yes' : 'no'],
          ['stage', account.stage],
          ['place', [account.province, account.city, account.district].filter(Boolean).join(' ')],
          ['address', account.address ?? ''],
          ['industry', account.industry ?? ''],
          ['annual sales', formatYuan(account.annualSales)],
          ['employees', employeesText(account)],
          ['net assets', formatYuan(account.netAssets)],
          ['phone', account.phone ?? ''],
          ['email', account.email ?? ''],
          ['website', account.website ?? ''],
          ['version', String(account.version)],
        ];
        for (const [k, v] of Object.entries(account.customFields)) lines.push([k, v]);
        const width = Math.max(...lines.map(([k]) => k.length));
        process.stdout.write(`${lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
      });
    });

  accounts
    .command('add')
    .description('Add one account')
    .requiredOption('--name <name>', 'company name')
    .option('--uscc <code>', 'unified social credit code (checked)')
    .option('--website <url>', 'website; stored as its domain')
    .option('--province <name>')
    .option('--city <name>')
    .option('--district <name>')
    .option('--address <text>')
    .option('--industry <name>')
    .option('--annual-sales <amount>', 'e.g. 3500万, 1.2亿, 50000000', moneyArg('--annual-sales'))
    .option('--net-assets <amount>', 'e.g. 800万', moneyArg('--net-assets'))
    .option('--employees <range>', 'e.g. 120, 100-499, 少于50人')
    .option('--phone <phone>')
    .option('--email <email>')
    .option('--owner <userId>', 'owning rep')
    .option(
      '--allow-similar-name',
      'add it even though an account with the same name exists in the same city (a different company); a matching credit code or website is always refused',
    )
    .option('--json', 'print the created account as JSON')
    .action(async (opts, command: Command) => {
      let employeesMin: number | undefined;
      let employeesMax: number | undefined;
      if (opts.employees !== undefined) {
        const parsed = parseEmployees(opts.employees);
        if (!parsed.ok) throw new InvalidArgumentError(`--employees: ${parsed.reason}`);
        employeesMin = parsed.value?.min ?? undefined;
        employeesMax = parsed.value?.max ?? undefined;
      }
      const input = ZAccountCreate.safeParse({
        name: opts.name,
        uscc: opts.uscc,
        website: opts.website,
        province: opts.province,
        city: opts.city,
        district: opts.district,
        address: opts.address,
        industry: opts.industry,
        annualSales: opts.annualSales,
        netAssets: opts.netAssets,
        employeesMin,
        employeesMax,
        phone: opts.phone,
        email: opts.email,
        ownerId: opts.owner,
        ...(opts.allowSimilarName ? { allowSimilarName: true } : {}),
      });
      if (!input.success) {
        const issue = input.error.issues[0];
        throw new InvalidArgumentError(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
      }
      await withBackend(command, async (backend) => {
        let account: TAccount;
        try {
          account = await backend.createAccount(input.data);
        } catch (error) {
          if (!reportDuplicate(error)) throw error;
          return;
        }
        if (opts.json) printJson(account);
        else process.stdout.write(`Created account ${account.id} (${account.name}).\n`);
      });
    });
}

/**
 * A refused duplicate (409 duplicate_account, from the services or the API): the message, then the existing
 * account's id to open when the caller may see it; exit 1. False for any other error.
 */
function reportDuplicate(error: unknown): boolean {
  const refusal = isAppError(error) || isRemoteApiError(error) ? error : null;
  if (refusal?.code !== 'duplicate_account') return false;
  const details = (refusal.details ?? {}) as { existing?: { id?: unknown; name?: unknown } | null };
  const lines = [`tierline: ${refusal.message}`];
  const existing = details.existing;
  if (existing && typeof existing.id === 'string') {
    lines.push(
      `Existing account: ${existing.id} (${String(existing.name)}); see it with: tierline accounts show ${existing.id}`,
    );
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exitCode = 1;
  return true;
}
