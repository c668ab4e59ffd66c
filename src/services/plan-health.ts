import { sql } from 'kysely';
import { resolveCadence } from '../domain/cadence/cadence-rules.ts';
import { addMonthsToDate, type LocalDate, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import {
  emptyHealthCounts,
  HEALTH_LIST_LIMIT,
  type HealthAccount,
  type HealthCounts,
  type HealthEntry,
  healthBounds,
  planExpired,
  planHealth as planHealthOf,
} from '../domain/plan/health.ts';
import type {
  TPlanHealth,
  TPlanHealthQuery,
  TTeamPlanHealth,
  TTeamPlanHealthRep,
} from '../schemas/plan-api.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { loadLastTouches } from '../storage/repositories/plan.ts';
import {
  aggregatePlanHealth,
  aggregatePlanHealthByOwner,
  emptyOwnerHealth,
  type HealthAggregate,
  type OwnerPlan,
} from '../storage/repositories/plan-health.ts';
import type { Channel, Tier } from '../storage/tables.ts';
import { isUnrestrictedActor, requireRole } from './access.ts';
import type { ServiceContext } from './context.ts';
import { planInForce, readCadenceRules } from './plan.ts';
import { resolveRep } from './rep-scope.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

interface PlanRow {
  id: string;
  starts_on: string;
  months: number;
  created_at: string;
}

/**
 * The plan in force for a rep (their own latest or the latest plan of every account, whichever is newer, as
 * planHorizonEnd reads it); without a rep, the latest plan of any kind.
 */
async function planInForceFor(db: Executor, repId: string | null): Promise<PlanRow | undefined> {
  const latest = (rep: string | null | undefined) => {
    let q = db
      .selectFrom('plans')
      .select(['id', 'starts_on', 'months', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1);
    if (rep !== undefined) q = rep === null ? q.where('rep_id', 'is', null) : q.where('rep_id', '=', rep);
    return q.executeTakeFirst();
  };
  if (!repId) return latest(undefined);
  return planInForce(await latest(repId), await latest(null));
}

/**
 * Whether the committed plan still covers the market (docs/figures.md, "Plan health"): the in-market accounts
 * without an open touch due in the plan, those planned further apart or closer together than their tier's cadence,
 * and accounts outside the market still holding open touches. The scope is the committed plan's (resolveRep): a
 * rep's own accounts, a team member's for their manager, every account for an admin without a rep. A rep's
 * accounts are read and judged one by one (domain/plan/health.ts); every account's in SQL aggregates. A plan whose
 * horizon has ended is `expired` and never in step: it covers nothing from today on.
 */
export async function planHealth(ctx: ServiceContext, query: TPlanHealthQuery): Promise<TPlanHealth> {
  const db = ctx.db.kysely;
  const repId = await resolveRep(ctx, query.repId, db);
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  const row = await planInForceFor(db, repId);
  if (!row) {
    return {
      repId,
      today,
      plan: null,
      expired: false,
      inStep: true,
      affected: 0,
      counts: emptyHealthCounts(),
      accounts: [],
    };
  }
  const plan = { from: row.starts_on, to: addMonthsToDate(row.starts_on, Number(row.months)) };
  const cadence = resolveCadence(await readCadenceRules(db));
  const summary = repId
    ? planHealthOf(await loadHealthAccounts(db, repId, settings.timeZone), cadence, plan, today)
    : await aggregateHealth(ctx, {
        ownerId: null,
        timeZone: settings.timeZone,
        today,
        plan,
        bounds: (tier, channel) => healthBounds(cadence, tier, channel),
      });
  const expired = planExpired(plan, today);
  return {
    repId,
    today,
    plan: { id: row.id, from: plan.from, to: plan.to, committedAt: row.created_at },
    expired,
    inStep: !expired && summary.affected === 0,
    affected: summary.affected,
    counts: summary.counts,
    accounts: summary.entries,
  };
}

/** The owner's accounts with their last touch per channel and open touches, as planHealth reads them. */
async function loadHealthAccounts(db: Executor, ownerId: string, timeZone: string): Promise<HealthAccount[]> {
  const [rows, last, open] = await Promise.all([
    db
      .selectFrom('accounts')
      .select(['id', 'name', 'tier', 'city', 'in_market'])
      .where('owner_id', '=', ownerId)
      .orderBy('id')
      .execute(),
    loadLastTouches(db, ownerId),
    db
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['t.account_id', 't.channel', 't.due_on'])
      .where('a.owner_id', '=', ownerId)
      .where('t.status', '=', 'planned')
      .orderBy('t.due_on')
      .execute(),
  ]);
  const openOf = new Map<string, Partial<Record<Channel, LocalDate[]>>>();
  for (const t of open) {
    const entry = openOf.get(t.account_id) ?? {};
    const days = entry[t.channel] ?? [];
    days.push(t.due_on);
    entry[t.channel] = days;
    openOf.set(t.account_id, entry);
  }
  const accounts: HealthAccount[] = [];
  for (const r of rows) {
    const inMarket = r.in_market === 1 && r.tier !== null;
    const touches = openOf.get(r.id) ?? {};
    // Outside the market only the accounts still holding open touches matter.
    if (!inMarket && !touches.call && !touches.visit) continue;
    const lastAt = last.get(r.id) ?? {};
    const lastOn: Partial<Record<Channel, LocalDate>> = {};
    for (const channel of ['call', 'visit'] as const) {
      const at = lastAt[channel];
      if (at) lastOn[channel] = todayIn(timeZone, new Date(at));
    }
    accounts.push({
      id: r.id,
      name: r.name,
      tier: inMarket ? r.tier : null,
      city: r.city,
      lastOn,
      open: touches,
    });
  }
  return accounts;
}

/** The same summary as the pure planHealth, from SQL aggregates (aggregatePlanHealth). */
export async function aggregateHealth(
  ctx: ServiceContext,
  q: {
    ownerId: string | null;
    timeZone: string;
    today: LocalDate;
    plan: { from: LocalDate; to: LocalDate };
    bounds: (tier: Tier, channel: Channel) => ReturnType<typeof healthBounds>;
  },
): Promise<{ counts: HealthCounts; affected: number; entries: HealthEntry[] }> {
  const result = await aggregatePlanHealth(ctx.db, {
    ownerId: q.ownerId,
    timeZone: q.timeZone,
    today: q.today,
    planFrom: q.plan.from,
    planTo: q.plan.to,
    bounds: q.bounds,
    shift: shiftDate,
    limit: HEALTH_LIST_LIMIT,
  });
  const counts = healthCountsOf(result);
  const entries: HealthEntry[] = result.rows.map((r) => {
    const bounds = r.tier ? q.bounds(r.tier, r.channel) : null;
    const nextDue =
      r.reason === 'unplanned'
        ? r.lastOn === null
          ? q.today
          : shiftDate(r.lastOn, bounds?.dueDays ?? 0)
        : (r.firstDue as LocalDate);
    return {
      id: r.id,
      name: r.name,
      tier: r.tier,
      city: r.city,
      channel: r.channel,
      reason: r.reason,
      nextDue,
    };
  });
  return { counts, affected: result.affected, entries };
}

interface RepPlanRow extends PlanRow {
  rep_id: string | null;
}

const CHUNK = 500;

/**
 * The plan in force for each rep, as planInForceFor reads it for one: the newer of their own latest plan and the
 * latest plan of every account (ties on the commit time: the greater id). Two statements per 500 reps.
 */
async function plansInForceFor(db: Executor, repIds: readonly string[]): Promise<Map<string, RepPlanRow>> {
  const columns = ['id', 'rep_id', 'starts_on', 'months', 'created_at'] as const;
  const everyone: RepPlanRow | undefined = await db
    .selectFrom('plans')
    .select(columns)
    .where('rep_id', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const own = new Map<string, RepPlanRow>();
  for (let i = 0; i < repIds.length; i += CHUNK) {
    const ids = repIds.slice(i, i + CHUNK);
    const latest = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('plans')
          .select([
            ...columns,
            sql<number>`row_number() over (partition by rep_id order by created_at desc, id desc)`.as('rn'),
          ])
          .where('rep_id', 'in', ids)
          .as('ranked'),
      )
      .select(columns.map((c) => `ranked.${c}` as const))
      .where('ranked.rn', '=', 1)
      .execute();
    for (const r of latest) if (r.rep_id) own.set(r.rep_id, r);
  }
  const plans = new Map<string, RepPlanRow>();
  for (const repId of repIds) {
    const plan = planInForce(own.get(repId), everyone);
    if (plan) plans.set(repId, plan);
  }
  return plans;
}

/**
 * Each rep's plan health in one line, for a manager (their team's reps) or an admin (every rep): the reps the
 * dashboard lists (active reps; a manager's team members), each against the plan in force for them. The same
 * figures as planHealth(ctx, { repId }) for each, counted for all reps at once in SQL (aggregatePlanHealthByOwner),
 * not rep by rep. A rep is refused (403): their own health is GET /api/plan/health.
 */
export async function teamPlanHealth(ctx: ServiceContext): Promise<TTeamPlanHealth> {
  requireRole(ctx, ['admin', 'manager'], "see every rep's plan health");
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  const unrestricted = isUnrestrictedActor(ctx.actor);
  let repsQuery = db
    .selectFrom('users')
    .select(['users.id', 'users.name'])
    .where('users.role', '=', 'rep')
    .where('users.disabled_at', 'is', null);
  if (!unrestricted)
    repsQuery = repsQuery.where('users.id', 'in', teamMemberIds(db, ctx.actor.userId as string));
  const reps = await repsQuery.orderBy('users.name').orderBy('users.id').execute();
  const plans = await plansInForceFor(
    db,
    reps.map((r) => r.id),
  );
  const cadence = resolveCadence(await readCadenceRules(db));
  const owners: OwnerPlan[] = [];
  for (const [ownerId, plan] of plans) {
    owners.push({
      ownerId,
      planFrom: plan.starts_on,
      planTo: addMonthsToDate(plan.starts_on, Number(plan.months)),
    });
  }
  const health = await aggregatePlanHealthByOwner(ctx.db, {
    owners,
    timeZone: settings.timeZone,
    today,
    bounds: (tier, channel) => healthBounds(cadence, tier, channel),
    shift: shiftDate,
  });
  const rows: TTeamPlanHealthRep[] = reps.map((rep) => {
    const plan = plans.get(rep.id);
    const h = health.get(rep.id) ?? emptyOwnerHealth();
    const counts = healthCountsOf(h);
    const to = plan ? addMonthsToDate(plan.starts_on, Number(plan.months)) : null;
    const expired = plan !== undefined && to !== null && planExpired({ from: plan.starts_on, to }, today);
    return {
      repId: rep.id,
      name: rep.name,
      plan: plan
        ? {
            id: plan.id,
            scope: plan.rep_id === null ? 'workspace' : 'rep',
            from: plan.starts_on,
            to: to as string,
            committedAt: plan.created_at,
          }
        : null,
      expired,
      inStep: !expired && h.affected === 0,
      affected: h.affected,
      accounts: h.accounts,
      counts,
    };
  });
  rows.sort(
    (a, b) =>
      b.affected - a.affected ||
      a.name.localeCompare(b.name) ||
      (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0),
  );
  return { today, scope: unrestricted ? 'workspace' : 'team', reps: rows };
}

/** The health counts from the SQL aggregates' rows per tier and channel and their out-of-market counts. */
function healthCountsOf(aggregate: Pick<HealthAggregate, 'byTier' | 'outOfMarket'>): HealthCounts {
  const counts = emptyHealthCounts();
  for (const r of aggregate.byTier) {
    counts.unplanned[r.channel][r.tier] = r.unplanned;
    counts.behind[r.channel][r.tier] = r.behind;
    counts.ahead[r.channel][r.tier] = r.ahead;
  }
  counts.outOfMarket = aggregate.outOfMarket;
  return counts;
}
