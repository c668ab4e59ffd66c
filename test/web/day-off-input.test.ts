import { describe, expect, it } from 'vitest';
import { readDayOff } from '../../web/src/features/team/day-off-input.ts';

describe('the day the days-off field adds', () => {
  it('adds a day picked from the calendar', () => {
    expect(readDayOff(null, '2026-12-24')).toEqual({ day: '2026-12-24' });
  });

  it.each([
    ['2026-12-24', '2026-12-24'],
    ['2026/2/28', '2026-02-28'],
    ['2026年2月28日', '2026-02-28'],
    [' Dec 24, 2026 ', '2026-12-24'],
  ])('adds the day typed as %j', (typed, day) => {
    expect(readDayOff(typed, day)).toEqual({ day });
  });

  it.each([
    // While 2026-02-30 was typed the field read 2026-02-3 as the 3rd and kept it: the text is what counts.
    ['2026-02-30', '2026-02-03'],
    ['2026-13-01', ''],
    ['2025-02-29', '2025-02-02'],
    ['2026-0', ''],
  ])('refuses %j, naming it, whatever day the field last read', (typed, picked) => {
    expect(readDayOff(typed, picked)).toEqual({ error: 'notADay', text: typed });
  });

  it('names the text as typed, without the spaces around it', () => {
    expect(readDayOff('  2026-02-30 ', '2026-02-03')).toEqual({ error: 'notADay', text: '2026-02-30' });
  });

  it('asks for a day when the field is empty, or was emptied after a day was typed', () => {
    expect(readDayOff(null, '')).toEqual({ error: 'missing' });
    expect(readDayOff('', '')).toEqual({ error: 'missing' });
    expect(readDayOff('  ', '2026-12-24')).toEqual({ error: 'missing' });
  });

  it('refuses a value that is no real day', () => {
    expect(readDayOff(null, '2026-02-30')).toEqual({ error: 'missing' });
  });
});
