import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import {
  createSavedView,
  deleteSavedView,
  getSavedView,
  listSavedViews,
  updateSavedView,
} from '../../src/services/saved-views.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// Saved views of the Accounts table (services/saved-views.ts): per user, validated by the list's schema,
// unique names, version-guarded edits.

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

for (const dialect of DIALECTS) {
  describe(`saved views on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let rep: ServiceContext;
    let mate: ServiceContext;
    let admin: ServiceContext;

    const ctxOf = (user: People['rep']) =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      rep = ctxOf(people.rep);
      mate = ctxOf(people.mate);
      admin = ctxOf(people.admin);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('saves, lists, opens, renames and deletes a view of one’s own', async () => {
      const query = {
        tier: ['A' as const, 'B' as const],
        province: ['广东省'],
        overdue: true,
        sort: 'annualSales' as const,
        order: 'desc' as const,
        pageSize: 100,
      };
      const saved = await createSavedView(rep, { name: '广东 A/B 逾期', query, columns: ['tier', 'stage'] });
      expect(saved).toMatchObject({ name: '广东 A/B 逾期', query, columns: ['tier', 'stage'], version: 1 });
      expect(saved.createdAt).toBe(fixedClock().toISOString());
      await createSavedView(rep, { name: 'Alle', query: {} });

      const list = await listSavedViews(rep);
      expect(list.items.map((v) => v.name)).toEqual(['Alle', '广东 A/B 逾期']);
      expect(await getSavedView(rep, saved.id)).toEqual(saved);

      const renamed = await updateSavedView(rep, saved.id, { version: 1, name: '广东重点' });
      expect(renamed).toMatchObject({ name: '广东重点', version: 2, query, columns: ['tier', 'stage'] });
      const requeried = await updateSavedView(rep, saved.id, {
        version: 2,
        query: { stage: ['meeting'] },
        columns: null,
      });
      expect(requeried).toMatchObject({ query: { stage: ['meeting'] }, columns: null, version: 3 });

      await deleteSavedView(rep, saved.id);
      expect((await listSavedViews(rep)).items.map((v) => v.name)).toEqual(['Alle']);
      expect((await rejection(getSavedView(rep, saved.id))).code).toBe('not_found');
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'saved_view')
        .where('entity_id', '=', saved.id)
        .orderBy('at')
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update', 'update']);
    });

    it('shows each person only their own views, admins included', async () => {
      const view = await createSavedView(rep, { name: 'Mine', query: { inMarket: true } });
      expect((await listSavedViews(mate)).items.map((v) => v.name)).not.toContain('Mine');
      expect((await listSavedViews(admin)).items).toEqual([]);
      for (const other of [mate, admin]) {
        expect((await rejection(getSavedView(other, view.id))).code).toBe('not_found');
        expect((await rejection(updateSavedView(other, view.id, { version: 1, name: 'x' }))).code).toBe(
          'not_found',
        );
        expect((await rejection(deleteSavedView(other, view.id))).code).toBe('not_found');
      }
      // The same name is free for someone else.
      expect((await createSavedView(mate, { name: 'Mine', query: {} })).name).toBe('Mine');
      // The command line has no user to own a view.
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      expect((await rejection(listSavedViews(system))).code).toBe('bad_request');
    });

    it('keeps names unique per person and edits guarded by version', async () => {
      const a = await createSavedView(rep, { name: 'Eins', query: {} });
      await createSavedView(rep, { name: 'Zwei', query: {} });
      const duplicate = await rejection(createSavedView(rep, { name: ' Eins ', query: {} }));
      expect(duplicate.code).toBe('conflict');
      expect(duplicate.message).toContain('Eins');
      expect((await rejection(updateSavedView(rep, a.id, { version: 1, name: 'Zwei' }))).code).toBe(
        'conflict',
      );
      await updateSavedView(rep, a.id, { version: 1, name: 'Drei' });
      const stale = await rejection(updateSavedView(rep, a.id, { version: 1, name: 'Vier' }));
      expect(stale.code).toBe('version_conflict');
      expect(stale.details).toMatchObject({ current: { name: 'Drei', version: 2 } });
    });

    it('accepts only queries the account list accepts, saying where and why', async () => {
      const unknown = await rejection(createSavedView(rep, { name: 'Bad', query: { colour: 'red' } }));
      expect(unknown.code).toBe('validation_failed');
      expect(unknown.message).toMatch(/^query\.colour: the account list has no such filter/);
      const page = await rejection(createSavedView(rep, { name: 'Bad', query: { page: 3 } }));
      expect(page.message).toMatch(/^query\.page/);
      expect((await listSavedViews(rep)).items.map((v) => v.name)).not.toContain('Bad');
    });

    it('reads back a stored query that no longer validates, field by field', async () => {
      const view = await createSavedView(rep, { name: 'Old', query: { inMarket: true } });
      await tdb.db.kysely
        .updateTable('saved_views')
        .set({ query: JSON.stringify({ inMarket: true, sort: 'removedColumn' }), columns: '["tier","gone"]' })
        .where('id', '=', view.id)
        .execute();
      expect(await getSavedView(rep, view.id)).toMatchObject({
        query: { inMarket: true },
        columns: ['tier'],
      });
    });
  });
}
