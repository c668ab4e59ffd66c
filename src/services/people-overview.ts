import { todayIn } from '../domain/calendar/time-zone.ts';
import type { TPeopleOverview, TPersonOverview } from '../schemas/people.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { listUserRows, userFromRow } from '../storage/repositories/people.ts';
import { viewerOf } from './access.ts';
import type { ServiceContext } from './context.ts';
import { planInForce, storedHolidays } from './plan.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

// The Team page: the people the actor may see (the same rule as GET /api/users) with their team, territories,
// capacity and, for those whose work the actor may follow, accounts owned, the plan in force (planInForce, as the
// Plan page shows it), open and overdue touches and days off. Admins see everyone's numbers, managers their
// team's, a rep only their own.

const CHUNK = 500;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

function parseDates(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

async function territoriesOf(db: Executor, repIds: string[]) {
  const byRep = new Map<string, { id: string; name: string }[]>();
  for (const ids of chunks(repIds)) {
    const rows = await db
      .selectFrom('territories')
      .select(['id', 'name', 'rep_id'])
      .where('rep_id', 'in', ids)
      .orderBy('name')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      if (!r.rep_id) continue;
      const list = byRep.get(r.rep_id) ?? [];
      list.push({ id: r.id, name: r.name });
      byRep.set(r.rep_id, list);
    }
  }
  return byRep;
}

async function accountCounts(db: Executor, ownerIds: string[]) {
  const counts = new Map<string, number>();
  for (const ids of chunks(ownerIds)) {
    const rows = await db
      .selectFrom('accounts')
      .select((eb) => ['owner_id', eb.fn.countAll<number | string>().as('n')])
      .where('owner_id', 'in', ids)
      .groupBy('owner_id')
      .execute();
    for (const r of rows) if (r.owner_id) counts.set(r.owner_id, Number(r.n));
  }
  return counts;
}

async function openTouches(db: Executor, repIds: string[], today: string) {
  const counts = new Map<string, { ahead: number; overdue: number }>();
  for (const ids of chunks(repIds)) {
    const rows = await db
      .selectFrom('planned_touches')
      .select((eb) => [
        'rep_id',
        eb.fn.countAll<number | string>().as('total'),
        eb.fn
          .sum<number | string | null>(eb.case().when('due_on', '<', today).then(1).else(0).end())
          .as('overdue'),
      ])
      .where('rep_id', 'in', ids)
      .where('status', '=', 'planned')
      .groupBy('rep_id')
      .execute();
    for (const r of rows) {
      if (!r.rep_id) continue;
      const overdue = Number(r.overdue ?? 0);
      counts.set(r.rep_id, { ahead: Number(r.total) - overdue, overdue });
    }
  }
  return counts;
}

type LastPlan = NonNullable<NonNullable<TPersonOverview['work']>['lastPlan']>;

interface PlanRow {
  id: string;
  rep_id: string | null;
  created_at: string;
  starts_on: string;
  months: number | string;
  accepted_overload: number | boolean;
}

/**
 * The plan in force for each of these people, as the Plan page and the agenda's re-plans read it (`planInForce`):
 * their own latest plan, or the latest plan of every account when that one is newer (or they have none).
 */
async function plansInForce(db: Executor, repIds: string[]) {
  const columns = [
    'p.id',
    'p.rep_id',
    'p.created_at',
    'p.starts_on',
    'p.months',
    'p.accepted_overload',
  ] as const;
  const everyone: PlanRow | undefined = await db
    .selectFrom('plans as p')
    .select(columns)
    .where('p.rep_id', 'is', null)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const own = new Map<string, PlanRow>();
  for (const ids of chunks(repIds)) {
    const latest = db
      .selectFrom('plans')
      .select((eb) => ['rep_id', eb.fn.max('created_at').as('latest')])
      .where('rep_id', 'in', ids)
      .groupBy('rep_id')
      .as('latest');
    const rows = await db
      .selectFrom('plans as p')
      .innerJoin(latest, (join) =>
        join.onRef('latest.rep_id', '=', 'p.rep_id').onRef('latest.latest', '=', 'p.created_at'),
      )
      .select(columns)
      .orderBy('p.id', 'desc')
      .execute();
    for (const r of rows) if (r.rep_id && !own.has(r.rep_id)) own.set(r.rep_id, r);
  }
  const plans = new Map<string, LastPlan>();
  for (const repId of repIds) {
    const plan = planInForce(own.get(repId), everyone);
    if (!plan) continue;
    plans.set(repId, {
      id: plan.id,
      scope: plan.rep_id === null ? 'workspace' : 'rep',
      createdAt: plan.created_at,
      startsOn: plan.starts_on,
      months: Number(plan.months),
      acceptedOverload: Boolean(plan.accepted_overload),
    });
  }
  return plans;
}

async function teamNames(db: Executor, teamIds: string[]) {
  const names = new Map<string, string>();
  for (const ids of chunks(teamIds)) {
    const rows = await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/** Everyone on the Team page the actor may see, with what the actor may know of their work. */
export async function peopleOverview(ctx: ServiceContext): Promise<TPeopleOverview> {
  const viewer = viewerOf(ctx);
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  const rows = await listUserRows(db, viewer);
  // A rep reads their team's names and roles, but only their own numbers and territory.
  const followed = rows.filter((r) => viewer?.role !== 'rep' || r.id === viewer.userId).map((r) => r.id);
  const [territories, accounts, touches, plans, teams] = await Promise.all([
    territoriesOf(db, followed),
    accountCounts(db, followed),
    openTouches(db, followed, today),
    plansInForce(db, followed),
    teamNames(db, [...new Set(rows.map((r) => r.team_id).filter((id): id is string => id !== null))]),
  ]);
  const following = new Set(followed);
  const items = rows.map((row): TPersonOverview => {
    const open = touches.get(row.id) ?? { ahead: 0, overdue: 0 };
    return {
      ...userFromRow(row),
      teamName: row.team_id ? (teams.get(row.team_id) ?? null) : null,
      territories: territories.get(row.id) ?? [],
      capacity: {
        callsPerDay: row.calls_per_day ?? settings.capacity.callsPerDay,
        visitsPerDay: row.visits_per_day ?? settings.capacity.visitsPerDay,
        fromWorkspace: row.calls_per_day === null && row.visits_per_day === null,
      },
      work: following.has(row.id)
        ? {
            accountCount: accounts.get(row.id) ?? 0,
            plannedAhead: open.ahead,
            overdue: open.overdue,
            daysOff: parseDates(row.days_off).filter((date) => date >= today),
            holidays: storedHolidays(row.holiday_country),
            lastPlan: plans.get(row.id) ?? null,
          }
        : null,
    };
  });
  return { today, items };
}
