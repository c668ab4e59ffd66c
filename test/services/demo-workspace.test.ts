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
      // (A handful of touches, about one in eight missed: most of them are done; by the UTC date none would be.)
      const done = yesterday.filter((t) => t.status === 'done').length;
      expect(done / yesterday.length).toBeGreaterThanOrEqual(0.5);

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

    it('calls more than the plan asks (method §4), with the unplanned history before the plan', async () => {
      const db = tdb.db.kysely;
      const planned = await db
        .selectFrom('planned_touches')
        .select(['due_on'])
        .where('channel', '=', 'call')
        .where('due_on', '>=', '2026-11-02')
        .where('due_on', '<', '2026-11-28')
        .execute();
      const calls = await db
        .selectFrom('activities')
        .select(['occurred_at', 'planned_touch_id'])
        .where('channel', '=', 'call')
        .execute();
      const inPlan = calls.filter((c) => c.occurred_at >= '2026-11-01T16:00:00.000Z');
      expect(planned.length).toBeGreaterThan(0);
      expect(inPlan.length).toBeGreaterThan(planned.length);
      // Before the plan: calls logged without one (the plan starts each account from its last touch).
      const before = calls.filter((c) => c.occurred_at < '2026-10-31T00:00:00.000Z');
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((c) => c.planned_touch_id === null)).toBe(true);
    });

    it('gives each account a street address in its own city and district', async () => {
      const rows = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['city', 'district', 'address'])
        .where('address', 'is not', null)
        .execute();
      expect(rows.length).toBeGreaterThan(0);
      const elsewhere = rows.filter((r) => !r.address?.startsWith(`${r.city ?? ''}${r.district ?? ''}`));
      expect(elsewhere.map((r) => `${r.city}/${r.district}: ${r.address}`)).toEqual([]);
    });

    it('has no account past the prospect stage that nobody ever contacted', async () => {
      const db = tdb.db.kysely;
      const uncontacted = await db
        .selectFrom('accounts')
        .select(['stage'])
        .where('id', 'not in', (eb) => eb.selectFrom('activities').select('account_id'))
        .execute();
      expect(uncontacted.length).toBeGreaterThan(0);
      expect(uncontacted.filter((a) => a.stage !== 'prospect')).toEqual([]);
      const stages = await db.selectFrom('accounts').select('stage').distinct().execute();
      expect(stages.length).toBeGreaterThanOrEqual(5);
    });

    it("shows the playbook's preferred responses used most and working best (method §5)", async () => {
      const rows = await tdb.db.kysely
        .selectFrom('activities as a')
        .innerJoin('objection_responses as r', 'r.id', 'a.response_id')
        .select(['r.is_preferred', 'a.outcome', 'a.next_step'])
        .execute();
      const tally = (preferred: boolean) => {
        const used = rows.filter((r) => Boolean(r.is_preferred) === preferred);
        const ok = used.filter((r) => r.outcome === 'meeting_booked' || (r.next_step ?? '').trim() !== '');
        return { uses: used.length, rate: ok.length / Math.max(1, used.length) };
      };
      const preferred = tally(true);
      const others = tally(false);
      expect(preferred.uses).toBeGreaterThan(others.uses);
      expect(preferred.rate).toBeGreaterThan(others.rate);
      expect(preferred.rate).toBeGreaterThan(0.3);
      // Objections met on planned calls carry the response used too, not only the history before the plan.
      const withoutResponse = await tdb.db.kysely
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('objection_id', 'is not', null)
        .where('response_id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(withoutResponse.n)).toBe(0);
    });

    it('shows a spread of learning stages for the second rep and none yet for the first', async () => {
      const rows = await tdb.db.kysely
        .selectFrom('skill_stages as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['u.email', 's.stage'])
        .execute();
      const stagesOf = (email: string) => rows.filter((r) => r.email === email).map((r) => Number(r.stage));
      expect(stagesOf('li.na@demo.tierline.local').every((s) => s === 1)).toBe(true);
      const david = stagesOf('david.zhang@demo.tierline.local');
      expect(david).toContain(4);
      expect(david).toContain(3);
      expect(david.filter((s) => s >= 2).length).toBeGreaterThanOrEqual(5);
    });

    it('has the second rep drilling twice a week for eight weeks, and the first not yet', async () => {
      const reviews = await tdb.db.kysely
        .selectFrom('drill_reviews as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['u.email', 'r.reviewed_at'])
        .execute();
      expect(reviews.filter((r) => r.email === 'li.na@demo.tierline.local')).toEqual([]);
      const weeks = new Set(reviews.map((r) => Math.floor(Date.parse(r.reviewed_at) / (7 * 86_400_000))));
      expect(weeks.size).toBeGreaterThanOrEqual(7);
      expect(reviews.length).toBeGreaterThanOrEqual(16);
    });

    it("writes the market's note in the workspace's language, Chinese, once (not a Chinese / English pair)", async () => {
      const notes = await tdb.db.kysely.selectFrom('market_definitions').select('note').execute();
      expect(notes.length).toBeGreaterThan(0);
      for (const { note } of notes) {
        expect(note).toMatch(/\p{Script=Han}/u);
        expect(note).not.toMatch(/[A-Za-z]/);
      }
    });
  });
}
