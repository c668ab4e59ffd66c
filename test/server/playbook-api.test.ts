import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`playbook and practice API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    const sessions: Record<'manager' | 'rep' | 'mate' | 'otherManager', Session> = {} as never;
    const as = (who: keyof typeof sessions) => (options: InjectOptions) =>
      app.inject({ ...options, headers: { ...sessions[who].headers, ...(options.headers ?? {}) } });

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      for (const who of ['manager', 'rep', 'mate', 'otherManager'] as const) {
        sessions[who] = await signIn(app, people[who]);
      }
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('needs a session', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/objections' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    });

    it("lists the playbook in the user's language and shows one objection by code", async () => {
      const res = await as('rep')({ method: 'GET', url: '/api/objections' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.lang).toBe('en');
      expect(body.objections).toHaveLength(7);
      expect(body.objections[0]).toMatchObject({ code: 'send-material', title: 'Send me material' });
      const zh = (await as('rep')({ method: 'GET', url: '/api/objections/no-budget?lang=zh' })).json();
      expect(zh).toMatchObject({ code: 'no-budget', title: '没有预算', text: zh.zh });
      expect(zh.responses[0].preferred).toBe(true);
      const missing = await as('rep')({ method: 'GET', url: '/api/objections/nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('not_found');
    });

    it.each([
      ['预算', 'no-budget'],
      ['价格太高', 'price-too-high'],
      ['供应商', 'have-supplier'],
      ['supplier', 'have-supplier'],
    ])('searches %s', async (q, code) => {
      const res = await as('rep')({
        method: 'GET',
        url: `/api/objections/search?q=${encodeURIComponent(q)}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().hits[0].objection.code).toBe(code);
    });

    it('edits with versions (409 when stale) and keeps edits to managers', async () => {
      const before = (await as('manager')({ method: 'GET', url: '/api/objections/in-house' })).json();
      const ok = await as('manager')({
        method: 'PATCH',
        url: '/api/objections/in-house',
        payload: { version: before.version, en: 'We can do this ourselves.' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().version).toBe(before.version + 1);
      const stale = await as('manager')({
        method: 'PATCH',
        url: '/api/objections/in-house',
        payload: { version: before.version, en: 'Stale edit' },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'version_conflict',
        details: { current: { version: before.version + 1 } },
      });
      const byRep = await as('rep')({
        method: 'PATCH',
        url: '/api/objections/in-house',
        payload: { version: before.version + 1, en: 'x' },
      });
      expect(byRep.statusCode).toBe(403);
      const bad = await as('manager')({
        method: 'POST',
        url: '/api/objections',
        payload: { code: 'Not A Code', zh: 'x' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('bad_request');

      const alt = await as('rep')({
        method: 'POST',
        url: '/api/objections/in-house/responses',
        payload: { zh: '我们可以只负责旺季的那一部分。' },
      });
      expect(alt.statusCode).toBe(201);
      const added = alt
        .json()
        .responses.find((r: { zh: string }) => r.zh === '我们可以只负责旺季的那一部分。');
      const preferred = await as('manager')({
        method: 'POST',
        url: '/api/objections/in-house/preferred',
        payload: { responseId: added.id, version: alt.json().version },
      });
      expect(preferred.statusCode).toBe(200);
      expect(
        preferred
          .json()
          .responses.filter((r: { preferred: boolean }) => r.preferred)
          .map((r: { id: string }) => r.id),
      ).toEqual([added.id]);
    });

    it('reports what works', async () => {
      const res = await as('manager')({
        method: 'GET',
        url: '/api/objections/effectiveness?groupBy=user&period=month',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ groupBy: 'user', period: 'month', touches: 0, rows: [] });
    });

    it('runs a drill: queue, reveal, review, stage move, due count', async () => {
      const queue = (await as('rep')({ method: 'GET', url: '/api/practice/queue?limit=3&lang=zh' })).json();
      expect(queue.items).toHaveLength(3);
      expect(queue.counts).toMatchObject({ due: 0, new: 7 });
      const item = queue.items[0];
      const answer = (
        await as('rep')({ method: 'GET', url: `/api/practice/answer/${item.objectionId}?lang=zh` })
      ).json();
      expect(answer.preferred.text.length).toBeGreaterThan(10);
      const review = await as('rep')({
        method: 'POST',
        url: '/api/practice/reviews',
        payload: { objectionId: item.objectionId, rating: 'good', prompt: item.prompt, answer: '带资料上门' },
      });
      expect(review.statusCode).toBe(200);
      expect(review.json().stage.transition).toMatchObject({ from: 1, to: 2, rule: 'practice-aware' });
      const due = (await as('rep')({ method: 'GET', url: '/api/practice/due' })).json();
      expect(due).toMatchObject({ userId: people.rep.id, due: 0, new: 6 });
      const forOther = await as('rep')({
        method: 'POST',
        url: '/api/practice/reviews',
        payload: { objectionId: item.objectionId, rating: 'good', userId: people.mate.id },
      });
      expect(forOther.statusCode).toBe(403);
    });

    it('assesses: reps themselves, managers their team only', async () => {
      const self = await as('rep')({
        method: 'POST',
        url: '/api/skills/objection:no-budget/self-assessment',
        payload: { stage: 2 },
      });
      expect(self.statusCode).toBe(200);
      expect(self.json()).toMatchObject({ stage: 2, transition: { rule: 'self-assessment-aware' } });
      const repAssessing = await as('rep')({
        method: 'POST',
        url: '/api/skills/objection:no-budget/assessment',
        payload: { userId: people.mate.id, stage: 3 },
      });
      expect(repAssessing.statusCode).toBe(403);
      expect(repAssessing.json().error.code).toBe('forbidden');
      const managerAssessing = await as('manager')({
        method: 'POST',
        url: `/api/skills/${encodeURIComponent('objection:no-budget')}/assessment`,
        payload: { userId: people.rep.id, stage: 3 },
      });
      expect(managerAssessing.statusCode).toBe(200);
      expect(managerAssessing.json()).toMatchObject({
        stage: 3,
        transition: { from: 2, to: 3, rule: 'manager-assessment' },
      });
      const otherTeam = await as('otherManager')({
        method: 'POST',
        url: '/api/skills/objection:no-budget/assessment',
        payload: { userId: people.rep.id, stage: 1 },
      });
      expect(otherTeam.statusCode).toBe(404);

      const stages = (
        await as('manager')({ method: 'GET', url: `/api/skills/stages?userId=${people.rep.id}` })
      ).json();
      expect(
        stages.skills.find((s: { skill: { code: string } }) => s.skill.code === 'objection:no-budget').stage,
      ).toBe(3);
      const history = (
        await as('rep')({ method: 'GET', url: '/api/skills/history?skillId=objection:no-budget' })
      ).json();
      expect(history.map((h: { rule: string }) => h.rule)).toEqual([
        'manager-assessment',
        'self-assessment-aware',
      ]);
      expect(
        (await as('mate')({ method: 'GET', url: `/api/skills/stages?userId=${people.rep.id}` })).statusCode,
      ).toBe(403);

      const skill = await as('manager')({
        method: 'POST',
        url: '/api/skills',
        payload: { en: 'Closing for a meeting' },
      });
      expect(skill.statusCode).toBe(201);
      expect(skill.json().code).toBe('custom:closing-for-a-meeting');
      expect(skill.json().description).toBe('');
      const described = await as('manager')({
        method: 'POST',
        url: '/api/skills',
        payload: { zh: '约下次拜访', description: '每次通话结束前约定下一步。' },
      });
      expect(described.statusCode).toBe(201);
      expect(described.json()).toMatchObject({ zh: '约下次拜访', description: '每次通话结束前约定下一步。' });
      // The web form shows a refused field under that field: the issue names it.
      const tooLong = await as('manager')({
        method: 'POST',
        url: '/api/skills',
        payload: { en: 'Too long', description: 'x'.repeat(1001) },
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.details.issues[0].path).toBe('body.description');
      expect(
        (await as('rep')({ method: 'POST', url: '/api/skills', payload: { en: 'Mine' } })).statusCode,
      ).toBe(403);
    });

    it('gives managers the team view and refuses reps', async () => {
      const team = await as('manager')({ method: 'GET', url: '/api/practice/team?weeks=4' });
      expect(team.statusCode).toBe(200);
      const body = team.json();
      expect(body.weeks).toHaveLength(4);
      expect(body.members.map((m: { userId: string }) => m.userId).sort()).toEqual(
        [people.rep.id, people.mate.id].sort(),
      );
      expect(body.practice.find((p: { userId: string }) => p.userId === people.rep.id).total).toBe(1);
      expect((await as('rep')({ method: 'GET', url: '/api/practice/team' })).statusCode).toBe(403);
    });

    it('documents the routes in OpenAPI under the playbook and practice tags', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      expect(doc.paths['/api/objections/search'].get.tags).toEqual(['playbook']);
      expect(doc.paths['/api/practice/reviews'].post.tags).toEqual(['practice']);
      expect(doc.components.schemas).toHaveProperty('PlaybookObjection');
    });
  });
}
