import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketField } from '../../src/domain/market/market-criteria.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { eachMarketRow, loadMarketRows, type MarketRow } from '../../src/storage/repositories/market.ts';
import {
  eachPlanAccount,
  loadLastTouches,
  loadPlanAccounts,
  type PlanAccountRow,
} from '../../src/storage/repositories/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// loadMarketRows reads through one raw SQLite statement inside a transaction (saveMarket's path) and through Kysely
// otherwise: both give the same rows, with every field as stored.
for (const dialect of DIALECTS) {
  describe(`loadMarketRows on ${dialect.name}`, () => {
    let tdb: TestDatabase;

    beforeAll(async () => {
      tdb = await dialect.open();
      await loadDemoWorkspace(makeContext(tdb.db, SYSTEM_ACTOR, () => new Date('2026-11-27T02:00:00.000Z')));
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('reads the same rows in a transaction (raw on SQLite) as through Kysely', async () => {
      for (const withSources of [false, true]) {
        const outside = await loadMarketRows(tdb.db.kysely, { withSources, raw: tdb.db });
        const inside = await tdb.db.kysely
          .transaction()
          .execute((trx) => loadMarketRows(trx, { withSources, raw: tdb.db }));
        expect(outside.length).toBeGreaterThan(100);
        expect(outside.some((r) => r.inMarket && r.storedTier !== null && r.storedScore !== null)).toBe(true);
        expect(outside.some((r) => r.annualSales !== null && r.territoryId !== null)).toBe(true);
        if (withSources) expect(outside.some((r) => r.sourceIds.length > 0)).toBe(true);
        expect(inside).toEqual(outside);
      }
    });

    it('eachMarketRow visits those rows in order, with only the named place columns read raw on SQLite', async () => {
      const every = new Set<MarketField>(['province', 'city', 'district', 'industry', 'territoryId']);
      const some = new Set<MarketField>(['province']);
      for (const withSources of [false, true]) {
        const expected = await loadMarketRows(tdb.db.kysely, { withSources });
        for (const fields of [every, some]) {
          const seen: MarketRow[] = [];
          const rowids: (number | null)[] = [];
          await tdb.db.kysely.transaction().execute((trx) =>
            eachMarketRow(trx, { withSources, raw: tdb.db, fields }, (row, rowid) => {
              seen.push({ ...row });
              rowids.push(rowid);
            }),
          );
          if (tdb.db.dialect === 'sqlite') {
            const unread = (r: MarketRow): MarketRow =>
              fields === every ? r : { ...r, city: null, district: null, industry: null, territoryId: null };
            expect(seen).toEqual(expected.map(unread));
            expect(new Set(rowids).size).toBe(expected.length);
            expect(rowids.every((r) => typeof r === 'number')).toBe(true);
          } else {
            expect(seen).toEqual(expected);
            expect(rowids.every((r) => r === null)).toBe(true);
          }
        }
      }
    });

    it('eachPlanAccount gives the rows of loadPlanAccounts(null), in order, outside and inside a transaction', async () => {
      const expected = await loadPlanAccounts(tdb.db.kysely, null);
      expect(expected.length).toBeGreaterThan(50);
      const read = async (db: Parameters<typeof eachPlanAccount>[0]) => {
        const rows: PlanAccountRow[] = [];
        await eachPlanAccount(db, tdb.db, (id, tier, tierOverride, city, district, score, ownerId) => {
          rows.push({ id, tier, tierOverride, city, district, score, ownerId });
        });
        return rows;
      };
      expect(await read(tdb.db.kysely)).toEqual(expected);
      expect(await tdb.db.kysely.transaction().execute((trx) => read(trx))).toEqual(expected);
    });

    it("eachPlanAccount for one owner gives loadPlanAccounts(owner)'s rows, in order, outside and inside a transaction", async () => {
      // Owners with accounts out of the market or without a tier too: those are left out for one owner as for all.
      const owners = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('owner_id', 'is not', null)
        .groupBy('owner_id')
        .execute();
      expect(owners.length).toBeGreaterThan(1);
      let leftOut = 0;
      for (const { owner_id: ownerId, n } of owners) {
        if (!ownerId) continue;
        const expected = await loadPlanAccounts(tdb.db.kysely, ownerId);
        leftOut += Number(n) - expected.length;
        const read = async (db: Parameters<typeof eachPlanAccount>[0]) => {
          const rows: PlanAccountRow[] = [];
          await eachPlanAccount(
            db,
            tdb.db,
            (id, tier, tierOverride, city, district, score, owner) => {
              rows.push({ id, tier, tierOverride, city, district, score, ownerId: owner });
            },
            ownerId,
          );
          return rows;
        };
        expect(await read(tdb.db.kysely)).toEqual(expected);
        expect(await tdb.db.kysely.transaction().execute((trx) => read(trx))).toEqual(expected);
      }
      expect(leftOut).toBeGreaterThan(0);
      expect((await loadPlanAccounts(tdb.db.kysely, null)).length).toBeGreaterThan(0);
    });

    it("loadLastTouches with the raw connection gives Kysely's last touches, for one owner and for the market", async () => {
      const owners = await tdb.db.kysely
        .selectFrom('accounts')
        .select('owner_id')
        .distinct()
        .where('owner_id', 'is not', null)
        .execute();
      const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      let seen = 0;
      for (const ownerId of [null, ...owners.map((o) => o.owner_id)]) {
        const expected = await loadLastTouches(tdb.db.kysely, ownerId);
        seen += expected.size;
        expect(sorted(await loadLastTouches(tdb.db.kysely, ownerId, tdb.db))).toEqual(sorted(expected));
        const inside = await tdb.db.kysely
          .transaction()
          .execute((trx) => loadLastTouches(trx, ownerId, tdb.db));
        expect(sorted(inside)).toEqual(sorted(expected));
      }
      // The demo has logged touches on both channels.
      const all = [...(await loadLastTouches(tdb.db.kysely, null)).values()];
      expect(all.some((t) => t.call && t.visit)).toBe(true);
      expect(seen).toBeGreaterThan(0);
    });

    it('eachPlanAccount waits for another transaction on the connection instead of reading its uncommitted rows', async () => {
      const [first] = await loadPlanAccounts(tdb.db.kysely, null);
      if (!first) throw new Error('no in-market account');
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = () => {};
      const updated = new Promise<void>((resolve) => {
        started = resolve;
      });
      const rolledBack = tdb.db.kysely
        .transaction()
        .execute(async (trx) => {
          await trx.updateTable('accounts').set({ in_market: 0 }).where('id', '=', first.id).execute();
          started();
          await held;
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await updated;
      const ids: string[] = [];
      const reading = eachPlanAccount(tdb.db.kysely, tdb.db, (id) => {
        ids.push(id);
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await Promise.all([rolledBack, reading]);
      expect(ids).toContain(first.id);
    });
  });
}
