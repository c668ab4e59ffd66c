import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dayKind,
  isIsoDate,
  monthGrid,
  monthsBetween,
  startOfWeek,
  weekDates,
} from '../../web/src/features/plan/calendar.ts';
import { loadLevel, utilization, weeklyAverage } from '../../web/src/features/plan/load.ts';
import {
  DEFAULT_PLAN_VIEW,
  parsePlanView,
  toPlanRequest,
  updatePlanView,
  writePlanView,
} from '../../web/src/features/plan/plan-view.ts';

describe('the Plan view in the URL', () => {
  it('reads a shared link', () => {
    const view = parsePlanView(
      new URLSearchParams('rep=u1&from=2026-12-01&months=6&calls=30&visits=1&view=week&at=2026-12-07'),
    );
    expect(view).toEqual({
      rep: 'u1',
      from: '2026-12-01',
      months: 6,
      callsPerDay: 30,
      visitsPerDay: 1,
      mode: 'week',
      at: '2026-12-07',
      replan: false,
    });
    expect(toPlanRequest(view)).toEqual({
      repId: 'u1',
      from: '2026-12-01',
      months: 6,
      callsPerDay: 30,
      visitsPerDay: 1,
    });
  });

  it('ignores values it does not understand, leaving them to the server', () => {
    const view = parsePlanView(
      new URLSearchParams('from=2026-02-30&months=30&calls=-1&visits=1.5&view=year&at=2026-13'),
    );
    expect(view).toEqual(DEFAULT_PLAN_VIEW);
    expect(toPlanRequest(view)).toEqual({});
  });

  it('writes only what differs from the defaults and keeps other parameters', () => {
    const params = writePlanView(
      { ...DEFAULT_PLAN_VIEW, visitsPerDay: 1, mode: 'month', at: '2027-01' },
      new URLSearchParams('other=1&calls=40'),
    );
    expect(params.toString()).toBe('other=1&visits=1&at=2027-01');
    expect(parsePlanView(params).visitsPerDay).toBe(1);
  });

  it('goes back to where the plan starts when what is planned changes, not when only capacity does', () => {
    const view = { ...DEFAULT_PLAN_VIEW, at: '2027-03' };
    expect(updatePlanView(view, { from: '2027-01-01' }).at).toBeNull();
    expect(updatePlanView(view, { rep: 'u2' }).at).toBeNull();
    expect(updatePlanView(view, { visitsPerDay: 2 }).at).toBe('2027-03');
  });

  it('keeps re-planning in the link, and opens another rep on their committed plan', () => {
    const replanning = parsePlanView(new URLSearchParams('rep=u1&replan=1'));
    expect(replanning.replan).toBe(true);
    expect(writePlanView(replanning).toString()).toBe('rep=u1&replan=1');
    expect(writePlanView({ ...replanning, replan: false }).toString()).toBe('rep=u1');
    expect(updatePlanView(replanning, { rep: 'u2' }).replan).toBe(false);
    expect(updatePlanView(replanning, { from: '2027-01-01' }).replan).toBe(true);
    expect(updatePlanView(replanning, { rep: 'u2', replan: true }).replan).toBe(true);
  });
});

describe('calendar arithmetic on plan dates', () => {
  it('checks dates strictly', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-1-01')).toBe(false);
  });

  it('lays a month out in whole weeks from Monday', () => {
    // December 2026 starts on a Tuesday and ends on a Thursday.
    const weeks = monthGrid('2026-12');
    expect(weeks).toHaveLength(5);
    expect(weeks[0]?.[0]).toEqual({ date: '2026-11-30', inMonth: false });
    expect(weeks[0]?.[1]).toEqual({ date: '2026-12-01', inMonth: true });
    expect(weeks[4]?.[6]).toEqual({ date: '2027-01-03', inMonth: false });
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    // February 2027 starts on a Monday: four weeks exactly.
    expect(monthGrid('2027-02')).toHaveLength(4);
  });

  it('lists the months of a horizon and the days of a week', () => {
    expect(monthsBetween('2026-11-27', '2027-11-27')).toHaveLength(13);
    expect(monthsBetween('2027-01-01', '2027-04-01')).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(startOfWeek('2026-12-06')).toBe('2026-11-30');
    expect(weekDates('2026-11-30')[6]).toBe('2026-12-06');
  });

  it('tells holidays from make-up workdays by the weekday', () => {
    expect(dayKind('2026-10-01', false)).toBe('dayOff'); // a Thursday off: 国庆节
    expect(dayKind('2026-10-10', true)).toBe('makeUp'); // a Saturday worked: 调休
    expect(dayKind('2026-10-11', false)).toBe('weekend');
    expect(dayKind('2026-10-12', true)).toBe('workday');
  });
});

describe('load levels', () => {
  it('grades utilization', () => {
    expect(loadLevel(0.5)).toBe('ok');
    expect(loadLevel(0.9)).toBe('tight');
    expect(loadLevel(1.8)).toBe('over');
    expect(utilization(1.8, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(loadLevel(utilization(1.8, 0))).toBe('over');
    expect(utilization(0, 0)).toBe(0);
  });
});

describe("the capacity check's per-week figures (averages over the plan's weeks)", () => {
  it('shows no half touches a week from 10 up: 容量 199.5 次 and 19.9 次 were shown as they came', () => {
    expect(weeklyAverage(199.5)).toBe(200);
    expect(weeklyAverage(19.9)).toBe(20);
    expect(weeklyAverage(10.04)).toBe(10);
    expect(weeklyAverage(200)).toBe(200);
  });

  it('keeps one decimal below 10, where a fraction of a touch a week still says something', () => {
    expect(weeklyAverage(0.84)).toBe(0.8);
    expect(weeklyAverage(4.36)).toBe(4.4);
    expect(weeklyAverage(3)).toBe(3);
    expect(weeklyAverage(null)).toBeNull();
    expect(weeklyAverage(undefined)).toBeUndefined();
  });
});
