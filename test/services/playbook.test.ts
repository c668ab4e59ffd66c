import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OBJECTION_CODES } from '../../src/domain/objections/default-playbook.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { type Actor, makeContext, type ServiceContext } from '../../src/services/context.ts';
import {
  addResponse,
  createObjection,
  getEffectiveness,
  getObjection,
  listPlaybook,
  searchPlaybook,
  setPreferredResponse,
  updateObjection,
  updateResponse,
} from '../../src/services/playbook.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

const actorOf = (u: { id: string; role: 'admin' | 'manager' | 'rep'; teamId: string | null }): Actor => ({
  userId: u.id,
  role: u.role,
  teamId: u.teamId,
});

/**
 * Waits until an insert into objections waits for another transaction's lock (PostgreSQL): the new objection
 * passed its check and meets the row the other transaction holds.
 */
async function insertWaitingForLock(tdb: TestDatabase): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const waiting = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "objections"%'`.execute(
      tdb.db.kysely,
    );
    if (Number(waiting.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the new objection never reached its insert');
}

for (const dialect of DIALECTS) {
  describe(`objection playbook on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    let manager: ServiceContext;
    let rep: ServiceContext;
    let mate: ServiceContext;

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, undefined, fixedClock);
      manager = makeContext(tdb.db, actorOf(people.manager), fixedClock);
      rep = makeContext(tdb.db, actorOf(people.rep), fixedClock);
      mate = makeContext(tdb.db, actorOf(people.mate), fixedClock);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('ships the seven default objections, each with a preferred response and a skill', async () => {
      const playbook = await listPlaybook(rep, { lang: 'zh' });
      expect(playbook.objections.map((o) => o.code)).toEqual([...DEFAULT_OBJECTION_CODES]);
      for (const o of playbook.objections) {
        expect(o.isDefault).toBe(true);
        expect(o.skillId).not.toBeNull();
        expect(o.responses.filter((r) => r.preferred)).toHaveLength(1);
        expect(o.responses[0]?.preferred).toBe(true);
        expect(o.text).toBe(o.zh);
      }
      // The rep's locale (en, from seedPeople) decides the language when none is asked for.
      const english = await listPlaybook(rep);
      expect(english.lang).toBe('en');
      expect(english.objections[0]?.title).toBe('Send me material');
      expect(english.objections[0]?.responses[0]?.text).toMatch(/bring it over/);
      // Each objection says which language it is in, one alone too (the CLI labels its text by it).
      expect(english.objections.every((o) => o.lang === 'en')).toBe(true);
      expect((await getObjection(rep, 'send-material')).lang).toBe('en');
      expect((await getObjection(rep, 'send-material', { lang: 'zh' })).lang).toBe('zh');
    });

    it.each([
      ['预算', 'no-budget'],
      ['价格太高', 'price-too-high'],
      ['供应商', 'have-supplier'],
      ['supplier', 'have-supplier'],
      ['budget', 'no-budget'],
      ['written material', 'send-material'],
      ['PRICE', 'price-too-high'],
      ['ｓｕｐｐｌｉｅｒｓ', 'have-supplier'],
    ])('finds %s', async (q, code) => {
      const result = await searchPlaybook(rep, { q });
      expect(result.hits.length).toBeGreaterThan(0);
      expect(result.hits[0]?.objection.code).toBe(code);
      expect(result.total).toBe(result.hits.length);
    });

    it('finds objections through their responses and drops over-matches', async () => {
      // "二十分钟" is in several responses, in no objection text.
      const result = await searchPlaybook(rep, { q: '二十分钟', lang: 'zh' });
      expect(result.hits.length).toBeGreaterThanOrEqual(3);
      for (const hit of result.hits) {
        expect(hit.matched.objection).toBe(false);
        expect(hit.matched.responseIds.length).toBeGreaterThan(0);
        const texts = hit.objection.responses
          .filter((r) => hit.matched.responseIds.includes(r.id))
          .map((r) => r.zh);
        for (const text of texts) expect(text).toContain('二十分钟');
      }
      // Every bigram of 格太高价 is somewhere, but never in this order: nothing matches.
      expect((await searchPlaybook(rep, { q: '格太高价' })).hits).toEqual([]);
      expect((await searchPlaybook(rep, { q: '!!!' })).hits).toEqual([]);
    });

    it('lets managers add objections (indexed at once) and refuses reps', async () => {
      await expect(
        createObjection(rep, { code: 'need-approval', zh: '这个要领导审批。', en: 'This needs approval.' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const created = await createObjection(manager, {
        code: 'need-approval',
        label: { zh: '需要审批', en: 'Needs approval' },
        zh: '这个要等领导审批，审批流程很长。',
        en: 'This needs approval from my boss.',
        variants: { zh: ['得走审批流程。'], en: ['I have to run it past my boss.'] },
        responses: [
          {
            zh: '理解。审批时领导最关心什么？我准备一页纸的要点，您看方便一起见一面吗？',
            en: 'Understood. What will your boss look at first?',
          },
          {
            code: 'join-approval',
            zh: '能否安排我和领导一起开个短会？',
            en: 'Could we meet your boss together for fifteen minutes?',
            preferred: true,
          },
        ],
      });
      expect(created.version).toBe(1);
      expect(created.isDefault).toBe(false);
      expect(created.skillId).not.toBeNull();
      expect(created.responses.map((r) => [r.code, r.preferred])).toEqual([
        ['join-approval', true],
        ['alt-1', false],
      ]);
      expect((await searchPlaybook(rep, { q: '审批流程' })).hits[0]?.objection.code).toBe('need-approval');
      expect((await searchPlaybook(rep, { q: 'boss' })).hits.map((h) => h.objection.code)).toContain(
        'need-approval',
      );
      await expect(createObjection(manager, { code: 'need-approval', zh: '重复' })).rejects.toMatchObject({
        code: 'conflict',
      });
      // Team-added objections come after the defaults.
      const codes = (await listPlaybook(rep)).objections.map((o) => o.code);
      expect(codes.indexOf('need-approval')).toBe(DEFAULT_OBJECTION_CODES.length);
    });

    it('answers a code another manager added meanwhile as the same conflict, not a database error', async () => {
      // Another transaction adds the code after the new objection's check and commits before its insert: on
      // PostgreSQL both check before either commits, and the unique index refuses the later insert.
      const code = 'added-meanwhile';
      const at = fixedClock().toISOString();
      let outcome: Promise<unknown> = Promise.resolve();
      await tdb.db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('objections')
          .values({
            id: newId(),
            code,
            label_zh: '',
            label_en: '',
            zh: '先加的',
            en: '',
            variants: '{}',
            created_at: at,
            updated_at: at,
          })
          .execute();
        outcome = createObjection(manager, { code, zh: '后加的' }).then(
          () => 'created',
          (error: unknown) => error,
        );
        if (dialect.name === 'postgres') await insertWaitingForLock(tdb);
      });
      expect(await outcome).toMatchObject({
        code: 'conflict',
        details: { field: 'code' },
        message: `The playbook already has an objection with code ${code}; choose another code.`,
      });
      const rows = await tdb.db.kysely
        .selectFrom('objections')
        .select('zh')
        .where('code', '=', code)
        .execute();
      expect(rows).toEqual([{ zh: '先加的' }]);
    });

    it('edits with the version read; a stale version is a conflict carrying the current objection', async () => {
      const before = await getObjection(manager, 'need-approval');
      const edited = await updateObjection(manager, before.id, {
        version: before.version,
        zh: '这件事要董事会批准。',
      });
      expect(edited.version).toBe(before.version + 1);
      expect(edited.zh).toBe('这件事要董事会批准。');
      // Re-indexed: the old wording is gone, the new one is found.
      expect((await searchPlaybook(rep, { q: '董事会' })).hits[0]?.objection.code).toBe('need-approval');
      expect((await searchPlaybook(rep, { q: '等领导' })).hits).toEqual([]);

      const stale = updateObjection(manager, before.id, {
        version: before.version,
        en: 'Board approval needed.',
      });
      await expect(stale).rejects.toMatchObject({ code: 'version_conflict' });
      await stale.catch((error) => {
        expect(error.details.current.version).toBe(edited.version);
      });
      await expect(
        updateObjection(rep, before.id, { version: edited.version, en: 'x' }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });

      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('entity', '=', 'objection')
        .where('entity_id', '=', before.id)
        .orderBy('at')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
      expect(audit[1]?.user_id).toBe(people.manager.id);
    });

    it('keeps exactly one preferred response', async () => {
      const one = (o: { responses: { preferred: boolean }[] }) =>
        o.responses.filter((r) => r.preferred).length;
      // A rep adds an alternative; it is not preferred, and a rep cannot make it so.
      const withAlt = await addResponse(rep, 'price-too-high', {
        zh: '我们可以先从小批量开始，用结果说话。',
        en: 'We could start with a small order and let results speak.',
      });
      expect(one(withAlt)).toBe(1);
      const alt = withAlt.responses.find((r) => r.zh.startsWith('我们可以先从小批量'));
      expect(alt?.preferred).toBe(false);
      expect(alt?.createdBy).toBe(people.rep.id);
      await expect(
        addResponse(rep, 'price-too-high', { en: 'Mine is best', preferred: true }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      // The author may edit their response, another rep may not; versions guard both.
      await expect(
        updateResponse(mate, 'price-too-high', alt?.id ?? '', { version: alt?.version ?? 1, en: 'Hijacked' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const reworded = await updateResponse(rep, 'price-too-high', alt?.id ?? '', {
        version: alt?.version ?? 1,
        en: 'Start small and let the results speak.',
      });
      expect(reworded.responses.find((r) => r.id === alt?.id)?.version).toBe((alt?.version ?? 1) + 1);
      await expect(
        updateResponse(rep, 'price-too-high', alt?.id ?? '', { version: alt?.version ?? 1, en: 'again' }),
      ).rejects.toMatchObject({ code: 'version_conflict' });

      // The manager prefers it: the former preferred one is no longer.
      const preferred = await setPreferredResponse(manager, 'price-too-high', {
        responseId: alt?.id ?? '',
        version: reworded.version,
      });
      expect(one(preferred)).toBe(1);
      expect(preferred.responses[0]?.id).toBe(alt?.id);
      expect(preferred.version).toBe(reworded.version + 1);
      await expect(
        setPreferredResponse(manager, 'price-too-high', {
          responseId: 'compared-with-what',
          version: reworded.version,
        }),
      ).rejects.toMatchObject({ code: 'version_conflict' });
      const back = await setPreferredResponse(manager, 'price-too-high', {
        responseId: 'compared-with-what',
        version: preferred.version,
      });
      expect(one(back)).toBe(1);
      expect(back.responses[0]?.code).toBe('compared-with-what');
      // A manager adding a preferred response takes the flag over.
      const taken = await addResponse(manager, 'price-too-high', {
        code: 'value-first',
        en: 'Before price, may I show you what it saves?',
        preferred: true,
      });
      expect(one(taken)).toBe(1);
      expect(taken.responses[0]?.code).toBe('value-first');
      const rows = await tdb.db.kysely
        .selectFrom('objection_responses')
        .select('is_preferred')
        .where('objection_id', '=', taken.id)
        .execute();
      expect(rows.filter((r) => r.is_preferred === 1)).toHaveLength(1);
    });

    it('computes effectiveness per objection and response, per rep, team and week, on a hand-counted set', async () => {
      const account = await createAccount(system, makeAccountInput());
      const o = await createObjection(manager, {
        code: 'eff-test',
        zh: '效果测试',
        en: 'Effectiveness test',
        responses: [
          { code: 'a', zh: '甲', en: 'A' },
          { code: 'b', zh: '乙', en: 'B' },
        ],
      });
      const a = o.responses.find((r) => r.code === 'a')?.id ?? '';
      const b = o.responses.find((r) => r.code === 'b')?.id ?? '';
      // Week 2026-W47 (Mon 16 Nov) and 2026-W48 (Mon 23 Nov), Asia/Shanghai.
      const touches: [string, string | null, string, string | null, string][] = [
        // user, response, outcome, next step, at
        [people.rep.id, a, 'meeting_booked', null, '2026-11-17T02:00:00.000Z'],
        [people.rep.id, a, 'reached', '下周寄样品', '2026-11-18T02:00:00.000Z'],
        [people.rep.id, a, 'refused', null, '2026-11-24T02:00:00.000Z'],
        [people.mate.id, b, 'refused', null, '2026-11-24T03:00:00.000Z'],
        [people.mate.id, null, 'meeting_booked', null, '2026-11-25T03:00:00.000Z'],
        [people.otherRep.id, b, 'reached', null, '2026-11-25T04:00:00.000Z'],
      ];
      await tdb.db.kysely
        .insertInto('activities')
        .values(
          touches.map(([user, response, outcome, next, at]) => ({
            id: newId(Date.parse(at)),
            account_id: account.id,
            user_id: user,
            channel: 'call' as const,
            occurred_at: at,
            outcome: outcome as 'reached',
            objection_id: o.id,
            response_id: response,
            note: null,
            next_step: next,
            planned_touch_id: null,
            created_at: at,
          })),
        )
        .execute();

      const all = await getEffectiveness(system, { objectionId: 'eff-test' });
      expect(all.rows).toHaveLength(1);
      const row = all.rows[0];
      expect(row).toMatchObject({ objectionCode: 'eff-test', count: 6, successes: 3, successRate: 0.5 });
      expect(row?.responses.map((r) => [r.responseCode, r.count, r.successes])).toEqual([
        ['a', 3, 2],
        ['b', 2, 0],
      ]);
      expect(row?.noResponse).toMatchObject({ count: 1, successes: 1 });

      const byUser = await getEffectiveness(system, { objectionId: 'eff-test', groupBy: 'user' });
      const counts = Object.fromEntries(byUser.rows.map((r) => [r.groupName, [r.count, r.successes]]));
      expect(counts).toEqual({
        [people.rep.name]: [3, 2],
        [people.mate.name]: [2, 1],
        [people.otherRep.name]: [1, 0],
      });
      const byTeamWeek = await getEffectiveness(system, {
        objectionId: 'eff-test',
        groupBy: 'team',
        period: 'week',
      });
      // Rows come by period, then group id.
      expect(byTeamWeek.rows.map((r) => [r.period, r.groupId, r.count, r.successes])).toEqual([
        ['2026-W47', people.teamA, 2, 2],
        ...[
          ['2026-W48', people.teamA, 3, 1],
          ['2026-W48', people.teamB, 1, 0],
        ].sort((x, y) => (String(x[1]) < String(y[1]) ? -1 : 1)),
      ]);
      const month = await getEffectiveness(system, {
        objectionId: 'eff-test',
        period: 'month',
        from: '2026-11-18',
        to: '2026-11-24',
      });
      expect(month.rows.map((r) => [r.period, r.count])).toEqual([['2026-11', 3]]);

      // A manager sees their teams only; a rep sees their team's totals and only their own per-rep rows.
      expect((await getEffectiveness(manager, { objectionId: 'eff-test' })).rows[0]?.count).toBe(5);
      const mine = await getEffectiveness(rep, { objectionId: 'eff-test', groupBy: 'user' });
      expect(mine.rows.map((r) => r.groupId)).toEqual([people.rep.id]);
      await expect(getEffectiveness(rep, { userId: people.mate.id })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(getEffectiveness(manager, { userId: people.otherRep.id })).rejects.toMatchObject({
        code: 'forbidden',
      });

      // The playbook sorts responses by how well they work (Wilson lower bound): a (2 of 3) before b (0 of 2).
      const sorted = await getObjection(rep, 'eff-test', { sort: 'effectiveness' });
      expect(sorted.responses.map((r) => [r.code, r.stats.count, r.stats.successes])).toEqual([
        ['a', 3, 2],
        ['b', 2, 0],
      ]);
      expect(sorted.stats).toMatchObject({ count: 6, successes: 3 });
      await setPreferredResponse(manager, 'eff-test', { responseId: 'b', version: sorted.version });
      expect((await getObjection(rep, 'eff-test')).responses.map((r) => r.code)).toEqual(['b', 'a']);
      expect(
        (await getObjection(rep, 'eff-test', { sort: 'effectiveness' })).responses.map((r) => r.code),
      ).toEqual(['a', 'b']);
    });
  });
}
