import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { bulkAssign, bulkChangeStage, bulkOverrideTier } from '../../src/services/account-bulk.ts';
import { createAccount, findAccounts, getAccount, streamAccounts } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// The Accounts table's overdue filter and its bulk actions (services/account-bulk.ts): scope, skips with
// reasons, one transaction, audit entries, the size cap.

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
  describe(`accounts: overdue filter and bulk actions on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    let rep: ServiceContext;
    let otherRep: ServiceContext;
    let manager: ServiceContext;
    /** Six in-market accounts of the rep (广东省), one of theirs out of the market, two of the other rep. */
    let mine: string[];
    let outside: string;
    let theirs: string[];

    const ctxOf = (user: People['rep']) =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);
    const row = (id: string) =>
      tdb.db.kysely.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const auditCount = async (action: string) =>
      Number(
        (
          await tdb.db.kysely
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const plan = (accountId: string, dueOn: string, status: 'planned' | 'done', repId = people.rep.id) =>
      tdb.db.kysely
        .insertInto('planned_touches')
        .values({
          id: newId(),
          account_id: accountId,
          rep_id: repId,
          plan_id: null,
          channel: 'call',
          due_on: dueOn,
          due_time: null,
          status,
          activity_id: null,
          created_at: fixedClock().toISOString(),
          updated_at: fixedClock().toISOString(),
        })
        .execute();

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      rep = ctxOf(people.rep);
      otherRep = ctxOf(people.otherRep);
      manager = ctxOf(people.manager);
      mine = [];
      for (let i = 0; i < 6; i++) {
        const a = await createAccount(
          system,
          makeAccountInput({ ownerId: people.rep.id, annualSales: (i + 1) * 10_000_000 }),
        );
        mine.push(a.id);
      }
      outside = (
        await createAccount(
          system,
          makeAccountInput({ ownerId: people.rep.id, employeesMin: 5, employeesMax: 9 }),
        )
      ).id;
      theirs = [];
      for (let i = 0; i < 2; i++) {
        const a = await createAccount(
          system,
          makeAccountInput({ province: '江苏省', city: '苏州市', ownerId: people.otherRep.id }),
        );
        theirs.push(a.id);
      }
      await saveMarket(manager, { criteria: { minEmployees: 50 } });
      // Today is 2026-11-27 in Asia/Shanghai (the pinned clock).
      await plan(mine[0] as string, '2026-11-20', 'planned'); // overdue
      await plan(mine[1] as string, '2026-11-20', 'done'); // done: not overdue
      await plan(mine[2] as string, '2026-11-27', 'planned'); // due today: not overdue yet
      await plan(theirs[0] as string, '2026-11-02', 'planned', people.otherRep.id); // overdue, another team
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('filters on overdue: a planned touch due before today still open, within the scope', async () => {
      const overdue = await findAccounts(rep, { overdue: true });
      expect(overdue.items.map((a) => a.id)).toEqual([mine[0]]);
      expect(overdue.total).toBe(1);
      const notOverdue = await findAccounts(rep, { overdue: false, pageSize: 100 });
      expect(notOverdue.items.map((a) => a.id)).not.toContain(mine[0]);
      expect(notOverdue.total).toBe(6);
      // The same filter from the query string, and combined with others.
      expect((await findAccounts(rep, { overdue: 'true', tier: 'A,B,C' })).total).toBe(1);
      expect((await findAccounts(otherRep, { overdue: 'true' })).items.map((a) => a.id)).toEqual([theirs[0]]);
      expect((await findAccounts(system, { overdue: 'true' })).total).toBe(2);
      // Exports take the same filter.
      const exported: string[] = [];
      for await (const batch of streamAccounts(rep, { overdue: true }))
        exported.push(...batch.map((a) => a.id));
      expect(exported).toEqual([mine[0]]);
    });

    it('sorts with accounts lacking the sort value last, in either direction', async () => {
      const noSales = await createAccount(
        system,
        makeAccountInput({ ownerId: people.mate.id, annualSales: null }),
      );
      for (const order of ['asc', 'desc'] as const) {
        const page = await findAccounts(manager, { sort: 'annualSales', order, pageSize: 100 });
        const ids = page.items.map((a) => a.id);
        expect(ids.at(-1), order).toBe(noSales.id);
        const sales = page.items.slice(0, -1).map((a) => a.annualSales as number);
        expect(sales).toEqual([...sales].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      }
    });

    it('overrides the tier of the ticked accounts with a reason, skipping those outside the market', async () => {
      const before = await row(mine[0] as string);
      const result = await bulkOverrideTier(rep, {
        ids: [mine[0] as string, mine[1] as string, outside],
        tier: 'A',
        reason: '战略客户',
      });
      expect(result).toMatchObject({ matched: 3, changed: 2 });
      expect(result.skipped).toEqual([{ reason: 'out_of_market', count: 1, ids: [outside] }]);
      const after = await getAccount(rep, mine[0] as string);
      expect(after).toMatchObject({ tier: 'A', tierOverride: 'A', tierOverrideReason: '战略客户' });
      expect(after.version).toBe(before.version + 1);
      expect(await auditCount('tier-override')).toBe(2);
      expect(await auditCount('bulk-tier-override')).toBe(1);

      // The same again changes nothing; removing gives back the computed tier.
      const again = await bulkOverrideTier(rep, {
        ids: [mine[0] as string, mine[1] as string],
        tier: 'A',
        reason: '战略客户',
      });
      expect(again).toMatchObject({ matched: 2, changed: 0, skipped: [{ reason: 'unchanged', count: 2 }] });
      const removed = await bulkOverrideTier(rep, {
        ids: [mine[0] as string, mine[2] as string],
        tier: null,
        reason: '复核',
      });
      expect(removed).toMatchObject({ changed: 1, skipped: [{ reason: 'no_override', count: 1 }] });
      const restored = await row(mine[0] as string);
      expect(restored.tier_override).toBeNull();
      expect(restored.tier).toMatch(/^[ABC]$/);
    });

    it('refuses ticked accounts outside the caller’s scope and changes nothing', async () => {
      const error = await rejection(
        bulkChangeStage(rep, { ids: [mine[3] as string, theirs[1] as string], stage: 'meeting' }),
      );
      expect(error.code).toBe('not_found');
      expect(error.message).toContain(theirs[1]);
      expect((await row(mine[3] as string)).stage).toBe('prospect');
    });

    it('changes the stage of every account a filter matches, within the scope, in one go', async () => {
      const listed = await findAccounts(rep, { province: ['广东省'], inMarket: true });
      const result = await bulkChangeStage(rep, {
        filter: { province: ['广东省'], inMarket: true },
        expectedCount: listed.total,
        stage: 'contacted',
      });
      expect(result).toMatchObject({ matched: 6, changed: 6, skipped: [] });
      for (const id of mine) expect((await row(id)).stage).toBe('contacted');
      // The other team's accounts matched nothing (their filter would, but not the rep's scope).
      expect((await row(theirs[0] as string)).stage).toBe('prospect');
      const again = await bulkChangeStage(rep, {
        filter: { province: ['广东省'], inMarket: true },
        stage: 'contacted',
      });
      expect(again).toMatchObject({ changed: 0, skipped: [{ reason: 'unchanged', count: 6 }] });

      // A list that changed since the person looked: 409, nothing changed.
      const stale = await rejection(
        bulkChangeStage(rep, { filter: { province: ['广东省'] }, expectedCount: 2, stage: 'won' }),
      );
      expect(stale.code).toBe('conflict');
      expect((await row(mine[0] as string)).stage).toBe('contacted');
    });

    it('caps the selection with a clear message', async () => {
      const error = await rejection(
        bulkChangeStage(rep, { filter: {}, stage: 'dormant' }, { maxAccounts: 3 }),
      );
      expect(error.code).toBe('unprocessable');
      expect(error.message).toMatch(/matches 8 accounts; one bulk action changes at most 3/);
      expect((await row(mine[0] as string)).stage).toBe('contacted');
    });

    it('refuses an unknown or invalid filter', async () => {
      const unknown = await rejection(
        bulkChangeStage(rep, { filter: { colour: 'red' } as never, stage: 'won' }),
      );
      expect(unknown.code).toBe('validation_failed');
      expect(unknown.message).toMatch(/^filter\.colour/);
      const invalid = await rejection(
        bulkChangeStage(rep, { filter: { tier: ['D'] } as never, stage: 'won' }),
      );
      expect(invalid.code).toBe('validation_failed');
    });

    it('lets managers (not reps) hand the matching accounts over, with their planned touches', async () => {
      const forbidden = await rejection(
        bulkAssign(rep, { filter: { ownerId: people.rep.id }, toUserId: people.mate.id }),
      );
      expect(forbidden.code).toBe('forbidden');
      const result = await bulkAssign(manager, {
        filter: { ownerId: people.rep.id, overdue: true },
        toUserId: people.mate.id,
      });
      expect(result).toMatchObject({ matched: 1, changed: 1, plannedTouches: 1 });
      expect((await row(mine[0] as string)).owner_id).toBe(people.mate.id);
      const touches = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select(['rep_id', 'status'])
        .where('account_id', '=', mine[0] as string)
        .execute();
      expect(touches).toEqual([{ rep_id: people.mate.id, status: 'planned' }]);
      expect(await auditCount('bulk-assign')).toBe(1);

      const again = await bulkAssign(manager, { ids: [mine[0] as string], toUserId: people.mate.id });
      expect(again).toMatchObject({ changed: 0, skipped: [{ reason: 'already_owner', count: 1 }] });
      // Another team's accounts are not the manager's to see.
      const outOfScope = await rejection(
        bulkAssign(manager, { ids: [theirs[0] as string], toUserId: people.mate.id }),
      );
      expect(outOfScope.code).toBe('not_found');
      // Nor is another team's rep theirs to give accounts to.
      const notInTeam = await rejection(
        bulkAssign(manager, { ids: [mine[4] as string], toUserId: people.otherRep.id }),
      );
      expect(notInTeam.code).toBe('forbidden');
    });
  });
}
