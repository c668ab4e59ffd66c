import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCity, normalizeCompanyName } from '../../src/domain/dedupe/normalize-name.ts';
import { makeUscc, validateUscc } from '../../src/domain/registration/uscc.ts';
import {
  isEmptyish,
  type ParseResult,
  parseDate,
  parseEmail,
  parseEmployees,
  parseMoney,
  parsePhone,
  parseWebsite,
} from '../../src/import/value-parsers.ts';

// Hostile input for the pure parts of an import: the value parsers, the credit-code check and the company-name
// normaliser. Properties over random and adversarial strings: nothing throws, every call ends fast (no regular
// expression blows up), results are well formed, and the round trips that exist hold.

const RUNS = { numRuns: 300 };

/** Any text: UTF-16 code units (lone surrogates included), graphemes, and the characters the parsers look for. */
const FRAGMENTS = [
  '1',
  '0',
  '9',
  ',',
  '.',
  '-',
  '+',
  'e',
  'E',
  '万',
  '亿',
  '元',
  '千',
  '人',
  '以上',
  '以下',
  '-',
  '~',
  '至',
  '年',
  '月',
  '日',
  ':',
  '：',
  'a',
  'x',
  'www.',
  '.com',
  '.cn',
  '@',
  '/',
  '(',
  ')',
  '（',
  '）',
  ' ',
  '  ',
  '\t',
  '\n',
  '"',
  "'",
  '\\',
  '\u0000',
  '\ufeff',
  '\ufffd',
  '１',
  '，',
  '。',
  '￥',
  'http://',
  'xn--',
  '转',
  'ext',
  '#',
  '有限公司',
  '公司',
  'co',
  'ltd',
  'Co.,Ltd.',
  '分公司',
  '(中国)',
  '【',
  '】',
  'the ',
  's.p.a.',
  'ab',
];
const hostileText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc
      .array(fc.constantFrom(...FRAGMENTS), { maxLength: Math.ceil(maxLength / 2) })
      .map((parts) => parts.join('').slice(0, maxLength)),
  );

/**
 * Runs `work`. No clock: a wall-clock limit failed on a busy CI machine (a two-character input "took 268 ms"); a
 * regular expression gone exponential on these inputs instead hangs the property until the test's timeout fails it.
 */
function quick<T>(work: () => T): T {
  return work();
}

function wellFormed<T>(result: ParseResult<T>): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

describe('value parsers on hostile text', () => {
  const parsers: Array<[string, (input: string) => ParseResult<unknown>, number]> = [
    ['parseMoney', (s) => parseMoney(s), 260],
    ['parseMoney scaled', (s) => parseMoney(s, { scale: 10_000 }), 260],
    ['parseEmployees', parseEmployees, 260],
    ['parseDate', (s) => parseDate(s, { allowYearOnly: true }), 260],
    ['parsePhone', parsePhone, 260],
    ['parseEmail', parseEmail, 400],
    ['parseWebsite', parseWebsite, 2100],
  ];
  for (const [name, parse, maxLength] of parsers) {
    it(`${name} never throws, answers in time and says why it refuses`, () => {
      fc.assert(
        fc.property(hostileText(maxLength), (input) => {
          wellFormed(quick(() => parse(input)));
        }),
        RUNS,
      );
    });
  }

  it('stays fast on long repetitive input built to make regular expressions backtrack', () => {
    const pieces = ['1,', '1.', 'a.', 'a-', 'aa.', '1 ', '-1', 'e1', '万1', 'x@', '.a', '11:'];
    for (const piece of pieces) {
      for (const tail of ['', '!', '@', '..', ' x']) {
        const input = piece.repeat(1200) + tail;
        for (const [, parse] of parsers) wellFormed(quick(() => parse(input)));
      }
    }
  });

  it('isEmptyish never throws', () => {
    fc.assert(
      fc.property(hostileText(40), (s) => {
        expect(typeof isEmptyish(s)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('round trips: integers, 万 amounts, ISO dates, head-count ranges, mobiles, websites', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (n) => {
        expect(parseMoney(String(n))).toEqual({ ok: true, value: n });
        expect(parseMoney(n.toLocaleString('en-US'))).toEqual({ ok: true, value: n });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 11 }), (n) => {
        expect(parseMoney(`${n}万`)).toEqual({ ok: true, value: n * 10_000 });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(parseDate(iso)).toEqual({ ok: true, value: iso });
          const [y, m, day] = iso.split('-').map(Number);
          expect(parseDate(`${y}年${m}月${day}日`)).toEqual({ ok: true, value: iso });
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        expect(parseEmployees(`${min}-${max}人`)).toEqual({ ok: true, value: { min, max } });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^\d{9}$/), (prefix, rest) => {
        const mobile = prefix + rest;
        const spaced = `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)}-${mobile.slice(7)}`;
        expect(parsePhone(spaced)).toEqual({ ok: true, value: mobile });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        const host = domain.toLowerCase().replace(/^www\d*\./, '');
        fc.pre(host.split('.').length >= 2 && !/^\d+(\.\d+){3}$/.test(host));
        const parsed = parseWebsite(`https://www.${host}/about?x=1`);
        expect(parsed).toEqual({ ok: true, value: host });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Credit codes against an independent implementation of GB 32100-2015

const REFERENCE_CHARSET = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'];
/** Weight of position i (0-based) is 3^i mod 31 (GB 32100-2015, table 3). */
const REFERENCE_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** True when `code` is 18 characters of the code set with a matching check character. */
function referenceValid(code: string): boolean {
  const chars = [...code];
  if (chars.length !== 18) return false;
  const values = chars.map((c) => REFERENCE_CHARSET.indexOf(c));
  if (values.some((v) => v < 0)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (values[i] as number) * (REFERENCE_WEIGHTS[i] as number);
  return values[17] === (31 - (sum % 31)) % 31;
}

function referenceComplete(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++)
    sum += REFERENCE_CHARSET.indexOf(first17.charAt(i)) * (REFERENCE_WEIGHTS[i] as number);
  return first17 + REFERENCE_CHARSET[(31 - (sum % 31)) % 31];
}

const codeChar = fc.constantFrom(...REFERENCE_CHARSET);
const anyAlnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');

describe('credit codes (GB 32100-2015)', () => {
  it('the reference agrees with known codes', () => {
    expect(referenceValid('91350100M000100Y43')).toBe(true);
    expect(referenceValid('91350100M000100Y44')).toBe(false);
    for (let seed = 1; seed < 50; seed++) expect(referenceValid(makeUscc(seed))).toBe(true);
  });

  it('random 18-character strings are accepted exactly when the reference accepts them', () => {
    fc.assert(
      fc.property(fc.array(anyAlnum, { minLength: 18, maxLength: 18 }), (chars) => {
        const input = chars.join('');
        const result = validateUscc(input);
        expect(result.ok).toBe(referenceValid(input.toUpperCase()));
      }),
      { numRuns: 2000 },
    );
  });

  it('random codes from the code set pass only with the right check character', () => {
    fc.assert(
      fc.property(fc.array(codeChar, { minLength: 17, maxLength: 17 }), codeChar, (first, last) => {
        const valid = referenceComplete(first.join(''));
        expect(validateUscc(valid)).toEqual({ ok: true, value: valid });
        const other = valid.slice(0, 17) + last;
        expect(validateUscc(other).ok).toBe(other === valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('every single-character change of a valid code is refused', () => {
    fc.assert(
      fc.property(
        fc.array(codeChar, { minLength: 17, maxLength: 17 }),
        fc.nat(17),
        codeChar,
        (first, position, replacement) => {
          const valid = referenceComplete(first.join(''));
          fc.pre(valid.charAt(position) !== replacement);
          const typo = valid.slice(0, position) + replacement + valid.slice(position + 1);
          expect(validateUscc(typo).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never accepts anything the reference refuses, whatever the input', () => {
    fc.assert(
      fc.property(hostileText(40), (input) => {
        const result = quick(() => validateUscc(input));
        if (result.ok) expect(referenceValid(result.value), JSON.stringify(input)).toBe(true);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
const nameText = fc.oneof(
  hostileText(120),
  fc
    .array(
      fc.constantFrom(
        '深圳',
        '华信',
        '科技',
        'Acme',
        ' ',
        'Co.',
        'Ltd',
        '(中国)',
        '有限公司',
        '上海分公司',
        'GmbH',
        '集团',
        '-',
        '.',
      ),
      {
        maxLength: 12,
      },
    )
    .map((p) => p.join('')),
);

describe('company-name normaliser', () => {
  it('never throws, ends fast, and keeps only letters and digits', () => {
    fc.assert(
      fc.property(nameText, (name) => {
        const normalized = quick(() => normalizeCompanyName(name));
        expect(normalized).toMatch(/^[\p{L}\p{N}]*$/u);
        expect(normalizeCompanyName(name)).toBe(normalized);
        expect(typeof quick(() => normalizeCity(name))).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('is not fooled by full-width forms or ASCII case', () => {
    const asciiOrCjk = fc
      .array(
        fc.constantFrom(...'abcXYZ019 .,-()', '有限公司', '科技', 'co', 'Ltd', 'GmbH', '(china)', '分公司'),
        {
          maxLength: 15,
        },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(asciiOrCjk, (name) => {
        const normalized = normalizeCompanyName(name);
        expect(normalizeCompanyName(toFullWidth(name))).toBe(normalized);
        expect(normalizeCompanyName(name.toUpperCase())).toBe(normalized);
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on very long names', () => {
    for (const piece of ['a.', 'co ', '公司', '(', '（中国）', 'ab ', 's.', '有限公司上海分公司']) {
      quick(() => normalizeCompanyName(piece.repeat(5000)));
    }
  });
});
