import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { renderMessage } from '../../src/domain/messages.ts';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { createAccount, getAccount, updateAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

/** The refusal a call ends with (fails the test when it succeeds or fails otherwise). */
async function refusal(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

for (const dialect of DIALECTS) {
  describe(`adding an account that already exists on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    const as = (user: SeededUser): ServiceContext =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);
    const count = async () =>
      Number(
        (
          await tdb.db.kysely
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('refuses the same credit code, however it is written, and names the existing account', async () => {
      const code = makeUscc(101);
      const first = await createAccount(
        system,
        makeAccountInput({ name: '宁波海天精工股份有限公司', uscc: code }),
      );
      const before = await count();
      const error = await refusal(
        createAccount(system, makeAccountInput({ name: '另一个名字', uscc: ` ${code.toLowerCase()} ` })),
      );
      expect(error.code).toBe('duplicate_account');
      expect(error.details).toEqual({
        key: 'uscc',
        existing: { id: first.id, name: '宁波海天精工股份有限公司' },
        allowSimilarName: false,
      });
      expect(error.message).toContain('unified social credit code');
      expect(error.message).toContain(first.id);
      expect(error.localized && renderMessage(error.localized, 'zh-CN')).toContain('统一社会信用代码');
      // allowSimilarName does not let a credit code through.
      await expect(
        createAccount(system, makeAccountInput({ name: '第三个名字', uscc: code, allowSimilarName: true })),
      ).rejects.toMatchObject({ code: 'duplicate_account', details: { key: 'uscc' } });
      expect(await count()).toBe(before);
    });

    it('refuses the same website domain (www., scheme and case folded), but not a shared host', async () => {
      const first = await createAccount(
        system,
        makeAccountInput({ name: '苏州汇川技术有限公司', website: 'https://www.inovance-sz.cn/' }),
      );
      await expect(
        createAccount(
          system,
          makeAccountInput({ name: '汇川苏州', website: 'INOVANCE-SZ.cn', allowSimilarName: true }),
        ),
      ).rejects.toMatchObject({
        code: 'duplicate_account',
        details: { key: 'domain', existing: { id: first.id }, allowSimilarName: false },
      });
      await createAccount(system, makeAccountInput({ name: '甲店铺', website: 'weibo.com' }));
      await expect(
        createAccount(system, makeAccountInput({ name: '乙店铺', website: 'weibo.com' })),
      ).resolves.toBeTruthy();
    });

    it('refuses the same normalised name in the same city unless allowSimilarName says it is another company', async () => {
      const first = await createAccount(
        system,
        makeAccountInput({ name: '上海　华润 机械有限公司', city: '上海市', province: '上海市' }),
      );
      const again = makeAccountInput({
        name: '上海华润机械（中国）股份有限公司',
        city: '上海',
        province: '上海市',
      });
      const error = await refusal(createAccount(system, again));
      expect(error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'name', existing: { id: first.id, name: first.name }, allowSimilarName: true },
      });
      expect(error.message).toContain('allowSimilarName');
      // The same name in another city is another account.
      await expect(
        createAccount(system, makeAccountInput({ name: '上海华润机械有限公司', city: '苏州市' })),
      ).resolves.toBeTruthy();
      const similar = await createAccount(system, { ...again, allowSimilarName: true });
      expect(similar.name).toBe('上海华润机械（中国）股份有限公司');
    });

    it('takes a shared name or domain with a different credit code for another company, as the import does', async () => {
      await createAccount(
        system,
        makeAccountInput({
          name: '杭州天元电器有限公司',
          city: '杭州市',
          uscc: makeUscc(201),
          website: 'tianyuan-hz.cn',
        }),
      );
      const other = await createAccount(
        system,
        makeAccountInput({
          name: '杭州天元电器有限公司',
          city: '杭州市',
          uscc: makeUscc(202),
          website: 'tianyuan-hz.cn',
        }),
      );
      expect(other.uscc).toBe(makeUscc(202));
      // Without a credit code of its own, the shared domain is the same company.
      await expect(
        createAccount(system, makeAccountInput({ name: '天元', website: 'tianyuan-hz.cn' })),
      ).rejects.toMatchObject({ code: 'duplicate_account', details: { key: 'domain' } });
    });

    it('checks every account of the workspace but tells a rep nothing of one outside their scope', async () => {
      const code = makeUscc(301);
      const hidden = await createAccount(
        system,
        makeAccountInput({
          name: '南京秘密科技有限公司',
          province: '江苏省',
          uscc: code,
          ownerId: people.otherRep.id,
        }),
      );
      const error = await refusal(
        createAccount(
          as(people.rep),
          makeAccountInput({ name: '我的新客户', province: '广东省', uscc: code }),
        ),
      );
      expect(error.code).toBe('duplicate_account');
      expect(error.details).toEqual({ key: 'uscc', existing: null, allowSimilarName: false });
      for (const locale of ['en', 'zh-CN'] as const) {
        const text = error.localized ? renderMessage(error.localized, locale) : error.message;
        expect(text).not.toContain(hidden.id);
        expect(text).not.toContain('南京秘密');
      }
      expect(error.message).toMatch(/manager or an administrator/);
      // Its owner's manager sees it, and is told which it is.
      await expect(
        createAccount(as(people.otherManager), makeAccountInput({ name: '再加一次', uscc: code })),
      ).rejects.toMatchObject({ details: { existing: { id: hidden.id } } });
    });

    it('refuses a change of credit code to one another account has, and keeps an unchanged code', async () => {
      const code = makeUscc(401);
      const holder = await createAccount(system, makeAccountInput({ uscc: code }));
      const other = await createAccount(system, makeAccountInput({ uscc: makeUscc(402) }));
      await expect(
        updateAccount(system, other.id, { version: other.version, uscc: code }),
      ).rejects.toMatchObject({
        code: 'duplicate_account',
        details: { key: 'uscc', existing: { id: holder.id } },
      });
      const same = await updateAccount(system, holder.id, {
        version: holder.version,
        uscc: code,
        phone: '021-66880001',
      });
      expect(same).toMatchObject({ uscc: code, phone: '021-66880001', version: holder.version + 1 });
      const moved = await updateAccount(system, other.id, { version: other.version, uscc: makeUscc(403) });
      expect(moved.uscc).toBe(makeUscc(403));
    });

    it('refuses a change of website to a domain another account has, by the create rules', async () => {
      const holder = await createAccount(
        system,
        makeAccountInput({ name: '无锡先导智能装备股份有限公司', website: 'https://www.lead-wx.cn' }),
      );
      const other = await createAccount(system, makeAccountInput({ name: '无锡另一家公司' }));
      const error = await refusal(
        updateAccount(system, other.id, { version: other.version, website: 'LEAD-WX.cn/about' }),
      );
      expect(error).toMatchObject({
        code: 'duplicate_account',
        details: {
          key: 'domain',
          existing: { id: holder.id, name: '无锡先导智能装备股份有限公司' },
          allowSimilarName: false,
        },
      });
      expect(error.message).toContain('website domain');
      expect(error.localized && renderMessage(error.localized, 'zh-CN')).toContain('网站域名');
      // allowSimilarName does not let a domain through, and nothing was changed.
      await expect(
        updateAccount(system, other.id, {
          version: other.version,
          website: 'lead-wx.cn',
          allowSimilarName: true,
        }),
      ).rejects.toMatchObject({ code: 'duplicate_account', details: { key: 'domain' } });
      expect(await getAccount(system, other.id)).toMatchObject({ website: null, version: other.version });
      // Both with credit codes that differ: two companies of one group may share a website, as in an import.
      const coded = await createAccount(system, makeAccountInput({ uscc: makeUscc(601) }));
      await updateAccount(system, holder.id, { version: holder.version, uscc: makeUscc(602) });
      const shared = await updateAccount(system, coded.id, { version: coded.version, website: 'lead-wx.cn' });
      expect(shared.website).toBe('lead-wx.cn');
      // A shared host is nobody's domain.
      await createAccount(system, makeAccountInput({ website: 'weibo.com' }));
      const onHost = await updateAccount(system, other.id, { version: other.version, website: 'weibo.com' });
      expect(onHost.website).toBe('weibo.com');
    });

    it('refuses a change of name or city onto another account of that name and city unless allowSimilarName', async () => {
      const holder = await createAccount(
        system,
        makeAccountInput({ name: '青岛海程机械有限公司', city: '青岛市', province: '山东省' }),
      );
      const renamed = await createAccount(
        system,
        makeAccountInput({ name: '青岛海程贸易有限公司', city: '青岛市', province: '山东省' }),
      );
      const error = await refusal(
        updateAccount(system, renamed.id, {
          version: renamed.version,
          name: '青岛 海程机械（中国）股份有限公司',
        }),
      );
      expect(error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'name', existing: { id: holder.id }, allowSimilarName: true },
      });
      expect(error.message).toContain('allowSimilarName');
      expect(error.localized && renderMessage(error.localized, 'zh-CN')).toContain('同一城市已有同名客户');
      // Moving a same-named account of another city into that city is the same change.
      const elsewhere = await createAccount(
        system,
        makeAccountInput({ name: '青岛海程机械有限公司', city: '烟台市', province: '山东省' }),
      );
      await expect(
        updateAccount(system, elsewhere.id, { version: elsewhere.version, city: '青岛' }),
      ).rejects.toMatchObject({ code: 'duplicate_account', details: { key: 'name' } });
      const moved = await updateAccount(system, elsewhere.id, {
        version: elsewhere.version,
        city: '青岛',
        allowSimilarName: true,
      });
      expect(moved.city).toBe('青岛');
      const accepted = await updateAccount(system, renamed.id, {
        version: renamed.version,
        name: '青岛海程机械（中国）股份有限公司',
        allowSimilarName: true,
      });
      expect(accepted.name).toBe('青岛海程机械（中国）股份有限公司');
    });

    it('checks only what a change alters: an account that already matched another stays editable', async () => {
      const first = await createAccount(
        system,
        makeAccountInput({ name: '常州星宇车灯有限公司', city: '常州市', website: 'xingyu-cz.cn' }),
      );
      // Two accounts sharing a domain and a name + city from before (an import with credit codes, then cleared).
      const second = await createAccount(
        system,
        makeAccountInput({ name: '常州星宇车灯有限公司', city: '常州市', allowSimilarName: true }),
      );
      const withCode = await updateAccount(system, first.id, { version: first.version, uscc: makeUscc(701) });
      const secondCoded = await updateAccount(system, second.id, {
        version: second.version,
        uscc: makeUscc(702),
        website: 'www.xingyu-cz.cn',
      });
      const cleared = await updateAccount(system, secondCoded.id, {
        version: secondCoded.version,
        uscc: null,
      });
      expect(cleared).toMatchObject({ uscc: null, website: 'xingyu-cz.cn' });
      // Its other fields, and the same name, city and website as written again (e.g. a whole form sent back).
      const edited = await updateAccount(system, cleared.id, {
        version: cleared.version,
        name: '常州星宇车灯有限公司',
        city: '常州市',
        website: 'https://xingyu-cz.cn',
        phone: '0519-66880001',
      });
      expect(edited).toMatchObject({ phone: '0519-66880001', version: cleared.version + 1 });
      expect(withCode.uscc).toBe(makeUscc(701));
      // A change of city is checked: away from the other account is fine, back onto it is refused.
      const away = await updateAccount(system, edited.id, { version: edited.version, city: '无锡市' });
      await expect(
        updateAccount(system, away.id, { version: away.version, city: '常州' }),
      ).rejects.toMatchObject({
        code: 'duplicate_account',
        details: { key: 'name', existing: { id: first.id }, allowSimilarName: true },
      });
    });

    it('lets exactly one of simultaneous changes onto one domain through', async () => {
      const accounts = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          createAccount(system, makeAccountInput({ name: `同时改网站${i}号公司` })),
        ),
      );
      const results = await Promise.allSettled(
        accounts.map((a) => updateAccount(system, a.id, { version: a.version, website: 'tongshi-gai.cn' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'duplicate_account' });
      const stored = await tdb.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('website_domain', '=', 'tongshi-gai.cn')
        .execute();
      expect(stored).toHaveLength(1);
    });

    it('lets exactly one of simultaneous adds of one company through', async () => {
      const code = makeUscc(501);
      const before = await count();
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          createAccount(system, makeAccountInput({ name: `同时添加${i}号公司`, uscc: code })),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'duplicate_account' });
      expect(await count()).toBe(before + 1);
    });
  });
}
