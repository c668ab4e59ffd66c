import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CalendarTouch,
  calendarDays,
  calendarFeed,
  createCalendarFeed,
  exportPlan,
  getDaysOff,
  revokeCalendarFeeds,
  setDaysOff,
  touchesToCsv,
  touchesToIcs,
} from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
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
  channel: 'call',
  dueOn: '2026-12-01',
  dueTime: null,
  status: 'planned',
  ...over,
});

describe('plan as iCalendar and CSV', () => {
  it('writes all-day calls and timed visits that ical.js parses, with stable UIDs, tier and account in SUMMARY, channel in CATEGORIES', () => {
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
    expect(events[0]!.summary).toBe('[A] 电话/Call: 苏州恒瑞精密机械有限公司');
    expect(events[0]!.startDate.isDate).toBe(true);
    expect(events[0]!.startDate.toString()).toBe('2026-12-01');
    expect(component.getAllSubcomponents('vevent')[0]!.getFirstPropertyValue('categories')).toBe('call');
    expect(events[1]!.startDate.isDate).toBe(false);
    // 09:30 in Shanghai is 01:30 UTC.
    expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(events[1]!.summary).toBe('[B] 拜访/Visit: Suzhou Bright Star, Inc.; "HQ"');
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
      csv.startsWith('\uFEFFdate,time,channel,accountId,accountName,tier,city,district,status,repId\r\n'),
    ).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"A, ""B""\nC"');
  });

  it('heads the CSV in Chinese for zh-CN with the accounts export’s labels, values left machine-readable', () => {
    const csv = touchesToCsv([touch({ channel: 'visit', dueTime: '09:30' })], 'zh-CN');
    expect(csv.slice(1).split('\r\n')).toEqual([
      '日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID',
      '2026-12-01,09:30,visit,acc-1,苏州恒瑞精密机械有限公司,A,苏州市,工业园区,planned,rep-1',
      '',
    ]);
    expect(touchesToCsv([], 'en')).toBe(touchesToCsv([]));
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
      expect(zhHeader).toBe('日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID');
      expect(zhRows).toEqual(csv.body.slice(1).trim().split('\r\n').slice(1));
      await expect(exportPlan(ctx, 'csv', { from: '2027-01-01', to: '2026-12-01' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
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

      // A plan committed afterwards leaves the day off free.
      await commitPlan(ctx, { repId, from: '2026-09-28', months: 1, acceptOverload: true });
      const onDayOff = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select('id')
        .where('rep_id', '=', repId)
        .where('due_on', '=', '2026-10-09')
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
