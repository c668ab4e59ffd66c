import type { KyselyPlugin, Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDayNumber, shiftDate, toDayNumber } from '../../src/domain/calendar/local-date.ts';
import type { TTier } from '../../src/schemas/common.ts';
import { bulkOverrideTier } from '../../src/services/account-bulk.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { BulkReplanStore } from '../../src/services/replan-store.ts';
import { newId } from '../../src/storage/ids.ts';
import { loadOpenTouchDays } from '../../src/storage/repositories/plan.ts';
import type { PlannedTouchesTable } from '../../src/storage/tables.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { openDemoWorkspace } from '../helpers/demo.ts';
import { overrideTierAsRead } from '../helpers/tier-override.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's plans run from 2026-10-30 for 12 months.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TIER_ORDER: Record<string, number> = { A: 0, B: 1, C: 2 };

/*
 * A bulk tier override re-plans many accounts in one transaction (replanTierChanges): with enough accounts it reads
 * the reps' open touches once, re-plans in memory and writes the series in batches (services/replan-store.ts). What
 * it stores must be exactly what overriding the same accounts one by one stores (each single override re-plans
 * through the database), in the bulk's planning order: new tier A first, then higher score, then id. Both are run
 * from the same stored state (the touches, tiers and audit entries put back in between), and every planned touch
 * is compared: date, rep, plan, time, status, timestamps, and its id where it is an old row rewritten in place.
 */
for (const dialect of DIALECTS) {
  describe(`a bulk tier override stores what overriding one by one stores, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    /** Every other in-market account with open touches (by id): about 120 of the demo's 247, tiers A, B and C. */
    let chosen: string[];

    const db = () => tdb.db.kysely;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      const rows = await db()
        .selectFrom('accounts as a')
        .select(['a.id', 'a.owner_id'])
        .where('a.in_market', '=', 1)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('planned_touches as t')
              .select('t.id')
              .whereRef('t.account_id', '=', 'a.id')
              .where('t.status', '=', 'planned'),
          ),
        )
        .orderBy('a.id')
        .execute();
      chosen = rows.filter((_, i) => i % 2 === 0).map((r) => r.id);
      const reps = [...new Set(rows.map((r) => r.owner_id))];
      expect(reps.length).toBe(2);
      // Variety the demo lacks: old logged touches (series already due at the new cadence), recent ones, open touches
      // of no rep (a workspace-wide plan's), and touches of the other rep than the owner.
      for (const [k, id] of chosen.entries()) {
        if (k % 5 === 0) await logged(id, 'call', '2026-06-02');
        if (k % 7 === 0) await logged(id, 'visit', '2026-03-10');
        if (k % 9 === 0) await logged(id, 'call', '2026-11-20');
      }
      for (const id of chosen.slice(1, 4)) {
        await db()
          .updateTable('planned_touches')
          .set({ rep_id: null })
          .where('account_id', '=', id)
          .execute();
      }
      // A channel handed to the other rep (the series stays with that rep), and later touches handed over (the
      // series goes to the rep of the next touch: those rows move back from the other rep's days).
      for (const [k, id] of chosen.slice(10, 40).entries()) {
        const owner = rows.find((r) => r.id === id)?.owner_id;
        let handed = db()
          .updateTable('planned_touches')
          .set({ rep_id: reps.find((r) => r !== owner) ?? null })
          .where('account_id', '=', id);
        handed =
          k < 4
            ? handed.where('channel', '=', k % 2 === 0 ? 'visit' : 'call')
            : handed.where('due_on', '>', '2027-01-31');
        await handed.execute();
      }
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    async function logged(accountId: string, channel: 'call' | 'visit', on: string): Promise<void> {
      await db()
        .insertInto('activities')
        .values({
          id: newId(),
          account_id: accountId,
          user_id: null,
          channel,
          occurred_at: `${on}T04:00:00.000Z`,
          outcome: 'reached',
          objection_id: null,
          response_id: null,
          note: null,
          next_step: null,
          planned_touch_id: null,
          created_at: NOW.toISOString(),
        })
        .execute();
    }

    type TouchRow = Selectable<PlannedTouchesTable>;
    interface State {
      touches: TouchRow[];
      accounts: {
        id: string;
        tier: TTier | null;
        tier_override: TTier | null;
        tier_override_reason: string | null;
        tier_override_by: string | null;
        tier_override_at: string | null;
        version: number;
        updated_at: string;
      }[];
    }

    async function snapshot(): Promise<State> {
      const touches = await db().selectFrom('planned_touches').selectAll().orderBy('id').execute();
      const accounts = await db()
        .selectFrom('accounts')
        .select([
          'id',
          'tier',
          'tier_override',
          'tier_override_reason',
          'tier_override_by',
          'tier_override_at',
          'version',
          'updated_at',
        ])
        .orderBy('id')
        .execute();
      return { touches, accounts };
    }

    /** Puts the touches, the accounts' tiers and the tier audit entries back as they were in `state`. */
    async function restore(state: State): Promise<void> {
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx.deleteFrom('planned_touches').execute();
          for (let i = 0; i < state.touches.length; i += 200) {
            await trx
              .insertInto('planned_touches')
              .values(state.touches.slice(i, i + 200))
              .execute();
          }
          for (const { id, ...account } of state.accounts) {
            await trx.updateTable('accounts').set(account).where('id', '=', id).execute();
          }
          await trx.deleteFrom('audit_log').where('action', 'like', 'tier-override%').execute();
        });
    }

    /** The planned touches, an id kept where it was a row of `before` ('new' otherwise), sorted. */
    async function touchesAfter(before: State): Promise<string[]> {
      const old = new Set(before.touches.map((t) => t.id));
      const rows = await db().selectFrom('planned_touches').selectAll().execute();
      return rows
        .map((t) =>
          JSON.stringify([
            old.has(t.id) ? t.id : 'new',
            t.account_id,
            t.channel,
            t.due_on,
            t.rep_id,
            t.plan_id,
            t.due_time,
            t.status,
            t.activity_id,
            t.created_at,
            t.updated_at,
          ]),
        )
        .sort();
    }

    /** Per account, the tier columns and the override's audit entry (with what was re-planned). */
    async function accountsAfter(): Promise<Map<string, unknown>> {
      const accounts = await db()
        .selectFrom('accounts')
        .select(['id', 'tier', 'tier_override', 'tier_override_reason', 'version'])
        .where('id', 'in', chosen)
        .execute();
      const audits = await db()
        .selectFrom('audit_log')
        .select(['entity_id', 'action', 'before', 'after'])
        .where('action', 'like', 'tier-override%')
        .execute();
      const out = new Map<string, unknown>();
      for (const a of accounts) {
        const audit = audits.filter((x) => x.entity_id === a.id);
        out.set(a.id, {
          ...a,
          audit: audit.map((x) => [x.action, JSON.parse(x.before ?? 'null'), JSON.parse(x.after ?? 'null')]),
        });
      }
      return out;
    }

    /** The chosen accounts in the bulk's planning order, given each one's tier after the change. */
    async function planningOrder(tierAfter: (id: string) => TTier | null): Promise<string[]> {
      const rows = await db()
        .selectFrom('accounts')
        .select(['id', 'potential_score'])
        .where('id', 'in', chosen)
        .execute();
      return rows
        .sort(
          (x, y) =>
            (TIER_ORDER[tierAfter(x.id) ?? ''] ?? 3) - (TIER_ORDER[tierAfter(y.id) ?? ''] ?? 3) ||
            (y.potential_score ?? Number.NEGATIVE_INFINITY) -
              (x.potential_score ?? Number.NEGATIVE_INFINITY) ||
            (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
        )
        .map((r) => r.id);
    }

    /** How many statements a bulk override sends through Kysely, and its result. */
    async function countingBulk(input: Parameters<typeof bulkOverrideTier>[1]) {
      let statements = 0;
      const counter: KyselyPlugin = {
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const counted = makeContext(
        { ...tdb.db, kysely: tdb.db.kysely.withPlugin(counter) },
        ctx.actor,
        ctx.now,
      );
      const result = await bulkOverrideTier(counted, input);
      return { result, statements };
    }

    const replannedAccounts = async () =>
      (
        await db()
          .selectFrom('audit_log')
          .select('entity_id')
          .where('action', 'like', 'tier-override%')
          .where('after', 'like', '%"replanned"%')
          .execute()
      ).length;

    it('setting a tier on ~120 accounts (A, B and C to B), and removing it again', async () => {
      const start = await snapshot();
      const initial = await touchesAfter(start);
      expect(chosen.length).toBeGreaterThanOrEqual(100);

      // One by one, in the planning order (every new tier is B: by score, then id).
      const order = await planningOrder(() => 'B');
      for (const id of order) await overrideTierAsRead(ctx, id, { tier: 'B', reason: 'Promoted together' });
      const oneByOne = await touchesAfter(start);
      const oneByOneAccounts = await accountsAfter();
      const replannedOneByOne = await replannedAccounts();

      await restore(start);
      expect(await touchesAfter(start)).toEqual(initial);
      const { result, statements } = await countingBulk({
        ids: chosen,
        tier: 'B',
        reason: 'Promoted together',
      });
      expect(result.changed).toBe(chosen.length);
      const bulk = await touchesAfter(start);
      expect(bulk).toEqual(oneByOne);
      expect(await accountsAfter()).toEqual(oneByOneAccounts);
      // The comparison is worth something: most accounts were re-planned and touches moved, came and went.
      const replanned = await replannedAccounts();
      expect(replanned).toBe(replannedOneByOne);
      expect(replanned).toBeGreaterThan(60);
      const unchanged = new Set(initial);
      expect(bulk.filter((t) => !unchanged.has(t)).length).toBeGreaterThan(200);
      expect(bulk.filter((t) => t.startsWith('["new"')).length).toBeGreaterThan(20);
      expect(bulk.length).not.toBe(start.touches.length);
      // Read once, not account by account: fewer statements than accounts re-planned (the single path sends a few
      // for each account and one per touch written).
      expect(statements).toBeLessThan(replanned / 2);

      // Removing the overrides: each account gets its computed tier back (A, B or C), so the planning order mixes
      // tiers. In bulk first, then one by one from the same state in that order.
      const overridden = await snapshot();
      // (restore: the audit entries of the first half go, as they go before the one-by-one run below.)
      await restore(overridden);
      await bulkOverrideTier(ctx, { ids: chosen, tier: null, reason: 'Back to the computed tiers' });
      const clearedBulk = await touchesAfter(overridden);
      const clearedBulkAccounts = await accountsAfter();
      const computed = new Map(
        (await db().selectFrom('accounts').select(['id', 'tier']).where('id', 'in', chosen).execute()).map(
          (a) => [a.id, a.tier],
        ),
      );
      expect(new Set(computed.values())).toEqual(new Set(['A', 'B', 'C']));

      await restore(overridden);
      for (const id of await planningOrder((id) => computed.get(id) ?? null)) {
        await overrideTierAsRead(ctx, id, { tier: null, reason: 'Back to the computed tiers' });
      }
      expect(await touchesAfter(overridden)).toEqual(clearedBulk);
      expect(await accountsAfter()).toEqual(clearedBulkAccounts);
    });

    it("the bulk store's copy of the reps' days is what the table holds once its series are written", async () => {
      // Series stored over the chosen accounts' open touches with every kind of change (a date kept or moved, the rep
      // kept, changed or none, rows left over, touches added); what the store answers for every rep, channel and day
      // afterwards must be what the table answers after flush. Rolled back at the end.
      const reps = [
        ...new Set(
          (await db().selectFrom('planned_touches').select('rep_id').execute()).map((r) => r.rep_id),
        ),
      ];
      expect(reps).toContain(null);
      const from = '2026-11-20';
      const to = '2027-11-07';
      const days: string[] = [];
      for (let d = toDayNumber(from); d <= toDayNumber(to); d++) days.push(fromDayNumber(d));
      const rolledBack = new Error('rolled back');
      const seen = { date: 0, rep: 0, deleted: 0, inserted: 0 };
      await expect(
        db()
          .transaction()
          .execute(async (trx) => {
            const store = new BulkReplanStore(tdb.db, trx, NOW.toISOString());
            await store.prefetch(reps.slice(1), '2026-12-01', '2027-10-31');
            const accounts = await trx
              .selectFrom('accounts')
              .select(['id', 'city', 'district'])
              .where('id', 'in', chosen)
              .orderBy('id')
              .execute();
            for (const [k, account] of accounts.entries()) {
              for (const channel of ['call', 'visit'] as const) {
                const own = await trx
                  .selectFrom('planned_touches')
                  .select(['id', 'due_on', 'rep_id'])
                  .where('account_id', '=', account.id)
                  .where('channel', '=', channel)
                  .where('status', '=', 'planned')
                  .orderBy('due_on')
                  .orderBy('id')
                  .execute();
                const repId = reps[(k + (channel === 'call' ? 0 : 1)) % reps.length] ?? null;
                const length = Math.max(0, own.length + (k % 3) - 1);
                const touches = Array.from({ length }, (_, i) => ({
                  channel,
                  dueOn: shiftDate(own[i]?.due_on ?? '2027-06-01', (k + i) % 4 === 0 ? 0 : ((k + i) % 9) - 4),
                }));
                for (const [i, t] of touches.entries()) {
                  const old = own[i];
                  if (!old) seen.inserted++;
                  else if (old.due_on !== t.dueOn) seen.date++;
                  if (old && old.rep_id !== repId) seen.rep++;
                }
                seen.deleted += Math.max(0, own.length - length);
                await store.save(
                  { accountId: account.id, repId, channel, ...account, at: NOW.toISOString() },
                  own,
                  touches,
                );
              }
            }
            const answers = async (read: BulkReplanStore | null) => {
              const out: unknown[] = [];
              for (const rep of reps) {
                for (const channel of ['call', 'visit'] as const) {
                  const counts = read
                    ? await read.dayCounts(rep, channel, from, to)
                    : (await loadOpenTouchDays(trx, channel, [rep], from, to)).map((r) => ({
                        due_on: r.due_on,
                        n: r.n,
                      }));
                  const perDay = new Map<string, number>();
                  for (const c of counts) perDay.set(c.due_on, (perDay.get(c.due_on) ?? 0) + c.n);
                  out.push([rep, channel, [...perDay].sort()]);
                  if (channel !== 'visit') continue;
                  const places = read
                    ? await read.dayPlaces(rep, channel, days)
                    : await loadOpenTouchDays(trx, channel, [rep], from, to);
                  out.push([
                    rep,
                    'places',
                    places.map((p) => [p.due_on, p.city, p.district, p.n].join('|')).sort(),
                  ]);
                }
              }
              return out;
            };
            const inMemory = await answers(store);
            await store.flush();
            expect(inMemory).toEqual(await answers(null));
            throw rolledBack;
          }),
      ).rejects.toBe(rolledBack);
      expect(seen.date).toBeGreaterThan(50);
      expect(seen.rep).toBeGreaterThan(50);
      expect(seen.deleted).toBeGreaterThan(20);
      expect(seen.inserted).toBeGreaterThan(20);
    });
  });
}
