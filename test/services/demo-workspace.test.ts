import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// Friday 2026-11-27, 20:00 UTC: already Saturday 2026-11-28, 04:00 in Shanghai (the demo workspace's zone).
const NOW = new Date('2026-11-27T20:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`demo workspace loaded in Shanghai's early morning on ${dialect.name}`, () => {
    let tdb: TestDatabase;

    beforeAll(async () => {
      tdb = await dialect.open();
      await loadDemoWorkspace(makeContext(tdb.db, { userId: null, role: 'system' }, () => NOW));
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    async function touchesDue(where: (day: string) => boolean) {
      const rows = await tdb.db.kysely.selectFrom('planned_touches').select(['due_on', 'status']).execute();
      return rows.filter((r) => where(r.due_on));
    }

    it('works the plans up to the workspace’s yesterday, not the UTC one', async () => {
      // Shanghai's yesterday is Friday the 27th: its touches were worked like every earlier day's.
      const yesterday = await touchesDue((d) => d === '2026-11-27');
      expect(yesterday.length).toBeGreaterThan(0);
      const leftOpen = yesterday.filter((t) => t.status === 'planned').length;
      expect(leftOpen / yesterday.length).toBeLessThan(0.3);

      // Nothing due today or later was logged in advance.
      const ahead = await touchesDue((d) => d >= '2026-11-28');
      expect(ahead.length).toBeGreaterThan(0);
      expect(ahead.every((t) => t.status === 'planned')).toBe(true);
    });

    it('starts the plans four weeks before the workspace’s today and leaves about one touch in eight overdue', async () => {
      const all = await touchesDue(() => true);
      const first = all.map((t) => t.due_on).sort()[0];
      // 28 days before Saturday the 28th is Saturday the 31st of October; the first working day after it is Monday.
      expect(first).toBe('2026-11-02');
      const past = all.filter((t) => t.due_on < '2026-11-28');
      const overdue = past.filter((t) => t.status === 'planned').length;
      expect(overdue).toBeGreaterThan(0);
      expect(overdue / past.length).toBeGreaterThan(0.05);
      expect(overdue / past.length).toBeLessThan(0.25);
    });
  });
}
