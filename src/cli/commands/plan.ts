import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import stringWidth from 'string-width';
import { todayIn } from '../../domain/calendar/time-zone.ts';
import { isAppError } from '../../domain/errors.ts';
import { parseMoney } from '../../import/value-parsers.ts';
import { ZOutcome } from '../../schemas/common.ts';
import type { TMarketCriteria } from '../../schemas/market.ts';
import { HOLIDAY_COUNTRIES, type THolidayCountry, ZHolidayCountry } from '../../schemas/plan.ts';
import type { TAgenda, TPlanHealth, TPlanResult, TTeamPlanHealth } from '../../schemas/plan-api.ts';
import {
  getCurrentMarket,
  getMarketState,
  previewMarket,
  retier,
  saveMarket,
} from '../../services/market.ts';
import { readWorkspaceSettings } from '../../services/workspace-settings.ts';
import { placeFile, tempPathBeside } from '../../storage/sqlite-backup.ts';
import { type CliBackend, type DaysOff, withBackend } from '../backend.ts';
import { withDb } from '../db.ts';
import { isRemoteApiError } from '../http-client.ts';
import {
  AppError,
  alignColumns,
  count,
  dateOption,
  intOption,
  localDateTime,
  namesFields,
  oneLine,
  plural,
  printJson,
  truncateToWidth,
  UsageError,
} from '../output.ts';
import { userIdOf } from '../user-option.ts';

const list = (value: string) =>
  value
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

function money(name: string) {
  return (value: string): number => {
    const parsed = parseMoney(value);
    if (!parsed.ok || parsed.value == null)
      throw new InvalidArgumentError(`${name}: ${parsed.ok ? 'empty' : parsed.reason}`);
    return parsed.value;
  };
}

/** A day that exists, as YYYY-MM-DD (not 2026-02-30): the message names the option (output.ts, dateOption). */
const isoDate = dateOption;

const out = (text: string) => process.stdout.write(`${text}\n`);

/** `--out FILE` names a new file: an existing one is replaced only with `--force` (as `backup` and `tokens`). */
function checkOutFile(file: string, force: boolean): void {
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory())
    throw new AppError('bad_request', `${file} is a directory: give the export a file name.`);
  if (existsSync(target) && !force)
    throw new AppError('conflict', `${file} already exists: pass --force to replace it.`);
}

/** Writes `body` beside `file` and moves it into place, never over a file that appeared meanwhile (unless `force`). */
function writeOutFile(file: string, body: string, force: boolean): void {
  checkOutFile(file, force);
  const target = resolve(file);
  const temp = tempPathBeside(target);
  try {
    writeFileSync(temp, body, { flag: 'wx' });
    if (!placeFile(temp, target, force))
      throw new AppError('conflict', `${file} appeared meanwhile: pass --force to replace it.`);
  } finally {
    rmSync(temp, { force: true });
  }
}

function describePlan(result: TPlanResult): string {
  const lines = [
    `Plan ${result.from} to ${result.to} (${count(result.workingDays, 'working day')}, ${count(result.accounts, 'account')}): ${count(result.touches, 'touch', 'touches')}${result.unplaced ? `, ${result.unplaced} could not be placed` : ''}.`,
  ];
  // Kept by a commit, not counted in the need below (each series goes on about one interval after the first day).
  const overdue = result.overdue.call + result.overdue.visit;
  if (overdue > 0) {
    lines.push(
      `  plus ${count(overdue, 'overdue touch', 'overdue touches')} already due (${count(result.overdue.call, 'call')}, ${count(result.overdue.visit, 'visit')}), on Today.`,
    );
  }
  for (const channel of ['call', 'visit'] as const) {
    const r = result.required[channel];
    const c = result.capacity[channel];
    if (!r || !c) continue;
    const byTier = (['A', 'B', 'C'] as const)
      .map((t) => `${t} ${(r.byTier[t]?.perWorkingDay ?? 0).toFixed(1)}`)
      .join(', ');
    lines.push(
      `  ${channel === 'call' ? 'calls ' : 'visits'}: need ${r.perWorkingDay.toFixed(1)}/day (${byTier}), ${r.perWeek.toFixed(1)}/week; capacity ${c.perDay}/day`,
    );
  }
  if (result.unpublishedYears.length) {
    lines.push(
      `  Note: the official holiday schedule for ${result.unpublishedYears.join(', ')} is not published yet; those days are planned on weekends only.`,
    );
  }
  lines.push(result.fits ? 'It fits.' : 'It does NOT fit. Options:');
  result.options.forEach((o, i) => {
    const text =
      o.kind === 'raise-capacity'
        ? `raise ${o.channel}s per day to ${o.perDay}`
        : o.kind === 'stretch-interval'
          ? `contact ${o.tier} accounts by ${o.channel} every ${count(o.intervalMonths, 'month')} instead of ${o.fromMonths}`
          : `move the ${o.count} lowest-potential ${o.kind === 'demote-a-to-b' ? 'A' : 'B'} ${plural(o.count, 'account')} to ${o.kind === 'demote-a-to-b' ? 'B' : 'C'}`;
    const outcome = o.result.fits
      ? 'fits'
      : o.result.unplaced
        ? `still over: ${count(o.result.unplaced, 'touch', 'touches')} find no day`
        : 'still over';
    lines.push(`  [${i}] ${text} → ${outcome}`);
  });
  if (result.committed) lines.push(`Committed as plan ${result.planId}.`);
  else if (!result.fits) lines.push('Commit with --commit --option N, or --commit --accept-overload.');
  return lines.join('\n');
}

const HEALTH_REASON_TEXT: Record<TPlanHealth['accounts'][number]['reason'], string> = {
  unplanned: 'no planned touch',
  behind: 'planned further apart than the cadence',
  ahead: 'planned closer together than the cadence',
  outOfMarket: 'outside the market with open touches',
};

/** `plan status`: a line per finding (accounts per channel and tier), then the first affected accounts. */
function describeHealth(health: TPlanHealth): string {
  if (!health.plan)
    return 'No plan committed yet: nothing to check. Commit one with: tierline plan --rep ID --commit';
  const head = `Plan ${health.plan.from} to ${health.plan.to}, committed ${health.plan.committedAt}.`;
  if (health.inStep) return `${head}\nIn step: every account in the market is planned at its cadence.`;
  const lines = [head];
  if (health.expired)
    lines.push(
      `Expired: the plan ended on ${health.plan.to} and plans nothing from today (${health.today}); commit a new one.`,
    );
  const rows: string[][] = [];
  for (const reason of ['unplanned', 'behind', 'ahead'] as const) {
    for (const channel of ['call', 'visit'] as const) {
      const byTier = health.counts[reason][channel];
      const total = byTier.A + byTier.B + byTier.C;
      if (total === 0) continue;
      rows.push([
        `${channel}s`,
        HEALTH_REASON_TEXT[reason],
        count(total, 'account'),
        `A ${byTier.A}, B ${byTier.B}, C ${byTier.C}`,
      ]);
    }
  }
  for (const channel of ['call', 'visit'] as const) {
    const n = health.counts.outOfMarket[channel];
    if (n > 0) rows.push([`${channel}s`, HEALTH_REASON_TEXT.outOfMarket, count(n, 'account'), '']);
  }
  lines.push(...alignColumns(rows, AGENDA_ACCOUNT_WIDTH));
  if (health.affected > 0)
    lines.push(`${count(health.affected, 'account')} out of step; the first ${health.accounts.length}:`);
  lines.push(
    ...alignColumns(
      health.accounts.map((a) => [
        a.tier ?? '-',
        a.channel,
        withEnd(a.name, a.city ? ` (${a.city})` : '', AGENDA_ACCOUNT_WIDTH),
        a.id,
        a.reason,
        `due ${a.nextDue}`,
      ]),
      AGENDA_ACCOUNT_WIDTH,
    ),
  );
  lines.push(
    `Re-plan to cover them: tierline plan${health.repId ? ` --rep ${health.repId}` : ''} --from ${health.today} --commit (the capacity check runs first).`,
  );
  return lines.join('\n');
}

/** `plan status --team`: one row per rep, in step or the accounts out of step per finding, and the plan in force. */
function describeTeamHealth(team: TTeamPlanHealth): string {
  if (team.reps.length === 0) return 'No active reps to check.';
  const rows = team.reps.map((r) => {
    const findings = (
      [
        ['unplanned', r.accounts.unplanned],
        ['behind', r.accounts.behind],
        ['ahead', r.accounts.ahead],
        ['outside the market', r.accounts.outOfMarket],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ');
    return [
      r.name,
      r.repId,
      !r.plan
        ? 'no plan committed'
        : r.inStep
          ? 'in step'
          : `${r.expired ? `plan ended ${r.plan.to}, ` : ''}${count(r.affected, 'account')} out of step`,
      findings,
      r.plan
        ? `plan ${r.plan.from} to ${r.plan.to}${r.plan.scope === 'workspace' ? ' (every account)' : ''}`
        : '',
    ];
  });
  const lines = alignColumns(rows, AGENDA_ACCOUNT_WIDTH);
  const behind = team.reps.filter((r) => !r.inStep).length;
  lines.push(
    behind === 0
      ? `Every rep's plan is in step (${team.today}).`
      : `${count(behind, 'rep')} out of step: see tierline plan status --rep ID, then re-plan with tierline plan --rep ID --commit.`,
  );
  return lines.join('\n');
}

/** `market set`'s flag for each criterion, in the order they are listed. */
const CRITERIA_FLAGS: Record<keyof TMarketCriteria, string> = {
  provinces: '--provinces',
  cities: '--cities',
  districts: '--districts',
  industries: '--industries',
  sourceIds: '--sources',
  territoryId: '--territory',
  minEmployees: '--min-employees',
  maxEmployees: '--max-employees',
  minAnnualSales: '--min-annual-sales',
  maxAnnualSales: '--max-annual-sales',
  minNetAssets: '--min-net-assets',
  maxNetAssets: '--max-net-assets',
};

/** A market's criteria as the `tierline market set` flags that define it again (money in yuan). */
export function criteriaFlags(criteria: TMarketCriteria): string {
  const quote = (text: string) =>
    /^[\p{L}\p{N}_.,+-]+$/u.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
  const flags: string[] = [];
  for (const [key, flag] of Object.entries(CRITERIA_FLAGS) as [keyof TMarketCriteria, string][]) {
    const value = criteria[key];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    flags.push(`${flag} ${quote(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  return flags.join(' ');
}

/** Why an agenda's day is not a working day, in words: a weekend, a public holiday (named), the rep's own day off. */
function dayOffReason(day: TAgenda['day']): string {
  if (day.kind === 'holiday') return day.name ? `public holiday (${day.name})` : 'public holiday';
  if (day.kind === 'custom-day-off') return "the rep's own day off";
  return 'weekend';
}

/** The widest account (name and city) in the agenda and rep name in `team day`, in terminal columns. */
const AGENDA_ACCOUNT_WIDTH = 60;
const TEAM_DAY_NAME_WIDTH = 28;

/** `text` cut with "…" so that it and `end` (kept whole) fit in `maxWidth` terminal columns. */
function withEnd(text: string, end: string, maxWidth: number): string {
  return `${truncateToWidth(oneLine(text), Math.max(8, maxWidth - stringWidth(end)))}${end}`;
}

/** `--rep` as the rep's id: an id or an email, checked to name a user (else every rep's agenda would be empty). */
async function repOf(backend: CliBackend, rep: string | undefined): Promise<string | undefined> {
  return rep === undefined ? undefined : userIdOf(backend, '--rep', rep, { verify: true });
}

export function registerPlanCommands(program: Command): void {
  const market = program.command('market').description('Define the target market (method §1)');
  const marketSet = market.command('set');
  // Refusals of the criteria name these flags (a minimum above its maximum names both).
  namesFields(marketSet, CRITERIA_FLAGS)
    .description('Save a new market version from criteria and re-tier; prints { version, matching }')
    .option('--provinces <names>', 'provinces, comma-separated', list)
    .option('--cities <names>', 'cities, comma-separated', list)
    .option('--districts <names>', 'districts, comma-separated', list)
    .option('--industries <names>', 'industries, comma-separated', list)
    .option('--sources <ids>', 'import source ids, comma-separated', list)
    .option('--territory <id>', 'only accounts in this territory')
    .option(
      '--min-employees <n>',
      'at least N employees (lower bound of the range)',
      intOption('--min-employees', 0),
    )
    .option(
      '--max-employees <n>',
      'at most N employees (lower bound of the range)',
      intOption('--max-employees', 0),
    )
    .option('--min-annual-sales <amount>', 'e.g. 5000万, 1亿', money('--min-annual-sales'))
    .option('--max-annual-sales <amount>', 'e.g. 10亿', money('--max-annual-sales'))
    .option('--min-net-assets <amount>', 'e.g. 1000万', money('--min-net-assets'))
    .option('--max-net-assets <amount>', 'e.g. 5亿', money('--max-net-assets'))
    .option('--note <text>', 'why this version')
    .option('--widen', 'confirm that this widens the current market (method §1)')
    .option('--dry-run', 'only preview: how many match, how many already have a relationship')
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      const criteria: TMarketCriteria = {
        ...(opts.provinces ? { provinces: opts.provinces } : {}),
        ...(opts.cities ? { cities: opts.cities } : {}),
        ...(opts.districts ? { districts: opts.districts } : {}),
        ...(opts.industries ? { industries: opts.industries } : {}),
        ...(opts.sources ? { sourceIds: opts.sources } : {}),
        ...(opts.territory ? { territoryId: opts.territory } : {}),
        ...(opts.minEmployees !== undefined ? { minEmployees: opts.minEmployees } : {}),
        ...(opts.maxEmployees !== undefined ? { maxEmployees: opts.maxEmployees } : {}),
        ...(opts.minAnnualSales !== undefined ? { minAnnualSales: opts.minAnnualSales } : {}),
        ...(opts.maxAnnualSales !== undefined ? { maxAnnualSales: opts.maxAnnualSales } : {}),
        ...(opts.minNetAssets !== undefined ? { minNetAssets: opts.minNetAssets } : {}),
        ...(opts.maxNetAssets !== undefined ? { maxNetAssets: opts.maxNetAssets } : {}),
      };
      await withDb(command, async (ctx) => {
        if (opts.dryRun) {
          const preview = await previewMarket(ctx, criteria);
          if (opts.json) printJson(preview);
          else {
            out(
              `${preview.matching} of ${count(preview.total, 'account')} ${plural(preview.matching, 'matches', 'match')}; ${preview.withRelationship} already ${plural(preview.withRelationship, 'has', 'have')} a logged touch.`,
            );
            for (const p of preview.byProvince.slice(0, 10))
              out(`  ${p.province ?? '(no province)'}: ${p.count}`);
            // A place or industry no account has matches nothing on its own: a typo, or another spelling.
            for (const { field, value } of preview.unknownValues)
              out(
                `No account has ${CRITERIA_FLAGS[field]} ${JSON.stringify(value)}: it matches nothing (a typo, or written otherwise than in the accounts?).`,
              );
            if (preview.isWidening)
              out(
                `Saving would WIDEN the market (relaxed: ${preview.widened.map((k) => CRITERIA_FLAGS[k as keyof TMarketCriteria] ?? k).join(', ')}).`,
              );
            const { leaving, openTouches, entering } = preview.plan;
            if (leaving > 0)
              out(
                `Saving takes ${count(leaving, 'account')} out of the market and cancels ${plural(leaving, 'its', 'their')} ${count(openTouches, 'open planned touch', 'open planned touches')}.`,
              );
            if (entering > 0)
              out(`${count(entering, 'account')} ${plural(entering, 'comes', 'come')} in without a plan.`);
          }
          return;
        }
        // Saved on the version just read: another save in between (the web app, another terminal) is refused.
        const version = (await getCurrentMarket(ctx))?.version ?? null;
        const result = await saveMarket(ctx, {
          version,
          criteria,
          note: opts.note,
          widen: Boolean(opts.widen),
        });
        if (opts.json)
          printJson({
            version: result.version,
            matching: result.matching,
            isWidening: result.isWidening,
            tiers: result.tiers,
            plan: result.plan,
          });
        else {
          out(
            `Market version ${result.version}${result.isWidening ? ' (widened)' : ''}: ${count(result.matching, 'account')} in market — A ${result.tiers.A}, B ${result.tiers.B}, C ${result.tiers.C}.`,
          );
          const { leftMarket, cancelledTouches, entered } = result.plan;
          if (leftMarket > 0)
            out(
              `${count(leftMarket, 'account')} left the market: ${count(cancelledTouches, 'open planned touch', 'open planned touches')} cancelled.`,
            );
          if (entered > 0)
            out(
              `${count(entered, 'account')} came into the market without a plan: see tierline plan status --rep ID, and re-plan to cover them (tierline plan --rep ID --commit).`,
            );
        }
      });
    });

  market
    .command('show')
    .description('Show the current market definition')
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const { current, inMarket } = await getMarketState(ctx);
        if (opts.json) {
          // The definition (`matching`: when it was saved) and how many accounts are in the market now.
          printJson(current ? { ...current, inMarket } : null);
          return;
        }
        if (!current) {
          out('No target market is defined yet. Define one with: tierline market set --min-employees 100 …');
          return;
        }
        const { timeZone } = await readWorkspaceSettings(ctx.db.kysely);
        const then = current.matching === inMarket ? '' : ` (${current.matching} when saved)`;
        out(
          `Market version ${current.version} (saved ${localDateTime(current.createdAt, timeZone)}): ${count(inMarket, 'account')} in market now${then}.`,
        );
        out(`  criteria: ${criteriaFlags(current.criteria) || '(none: every account)'}`);
        if (current.note) out(`  note: ${current.note}`);
      });
    });

  program
    .command('tier')
    .description('Re-score and re-tier every account; prints { A, B, C, outOfMarket }')
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withDb(command, async (ctx) => {
        const counts = await retier(ctx);
        if (opts.json) printJson({ A: counts.A, B: counts.B, C: counts.C, outOfMarket: counts.outOfMarket });
        else
          out(
            `A ${counts.A}, B ${counts.B}, C ${counts.C}; out of market ${counts.outOfMarket}; manual overrides ${counts.overridden}.`,
          );
      });
    });

  const plan = program
    .command('plan')
    .description(
      'Check capacity and build the contact plan; --commit saves it; `plan status`: is it in step?',
    )
    .option('--rep <id|email>', "plan this rep's accounts (default: all in-market accounts as one workload)")
    .option('--from <date>', 'first day, YYYY-MM-DD (default today)', isoDate('--from'))
    .option(
      '--months <n>',
      "horizon in months, 1 to 24 (default: the workspace's plan horizon, set in the web app's settings)",
      intOption('--months', 1, 24),
    )
    .option(
      '--calls-per-day <n>',
      'call capacity per working day, 0 to 1000',
      intOption('--calls-per-day', 0, 1000),
    )
    .option(
      '--visits-per-day <n>',
      'visit capacity per working day, 0 to 100',
      intOption('--visits-per-day', 0, 100),
    )
    .option(
      '--commit',
      'save the plan (replaces open planned touches from --from on; --from is today or later)',
    )
    .option(
      '--option <n>',
      'with --commit: apply capacity option N (as the preview numbers them) before committing',
      intOption('--option', 0),
    )
    .option('--accept-overload', 'with --commit: commit although it does not fit')
    .option('--json', 'print { fits, required, capacity, options, touches } on stdout')
    .action(async (opts, command: Command) => {
      // A preview applies no option and accepts nothing: refused rather than ignored (as plan-all's).
      if (!opts.commit && opts.option !== undefined)
        throw new UsageError('--option goes with --commit (a preview lists the options; commit with one).');
      if (!opts.commit && opts.acceptOverload) throw new UsageError('--accept-overload goes with --commit.');
      await withBackend(command, async (backend) => {
        const request = {
          repId: await repOf(backend, opts.rep),
          from: opts.from,
          months: opts.months,
          callsPerDay: opts.callsPerDay,
          visitsPerDay: opts.visitsPerDay,
        };
        const result = opts.commit
          ? await backend.commitPlan({
              ...request,
              option: opts.option,
              acceptOverload: Boolean(opts.acceptOverload),
            })
          : await backend.previewPlan(request);
        if (opts.json) {
          const { days: _days, ...rest } = result;
          printJson(rest);
        } else out(describePlan(result));
      });
    });

  plan
    .command('status')
    .description(
      'Whether the committed plan still covers the market: accounts with no planned touch, touches planned further apart or closer together than the cadence, accounts outside the market with open touches',
    )
    .option(
      '--rep <id|email>',
      'whose plan (default: every account; with --server, yourself unless you are an admin)',
    )
    .option(
      '--team',
      "one row per rep you may see (a manager's team, every rep for an admin or locally): in step, or the accounts out of step",
    )
    .option('--json', 'print the health as JSON on stdout')
    .action(async (_opts, command: Command) => {
      // `plan` has --rep and --json too, and commander gives them to it wherever they stand: read both.
      const opts = command.optsWithGlobals<{ rep?: string; json?: boolean; team?: boolean }>();
      if (opts.team && opts.rep) throw new UsageError('plan status: --team and --rep exclude each other');
      await withBackend(command, async (backend) => {
        if (opts.team) {
          const team = await backend.teamPlanHealth();
          if (opts.json) printJson(team);
          else out(describeTeamHealth(team));
          return;
        }
        const health = await backend.planHealth({ repId: await repOf(backend, opts.rep) });
        if (opts.json) printJson(health);
        else out(describeHealth(health));
      });
    });

  program
    .command('plan-all')
    .description(
      "Plan several reps' accounts at once (after an import or a new market): every active rep you may plan (an admin or locally: every one; a manager with --server: the team), or those of --reps; --commit saves them in one step",
    )
    .option('--reps <ids|emails>', 'only these reps: ids or emails, comma-separated', list)
    .option('--from <date>', 'first day, YYYY-MM-DD (default today)', isoDate('--from'))
    .option(
      '--months <n>',
      "horizon in months, 1 to 24 (default: the workspace's plan horizon, set in the web app's settings)",
      intOption('--months', 1, 24),
    )
    .option(
      '--commit',
      "save every rep's plan (each replaces that rep's open planned touches from --from on); nothing is saved while a rep's plan does not fit and its overload is not accepted",
    )
    .option(
      '--accept-overload [ids|emails]',
      "commit although these reps' plans do not fit their capacity (comma-separated; without a list: every rep's)",
    )
    .option(
      '--json',
      'print one { repId, name, fits, accounts, touches, unplaced, overbooked, overdue, required, capacity, acceptedOverload, planId } per rep',
    )
    .action(async (opts, command: Command) => {
      if (opts.acceptOverload !== undefined && !opts.commit)
        throw new UsageError('--accept-overload goes with --commit.');
      await withBackend(command, async (backend) => {
        const ids = async (flag: string, values: string[]) => {
          const out: string[] = [];
          for (const value of values) out.push(await userIdOf(backend, flag, value, { verify: true }));
          return out;
        };
        const request = {
          ...(opts.reps ? { repIds: await ids('--reps', opts.reps) } : {}),
          from: opts.from,
          months: opts.months,
        };
        const accept = opts.acceptOverload;
        const result = opts.commit
          ? await backend.commitTeamPlans({
              ...request,
              ...(accept === true
                ? { acceptOverload: true }
                : typeof accept === 'string'
                  ? { acceptOverloadFor: await ids('--accept-overload', list(accept)) }
                  : {}),
            })
          : await backend.previewTeamPlans(request);
        if (opts.json) {
          printJson(result.reps);
          return;
        }
        const rows = result.reps.map((s) => [
          truncateToWidth(oneLine(s.name), TEAM_DAY_NAME_WIDTH),
          s.repId,
          s.fits ? 'fits' : s.acceptedOverload ? 'over capacity, accepted' : 'DOES NOT FIT',
          `${count(s.accounts, 'account')}, ${count(s.touches, 'touch', 'touches')}` +
            (s.unplaced ? `, ${s.unplaced} unplaced` : '') +
            (s.overbooked ? `, ${s.overbooked} over capacity` : ''),
          `calls ${s.required.call.toFixed(1)}/${s.capacity.callsPerDay} a day, visits ${s.required.visit.toFixed(1)}/${s.capacity.visitsPerDay}`,
          s.overdue.call + s.overdue.visit > 0 ? `${s.overdue.call + s.overdue.visit} overdue kept` : '',
        ]);
        for (const line of alignColumns(rows, 40)) out(line);
        const over = result.reps.filter((s) => !s.fits).length;
        out(
          result.committed
            ? `Saved the plans of ${count(result.reps.length, 'rep')} from ${result.from}${over ? ` (${over} over capacity, accepted)` : ''}.`
            : `${count(result.reps.length, 'rep')}, ${over} not fitting. Nothing saved: add --commit to save${over ? ` (and --accept-overload ID,… for those not fitting, or plan them one by one with tierline plan --rep ID)` : ''}.`,
        );
      });
    });

  program
    .command('agenda')
    .description("The day's calls and visits: overdue first, then A, B, C")
    .option('--date <date>', 'YYYY-MM-DD (default today)', isoDate('--date'))
    .option(
      '--rep <id|email>',
      'whose agenda (default: everyone; with --server, yourself unless you are an admin)',
    )
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const agenda = await backend.agenda({ date: opts.date, repId: await repOf(backend, opts.rep) });
        if (opts.json) {
          printJson(agenda);
          return;
        }
        out(
          `${agenda.date}: ${count(agenda.counts.calls, 'call')}, ${count(agenda.counts.visits, 'visit')} (${agenda.counts.overdue} overdue); logged today ${count(agenda.done.calls, 'call')}, ${count(agenda.done.visits, 'visit')}.`,
        );
        if (!agenda.day.working) out(`${agenda.date} is a day off: ${dayOffReason(agenda.day)}.`);
        // Columns lined up by terminal width (Chinese names take two columns a character): overdue mark ("!12d"),
        // tier, channel, account and city (a long name cut with "…", the city kept), id, and the last touch on the
        // workspace's day it fell on (a call at 07:30 in Shanghai is on that day, not on the UTC day before).
        const rows = agenda.items.map((item) => [
          item.overdue ? `!${item.overdueDays}d` : '',
          item.tier ?? '-',
          item.channel,
          withEnd(item.accountName, item.city ? ` (${item.city})` : '', AGENDA_ACCOUNT_WIDTH),
          item.accountId,
          item.lastTouch
            ? `last ${todayIn(agenda.timeZone, new Date(item.lastTouch.at))} ${item.lastTouch.outcome}${item.lastTouch.note ? `: ${item.lastTouch.note}` : ''}`
            : '',
        ]);
        for (const line of alignColumns(rows, AGENDA_ACCOUNT_WIDTH)) out(line);
        if (agenda.truncated) {
          const total = agenda.counts.calls + agenda.counts.visits;
          out(
            `Listed the first ${agenda.items.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} open touches (the oldest due first); the counts above are of all of them.`,
          );
        }
        if (agenda.next) {
          out(
            `Nothing open on ${agenda.date}; next planned day ${agenda.next.date}: ${count(agenda.next.calls, 'call')}, ${count(agenda.next.visits, 'visit')} (tierline agenda --date ${agenda.next.date}).`,
          );
        }
      });
    });

  program
    .command('log <accountId>')
    .description('Log a call or visit; completes the planned touch and re-plans the next one')
    .addOption(
      new Option('--channel <channel>', 'call or visit').choices(['call', 'visit']).makeOptionMandatory(),
    )
    .addOption(
      new Option('--outcome <outcome>', 'what happened').choices(ZOutcome.options).makeOptionMandatory(),
    )
    .option('--objection <code>', 'objection met (code or id)')
    .option('--response <code>', 'response used (code or id); needs --objection')
    .option('--note <text>', 'what was said (quote it: --note "客户说预算紧张")')
    .option('--next-step <text>', 'the next step agreed, e.g. "下周二演示"')
    .option(
      '--at <when>',
      'when it happened: YYYY-MM-DD or an ISO date-time with offset, e.g. 2026-10-05T14:30:00+08:00 (default now)',
    )
    .option(
      '--client-id <id>',
      'an id for this log (8-64 letters, digits, "-" or "_", e.g. a UUID): running the same command again with it logs the touch once, answering the first log (default: a new one each run; with --server a log whose answer was lost is sent again with it)',
    )
    .option(
      '--meeting-at <when>',
      "with --outcome meeting_booked: the meeting's day, or day and time, on the workspace's clock (2026-12-02 or 2026-12-02T10:00); a visit is planned then in place of the account's next one",
    )
    .option('--json', 'print JSON on stdout')
    .action(async (accountId: string, opts, command: Command) => {
      if (opts.response !== undefined && opts.objection === undefined) {
        throw new UsageError(
          '--response needs --objection: the objection (code or id) the response answers.',
        );
      }
      if (opts.meetingAt !== undefined && opts.outcome !== 'meeting_booked') {
        throw new UsageError('--meeting-at goes with --outcome meeting_booked.');
      }
      await withBackend(command, async (backend) => {
        const result = await backend.logTouch(accountId, {
          channel: opts.channel,
          outcome: opts.outcome,
          objectionId: opts.objection,
          responseId: opts.response,
          note: opts.note,
          nextStep: opts.nextStep,
          at: opts.at,
          clientId: opts.clientId,
          meetingAt: opts.meetingAt,
        });
        if (opts.json) {
          printJson(result);
          return;
        }
        const first = result.nextTouches[0];
        const next = first
          ? result.retry
            ? ` No answer: try again on ${first.dueOn} (next ${first.channel}).`
            : ` Next ${first.channel} due ${first.dueOn}.`
          : '';
        // The first log's time on the workspace's clock, as every time the CLI prints (--json keeps the ISO time).
        const at = result.replayed ? localDateTime(result.activity.occurredAt, await backend.timeZone()) : '';
        out(
          result.replayed
            ? `Already logged (same client id): ${result.activity.channel} (${result.activity.outcome}) at ${at}, nothing logged again; stage ${result.stage}.${next}`
            : `Logged ${result.activity.channel} (${result.activity.outcome}); stage ${result.stage}.${next}`,
        );
        const meeting = result.meeting;
        if (meeting) {
          const day = meeting.day;
          out(
            `Meeting: visit planned on ${meeting.dueOn}${meeting.dueTime ? ` at ${meeting.dueTime}` : ''}${
              day.working ? '' : ` (a day off for the rep: ${day.name ?? day.kind})`
            }; the account's next visits follow from it.`,
          );
        }
        if (result.coveredCalls.length > 0) {
          out(
            `The visit covers ${count(result.coveredCalls.length, 'call')} due by its day (${result.coveredCalls.map((c) => c.dueOn).join(', ')}); the calls continue from the visit.`,
          );
        }
      });
    });

  program
    .command('goals')
    .description('Calls and visits planned against done, coverage per tier, overdue')
    .addOption(new Option('--week', 'this week (default)').conflicts('month'))
    .addOption(new Option('--month', 'this month').conflicts('week'))
    .option('--date <date>', 'a day in the period (default today)', isoDate('--date'))
    .option(
      '--rep <id|email>',
      'whose goals (default: everyone; with --server, yourself unless you are an admin)',
    )
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const goals = await backend.goals({
          period: opts.month ? 'month' : 'week',
          date: opts.date,
          repId: await repOf(backend, opts.rep),
        });
        if (opts.json) {
          printJson(goals);
          return;
        }
        out(
          `${goals.period} ${goals.from}: calls ${goals.actual.calls}/${goals.goal.calls}, visits ${goals.actual.visits}/${goals.goal.visits}; overdue ${goals.overdue.total}.`,
        );
        for (const tier of ['A', 'B', 'C'] as const) {
          const c = goals.coverage[tier];
          const share = (s: number | null | undefined) => (s == null ? '-' : `${Math.round(s * 100)}%`);
          out(
            `  ${tier}: calls within cadence ${share(c?.call?.share)}, visits ${share(c?.visit?.share)} (${count(c?.call?.accounts ?? 0, 'account')})`,
          );
        }
      });
    });

  program
    .command('team')
    .description("The team's day")
    .command('day')
    .description(
      "Each rep's day: calls and visits planned and logged, overdue touches, last log; furthest behind first (an admin or the local CLI: every rep, a manager: the team, a rep: themselves)",
    )
    .option('--date <date>', 'YYYY-MM-DD in the workspace time zone (default today)', isoDate('--date'))
    .option('--json', 'print JSON on stdout')
    .action(async (opts, command: Command) => {
      await withBackend(command, async (backend) => {
        const day = await backend.teamDay({ date: opts.date });
        if (opts.json) {
          printJson(day);
          return;
        }
        const { totals } = day;
        out(
          `${day.date}: ${count(day.reps.length, 'rep')}; calls ${totals.done.calls}/${totals.planned.calls}, visits ${totals.done.visits}/${totals.planned.visits}, overdue ${totals.overdue}.`,
        );
        // The last log on the workspace's day and clock (a log at 07:30 in Shanghai is on that day).
        const clock = (at: string) =>
          new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: day.timeZone }).format(
            new Date(at),
          );
        const rows = day.reps.map((rep) => [
          truncateToWidth(oneLine(rep.name), TEAM_DAY_NAME_WIDTH),
          rep.status.replace('_', ' '),
          `calls ${rep.done.calls}/${rep.planned.calls}`,
          `visits ${rep.done.visits}/${rep.planned.visits}`,
          `overdue ${rep.overdue}`,
          rep.lastLoggedAt ? `last ${rep.lastLoggedOn} ${clock(rep.lastLoggedAt)}` : 'never logged',
          rep.repId,
        ]);
        for (const line of alignColumns(rows, 40)) out(line);
      });
    });

  const exporter = program.command('export').description('Export data');
  exporter
    .command('plan')
    .description(
      'Export planned touches as iCalendar or CSV (date, time, channel, accountId, accountName, tier, city, district, status, repId, repName), in English',
    )
    .addOption(new Option('--format <format>', 'file format').choices(['ics', 'csv']).default('ics'))
    .option('--from <date>', 'first day (default today)', isoDate('--from'))
    .option('--to <date>', 'day after the last (default: end of the horizon)', isoDate('--to'))
    .option('--rep <id|email>', "only this rep's touches")
    .option('--out <file>', 'write to this new file instead of stdout; an existing file is refused')
    .option('--force', 'with --out: replace the file if it exists')
    .action(async (opts, command: Command) => {
      if (opts.force && !opts.out) throw new UsageError('--force goes with --out <file>.');
      if (opts.from !== undefined && opts.to !== undefined && opts.to <= opts.from)
        throw new UsageError(
          `--to (${opts.to}) must be after --from (${opts.from}): the export runs from --from up to the day before --to.`,
        );
      const force = opts.force === true;
      // Refused before the export is asked for, and checked again when the file is put in place.
      if (opts.out) checkOutFile(opts.out, force);
      await withBackend(command, async (backend) => {
        const repId = await repOf(backend, opts.rep);
        const file = await backend
          .exportPlan(opts.format, { from: opts.from, to: opts.to, repId })
          .catch((error: unknown) => {
            // The export's one refusal of its values: a --to not after the first day (today when --from is not
            // given, which only the workspace knows), a usage error as the range above (exit 2).
            if ((isAppError(error) || isRemoteApiError(error)) && error.code === 'validation_failed')
              throw new UsageError(error.message);
            throw error;
          });
        if (opts.out) {
          writeOutFile(opts.out, file.body, force);
          process.stderr.write(
            file.count === null
              ? `Wrote the plan to ${opts.out}.\n`
              : `Wrote ${count(file.count, 'touch', 'touches')} to ${opts.out}.\n`,
          );
        } else process.stdout.write(file.body);
      });
    });

  program
    .command('days-off')
    .description(
      "Show or replace a rep's own days off (leave, training); plans avoid them, and a change moves the rep's open touches due on days now off to working days",
    )
    .requiredOption('--rep <id|email>', 'the rep')
    .option('--set <dates>', 'comma-separated YYYY-MM-DD dates (replaces the list; "" clears it)')
    .option(
      '--holidays <country>',
      `the rep's public holidays: ${HOLIDAY_COUNTRIES.join(', ')}, or "workspace" for the workspace's`,
    )
    .option(
      '--json',
      'print { repId, dates, holidays, version } on stdout (after a change also moved: the open touches moved off the days now off)',
    )
    .action(async (opts, command: Command) => {
      let dates: string[] | undefined;
      if (opts.set !== undefined) {
        dates = list(String(opts.set));
        for (const d of dates) isoDate('--set')(d);
      }
      let holidays: THolidayCountry | null | undefined;
      if (opts.holidays !== undefined) {
        const value = String(opts.holidays);
        const parsed = ZHolidayCountry.safeParse(value);
        if (value !== 'workspace' && !parsed.success) {
          throw new InvalidArgumentError(
            `--holidays: "${value}" is not a schedule Tierline has; use one of ${HOLIDAY_COUNTRIES.join(', ')}, or workspace.`,
          );
        }
        holidays = parsed.success ? parsed.data : null;
      }
      await withBackend(command, async (backend) => {
        // A change is made on the calendar just read, with its version (someone changing it in between: 409).
        const repId = (await repOf(backend, opts.rep)) as string;
        const read = await backend.daysOff(repId);
        const result: DaysOff & { moved?: number } =
          dates !== undefined || holidays !== undefined
            ? await backend.setDaysOff(repId, {
                dates: dates ?? read.dates,
                holidays,
                version: read.version,
              })
            : read;
        if (opts.json) printJson(result);
        else {
          out(result.dates.length ? `Days off: ${result.dates.join(', ')}` : 'No days off.');
          out(`Public holidays: ${result.holidays ?? "the workspace's"}.`);
          // A change: what it did to the plan (touches planned on days now off, moved to working days).
          if (result.moved)
            out(
              `Moved ${count(result.moved, 'planned touch', 'planned touches')} off the days off to working days.`,
            );
        }
      });
    });
}
