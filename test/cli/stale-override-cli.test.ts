import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { createTerritory, listTerritories, updateTerritory } from '../../src/services/territories.ts';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId } from '../helpers/demo.ts';

// `tierline accounts tier` and `tierline territories delete` act on the version they read (or --if-version): a
// change made meanwhile is refused (exit 1, naming the version it is at now), not overwritten or deleted unseen.
for (const dialect of DIALECTS) {
  describe(`tierline accounts tier and territories delete on ${dialect.name}`, { timeout: 120_000 }, () => {
    let tdb: TestDatabase;
    let system: ServiceContext;
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);

    beforeAll(async () => {
      tdb = await dialect.open();
      system = makeContext(tdb.db, undefined, fixedClock);
      await loadDemoWorkspace(system);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('overrides a tier on the version read, and refuses a stale --if-version', async () => {
      const row = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['id', 'version'])
        .where('in_market', '=', 1)
        .where('tier', '=', 'B')
        .where('tier_override', 'is', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const set = await cli('accounts', 'tier', row.id, '--tier', 'A', '--reason', '集团采购', '--json');
      expect(set.code, set.stderr).toBe(0);
      const saved = JSON.parse(set.stdout);
      expect(saved).toMatchObject({
        id: row.id,
        tier: 'A',
        tierOverride: 'A',
        tierOverrideReason: '集团采购',
      });

      // Another manager read the account before that override: theirs is refused.
      const stale = await cli(
        'accounts',
        'tier',
        row.id,
        '--tier',
        'C',
        '--reason',
        'Lost the tender',
        '--if-version',
        String(row.version),
      );
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`you edited version ${row.version}, it is now ${saved.version}`);
      const shown = JSON.parse((await cli('accounts', 'show', row.id, '--json')).stdout);
      expect(shown).toMatchObject({ tierOverride: 'A', version: saved.version });

      const removed = await cli(
        'accounts',
        'tier',
        row.id,
        '--tier',
        'auto',
        '--reason',
        'Back to the score',
      );
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toMatch(/tier A → B \(computed\)/);

      const noTier = await cli('accounts', 'tier', row.id, '--reason', 'x');
      expect(noTier.code).toBe(2);
    });

    it('deletes a territory on the version read, and refuses a stale --if-version', async () => {
      const repId = await demoUserId(tdb);
      const made = await createTerritory(system, { name: '珠海', repId, cities: ['珠海市'] });
      const changed = await updateTerritory(system, made.id, {
        cities: ['珠海市', '中山市'],
        version: made.version,
      });
      const stale = await cli('territories', 'delete', made.id, '--if-version', String(made.version));
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`you edited version ${made.version}, it is now ${changed.version}`);
      expect((await listTerritories(system)).map((t) => t.id)).toContain(made.id);

      const deleted = await cli('territories', 'delete', made.id);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stdout).toContain('Deleted territory 珠海');
      expect((await listTerritories(system)).map((t) => t.id)).not.toContain(made.id);
    });
  });
}
