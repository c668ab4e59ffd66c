// The Sources table's cleaning time per in-market account: a free list's few hours spread over a hundred
// accounts is minutes each, which the table showed as "0.01 小时".
import { describe, expect, it } from 'vitest';
import { cleaningTime } from '../../web/src/features/import/wizard.ts';

describe('a cleaning time on the Sources table', () => {
  it.each([
    [2 / 174, { unit: 'minutes', value: 0.7 }],
    [14 / 91, { unit: 'minutes', value: 9.2 }],
    [0.25, { unit: 'minutes', value: 15 }],
    [0.999, { unit: 'minutes', value: 60 }],
  ])('%s hours under an hour is in minutes: %j', (hours, expected) => {
    expect(cleaningTime(hours)).toEqual(expected);
  });

  it.each([
    [0, { unit: 'hours', value: 0 }],
    [1, { unit: 'hours', value: 1 }],
    [1.5, { unit: 'hours', value: 1.5 }],
    [14, { unit: 'hours', value: 14 }],
    [2.3456, { unit: 'hours', value: 2.35 }],
  ])('%s hours from an hour up (and none) stays in hours: %j', (hours, expected) => {
    expect(cleaningTime(hours)).toEqual(expected);
  });
});
