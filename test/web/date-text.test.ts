import { describe, expect, it } from 'vitest';
import {
  afterTyping,
  dayProblem,
  isDay,
  isDayWithin,
  isWholeDayText,
  notADay,
  type TypingOptions,
  valueForTypedText,
} from '../../web/src/features/dates/date-text.ts';

const FREE = { clearable: false };

/** The field's value after typing `text` one character at a time into an empty field, as the picker reads it. */
function typeInto(text: string, limits: Parameters<typeof valueForTypedText>[2] = FREE, start = ''): string {
  let value = start;
  for (let end = 1; end <= text.length; end++)
    value = valueForTypedText(text.slice(0, end), value, limits) ?? value;
  return value;
}

describe("a date field's value as a text is typed into it", () => {
  it.each([
    ['2026-02-28', '2026-02-28'],
    ['2026-02-3', '2026-02-03'],
    ['2026年2月28日', '2026-02-28'],
    ['Dec 24, 2026', '2026-12-24'],
  ])('is the day %j reads', (text, day) => {
    expect(typeInto(text)).toBe(day);
  });

  it.each(['2026-02-30', '2026-13-01', '2025-02-29'])(
    'is %j itself, not the day read on the way to it',
    (text) => {
      // 2026-02-3 (the 3rd) is read while 2026-02-30 is typed: the value does not stay there.
      expect(typeInto(text)).toBe(text);
      expect(notADay(typeInto(text))).toBe(text);
    },
  );

  it('is the text as it stands when a day is partly erased', () => {
    expect(valueForTypedText('2026-0', '2026-02-03', FREE)).toBe('2026-0');
    expect(valueForTypedText(' 2026-02-30 ', '2026-02-03', FREE)).toBe('2026-02-30');
  });

  it('goes back to a day the field held when it is emptied and cannot be, else holds nothing', () => {
    expect(valueForTypedText('', '2026-02-03', FREE)).toBeUndefined();
    expect(valueForTypedText('  ', '2026-02-30', FREE)).toBe('');
    // A clearable field is emptied by the picker itself.
    expect(valueForTypedText('', '2026-02-30', { clearable: true })).toBeUndefined();
  });

  it('is a day typed outside the limits too, not the day it held before (the picker would keep that silently)', () => {
    expect(valueForTypedText('2026-12-01', '2026-11-20', FREE)).toBe('2026-12-01');
    expect(valueForTypedText('2025-12-31', '2026-02-30', FREE)).toBe('2025-12-31');
    // Named in the field's error, and sent by no form with those limits.
    const limits = { minDate: '2026-01-01', maxDate: '2026-11-28' };
    expect(dayProblem(typeInto('2026-12-01', FREE, '2026-11-20'), limits)).toEqual({
      problem: 'afterMax',
      limit: '2026-11-28',
    });
    expect(dayProblem(typeInto('2025-12-31', FREE, '2026-11-20'), limits)).toEqual({
      problem: 'beforeMin',
      limit: '2026-01-01',
    });
    expect(isDayWithin(typeInto('2026-12-01', FREE, '2026-11-20'), limits)).toBe(false);
    expect(isDayWithin(typeInto('2026-11-28', FREE, '2026-11-20'), limits)).toBe(true);
  });
});

/**
 * What a field acted on at every change (the plan's "from", `waitForWholeDay`) gives the form as `text` is typed
 * one character at a time, and what it gives when the typing stops (leaving the field, Enter).
 */
function given(
  text: string,
  start = '',
  options: TypingOptions = { clearable: false, waitForWholeDay: true },
) {
  let value = start;
  let held: string | null = null;
  const gives: string[] = [];
  for (let end = 1; end <= text.length; end++) {
    const typed = afterTyping(text.slice(0, end), value, options);
    held = typed.hold;
    if (typed.give !== undefined) {
      gives.push(typed.give);
      value = typed.give;
    }
  }
  if (held !== null) gives.push(held);
  return { days: gives.filter(isDay), last: gives.at(-1) ?? value };
}

describe('a field that waits for a whole day', () => {
  it('gives no day read on the way to one that is none: 2026-02-3 (the 3rd) on the way to 2026-02-30', () => {
    expect(given('2026-02-30', '2026-02-10')).toEqual({ days: [], last: '2026-02-30' });
    expect(given('2026-09-31', '2026-09-14')).toEqual({ days: [], last: '2026-09-31' });
  });

  it('gives a day once, when its text is whole', () => {
    expect(given('2026-02-03').days).toEqual(['2026-02-03']);
    expect(given('2026-09-14').days).toEqual(['2026-09-14']);
    expect(given('2026年2月3日').days).toEqual(['2026-02-03']);
    expect(given('Feb 3, 2026').days).toEqual(['2026-02-03']);
  });

  it('gives a day written short when the typing stops, and only then', () => {
    // 2026-2-3 is read as the 3rd on the way and at its end: held, then given on leaving the field.
    expect(given('2026-2-3')).toEqual({ days: ['2026-02-03'], last: '2026-02-03' });
    expect(given('2026/2/3').days).toEqual(['2026-02-03']);
  });

  it('gives every day read without waiting, as other fields do (their forms act on nothing until sent)', () => {
    const eager = { clearable: false };
    expect(given('2026-02-30', '', eager).days).toEqual(['2026-02-03']);
  });

  it('tells a whole text from one a digit more could make another day', () => {
    for (const text of [
      '2026-02-03',
      '2026/02/03',
      '20260203',
      '2026年2月3日',
      'Feb 3, 2026',
      '3 Feb 2026',
      '２０２６－０２－０３',
    ])
      expect(isWholeDayText(text)).toBe(true);
    for (const text of ['2026-02-3', '2026-2-3', '2026年2月3', '2026-02-30', '2026-02-', ''])
      expect(isWholeDayText(text)).toBe(false);
  });
});

describe('what a date field holds', () => {
  it('is a day only when written YYYY-MM-DD and real', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('names a value that is no day, and nothing for a day or none', () => {
    expect(notADay('2026-02-30')).toBe('2026-02-30');
    expect(notADay('2026-02-03')).toBeNull();
    expect(notADay('')).toBeNull();
  });

  it('says what is wrong with it for the limits, or nothing for a day within them or none', () => {
    const limits = { maxDate: '2026-11-28' };
    expect(dayProblem('2026-02-30', limits)).toEqual({ problem: 'notADay', text: '2026-02-30' });
    expect(dayProblem('2026-11-29', limits)).toEqual({ problem: 'afterMax', limit: '2026-11-28' });
    expect(dayProblem('2026-11-28', limits)).toBeNull();
    expect(dayProblem('', limits)).toBeNull();
    expect(isDayWithin('', limits)).toBe(false);
  });
});
