import { describe, expect, it } from 'vitest';
import {
  EMPTY_VALUE,
  formatDate,
  formatDateTime,
  formatEmployees,
  formatIsoWeek,
  formatMoney,
  formatNumber,
  formatTimeOfDay,
  formatTimeZone,
  isoWeekMonday,
  isoWeekSunday,
} from '../../web/src/i18n/format.ts';
import { matchLanguage, pickLanguage } from '../../web/src/i18n/languages.ts';

describe('formatMoney', () => {
  it.each([
    [35_000_000, '3500万'],
    [120_000_000, '1.2亿'],
    [125_000_000, '1.25亿'],
    [1_234_500_000_000, '12,345亿'],
    [352_500, '35.3万'],
    [35_250, '3.53万'],
    [3_512_345, '351万'],
    [99_999_999, '1亿'],
    [10_000, '1万'],
    [8_500, '8,500元'],
    [0, '0元'],
    [-16_390_000, '-1639万'],
  ])('%d yuan in Chinese is %s', (yuan, expected) => {
    expect(formatMoney(yuan, 'zh-CN')).toBe(expected);
  });

  it.each([
    [35_000_000, '¥35.0M'],
    [1_200_000_000, '¥1.2B'],
    [304_330_000, '¥304M'],
    [850_000, '¥850K'],
    [12_500, '¥12.5K'],
    [999_960, '¥1.0M'],
    [850, '¥850'],
    [-61_700_000, '-¥61.7M'],
  ])('%d yuan in English is %s', (yuan, expected) => {
    expect(formatMoney(yuan, 'en')).toBe(expected);
  });

  it('shows unknown amounts as a dash', () => {
    expect(formatMoney(null, 'zh-CN')).toBe(EMPTY_VALUE);
    expect(formatMoney(undefined, 'en')).toBe(EMPTY_VALUE);
    expect(formatMoney(Number.NaN, 'en')).toBe(EMPTY_VALUE);
  });
});

describe('formatEmployees', () => {
  it.each([
    [100, 499, '100–499'],
    [1000, 4999, '1,000–4,999'],
    [50, 50, '50'],
    [1000, null, '≥1,000'],
    [null, 50, '≤50'],
    [null, null, EMPTY_VALUE],
  ])('%s to %s is %s', (min, max, expected) => {
    expect(formatEmployees(min, max, 'en')).toBe(expected);
  });
});

describe('formatNumber and formatDate', () => {
  it('groups digits', () => {
    expect(formatNumber(1234567, 'zh-CN')).toBe('1,234,567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
  });

  it('writes dates the way each language does', () => {
    const noonUtc = '2025-03-07T12:00:00.000Z';
    expect(formatDate(noonUtc, 'zh-CN')).toBe('2025年3月7日');
    expect(formatDate(noonUtc, 'en')).toBe('Mar 7, 2025');
    expect(formatDate('not a date', 'en')).toBe(EMPTY_VALUE);
  });

  it("writes a moment's time of day in the workspace's time zone, not the browser's", () => {
    const at = '2026-11-27T01:05:00.000Z';
    expect(formatTimeOfDay(at, 'zh-CN', 'Asia/Shanghai')).toBe('09:05');
    expect(formatTimeOfDay(at, 'en', 'Asia/Shanghai')).toBe('09:05');
    expect(formatTimeOfDay(at, 'en', 'Europe/Berlin')).toBe('02:05');
    expect(formatTimeOfDay(null, 'en', 'Asia/Shanghai')).toBe(EMPTY_VALUE);
  });

  it('writes every time of day the one way, 24-hour with two-digit hours, as the time fields take it', () => {
    // A quarter to one in the morning and an afternoon time in Shanghai: 00:45 and 15:30, never 0:45, 12:45 AM or 3:30 PM.
    for (const [at, time] of [
      ['2026-11-28T16:45:00.000Z', '00:45'],
      ['2026-11-28T07:30:00.000Z', '15:30'],
    ] as const) {
      for (const language of ['zh-CN', 'en'] as const) {
        expect(formatTimeOfDay(at, language, 'Asia/Shanghai')).toBe(time);
        expect(formatDateTime(at, language, 'Asia/Shanghai').endsWith(` ${time}`)).toBe(true);
      }
    }
  });

  // Two zones on either side of the date line, so at least one differs from the test process's own zone.
  it("writes a record's timestamp in the workspace's time zone, not the process's", () => {
    const at = '2026-11-26T23:30:00.000Z';
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月27日 07:30');
    expect(formatDateTime(at, 'en', 'Asia/Shanghai')).toBe('Nov 27, 2026, 07:30');
    expect(formatDateTime(at, 'zh-CN', 'America/Los_Angeles')).toBe('2026年11月26日 15:30');
    expect(formatDateTime(at, 'en', 'America/Los_Angeles')).toBe('Nov 26, 2026, 15:30');
    expect(formatDateTime(null, 'en', 'Asia/Shanghai')).toBe(EMPTY_VALUE);
  });

  it("writes the day a moment falls on in the workspace's zone, and a calendar day as written", () => {
    const at = '2026-11-26T23:30:00.000Z';
    expect(formatDate(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月27日');
    expect(formatDate(at, 'en', 'America/Los_Angeles')).toBe('Nov 26, 2026');
    // A day is no moment: the zone never moves it (UTC midnight would be the day before in Los Angeles).
    expect(formatDate('2026-11-27', 'en', 'America/Los_Angeles')).toBe('Nov 27, 2026');
    expect(formatDate('2026-11-27', 'zh-CN', 'Pacific/Kiritimati')).toBe('2026年11月27日');
  });

  it("falls back to the browser's zone for a zone it does not know", () => {
    const at = '2026-11-26T23:30:00.000Z';
    expect(formatDateTime(at, 'en', 'Not/AZone')).toBe(formatDateTime(at, 'en'));
  });
});

describe('ISO weeks, named by the day they start', () => {
  it.each([
    ['2026-W41', '2026-10-05', '2026-10-11'],
    // Week 1 holds 4 January: its Monday may be in the year before.
    ['2026-W01', '2025-12-29', '2026-01-04'],
    ['2021-W01', '2021-01-04', '2021-01-10'],
    // 2020 has a 53rd week; 2021 does not.
    ['2020-W53', '2020-12-28', '2021-01-03'],
  ])('%s runs from %s to %s', (period, monday, sunday) => {
    expect(isoWeekMonday(period)).toBe(monday);
    expect(isoWeekSunday(period)).toBe(sunday);
  });

  it('knows no week that a year does not have, nor anything else', () => {
    expect(isoWeekMonday('2021-W53')).toBeNull();
    expect(isoWeekMonday('2026-W00')).toBeNull();
    expect(isoWeekMonday('2026-05')).toBeNull();
    expect(isoWeekSunday('all')).toBeNull();
  });

  it('writes a week as its Monday in the language, not as a week number', () => {
    expect(formatIsoWeek('2026-W41', 'zh-CN')).toBe('10月5日');
    expect(formatIsoWeek('2026-W41', 'en')).toBe('Oct 5');
    expect(formatIsoWeek('2026-05', 'zh-CN')).toBe('2026-05');
  });
});

describe('formatTimeZone', () => {
  it('names a zone in the language, with the IANA id people search for', () => {
    expect(formatTimeZone('Asia/Shanghai', 'zh-CN')).toBe('中国标准时间 · Asia/Shanghai');
    expect(formatTimeZone('Asia/Shanghai', 'en')).toBe('China Standard Time · Asia/Shanghai');
  });

  it('keeps the id alone where there is no name, or no such zone', () => {
    expect(formatTimeZone('Etc/GMT+5', 'zh-CN')).toBe('Etc/GMT+5');
    expect(formatTimeZone('Not/AZone', 'en')).toBe('Not/AZone');
  });
});

describe('language choice', () => {
  it('maps browser tags to a supported language', () => {
    expect(matchLanguage('zh')).toBe('zh-CN');
    expect(matchLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(matchLanguage('zh-TW')).toBe('zh-CN');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('fr-FR')).toBeNull();
  });

  it('prefers the stored choice, then the browser, then Chinese', () => {
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
    expect(pickLanguage(null, ['fr-FR', 'en-US', 'zh-CN'])).toBe('en');
    expect(pickLanguage('de', ['fr-FR'])).toBe('zh-CN');
    expect(pickLanguage(null, [])).toBe('zh-CN');
  });
});
