import { describe, expect, it } from 'vitest';
import { parseTypedDate } from '../../web/src/features/dates/typed-date.ts';
import { formatDate } from '../../web/src/i18n/format.ts';
import { LANGUAGES } from '../../web/src/i18n/languages.ts';

describe('a day typed into a date field', () => {
  it.each([
    ['2026-10-05', '2026-10-05'],
    ['2026-1-5', '2026-01-05'],
    ['2026/10/5', '2026-10-05'],
    ['2026.10.05', '2026-10-05'],
    ['20261005', '2026-10-05'],
    ['2026年10月5日', '2026-10-05'],
    ['2026 年 10 月 5 日', '2026-10-05'],
    ['２０２６／１０／５', '2026-10-05'],
    ['Oct 5, 2026', '2026-10-05'],
    ['october 5 2026', '2026-10-05'],
    ['Sept 30, 2026', '2026-09-30'],
    ['5 Oct 2026', '2026-10-05'],
    ['  2024-02-29 ', '2024-02-29'],
  ])('reads %j as %s', (typed, day) => {
    expect(parseTypedDate(typed)).toBe(day);
  });

  it.each([
    '',
    '2026-10',
    '2026-13-01',
    '2026-02-30',
    '2025-02-29',
    '10/5/2026',
    '5/10/2026',
    'Octopus 5, 2026',
    'yesterday',
    '2026年10月',
    '0999-01-01',
  ])('does not guess %j', (typed) => {
    expect(parseTypedDate(typed)).toBeNull();
  });

  it.each(LANGUAGES)('reads back every day as the field shows it in %s', (language) => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      expect(parseTypedDate(formatDate(day, language))).toBe(day);
    }
  });
});
