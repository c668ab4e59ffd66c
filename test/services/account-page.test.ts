import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccountProfile } from '../../src/services/account-profile.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { getAgenda, logTouch, plannedTouchesOf } from '../../src/services/touches.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { overrideTierAsRead } from '../helpers/tier-override.ts';

// The account page's reads: the next planned touches and the profile (owner, tier basis, sources, objections).
for (const dialect of DIALECTS) {
  describe(`account page reads on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let system: ServiceContext;
    let rep: ServiceContext;
    let other: ServiceContext;
    let manager: ServiceContext;
    let repId: string;
    let repName: string;

    const userByEmail = (email: string) =>
      tdb.db.kysely
        .selectFrom('users')
        .select(['id', 'name', 'role', 'team_id'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      tdb = await dialect.open();
      system = makeContext(tdb.db, { userId: null, role: 'system' }, () => FIXED_NOW);
      await loadDemoWorkspace(system);
      const li = await userByEmail('li.na@demo.tierline.local');
      const david = await userByEmail('david.zhang@demo.tierline.local');
      const boss = await userByEmail('manager@demo.tierline.local');
      repId = li.id;
      repName = li.name;
      rep = makeContext(tdb.db, { userId: li.id, role: 'rep', teamId: li.team_id }, () => FIXED_NOW);
      other = makeContext(tdb.db, { userId: david.id, role: 'rep', teamId: david.team_id }, () => FIXED_NOW);
      manager = makeContext(
        tdb.db,
        { userId: boss.id, role: 'manager', teamId: boss.team_id },
        () => FIXED_NOW,
      );
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('lists the next planned touches in date order and re-plans them after a log', async () => {
      // Everything due until the end of the year (today's agenda alone can be empty).
      const agenda = await getAgenda(rep, { date: '2026-12-31' });
      const call = agenda.items.find((i) => i.channel === 'call');
      expect(call, 'the demo rep has a call planned').toBeTruthy();
      const accountId = call?.accountId as string;

      const before = await plannedTouchesOf(rep, accountId);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((t) => t.status === 'planned' && t.accountId === accountId)).toBe(true);
      expect(before.map((t) => t.dueOn)).toEqual([...before.map((t) => t.dueOn)].sort());
      expect(before.some((t) => t.id === call?.touchId)).toBe(true);
      expect(await plannedTouchesOf(rep, accountId, { limit: 1 })).toHaveLength(1);

      const logged = await logTouch(rep, accountId, { channel: 'call', outcome: 'reached' });
      const after = await plannedTouchesOf(rep, accountId);
      expect(after.some((t) => t.id === call?.touchId)).toBe(false);
      const nextCall = after.find((t) => t.channel === 'call');
      expect(nextCall?.dueOn).toBe(logged.nextTouches[0]?.dueOn);
      expect(nextCall && nextCall.dueOn > FIXED_NOW.toISOString().slice(0, 10)).toBe(true);
    });

    it('hides another rep’s account (404, ids do not leak)', async () => {
      const agenda = await getAgenda(rep, { date: '2026-12-31' });
      const accountId = agenda.items[0]?.accountId as string;
      await expect(plannedTouchesOf(other, accountId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(getAccountProfile(other, accountId)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('names the owner, the objections met with the responses used, and who logged', async () => {
      // Any account of the rep's plan (today's agenda can be empty: the plan's phases depend on random ids).
      const planned = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select('account_id')
        .where('rep_id', '=', repId)
        .orderBy('due_on')
        .limit(1)
        .executeTakeFirstOrThrow();
      const accountId = planned.account_id;
      const objection = await tdb.db.kysely
        .selectFrom('objections')
        .select(['id', 'code', 'label_zh'])
        .where('code', '=', 'no-budget')
        .executeTakeFirstOrThrow();
      const response = await tdb.db.kysely
        .selectFrom('objection_responses')
        .select(['id', 'code'])
        .where('objection_id', '=', objection.id)
        .limit(1)
        .executeTakeFirstOrThrow();
      await logTouch(rep, accountId, {
        channel: 'call',
        outcome: 'refused',
        objectionId: objection.id,
        responseId: response.id,
        note: '明年再谈',
      });

      const profile = await getAccountProfile(rep, accountId);
      expect(profile.owner).toEqual({ id: repId, name: repName });
      expect(profile.people).toContainEqual({ id: repId, name: repName });
      const met = profile.objections.find((o) => o.id === objection.id);
      expect(met).toMatchObject({ code: 'no-budget', label: { zh: objection.label_zh } });
      expect(met?.met).toBeGreaterThanOrEqual(1);
      expect(met?.lastMetAt).toBe(FIXED_NOW.toISOString());
      expect(met?.responses.find((r) => r.id === response.id)?.used).toBeGreaterThanOrEqual(1);
      expect(profile.objections[0]?.id).toBe(objection.id);
    });

    it('explains the tier: rank among in-market accounts, and a manual override with who and why', async () => {
      const top = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['id', 'potential_score'])
        .where('in_market', '=', 1)
        .where('owner_id', '=', repId)
        .orderBy('potential_score', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const profile = await getAccountProfile(rep, top.id);
      expect(profile.tierOverride).toBeNull();
      expect(profile.tierBasis.cut).toMatchObject({ method: 'rank', aPercent: 20, bPercent: 30 });
      expect(profile.tierBasis.inMarket).toBeGreaterThan(0);
      expect(profile.tierBasis.rank).toBeGreaterThanOrEqual(1);
      expect(profile.tierBasis.rank).toBeLessThanOrEqual(profile.tierBasis.inMarket);

      await overrideTierAsRead(manager, top.id, { tier: 'B', reason: '集团统一采购' });
      const after = await getAccountProfile(rep, top.id);
      expect(after.tierOverride).toMatchObject({
        tier: 'B',
        reason: '集团统一采购',
        by: { id: manager.actor.userId, name: expect.any(String) },
        at: FIXED_NOW.toISOString(),
      });

      const out = await tdb.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('in_market', '=', 0)
        .limit(1)
        .executeTakeFirstOrThrow();
      expect((await getAccountProfile(system, out.id)).tierBasis.rank).toBeNull();
    });

    it('lists the sources an account came from', async () => {
      const linked = await tdb.db.kysely
        .selectFrom('account_sources')
        .select('account_id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const profile = await getAccountProfile(system, linked.account_id);
      expect(profile.sources.length).toBeGreaterThan(0);
      expect(profile.sources[0]).toMatchObject({
        name: expect.any(String),
        kind: expect.stringMatching(/^(purchased|free)$/),
        cost: expect.any(Number),
      });
    });
  });
}
