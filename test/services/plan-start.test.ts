import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import {
  commitPlan,
  commitPlansForAllReps,
  commitTeamPlans,
  previewPlan,
  previewTeamPlans,
} from '../../src/services/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';
import { signIn } from '../helpers/session.ts';

// 00:30 on Friday 2026-11-27 in Shanghai (the demo's time zone), while it is still the 26th in UTC: a plan's days
// are the workspace's.
const NOW = new Date('2026-11-26T16:30:00.000Z');
const TODAY = '2026-11-27';
const YESTERDAY = '2026-11-26';
const LATEST = '2028-11-27';

/**
 * A plan's first day is today or later in the workspace's time zone, and at most two years ahead: a commit replaces
 * the open touches from its first day, so a plan from a past day cancelled every touch of the plan in force and left
 * its own overdue at once. Refused as 400 naming `from` (the CLI's exit 2), for one rep, several and everyone, before
 * anything changes.
 */
for (const dialect of DIALECTS) {
  describe(`a plan's first day on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let manager: ServiceContext;
    let liNa: string;
    let app: AppInstance;

    /** The open planned touches (all reps) as comparable keys. */
    const openTouches = async () =>
      (
        await tdb.db.kysely
          .selectFrom('planned_touches')
          .select(['id', 'rep_id', 'due_on'])
          .where('status', '=', 'planned')
          .execute()
      )
        .map((t) => `${t.id} ${t.rep_id} ${t.due_on}`)
        .sort();
    const plans = async () => (await tdb.db.kysely.selectFrom('plans').select('id').execute()).length;

    async function refusal(run: () => Promise<unknown>) {
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      if (!isAppError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
      return error;
    }

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      liNa = await demoUserId(tdb);
      const managerId = await demoUserId(tdb, 'manager@demo.tierline.local');
      manager = makeContext(tdb.db, { userId: managerId, role: 'manager' }, () => NOW);
      app = await buildApp(tdb.db, { now: () => NOW, webRoot: '/nonexistent' });
    });
    afterAll(async () => {
      await app?.close();
      await tdb.cleanup();
    });

    it('refuses a commit from a past day, naming from and today in the workspace time zone, and keeps the plan', async () => {
      const before = await openTouches();
      const plansBefore = await plans();
      for (const from of [YESTERDAY, '2020-01-01', '1900-01-01']) {
        const error = await refusal(() =>
          commitPlan(ctx, { repId: liNa, from, months: 2, acceptOverload: true }),
        );
        expect(error.code).toBe('bad_request');
        expect(error.message).toBe(
          `from: a plan cannot start before today (${TODAY} in Asia/Shanghai); ${from} is in the past.`,
        );
        expect(error.details).toEqual({ field: 'from', value: from, min: TODAY, max: LATEST });
      }
      expect(await openTouches()).toEqual(before);
      expect(await plans()).toBe(plansBefore);
    });

    it('refuses a first day more than two years ahead, 9999-12-31 too, naming from; today and two years on plan', async () => {
      for (const from of ['2028-11-28', '9999-12-31']) {
        for (const run of [
          () => previewPlan(ctx, { repId: liNa, from }),
          () => commitPlan(ctx, { repId: liNa, from, acceptOverload: true }),
        ]) {
          const error = await refusal(run);
          expect(error.code).toBe('bad_request');
          expect(error.message).toBe(
            `from: a plan starts at most 2 years ahead, on ${LATEST} at the latest; ${from} is later.`,
          );
          expect(error.details).toEqual({ field: 'from', value: from, min: TODAY, max: LATEST });
        }
      }
      // Both ends are allowed.
      expect((await previewPlan(ctx, { repId: liNa, from: TODAY })).from).toBe(TODAY);
      expect((await previewPlan(ctx, { repId: liNa, from: LATEST, months: 1 })).from).toBe(LATEST);
    });

    it('refuses a past first day for several reps and for everyone, saving nothing', async () => {
      const before = await openTouches();
      const plansBefore = await plans();
      for (const run of [
        () => previewTeamPlans(manager, { from: YESTERDAY }),
        () => commitTeamPlans(manager, { from: YESTERDAY, acceptOverloadFor: [liNa] }),
        () => commitPlansForAllReps(ctx, { from: '2020-01-01', acceptOverload: true }),
        () => previewPlan(ctx, { from: YESTERDAY }),
      ]) {
        const error = await refusal(run);
        expect(error.code).toBe('bad_request');
        expect(error.details).toMatchObject({ field: 'from', min: TODAY });
      }
      expect(await openTouches()).toEqual(before);
      expect(await plans()).toBe(plansBefore);
    });

    it('answers the API with 400 naming from, in the request’s language, for the preview and the team commit', async () => {
      const session = await signIn(app, 'manager@demo.tierline.local', 'tierline-demo');
      const preview = await app.inject({
        method: 'POST',
        url: '/api/plan/preview',
        headers: session.headers,
        payload: { repId: liNa, from: '1900-01-01' },
      });
      expect(preview.statusCode).toBe(400);
      expect(preview.json().error).toMatchObject({
        code: 'bad_request',
        message: `from: a plan cannot start before today (${TODAY} in Asia/Shanghai); 1900-01-01 is in the past.`,
        details: { field: 'from', value: '1900-01-01', min: TODAY, max: LATEST },
      });
      const far = await app.inject({
        method: 'POST',
        url: '/api/plan/commit',
        headers: { ...session.headers, 'accept-language': 'zh-CN' },
        payload: { repId: liNa, from: '9999-12-31', acceptOverload: true },
      });
      expect(far.statusCode).toBe(400);
      expect(far.json().error.message).toBe(
        `from: 计划最晚从 2 年后开始，即不晚于 ${LATEST}；9999-12-31 太晚了。`,
      );
      const team = await app.inject({
        method: 'POST',
        url: '/api/plan/team/commit',
        headers: session.headers,
        payload: { from: YESTERDAY, acceptOverloadFor: [liNa] },
      });
      expect(team.statusCode).toBe(400);
      expect(team.json().error.details).toMatchObject({ field: 'from', value: YESTERDAY });
    });

    it('refuses a capacity option that is not offered as a bad value of option (400), changing nothing', async () => {
      const before = await openTouches();
      const preview = await previewPlan(ctx, { repId: liNa });
      const error = await refusal(() => commitPlan(ctx, { repId: liNa, option: preview.options.length + 6 }));
      expect(error.code).toBe('bad_request');
      expect(error.details).toEqual({
        field: 'option',
        value: preview.options.length + 6,
        options: preview.options.length,
      });
      expect(await openTouches()).toEqual(before);
    });
  });
}
