import { type RawBuilder, sql } from 'kysely';
import type { LocalDate } from '../../domain/calendar/local-date.ts';
import { todayIn } from '../../domain/calendar/time-zone.ts';
import type { HealthBounds } from '../../domain/plan/health.ts';
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
  q: HealthQuery,
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
  const touchScope =
    q.ownerId === null
      ? sql``
      : sql`and t.account_id in (select a.id from accounts a where a.owner_id = ${q.ownerId})`;
  const activityScope =
    q.ownerId === null
      ? sql``
      : sql`and v.account_id in (select a.id from accounts a where a.owner_id = ${q.ownerId})`;
  const today = sql.lit(q.today);
  const due = perTierChannel(q, (b) => b.dueDays);
  const unplannedBefore = perTierChannel(q, (b) => q.shift(q.planTo, -b.dueDays));
  const behindDays = perTierChannel(q, (b) => b.behindDays);
  const behindAfter = perTierChannel(q, (b) => q.shift(q.planFrom, b.behindDays));
  const aheadGap = perTierChannel(q, (b) => b.aheadGap);
  const neverTouchedDue = q.today < q.planTo ? sql`1 = 1` : sql`1 = 0`;
  const limit = sql.lit(q.limit);
  // A subquery's untyped null, and two unioned ones, are text on PostgreSQL, which a union with a count (bigint)
  // refuses.
  const noCount = sql`cast(null as bigint)`;
  const inMarketQuery = sql<HealthStatementRow>`
    with
    o as (
      -- The first open touch (overdue or not); how many are due from today on, the first and the last of them.
      select t.account_id, t.channel, min(t.due_on) as first_due,
        sum(case when t.due_on >= ${today} then 1 else 0 end) as upcoming,
        min(case when t.due_on >= ${today} then t.due_on end) as first_upcoming, max(t.due_on) as last_due
      from planned_touches t where t.status = 'planned' ${touchScope}
      group by t.account_id, t.channel
    ),
    l as (
      select v.account_id, v.channel, max(v.occurred_at) as last_at from activities v
      where 1 = 1 ${activityScope} group by v.account_id, v.channel
    ),
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
      select f.id, f.tier, f.channel, f.first_due, f.last_on,
        case when f.first_due is null and ${due} is not null
          and ((f.last_on is null and ${neverTouchedDue}) or f.last_on < ${unplannedBefore}) then 1 else 0 end as unplanned,
        case when f.first_due is not null and ${behindDays} is not null and f.first_due > ${behindAfter}
          and (f.last_on is null or ${dayDiff(db, sql.ref('f.first_due'), sql.ref('f.last_on'))} > ${behindDays})
          then 1 else 0 end as behind,
        case when f.upcoming >= 2 and ${aheadGap} is not null
          and ${dayDiff(db, sql.ref('f.last_due'), sql.ref('f.first_upcoming'))} < (f.upcoming - 1) * ${aheadGap}
          then 1 else 0 end as ahead
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
