import { describe, expect, it } from 'vitest';
import { DEFAULT_OBJECTION_CODES } from '../../src/domain/objections/default-playbook.ts';
import { ZObjectionCode } from '../../src/schemas/objections.ts';
import { autoObjectionCode, suggestCode } from '../../web/src/features/playbook/objection-code.ts';

const DEFAULTS = new Set<string>(DEFAULT_OBJECTION_CODES);

describe('the code offered for a new objection', () => {
  it('comes from the English name when there is one', () => {
    expect(suggestCode('Price too high!')).toBe('price-too-high');
    expect(autoObjectionCode('Needs approval', DEFAULTS)).toBe('needs-approval');
  });

  it('is numbered after the objections there are when the name is Chinese only', () => {
    expect(suggestCode('价格太高')).toBe('');
    expect(autoObjectionCode('', DEFAULTS)).toBe(`objection-${DEFAULTS.size + 1}`);
    // Whatever the English field holds, if it has no letter or digit.
    expect(autoObjectionCode('  —！ ', DEFAULTS)).toBe(`objection-${DEFAULTS.size + 1}`);
  });

  it('is never one the playbook has', () => {
    const numbered = new Set([
      ...DEFAULTS,
      `objection-${DEFAULTS.size + 1}`,
      `objection-${DEFAULTS.size + 2}`,
    ]);
    expect(autoObjectionCode('', numbered)).toBe(`objection-${DEFAULTS.size + 3}`);
    const named = new Set([...DEFAULTS, 'needs-approval', 'needs-approval-2']);
    expect(autoObjectionCode('Needs approval', named)).toBe('needs-approval-3');
    const existing = [...DEFAULTS][0] as string;
    expect(autoObjectionCode(existing.replace(/-/g, ' '), DEFAULTS)).toBe(`${existing}-2`);
  });

  it('is a code the server accepts, also from a very long name', () => {
    const long = 'a'.repeat(64);
    const codes = [
      autoObjectionCode('', DEFAULTS),
      autoObjectionCode('Ünïcödé — café', DEFAULTS),
      autoObjectionCode(`${'a '.repeat(40)}`, DEFAULTS),
      autoObjectionCode(long, new Set([long])),
    ];
    for (const code of codes) expect(ZObjectionCode.safeParse(code).success, code).toBe(true);
    expect(codes[1]).toBe('unicode-cafe');
    expect(codes[3]).toBe(`${'a'.repeat(62)}-2`);
  });
});
