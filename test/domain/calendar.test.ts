import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHINA_HOLIDAYS,
  createChineseDaysProvider,
  getHolidayProvider,
  type HolidayProvider,
  NO_HOLIDAYS,
  supportedCountries,
} from '../../src/domain/calendar/holiday-providers.ts';
import {
  addMonthsToDate,
  daysBetween,
  fromDayNumber,
  isLocalDate,
  shiftDate,
  startOfWeek,
  toDayNumber,
  weekdayOf,
} from '../../src/domain/calendar/local-date.ts';
import { todayIn } from '../../src/domain/calendar/time-zone.ts';
import { createWorkingCalendar } from '../../src/domain/calendar/working-calendar.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { HOLIDAY_COUNTRIES } from '../../src/schemas/plan.ts';

const china = createWorkingCalendar({ country: 'CN' });
const weekendsOnly = createWorkingCalendar({ country: 'none' });

describe('China working calendar (chinese-days)', () => {
  it.each([
    // 2025 Spring Festival: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 are make-up workdays (调休)
    ['2025-01-25', false, 'Saturday before the make-up Sunday'],
    ['2025-01-26', true, 'Sunday make-up workday'],
    ['2025-01-27', true, 'Monday before the holiday'],
    ['2025-01-28', false, 'Spring Festival eve'],
    ['2025-01-29', false, 'Spring Festival'],
    ['2025-01-31', false, 'Spring Festival'],
    ['2025-02-01', false, 'Spring Festival (Saturday)'],
    ['2025-02-03', false, 'Spring Festival (Monday)'],
    ['2025-02-04', false, 'last day of Spring Festival'],
    ['2025-02-05', true, 'back to work'],
    ['2025-02-08', true, 'Saturday make-up workday'],
    ['2025-02-09', false, 'ordinary Sunday'],
    ['2025-01-01', false, "New Year's Day"],
    ['2025-04-27', true, 'Sunday make-up for Labour Day'],
    ['2025-05-05', false, 'Labour Day (Monday)'],
    ['2025-09-28', true, 'Sunday make-up for National Day'],
    ['2025-10-08', false, 'National Day holiday'],
    ['2025-10-11', true, 'Saturday make-up for National Day'],
    ['2026-01-04', true, 'Sunday make-up workday 2026'],
    ['2026-02-16', false, 'Spring Festival 2026'],
    ['2026-02-24', true, 'after Spring Festival 2026'],
    ['2025-03-04', true, 'ordinary Tuesday'],
  ])('%s is working: %s (%s)', (date, working) => {
    expect(china.isWorkingDay(date)).toBe(working);
  });

  it('treats every day of 2025-01-28..2025-02-04 as off', () => {
    for (let date = '2025-01-28'; date <= '2025-02-04'; date = shiftDate(date, 1)) {
      expect(china.isWorkingDay(date), date).toBe(false);
    }
  });

  it.each([
    ['2025-01-01', '2025-02-01', 19], // 23 weekdays - 1 New Year - 4 festival weekdays + Sunday 01-26
    ['2025-01-27', '2025-02-05', 1], // only Monday 01-27
    ['2025-02-05', '2025-02-10', 4], // Wed, Thu, Fri, Sat(make-up); Sunday off
    ['2025-03-03', '2025-03-03', 0], // empty range
    ['2025-03-10', '2025-03-03', 0], // reversed range
    ['2024-12-30', '2025-01-06', 4], // across the year boundary, New Year's Day off
  ])('workingDaysBetween(%s, %s) = %i (half-open)', (from, to, expected) => {
    expect(china.workingDaysBetween(from, to)).toBe(expected);
  });

  it.each([
    ['2025-01-27', '2025-02-05'],
    ['2025-01-25', '2025-01-26'],
    ['2025-02-07', '2025-02-08'],
    ['2025-02-08', '2025-02-10'],
    ['2025-09-30', '2025-10-09'],
  ])('nextWorkingDay(%s) = %s', (date, next) => {
    expect(china.nextWorkingDay(date)).toBe(next);
  });

  it('workingDayOnOrAfter keeps a working day and skips a holiday', () => {
    expect(china.workingDayOnOrAfter('2025-01-26')).toBe('2025-01-26');
    expect(china.workingDayOnOrAfter('2025-01-28')).toBe('2025-02-05');
  });

  it('explains a day', () => {
    expect(china.dayInfo('2025-01-26')).toMatchObject({
      working: true,
      kind: 'make-up-workday',
      published: true,
    });
    expect(china.dayInfo('2025-01-29')).toMatchObject({ working: false, kind: 'holiday', published: true });
    expect(china.dayInfo('2025-01-29').name).toContain('春节');
    expect(china.dayInfo('2025-03-08')).toMatchObject({ working: false, kind: 'weekend' });
    expect(china.dayInfo('2025-03-07')).toMatchObject({ working: true, kind: 'workday' });
  });
});

describe('unpublished years', () => {
  // chinese-days 1.5.7 ships 2004 through 2026.
  it.each([
    [2003, false],
    [2004, true],
    [2025, true],
    [2026, true],
    [2027, false],
    [2030, false],
  ])('the package has a schedule for %i: %s', (year, published) => {
    expect(CHINA_HOLIDAYS.scheduleFor(year) !== null).toBe(published);
    expect(china.scheduleStatus(year)).toEqual({ year, country: 'CN', published });
  });

  it('lists the unpublished years of a range', () => {
    expect(china.unpublishedYears('2026-06-01', '2027-05-31')).toEqual([2027]);
    expect(china.unpublishedYears('2025-01-01', '2026-12-31')).toEqual([]);
    expect(china.unpublishedYears('2026-03-01', '2028-02-29')).toEqual([2027, 2028]);
  });

  it('plans an unpublished year on weekends only, never guessing holidays', () => {
    // 2027-01-01 is a Friday: New Year's Day in practice, but no schedule is published, so it is a workday.
    expect(china.isWorkingDay('2027-01-01')).toBe(true);
    expect(china.isWorkingDay('2027-01-02')).toBe(false);
    expect(china.dayInfo('2027-01-01')).toMatchObject({ working: true, kind: 'workday', published: false });
    expect(china.nextWorkingDay('2026-12-31')).toBe('2027-01-01');
    // A whole unpublished year has exactly its weekdays: 2027 has 261.
    expect(china.workingDaysBetween('2027-01-01', '2028-01-01')).toBe(261);
    expect(china.workingDaysBetween('2027-01-01', '2028-01-01')).toBe(
      weekendsOnly.workingDaysBetween('2027-01-01', '2028-01-01'),
    );
  });

  it('detects published years from the data, not from the clock', () => {
    const provider = createChineseDaysProvider({
      holidays: { '2030-01-01': "New Year's Day,元旦,1" },
      workdays: { '2030-01-05': "New Year's Day,元旦,1", '2031-01-04': 'x,y,1' },
    });
    expect(provider.scheduleFor(2030)).not.toBeNull();
    // make-up workdays alone do not publish a year
    expect(provider.scheduleFor(2031)).toBeNull();
    const calendar = createWorkingCalendar({ provider });
    expect(calendar.isWorkingDay('2030-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2030-01-05')).toBe(true);
    expect(calendar.isWorkingDay('2031-01-04')).toBe(false);
    expect(calendar.unpublishedYears('2030-01-01', '2031-12-31')).toEqual([2031]);
  });
});

describe('other countries and custom days off', () => {
  it("'none' is weekends only and always published", () => {
    expect(weekendsOnly.isWorkingDay('2025-01-28')).toBe(true);
    expect(weekendsOnly.isWorkingDay('2025-01-26')).toBe(false);
    expect(weekendsOnly.unpublishedYears('2025-01-01', '2030-12-31')).toEqual([]);
    expect(NO_HOLIDAYS.scheduleFor(1999)).toEqual({ daysOff: [], makeUpWorkdays: [] });
  });

  it('rejects an unknown country with a message that lists the known ones', () => {
    expect(() => getHolidayProvider('XX')).toThrow(/use one of CN, HK, .*, US, .*none\./);
    const error = (() => {
      try {
        createWorkingCalendar({ country: 'XX' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isAppError(error) && error.code).toBe('bad_request');
  });

  it("plans on other countries' public holidays, computed from their rules, substitute days included", () => {
    const us = createWorkingCalendar({ country: 'US' });
    expect(us.isWorkingDay('2027-07-05')).toBe(false); // Independence Day falls on a Sunday: Monday off
    expect(us.isWorkingDay('2027-11-25')).toBe(false); // Thanksgiving, fourth Thursday
    expect(us.isWorkingDay('2027-12-24')).toBe(false); // Christmas on a Saturday: Friday off
    expect(us.isWorkingDay('2027-07-06')).toBe(true);
    // Observances are not days off: St. Patrick's Day, Tax Day, the day after Thanksgiving.
    expect(['2027-03-17', '2027-04-15', '2027-11-26'].every((d) => us.isWorkingDay(d))).toBe(true);
    expect(us.unpublishedYears('2026-01-01', '2040-12-31')).toEqual([]);

    const uk = createWorkingCalendar({ country: 'GB' });
    expect(['2027-03-26', '2027-03-29', '2027-12-27', '2027-12-28'].map((d) => uk.isWorkingDay(d))).toEqual([
      false,
      false,
      false,
      false,
    ]);

    // Lunar calendars: Hong Kong's Lunar New Year and Mid-Autumn, Japan's Golden Week.
    const hk = createWorkingCalendar({ country: 'HK' });
    expect(['2027-02-08', '2027-02-09', '2027-09-16'].every((d) => !hk.isWorkingDay(d))).toBe(true);
    expect(hk.isWorkingDay('2027-02-10')).toBe(true);
    const jp = createWorkingCalendar({ country: 'JP' });
    expect(['2027-05-03', '2027-05-04', '2027-05-05'].every((d) => !jp.isWorkingDay(d))).toBe(true);

    // Names as China's own: Chinese and English where date-holidays has both, else English, never only the
    // country's language (Japanese, German, Korean).
    expect(jp.dayInfo('2027-01-01').name).toBe("元旦 New Year's Day");
    expect(jp.dayInfo('2027-01-11').name).toBe('Coming of Age Day');
    expect(createWorkingCalendar({ country: 'DE' }).dayInfo('2027-03-26').name).toBe(
      '耶穌受難節 Good Friday',
    );
    expect(hk.dayInfo('2027-02-08').name).toBe('農曆年初三 The third day of Lunar New Year');
    expect(us.dayInfo('2027-07-05').name).toMatch(/Independence Day/);

    // A rep's own days off still count, and China's schedule is not mixed in.
    const rep = createWorkingCalendar({ country: 'US', customDaysOff: ['2027-07-06'] });
    expect(rep.isWorkingDay('2027-07-06')).toBe(false);
    expect(us.isWorkingDay('2027-10-04')).toBe(true); // China's National Day week is a US working week
  });

  it('offers every schedule the settings accept', () => {
    expect(supportedCountries()).toEqual([...HOLIDAY_COUNTRIES]);
    // China's 2027 schedule is published in late 2026 (see "unpublished years"); the others are computed.
    for (const country of HOLIDAY_COUNTRIES) {
      const days =
        getHolidayProvider(country).scheduleFor(country === 'CN' ? 2026 : 2027)?.daysOff.length ?? 0;
      expect(days, country).toBeGreaterThanOrEqual(country === 'none' ? 0 : 5);
    }
  });

  it('accepts a provider for another country', () => {
    const demo: HolidayProvider = {
      country: 'DE',
      label: 'test',
      scheduleFor: (year) =>
        year === 2025 ? { daysOff: [{ date: '2025-10-03' }], makeUpWorkdays: [] } : null,
    };
    const calendar = createWorkingCalendar({ provider: demo });
    expect(calendar.country).toBe('DE');
    expect(calendar.isWorkingDay('2025-10-03')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-02')).toBe(true);
    expect(calendar.unpublishedYears('2025-06-01', '2026-06-01')).toEqual([2026]);
  });

  it('honours a rep’s own days off and other weekend days', () => {
    const calendar = createWorkingCalendar({ country: 'CN', customDaysOff: ['2025-03-04', '2025-01-26'] });
    expect(calendar.isWorkingDay('2025-03-04')).toBe(false);
    expect(calendar.isWorkingDay('2025-01-26')).toBe(false); // a make-up Sunday the rep takes off
    expect(calendar.dayInfo('2025-03-04').kind).toBe('custom-day-off');
    expect(calendar.nextWorkingDay('2025-03-03')).toBe('2025-03-05');
    const friSat = createWorkingCalendar({ country: 'none', weekendDays: [5, 6] });
    expect(friSat.isWorkingDay('2025-03-07')).toBe(false); // Friday
    expect(friSat.isWorkingDay('2025-03-09')).toBe(true); // Sunday
  });

  it('gives planners a day mask', () => {
    expect([...china.workingMask('2025-01-25', '2025-01-30')]).toEqual([0, 1, 1, 0, 0]);
  });
});

describe('local dates and time zones', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-03-01', 12, '2026-03-01'],
    ['2025-11-15', 3, '2026-02-15'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('addMonthsToDate(%s, %i) = %s', (date, months, expected) => {
    expect(addMonthsToDate(date, months)).toBe(expected);
  });

  it('converts day numbers both ways', () => {
    for (const date of ['1970-01-01', '2000-02-29', '2025-01-26', '2100-12-31', '1999-12-31']) {
      expect(fromDayNumber(toDayNumber(date))).toBe(date);
    }
    expect(daysBetween('2025-03-01', '2026-03-01')).toBe(365);
    expect(weekdayOf('2025-01-26')).toBe(0);
    expect(startOfWeek('2025-03-09')).toBe('2025-03-03');
    expect(startOfWeek('2025-03-03')).toBe('2025-03-03');
  });

  it('rejects malformed dates with an actionable message', () => {
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(() => toDayNumber('2025-13-01')).toThrow(/YYYY-MM-DD/);
    expect(() => china.isWorkingDay('25-1-1')).toThrow(/YYYY-MM-DD/);
  });

  it.each([
    ['2025-01-01T15:59:59Z', 'Asia/Shanghai', '2025-01-01'],
    ['2025-01-01T16:00:00Z', 'Asia/Shanghai', '2025-01-02'],
    ['2025-01-01T16:00:00Z', 'America/New_York', '2025-01-01'],
    ['2025-01-01T04:59:59Z', 'America/New_York', '2024-12-31'],
    ['2025-06-30T23:30:00Z', 'UTC', '2025-06-30'],
    ['2025-03-09T06:59:59Z', 'America/New_York', '2025-03-09'],
    ['2025-12-31T18:14:59Z', 'Asia/Kathmandu', '2025-12-31'],
    ['2025-12-31T18:15:00Z', 'Asia/Kathmandu', '2026-01-01'],
  ])('todayIn at %s in %s is %s', (instant, timeZone, expected) => {
    expect(todayIn(timeZone, new Date(instant))).toBe(expected);
  });

  it('todayIn agrees with Intl at every 53rd minute of two years, daylight-saving changes included', () => {
    // The offsets come from a per-zone table (time-zone.test.ts checks it in depth). Zones with changes at odd
    // hours, half-hour DST (Lord Howe), 45-minute offsets (Chatham) and negative half hours (St. John's).
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Pacific/Chatham',
      'America/St_Johns',
      'Asia/Shanghai',
    ];
    for (const zone of zones) {
      const oracle = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const wrong: string[] = [];
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 53 * 60_000) {
        const instant = new Date(ms);
        const expected = oracle.format(instant);
        if (todayIn(zone, instant) !== expected) wrong.push(`${instant.toISOString()} ${expected}`);
      }
      expect(wrong, zone).toEqual([]);
    }
    // Just before and after New York's spring and autumn changes of 2026 (07:00 and 06:00 UTC).
    expect(todayIn('America/New_York', new Date('2026-03-08T06:59:59.999Z'))).toBe('2026-03-08');
    expect(todayIn('America/New_York', new Date('2026-11-01T03:59:59.999Z'))).toBe('2026-10-31');
    expect(todayIn('America/New_York', new Date('2026-11-01T04:00:00.000Z'))).toBe('2026-11-01');
    expect(todayIn('Asia/Shanghai', new Date('1899-06-01T12:00:00Z'))).toBe('1899-06-01');
    expect(() => todayIn('Asia/Shanghai', new Date(Number.NaN))).toThrow(RangeError);
  });

  it('todayIn agrees with date-fns over random instants in zones with odd offsets and DST', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Europe/London',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const instant = new Date(ms);
          expect(todayIn(zone, instant)).toBe(format(instant, 'yyyy-MM-dd', { in: tz(zone) }));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
