import { type Kysely, sql } from 'kysely';
import type { Db } from '../database.ts';
import { newIdSequence } from '../ids.ts';
import { createIndexes, dropSecondaryIndexes, kyselyRunner } from '../index-rebuild.ts';
import type { Channel, Database, Tier } from '../tables.ts';
import type { Executor } from './accounts.ts';

export interface PlanAccountRow {
  id: string;
  tier: Tier | null;
  tierOverride: Tier | null;
  city: string | null;
  district: string | null;
  score: number | null;
  ownerId: string | null;
}

/**
 * In-market accounts of one owner (or all), with what the planner needs, ordered by id.
 *
 * For one owner only the owner is filtered in SQL and in-market in code: given `in_market = 1 and tier is not
 * null` SQLite prefers accounts_market_tier_idx (two terms) over accounts_owner_idx and reads every in-market
 * account for each rep; with 1M accounts and 400 reps that is 400 scans of 600k rows.
 */
export async function loadPlanAccounts(db: Executor, ownerId: string | null): Promise<PlanAccountRow[]> {
  const columns = [
    'id',
    'tier',
    'tier_override',
    'city',
    'district',
    'potential_score',
    'owner_id',
    'in_market',
  ] as const;
  const rows = ownerId
    ? await db.selectFrom('accounts').select(columns).where('owner_id', '=', ownerId).orderBy('id').execute()
    : await db
        .selectFrom('accounts')
        .select(columns)
        .where('in_market', '=', 1)
        .where('tier', 'is not', null)
        .orderBy('id')
        .execute();
  const accounts: PlanAccountRow[] = [];
  for (const r of rows) {
    if (r.in_market !== 1 || r.tier === null) continue;
    accounts.push({
      id: r.id,
      tier: r.tier,
      tierOverride: r.tier_override,
      city: r.city,
      district: r.district,
      score: r.potential_score,
      ownerId: r.owner_id,
    });
  }
  return accounts;
}

/** One in-market account as the planner reads it (see eachPlanAccount). */
export type PlanAccountVisitor = (
  id: string,
  tier: Tier,
  tierOverride: Tier | null,
  city: string | null,
  district: string | null,
  score: number | null,
  ownerId: string | null,
) => void;

const ALL_PLAN_ACCOUNTS = `select id, tier, tier_override, city, district, potential_score, owner_id from accounts
  where in_market = 1 and tier is not null order by id`;

/**
 * Runs `work` while `db`'s connection is held for it: in the caller's transaction, or with the connection taken from
 * Kysely (its SQLite driver has one connection behind a mutex), so that a statement run on the raw driver of that
 * connection sees what a Kysely query in its place would and nobody else's statement runs in between.
 */
async function holdingConnection<T>(db: Executor, work: () => T): Promise<T> {
  if (db.isTransaction) return work();
  return (db as Kysely<Database>).connection().execute(async () => work());
}

const OWNER_PLAN_ACCOUNTS = `select id, tier, tier_override, city, district, potential_score, owner_id, in_market
  from accounts where owner_id = ? order by id`;

/**
 * The rows of loadPlanAccounts(db, ownerId), each handed to `visit` in the same order (by id) instead of as an
 * object. On SQLite with `raw` the `Db` that `db` runs on, one prepared statement reads them as arrays on the
 * held connection (planAllReps at 100k accounts: no Kysely row object and no PlanAccountRow per account; one
 * rep's previewPlan and commitPlan the same way, filtered on the owner alone as loadPlanAccounts does).
 */
export async function eachPlanAccount(
  db: Executor,
  raw: Db | undefined,
  visit: PlanAccountVisitor,
  ownerId: string | null = null,
): Promise<void> {
  const sqlite = raw?.dialect === 'sqlite' ? raw.sqlite : undefined;
  if (sqlite) {
    await holdingConnection(db, () => {
      const rows = ownerId
        ? (sqlite.prepare(OWNER_PLAN_ACCOUNTS).raw().iterate(ownerId) as IterableIterator<unknown[]>)
        : (sqlite.prepare(ALL_PLAN_ACCOUNTS).raw().iterate() as IterableIterator<unknown[]>);
      for (const v of rows) {
        // One owner: in market and tiered checked here, as loadPlanAccounts does (the query has only the owner).
        if (ownerId && (v[7] !== 1 || v[1] === null)) continue;
        visit(
          v[0] as string,
          v[1] as Tier,
          v[2] as Tier | null,
          v[3] as string | null,
          v[4] as string | null,
          v[5] as number | null,
          v[6] as string | null,
        );
      }
    });
    return;
  }
  for (const r of await loadPlanAccounts(db, ownerId)) {
    visit(r.id, r.tier as Tier, r.tierOverride, r.city, r.district, r.score, r.ownerId);
  }
}

const LAST_TOUCHES = `select activities.account_id, activities.channel, max(activities.occurred_at) as last
  from activities inner join accounts on accounts.id = activities.account_id`;
const LAST_TOUCHES_GROUP = 'group by activities.account_id, activities.channel';

/*
 * Calls a visit stood in for (services/touches.ts, coverCalls: planned calls `skipped` with the visit's activity): the
 * call series runs on from that visit, so its day is the call channel's last touch when later than the last call
 * logged. One probe of planned_touches_account_idx (account, channel, status) per account; rare rows.
 */
const COVERED_CALLS = `select t.account_id, max(v.occurred_at) as last from planned_touches t
  inner join accounts on accounts.id = t.account_id inner join activities v on v.id = t.activity_id
  where t.channel = 'call' and t.status = 'skipped'`;
const COVERED_CALLS_GROUP = 'group by t.account_id';
/*
 * COVERED_CALLS of every in-market account (planAllReps): SQLite would probe planned_touches once per in-market
 * account; CROSS JOIN keeps the join order, so it reads the few covered calls from their partial index
 * (planned_touches_covered_idx, migration 013) and looks each account up by its key instead.
 */
const COVERED_CALLS_IN_MARKET = `select t.account_id, max(v.occurred_at) as last from planned_touches t
  cross join accounts on accounts.id = t.account_id cross join activities v on v.id = t.activity_id
  where t.status = 'skipped' and t.channel = 'call' and accounts.in_market = 1 group by t.account_id`;

/** The covered calls' visits (COVERED_CALLS) into a map of last touches: the later of the two per account. */
function addCoveredCalls(
  map: Map<string, Partial<Record<Channel, string>>>,
  rows: Iterable<{ account_id: string; last: unknown }>,
): Map<string, Partial<Record<Channel, string>>> {
  for (const r of rows) {
    const last = String(r.last);
    const entry = map.get(r.account_id) ?? {};
    if (entry.call === undefined || entry.call < last) entry.call = last;
    map.set(r.account_id, entry);
  }
  return map;
}

/** COVERED_CALLS through Kysely: for the accounts `accountIds` selects (or lists), or every in-market account. */
function coveredCallsQuery(db: Executor) {
  return db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts', 'accounts.id', 't.account_id')
    .innerJoin('activities as v', 'v.id', 't.activity_id')
    .select(['t.account_id', (eb) => eb.fn.max('v.occurred_at').as('last')])
    .where('t.channel', '=', 'call')
    .where('t.status', '=', 'skipped')
    .groupBy('t.account_id');
}

/**
 * Latest logged touch (UTC ISO instant) per account and channel, any outcome (on the call channel, a visit that stood
 * in for a planned call counts too: COVERED_CALLS): for the accounts of one owner (in market or
 * not: callers look up in-market accounts only, and the owner filter alone lets SQLite start from
 * accounts_owner_idx, see loadPlanAccounts), or for all in-market accounts. On SQLite with `raw` the `Db` that
 * `db` runs on, the same query runs as one prepared statement giving arrays on the held connection (see
 * eachPlanAccount): a quarter less CPU than through Kysely for one rep's 300 rows.
 */
export async function loadLastTouches(
  db: Executor,
  ownerId: string | null,
  raw?: Db,
): Promise<Map<string, Partial<Record<Channel, string>>>> {
  const sqlite = raw?.dialect === 'sqlite' ? raw.sqlite : undefined;
  if (sqlite) {
    return holdingConnection(db, () => {
      const map = new Map<string, Partial<Record<Channel, string>>>();
      const rows = ownerId
        ? sqlite
            .prepare(`${LAST_TOUCHES} where accounts.owner_id = ? ${LAST_TOUCHES_GROUP}`)
            .raw()
            .iterate(ownerId)
        : sqlite
            .prepare(`${LAST_TOUCHES} where accounts.in_market = 1 ${LAST_TOUCHES_GROUP}`)
            .raw()
            .iterate();
      for (const v of rows as IterableIterator<unknown[]>) {
        const id = v[0] as string;
        const entry = map.get(id);
        if (entry) entry[v[1] as Channel] = String(v[2]);
        else map.set(id, { [v[1] as Channel]: String(v[2]) });
      }
      const covered = ownerId
        ? sqlite.prepare(`${COVERED_CALLS} and accounts.owner_id = ? ${COVERED_CALLS_GROUP}`).all(ownerId)
        : sqlite.prepare(COVERED_CALLS_IN_MARKET).all();
      return addCoveredCalls(map, covered as { account_id: string; last: unknown }[]);
    });
  }
  let q = db
    .selectFrom('activities')
    .innerJoin('accounts', 'accounts.id', 'activities.account_id')
    .select([
      'activities.account_id',
      'activities.channel',
      (eb) => eb.fn.max('activities.occurred_at').as('last'),
    ])
    .groupBy(['activities.account_id', 'activities.channel']);
  q = ownerId ? q.where('accounts.owner_id', '=', ownerId) : q.where('accounts.in_market', '=', 1);
  const covered = coveredCallsQuery(db);
  return addCoveredCalls(
    addLastTouches(new Map(), await q.execute()),
    await (ownerId
      ? covered.where('accounts.owner_id', '=', ownerId)
      : covered.where('accounts.in_market', '=', 1)
    ).execute(),
  );
}

/**
 * Open planned touches due before `before` (a plan's first day; overdue when it is today) per account and channel,
 * counted: the touches a plan committed from `before` keeps (it replaces those due on or after it). Callers look up
 * their workload's accounts only:
 *
 * - one rep (`repId`): the touches of the rep's accounts (`accounts.owner_id`), whoever holds them (`rep_id`: a
 *   touch left with another rep or with nobody is kept by the commit all the same, which replaces the open touches
 *   of the owner's accounts, deleteOpenTouchesFrom), as every rep's read attributes them by account. SQLite probes
 *   planned_touches_account_idx for each of the rep's accounts (accounts_owner_idx) and reads every open touch of
 *   each: ~0.7 ms CPU a rep at 100k accounts, against 0.06 ms for the touches the rep holds alone (a range of
 *   planned_touches_rep_status_due_channel_idx), which missed the others (docs/performance.md, "One rep's open
 *   touches before the plan"); PostgreSQL ranges over planned_touches_due_idx instead while few are due before.
 * - everyone (null): the touches due before `before` from planned_touches_due_idx (due_on, status), kept apart
 *   (materialized) from the grouping, for which SQLite would rather walk planned_touches_account_idx whole in the
 *   group's order (420 ms at 100k accounts with 400k touches planned and none due before; 0.1 ms this way).
 *
 * One GROUP BY; only the account and channel pairs with such a touch come back, usually few.
 */
export async function loadOpenTouchesBefore(
  db: Executor,
  repId: string | null,
  before: string,
): Promise<Map<string, Partial<Record<Channel, number>>>> {
  const rows = repId
    ? await db
        .selectFrom('planned_touches')
        .select(['account_id', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', 'in', (eb) =>
          eb.selectFrom('accounts').select('id').where('owner_id', '=', repId),
        )
        .where('status', '=', 'planned')
        .where('due_on', '<', before)
        .groupBy(['account_id', 'channel'])
        .execute()
    : await db
        .with(
          (cte) => cte('due').materialized(),
          (q) =>
            q
              .selectFrom('planned_touches')
              .select(['account_id', 'channel'])
              .where('status', '=', 'planned')
              .where('due_on', '<', before),
        )
        .selectFrom('due')
        .select(['account_id', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['account_id', 'channel'])
        .execute();
  const map = new Map<string, Partial<Record<Channel, number>>>();
  for (const r of rows) {
    const entry = map.get(r.account_id);
    if (entry) entry[r.channel] = Number(r.n);
    else map.set(r.account_id, { [r.channel]: Number(r.n) });
  }
  return map;
}

/**
 * Open planned touches with a booked time (a meeting, services/touches.ts bookMeeting) due on or after `from` (a
 * plan's first day), per account and channel, earliest first: the touches a plan committed from `from` keeps (they
 * are fixed: the customer chose the day), which the planner sees in the days' load and continues the series from.
 * For one rep's accounts (`repId`, by owner as loadOpenTouchesBefore) or for everyone (null). Few rows: only
 * booked meetings.
 */
export async function loadBookedTouchesFrom(
  db: Executor,
  repId: string | null,
  from: string,
): Promise<Map<string, Partial<Record<Channel, string[]>>>> {
  let q = db
    .selectFrom('planned_touches')
    .select(['account_id', 'channel', 'due_on'])
    .where('status', '=', 'planned')
    .where('due_time', 'is not', null)
    .where('due_on', '>=', from);
  if (repId) {
    q = q.where('account_id', 'in', (eb) =>
      eb.selectFrom('accounts').select('id').where('owner_id', '=', repId),
    );
  }
  const map = new Map<string, Partial<Record<Channel, string[]>>>();
  for (const r of await q.orderBy('due_on').execute()) {
    const entry = map.get(r.account_id) ?? {};
    entry[r.channel] = [...(entry[r.channel] ?? []), r.due_on];
    map.set(r.account_id, entry);
  }
  return map;
}

/** loadLastTouches for the given accounts (read 500 at a time), covered calls included. */
export async function loadLastTouchesOf(
  db: Executor,
  accountIds: readonly string[],
): Promise<Map<string, Partial<Record<Channel, string>>>> {
  const map = new Map<string, Partial<Record<Channel, string>>>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom('activities')
      .select(['account_id', 'channel', (eb) => eb.fn.max('occurred_at').as('last')])
      .where('account_id', 'in', accountIds.slice(i, i + 500))
      .groupBy(['account_id', 'channel'])
      .execute();
    addLastTouches(map, rows);
    addCoveredCalls(
      map,
      await coveredCallsQuery(db)
        .where('t.account_id', 'in', accountIds.slice(i, i + 500))
        .execute(),
    );
  }
  return map;
}

function addLastTouches(
  map: Map<string, Partial<Record<Channel, string>>>,
  rows: readonly { account_id: string; channel: Channel; last: unknown }[],
): Map<string, Partial<Record<Channel, string>>> {
  for (const r of rows) {
    const entry = map.get(r.account_id) ?? {};
    entry[r.channel] = String(r.last);
    map.set(r.account_id, entry);
  }
  return map;
}

/** A touch to insert: the planner's PlannedTouch has these fields (and more, which are not read). */
export interface NewTouch {
  accountId: string;
  channel: Channel;
  dueOn: string;
}

/** Whose touches they are: one rep for all of them, or each account's owner (a workspace-wide plan). */
export type TouchRep = string | null | ReadonlyMap<string, string | null>;

/**
 * Inserts planned touches in the caller's transaction. SQLite goes through one prepared statement (the
 * connection is the transaction's); PostgreSQL inserts from arrays (unnest). The ids ascend in the order of `touches`
 * (newIdSequence), so the primary key index is appended to rather than written at random pages. The touches are
 * read as they are (the planner's own objects): no row object is made per touch.
 */
export async function insertTouches(
  db: Db,
  trx: Executor,
  planId: string | null,
  touches: readonly NewTouch[],
  rep: TouchRep,
  at: string,
  /** Ids for the touches; pass one sequence to several calls so that all their ids ascend together. */
  newId: () => string = newIdSequence(Date.parse(at)),
): Promise<void> {
  const repOf =
    rep !== null && typeof rep !== 'string' ? (accountId: string) => rep.get(accountId) ?? null : null;
  const oneRep = typeof rep === 'string' ? rep : null;
  if (db.dialect === 'sqlite' && db.sqlite) {
    const insert = db.sqlite.prepare(
      `insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
    );
    for (let i = 0; i < touches.length; i++) {
      const t = touches[i] as NewTouch;
      insert.run(
        newId(),
        t.accountId,
        repOf ? repOf(t.accountId) : oneRep,
        planId,
        t.channel,
        t.dueOn,
        at,
        at,
      );
    }
    return;
  }
  // PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per 10,000 touches, five array parameters each, instead of
  // multi-row VALUES lists of 1,000 rows with nine parameters a row (parsed and planned anew each time).
  const BATCH = 10_000;
  for (let i = 0; i < touches.length; i += BATCH) {
    const batch = touches.slice(i, i + BATCH);
    await sql`
      insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, status, created_at, updated_at)
      select t.id, t.account_id, t.rep_id, ${planId}::text, t.channel, t.due_on, 'planned', ${at}::text, ${at}::text
      from unnest(
        ${batch.map(() => newId())}::text[],
        ${batch.map((t) => t.accountId)}::text[],
        ${batch.map((t) => (repOf ? repOf(t.accountId) : oneRep))}::text[],
        ${batch.map((t) => t.channel)}::text[],
        ${batch.map((t) => t.dueOn)}::text[]
      ) as t(id, account_id, rep_id, channel, due_on)`.execute(trx);
  }
}

/** Removes open planned touches due on or after `from` for one owner's in-market accounts (or all). */
export async function deleteOpenTouchesFrom(
  db: Executor,
  ownerId: string | null,
  from: string,
): Promise<number> {
  // A booked meeting (a time set) is fixed: the commit keeps it (loadBookedTouchesFrom).
  let q = db
    .deleteFrom('planned_touches')
    .where('status', '=', 'planned')
    .where('due_on', '>=', from)
    .where('due_time', 'is', null);
  if (ownerId) {
    q = q.where('account_id', 'in', (eb) =>
      eb.selectFrom('accounts').select('id').where('owner_id', '=', ownerId),
    );
  }
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

const OWNER_BATCH = 500;

/**
 * How many open touches due on or after `from` each owner's accounts have (owners without any are absent): what
 * deleteOpenTouchesOfOwners removes. One GROUP BY per 500 owners.
 */
export async function countOpenTouchesOfOwners(
  db: Executor,
  ownerIds: readonly string[],
  from: string,
): Promise<Map<string, number>> {
  const counted = new Map<string, number>();
  for (let i = 0; i < ownerIds.length; i += OWNER_BATCH) {
    const counts = await db
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['a.owner_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('t.status', '=', 'planned')
      .where('t.due_on', '>=', from)
      .where('t.due_time', 'is', null)
      .where('a.owner_id', 'in', ownerIds.slice(i, i + OWNER_BATCH))
      .groupBy('a.owner_id')
      .execute();
    for (const c of counts) if (c.owner_id) counted.set(c.owner_id, Number(c.n));
  }
  return counted;
}

/**
 * deleteOpenTouchesFrom for many owners at once: one DELETE per 500 owners instead of one per owner (PostgreSQL,
 * planning inside a transaction whose touches table keeps growing, scanned the whole table for each of 400 reps).
 * `counted` (countOpenTouchesOfOwners) skips the owners without any.
 */
export async function deleteOpenTouchesOfOwners(
  db: Executor,
  ownerIds: readonly string[],
  from: string,
  counted: ReadonlyMap<string, number>,
): Promise<void> {
  const owners = ownerIds.filter((id) => (counted.get(id) ?? 0) > 0);
  for (let i = 0; i < owners.length; i += OWNER_BATCH) {
    await db
      .deleteFrom('planned_touches')
      .where('status', '=', 'planned')
      .where('due_on', '>=', from)
      .where('due_time', 'is', null)
      .where('account_id', 'in', (eb) =>
        eb
          .selectFrom('accounts')
          .select('id')
          .where('owner_id', 'in', owners.slice(i, i + OWNER_BATCH)),
      )
      .execute();
  }
}

/**
 * Whether a write that removes `removed` of the table's `before` planned touches and adds `added` is cheaper with
 * the secondary indexes dropped and built again afterwards (withTouchIndexesRebuilt). Measured on SQLite
 * (docs/performance.md, "Plan"): a touch written or deleted through the three secondary indexes costs about 5 µs
 * more than without them; building them costs about 4 µs a row in the table afterwards and dropping them about
 * 1 µs a row that was there. So rebuilding wins about when the rows written outnumber the rows kept: with the
 * plans' touches replaced by as many, when they are at least as many as every other touch (done, skipped, due
 * before the start, other reps').
 */
export function rebuildingTouchIndexesIsCheaper(before: number, removed: number, added: number): boolean {
  return removed + added > 0 && 5 * (removed + added) > before + 4 * (before - removed + added);
}

/** rebuildingTouchIndexesIsCheaper for the table as it is; always false on PostgreSQL (see withTouchIndexesRebuilt). */
export async function touchIndexesWorthRebuilding(
  db: Db,
  trx: Executor,
  removed: number,
  added: number,
): Promise<boolean> {
  if (db.dialect !== 'sqlite' || removed + added === 0) return false;
  const total = await trx
    .selectFrom('planned_touches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return rebuildingTouchIndexesIsCheaper(Number(total.n), removed, added);
}

/**
 * Runs `write` with planned_touches' secondary indexes dropped and builds them again afterwards, all in the
 * caller's transaction: SQLite builds an index from sorted keys far cheaper than it inserts hundreds of
 * thousands of keys at random places in it (and the pages come out full, so the commit writes fewer). Its DDL is
 * transactional (a failure or a kill leaves the indexes as they were) and readers on other connections keep
 * their snapshot, indexes included, until the commit; the writer holds SQLite's one write lock either way. The
 * definitions are the ones stored in the database (sqlite_master), i.e. exactly what the migrations created;
 * nothing is restated here. They are created again in the order they were (sqlite_master's rowid), so the schema
 * lists them as before and the query planner meets them in the same order when it weighs equal choices.
 *
 * Not on PostgreSQL: DROP INDEX takes an ACCESS EXCLUSIVE lock on the table until the commit, so every agenda,
 * calendar and account page read would wait for the whole save (MVCC lets them read the old plan meanwhile as it
 * is), and the rebuild was slower there anyway (400k rows replaced: 11.8 s with the indexes kept against 18.7 s
 * dropped and built again, text keys compared by the collation).
 */
export async function withTouchIndexesRebuilt<T>(trx: Executor, write: () => Promise<T>): Promise<T> {
  const run = kyselyRunner(trx);
  const indexes = await dropSecondaryIndexes(run, 'planned_touches');
  const result = await write();
  await createIndexes(run, indexes);
  return result;
}

/** Open planned touches of one rep on one day (and, for visits, in one place: the account's city and district). */
export interface OpenTouchDay {
  rep_id: string | null;
  due_on: string;
  city: string | null;
  district: string | null;
  n: number;
}

const REP_BATCH = 500;

/**
 * The open planned touches of the reps (null: touches without a rep) on the channel due in [from, to], counted per
 * rep and day; visits also per place (the account's city and district, as the re-plan compares them; calls come
 * with null places). Calls are counted from planned_touches_rep_status_due_channel_idx alone; visits read their
 * accounts. One GROUP BY per 500 reps: what a bulk re-plan (services/replan-store.ts) reads of the reps' day
 * loads once instead of per account.
 */
export async function loadOpenTouchDays(
  db: Executor,
  channel: Channel,
  repIds: readonly (string | null)[],
  from: string,
  to: string,
): Promise<OpenTouchDay[]> {
  const out: OpenTouchDay[] = [];
  const reps = repIds.filter((r): r is string => r !== null);
  const batches: (readonly string[] | null)[] = [];
  for (let i = 0; i < reps.length; i += REP_BATCH) batches.push(reps.slice(i, i + REP_BATCH));
  if (reps.length < repIds.length) batches.push(null);
  for (const batch of batches) {
    if (channel === 'call') {
      let q = db
        .selectFrom('planned_touches as t')
        .select(['t.rep_id', 't.due_on', (eb) => eb.fn.countAll<number>().as('n')])
        .where('t.status', '=', 'planned')
        .where('t.channel', '=', channel)
        .where('t.due_on', '>=', from)
        .where('t.due_on', '<=', to);
      q = batch ? q.where('t.rep_id', 'in', batch) : q.where('t.rep_id', 'is', null);
      for (const r of await q.groupBy(['t.rep_id', 't.due_on']).execute()) {
        out.push({ rep_id: r.rep_id, due_on: r.due_on, city: null, district: null, n: Number(r.n) });
      }
      continue;
    }
    let q = db
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as acc', 'acc.id', 't.account_id')
      .select(['t.rep_id', 't.due_on', 'acc.city', 'acc.district', (eb) => eb.fn.countAll<number>().as('n')])
      .where('t.status', '=', 'planned')
      .where('t.channel', '=', channel)
      .where('t.due_on', '>=', from)
      .where('t.due_on', '<=', to);
    q = batch ? q.where('t.rep_id', 'in', batch) : q.where('t.rep_id', 'is', null);
    for (const r of await q.groupBy(['t.rep_id', 't.due_on', 'acc.city', 'acc.district']).execute()) {
      out.push({ rep_id: r.rep_id, due_on: r.due_on, city: r.city, district: r.district, n: Number(r.n) });
    }
  }
  return out;
}

/**
 * Re-planned series to store (a bulk re-plan's, services/replan-store.ts), as columns: `rewrite*` are old open
 * touches given a new date and rep (only the columns that change are written: `rewriteDate`/`rewriteRep` say which,
 * so that a date that stays put rewrites no index entry, as a single re-plan's UPDATE does), `insert*` new touches,
 * `deletes` old ones left over. Rewritten and inserted touches are written as a re-plan writes them: no plan, no
 * time, created and updated at `at`.
 */
export interface ReplannedWrites {
  at: string;
  rewriteIds: string[];
  rewriteDueOn: string[];
  rewriteRepId: (string | null)[];
  rewriteDate: boolean[];
  rewriteRep: boolean[];
  insertIds: string[];
  insertAccountIds: string[];
  insertRepIds: (string | null)[];
  insertChannels: Channel[];
  insertDueOn: string[];
  deletes: string[];
}

/**
 * Stores ReplannedWrites in the caller's transaction. SQLite: prepared statements on the transaction's connection
 * (one UPDATE shape per set of changed columns); PostgreSQL: one UPDATE … FROM unnest, INSERT … SELECT FROM unnest
 * and DELETE … = any(array) per 10,000 rows.
 */
export async function writeReplannedTouches(db: Db, trx: Executor, w: ReplannedWrites): Promise<void> {
  if (db.dialect === 'sqlite' && db.sqlite) {
    const sqlite = db.sqlite;
    const updates = new Map<number, ReturnType<typeof sqlite.prepare>>();
    const updateOf = (date: boolean, rep: boolean) => {
      const shape = (date ? 1 : 0) + (rep ? 2 : 0);
      let statement = updates.get(shape);
      if (!statement) {
        statement = sqlite.prepare(
          `update planned_touches set ${date ? 'due_on = ?, ' : ''}${rep ? 'rep_id = ?, ' : ''}plan_id = null, due_time = null, created_at = ?, updated_at = ? where id = ?`,
        );
        updates.set(shape, statement);
      }
      return statement;
    };
    // By id: the rows of one plan save were inserted in id order, so their pages and primary key entries are met in
    // order instead of at random (a fifth less time for the updates of 49,285 accounts, docs/performance.md).
    for (const i of byId(w.rewriteIds)) {
      const date = w.rewriteDate[i] === true;
      const rep = w.rewriteRep[i] === true;
      const args: unknown[] = [];
      if (date) args.push(w.rewriteDueOn[i]);
      if (rep) args.push(w.rewriteRepId[i]);
      args.push(w.at, w.at, w.rewriteIds[i]);
      updateOf(date, rep).run(args);
    }
    if (w.deletes.length > 0) {
      const remove = sqlite.prepare('delete from planned_touches where id = ?');
      for (const id of w.deletes) remove.run(id);
    }
    if (w.insertIds.length > 0) {
      const insert = sqlite.prepare(
        `insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, due_time, status, activity_id, created_at, updated_at)
         values (?, ?, ?, null, ?, ?, null, 'planned', null, ?, ?)`,
      );
      for (let i = 0; i < w.insertIds.length; i++) {
        insert.run(
          w.insertIds[i],
          w.insertAccountIds[i],
          w.insertRepIds[i],
          w.insertChannels[i],
          w.insertDueOn[i],
          w.at,
          w.at,
        );
      }
    }
    return;
  }
  const BATCH = 10_000;
  const order = byId(w.rewriteIds);
  const sorted = <T>(values: readonly T[]) => order.map((i) => values[i] as T);
  const ids = sorted(w.rewriteIds);
  const dueOn = sorted(w.rewriteDueOn);
  const repIds = sorted(w.rewriteRepId);
  for (let i = 0; i < ids.length; i += BATCH) {
    const end = i + BATCH;
    // Every rewritten row is given its date and rep, the same values where they stay: PostgreSQL writes a new row
    // version for any UPDATE, and with no indexed value changed it can be a heap-only one (no new index entries).
    await sql`
      update planned_touches as t
      set due_on = u.due_on, rep_id = u.rep_id, plan_id = null, due_time = null,
        created_at = ${w.at}::text, updated_at = ${w.at}::text
      from unnest(
        ${ids.slice(i, end)}::text[],
        ${dueOn.slice(i, end)}::text[],
        ${repIds.slice(i, end)}::text[]
      ) as u(id, due_on, rep_id)
      where t.id = u.id`.execute(trx);
  }
  for (let i = 0; i < w.deletes.length; i += BATCH) {
    await sql`delete from planned_touches where id = any(${w.deletes.slice(i, i + BATCH)}::text[])`.execute(
      trx,
    );
  }
  for (let i = 0; i < w.insertIds.length; i += BATCH) {
    const end = i + BATCH;
    await sql`
      insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, due_time, status, activity_id, created_at, updated_at)
      select t.id, t.account_id, t.rep_id, null, t.channel, t.due_on, null, 'planned', null, ${w.at}::text, ${w.at}::text
      from unnest(
        ${w.insertIds.slice(i, end)}::text[],
        ${w.insertAccountIds.slice(i, end)}::text[],
        ${w.insertRepIds.slice(i, end)}::text[],
        ${w.insertChannels.slice(i, end)}::text[],
        ${w.insertDueOn.slice(i, end)}::text[]
      ) as t(id, account_id, rep_id, channel, due_on)`.execute(trx);
  }
}

/** The positions of `ids` in ascending order of the ids. */
function byId(ids: readonly string[]): number[] {
  return ids.map((_, i) => i).sort((x, y) => ((ids[x] as string) < (ids[y] as string) ? -1 : 1));
}
