import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { newIdSequence } from '../ids.ts';
import type { Channel, Tier } from '../tables.ts';
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

/**
 * Latest logged touch (UTC ISO instant) per account and channel: for the accounts of one owner (in market or
 * not: callers look up in-market accounts only, and the owner filter alone lets SQLite start from
 * accounts_owner_idx, see loadPlanAccounts), or for all in-market accounts.
 */
export async function loadLastTouches(
  db: Executor,
  ownerId: string | null,
): Promise<Map<string, Partial<Record<Channel, string>>>> {
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
  const rows = await q.execute();
  const map = new Map<string, Partial<Record<Channel, string>>>();
  for (const r of rows) {
    const entry = map.get(r.account_id) ?? {};
    entry[r.channel] = String(r.last);
    map.set(r.account_id, entry);
  }
  return map;
}

export interface NewTouch {
  accountId: string;
  repId: string | null;
  channel: Channel;
  dueOn: string;
}

/**
 * Inserts planned touches in the caller's transaction. SQLite goes through one prepared statement (the
 * connection is the transaction's); PostgreSQL inserts from arrays (unnest). The ids ascend in the order of `touches`
 * (newIdSequence), so the primary key index is appended to rather than written at random pages.
 */
export async function insertTouches(
  db: Db,
  trx: Executor,
  planId: string | null,
  touches: readonly NewTouch[],
  at: string,
  /** Ids for the touches; pass one sequence to several calls so that all their ids ascend together. */
  newId: () => string = newIdSequence(Date.parse(at)),
): Promise<string[]> {
  const ids: string[] = new Array(touches.length);
  if (db.dialect === 'sqlite' && db.sqlite) {
    const insert = db.sqlite.prepare(
      `insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
    );
    for (let i = 0; i < touches.length; i++) {
      const t = touches[i] as NewTouch;
      const id = newId();
      ids[i] = id;
      insert.run(id, t.accountId, t.repId, planId, t.channel, t.dueOn, at, at);
    }
    return ids;
  }
  // PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per 10,000 touches, five array parameters each, instead of
  // multi-row VALUES lists of 1,000 rows with nine parameters a row (parsed and planned anew each time).
  const BATCH = 10_000;
  for (let i = 0; i < touches.length; i += BATCH) {
    const batch = touches.slice(i, i + BATCH);
    const batchIds = batch.map(() => newId());
    for (let k = 0; k < batchIds.length; k++) ids[i + k] = batchIds[k] as string;
    await sql`
      insert into planned_touches (id, account_id, rep_id, plan_id, channel, due_on, status, created_at, updated_at)
      select t.id, t.account_id, t.rep_id, ${planId}::text, t.channel, t.due_on, 'planned', ${at}::text, ${at}::text
      from unnest(
        ${batchIds}::text[],
        ${batch.map((t) => t.accountId)}::text[],
        ${batch.map((t) => t.repId)}::text[],
        ${batch.map((t) => t.channel)}::text[],
        ${batch.map((t) => t.dueOn)}::text[]
      ) as t(id, account_id, rep_id, channel, due_on)`.execute(trx);
  }
  return ids;
}

/** Removes open planned touches due on or after `from` for one owner's in-market accounts (or all). */
export async function deleteOpenTouchesFrom(
  db: Executor,
  ownerId: string | null,
  from: string,
): Promise<number> {
  let q = db.deleteFrom('planned_touches').where('status', '=', 'planned').where('due_on', '>=', from);
  if (ownerId) {
    q = q.where('account_id', 'in', (eb) =>
      eb.selectFrom('accounts').select('id').where('owner_id', '=', ownerId),
    );
  }
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * deleteOpenTouchesFrom for many owners at once: one count and one DELETE instead of one DELETE per owner
 * (PostgreSQL, planning inside a transaction whose touches table keeps growing, scanned the whole table for each
 * of 400 reps). Returns how many touches each owner lost (owners without any are absent).
 */
export async function deleteOpenTouchesOfOwners(
  db: Executor,
  ownerIds: readonly string[],
  from: string,
): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  const BATCH = 500;
  for (let i = 0; i < ownerIds.length; i += BATCH) {
    const owners = ownerIds.slice(i, i + BATCH);
    const counts = await db
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['a.owner_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('t.status', '=', 'planned')
      .where('t.due_on', '>=', from)
      .where('a.owner_id', 'in', owners)
      .groupBy('a.owner_id')
      .execute();
    if (counts.length === 0) continue;
    for (const c of counts) if (c.owner_id) removed.set(c.owner_id, Number(c.n));
    await db
      .deleteFrom('planned_touches')
      .where('status', '=', 'planned')
      .where('due_on', '>=', from)
      .where('account_id', 'in', (eb) =>
        eb.selectFrom('accounts').select('id').where('owner_id', 'in', owners),
      )
      .execute();
  }
  return removed;
}
