import ICAL from 'ical.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsToDate } from '../../src/domain/calendar/local-date.ts';
import { todayIn } from '../../src/domain/calendar/time-zone.ts';
import {
  type CalendarTouch,
  calendarDays,
  calendarFeed,
  createCalendarFeed,
  exportPlan,
  getDaysOff,
  PLAN_CSV_COLUMNS,
  revokeCalendarFeeds,
  setDaysOff,
  touchesToCsv,
  touchesToIcs,
} from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const NOW = new Date('2026-11-27T02:00:00.000Z');

const touch = (over: Partial<CalendarTouch>): CalendarTouch => ({
  id: 't1',
  accountId: 'acc-1',
  accountName: '苏州恒瑞精密机械有限公司',
  tier: 'A',
  city: '苏州市',
  district: '工业园区',
  address: null,
  phone: '0512-6555 1234',
  repId: 'rep-1',
  repName: '李娜',
  channel: 'call',
  dueOn: '2026-12-01',
  dueTime: null,
  status: 'planned',
  ...over,
});

describe('plan as iCalendar and CSV', () => {
  it('writes all-day calls and timed visits that ical.js parses, with stable UIDs, tier and account in SUMMARY (English by default), channel in CATEGORIES', () => {
    const text = touchesToIcs(
      [
        touch({}),
        touch({
          id: 't2',
          channel: 'visit',
          dueTime: '09:30',
          tier: 'B',
          accountName: 'Suzhou Bright Star, Inc.; "HQ"',
        }),
      ],
      { name: 'Tierline plan', timeZone: 'Asia/Shanghai', now: NOW },
    );
    const component = new ICAL.Component(ICAL.parse(text));
    const events = component.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.uid)).toEqual(['t1@tierline', 't2@tierline']);
    expect(events[0]!.summary).toBe('[A] Call: 苏州恒瑞精密机械有限公司');
    expect(events[0]!.startDate.isDate).toBe(true);
    expect(events[0]!.startDate.toString()).toBe('2026-12-01');
    expect(component.getAllSubcomponents('vevent')[0]!.getFirstPropertyValue('categories')).toBe('call');
    expect(events[1]!.startDate.isDate).toBe(false);
    // 09:30 in Shanghai is 01:30 UTC.
    expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(events[1]!.summary).toBe('[B] Visit: Suzhou Bright Star, Inc.; "HQ"');
  });

  it('gives an event the account’s address as its location, naming city and district once', () => {
    const text = touchesToIcs(
      [
        touch({ address: '苏州市工业园区星湖街328号' }),
        touch({ id: 't2', address: '星湖街328号' }),
        touch({ id: 't3', city: null, district: null }),
      ],
      { name: 'Tierline plan', timeZone: 'Asia/Shanghai', now: NOW },
    );
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('location'))).toEqual([
      '苏州市工业园区星湖街328号',
      '苏州市 工业园区 星湖街328号',
      null,
    ]);
  });

  it('writes RFC 4180 CSV with the documented columns and neutralised formulas', () => {
    const csv = touchesToCsv([
      touch({ accountName: '=HYPERLINK("http://x")' }),
      touch({ id: 't2', accountName: 'A, "B"\nC' }),
    ]);
    expect(
      csv.startsWith(
        '\uFEFFdate,time,channel,accountId,accountName,tier,city,district,status,repId,repName\r\n',
      ),
    ).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"A, ""B""\nC"');
  });

  it('heads the CSV in Chinese for zh-CN with the accounts export’s labels and says channel and status in words', () => {
    const csv = touchesToCsv(
      [
        touch({ channel: 'visit', dueTime: '09:30' }),
        touch({ id: 't2', status: 'done', repId: null, repName: null }),
      ],
      'zh-CN',
    );
    expect(csv.slice(1).split('\r\n')).toEqual([
      '日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID,销售员',
      '2026-12-01,09:30,拜访,acc-1,苏州恒瑞精密机械有限公司,A,苏州市,工业园区,待完成,rep-1,李娜',
      '2026-12-01,,电话,acc-1,苏州恒瑞精密机械有限公司,A,苏州市,工业园区,已完成,,',
      '',
    ]);
    // English (the CLI's and the API's default) keeps the column keys and machine-readable values.
    expect(
      touchesToCsv([touch({ channel: 'visit', dueTime: '09:30' }), touch({ status: 'done' })]).slice(1),
    ).toBe(
      'date,time,channel,accountId,accountName,tier,city,district,status,repId,repName\r\n' +
        '2026-12-01,09:30,visit,acc-1,苏州恒瑞精密机械有限公司,A,苏州市,工业园区,planned,rep-1,李娜\r\n' +
        '2026-12-01,,call,acc-1,苏州恒瑞精密机械有限公司,A,苏州市,工业园区,done,rep-1,李娜\r\n',
    );
    expect(touchesToCsv([], 'en')).toBe(touchesToCsv([]));
  });

  // NOW is 2026-11-27 10:00 in Shanghai.
  const parse = (text: string) => {
    const component = new ICAL.Component(ICAL.parse(text));
    return {
      component,
      events: component.getAllSubcomponents('vevent').map((vevent) => ({
        vevent,
        event: new ICAL.Event(vevent),
        categories: vevent.getFirstProperty('categories')?.getValues() as string[],
        state: vevent.getFirstPropertyValue('x-tierline-status'),
        due: vevent.getFirstPropertyValue('x-tierline-due'),
        status: vevent.getFirstPropertyValue('status'),
      })),
    };
  };
  const states = [
    touch({ id: 'open', dueOn: '2026-12-01' }),
    touch({ id: 'done', dueOn: '2026-11-20', status: 'done' }),
    touch({ id: 'late', dueOn: '2026-11-20' }),
    touch({ id: 'late-visit', dueOn: '2026-11-25', channel: 'visit', dueTime: '14:00' }),
    touch({ id: 'today', dueOn: '2026-11-27' }),
  ];

  it('tells done from open and overdue: ✓ and the category done, "Overdue ·" and overdue, CONFIRMED throughout', () => {
    const { events } = parse(
      touchesToIcs(states, { name: 'Tierline plan', timeZone: 'Asia/Shanghai', now: NOW }),
    );
    expect(events.map((e) => e.event.uid)).toEqual(states.map((t) => `${t.id}@tierline`));
    expect(events.map((e) => e.event.summary)).toEqual([
      '[A] Call: 苏州恒瑞精密机械有限公司',
      '✓ [A] Call: 苏州恒瑞精密机械有限公司',
      'Overdue · [A] Call: 苏州恒瑞精密机械有限公司',
      'Overdue · [A] Visit: 苏州恒瑞精密机械有限公司',
      '[A] Call: 苏州恒瑞精密机械有限公司',
    ]);
    expect(events.map((e) => e.status)).toEqual(Array(5).fill('CONFIRMED'));
    expect(events.map((e) => e.categories)).toEqual([
      ['call'],
      ['call', 'done'],
      ['call', 'overdue'],
      ['visit', 'overdue'],
      ['call'],
    ]);
    expect(events.map((e) => e.state)).toEqual(['planned', 'done', 'overdue', 'overdue', 'planned']);
    expect(events.map((e) => e.due)).toEqual(states.map((t) => t.dueOn));
    expect(events[1]!.event.description.split('\n')[0]).toBe('✓ Done');
    expect(events[2]!.event.description.split('\n')[0]).toBe(
      'Overdue since 2026-11-20 (planned for that day, not logged yet)',
    );
    // An export (a file) leaves every touch on its day, a visit at its time.
    expect(events.map((e) => e.event.startDate.toString().slice(0, 10))).toEqual(states.map((t) => t.dueOn));
    expect(events[3]!.event.startDate.isDate).toBe(false);
  });

  it('in the live feed, shows open touches due before today on today, under the same UID', () => {
    const { events } = parse(
      touchesToIcs(states, {
        name: 'Tierline plan',
        timeZone: 'Asia/Shanghai',
        now: NOW,
        overdueOnToday: true,
      }),
    );
    expect(events.map((e) => e.event.uid)).toEqual(states.map((t) => `${t.id}@tierline`));
    expect(events.map((e) => e.event.startDate.toString())).toEqual([
      '2026-12-01',
      '2026-11-20',
      '2026-11-27',
      '2026-11-27',
      '2026-11-27',
    ]);
    // The overdue visit's time has passed: it is the day's work, all day.
    expect(events[3]!.event.startDate.isDate).toBe(true);
    expect(events.map((e) => e.due)).toEqual(states.map((t) => t.dueOn));
  });

  it('titles, describes and names the calendar in the language asked for', () => {
    const zh = parse(
      touchesToIcs(states, { name: 'Tierline 计划', timeZone: 'Asia/Shanghai', now: NOW, lang: 'zh-CN' }),
    );
    expect(zh.component.getFirstPropertyValue('x-wr-calname')).toBe('Tierline 计划');
    expect(zh.events.map((e) => e.event.summary)).toEqual([
      '[A] 电话：苏州恒瑞精密机械有限公司',
      '✓ [A] 电话：苏州恒瑞精密机械有限公司',
      '逾期 · [A] 电话：苏州恒瑞精密机械有限公司',
      '逾期 · [A] 拜访：苏州恒瑞精密机械有限公司',
      '[A] 电话：苏州恒瑞精密机械有限公司',
    ]);
    expect(zh.events[2]!.event.description.split('\n')).toEqual([
      '已逾期：原定 2026-11-20，尚未记录',
      '电话：0512-6555 1234',
      '城市：苏州市 工业园区',
      '销售员：李娜',
      'Tierline 客户 acc-1',
    ]);
    // The channel stays machine-readable in CATEGORIES.
    expect(zh.events[3]!.categories).toEqual(['visit', 'overdue']);
  });

  it('describes an event with the phone, city, rep, the account’s last touch and a link to its page', () => {
    const lastTouches = new Map([
      [
        'acc-1',
        {
          // 2026-11-25 17:30 UTC is 11-26 in Shanghai.
          at: '2026-11-25T17:30:00.000Z',
          channel: 'visit' as const,
          outcome: 'no_answer' as const,
          note: '前台说采购经理出差，下周一再来',
        },
      ],
    ]);
    const options = { timeZone: 'Asia/Shanghai', now: NOW, origin: 'https://crm.example.com', lastTouches };
    const en = parse(touchesToIcs([touch({})], { ...options, name: 'Tierline plan' })).events[0]!;
    expect(en.event.description.split('\n')).toEqual([
      'Phone: 0512-6555 1234',
      'City: 苏州市 工业园区',
      'Rep: 李娜',
      'Last touch: 2026-11-26, Visit, Not met — 前台说采购经理出差，下周一再来',
      'Open in Tierline: https://crm.example.com/accounts/acc-1',
    ]);
    expect(en.vevent.getFirstPropertyValue('url')).toBe('https://crm.example.com/accounts/acc-1');
    const zh = parse(touchesToIcs([touch({ phone: null })], { ...options, name: 'x', lang: 'zh-CN' }))
      .events[0]!;
    expect(zh.event.description.split('\n')).toEqual([
      '城市：苏州市 工业园区',
      '销售员：李娜',
      '上次联系：2026-11-26 拜访 没见到——前台说采购经理出差，下周一再来',
      '在 Tierline 中打开：https://crm.example.com/accounts/acc-1',
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe(`plan export and calendar feeds on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, { userId: null, role: 'system' }, () => NOW);
      await loadDemoWorkspace(ctx);
      repId = (
        await tdb.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'li.na@demo.tierline.local')
          .executeTakeFirstOrThrow()
      ).id;
      await saveMarket(ctx, { criteria: { minEmployees: 100 } });
      await commitPlan(ctx, { repId, from: '2026-11-30' });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('exports a rep’s plan in a date range', async () => {
      const ics = await exportPlan(ctx, 'ics', { repId, from: '2026-12-01', to: '2027-01-01' });
      expect(ics.count).toBeGreaterThan(0);
      const events = new ICAL.Component(ICAL.parse(ics.body)).getAllSubcomponents('vevent');
      expect(events).toHaveLength(ics.count);
      for (const e of events) {
        const start = new ICAL.Event(e).startDate.toString();
        expect(start >= '2026-12-01' && start < '2027-01-01').toBe(true);
      }
      const csv = await exportPlan(ctx, 'csv', { repId, from: '2026-12-01', to: '2027-01-01' });
      expect(csv.body.trim().split('\r\n')).toHaveLength(ics.count + 1);
      const zh = await exportPlan(ctx, 'csv', { repId, from: '2026-12-01', to: '2027-01-01' }, 'zh-CN');
      const [zhHeader, ...zhRows] = zh.body.slice(1).trim().split('\r\n');
      expect(zhHeader).toBe('日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID,销售员');
      expect(zhRows).toHaveLength(ics.count);
      await expect(exportPlan(ctx, 'csv', { from: '2027-01-01', to: '2026-12-01' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
    });

    it('exports in the language asked for: Chinese channel and status in the CSV, titles and name in the calendar', async () => {
      // From the start of the month worked: done touches, overdue ones and those ahead.
      const range = { repId, from: '2026-11-01', to: '2026-12-15' };
      const table = (body: string) => Papa.parse<string[]>(body.slice(1).trim(), { newline: '\r\n' }).data;
      const [enHeader, ...en] = table((await exportPlan(ctx, 'csv', range)).body);
      const [, ...zh] = table((await exportPlan(ctx, 'csv', range, 'zh-CN')).body);
      expect(enHeader).toEqual([...PLAN_CSV_COLUMNS]);
      const status = enHeader!.indexOf('status');
      expect(new Set(en.map((r) => r[status]))).toEqual(new Set(['planned', 'done']));
      const channel = { call: '电话', visit: '拜访' } as Record<string, string>;
      const state = { planned: '待完成', done: '已完成' } as Record<string, string>;
      // The same rows, the channel and status in words, the rep named.
      expect(zh).toEqual(
        en.map((r) => r.map((v, i) => (i === 2 ? channel[v] : i === status ? state[v] : v))),
      );
      expect(new Set(en.map((r) => r.at(-1)))).toEqual(new Set(['李娜']));

      const zhIcs = new ICAL.Component(ICAL.parse((await exportPlan(ctx, 'ics', range, 'zh-CN')).body));
      expect(zhIcs.getFirstPropertyValue('x-wr-calname')).toBe('Tierline 计划 · 李娜');
      const zhTitles = zhIcs
        .getAllSubcomponents('vevent')
        .map((e) => String(e.getFirstPropertyValue('summary')));
      expect(zhTitles).toHaveLength(en.length);
      for (const title of zhTitles) expect(title).toMatch(/^(✓ |逾期 · )?\[[ABC-]\] (电话|拜访)：\S/);
      expect(zhTitles.filter((t) => t.startsWith('✓ '))).toHaveLength(
        en.filter((r) => r[status] === 'done').length,
      );
      const enIcs = new ICAL.Component(ICAL.parse((await exportPlan(ctx, 'ics', range)).body));
      expect(enIcs.getFirstPropertyValue('x-wr-calname')).toBe('Tierline plan · 李娜');
      for (const e of enIcs.getAllSubcomponents('vevent'))
        expect(e.getFirstPropertyValue('summary')).toMatch(/^(✓ |Overdue · )?\[[ABC-]\] (Call|Visit): \S/);
    });

    it('feeds done touches marked ✓ and every overdue one on today however old, linked, in the owner’s language', async () => {
      const db = tdb.db.kysely;
      const today = '2026-11-27';
      // An open touch far overdue: due before the 30 days the feed looks back.
      const moved = await db
        .selectFrom('planned_touches')
        .select('id')
        .where('rep_id', '=', repId)
        .where('status', '=', 'planned')
        .where('due_on', '>', today)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('planned_touches')
        .set({ due_on: '2026-09-28' })
        .where('id', '=', moved.id)
        .execute();
      await db
        .updateTable('users')
        .set({ locale: 'zh-CN', locale_chosen_at: NOW.toISOString() })
        .where('id', '=', repId)
        .execute();
      const feed = await createCalendarFeed(ctx, repId);
      // The owner chose Chinese: the calendar app's English does not change it.
      const body = await calendarFeed(ctx, feed.token, { origin: 'https://crm.example.com', language: 'en' });
      const calendar = new ICAL.Component(ICAL.parse(body!));
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Tierline 计划 · 李娜');
      const events = new Map(
        calendar.getAllSubcomponents('vevent').map((e) => [String(e.getFirstPropertyValue('uid')), e]),
      );
      const mine = db
        .selectFrom('planned_touches')
        .select(['id', 'due_on', 'account_id'])
        .where('rep_id', '=', repId);
      const done = await mine.where('status', '=', 'done').where('due_on', '>=', '2026-10-28').execute();
      const overdue = await mine.where('status', '=', 'planned').where('due_on', '<', today).execute();
      const ahead = await mine
        .where('status', '=', 'planned')
        .where('due_on', '>=', today)
        .where('due_on', '<', addMonthsToDate(today, (await readWorkspaceSettings(db)).horizonMonths))
        .execute();
      expect(done.length).toBeGreaterThan(0);
      expect(overdue.map((t) => t.id)).toContain(moved.id);
      expect(events.size).toBe(done.length + overdue.length + ahead.length);
      const seen = (t: { id: string }) => {
        const e = events.get(`${t.id}@tierline`);
        expect(e, t.id).toBeDefined();
        const event = new ICAL.Event(e!);
        return {
          event,
          start: event.startDate.toString().slice(0, 10),
          categories: e!.getFirstProperty('categories')!.getValues() as string[],
          due: e!.getFirstPropertyValue('x-tierline-due'),
        };
      };
      for (const t of done) {
        const { event, start, categories } = seen(t);
        expect(event.summary).toMatch(/^✓ \[[ABC-]\] (电话|拜访)：/);
        expect(categories).toContain('done');
        expect(start).toBe(t.due_on);
      }
      for (const t of overdue) {
        const { event, start, categories, due } = seen(t);
        expect(event.summary).toMatch(/^逾期 · \[[ABC-]\] (电话|拜访)：/);
        expect(event.description).toContain(`已逾期：原定 ${t.due_on}`);
        expect(categories).toContain('overdue');
        expect([start, due]).toEqual([today, t.due_on]);
      }
      for (const t of ahead) {
        const { event, start, categories } = seen(t);
        expect(event.summary).toMatch(/^\[[ABC-]\] (电话|拜访)：/);
        expect(categories).toHaveLength(1);
        expect(start).toBe(t.due_on);
      }
      // Each event links to its account page and names the account's latest logged touch.
      const { event } = seen(done[0]!);
      expect(event.description).toContain(
        `在 Tierline 中打开：https://crm.example.com/accounts/${done[0]!.account_id}`,
      );
      const latest = await db
        .selectFrom('activities')
        .select(['occurred_at', 'note'])
        .where('account_id', '=', done[0]!.account_id)
        .orderBy('occurred_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(event.description).toContain(
        `上次联系：${todayIn('Asia/Shanghai', new Date(latest.occurred_at))} `,
      );
      if (latest.note) expect(event.description).toContain(latest.note);

      // Until the owner chooses a language, the calendar app's (Accept-Language) is used, else the stored default.
      const name = async (language?: 'en' | 'zh-CN') =>
        new ICAL.Component(
          ICAL.parse((await calendarFeed(ctx, feed.token, language ? { language } : {}))!),
        ).getFirstPropertyValue('x-wr-calname');
      await db.updateTable('users').set({ locale_chosen_at: null }).where('id', '=', repId).execute();
      expect(await name('en')).toBe('Tierline plan · 李娜');
      expect(await name()).toBe('Tierline 计划 · 李娜');
      await db
        .updateTable('users')
        .set({ locale: 'en', locale_chosen_at: NOW.toISOString() })
        .where('id', '=', repId)
        .execute();
      expect(await name('zh-CN')).toBe('Tierline plan · 李娜');
    });

    it('serves a secret feed until it is revoked', async () => {
      const feed = await createCalendarFeed(ctx, repId);
      expect(feed.path).toBe(`/cal/${feed.token}.ics`);
      const body = await calendarFeed(ctx, feed.token);
      expect(body).toContain('BEGIN:VCALENDAR');
      expect(new ICAL.Component(ICAL.parse(body!)).getAllSubcomponents('vevent').length).toBeGreaterThan(0);
      const stored = await tdb.db.kysely
        .selectFrom('calendar_feeds')
        .select('token_hash')
        .where('id', '=', feed.id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(feed.token);
      expect(await revokeCalendarFeeds(ctx, repId, feed.id)).toBe(1);
      expect(await calendarFeed(ctx, feed.token)).toBeNull();
      expect(await calendarFeed(ctx, 'not-a-real-token-at-all')).toBeNull();
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`rep days off and the working-day calendar on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, { userId: null, role: 'system' }, () => NOW);
      await loadDemoWorkspace(ctx);
      repId = (
        await tdb.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'li.na@demo.tierline.local')
          .executeTakeFirstOrThrow()
      ).id;
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('explains each day: national holiday, 调休 make-up workday, weekend, the rep’s own day off', async () => {
      const { version } = await getDaysOff(ctx, repId);
      // Listed once: a day listed twice is refused (test/services/days-off-dates.test.ts).
      await setDaysOff(ctx, repId, { dates: ['2026-10-09'], version });
      expect((await getDaysOff(ctx, repId)).dates).toEqual(['2026-10-09']);
      const { days } = await calendarDays(ctx, { from: '2026-09-28', to: '2026-10-12', repId });
      const kind = (date: string) => days.find((d) => d.date === date)?.kind;
      expect(kind('2026-10-01')).toBe('holiday');
      expect(kind('2026-10-09')).toBe('custom-day-off');
      expect(days.filter((d) => d.kind === 'make-up-workday').length).toBeGreaterThan(0);
      expect(days.every((d) => d.working === (d.kind === 'workday' || d.kind === 'make-up-workday'))).toBe(
        true,
      );

      // A plan committed afterwards (from today at the earliest) leaves a day off free.
      const read = await getDaysOff(ctx, repId);
      await setDaysOff(ctx, repId, { dates: ['2026-10-09', '2026-12-09'], version: read.version });
      await commitPlan(ctx, { repId, from: '2026-11-30', months: 1, acceptOverload: true });
      const onDayOff = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select('id')
        .where('rep_id', '=', repId)
        .where('due_on', '=', '2026-12-09')
        .execute();
      expect(onDayOff).toHaveLength(0);
    });

    it('says when a year’s official schedule is not published yet', async () => {
      const result = await calendarDays(ctx, { from: '2027-01-01', to: '2027-01-10', repId });
      expect(result.unpublishedYears).toEqual([2027]);
      expect(result.days.every((d) => !d.published)).toBe(true);
    });
  });
}
