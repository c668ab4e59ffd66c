import { describe, expect, it } from 'vitest';
import type { TAgendaItem } from '../../src/schemas/plan-api.ts';
import { mayHaveSession } from '../../web/src/api/early-requests.ts';
import { topPercent } from '../../web/src/features/account-page/tier-basis.ts';
import { groupAgenda, progressPercent } from '../../web/src/features/today/agenda-groups.ts';
import { dayOffOf, holidayNameIn, makeUpWorkdayOf } from '../../web/src/features/today/day-off.ts';
import {
  dayIn,
  daysBetween,
  formatDay,
  formatMoment,
  isIsoDate,
  shiftDay,
} from '../../web/src/features/touches/dates.ts';
import {
  checkWhen,
  choiceForDay,
  earlierTime,
  FUTURE_TOLERANCE_MS,
  isTooFarAhead,
  offsetMinutes,
  wallTimeIn,
  zonedIso,
} from '../../web/src/features/touches/when.ts';

function item(touchId: string, tier: TAgendaItem['tier'], overdue = false): TAgendaItem {
  return {
    touchId,
    accountId: `a-${touchId}`,
    accountName: touchId,
    tier,
    city: null,
    district: null,
    phone: null,
    channel: 'call',
    dueOn: '2026-11-27',
    dueTime: null,
    overdue,
    overdueDays: overdue ? 2 : 0,
    repId: null,
    stage: 'prospect',
    lastTouch: null,
  };
}

describe('agenda sections', () => {
  it('puts overdue first whatever the tier, then A, B, C, then accounts without a tier', () => {
    const groups = groupAgenda([
      item('c1', 'C', true),
      item('a1', 'A', true),
      item('a2', 'A'),
      item('x', null),
      item('c2', 'C'),
      item('a3', 'A'),
    ]);
    expect(groups.map((g) => [g.key, g.items.map((i) => i.touchId)])).toEqual([
      ['overdue', ['c1', 'a1']],
      ['A', ['a2', 'a3']],
      ['C', ['c2']],
      ['none', ['x']],
    ]);
  });

  it('leaves empty sections out', () => {
    expect(groupAgenda([])).toEqual([]);
  });
});

describe('a day off on Today', () => {
  it('is a weekend, a named public holiday or the rep’s own day off; a working day is none', () => {
    expect(dayOffOf({ working: false, kind: 'weekend', name: null }, 'zh-CN')).toEqual({
      kind: 'weekend',
      name: null,
    });
    expect(dayOffOf({ working: false, kind: 'holiday', name: '国庆节 National Day' }, 'zh-CN')).toEqual({
      kind: 'holiday',
      name: '国庆节',
    });
    expect(dayOffOf({ working: false, kind: 'holiday', name: '国庆节 National Day' }, 'en')).toEqual({
      kind: 'holiday',
      name: 'National Day',
    });
    expect(dayOffOf({ working: false, kind: 'holiday', name: null }, 'en')).toEqual({
      kind: 'holiday',
      name: null,
    });
    expect(dayOffOf({ working: false, kind: 'custom-day-off', name: null }, 'en')).toEqual({
      kind: 'personal',
      name: null,
    });
    expect(dayOffOf({ working: true, kind: 'workday', name: null }, 'zh-CN')).toBeNull();
    // A 调休 Saturday is worked: no day off, though the calendar names the holiday it makes up for.
    expect(
      dayOffOf({ working: true, kind: 'make-up-workday', name: '国庆节 National Day' }, 'zh-CN'),
    ).toBeNull();
    // An agenda a browser kept from before the server said what the day is.
    expect(dayOffOf(undefined, 'zh-CN')).toBeNull();
  });

  it('says a 调休 make-up workday beside the date, with the holiday it is worked for', () => {
    const saturday = { working: true, kind: 'make-up-workday', name: '国庆节 National Day' } as const;
    expect(makeUpWorkdayOf(saturday, 'zh-CN')).toEqual({ name: '国庆节' });
    expect(makeUpWorkdayOf(saturday, 'en')).toEqual({ name: 'National Day' });
    expect(makeUpWorkdayOf({ ...saturday, name: null }, 'en')).toEqual({ name: null });
    expect(makeUpWorkdayOf({ working: true, kind: 'workday', name: null }, 'zh-CN')).toBeNull();
    expect(
      makeUpWorkdayOf({ working: false, kind: 'holiday', name: '国庆节 National Day' }, 'zh-CN'),
    ).toBeNull();
    expect(makeUpWorkdayOf(undefined, 'zh-CN')).toBeNull();
  });

  it('names a holiday in the UI’s language, keeping a name given in one language only', () => {
    const long = '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日 Anti-Fascist 70th Day';
    expect(holidayNameIn(long, 'zh-CN')).toBe('中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日');
    expect(holidayNameIn(long, 'en')).toBe('Anti-Fascist 70th Day');
    expect(holidayNameIn("元旦 New Year's Day", 'en')).toBe("New Year's Day");
    expect(holidayNameIn('Thanksgiving Day', 'zh-CN')).toBe('Thanksgiving Day');
    expect(holidayNameIn('春节', 'en')).toBe('春节');
    // Two holidays on one day.
    expect(holidayNameIn('元旦 New Year’s Day / 春节 Chinese New Year', 'zh-CN')).toBe('元旦 / 春节');
  });
});

describe('progress toward a goal', () => {
  it('is a whole percentage, capped at 100, and 0 with no goal and nothing done', () => {
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 4)).toBe(100);
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(2, 0)).toBe(100);
  });
});

describe('calendar dates', () => {
  it('validates and shifts ISO dates across months, years and leap days', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDay('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-27', '2027-01-01')).toBe(35);
  });

  it('writes a day the same way in every time zone, with the year only when it differs', () => {
    expect(formatDay('2026-11-28', 'zh-CN', 'short', '2026')).toBe('11月28日');
    expect(formatDay('2027-01-04', 'zh-CN', 'weekday', '2026')).toBe('2027年1月4日周一');
    expect(formatDay('2026-11-28', 'en', 'weekday', '2026')).toBe('Sat, Nov 28');
    expect(formatDay('2026-11-28', 'en', 'long')).toBe('Saturday, November 28, 2026');
    expect(formatDay('not a date', 'en', 'short')).toBe('not a date');
  });

  it("names another day in the page title: weekday, day and month, the year only when it isn't this year's", () => {
    expect(formatDay('2026-11-30', 'en', 'title', '2026')).toBe('Monday, Nov 30');
    expect(formatDay('2026-11-30', 'zh-CN', 'title', '2026')).toBe('11月30日星期一');
    expect(formatDay('2027-01-04', 'en', 'title', '2026')).toBe('Monday, Jan 4, 2027');
  });

  it('writes a moment on the clock of the zone asked for', () => {
    const at = '2026-11-27T07:30:00.000Z';
    expect(formatMoment(at, 'zh-CN', '2026', 'Asia/Shanghai')).toBe('11月27日 15:30');
    // Hours in two digits, 24-hour, in both languages: the one way the app writes a time (format.ts TIME_OF_DAY).
    expect(formatMoment(at, 'zh-CN', '2026', 'America/New_York')).toBe('11月27日 02:30');
    expect(formatMoment(at, 'en', '2026', 'America/New_York')).toBe('Nov 27, 02:30');
    expect(formatMoment(at, 'en', '2026', 'Asia/Shanghai')).toBe('Nov 27, 15:30');
    expect(formatMoment('2026-11-28T16:45:00Z', 'zh-CN', '2026', 'Asia/Shanghai')).toBe('11月29日 00:45');
    expect(formatMoment('2026-12-31T20:00:00Z', 'zh-CN', '2026', 'Asia/Shanghai')).toBe('2027年1月1日 04:00');
  });

  it("takes today (and an objection's last day) on the workspace's clock, not the browser's", () => {
    // 2026-11-27 20:00 UTC is already the 28th in Shanghai and still the 27th in New York.
    const at = new Date('2026-11-27T20:00:00.000Z');
    expect(dayIn('Asia/Shanghai', at)).toBe('2026-11-28');
    expect(dayIn('America/New_York', at)).toBe('2026-11-27');
    expect(dayIn('Asia/Shanghai', new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
  });
});

describe('when a touch happened (the log form)', () => {
  it("reads an instant's day and time on the workspace's clock", () => {
    const at = new Date('2026-11-27T17:05:00Z');
    expect(wallTimeIn('Asia/Shanghai', at)).toEqual({ date: '2026-11-28', time: '01:05' });
    expect(wallTimeIn('UTC', at)).toEqual({ date: '2026-11-27', time: '17:05' });
    expect(wallTimeIn('America/Los_Angeles', at)).toEqual({ date: '2026-11-27', time: '09:05' });
    expect(offsetMinutes('Asia/Kolkata', at)).toBe(330);
  });

  it("writes a day and time as an instant with the zone's offset then, daylight saving included", () => {
    expect(zonedIso('2026-11-27', '15:30', 'Asia/Shanghai')).toBe('2026-11-27T15:30:00+08:00');
    expect(Date.parse(zonedIso('2026-11-27', '15:30', 'Asia/Shanghai'))).toBe(
      Date.parse('2026-11-27T07:30:00Z'),
    );
    expect(zonedIso('2026-07-01', '09:00', 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00');
    expect(zonedIso('2026-01-15', '09:00', 'Europe/Berlin')).toBe('2026-01-15T09:00:00+01:00');
    expect(zonedIso('2026-03-08', '23:45', 'America/New_York')).toBe('2026-03-08T23:45:00-04:00');
    expect(zonedIso('2026-03-07', '23:45', 'America/New_York')).toBe('2026-03-07T23:45:00-05:00');
    expect(zonedIso('2026-06-01', '00:00', 'UTC')).toBe('2026-06-01T00:00:00+00:00');
    // Its date part is the day picked, which the agenda counts it on.
    const iso = zonedIso('2026-11-27', '23:59', 'Asia/Shanghai');
    expect(iso.slice(0, 10)).toBe('2026-11-27');
    expect(wallTimeIn('Asia/Shanghai', new Date(iso))).toEqual({ date: '2026-11-27', time: '23:59' });
  });

  it('refuses what the server refuses: more than five minutes ahead of now', () => {
    const now = new Date('2026-11-27T07:30:00Z');
    expect(FUTURE_TOLERANCE_MS).toBe(5 * 60_000);
    expect(isTooFarAhead('2026-11-27T15:35:00+08:00', now)).toBe(false);
    expect(isTooFarAhead('2026-11-27T15:36:00+08:00', now)).toBe(true);
    expect(isTooFarAhead('2026-11-26T23:00:00+08:00', now)).toBe(false);
  });

  it('starts an earlier time an hour back on the quarter hour, not before midnight', () => {
    expect(earlierTime('15:40')).toBe('14:30');
    expect(earlierTime('10:00')).toBe('09:00');
    expect(earlierTime('00:40')).toBe('00:00');
    expect(earlierTime('23:59')).toBe('22:45');
  });

  it('says what keeps a time from being sent once, by the field that is wrong', () => {
    const now = new Date('2026-11-27T07:30:00Z');
    const check = (date: string, time: string) =>
      checkWhen({ date, time }, '2026-11-27', 'Asia/Shanghai', now);
    expect(checkWhen(null, '2026-11-27', 'Asia/Shanghai', now)).toEqual({});
    expect(check('2026-11-26', '16:20')).toEqual({ at: '2026-11-26T16:20:00+08:00' });
    // A date that is no day, or after today, is the date field's (it names it itself): not the time field's too.
    expect(check('2026-02-30', '16:20')).toEqual({ wrong: 'date', error: 'invalid' });
    expect(check('2026-11-28', '09:00')).toEqual({ wrong: 'date', error: 'invalid' });
    expect(check('', '09:00')).toEqual({ wrong: 'date', error: 'invalid' });
    expect(check('2026-11-26', '')).toEqual({ wrong: 'time', error: 'invalid' });
    expect(check('2026-11-27', '16:00')).toEqual({ wrong: 'time', error: 'future' });
  });

  it('names a picked day by the quick choice it stands for', () => {
    expect(choiceForDay('2026-11-27', '2026-11-27', '2026-11-26')).toBe('today');
    expect(choiceForDay('2026-11-26', '2026-11-27', '2026-11-26')).toBe('yesterday');
    expect(choiceForDay('2026-11-20', '2026-11-27', '2026-11-26')).toBe('other');
  });
});

describe('early requests', () => {
  const page = (content: string | null) => ({
    querySelector: () => (content === null ? null : { content }),
  });

  it('skips the agenda only when the server said there is no session', () => {
    expect(mayHaveSession(page('0') as unknown as Document)).toBe(false);
    expect(mayHaveSession(page('1') as unknown as Document)).toBe(true);
    expect(mayHaveSession(page(null) as unknown as Document)).toBe(true);
    expect(mayHaveSession(undefined)).toBe(true);
  });
});

describe('tier basis', () => {
  it('says how near the top a rank is, rounded up, at least 1%', () => {
    expect(topPercent(26, 247)).toBe(11);
    expect(topPercent(1, 1000)).toBe(1);
    expect(topPercent(247, 247)).toBe(100);
  });
});
