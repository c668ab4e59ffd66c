import { describe, expect, it } from 'vitest';
import { DEFAULT_OBJECTION_CODES } from '../../src/domain/objections/default-playbook.ts';
import { ZObjectionCode } from '../../src/schemas/objections.ts';
import { ZSkillCreate } from '../../src/schemas/practice-api.ts';
import { suggestCode, uniqueCode } from '../../web/src/components/unique-code.ts';

/** What NewObjectionModal offers: the shared generator numbering objection-N. */
const autoObjectionCode = (english: string, taken: ReadonlySet<string>) =>
  uniqueCode(english, taken, 'objection');

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

describe('the code offered for a new skill (the same generator, numbered skill-N)', () => {
  // The manager's own skills' codes without `custom:`, as AddSkillModal passes them.
  const CUSTOM = new Set(['cold-call-opening', 'skill-2']);

  it('comes from the English name, never one the team has', () => {
    expect(uniqueCode('Telling an industry case', CUSTOM, 'skill')).toBe('telling-an-industry-case');
    expect(uniqueCode('Cold call opening', CUSTOM, 'skill')).toBe('cold-call-opening-2');
  });

  it('is numbered skill-N when the skill is named only in Chinese', () => {
    expect(uniqueCode('', new Set(), 'skill')).toBe('skill-1');
    // After the skills there are, skipping a number already taken.
    expect(uniqueCode('', new Set(['cold-call-opening']), 'skill')).toBe('skill-2');
    expect(uniqueCode('', CUSTOM, 'skill')).toBe('skill-3');
    expect(uniqueCode('', new Set(['a', 'skill-3']), 'skill')).toBe('skill-4');
  });

  it('is a code the server accepts for a skill, also from a very long name', () => {
    const long = 'b'.repeat(80);
    for (const code of [
      uniqueCode('', CUSTOM, 'skill'),
      uniqueCode(long, new Set(), 'skill'),
      uniqueCode(long, new Set(['b'.repeat(64)]), 'skill'),
    ]) {
      expect(ZSkillCreate.safeParse({ code, zh: '电话开场白' }).success, code).toBe(true);
    }
  });
});
