import { describe, expect, it } from 'vitest';
import { isDay, notADay, valueForTypedText } from '../../web/src/features/dates/date-text.ts';

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

  it('leaves a day outside the limits to the picker, which keeps its own day', () => {
    const limits = { clearable: false, minDate: '2026-01-01', maxDate: '2026-11-28' };
    expect(valueForTypedText('2026-12-01', '2026-11-20', limits)).toBeUndefined();
    expect(valueForTypedText('2025-12-31', '2026-02-30', limits)).toBe('');
    expect(valueForTypedText('2026-11-28', '2026-11-20', limits)).toBe('2026-11-28');
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
});
