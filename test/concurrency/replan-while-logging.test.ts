import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan, commitPlansForAllReps } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// Re-planning while reps log touches: commits of the rep's plan (and of every rep's plan) run at the same time
// as a stream of logged calls and visits. No logged touch is lost or refused, and every touch that completed a
// planned touch is linked to it both ways (a re-plan never deletes a touch that is being completed).

const ACCOUNTS = 40;
/** Rounds of (one re-plan + 12 logged touches at once); PostgreSQL gets more (real concurrency: the race is rare). */
const roundsFor = (dialect: string) =>
  Number(process.env.TIERLINE_TEST_ROUNDS ?? (dialect === 'postgres' ? 30 : 6));

for (const dialect of DIALECTS) {
  describe(`re-planning while touches are logged, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    let rep: ServiceContext;
    const accountIds: string[] = [];

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW);
      rep = makeContext(
        tdb.db,
        { userId: people.rep.id, role: 'rep', teamId: people.teamA },
        () => FIXED_NOW,
      );
      for (let i = 0; i < ACCOUNTS; i++) {
        accountIds.push((await createAccount(system, makeAccountInput({ ownerId: people.rep.id }))).id);
      }
      await saveMarket(system, { criteria: { provinces: ['广东省'] } });
      await commitPlan(system, { repId: people.rep.id, acceptOverload: true });
    }, 120_000);
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('loses no logged touch and leaves no half-linked one', async () => {
      const ROUNDS = roundsFor(dialect.name);
      const logged: string[] = [];
      const failures: unknown[] = [];
      let sequence = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const replans: Promise<unknown>[] =
          round % 2 === 0
            ? [commitPlan(system, { repId: people.rep.id, acceptOverload: true })]
            : [commitPlansForAllReps(system, { acceptOverload: true })];
        const logs = Array.from({ length: 12 }, async () => {
          sequence += 1;
          const accountId = accountIds[sequence % ACCOUNTS] as string;
          const note = `round ${round} touch ${sequence}`;
          try {
            const result = await logTouch(rep, accountId, {
              channel: sequence % 2 === 0 ? 'call' : 'visit',
              outcome: 'reached',
              note,
            });
            logged.push(result.activity.id);
          } catch (error) {
            failures.push(error);
          }
        });
        const settled = await Promise.allSettled([...replans, ...logs]);
        for (const s of settled) if (s.status === 'rejected') failures.push(s.reason);
      }
      expect(failures).toEqual([]);
      expect(logged).toHaveLength(ROUNDS * 12);

      const stored = await tdb.db.kysely.selectFrom('activities').select('id').execute();
      expect(new Set(stored.map((a) => a.id))).toEqual(new Set(logged));
      const halfLinked = await sql<{ n: number }>`
        select count(*) as n from activities a
        left join planned_touches t on t.id = a.planned_touch_id
        where a.planned_touch_id is not null
          and (t.id is null or t.status <> 'done' or t.activity_id is null or t.activity_id <> a.id)`.execute(
        tdb.db.kysely,
      );
      expect(
        Number(halfLinked.rows[0]?.n),
        'touches linked to a planned touch that is gone or still open',
      ).toBe(0);
      const doneWithoutActivity = await sql<{ n: number }>`
        select count(*) as n from planned_touches t
        where t.status = 'done' and (t.activity_id is null
          or not exists (select 1 from activities a where a.id = t.activity_id))`.execute(tdb.db.kysely);
      expect(Number(doneWithoutActivity.rows[0]?.n)).toBe(0);
    }, 300_000);
  });
}
