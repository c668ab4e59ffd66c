import { type RawBuilder, sql } from 'kysely';
import type { LocalDate } from '../../domain/calendar/local-date.ts';
import { todayIn } from '../../domain/calendar/time-zone.ts';
import { type HealthBounds, neverTouchedDue, planExpired } from '../../domain/plan/health.ts';
import type { Db } from '../database.ts';
import type { Channel, Tier } from '../tables.ts';

/** One account and channel as the plan health lists it (the day still to be worked out for `unplanned`). */
export interface HealthRow {
  id: string;
  name: string;
  city: string | null;
  tier: Tier | null;
  channel: Channel;
  reason: 'unplanned' | 'behind' | 'ahead' | 'outOfMarket';
  firstDue: LocalDate | null;
  lastOn: LocalDate | null;
}

export interface HealthAggregate {
  /** Per tier and channel: accounts unplanned, behind and ahead. */
  byTier: { tier: Tier; channel: Channel; unplanned: number; behind: number; ahead: number }[];
  outOfMarket: Record<Channel, number>;
  affected: number;
  /** The first `limit` findings in the listing order (tier, reason, channel, id). */
  rows: HealthRow[];
}

export interface HealthQuery {
  /** Only this owner's accounts; null: every account. */
  ownerId: string | null;
  timeZone: string;
  today: LocalDate;
  planFrom: LocalDate;
  planTo: LocalDate;
  /** Each tier and channel's bounds (null: the cadence plans nothing there), see healthBounds. */
  bounds: (tier: Tier, channel: Channel) => HealthBounds | null;
  /** Added to a day: the day that many days later (shiftDate). */
  shift: (date: LocalDate, days: number) => LocalDate;
  limit: number;
}

const TIERS: readonly Tier[] = ['A', 'B', 'C'];
const CHANNELS: readonly Channel[] = ['call', 'visit'];
const LOCAL_DAY_FUNCTION = 'tierline_local_day';
const registered = new WeakSet<object>();

/** The workspace-local day of an ISO instant column, in SQL (PostgreSQL's time zones; on SQLite a function). */
function localDay(db: Db, column: RawBuilder<unknown>, timeZone: string): RawBuilder<string | null> {
  if (db.dialect === 'sqlite' && db.sqlite) {
    if (!registered.has(db.sqlite)) {
      db.sqlite.function(LOCAL_DAY_FUNCTION, { deterministic: true }, (iso: unknown, zone: unknown) =>
        typeof iso === 'string' && typeof zone === 'string' ? todayIn(zone, new Date(iso)) : null,
      );
      registered.add(db.sqlite);
    }
    return sql<string | null>`${sql.raw(LOCAL_DAY_FUNCTION)}(${column}, ${sql.lit(timeZone)})`;
  }
  return sql<
    string | null
  >`to_char((cast(${column} as timestamptz) at time zone ${sql.lit(timeZone)}), 'YYYY-MM-DD')`;
}

/** Whole days from day `b` to day `a` (both YYYY-MM-DD text). */
function dayDiff(db: Db, a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<number> {
  return db.dialect === 'sqlite'
    ? sql<number>`cast(round(julianday(${a}) - julianday(${b})) as integer)`
    : sql<number>`(cast(${a} as date) - cast(${b} as date))`;
}

/**
 * A constant: a fraction as a double on both databases (PostgreSQL reads a decimal literal as numeric), so that
 * arithmetic with it rounds as JavaScript's does.
 */
function literal(value: string | number): RawBuilder<unknown> {
  return typeof value === 'number' && !Number.isInteger(value)
    ? sql`cast(${sql.lit(value)} as double precision)`
    : sql`${sql.lit(value)}`;
}

/** A CASE over the account's tier and channel: `value` of each with bounds, else null. */
function perTierChannel(
  q: Pick<HealthQuery, 'bounds'>,
  value: (b: HealthBounds, tier: Tier, channel: Channel) => string | number,
): RawBuilder<unknown> {
  const arms: RawBuilder<unknown>[] = [];
  for (const tier of TIERS) {
    for (const channel of CHANNELS) {
      const b = q.bounds(tier, channel);
      if (b)
        arms.push(
          sql`when f.tier = ${sql.lit(tier)} and f.channel = ${sql.lit(channel)} then ${literal(value(b, tier, channel))}`,
        );
    }
  }
  return arms.length ? sql`(case ${sql.join(arms, sql` `)} else null end)` : sql`null`;
}

/** Where the plan in force ends and starts, as the health rules read them per account and channel (`f`). */
interface PlanEdges {
  /** Unplanned: a last touch before this day is due again before the plan's end (the end − the interval). */
  unplannedBefore: RawBuilder<unknown>;
  /** Behind: a first open touch after this day is late even from the plan's first day (the start + behindDays). */
  behindAfter: RawBuilder<unknown>;
  /** Whether an account never touched should hold an open touch (neverTouchedDue in domain/plan/health.ts). */
  neverTouchedDue: RawBuilder<unknown>;
  /**
   * Whether the plan's horizon has ended (planExpired): then an account and channel without an open touch due from
   * today on is unplanned, and not also behind.
   */
  expired: RawBuilder<unknown>;
}

/**
 * The open-touch (`o`: the first open touch, overdue or not; how many are due from today on, the first and the last
 * of them) and last-touch (`l`) CTEs, limited to the accounts `accountIds` selects (a subquery; null: every account).
 * The last touch on the call channel counts a visit that stood in for a planned call (a `skipped` call pointing at it),
 * as loadLastTouches does for the planner and the in-memory rules.
 */
function touchFacts(today: LocalDate, accountIds: RawBuilder<unknown> | null): RawBuilder<unknown> {
  const day = sql.lit(today);
  const touchScope = accountIds === null ? sql`` : sql`and t.account_id in (${accountIds})`;
  const activityScope = accountIds === null ? sql`` : sql`and v.account_id in (${accountIds})`;
  return sql`
    o as (
      select t.account_id, t.channel, min(t.due_on) as first_due,
        sum(case when t.due_on >= ${day} then 1 else 0 end) as upcoming,
        min(case when t.due_on >= ${day} then t.due_on end) as first_upcoming, max(t.due_on) as last_due
      from planned_touches t where t.status = 'planned' ${touchScope}
      group by t.account_id, t.channel
    ),
    l as (
      select u.account_id, u.channel, max(u.last_at) as last_at from (
        select v.account_id, v.channel, max(v.occurred_at) as last_at from activities v
        where 1 = 1 ${activityScope} group by v.account_id, v.channel
        union all
        select t.account_id, t.channel, max(c.occurred_at) as last_at from planned_touches t
        inner join activities c on c.id = t.activity_id
        where t.channel = 'call' and t.status = 'skipped' ${touchScope} group by t.account_id, t.channel
      ) u group by u.account_id, u.channel
    )`;
}

/**
 * The three findings of an in-market account and channel of `f` as 0/1 columns (unplanned, behind, ahead): the rules
 * of the pure `channelHealth`, with each tier and channel's bounds as constants and the plan's edges as given.
 */
function healthFlags(db: Db, q: Pick<HealthQuery, 'bounds'>, edges: PlanEdges): RawBuilder<unknown> {
  const due = perTierChannel(q, (b) => b.dueDays);
  const behindDays = perTierChannel(q, (b) => b.behindDays);
  const aheadGap = perTierChannel(q, (b) => b.aheadGap);
  // An ended plan's account and channel with nothing open from today on (upcoming: null without open touches).
  const uncovered = sql`(${edges.expired} and coalesce(f.upcoming, 0) = 0)`;
  return sql`
        case when ${due} is not null and (${uncovered} or (f.first_due is null
          and ((f.last_on is null and ${edges.neverTouchedDue}) or f.last_on < ${edges.unplannedBefore}))) then 1 else 0 end as unplanned,
        case when f.first_due is not null and ${behindDays} is not null and f.first_due > ${edges.behindAfter}
          and (f.last_on is null or ${dayDiff(db, sql.ref('f.first_due'), sql.ref('f.last_on'))} > ${behindDays})
          and not ${uncovered}
          then 1 else 0 end as behind,
        case when f.upcoming >= 2 and ${aheadGap} is not null
          and ${dayDiff(db, sql.ref('f.last_due'), sql.ref('f.first_upcoming'))} < (f.upcoming - 1) * ${aheadGap}
          then 1 else 0 end as ahead`;
}

/** A row of the one statement per part: a count per tier and channel, the accounts affected, or a listed finding. */
interface HealthStatementRow {
  kind: 'count' | 'affected' | 'entry';
  tier: Tier | null;
  channel: Channel | null;
  unplanned: number | string | null;
  behind: number | string | null;
  ahead: number | string | null;
  id: string | null;
  name: string | null;
  city: string | null;
  reason: string | null;
  first_due: string | null;
  last_on: string | null;
}

/**
 * The plan health of every in-market account (or one owner's) in SQL, for a workspace too big to read account by
 * account: the same rules as the pure `channelHealth` (domain/plan/health.ts), with each tier and channel's bounds
 * as constants. One statement for the accounts in the market (one grouped pass over the open touches and one over
 * the logged touches: the counts, the accounts affected and the first findings from one materialized set) and one for the accounts outside it that still hold open touches.
 */
export async function aggregatePlanHealth(db: Db, q: HealthQuery): Promise<HealthAggregate> {
  const k = db.kysely;
  const owner = q.ownerId === null ? sql`` : sql`and a.owner_id = ${q.ownerId}`;
  const ownedIds =
    q.ownerId === null ? null : sql`select a.id from accounts a where a.owner_id = ${q.ownerId}`;
  const flags = healthFlags(db, q, {
    unplannedBefore: perTierChannel(q, (b) => q.shift(q.planTo, -b.dueDays)),
    behindAfter: perTierChannel(q, (b) => q.shift(q.planFrom, b.behindDays)),
    neverTouchedDue: sql`${perTierChannel(q, (b) => (neverTouchedDue({ from: q.planFrom, to: q.planTo }, q.today, b) ? 1 : 0))} = 1`,
    expired: sql`${sql.lit(planExpired({ from: q.planFrom, to: q.planTo }, q.today) ? 1 : 0)} = 1`,
  });
  const limit = sql.lit(q.limit);
  // A subquery's untyped null, and two unioned ones, are text on PostgreSQL, which a union with a count (bigint)
  // refuses.
  const noCount = sql`cast(null as bigint)`;
  const inMarketQuery = sql<HealthStatementRow>`
    with
    ${touchFacts(q.today, ownedIds)},
    f as (
      select a.id, a.tier, c.channel, o.first_due, o.upcoming, o.first_upcoming, o.last_due,
        ${localDay(db, sql.ref('l.last_at'), q.timeZone)} as last_on
      from accounts a
      cross join (select 'call' as channel union all select 'visit' as channel) c
      left join o on o.account_id = a.id and o.channel = c.channel
      left join l on l.account_id = a.id and l.channel = c.channel
      where a.in_market = 1 and a.tier is not null ${owner}
    ),
    h as materialized (
      select f.id, f.tier, f.channel, f.first_due, f.last_on, ${flags}
      from f
    ),
    e as (
      select h.id, h.tier, h.channel, 'unplanned' as reason, 0 as reason_rank, h.first_due, h.last_on from h where h.unplanned = 1
      union all
      select h.id, h.tier, h.channel, 'behind' as reason, 1 as reason_rank, h.first_due, h.last_on from h where h.behind = 1
      union all
      select h.id, h.tier, h.channel, 'ahead' as reason, 2 as reason_rank, h.first_due, h.last_on from h where h.ahead = 1
    )
    select 'count' as kind, h.tier, h.channel, sum(h.unplanned) as unplanned, sum(h.behind) as behind,
      sum(h.ahead) as ahead, null as id, null as name, null as city, null as reason, null as first_due, null as last_on
    from h group by h.tier, h.channel
    union all
    select 'affected' as kind, null, null, count(distinct h.id), null, null, null, null, null, null, null, null
    from h where h.unplanned = 1 or h.behind = 1 or h.ahead = 1
    union all
    select * from (
      select 'entry' as kind, e.tier, e.channel, ${noCount}, ${noCount}, ${noCount}, e.id, a.name, a.city, e.reason,
        e.first_due, e.last_on
      from e inner join accounts a on a.id = e.id
      order by e.tier, e.reason_rank, e.channel, e.id
      limit ${limit}
    ) listed`;
  const inMarket = await inMarketQuery.execute(k);

  // Accounts outside the market (or without a tier) that still hold open touches.
  const outside = await sql<HealthStatementRow>`
    with x as materialized (
      select a.id, a.name, a.city, t.channel, min(t.due_on) as first_due
      from planned_touches t inner join accounts a on a.id = t.account_id
      where t.status = 'planned' and (a.in_market <> 1 or a.tier is null) ${owner}
      group by a.id, a.name, a.city, t.channel
    )
    select 'count' as kind, null as tier, x.channel, count(*) as unplanned, ${noCount} as behind, ${noCount} as ahead,
      null as id, null as name, null as city, null as reason, null as first_due, null as last_on
    from x group by x.channel
    union all
    select 'affected' as kind, null, null, count(distinct x.id), ${noCount}, ${noCount}, null, null, null, null, null,
      null
    from x
    union all
    select * from (
      select 'entry' as kind, null, x.channel, ${noCount}, ${noCount}, ${noCount}, x.id, x.name, x.city, 'outOfMarket',
        x.first_due, null
      from x order by x.channel, x.id limit ${limit}
    ) listed`.execute(k);

  const result: HealthAggregate = { byTier: [], outOfMarket: { call: 0, visit: 0 }, affected: 0, rows: [] };
  for (const r of inMarket.rows) {
    if (r.kind === 'count' && r.tier && r.channel) {
      result.byTier.push({
        tier: r.tier,
        channel: r.channel,
        unplanned: Number(r.unplanned ?? 0),
        behind: Number(r.behind ?? 0),
        ahead: Number(r.ahead ?? 0),
      });
    } else if (r.kind === 'affected') result.affected += Number(r.unplanned ?? 0);
  }
  for (const r of outside.rows) {
    if (r.kind === 'count' && r.channel) result.outOfMarket[r.channel] = Number(r.unplanned ?? 0);
    else if (r.kind === 'affected') result.affected += Number(r.unplanned ?? 0);
  }
  // The listing order (tier, reason, channel, id) in JS too: a compound select's rows come in no promised order.
  const entries = (rows: readonly HealthStatementRow[]) =>
    rows
      .filter((r) => r.kind === 'entry')
      .map(
        (r): HealthRow => ({
          id: r.id as string,
          name: r.name as string,
          city: r.city,
          tier: r.tier,
          channel: r.channel as Channel,
          reason: r.reason as HealthRow['reason'],
          firstDue: r.first_due,
          lastOn: r.last_on,
        }),
      );
  const reasonRank = { unplanned: 0, behind: 1, ahead: 2, outOfMarket: 3 } as const;
  const byOrder = (a: HealthRow, b: HealthRow) =>
    (a.tier ?? 'Z').localeCompare(b.tier ?? 'Z') ||
    reasonRank[a.reason] - reasonRank[b.reason] ||
    a.channel.localeCompare(b.channel) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  result.rows = [...entries(inMarket.rows), ...entries(outside.rows)].sort(byOrder).slice(0, q.limit);
  return result;
}

/** One owner's plan in force, as aggregatePlanHealthByOwner judges their accounts against it. */
export interface OwnerPlan {
  ownerId: string;
  planFrom: LocalDate;
  /** Exclusive end of the horizon. */
  planTo: LocalDate;
}

export interface OwnerHealthQuery {
  /** Each owner with the plan in force for them; owners without a plan are left out (nothing is counted). */
  owners: readonly OwnerPlan[];
  timeZone: string;
  today: LocalDate;
  bounds: HealthQuery['bounds'];
  shift: HealthQuery['shift'];
}

/** One owner's plan health in counts (no listing): aggregatePlanHealth's figures, and accounts per reason. */
export interface OwnerHealth {
  byTier: HealthAggregate['byTier'];
  outOfMarket: Record<Channel, number>;
  affected: number;
  /** Accounts with each finding (on either channel), each counted once per reason. */
  accounts: Record<'unplanned' | 'behind' | 'ahead' | 'outOfMarket', number>;
}

/** How many owners one statement takes (six VALUES rows and parameters each). */
const OWNER_CHUNK = 400;

interface OwnerStatementRow {
  kind: 'count' | 'accounts';
  owner_id: string;
  tier: Tier | null;
  channel: Channel | null;
  unplanned: number | string | null;
  behind: number | string | null;
  ahead: number | string | null;
  affected: number | string | null;
}

interface OwnerOutsideRow {
  owner_id: string;
  calls: number | string | null;
  visits: number | string | null;
  accounts: number | string | null;
}

export function emptyOwnerHealth(): OwnerHealth {
  return {
    byTier: [],
    outOfMarket: { call: 0, visit: 0 },
    affected: 0,
    accounts: { unplanned: 0, behind: 0, ahead: 0, outOfMarket: 0 },
  };
}

/**
 * The plan health of many owners at once, each against their own plan in force, with the rules of
 * aggregatePlanHealth (healthFlags). Each owner's plan edges come as a VALUES list `p` (owner, tier, channel, the
 * day before which a last touch is unplanned, the day after which a first open touch is behind, whether an account
 * never touched is due, whether the plan has ended), worked out here from the owner's plan as aggregatePlanHealth
 * works out its constants, and joined to the owner's in-market accounts by owner, tier and channel. Two statements
 * per 400 owners, whatever the number of accounts: one grouped pass over the in-market accounts (counts per owner,
 * tier and channel; accounts per owner and reason) and one over the accounts outside the market with open touches.
 */
export async function aggregatePlanHealthByOwner(
  db: Db,
  q: OwnerHealthQuery,
): Promise<Map<string, OwnerHealth>> {
  const result = new Map<string, OwnerHealth>();
  for (const o of q.owners) result.set(o.ownerId, emptyOwnerHealth());
  for (let i = 0; i < q.owners.length; i += OWNER_CHUNK) {
    await ownerChunk(db, q, q.owners.slice(i, i + OWNER_CHUNK), result);
  }
  return result;
}

async function ownerChunk(
  db: Db,
  q: OwnerHealthQuery,
  owners: readonly OwnerPlan[],
  result: Map<string, OwnerHealth>,
): Promise<void> {
  const k = db.kysely;
  const rows: RawBuilder<unknown>[] = [];
  for (const o of owners) {
    for (const tier of TIERS) {
      for (const channel of CHANNELS) {
        const b = q.bounds(tier, channel);
        if (!b) continue;
        const plan = { from: o.planFrom, to: o.planTo };
        const neverDue = neverTouchedDue(plan, q.today, b) ? 1 : 0;
        const expired = planExpired(plan, q.today) ? 1 : 0;
        rows.push(
          sql`(${o.ownerId}, ${sql.lit(tier)}, ${sql.lit(channel)}, ${sql.lit(q.shift(o.planTo, -b.dueDays))}, ${sql.lit(q.shift(o.planFrom, b.behindDays))}, ${sql.lit(neverDue)}, ${sql.lit(expired)})`,
        );
      }
    }
  }
  const ownerIds = sql.join(owners.map((o) => sql`${o.ownerId}`));
  if (rows.length > 0) {
    const flags = healthFlags(db, q, {
      unplannedBefore: sql.ref('f.unplanned_before'),
      behindAfter: sql.ref('f.behind_after'),
      neverTouchedDue: sql`f.never_due = 1`,
      expired: sql`f.expired = 1`,
    });
    const noCount = sql`cast(null as bigint)`;
    const inMarket = await sql<OwnerStatementRow>`
      with
      p (owner_id, tier, channel, unplanned_before, behind_after, never_due, expired) as (values ${sql.join(rows)}),
      ${touchFacts(q.today, sql`select a.id from accounts a where a.owner_id in (${ownerIds})`)},
      f as (
        select a.id, a.owner_id, a.tier, c.channel, o.first_due, o.upcoming, o.first_upcoming, o.last_due,
          ${localDay(db, sql.ref('l.last_at'), q.timeZone)} as last_on,
          p.unplanned_before, p.behind_after, p.never_due, p.expired
        from accounts a
        cross join (select 'call' as channel union all select 'visit' as channel) c
        inner join p on p.owner_id = a.owner_id and p.tier = a.tier and p.channel = c.channel
        left join o on o.account_id = a.id and o.channel = c.channel
        left join l on l.account_id = a.id and l.channel = c.channel
        where a.in_market = 1 and a.tier is not null and a.owner_id in (${ownerIds})
      ),
      h as materialized (
        select f.id, f.owner_id, f.tier, f.channel, ${flags}
        from f
      )
      select 'count' as kind, h.owner_id, h.tier, h.channel, sum(h.unplanned) as unplanned, sum(h.behind) as behind,
        sum(h.ahead) as ahead, ${noCount} as affected
      from h group by h.owner_id, h.tier, h.channel
      union all
      select 'accounts' as kind, h.owner_id, null, null,
        count(distinct case when h.unplanned = 1 then h.id end),
        count(distinct case when h.behind = 1 then h.id end),
        count(distinct case when h.ahead = 1 then h.id end),
        count(distinct case when h.unplanned = 1 or h.behind = 1 or h.ahead = 1 then h.id end)
      from h group by h.owner_id`.execute(k);
    for (const r of inMarket.rows) {
      const health = result.get(r.owner_id);
      if (!health) continue;
      if (r.kind === 'count' && r.tier && r.channel) {
        health.byTier.push({
          tier: r.tier,
          channel: r.channel,
          unplanned: Number(r.unplanned ?? 0),
          behind: Number(r.behind ?? 0),
          ahead: Number(r.ahead ?? 0),
        });
      } else if (r.kind === 'accounts') {
        health.accounts.unplanned = Number(r.unplanned ?? 0);
        health.accounts.behind = Number(r.behind ?? 0);
        health.accounts.ahead = Number(r.ahead ?? 0);
        health.affected += Number(r.affected ?? 0);
      }
    }
  }

  // Accounts outside the market (or without a tier) that still hold open touches, per owner and channel.
  const outside = await sql<OwnerOutsideRow>`
    with x as (
      select a.owner_id, a.id, t.channel
      from planned_touches t inner join accounts a on a.id = t.account_id
      where t.status = 'planned' and (a.in_market <> 1 or a.tier is null) and a.owner_id in (${ownerIds})
      group by a.owner_id, a.id, t.channel
    )
    select x.owner_id, sum(case when x.channel = 'call' then 1 else 0 end) as calls,
      sum(case when x.channel = 'visit' then 1 else 0 end) as visits, count(distinct x.id) as accounts
    from x group by x.owner_id`.execute(k);
  for (const r of outside.rows) {
    const health = result.get(r.owner_id);
    if (!health) continue;
    health.outOfMarket = { call: Number(r.calls ?? 0), visit: Number(r.visits ?? 0) };
    health.accounts.outOfMarket = Number(r.accounts ?? 0);
    health.affected += Number(r.accounts ?? 0);
  }
}
