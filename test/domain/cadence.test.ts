import { describe, expect, it } from 'vitest';
import {
  cadenceRules,
  DAYS_PER_MONTH,
  DEFAULT_CADENCE,
  intervalDays,
  resolveCadence,
  touchesPerYear,
} from '../../src/domain/cadence/cadence-rules.ts';
import { ZCadenceRule, ZCadenceRules } from '../../src/schemas/cadence.ts';

describe('cadence rules', () => {
  it('defaults to method §3', () => {
    expect(resolveCadence()).toEqual({
      A: { call: 1, visit: 3 },
      B: { call: 3, visit: 6 },
      C: { call: 6, visit: 12 },
    });
    expect(DEFAULT_CADENCE).toHaveLength(6);
    for (const rule of DEFAULT_CADENCE) expect(ZCadenceRule.parse(rule)).toEqual(rule);
  });

  it('merges edited rules over the defaults; null switches a channel off', () => {
    const table = resolveCadence([
      { tier: 'C', channel: 'visit', intervalMonths: 18 },
      { tier: 'A', channel: 'call', intervalMonths: 0.5 },
      { tier: 'B', channel: 'visit', intervalMonths: null },
    ]);
    expect(table).toEqual({
      A: { call: 0.5, visit: 3 },
      B: { call: 3, visit: null },
      C: { call: 6, visit: 18 },
    });
    expect(cadenceRules(table)).toContainEqual({ tier: 'C', channel: 'visit', intervalMonths: 18 });
  });

  it.each([
    [{ tier: 'A', channel: 'call', intervalMonths: 1 }, true],
    [{ tier: 'C', channel: 'visit', intervalMonths: 18 }, true],
    [{ tier: 'A', channel: 'call', intervalMonths: 0.5 }, true],
    [{ tier: 'A', channel: 'call', intervalMonths: 0 }, false],
    [{ tier: 'A', channel: 'email', intervalMonths: 1 }, false],
    [{ tier: 'D', channel: 'call', intervalMonths: 1 }, false],
  ])('validates %o: %s', (rule, valid) => {
    expect(ZCadenceRule.safeParse(rule).success).toBe(valid);
  });

  it('rejects two rules for one tier and channel', () => {
    const twice = [
      { tier: 'A', channel: 'call', intervalMonths: 1 },
      { tier: 'A', channel: 'call', intervalMonths: 2 },
    ];
    expect(ZCadenceRules.safeParse(twice).success).toBe(false);
  });

  it('converts months to planning days and yearly touches', () => {
    expect(DAYS_PER_MONTH * 12).toBeCloseTo(365, 10);
    expect(intervalDays(3)).toBeCloseTo(91.25, 10);
    expect(touchesPerYear(1)).toBe(12);
    expect(touchesPerYear(18)).toBeCloseTo(2 / 3, 10);
    expect(touchesPerYear(null)).toBe(0);
  });
});
