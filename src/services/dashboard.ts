import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { shiftDate, startOfWeek } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { notFound } from '../domain/errors.ts';
import { ZPipelineStage } from '../schemas/common.ts';
import { type TDashboard, type TDashboardInput, ZDashboardQuery } from '../schemas/dashboard.ts';
import { coveredCondition, tieredInMarket } from '../storage/repositories/account-activity.ts';
import {
  type AccountScope,
  accountIdsInScope,
  accountScopeCondition,
  isUnrestricted,
  teamMemberIds,
} from '../storage/repositories/account-scope.ts';
import { type Executor, filtered } from '../storage/repositories/accounts.ts';
import type { Database, Tier } from '../storage/tables.ts';
import { isUnrestrictedActor, requireSignedIn } from './access.ts';
import { coverageWindow } from './account-activity-context.ts';
import { scopeFor } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { readCadenceRules } from './plan.ts';
import { startOfLocalDay } from './playbook.ts';
import { resolveRep } from './rep-scope.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/*
 * A manager's week (issue 7): planned against logged calls and visits per week, cadence coverage per tier,
 * overdue accounts per rep, the pipeline funnel, the objections met and the team's learning stages, for the
 * caller's scope: everything (admin), the team (manager), one rep (`repId`, or the caller when a rep).
 *
 * Every figure is one aggregate query (GROUP BY) under the account scope of `scopeFor` evaluated in SQL, and
 * every account figure uses the same conditions as the accounts list filter it drills down to
 * (storage/repositories/account-activity.ts and the list's own filters), so the counts agree. One rep's touch
 * figures (planned and done per week, objections met) are the rep's own, not their accounts': the touches planned
 * for them and those they logged, on whichever account, as their goals count them (docs/figures.md).
 */

const TIERS: readonly Tier[] = ['A', 'B', 'C'];
type AccountsEb = ExpressionBuilder<Database, 'accounts'>;

/** Whose figures: null means the caller's whole scope. A rep always gets their own. */
async function chooseRep(ctx: ServiceContext, requested: string | undefined, db: Executor) {
  if (ctx.actor.role !== 'rep' && !requested) return null;
  const repId = (await resolveRep(ctx, requested, db)) as string;
  const user = await db.selectFrom('users').select(['id', 'name']).where('id', '=', repId).executeTakeFirst();
  if (!user) throw notFound('User', repId);
  return user;
}

/** The accounts the figures are about: the caller's scope, narrowed to the chosen rep's own accounts. */
function accountCondition(
  db: Executor,
  eb: AccountsEb,
  scope: AccountScope,
  repId: string | null,
): Expression<SqlBool> {
  const ands: Expression<SqlBool>[] = [];
  if (!isUnrestricted(scope)) ands.push(accountScopeCondition(db, eb, scope));
  if (repId) ands.push(eb('accounts.owner_id', '=', repId));
  return ands.length ? eb.and(ands) : sql<SqlBool>`1 = 1`;
}

/** `case when <value> < <bound 1> then 0 when … else n-1 end`: the week a date or instant falls in. */
function weekIndex(column: string, bounds: readonly string[]) {
  // One week: every row is in it (a CASE without any WHEN is not SQL).
  if (bounds.length < 2) return sql<number>`${sql.lit(0)}`;
  const whens = bounds.slice(1).map((bound, i) => sql`when ${sql.ref(column)} < ${bound} then ${sql.lit(i)}`);
  return sql<number>`case ${sql.join(whens, sql` `)} else ${sql.lit(bounds.length - 1)} end`;
}

export async function getDashboard(ctx: ServiceContext, input: TDashboardInput = {}): Promise<TDashboard> {
  requireSignedIn(ctx);
  const query = ZDashboardQuery.parse(input);
  const db = ctx.db.kysely;
  const { timeZone } = await readWorkspaceSettings(db);
  const today = todayIn(timeZone, ctx.now());
  const rep = await chooseRep(ctx, query.repId, db);
  const repId = rep?.id ?? null;
  const scope = scopeFor(ctx);
  const inScope = (eb: AccountsEb) => accountCondition(db, eb, scope, repId);
  const scopedIds = isUnrestricted(scope) ? null : accountIdsInScope(db, scope);

  // Weeks, Monday to Sunday, in the workspace calendar.
  const lastMonday = startOfWeek(query.to ?? today, 1);
  const mondays = Array.from({ length: query.weeks }, (_, i) =>
    shiftDate(lastMonday, -7 * (query.weeks - 1 - i)),
  );
  const first = mondays[0] as string;
  const end = shiftDate(lastMonday, 7);

  let plannedQuery = db
    .selectFrom('planned_touches as t')
    .select([weekIndex('t.due_on', mondays).as('wk'), 't.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.status', 'in', ['planned', 'done'])
    .where('t.due_on', '>=', first)
    .where('t.due_on', '<', end);
  // One rep's touch figures are theirs wherever the account went since (handed to another rep or team): the touches
  // planned for them and what they logged, as their goals, agenda and day count them (docs/figures.md). The
  // caller may see that rep (chooseRep); the scope's accounts bound only the team's and the workspace's figures.
  if (repId) plannedQuery = plannedQuery.where('t.rep_id', '=', repId);
  else if (scopedIds) plannedQuery = plannedQuery.where('t.account_id', 'in', scopedIds);

  const instants = mondays.map((monday) => startOfLocalDay(monday, timeZone));
  let doneQuery = db
    .selectFrom('activities as a')
    .select([
      weekIndex('a.occurred_at', instants).as('wk'),
      'a.channel',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('a.occurred_at', '>=', instants[0] as string)
    .where('a.occurred_at', '<', startOfLocalDay(end, timeZone));
  if (repId) doneQuery = doneQuery.where('a.user_id', '=', repId);
  else if (scopedIds) doneQuery = doneQuery.where('a.account_id', 'in', scopedIds);

  const rules = await readCadenceRules(db);
  const window = coverageWindow(today, timeZone, rules);
  const coverageQuery = db
    .selectFrom('accounts')
    .select((eb) => [
      'accounts.tier',
      eb.fn.countAll<number>().as('accounts'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(coveredCondition(eb, 'call', window))
            .then(1)
            .else(0)
            .end(),
        )
        .as('calls'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(coveredCondition(eb, 'visit', window))
            .then(1)
            .else(0)
            .end(),
        )
        .as('visits'),
    ])
    .where((eb) => eb.and([tieredInMarket(eb), inScope(eb)]))
    .groupBy('accounts.tier');

  // Overdue and the funnel go through the accounts list's own filters (overdue, ownerId): the drill-down lists
  // exactly the accounts counted here.
  const owner = repId ? { ownerId: repId } : {};
  const overdueQuery = filtered(db, { ...owner, overdue: true }, scope, { today })
    .leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
    .select((eb) => ['accounts.owner_id', 'owner.name', eb.fn.countAll<number>().as('n')])
    .groupBy(['accounts.owner_id', 'owner.name']);

  const funnelQuery = filtered(db, owner, scope)
    .select((eb) => ['accounts.stage', eb.fn.countAll<number>().as('n')])
    .groupBy('accounts.stage');

  let objectionsQuery = db
    .selectFrom('activities as a')
    .innerJoin('objections as o', 'o.id', 'a.objection_id')
    .select((eb) => [
      'o.id',
      'o.code',
      'o.label_zh',
      'o.label_en',
      eb.fn.countAll<number>().as('met'),
      eb.fn.count<number>('a.account_id').distinct().as('accounts'),
    ])
    .where('a.occurred_at', '>=', instants[0] as string)
    .where('a.occurred_at', '<', startOfLocalDay(end, timeZone))
    .groupBy(['o.id', 'o.code', 'o.label_zh', 'o.label_en']);
  if (repId) objectionsQuery = objectionsQuery.where('a.user_id', '=', repId);
  else if (scopedIds) objectionsQuery = objectionsQuery.where('a.account_id', 'in', scopedIds);

  // The reps the caller may choose, and whose learning stages are counted.
  let repsQuery = db
    .selectFrom('users')
    .select(['users.id', 'users.name'])
    .where('users.role', '=', 'rep')
    .where('users.disabled_at', 'is', null);
  if (!isUnrestrictedActor(ctx.actor)) {
    repsQuery =
      ctx.actor.role === 'rep'
        ? repsQuery.where('users.id', '=', ctx.actor.userId as string)
        : repsQuery.where('users.id', 'in', teamMemberIds(db, ctx.actor.userId as string));
  }
  const counted = repId ? repsQuery.where('users.id', '=', repId) : repsQuery;

  const [planned, done, coverage, overdue, funnel, objections, reps, repCount, skillCount, stageRows] =
    await Promise.all([
      plannedQuery.groupBy(sql.ref('wk')).groupBy('t.channel').execute(),
      doneQuery.groupBy(sql.ref('wk')).groupBy('a.channel').execute(),
      coverageQuery.execute(),
      overdueQuery.execute(),
      funnelQuery.execute(),
      objectionsQuery.execute(),
      ctx.actor.role === 'rep'
        ? Promise.resolve([])
        : repsQuery.orderBy('users.name').orderBy('users.id').execute(),
      db
        .selectFrom(counted.as('r'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('skills')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('skill_stages as s')
        .innerJoin('skills as k', 'k.id', 's.skill_id')
        .select((eb) => ['s.stage', eb.fn.countAll<number>().as('n')])
        .where('s.user_id', 'in', counted.clearSelect().select('users.id'))
        .groupBy('s.stage')
        .execute(),
    ]);

  const weeks = mondays.map((monday) => ({
    from: monday,
    to: shiftDate(monday, 6),
    planned: { calls: 0, visits: 0 },
    done: { calls: 0, visits: 0 },
  }));
  for (const [rows, key] of [
    [planned, 'planned'],
    [done, 'done'],
  ] as const) {
    for (const row of rows) {
      const week = weeks[Number(row.wk)];
      if (week) week[key][row.channel === 'call' ? 'calls' : 'visits'] += Number(row.n);
    }
  }

  const table = new Map(coverage.map((row) => [row.tier, row]));
  const cadence = window.since;
  const coverageRows = TIERS.flatMap((tier) =>
    (['call', 'visit'] as const).map((channel) => {
      const row = table.get(tier);
      const accounts = Number(row?.accounts ?? 0);
      const covered = Number((channel === 'call' ? row?.calls : row?.visits) ?? 0);
      const hasCadence = cadence[tier][channel] !== null;
      return {
        tier,
        channel,
        intervalMonths: rules.find((r) => r.tier === tier && r.channel === channel)?.intervalMonths ?? null,
        accounts,
        covered,
        share: accounts > 0 && hasCadence ? covered / accounts : null,
      };
    }),
  );

  const stageCounts = new Map(funnel.map((row) => [row.stage, Number(row.n)]));
  const pairs = Number(repCount.n) * Number(skillCount.n);
  const recorded = new Map(stageRows.map((row) => [Number(row.stage), Number(row.n)]));
  const above = [2, 3, 4].reduce((sum, stage) => sum + (recorded.get(stage) ?? 0), 0);

  return {
    scope: {
      kind: repId ? 'rep' : isUnrestrictedActor(ctx.actor) ? 'workspace' : 'team',
      repId,
      repName: rep?.name ?? null,
    },
    today,
    timeZone,
    from: first,
    to: shiftDate(end, -1),
    reps: reps.map((r) => ({ id: r.id, name: r.name })),
    weeks,
    coverage: coverageRows,
    overdue: {
      accounts: overdue.reduce((sum, row) => sum + Number(row.n), 0),
      byRep: overdue
        .filter((row) => row.owner_id)
        .map((row) => ({ repId: row.owner_id as string, name: row.name ?? '', accounts: Number(row.n) }))
        .sort((a, b) => b.accounts - a.accounts || a.name.localeCompare(b.name)),
    },
    funnel: ZPipelineStage.options.map((stage) => ({ stage, accounts: stageCounts.get(stage) ?? 0 })),
    objections: objections
      .map((row) => ({
        objectionId: row.id,
        code: row.code,
        label: { zh: row.label_zh || row.code, en: row.label_en || row.code },
        met: Number(row.met),
        accounts: Number(row.accounts),
      }))
      .sort((a, b) => b.met - a.met || a.code.localeCompare(b.code)),
    skills: {
      reps: Number(repCount.n),
      skills: Number(skillCount.n),
      stages: [1, 2, 3, 4].map((stage) => ({
        stage,
        count: stage === 1 ? Math.max(0, pairs - above) : (recorded.get(stage) ?? 0),
      })),
    },
  };
}
