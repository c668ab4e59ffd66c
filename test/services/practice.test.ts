import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OBJECTIONS } from '../../src/domain/objections/default-playbook.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { type Actor, makeContext, type ServiceContext } from '../../src/services/context.ts';
import { getDrillAnswer, getDrillQueue, getDueCount, reviewDrill } from '../../src/services/practice.ts';
import {
  assessSkill,
  createSkill,
  getRepSkills,
  getTeamSkills,
  listSkills,
  selfAssess,
  stageHistory,
} from '../../src/services/skills.ts';
import { logTouch } from '../../src/services/touches.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Waits until an insert into skills waits for another transaction's lock (PostgreSQL): the new skill passed its
 * check and meets the row the other transaction holds.
 */
async function skillInsertWaitingForLock(tdb: TestDatabase): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const waiting = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "skills"%'`.execute(
      tdb.db.kysely,
    );
    if (Number(waiting.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the new skill never reached its insert');
}

for (const dialect of DIALECTS) {
  describe(`skills, stages and drills on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let now: Date;
    const clock = () => now;
    const as = (u: SeededUser | null): ServiceContext => {
      const actor: Actor = u
        ? { userId: u.id, role: u.role, teamId: u.teamId }
        : { userId: null, role: 'system', teamId: null };
      return makeContext(tdb.db, actor, clock);
    };
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const stageOf = async (user: SeededUser, skillCode: string) =>
      (await getRepSkills(as(null), { userId: user.id })).skills.find((s) => s.skill.code === skillCode)
        ?.stage;
    const history = (user: SeededUser, skill: string) =>
      stageHistory(as(null), { userId: user.id, skillId: skill });
    /** An account of each rep's own (logging a touch needs an account the rep may work). */
    const accountOf: Record<string, string> = {};

    beforeAll(async () => {
      now = new Date(FIXED_NOW);
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      for (const [user, province] of [
        [people.rep, '广东省'],
        [people.mate, '广东省'],
        [people.otherRep, '江苏省'],
      ] as const) {
        accountOf[user.id] = (
          await createAccount(as(null), makeAccountInput({ ownerId: user.id, province }))
        ).id;
      }
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('lists one skill per objection and lets managers add skills', async () => {
      const skills = await listSkills(as(people.rep), { lang: 'zh' });
      expect(skills.map((s) => s.code)).toEqual(DEFAULT_OBJECTIONS.map((o) => `objection:${o.code}`));
      expect(skills[0]?.name).toBe('应对「请寄资料」');
      await expect(createSkill(as(people.rep), { en: 'Opening a cold call' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      const added = await createSkill(as(people.manager), { zh: '电话开场白', en: 'Opening a cold call' });
      expect(added).toMatchObject({
        code: 'custom:opening-a-cold-call',
        objectionId: null,
        description: '',
      });
      await expect(
        createSkill(as(people.manager), { code: 'opening-a-cold-call', en: 'Again' }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      const linked = await createSkill(as(people.admin), {
        code: 'custom:price-defence',
        en: 'Defending the price',
        objectionId: 'price-too-high',
      });
      expect(linked.objectionCode).toBe('price-too-high');
      expect((await listSkills(as(people.rep))).map((s) => s.code).slice(-2)).toEqual([
        'custom:opening-a-cold-call',
        'custom:price-defence',
      ]);
    });

    it('numbers a skill named without a code or English skill-1, skill-2…, the smallest number not taken', async () => {
      const first = await createSkill(as(people.manager), { zh: '约见面' });
      const second = await createSkill(as(people.admin), { zh: '问预算' });
      expect([first.code, second.code]).toEqual(['custom:skill-1', 'custom:skill-2']);
      // A number taken by a code written by hand is skipped; a free one below it is used first.
      await createSkill(as(people.manager), { code: 'skill-4', zh: '手写编号' });
      const third = await createSkill(as(people.manager), { zh: '讲案例' });
      const fifth = await createSkill(as(people.manager), { zh: '跟进' });
      expect([third.code, fifth.code]).toEqual(['custom:skill-3', 'custom:skill-5']);
    });

    it('answers a skill code another manager added meanwhile as the same conflict, not a database error', async () => {
      // Another transaction adds the code after the new skill's check and commits before its insert: on
      // PostgreSQL both check before either commits, and the unique index refuses the later insert.
      const code = 'custom:added-meanwhile';
      let outcome: Promise<unknown> = Promise.resolve();
      await tdb.db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('skills')
          .values({
            id: newId(),
            code,
            name_zh: '先加的',
            name_en: '',
            objection_id: null,
            created_by: people.admin.id,
            created_at: now.toISOString(),
            description: '',
          })
          .execute();
        outcome = createSkill(as(people.manager), { code: 'added-meanwhile', zh: '后加的' }).then(
          () => 'created',
          (error: unknown) => error,
        );
        if (dialect.name === 'postgres') await skillInsertWaitingForLock(tdb);
      });
      expect(await outcome).toMatchObject({
        code: 'conflict',
        details: { field: 'code' },
        message: `A skill with code ${code} already exists; choose another code.`,
      });
      const rows = await tdb.db.kysely
        .selectFrom('skills')
        .select('name_zh')
        .where('code', '=', code)
        .execute();
      expect(rows).toEqual([{ name_zh: '先加的' }]);
    });

    it("keeps a manager's description of a skill and shows the skill in the team matrix", async () => {
      await expect(
        createSkill(as(people.manager), { zh: '讲案例', description: '长'.repeat(1001) }),
      ).rejects.toThrow(/1000|too_big|too big/i);
      const added = await createSkill(as(people.manager), {
        zh: '讲同行业案例',
        en: 'Telling an industry case',
        description: '  用两个同行业客户的例子说明节省了多少成本。  ',
      });
      expect(added).toMatchObject({
        code: 'custom:telling-an-industry-case',
        zh: '讲同行业案例',
        description: '用两个同行业客户的例子说明节省了多少成本。',
      });
      const listed = (await listSkills(as(people.rep), { lang: 'en' })).find((s) => s.id === added.id);
      expect(listed).toMatchObject({
        name: 'Telling an industry case',
        description: '用两个同行业客户的例子说明节省了多少成本。',
      });
      const team = await getTeamSkills(as(people.manager), {});
      const column = team.skills.findIndex((s) => s.id === added.id);
      expect(column).toBeGreaterThanOrEqual(0);
      expect(team.skills[column]?.description).toBe('用两个同行业客户的例子说明节省了多少成本。');
      expect(team.members.length).toBeGreaterThan(0);
      for (const member of team.members) {
        expect(member.stages[column]).toMatchObject({ skillId: added.id, stage: 1 });
      }
    });

    it('moves 1→2 on a first self-assessment, up to 3 at most, and down when the rep says so; all in the history', async () => {
      const rep = as(people.rep);
      const first = await selfAssess(rep, 'objection:no-budget', { stage: 1 });
      expect(first.stage).toBe(2);
      expect(first.transition).toMatchObject({ from: 1, to: 2, rule: 'self-assessment-aware' });
      advance(HOUR);
      const up = await selfAssess(rep, 'objection:no-budget', { stage: 4 });
      expect(up).toMatchObject({ stage: 3, transition: { from: 2, to: 3, rule: 'self-assessment-up' } });
      advance(HOUR);
      const down = await selfAssess(rep, 'objection:no-budget', { stage: 2 });
      expect(down).toMatchObject({ stage: 2, transition: { rule: 'self-assessment-down' } });
      const same = await selfAssess(rep, 'objection:no-budget', { stage: 2 });
      expect(same.transition).toBeNull();

      const skills = await getRepSkills(rep);
      const noBudget = skills.skills.find((s) => s.skill.code === 'objection:no-budget');
      expect(noBudget).toMatchObject({ stage: 2, lastSelfAssessment: { stage: 2 } });
      expect(skills.counts[2]).toBe(1);
      expect(skills.skills.filter((s) => s.stage === 1)).toHaveLength(skills.skills.length - 1);

      const moves = await history(people.rep, 'objection:no-budget');
      expect(moves.map((m) => [m.from, m.to, m.rule, m.assessedBy])).toEqual([
        [3, 2, 'self-assessment-down', people.rep.id],
        [2, 3, 'self-assessment-up', people.rep.id],
        [1, 2, 'self-assessment-aware', people.rep.id],
      ]);
      expect(moves[2]?.ruleLabel?.en).toBe('First self-assessment: aware of the gap');
    });

    it('moves 2→3 on steady recall in practice over two days, and back after repeated failures', async () => {
      const rep = as(people.rep);
      const results = [];
      results.push(
        await reviewDrill(rep, {
          objectionId: 'no-budget',
          rating: 'good',
          answer: '先问下一轮预算什么时候编',
        }),
      );
      advance(HOUR);
      results.push(await reviewDrill(rep, { objectionId: 'no-budget', rating: 'easy' }));
      advance(DAY);
      results.push(await reviewDrill(rep, { objectionId: 'no-budget', rating: 'good' }));
      expect(results.map((r) => r.stage?.stage)).toEqual([2, 2, 3]);
      expect(results[2]?.stage?.transition).toMatchObject({ from: 2, to: 3, rule: 'practice-steady' });
      expect(results[2]?.card.reps).toBe(3);

      const logged = await tdb.db.kysely
        .selectFrom('drill_reviews')
        .select(['rating', 'answer', 'stage_before', 'stage_after'])
        .where('user_id', '=', people.rep.id)
        .orderBy('reviewed_at')
        .execute();
      expect(logged).toEqual([
        { rating: 'good', answer: '先问下一轮预算什么时候编', stage_before: 2, stage_after: 2 },
        { rating: 'easy', answer: null, stage_before: 2, stage_after: 2 },
        { rating: 'good', answer: null, stage_before: 2, stage_after: 3 },
      ]);

      for (let i = 0; i < 3; i++) {
        advance(HOUR);
        await reviewDrill(rep, { objectionId: 'no-budget', rating: 'again' });
      }
      expect(await stageOf(people.rep, 'objection:no-budget')).toBe(2);
      expect((await history(people.rep, 'objection:no-budget'))[0]).toMatchObject({
        from: 3,
        to: 2,
        rule: 'practice-failures',
        assessedBy: null,
      });
    });

    it('records real outcomes from logged touches and moves back after repeated real failures', async () => {
      const rep = as(people.rep);
      await logTouch(rep, accountOf[people.rep.id] ?? '', {
        channel: 'call',
        outcome: 'refused',
        objectionId: 'have-supplier',
      });
      const row = await tdb.db.kysely
        .selectFrom('skill_stages as st')
        .innerJoin('skills as s', 's.id', 'st.skill_id')
        .select(['st.stage', 'st.state'])
        .where('st.user_id', '=', people.rep.id)
        .where('s.code', '=', 'objection:have-supplier')
        .executeTakeFirstOrThrow();
      expect(row.stage).toBe(1);
      expect(JSON.parse(row.state).realUses).toEqual([{ at: now.toISOString(), success: false }]);

      advance(HOUR);
      const assessed = await assessSkill(as(people.manager), 'objection:have-supplier', {
        userId: people.rep.id,
        stage: 3,
      });
      expect(assessed.transition).toMatchObject({ from: 1, to: 3, rule: 'manager-assessment' });
      for (let i = 0; i < 4; i++) {
        advance(DAY);
        await logTouch(rep, accountOf[people.rep.id] ?? '', {
          channel: 'call',
          outcome: 'refused',
          objectionId: 'have-supplier',
        });
      }
      expect(await stageOf(people.rep, 'objection:have-supplier')).toBe(2);
      const moves = await history(people.rep, 'objection:have-supplier');
      expect(moves.map((m) => [m.from, m.to, m.rule, m.assessedBy])).toEqual([
        [3, 2, 'real-failures', null],
        [1, 3, 'manager-assessment', people.manager.id],
      ]);
      expect(
        (await getRepSkills(rep)).skills.find((s) => s.skill.code === 'objection:have-supplier')?.realUses,
      ).toEqual({
        count: 5,
        successes: 0,
      });
    });

    it('moves 3→4 on fluent spaced recall together with good real outcomes', async () => {
      const mate = as(people.mate);
      await assessSkill(as(people.manager), 'objection:price-too-high', {
        userId: people.mate.id,
        stage: 3,
        note: '陪访观察',
      });
      for (let i = 0; i < 3; i++) {
        advance(HOUR);
        await logTouch(mate, accountOf[people.mate.id] ?? '', {
          channel: 'call',
          outcome: 'meeting_booked',
          objectionId: 'price-too-high',
          responseId: 'compared-with-what',
        });
      }
      const stages: number[] = [];
      for (let i = 0; i < 4; i++) {
        const result = await reviewDrill(mate, { objectionId: 'price-too-high', rating: 'good' });
        stages.push(result.stage?.stage ?? 0);
        advance(8 * DAY);
      }
      expect(stages.at(-1)).toBe(4);
      const moves = await history(people.mate, 'objection:price-too-high');
      expect(moves[0]).toMatchObject({ from: 3, to: 4, rule: 'fluent-and-effective', assessedBy: null });
      expect(moves[1]?.reason).toContain('陪访观察');
      // The custom skill about the same objection got the real uses too.
      const custom = (await getRepSkills(mate)).skills.find((s) => s.skill.code === 'custom:price-defence');
      expect(custom?.realUses).toEqual({ count: 3, successes: 3 });
    });

    it('lets reps act on their own skills only, and managers assess their own teams', async () => {
      const rep = as(people.rep);
      await expect(
        assessSkill(rep, 'objection:in-house', { userId: people.mate.id, stage: 3 }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        assessSkill(rep, 'objection:in-house', { userId: people.rep.id, stage: 4 }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        selfAssess(rep, 'objection:in-house', { stage: 2, userId: people.mate.id }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        reviewDrill(rep, { objectionId: 'in-house', rating: 'good', userId: people.mate.id }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(getRepSkills(rep, { userId: people.mate.id })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(stageHistory(rep, { userId: people.mate.id })).rejects.toMatchObject({
        code: 'forbidden',
      });
      // Someone of another team does not exist for a rep (ids do not leak).
      await expect(getDrillQueue(rep, { userId: people.otherRep.id })).rejects.toMatchObject({
        code: 'not_found',
      });

      const manager = as(people.manager);
      await expect(
        assessSkill(manager, 'objection:in-house', { userId: people.otherRep.id, stage: 3 }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        assessSkill(manager, 'objection:in-house', { userId: people.manager.id, stage: 3 }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(getRepSkills(manager, { userId: people.otherRep.id })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(
        selfAssess(manager, 'objection:in-house', { stage: 2, userId: people.rep.id }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const ok = await assessSkill(manager, 'objection:in-house', { userId: people.mate.id, stage: 2 });
      expect(ok).toMatchObject({ userId: people.mate.id, stage: 2 });
      expect((await getRepSkills(manager, { userId: people.mate.id })).name).toBe(people.mate.name);
      expect((await stageHistory(manager, { userId: people.mate.id }))[0]?.assessedByName).toBe(
        people.manager.name,
      );

      const admin = await assessSkill(as(people.admin), 'objection:in-house', {
        userId: people.otherRep.email,
        stage: 2,
      });
      expect(admin.userId).toBe(people.otherRep.id);
      await expect(
        assessSkill(manager, 'no-such-skill', { userId: people.mate.id, stage: 2 }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(getRepSkills(as(null))).rejects.toMatchObject({ code: 'bad_request' });
    });

    it('builds the drill queue: due first, frequent objections and stage-2 skills weighted up', async () => {
      const other = as(people.otherRep);
      // otherRep: stage 2 on in-house (admin above); meets bad-experience three times in real calls.
      for (let i = 0; i < 3; i++) {
        await logTouch(other, accountOf[people.otherRep.id] ?? '', {
          channel: 'visit',
          outcome: 'reached',
          objectionId: 'bad-experience',
        });
      }
      const queue = await getDrillQueue(other, { limit: 10, lang: 'zh' });
      expect(queue.counts).toEqual({ userId: people.otherRep.id, due: 0, new: 7, nextDueAt: null });
      expect(queue.items).toHaveLength(7);
      expect(queue.items.every((i) => i.due && i.isNew)).toBe(true);
      // bad-experience: 1 + log2(1 + 3) + 1 = 4; in-house (stage 2): 1 + 0 + 2 = 3; the rest 2.
      expect(queue.items.slice(0, 2).map((i) => [i.objectionCode, i.weight, i.metRecently])).toEqual([
        ['bad-experience', 4, 3],
        ['in-house', 3, 0],
      ]);
      const bad = DEFAULT_OBJECTIONS.find((o) => o.code === 'bad-experience');
      expect([...(bad?.variants.zh ?? []), bad?.zh]).toContain(queue.items[0]?.prompt);
      expect(queue.items[0]?.title).toBe('以前用过不满意');

      const answer = await getDrillAnswer(other, 'bad-experience', { lang: 'en' });
      expect(answer.preferred?.code).toBe('listen-and-fix');
      expect(answer.preferred?.text).toMatch(/^I'm sorry we let you down/);
      expect(answer.alternatives.map((a) => a.code)).toEqual(['small-trial']);

      const reviewed = await reviewDrill(other, {
        objectionId: queue.items[0]?.objectionId ?? '',
        rating: 'good',
        prompt: queue.items[0]?.prompt,
      });
      expect(reviewed.card.state).toBe('learning');
      expect(reviewed.counts).toMatchObject({ due: 0, new: 6 });
      expect(reviewed.counts.nextDueAt).toBe(reviewed.card.due);
      expect(await getDueCount(other)).toEqual(reviewed.counts);
      // Not due yet: the practised card goes after the never-practised ones…
      const later = await getDrillQueue(other, { limit: 10 });
      expect(later.items.at(-1)).toMatchObject({ objectionCode: 'bad-experience', due: false, isNew: false });
      // …and once due it is counted for the Today page and comes first again.
      advance(DAY);
      expect(await getDueCount(other)).toMatchObject({ due: 1, new: 6, nextDueAt: null });
      expect((await getDrillQueue(other, { limit: 1 })).items[0]).toMatchObject({
        objectionCode: 'bad-experience',
        due: true,
        isNew: false,
      });
      await expect(
        reviewDrill(other, { objectionId: 'no-such-objection', rating: 'good' }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it("shows a manager the team's stage matrix, practice per week and objections met most", async () => {
      await expect(getTeamSkills(as(people.rep))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(getTeamSkills(as(people.manager), { teamId: people.teamB })).rejects.toMatchObject({
        code: 'forbidden',
      });
      const team = await getTeamSkills(as(people.manager), { weeks: 8, lang: 'en' });
      expect(team.members.map((m) => m.userId).sort()).toEqual([people.rep.id, people.mate.id].sort());
      expect(team.weeks).toHaveLength(8);
      expect(team.skills.map((s) => s.code)).toContain('custom:opening-a-cold-call');
      const rep = team.members.find((m) => m.userId === people.rep.id);
      const stageFor = (m: typeof rep, code: string) =>
        m?.stages.find((s) => s.skillId === team.skills.find((k) => k.code === code)?.id)?.stage;
      expect(stageFor(rep, 'objection:no-budget')).toBe(2);
      expect(stageFor(rep, 'objection:have-supplier')).toBe(2);
      const mate = team.members.find((m) => m.userId === people.mate.id);
      expect(stageFor(mate, 'objection:price-too-high')).toBe(4);
      expect(mate?.counts[4]).toBeGreaterThanOrEqual(1);

      const reviews = await tdb.db.kysely
        .selectFrom('drill_reviews')
        .select(['user_id', 'reviewed_at'])
        .where('user_id', 'in', [people.rep.id, people.mate.id])
        .where('reviewed_at', '>=', team.from)
        .execute();
      const practiced = team.practice.reduce((n, p) => n + p.total, 0);
      expect(practiced).toBe(reviews.length);
      expect(practiced).toBeGreaterThan(0);
      expect(team.practice.find((p) => p.userId === people.rep.id)?.perWeek).toHaveLength(8);

      const met = Object.fromEntries(team.objectionsMet.map((o) => [o.code, [o.met, o.successes]]));
      expect(met['have-supplier']).toEqual([5, 0]);
      expect(met['price-too-high']).toEqual([3, 3]);
      expect(met['bad-experience']).toBeUndefined();
      expect(team.objectionsMet[0]?.code).toBe('have-supplier');

      const b = await getTeamSkills(as(people.admin), { teamId: people.teamB });
      expect(b.members.map((m) => m.userId)).toEqual([people.otherRep.id]);
      expect(b.objectionsMet.map((o) => o.code)).toEqual(['bad-experience']);
    });
  });
}
