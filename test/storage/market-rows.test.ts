import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { loadMarketRows } from '../../src/storage/repositories/market.ts';
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
  });
}
