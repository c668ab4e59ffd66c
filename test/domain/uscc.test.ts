import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidUscc,
  makeUscc,
  normalizeUscc,
  USCC_CHARSET,
  usccCheckCharacter,
  validateUscc,
} from '../../src/domain/registration/uscc.ts';

describe('validateUscc', () => {
  it.each([
    ['91350100M000100Y43', '91350100M000100Y43'],
    [' 91350100m000100y43 ', '91350100M000100Y43'],
    ['９１３５０１００Ｍ０００１００Ｙ４３', '91350100M000100Y43'],
    ['9135 0100 M000 100Y 43', '91350100M000100Y43'],
    ['91350100-M000100Y4-3', '91350100M000100Y43'],
  ])('accepts %j as %s', (input, normalized) => {
    expect(validateUscc(input)).toEqual({ ok: true, value: normalized });
  });

  it.each([
    ['', 'must be 18 characters, got 0'],
    ['91350100M000100Y4', 'must be 18 characters, got 17 ("91350100M000100Y4")'],
    ['91350100M000100Y431', 'must be 18 characters, got 19'],
    ['9135010OM000100Y43', 'character "O" at position 8 is not allowed (I, O, S, V and Z are never used)'],
    ['91350100M000100Y4I', 'character "I" at position 18 is not allowed'],
    ['91350100M00010#Y43', 'character "#" at position 15 is not allowed'],
    ['91350100M000100Y44', 'check character does not match: expected 3, got 4'],
  ])('rejects %j: %s', (input, reason) => {
    const result = validateUscc(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('computes the check character with 31 mapped to 0', () => {
    // Find a prefix whose weighted sum is ≡ 0 (mod 31): its check character must be "0", not "Y".
    const prefix = Array.from({ length: 31 }, (_, i) => `9131000${USCC_CHARSET[i]}000000000`).find(
      (p) => usccCheckCharacter(p) === '0',
    );
    expect(prefix).toBeDefined();
    expect(isValidUscc(`${prefix}0`)).toBe(true);
  });

  it('normalizes without validating', () => {
    expect(normalizeUscc(' ９１ab-cd ')).toBe('91ABCD');
  });
});

describe('makeUscc', () => {
  it('makes valid, deterministic, 18-character codes', () => {
    expect(makeUscc(42)).toBe(makeUscc(42));
    expect(makeUscc(42)).not.toBe(makeUscc(43));
    for (let seed = 0; seed < 500; seed++) {
      const code = makeUscc(seed);
      expect(code).toMatch(/^91\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/);
      expect(validateUscc(code)).toEqual({ ok: true, value: code });
    }
  });
});

describe('USCC properties', () => {
  it('never throws and always gives a reason or the normalized code', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const result = validateUscc(input);
        if (result.ok) expect(result.value).toHaveLength(18);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a valid code with any one character changed', () => {
    const replacement = fc.oneof(
      fc.constantFrom(...USCC_CHARSET.split('')),
      fc.constantFrom('I', 'O', 'S', 'V', 'Z', '#', '中'),
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 17 }), replacement, (seed, position, char) => {
        const code = makeUscc(seed);
        fc.pre(code[position] !== char);
        const changed = code.slice(0, position) + char + code.slice(position + 1);
        expect(validateUscc(changed).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects a valid code with two adjacent characters swapped (when they differ)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 16 }), (seed, position) => {
        const code = makeUscc(seed);
        const a = code[position] as string;
        const b = code[position + 1] as string;
        fc.pre(a !== b);
        const swapped = code.slice(0, position) + b + a + code.slice(position + 2);
        expect(validateUscc(swapped).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
