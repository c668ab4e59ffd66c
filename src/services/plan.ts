import { resolveCadence } from '../domain/cadence/cadence-rules.ts';
import { addMonthsToDate, type LocalDate } from '../domain/calendar/local-date.ts';
import { localDateAt, todayIn } from '../domain/calendar/time-zone.ts';
import { createWorkingCalendar, type WorkingCalendar } from '../domain/calendar/working-calendar.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { counted, msg } from '../domain/messages.ts';
import { buildPlan, type Plan, type PlanAccount } from '../domain/plan/build-plan.ts';
import {
  type CapacityAccount,
  type CapacityCheck,
  type CapacityOption,
  checkCapacity,
  type Load,
} from '../domain/plan/capacity.ts';
import { PLAN_START_MAX_YEARS, planStartLimits } from '../domain/plan/plan-start.ts';
import type { TCadenceRule, TCadenceRuleChange, TCadenceRuleStored } from '../schemas/cadence.ts';
import type { TChannel } from '../schemas/common.ts';
import { type TCapacity, type THolidayCountry, ZHolidayCountry } from '../schemas/plan.ts';
import type {
  TPlanCommit,
  TPlanRequest,
  TPlanResult,
  TTeamPlanCommit,
  TTeamPlanRep,
  TTeamPlanRequest,
  TTeamPlanResult,
} from '../schemas/plan-api.ts';
import type { TWorkspaceSettings } from '../schemas/workspace.ts';
import { newId, newIdSequence } from '../storage/ids.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import {
  countOpenTouchesOfOwners,
  deleteOpenTouchesFrom,
  deleteOpenTouchesOfOwners,
  eachPlanAccount,
  insertTouches,
  loadBookedTouchesFrom,
  loadLastTouches,
  loadOpenTouchesBefore,
  loadPlanAccounts,
  type PlanAccountVisitor,
  touchIndexesWorthRebuilding,
  withTouchIndexesRebuilt,
} from '../storage/repositories/plan.ts';
import { inTransaction } from '../storage/transaction.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';
import { resolveRep } from './rep-scope.ts';
import { applyWorkspaceSettings, readWorkspaceSettings } from './workspace-settings.ts';

export async function readCadenceRules(db: Executor): Promise<TCadenceRule[]> {
  const rows = await db.selectFrom('cadence_rules').selectAll().execute();
  const stored = rows.map((r) => ({ tier: r.tier, channel: r.channel, intervalMonths: r.interval_months }));
  const table = resolveCadence(stored);
  return (['A', 'B', 'C'] as const).flatMap((tier) =>
    (['call', 'visit'] as const).map((channel) => ({ tier, channel, intervalMonths: table[tier][channel] })),
  );
}

/** Every tier and channel's rule with its version (0: never saved, the default applies). */
export async function readCadenceRulesWithVersions(db: Executor): Promise<TCadenceRuleStored[]> {
  const [rules, rows] = await Promise.all([
    readCadenceRules(db),
    db.selectFrom('cadence_rules').select(['tier', 'channel', 'version']).execute(),
  ]);
  const versions = new Map(rows.map((r) => [`${r.tier}/${r.channel}`, r.version]));
  return rules.map((rule) => ({ ...rule, version: versions.get(`${rule.tier}/${rule.channel}`) ?? 0 }));
}

export async function getCadenceRules(ctx: ServiceContext): Promise<TCadenceRuleStored[]> {
  requireSignedIn(ctx);
  return readCadenceRulesWithVersions(ctx.db.kysely);
}

/**
 * Changes cadence rules, each on the version of its tier and channel that was read: when one of them changed since
 * (another manager saved that cell), nothing is saved and the answer is 409 version_conflict with every rule as it
 * is now. Rules sent with the interval they already have are checked but not written.
 */
export async function setCadenceRules(
  ctx: ServiceContext,
  rules: readonly TCadenceRuleChange[],
): Promise<TCadenceRuleStored[]> {
  return saveCadenceRules(ctx, rules);
}

/** `version` undefined: not checked (a capacity option the plan commit applies, on the rules as they are then). */
async function saveCadenceRules(
  ctx: ServiceContext,
  rules: readonly (TCadenceRule & { version?: number })[],
): Promise<TCadenceRuleStored[]> {
  requireRole(ctx, ['admin', 'manager'], 'change cadence rules');
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await readCadenceRulesWithVersions(trx);
    const stale = async (rule: TCadenceRuleStored, version: number) => {
      const current = await readCadenceRulesWithVersions(trx);
      const now = current.find((r) => r.tier === rule.tier && r.channel === rule.channel) ?? rule;
      return new AppError(
        'version_conflict',
        msg(rule.channel === 'call' ? 'cadence.call_version_conflict' : 'cadence.visit_version_conflict', {
          tier: rule.tier,
          version,
          current: now.version,
        }),
        { current },
      );
    };
    const changes: { rule: TCadenceRule; stored: TCadenceRuleStored }[] = [];
    for (const rule of rules) {
      const stored = before.find((r) => r.tier === rule.tier && r.channel === rule.channel);
      if (!stored) continue;
      if (rule.version !== undefined && rule.version !== stored.version)
        throw await stale(stored, rule.version);
      if (rule.intervalMonths !== stored.intervalMonths) changes.push({ rule, stored });
    }
    for (const { rule, stored } of changes) {
      const values = { interval_months: rule.intervalMonths, updated_by: ctx.actor.userId, updated_at: at };
      // Conditional on the version read, so that of two saves that read it (PostgreSQL lets both read before
      // either commits) the second changes nothing and is refused.
      const written =
        stored.version === 0
          ? (
              await trx
                .insertInto('cadence_rules')
                .values({ tier: rule.tier, channel: rule.channel, ...values, version: 1 })
                .onConflict((oc) => oc.columns(['tier', 'channel']).doNothing())
                .executeTakeFirst()
            ).numInsertedOrUpdatedRows
          : (
              await trx
                .updateTable('cadence_rules')
                .set({ ...values, version: stored.version + 1 })
                .where('tier', '=', rule.tier)
                .where('channel', '=', rule.channel)
                .where('version', '=', stored.version)
                .executeTakeFirst()
            ).numUpdatedRows;
      if (Number(written ?? 0) !== 1) throw await stale(stored, stored.version);
    }
    const after = await readCadenceRulesWithVersions(trx);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'cadence',
      entityId: null,
      action: 'update',
      before,
      after,
    });
    return after;
  });
}

interface Workload {
  repId: string | null;
  from: LocalDate;
  months: number;
  capacity: TCapacity;
  calendar: WorkingCalendar;
  cadence: TCadenceRule[];
  accounts: CapacityAccount[];
  settings: TWorkspaceSettings;
  /**
   * Overdue open touches of the accounts (due before today), per channel: the plan keeps them, with any others due
   * before `from`, and plans around them (pendingTouches); not counted in the check's required touches.
   */
  overdue: Record<TChannel, number>;
}

/** A rep's calendar: the rep's public holidays (the workspace's unless the rep has their own) and own days off. */
export async function calendarFor(
  db: Executor,
  settings: TWorkspaceSettings,
  repId: string | null,
): Promise<WorkingCalendar> {
  let daysOff: string | null = null;
  let holidayCountry: string | null = null;
  if (repId) {
    const rep = await db
      .selectFrom('users')
      .select(['days_off', 'holiday_country'])
      .where('id', '=', repId)
      .executeTakeFirst();
    daysOff = rep?.days_off ?? null;
    holidayCountry = rep?.holiday_country ?? null;
  }
  return calendarWithDaysOff(settings, daysOff, holidayCountry);
}

/**
 * calendarFor from the rep's `users.days_off` (a JSON list of dates; null for none) and `users.holiday_country`
 * (null: the workspace's schedule) already read.
 */
export function calendarWithDaysOff(
  settings: TWorkspaceSettings,
  daysOff: string | null,
  holidayCountry: string | null = null,
): WorkingCalendar {
  const customDaysOff = daysOff ? (JSON.parse(daysOff) as string[]) : [];
  return createWorkingCalendar({
    country: storedHolidays(holidayCountry) ?? settings.country,
    customDaysOff,
  });
}

/** A rep's stored holiday schedule, or null (the workspace's) for none or one this version no longer has. */
export function storedHolidays(country: string | null): THolidayCountry | null {
  const parsed = ZHolidayCountry.safeParse(country);
  return parsed.success ? parsed.data : null;
}

/**
 * A plan's first day is today or later, in the workspace's time zone: a commit replaces the open touches from its
 * first day on and keeps those before it, so a plan from a past day would cancel every touch of the plan in force
 * and leave its own touches overdue at once. And at most PLAN_START_MAX_YEARS ahead. Refused as 400 naming `from`
 * (details: field, value, min, max), before anything is read: previews and commits, one rep, several or everyone.
 */
export function checkPlanStart(from: LocalDate, today: LocalDate, timeZone: string): void {
  const latest = planStartLimits(today).max;
  const details = { field: 'from', value: from, min: today, max: latest };
  if (from < today)
    throw new AppError('bad_request', msg('plan.from_before_today', { from, today, timeZone }), details);
  if (from > latest)
    throw new AppError(
      'bad_request',
      msg('plan.from_too_late', { from, latest, years: PLAN_START_MAX_YEARS }),
      details,
    );
}

/** Not in the API: how the system itself may plan. */
export interface InternalPlanOptions {
  /**
   * A plan started in the past, as the demo's (started four weeks back and worked since): its first day is not
   * checked against today. Never set from a request.
   */
  backdated?: boolean;
}

async function loadWorkload(
  ctx: ServiceContext,
  db: Executor,
  request: TPlanRequest,
  options: InternalPlanOptions = {},
): Promise<Workload> {
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  if (request.from !== undefined && !options.backdated)
    checkPlanStart(request.from, today, settings.timeZone);
  const repId = await resolveRep(ctx, request.repId, db);
  let repCapacity: Partial<TCapacity> = {};
  if (repId) {
    const rep = await db
      .selectFrom('users')
      .select(['id', 'role', 'calls_per_day', 'visits_per_day'])
      .where('id', '=', repId)
      .executeTakeFirst();
    if (!rep) throw notFound('User', repId);
    repCapacity = {
      ...(rep.calls_per_day != null ? { callsPerDay: rep.calls_per_day } : {}),
      ...(rep.visits_per_day != null ? { visitsPerDay: rep.visits_per_day } : {}),
    };
  }
  const capacity = capacityFor(request, repCapacity, settings);
  const from = request.from ?? today;
  // Slim planner objects (the planner slows down markedly on wider ones) made straight from the rows (raw on SQLite,
  // see eachPlanAccount), with the series' anchors as local dates set once the reads are done.
  const accounts: CapacityAccount[] = [];
  const [, lastTouches, openBefore, booked, cadence, calendar] = await Promise.all([
    eachPlanAccount(
      db,
      ctx.db,
      (id, tier, tierOverride, city, district, score) => {
        accounts.push({
          id,
          tier,
          tierOverride,
          city,
          district,
          score,
          lastTouchOn: undefined,
          pendingOn: undefined,
          keptOn: undefined,
        });
      },
      repId,
    ),
    loadLastTouches(db, repId, ctx.db),
    loadOpenTouchesBefore(db, repId, from),
    loadBookedTouchesFrom(db, repId, from),
    readCadenceRules(db),
    calendarFor(db, settings, repId),
  ]);
  // A plan starting later than today keeps the touches due before its first day too; only those before today are
  // overdue.
  const overdueTouches = from > today ? await loadOpenTouchesBefore(db, repId, today) : openBefore;
  const overdue = { call: 0, visit: 0 };
  for (const a of accounts) {
    a.lastTouchOn = lastTouchDates(lastTouches.get(a.id), settings.timeZone);
    a.pendingOn = pendingTouches(openBefore.get(a.id), from);
    a.keptOn = booked.get(a.id);
    addTouches(overdue, overdueTouches.get(a.id));
  }
  return {
    repId,
    from,
    months: request.months ?? settings.horizonMonths,
    capacity,
    calendar,
    cadence,
    accounts,
    settings,
    overdue,
  };
}

/** The request's capacity, else the rep's own, else the workspace default. */
function capacityFor(
  request: TPlanRequest,
  rep: Partial<TCapacity>,
  settings: TWorkspaceSettings,
): TCapacity {
  return {
    callsPerDay: request.callsPerDay ?? rep.callsPerDay ?? settings.capacity.callsPerDay,
    visitsPerDay: request.visitsPerDay ?? rep.visitsPerDay ?? settings.capacity.visitsPerDay,
  };
}

/** An account's last logged touch per channel (UTC ISO instants) as local dates in `timeZone`. */
function lastTouchDates(
  last: Partial<Record<TChannel, string>> | undefined,
  timeZone: string,
): CapacityAccount['lastTouchOn'] {
  if (!last) return undefined;
  const on = (iso: string | undefined): LocalDate | null =>
    iso ? localDateAt(timeZone, Date.parse(iso)) : null;
  return { call: on(last.call), visit: on(last.visit) };
}

/**
 * The planner's `pendingOn` for an account with open touches due before the plan's first day `from` (`openBefore`,
 * per channel; undefined: none). A commit keeps those touches (overdue: a missed touch is never lost), so on such a
 * channel the overdue touch is the series' pending touch: the series continues as if it were done on `from` (when
 * that is later than the last log), and the next new touch falls about one interval after it rather than at once
 * beside it.
 */
function pendingTouches(
  openBefore: Partial<Record<TChannel, number>> | undefined,
  from: LocalDate,
): CapacityAccount['pendingOn'] {
  if (!openBefore) return undefined;
  return { call: openBefore.call ? from : null, visit: openBefore.visit ? from : null };
}

/** Adds an account's open touches per channel (loadOpenTouchesBefore's) to `total`. */
function addTouches(
  total: Record<TChannel, number>,
  touches: Partial<Record<TChannel, number>> | undefined,
): void {
  if (!touches) return;
  total.call += touches.call ?? 0;
  total.visit += touches.visit ?? 0;
}

function checkWorkload(w: Workload): CapacityCheck {
  return checkCapacity({
    accounts: w.accounts,
    from: w.from,
    months: w.months,
    calendar: w.calendar,
    cadence: w.cadence,
    capacity: w.capacity,
  });
}

function planWorkload(w: Workload, overbook: boolean): Plan {
  return buildPlan({
    accounts: w.accounts as PlanAccount[],
    from: w.from,
    months: w.months,
    calendar: w.calendar,
    cadence: w.cadence,
    capacity: w.capacity,
    overflow: overbook ? 'overbook' : 'report',
  });
}

function toResult(
  w: Workload,
  check: CapacityCheck,
  plan: Plan,
  committed: { planId: string; option: CapacityOption | null } | null,
): TPlanResult {
  const byMonth = new Map<string, { month: string; calls: number; visits: number }>();
  for (const day of plan.days) {
    const month = day.date.slice(0, 7);
    const entry = byMonth.get(month) ?? { month, calls: 0, visits: 0 };
    entry.calls += day.calls;
    entry.visits += day.visits;
    byMonth.set(month, entry);
  }
  return {
    fits: check.fits && plan.unplaced.length === 0,
    from: check.from,
    to: check.to,
    workingDays: check.workingDays,
    unpublishedYears: check.unpublishedYears,
    required: check.required,
    capacity: check.capacity,
    // No capacity but some load is infinitely over, which JSON cannot carry: null says so.
    utilization: {
      call: Number.isFinite(check.utilization.call) ? check.utilization.call : null,
      visit: Number.isFinite(check.utilization.visit) ? check.utilization.visit : null,
    },
    options: check.options,
    overdue: { ...w.overdue },
    touches: plan.touches.length,
    unplaced: plan.unplaced.length,
    accounts: w.accounts.length,
    byMonth: [...byMonth.values()],
    days: plan.days,
    committed: committed !== null,
    planId: committed?.planId ?? null,
    appliedOption: committed?.option ?? null,
  };
}

/** The capacity check and the plan it would give, without saving anything. */
export async function previewPlan(ctx: ServiceContext, request: TPlanRequest): Promise<TPlanResult> {
  const w = await loadWorkload(ctx, ctx.db.kysely, request);
  const check = checkWorkload(w);
  const plan = planWorkload(w, false);
  return toResult(w, { ...check, options: plannedOptions(w, check, plan) }, plan, null);
}

/**
 * Commits a plan: replaces the workload's open planned touches from `from` on (today or later, checkPlanStart).
 * When the plan does not fit, the user must pick one of the offered options (applied first, and recorded) or accept
 * the overload.
 */
export async function commitPlan(
  ctx: ServiceContext,
  request: TPlanCommit,
  internal: InternalPlanOptions = {},
): Promise<TPlanResult> {
  let w = await loadWorkload(ctx, ctx.db.kysely, request, internal);
  let check = checkWorkload(w);
  let plan = planWorkload(w, false);
  let applied: CapacityOption | null = null;
  if (request.option !== undefined) {
    // The options as the preview showed them (planned, see plannedOptions): the index picks the same one.
    const options = plannedOptions(w, check, plan);
    const option = options[request.option];
    if (!option) {
      // A value out of range, as a number beyond a field's limits: 400 naming the field (the CLI's exit 2).
      throw new AppError(
        'bad_request',
        options.length
          ? msg('plan.no_such_option', { option: request.option, last: options.length - 1 })
          : msg('plan.fits_no_options'),
        { field: 'option', value: request.option, options: options.length },
      );
    }
    // Tried in memory first: nothing is changed unless the plan with the option can be committed.
    applied = option;
    w = withOption(w, option);
    check = checkWorkload(w);
    plan = planWorkload(w, false);
  }
  const fits = check.fits && plan.unplaced.length === 0;
  if (!fits && !request.acceptOverload) {
    const call = check.required.call.perWorkingDay.toFixed(1);
    const visit = check.required.visit.perWorkingDay.toFixed(1);
    // The options left from here (none once one is applied: options do not combine).
    const options = applied ? [] : plannedOptions(w, check, plan);
    const numbers = {
      calls: call,
      visits: visit,
      callCapacity: w.capacity.callsPerDay,
      visitCapacity: w.capacity.visitsPerDay,
      unplaced: plan.unplaced.length ? counted('plan.unplaced_suffix', plan.unplaced.length) : '',
    };
    throw new AppError(
      'conflict',
      options.length
        ? msg('plan.does_not_fit', { ...numbers, options: options.length })
        : msg(applied ? 'plan.does_not_fit_with_option' : 'plan.does_not_fit_no_options', numbers),
      {
        required: check.required,
        capacity: check.capacity,
        options,
        unplaced: plan.unplaced.length,
      },
    );
  }
  if (applied) await applyOption(ctx, applied, w);
  if (!fits) plan = planWorkload(w, true);

  const owners = new Map<string, string | null>();
  if (!w.repId) {
    const rows = await loadPlanAccounts(ctx.db.kysely, null);
    for (const r of rows) owners.set(r.id, r.ownerId);
  }
  // Retried when PostgreSQL breaks a deadlock with a logged touch re-planning the same rep's touches.
  const planId = await inTransaction(ctx.db.kysely, (trx) =>
    saveWorkloadPlan(ctx, trx, w, plan, { fits, applied, owners }),
  );
  return toResult(w, check, plan, { planId, option: applied });
}

/**
 * Replaces a workload's open planned touches from its first day with `plan`, records the plan and audits it:
 * the write half of a commit, in the caller's transaction. Returns the plan id.
 */
async function saveWorkloadPlan(
  ctx: ServiceContext,
  trx: Executor,
  w: Workload,
  plan: Plan,
  o: {
    fits: boolean;
    applied: CapacityOption | null;
    owners?: ReadonlyMap<string, string | null>;
    /** The workload's open touches were already removed (saveRepPlans): how many. */
    removed?: number;
    /** Ids shared by several plans saved in one transaction (saveRepPlans), see insertTouches. */
    newId?: () => string;
  },
): Promise<string> {
  const at = ctx.now().toISOString();
  const planId = newId();
  const removed = o.removed ?? (await deleteOpenTouchesFrom(trx, w.repId, w.from));
  await trx
    .insertInto('plans')
    .values({
      id: planId,
      rep_id: w.repId,
      starts_on: w.from,
      months: w.months,
      settings: JSON.stringify({ capacity: w.capacity, cadence: w.cadence, country: w.settings.country }),
      summary: JSON.stringify({
        touches: plan.touches.length,
        unplaced: plan.unplaced.length,
        overbooked: plan.overbooked,
        accounts: w.accounts.length,
        removed,
        option: o.applied?.kind ?? null,
      }),
      accepted_overload: o.fits ? 0 : 1,
      created_by: ctx.actor.userId,
      created_at: at,
    })
    .execute();
  // A rep's plan: the rep's touches; a workspace-wide plan: each account's owner's.
  await insertTouches(ctx.db, trx, planId, plan.touches, w.repId ?? o.owners ?? null, at, o.newId);
  await recordAudit(trx, {
    at,
    userId: ctx.actor.userId,
    entity: 'plan',
    entityId: planId,
    action: o.fits ? 'commit' : 'commit-overloaded',
    after: {
      repId: w.repId,
      from: w.from,
      months: w.months,
      touches: plan.touches.length,
      removed,
      option: o.applied,
    },
  });
  return planId;
}

/** A plan for several reps' workloads without capacity options (those are a per-rep choice: use commitPlan). */
export type AllRepsPlanRequest = Omit<TPlanCommit, 'repId' | 'option'> & {
  /**
   * Only these reps (active reps the caller may plan: any for an admin, their team's for a manager); without it,
   * every active rep the caller may plan.
   */
  repIds?: readonly string[] | undefined;
  /** Accept the overload of these reps only (`acceptOverload` accepts every rep's). */
  acceptOverloadFor?: readonly string[] | undefined;
};

/** One rep's workload, capacity check and plan, as planAllReps makes them. */
export interface RepPlan {
  repId: string;
  name: string;
  workload: Workload;
  check: CapacityCheck;
  /** Overbooked when it does not fit and the request accepts the overload. */
  plan: Plan;
  fits: boolean;
}

/** A rep's plan in a line of figures (the API's TeamPlanRep); `planId` null when nothing was saved. */
export type RepPlanSummary = TTeamPlanRep;

/** A rep's plan in a line of figures; `planId` once it is saved. */
export function summarizeRepPlan(p: RepPlan, planId: string | null): RepPlanSummary {
  return {
    repId: p.repId,
    name: p.name,
    fits: p.fits,
    accounts: p.workload.accounts.length,
    touches: p.plan.touches.length,
    unplaced: p.plan.unplaced.length,
    overbooked: p.plan.overbooked,
    overdue: { ...p.workload.overdue },
    required: {
      call: p.check.required.call.perWorkingDay,
      visit: p.check.required.visit.perWorkingDay,
    },
    capacity: { ...p.workload.capacity },
    acceptedOverload: planId !== null && !p.fits,
    planId,
  };
}

/** Whether a request accepts the overload of `repId`'s plan. */
function acceptsOverloadOf(request: Pick<AllRepsPlanRequest, 'acceptOverload' | 'acceptOverloadFor'>) {
  const some = new Set(request.acceptOverloadFor ?? []);
  return (repId: string) => Boolean(request.acceptOverload) || some.has(repId);
}

interface RepRow {
  id: string;
  name: string;
  calls_per_day: number | null;
  visits_per_day: number | null;
  days_off: string;
  holiday_country: string | null;
}

/**
 * The active reps (role rep, not disabled) the caller may plan, by id: every one for an admin or the local system,
 * the manager's team for a manager (teamMemberIds, as teamPlanHealth lists them). With `repIds`, exactly those: one
 * out of the caller's reach is refused as resolveRep refuses it (404 naming it, so ids do not leak), one in reach
 * that is not an active rep (a manager, a disabled rep) is refused with 422.
 */
async function repsToPlan(
  ctx: ServiceContext,
  db: Executor,
  repIds: readonly string[] | undefined,
): Promise<RepRow[]> {
  const base = () => {
    let q = db
      .selectFrom('users')
      .select(['id', 'name', 'calls_per_day', 'visits_per_day', 'days_off', 'holiday_country'])
      .where('role', '=', 'rep')
      .where('disabled_at', 'is', null);
    if (!isUnrestrictedActor(ctx.actor))
      q = q.where('id', 'in', teamMemberIds(db, ctx.actor.userId as string));
    return q;
  };
  if (!repIds) return base().orderBy('id').execute();
  const wanted = [...new Set(repIds)];
  const rows: RepRow[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    rows.push(
      ...(await base()
        .where('id', 'in', wanted.slice(i, i + 500))
        .execute()),
    );
  }
  if (rows.length < wanted.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = wanted.filter((id) => !found.has(id));
    // Out of reach (or nobody): resolveRep's refusal (404; a rep asking for another: 403).
    for (const id of missing) await resolveRep(ctx, id, db);
    throw new AppError('unprocessable', msg('plan.not_active_reps', { ids: missing.join(', ') }), {
      repIds: missing,
    });
  }
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * What commitPlan would plan for each active rep the caller may plan (or the reps of `request.repIds`), with the
 * accounts, last touches and reps read once for everyone instead of once per rep. Nothing is saved. For admins
 * (every active rep) and managers (their team's); a rep plans their own with commitPlan. Only the reads differ with
 * `repIds` or a manager: each rep's accounts and last touches by owner instead of every in-market account.
 */
export async function planAllReps(ctx: ServiceContext, request: AllRepsPlanRequest): Promise<RepPlan[]> {
  requireRole(ctx, ['admin', 'manager'], "plan several reps' accounts at once");
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  if (request.from !== undefined) checkPlanStart(request.from, today, settings.timeZone);
  const from = request.from ?? today;
  const months = request.months ?? settings.horizonMonths;
  const reps = await repsToPlan(ctx, db, request.repIds);
  // Some reps only: their accounts, read owner by owner (accounts_owner_idx), not every account in the market.
  const owners = request.repIds || !isUnrestrictedActor(ctx.actor) ? reps.map((r) => r.id) : null;
  const lastTouchesOf = async () => {
    if (!owners) return loadLastTouches(db, null, ctx.db);
    const all = new Map<string, Partial<Record<TChannel, string>>>();
    for (const owner of owners)
      for (const [id, last] of await loadLastTouches(db, owner, ctx.db)) all.set(id, last);
    return all;
  };
  const [lastTouches, openBefore, booked, cadence] = await Promise.all([
    lastTouchesOf(),
    // One GROUP BY for every rep's accounts (few rows: only pairs with a touch due before `from`).
    loadOpenTouchesBefore(db, null, from),
    // The booked meetings the commit keeps (few rows).
    loadBookedTouchesFrom(db, null, from),
    readCadenceRules(db),
  ]);
  // Each owner's accounts as the planner's objects, made straight from the rows (in id order, as before), and the
  // owner's touches due before `from`.
  const byOwner = new Map<string, CapacityAccount[]>();
  const overdueOf = new Map<string, Record<TChannel, number>>();
  // Only the touches due before today are overdue (a plan starting later keeps those up to its first day too).
  const overdueTouches = from > today ? await loadOpenTouchesBefore(db, null, today) : openBefore;
  const visit: PlanAccountVisitor = (id, tier, tierOverride, city, district, score, ownerId) => {
    if (!ownerId) return;
    const open = openBefore.get(id);
    const late = overdueTouches.get(id);
    if (late) {
      const overdue = overdueOf.get(ownerId) ?? { call: 0, visit: 0 };
      addTouches(overdue, late);
      overdueOf.set(ownerId, overdue);
    }
    const account: CapacityAccount = {
      id,
      tier,
      tierOverride,
      city,
      district,
      score,
      lastTouchOn: lastTouchDates(lastTouches.get(id), settings.timeZone),
      // Every object with the field (undefined for most), so that the planner meets one shape.
      pendingOn: pendingTouches(open, from),
      keptOn: booked.get(id),
    };
    const list = byOwner.get(ownerId);
    if (list) list.push(account);
    else byOwner.set(ownerId, [account]);
  };
  if (owners) for (const owner of owners) await eachPlanAccount(db, ctx.db, visit, owner);
  else await eachPlanAccount(db, ctx.db, visit);
  // One calendar for the reps with the same holidays and days off (most have none): it computes each year's days
  // once.
  const calendars = new Map<string, WorkingCalendar>();
  const calendarOf = (daysOff: string, holidayCountry: string | null): WorkingCalendar => {
    const key = `${holidayCountry ?? ''} ${daysOff}`;
    let calendar = calendars.get(key);
    if (!calendar) {
      calendar = calendarWithDaysOff(settings, daysOff, holidayCountry);
      calendars.set(key, calendar);
    }
    return calendar;
  };
  const accepts = acceptsOverloadOf(request);
  return reps.map((rep) => {
    const w: Workload = {
      repId: rep.id,
      from,
      months,
      capacity: capacityFor(
        request,
        {
          ...(rep.calls_per_day != null ? { callsPerDay: rep.calls_per_day } : {}),
          ...(rep.visits_per_day != null ? { visitsPerDay: rep.visits_per_day } : {}),
        },
        settings,
      ),
      calendar: calendarOf(rep.days_off, rep.holiday_country),
      cadence,
      accounts: byOwner.get(rep.id) ?? [],
      settings,
      overdue: overdueOf.get(rep.id) ?? { call: 0, visit: 0 },
    };
    const check = checkWorkload(w);
    let plan = planWorkload(w, false);
    const fits = check.fits && plan.unplaced.length === 0;
    if (!fits && accepts(rep.id)) plan = planWorkload(w, true);
    return { repId: rep.id, name: rep.name, workload: w, check, plan, fits };
  });
}

/**
 * Saves plans made by planAllReps (which decided whose plans the caller may make), each rep's exactly as commitPlan
 * saves it, all in one transaction: one commit instead of one per rep (on SQLite each commit of a big write set
 * ended in a WAL checkpoint, and 400 of them took longer than the inserts). When a rep's plan does not fit and the
 * request does not accept that rep's overload (acceptOverload for every rep, acceptOverloadFor for some), nothing
 * is saved: 409 naming those reps with their figures.
 */
export async function saveRepPlans(
  ctx: ServiceContext,
  plans: readonly RepPlan[],
  request: Pick<AllRepsPlanRequest, 'acceptOverload' | 'acceptOverloadFor'>,
): Promise<RepPlanSummary[]> {
  requireRole(ctx, ['admin', 'manager'], "save several reps' plans at once");
  const accepts = acceptsOverloadOf(request);
  const over = plans.filter((p) => !p.fits && !accepts(p.repId));
  if (over.length > 0) {
    throw new AppError(
      'conflict',
      msg('plan.reps_overloaded', {
        over: over.length,
        total: plans.length,
        names: over.map((p) => p.name).join(', '),
      }),
      { reps: over.map((p) => summarizeRepPlan(p, null)) },
    );
  }
  return inTransaction(ctx.db.kysely, async (trx) => {
    // Each rep's plan replaces the open touches of that rep's accounts from the first day: all removed at once.
    const from = plans[0]?.workload.from;
    const repIds = plans.map((p) => p.repId);
    const removed = from ? await countOpenTouchesOfOwners(trx, repIds, from) : new Map<string, number>();
    const save = async () => {
      if (from) await deleteOpenTouchesOfOwners(trx, repIds, from, removed);
      const summaries: RepPlanSummary[] = [];
      // One ascending id sequence for every rep's touches: they all append to the primary key index.
      const newId = newIdSequence(ctx.now().getTime());
      for (const p of plans) {
        const planId = await saveWorkloadPlan(ctx, trx, p.workload, p.plan, {
          fits: p.fits,
          applied: null,
          removed: removed.get(p.repId) ?? 0,
          newId,
        });
        summaries.push(summarizeRepPlan(p, planId));
      }
      return summaries;
    };
    // Replacing most of the table (every rep's plan, usually): on SQLite the indexes are built again afterwards
    // instead of being updated row by row (see touchIndexesWorthRebuilding).
    let removedTotal = 0;
    for (const n of removed.values()) removedTotal += n;
    const added = plans.reduce((n, p) => n + p.plan.touches.length, 0);
    const summaries = (await touchIndexesWorthRebuilding(ctx.db, trx, removedTotal, added))
      ? await withTouchIndexesRebuilt(trx, save)
      : await save();
    // Who committed whose plans, in one entry beside each plan's own (saveWorkloadPlan).
    if (summaries.length > 0)
      await recordAudit(trx, {
        at: ctx.now().toISOString(),
        userId: ctx.actor.userId,
        entity: 'plan',
        entityId: null,
        action: 'commit-reps',
        after: {
          from: from ?? null,
          months: plans[0]?.workload.months ?? null,
          reps: summaries.map((s) => ({
            repId: s.repId,
            planId: s.planId,
            acceptedOverload: s.acceptedOverload,
          })),
        },
      });
    return summaries;
  });
}

/**
 * commitPlan for every active rep at once (after saving the market, say): the same plans, checks and records
 * as one commitPlan per rep, with the workspace read once. Without acceptOverload nothing is saved when any
 * rep's plan does not fit.
 */
export async function commitPlansForAllReps(
  ctx: ServiceContext,
  request: AllRepsPlanRequest,
): Promise<RepPlanSummary[]> {
  return saveRepPlans(ctx, await planAllReps(ctx, request), request);
}

/** The rows of a team plan, by name (then id). */
async function teamPlanResult(
  ctx: ServiceContext,
  plans: readonly RepPlan[],
  rows: RepPlanSummary[],
  request: TTeamPlanRequest,
  committed: boolean,
): Promise<TTeamPlanResult> {
  // The horizon the plans were made for; with no rep planned, the one they would have been (settings read only then).
  const first = plans[0]?.workload;
  let from = first?.from;
  let months = first?.months;
  if (!from || !months) {
    const settings = await readWorkspaceSettings(ctx.db.kysely);
    from = request.from ?? todayIn(settings.timeZone, ctx.now());
    months = request.months ?? settings.horizonMonths;
  }
  return {
    from,
    to: addMonthsToDate(from, months),
    months,
    committed,
    reps: [...rows].sort(
      (a, b) => a.name.localeCompare(b.name) || (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0),
    ),
  };
}

/**
 * Re-planning several reps (the dashboard's "Re-plan…", POST /api/plan/team/preview): each rep's plan as
 * commitPlan would make it, in a line of figures, nothing saved. Admins (any active rep) and managers (their
 * team's); without `repIds`, every rep the caller may plan.
 */
export async function previewTeamPlans(
  ctx: ServiceContext,
  request: TTeamPlanRequest,
): Promise<TTeamPlanResult> {
  const plans = await planAllReps(ctx, request);
  return teamPlanResult(
    ctx,
    plans,
    plans.map((p) => summarizeRepPlan(p, null)),
    request,
    false,
  );
}

/**
 * Commits several reps' plans in one transaction (POST /api/plan/team/commit), planned again now (the preview was
 * advice: accounts, logs and capacities may have changed since). A rep whose plan does not fit is committed over
 * capacity only when named in `acceptOverloadFor`; any other refuses the whole commit (409 naming them with their
 * figures), nothing saved. Ids in `acceptOverloadFor` that are not planned are ignored.
 */
export async function commitTeamPlans(
  ctx: ServiceContext,
  request: TTeamPlanCommit & {
    /** Accept every planned rep's overload (the local CLI's `plan-all --accept-overload`; not in the API). */
    acceptOverload?: boolean;
  },
): Promise<TTeamPlanResult> {
  const accept = {
    acceptOverload: request.acceptOverload === true,
    acceptOverloadFor: request.acceptOverloadFor ?? [],
  };
  const plans = await planAllReps(ctx, { ...request, ...accept });
  const rows = await saveRepPlans(ctx, plans, accept);
  return teamPlanResult(ctx, plans, rows, request, true);
}

/** Bounds the search for the smallest daily capacity that places every touch (plannedOptions). */
const RAISE_SEARCH_LIMIT = 4;

/**
 * The check's options as the planner finds them (issue 4 §6: an option offered as "fits" must commit). The check
 * counts touches against capacity; the planner must also place each touch within ±20% of its interval on a day
 * with room, which peaks (holidays, accounts due together after their last touches, one or two slots a day) can
 * defeat while the totals fit. So when the plan does not fit, every option the totals say fits is planned in
 * memory, and one that still leaves touches unplaced is marked as not fitting, with that count; a raise of the
 * daily capacity is raised further, to the smallest that places that channel's touches. When the totals fit but
 * touches are left unplaced (the check offers nothing), that smallest raise is offered for each channel with
 * unplaced touches. Nothing is stored. Costs a plan build per option, a few for a raise (milliseconds for one
 * rep; the whole workspace as one workload runs off the server's thread, services/off-thread.ts).
 */
function plannedOptions(w: Workload, check: CapacityCheck, plan: Plan): CapacityOption[] {
  if (check.fits && plan.unplaced.length === 0) return check.options;
  const options: CapacityOption[] = [];
  for (const option of check.options) {
    if (option.kind === 'raise-capacity') options.push(smallestRaise(w, option.channel, option.perDay));
    else if (!option.result.fits) options.push(option);
    else {
      const unplaced = planWorkload(withOption(w, option), false).unplaced.length;
      options.push(
        unplaced === 0 ? option : { ...option, result: { ...option.result, fits: false, unplaced } },
      );
    }
  }
  if (check.options.length === 0) {
    for (const channel of ['call', 'visit'] as const) {
      if (!plan.unplaced.some((t) => t.channel === channel)) continue;
      options.push(smallestRaise(w, channel, perDayOf(w.capacity, channel) + 1));
    }
  }
  return options;
}

function perDayOf(capacity: TCapacity, channel: TChannel): number {
  return channel === 'call' ? capacity.callsPerDay : capacity.visitsPerDay;
}

/**
 * The raise of `channel`'s daily capacity, from `from` a day, to the smallest that leaves none of that channel's
 * touches unplaced (searched up to RAISE_SEARCH_LIMIT × from: the step doubles, then halves), with its check and
 * what the plan then leaves unplaced on either channel.
 */
function smallestRaise(w: Workload, channel: TChannel, from: number): CapacityOption {
  const plans = new Map<number, Plan>();
  const planAt = (perDay: number): Plan => {
    let plan = plans.get(perDay);
    if (!plan) {
      plan = planWorkload(withDailyCapacity(w, channel, perDay), false);
      plans.set(perDay, plan);
    }
    return plan;
  };
  const short = (perDay: number) => planAt(perDay).unplaced.some((t) => t.channel === channel);
  const limit = Math.max(from * RAISE_SEARCH_LIMIT, from + 8);
  let low = from - 1;
  let high = from;
  while (short(high) && high < limit) {
    low = high;
    high = Math.min(limit, Math.max(high + 1, high * 2));
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (short(mid)) low = mid;
    else high = mid;
  }
  const raised = checkWorkload(withDailyCapacity(w, channel, high));
  const unplaced = planAt(high).unplaced.length;
  const load = (l: Load): Load => ({ total: l.total, perWorkingDay: l.perWorkingDay, perWeek: l.perWeek });
  return {
    kind: 'raise-capacity',
    channel,
    perDay: high,
    result: {
      fits: raised.fits && unplaced === 0,
      required: { call: load(raised.required.call), visit: load(raised.required.visit) },
      capacity: raised.capacity,
      ...(unplaced > 0 ? { unplaced } : {}),
    },
  };
}

/** The workload with `perDay` touches a day on `channel` (nothing stored). */
function withDailyCapacity(w: Workload, channel: TChannel, perDay: number): Workload {
  return {
    ...w,
    capacity: { ...w.capacity, ...(channel === 'call' ? { callsPerDay: perDay } : { visitsPerDay: perDay }) },
  };
}

/** The workload as it would be with a capacity option applied (nothing stored). */
function withOption(w: Workload, option: CapacityOption): Workload {
  switch (option.kind) {
    case 'demote-a-to-b':
    case 'demote-b-to-c': {
      const to = option.kind === 'demote-a-to-b' ? 'B' : 'C';
      const ids = new Set(option.accountIds);
      return {
        ...w,
        accounts: w.accounts.map((a) => (ids.has(a.id) ? { ...a, tier: to, tierOverride: to } : a)),
      };
    }
    case 'stretch-interval':
      return {
        ...w,
        cadence: w.cadence.map((r) =>
          r.tier === option.tier && r.channel === option.channel
            ? { ...r, intervalMonths: option.intervalMonths }
            : r,
        ),
      };
    case 'raise-capacity':
      return withDailyCapacity(w, option.channel, option.perDay);
  }
}

async function applyOption(ctx: ServiceContext, option: CapacityOption, w: Workload): Promise<void> {
  const at = ctx.now().toISOString();
  switch (option.kind) {
    case 'demote-a-to-b':
    case 'demote-b-to-c': {
      const to = option.kind === 'demote-a-to-b' ? 'B' : 'C';
      await ctx.db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < option.accountIds.length; i += 500) {
          const ids = option.accountIds.slice(i, i + 500);
          await trx
            .updateTable('accounts')
            .set((eb) => ({
              tier: to,
              tier_override: to,
              tier_override_reason: `Capacity option at plan commit: moved to ${to} (lowest potential in its tier) so the plan fits.`,
              tier_override_by: ctx.actor.userId,
              tier_override_at: at,
              updated_at: at,
              version: eb('version', '+', 1),
            }))
            .where('id', 'in', ids)
            .execute();
        }
        await recordAudit(trx, {
          at,
          userId: ctx.actor.userId,
          entity: 'tiers',
          entityId: null,
          action: option.kind,
          after: { count: option.count, accountIds: option.accountIds },
        });
      });
      return;
    }
    case 'stretch-interval':
      await saveCadenceRules(ctx, [
        { tier: option.tier, channel: option.channel, intervalMonths: option.intervalMonths },
      ]);
      return;
    case 'raise-capacity':
      if (w.repId) {
        await ctx.db.kysely.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set((eb) => ({
              ...(option.channel === 'call'
                ? { calls_per_day: option.perDay }
                : { visits_per_day: option.perDay }),
              updated_at: at,
              // The person changed: an edit of theirs made on the version before is refused (services/users.ts).
              version: eb('version', '+', 1),
            }))
            .where('id', '=', w.repId as string)
            .execute();
          await recordAudit(trx, {
            at,
            userId: ctx.actor.userId,
            entity: 'user',
            entityId: w.repId,
            action: 'raise-capacity',
            after: { channel: option.channel, perDay: option.perDay },
          });
        });
      } else {
        await applyWorkspaceSettings(ctx, {
          capacity:
            option.channel === 'call' ? { callsPerDay: option.perDay } : { visitsPerDay: option.perDay },
        });
      }
      return;
  }
}

/**
 * Exclusive end of the latest committed plan covering this rep (their own plan or a workspace-wide one). Read as
 * the latest of each kind, each from plans_rep_created_idx (007-plan-indexes), rather than sorting every plan.
 */
export async function planHorizonEnd(db: Executor, repId: string | null): Promise<LocalDate | null> {
  const latest = (rep: string | null | undefined) => {
    let q = db
      .selectFrom('plans')
      .select(['starts_on', 'months', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(1);
    if (rep !== undefined) q = rep === null ? q.where('rep_id', 'is', null) : q.where('rep_id', '=', rep);
    return q.executeTakeFirst();
  };
  // Without a rep: the latest plan of any kind, as before.
  const own = await latest(repId ?? undefined);
  const everyone = repId ? await latest(null) : undefined;
  const plan = planInForce(own, everyone);
  return plan ? addMonthsToDate(plan.starts_on, plan.months) : null;
}

/**
 * The plan a rep works to: the newer of their own latest plan and the latest plan committed for everyone (all
 * in-market accounts as one workload), whichever was committed last.
 */
export function planInForce<T extends { created_at: string }>(
  own: T | undefined,
  everyone: T | undefined,
): T | undefined {
  return own && everyone ? (everyone.created_at > own.created_at ? everyone : own) : (own ?? everyone);
}
