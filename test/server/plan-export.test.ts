import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The plan's CSV picks its header language as the accounts export and the import warnings do: `?lang=zh-CN|en`,
// which the web app sets to its language (and the CLI to en); without it, the request's Accept-Language, else
// English: the column keys, as API scripts have always read them.

for (const dialect of DIALECTS) {
  describe(`plan export over HTTP on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let rep: Session;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      rep = await signIn(app, people.rep);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const header = async (query: string, acceptLanguage?: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/plan/export?format=csv&from=2026-12-01&to=2027-01-01${query}`,
        headers: acceptLanguage ? { ...rep.headers, 'accept-language': acceptLanguage } : rep.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body.charCodeAt(0)).toBe(0xfeff);
      return res.body.slice(1).split('\r\n')[0];
    };

    it('heads the CSV in the language asked for, the column keys without one', async () => {
      expect(await header('&lang=zh-CN')).toBe(
        '日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID,销售员',
      );
      const keys = 'date,time,channel,accountId,accountName,tier,city,district,status,repId,repName';
      expect(await header('&lang=en')).toBe(keys);
      expect(await header('')).toBe(keys);
      const bad = await app.inject({
        method: 'GET',
        url: '/api/plan/export?format=csv&lang=fr',
        headers: rep.headers,
      });
      expect(bad.statusCode).toBe(400);
    });

    it('without `lang`, heads the CSV in the request’s language, as the accounts export does', async () => {
      const zh = '日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID,销售员';
      const keys = 'date,time,channel,accountId,accountName,tier,city,district,status,repId,repName';
      expect(await header('', 'zh-CN,zh;q=0.9,en;q=0.8')).toBe(zh);
      expect(await header('', 'en-GB,en;q=0.9')).toBe(keys);
      expect(await header('', 'fr-FR')).toBe(keys);
      expect(await header('&lang=en', 'zh-CN')).toBe(keys);
      expect(await header('&lang=zh-CN', 'en')).toBe(zh);
    });
  });
}

// The plan as a phone calendar shows it (iCalendar export and the secret feed): done touches marked ✓, open ones due
// before today marked overdue (in the feed, on today), titles in the reader's language, each event linking to its
// account page on the address the request reached.
for (const dialect of DIALECTS) {
  describe(`the plan's calendar over HTTP on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let proxied: AppInstance;
    let people: People;
    let rep: Session;
    let account: string;
    const touchIds = { done: newId(), overdue: newId(), ahead: newId() };

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      proxied = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent', trustProxy: true });
      people = await seedPeople(tdb.db);
      rep = await signIn(app, people.rep);
      const admin = await signIn(app, people.admin);
      const created = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: admin.headers,
        payload: makeAccountInput({ ownerId: people.rep.id, phone: '0755-88886666' }),
      });
      expect(created.statusCode, created.body).toBe(201);
      account = created.json().id;
      const at = FIXED_NOW.toISOString();
      const touch = (id: string, channel: 'call' | 'visit', dueOn: string, status: 'planned' | 'done') => ({
        id,
        account_id: account,
        rep_id: people.rep.id,
        plan_id: null,
        channel,
        due_on: dueOn,
        due_time: null,
        status,
        activity_id: null,
        created_at: at,
        updated_at: at,
      });
      // Today is 2026-11-27 in the workspace's zone (Asia/Shanghai).
      await tdb.db.kysely
        .insertInto('planned_touches')
        .values([
          touch(touchIds.done, 'visit', '2026-11-20', 'done'),
          touch(touchIds.overdue, 'call', '2026-11-23', 'planned'),
          touch(touchIds.ahead, 'call', '2026-12-03', 'planned'),
        ])
        .execute();
    });
    afterAll(async () => {
      await proxied.close();
      await app.close();
      await tdb.cleanup();
    });

    const events = (body: string) => {
      const calendar = new ICAL.Component(ICAL.parse(body));
      return {
        name: calendar.getFirstPropertyValue('x-wr-calname'),
        events: Object.fromEntries(
          calendar.getAllSubcomponents('vevent').map((e) => {
            const event = new ICAL.Event(e);
            return [
              String(event.uid).replace(/@tierline$/, ''),
              {
                summary: event.summary,
                start: event.startDate.toString(),
                description: event.description,
                url: e.getFirstPropertyValue('url'),
                categories: e.getFirstProperty('categories')?.getValues(),
              },
            ];
          }),
        ),
      };
    };
    const feedOf = async (who: Session) => {
      const res = await app.inject({ method: 'POST', url: '/api/calendar-feeds', headers: who.headers });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().path as string;
    };

    it('exports the plan as iCalendar in the language asked for, done and overdue touches marked', async () => {
      const get = async (query: string, headers: Record<string, string> = {}) => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/plan/export?format=ics&from=2026-11-01&to=2026-12-15${query}`,
          headers: { ...rep.headers, host: 'crm.example.test', ...headers },
        });
        expect(res.statusCode, res.body).toBe(200);
        return events(res.body);
      };
      const zh = await get('&lang=zh-CN');
      expect(zh.name).toBe(`Tierline 计划 · ${people.rep.name}`);
      const name = (
        await app.inject({ method: 'GET', url: `/api/accounts/${account}`, headers: rep.headers })
      ).json().name as string;
      expect(zh.events[touchIds.done]?.summary).toMatch(new RegExp(`^✓ \\[[ABC-]\\] 拜访：${name}$`));
      expect(zh.events[touchIds.overdue]?.summary).toMatch(new RegExp(`^逾期 · \\[[ABC-]\\] 电话：${name}$`));
      expect(zh.events[touchIds.ahead]?.summary).toMatch(new RegExp(`^\\[[ABC-]\\] 电话：${name}$`));
      // A file is read once: the overdue touch stays on its day.
      expect(zh.events[touchIds.overdue]?.start).toBe('2026-11-23');
      expect(zh.events[touchIds.done]?.categories).toEqual(['visit', 'done']);
      expect(zh.events[touchIds.ahead]?.url).toBe(`http://crm.example.test/accounts/${account}`);
      expect(zh.events[touchIds.ahead]?.description).toContain('电话：0755-88886666');
      // Without `lang`: the request's language, else English.
      expect(
        (await get('', { 'accept-language': 'zh-CN,zh;q=0.9' })).events[touchIds.ahead]?.summary,
      ).toMatch(/电话：/);
      const en = await get('');
      expect(en.name).toBe(`Tierline plan · ${people.rep.name}`);
      expect(en.events[touchIds.overdue]?.summary).toMatch(
        new RegExp(`^Overdue · \\[[ABC-]\\] Call: ${name}$`),
      );
      expect(en.events[touchIds.done]?.summary).toMatch(/^✓ \[[ABC-]\] Visit: /);
    });

    it('says channel and status in Chinese in a Chinese CSV, with the rep’s name', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/plan/export?format=csv&from=2026-11-01&to=2026-12-15&lang=zh-CN',
        headers: rep.headers,
      });
      const rows = res.body
        .slice(1)
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(','));
      expect(rows.map((r) => [r[0], r[2], r[8], r[10]])).toEqual([
        ['2026-11-20', '拜访', '已完成', people.rep.name],
        ['2026-11-23', '电话', '待完成', people.rep.name],
        ['2026-12-03', '电话', '待完成', people.rep.name],
      ]);
    });

    it('feeds the overdue touch on today under its own UID, linked on the address the calendar app used', async () => {
      const path = await feedOf(rep);
      const fetch = async (target: AppInstance, headers: Record<string, string>) => {
        const res = await target.inject({ method: 'GET', url: path, headers });
        expect(res.statusCode, res.body).toBe(200);
        return events(res.body);
      };
      const feed = await fetch(app, { host: 'crm.example.test:8443' });
      expect(feed.events[touchIds.overdue]?.start).toBe('2026-11-27');
      expect(feed.events[touchIds.overdue]?.description).toContain('Overdue since 2026-11-23');
      expect(feed.events[touchIds.overdue]?.categories).toEqual(['call', 'overdue']);
      expect(feed.events[touchIds.done]?.start).toBe('2026-11-20');
      expect(feed.events[touchIds.ahead]?.start).toBe('2026-12-03');
      const link = `http://crm.example.test:8443/accounts/${account}`;
      expect(feed.events[touchIds.ahead]?.url).toBe(link);
      expect(feed.events[touchIds.ahead]?.description).toContain(`Open in Tierline: ${link}`);
      // A proxy's forwarded address counts only when the proxy is trusted (TRUST_PROXY).
      const forwarded = {
        host: 'tierline.internal:3000',
        'x-forwarded-host': 'crm.example.com',
        'x-forwarded-proto': 'https',
      };
      expect((await fetch(app, forwarded)).events[touchIds.ahead]?.url).toBe(
        `http://tierline.internal:3000/accounts/${account}`,
      );
      expect((await fetch(proxied, forwarded)).events[touchIds.ahead]?.url).toBe(
        `https://crm.example.com/accounts/${account}`,
      );
    });

    it('titles the feed in the owner’s chosen language, until then in the calendar app’s', async () => {
      const path = await feedOf(rep);
      const name = async (acceptLanguage?: string) => {
        const res = await app.inject({
          method: 'GET',
          url: path,
          headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
        });
        return events(res.body).name;
      };
      // The seeded rep has English stored but never chose it.
      expect(await name('zh-CN,zh;q=0.9')).toBe(`Tierline 计划 · ${people.rep.name}`);
      expect(await name()).toBe(`Tierline plan · ${people.rep.name}`);
      const chosen = await app.inject({
        method: 'PATCH',
        url: `/api/users/${people.rep.id}`,
        headers: rep.headers,
        payload: { locale: 'zh-CN' },
      });
      expect(chosen.statusCode, chosen.body).toBeLessThan(300);
      expect(await name('en-US,en;q=0.9')).toBe(`Tierline 计划 · ${people.rep.name}`);
      expect(await name()).toBe(`Tierline 计划 · ${people.rep.name}`);
    });
  });
}
