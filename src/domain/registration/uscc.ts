import { mulberry32 } from '../random.ts';
import { toHalfWidth } from '../text/half-width.ts';

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from the 31-character set 0-9 A-H J-N P-R T-U W-Y (I, O, S, V, Z are never
 * used). The 18th is a check character: with the code values c1..c17 of the first 17
 * characters and the weights below, check = 31 − (Σ ci·wi mod 31), where 31 becomes 0.
 * Only length, character set and the check character are verified; the registration
 * authority, category and region parts are not (every real code passes these checks, and
 * stricter structural checks would reject nothing that a single typo produces).
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_LENGTH = 18;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// Code value of each character (index by char code), -1 when not in the charset.
const CODE_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARSET.length; i++) CODE_VALUE[USCC_CHARSET.charCodeAt(i)] = i;

export type UsccResult = { ok: true; value: string } | { ok: false; reason: string };

/** Trims, folds full-width characters, upper-cases and drops spaces and hyphens used as separators. */
export function normalizeUscc(input: string): string {
  return toHalfWidth(input)
    .replace(/[\s-]+/g, '')
    .toUpperCase();
}

/** The check character for the first 17 characters of a code (which must be in the charset). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CODE_VALUE[first17.charCodeAt(i)] ?? -1;
    if (value < 0) throw new RangeError(`character ${JSON.stringify(first17[i])} is not a USCC character`);
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARSET.charAt(check);
}

/** Validates a unified social credit code after normalising it; the value is the normalised code. */
export function validateUscc(input: string): UsccResult {
  // Fast path: an already clean code (the usual case) is checked without normalising.
  if (input.length === USCC_LENGTH && checkCharacterMatches(input)) return { ok: true, value: input };
  const code = normalizeUscc(input);
  if (code.length !== USCC_LENGTH) {
    return {
      ok: false,
      reason: `must be ${USCC_LENGTH} characters, got ${code.length}${code.length === 0 ? '' : ` ("${code}")`}`,
    };
  }
  let sum = 0;
  for (let i = 0; i < USCC_LENGTH; i++) {
    const charCode = code.charCodeAt(i);
    const value = charCode < 128 ? (CODE_VALUE[charCode] ?? -1) : -1;
    if (value < 0) {
      const char = code.charAt(i);
      const hint = 'IOSVZ'.includes(char) ? ' (I, O, S, V and Z are never used)' : '';
      return { ok: false, reason: `character "${char}" at position ${i + 1} is not allowed${hint}` };
    }
    if (i < 17) sum += value * (WEIGHTS[i] ?? 0);
  }
  const expected = USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
  const got = code.charAt(17);
  if (expected !== got) {
    return { ok: false, reason: `check character does not match: expected ${expected}, got ${got}` };
  }
  return { ok: true, value: code };
}

function checkCharacterMatches(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const charCode = code.charCodeAt(i);
    const value = charCode < 128 ? (CODE_VALUE[charCode] ?? -1) : -1;
    if (value < 0) return false;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return code.charCodeAt(17) === USCC_CHARSET.charCodeAt((31 - (sum % 31)) % 31);
}

export function isValidUscc(input: string): boolean {
  return validateUscc(input).ok;
}

const REGIONS = [
  '110000',
  '310000',
  '310115',
  '440300',
  '440106',
  '330100',
  '320500',
  '510100',
  '420100',
  '370200',
];

/**
 * A valid, deterministic unified social credit code for tests and demo data: registration
 * authority 9 (market regulation), category 1 (company), a real region code, a pseudo-random
 * 9-character organisation part and the correct check character.
 */
export function makeUscc(seed: number): string {
  const random = mulberry32(seed);
  const region = REGIONS[Math.floor(random() * REGIONS.length)] ?? '310000';
  let org = '';
  for (let i = 0; i < 9; i++) org += USCC_CHARSET.charAt(Math.floor(random() * USCC_CHARSET.length));
  const first17 = `91${region}${org}`;
  return first17 + usccCheckCharacter(first17);
}
