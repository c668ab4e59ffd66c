import { toHalfWidth } from '../domain/text/half-width.ts';

/*
 * Pure value parsers for imported cells. Each returns { ok: true, value } or
 * { ok: false, reason } with an English reason that says what to write instead. An empty-ish
 * cell ('', -, —, /, 无, 未知, N/A, null, ...) is { ok: true, value: null }: empty, not an error.
 * Nothing here throws on any string input.
 */

export { toHalfWidth };

export type ParseResult<T> = { ok: true; value: T | null } | { ok: false; reason: string };

const EMPTY: { ok: true; value: null } = Object.freeze({ ok: true, value: null }) as {
  ok: true;
  value: null;
};
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

const EMPTYISH = new Set([
  '',
  '-',
  '--',
  '---',
  '—',
  '——',
  '–',
  '/',
  '\\',
  '无',
  '暂无',
  '没有',
  '未知',
  '不详',
  '未公开',
  '空',
  'n/a',
  'na',
  'n.a.',
  '#n/a',
  'null',
  'nil',
  'none',
  'nan',
  'undefined',
  '?',
]);

/** True for cells that mean "no value": '', -, —, /, 无, 暂无, 未知, N/A, #N/A, null, none ... */
export function isEmptyish(input: string): boolean {
  if (input.length === 0) return true;
  if (input.length > 12) return false;
  // Most cells start with a character no EMPTYISH entry starts with: answer without folding (called for most
  // cells of every imported row).
  if (!EMPTYISH_FIRST.has(input.charCodeAt(0))) return false;
  return EMPTYISH.has(toHalfWidth(input).trim().toLowerCase());
}

/**
 * Characters an EMPTYISH cell can start with before folding: each entry's first character in either case and
 * its full-width form, and everything String.prototype.trim removes (whitespace, line ends, U+FEFF).
 */
const EMPTYISH_FIRST = new Set<number>();
for (const entry of EMPTYISH) {
  if (entry.length === 0) continue;
  for (const ch of [entry[0] as string, (entry[0] as string).toUpperCase()]) {
    const code = ch.charCodeAt(0);
    EMPTYISH_FIRST.add(code);
    if (code >= 0x21 && code <= 0x7e) EMPTYISH_FIRST.add(code + 0xfee0);
  }
}
for (const code of [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
])
  EMPTYISH_FIRST.add(code);

const show = (input: string): string =>
  JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
/** A value as the reasons quote it: JSON string syntax, cut to 60 characters. */
export const showValue = show;
const MAX_INPUT = 200;

// ---------------------------------------------------------------------------------------------
// Numbers

/** A decimal numeral as digits × 10^exp (exact; no floating point). */
interface Decimal {
  negative: boolean;
  digits: string;
  exp: number;
}

const NUMERAL = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?(?:e([+-]?\d{1,3}))?$/;

function parseDecimal(text: string): Decimal | null {
  const match = NUMERAL.exec(text);
  if (!match) return null;
  const intPart = (match[2] ?? '').replace(/,/g, '');
  const fracPart = match[3] ?? '';
  if (intPart.length === 0 && fracPart.length === 0) return null;
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '');
  return { negative: match[1] === '-', digits, exp: Number(match[4] ?? 0) - fracPart.length };
}

/** Rounds digits × 10^exp to an integer (half away from zero); null when beyond 2^53. */
function decimalToInteger(decimal: Decimal, extraExp: number): number | null {
  const exp = decimal.exp + extraExp;
  let digits = decimal.digits.replace(/^0+/, '');
  if (digits.length === 0) return 0;
  let value: number;
  if (exp >= 0) {
    if (digits.length + exp > 16) return null;
    value = Number(digits + '0'.repeat(exp));
  } else {
    const keep = digits.length + exp;
    if (keep <= 0) {
      value = keep === 0 && digits.charCodeAt(0) >= 0x35 ? 1 : 0;
    } else {
      const roundUp = digits.charCodeAt(keep) >= 0x35;
      digits = digits.slice(0, keep);
      if (digits.length > 16) return null;
      value = Number(digits) + (roundUp ? 1 : 0);
    }
  }
  if (value > Number.MAX_SAFE_INTEGER) return null;
  return decimal.negative && value !== 0 ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Money

/** Power of ten for each unit word; '' = no unit written. */
const MONEY_UNITS = new Map<string, number>([
  ['元', 0],
  ['元整', 0],
  ['块', 0],
  ['千', 3],
  ['千元', 3],
  ['万', 4],
  ['万元', 4],
  ['十万', 5],
  ['十万元', 5],
  ['百万', 6],
  ['百万元', 6],
  ['千万', 7],
  ['千万元', 7],
  ['亿', 8],
  ['亿元', 8],
  ['十亿', 9],
  ['十亿元', 9],
  ['百亿', 10],
  ['百亿元', 10],
  ['千亿', 11],
  ['千亿元', 11],
  ['万亿', 12],
  ['万亿元', 12],
  ['k', 3],
  ['thousand', 3],
  ['thousands', 3],
  ['m', 6],
  ['mm', 6],
  ['mn', 6],
  ['mio', 6],
  ['million', 6],
  ['millions', 6],
  ['b', 9],
  ['bn', 9],
  ['billion', 9],
  ['billions', 9],
  ['trillion', 12],
]);

// ---------------------------------------------------------------------------------------------
// Currencies

/** A currency other than the yuan, by its ISO code: what a reason calls it. */
export interface ForeignCurrency {
  readonly code: string;
  /** English name, plural (US dollars). */
  readonly en: string;
  /** Chinese name (美元). */
  readonly zh: string;
}

const FOREIGN_CURRENCIES: ReadonlyMap<string, ForeignCurrency> = new Map(
  (
    [
      ['USD', 'US dollars', '美元'],
      ['HKD', 'Hong Kong dollars', '港元'],
      ['EUR', 'euros', '欧元'],
      ['GBP', 'pounds sterling', '英镑'],
      ['JPY', 'Japanese yen', '日元'],
      ['TWD', 'New Taiwan dollars', '新台币'],
      ['MOP', 'Macau patacas', '澳门元'],
      ['SGD', 'Singapore dollars', '新加坡元'],
      ['AUD', 'Australian dollars', '澳元'],
      ['CAD', 'Canadian dollars', '加元'],
      ['KRW', 'South Korean won', '韩元'],
      ['CHF', 'Swiss francs', '瑞士法郎'],
    ] as const
  ).map(([code, en, zh]) => [code, { code, en, zh }]),
);

/** The foreign currency with this ISO code; undefined for CNY and unknown codes. */
export function foreignCurrency(code: string | undefined): ForeignCurrency | undefined {
  return code === undefined ? undefined : FOREIGN_CURRENCIES.get(code);
}

/**
 * Currency signs and names written before an amount (¥500万, US$5M, EUR 3m), after folding and lower-casing: the
 * first that the text starts with wins, so longer signs come before their tails ($ last).
 */
const CURRENCY_BEFORE: ReadonlyArray<readonly [string, string]> = [
  ['人民币', 'CNY'],
  ['rmb', 'CNY'],
  ['cny', 'CNY'],
  ['¥', 'CNY'],
  ['us$', 'USD'],
  ['usd', 'USD'],
  ['hk$', 'HKD'],
  ['hkd', 'HKD'],
  ['nt$', 'TWD'],
  ['twd', 'TWD'],
  ['mop$', 'MOP'],
  ['mop', 'MOP'],
  ['s$', 'SGD'],
  ['sgd', 'SGD'],
  ['a$', 'AUD'],
  ['aud', 'AUD'],
  ['c$', 'CAD'],
  ['cad', 'CAD'],
  ['eur', 'EUR'],
  ['€', 'EUR'],
  ['gbp', 'GBP'],
  ['£', 'GBP'],
  ['jpy', 'JPY'],
  ['krw', 'KRW'],
  ['₩', 'KRW'],
  ['chf', 'CHF'],
  ['$', 'USD'],
];

/** Currency names and signs written after an amount (50万美元, 100万港元, 3.5m EUR). */
const CURRENCY_AFTER: ReadonlyArray<readonly [string, string]> = [
  ['人民币', 'CNY'],
  ['rmb', 'CNY'],
  ['cny', 'CNY'],
  ['¥', 'CNY'],
  ['美元', 'USD'],
  ['美金', 'USD'],
  ['usd', 'USD'],
  ['港元', 'HKD'],
  ['港币', 'HKD'],
  ['港幣', 'HKD'],
  ['hkd', 'HKD'],
  ['欧元', 'EUR'],
  ['歐元', 'EUR'],
  ['eur', 'EUR'],
  ['€', 'EUR'],
  ['英镑', 'GBP'],
  ['英鎊', 'GBP'],
  ['gbp', 'GBP'],
  ['£', 'GBP'],
  ['日元', 'JPY'],
  ['日圆', 'JPY'],
  ['円', 'JPY'],
  ['jpy', 'JPY'],
  ['新台币', 'TWD'],
  ['新台幣', 'TWD'],
  ['台币', 'TWD'],
  ['台幣', 'TWD'],
  ['twd', 'TWD'],
  ['澳门元', 'MOP'],
  ['澳门币', 'MOP'],
  ['澳門元', 'MOP'],
  ['mop', 'MOP'],
  ['新加坡元', 'SGD'],
  ['新元', 'SGD'],
  ['sgd', 'SGD'],
  ['澳元', 'AUD'],
  ['aud', 'AUD'],
  ['加元', 'CAD'],
  ['加币', 'CAD'],
  ['cad', 'CAD'],
  ['韩元', 'KRW'],
  ['krw', 'KRW'],
  ['瑞士法郎', 'CHF'],
  ['chf', 'CHF'],
  ['$', 'USD'],
];

/** Header text naming a foreign currency: Revenue ($M), 注册资本(万美元), Sales in USD. */
const HEADER_CURRENCIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/美元|美金|us\$|\busd\b/, 'USD'],
  [/港元|港币|港幣|hk\$|\bhkd\b/, 'HKD'],
  [/欧元|歐元|€|\beur\b/, 'EUR'],
  [/英镑|英鎊|£|\bgbp\b/, 'GBP'],
  [/日元|日圆|円|\bjpy\b/, 'JPY'],
  [/台币|台幣|nt\$|\btwd\b/, 'TWD'],
  [/澳门元|澳门币|澳門元|\bmop\b/, 'MOP'],
  [/新加坡元|\bsgd\b/, 'SGD'],
  [/澳元|\baud\b/, 'AUD'],
  [/加元|加币|\bcad\b/, 'CAD'],
  [/韩元|₩|\bkrw\b/, 'KRW'],
  [/瑞士法郎|\bchf\b/, 'CHF'],
  [/\$/, 'USD'],
];

/**
 * The foreign currency a column header names (Revenue ($M) → USD, 注册资本(万美元) → USD), or undefined: amounts
 * without a currency of their own in that column are in it. A header naming the yuan (人民币, RMB, ¥) or none is
 * undefined.
 */
export function headerCurrency(header: string): string | undefined {
  const text = toHalfWidth(header.normalize('NFKC')).toLowerCase();
  if (/人民币|\brmb\b|\bcny\b|¥/.test(text)) return undefined;
  for (const [pattern, code] of HEADER_CURRENCIES) if (pattern.test(text)) return code;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Amounts

const APPROX_PREFIX = /^(?:约|大约|近|约合|approx\.?|about|ca\.?|~)/;
const APPROX_SUFFIX = /(?:左右|上下)$/;
const RANGE_SEPARATOR = /(?<!e)(?:-|~|～|至|到|—|–)/;
const NUMBER_THEN_UNIT = /^([+-]?[\d.,]*\d[\d.,]*(?:e[+-]?\d{1,3})?)(.*)$/;
/** A Chinese unit followed by a smaller amount: 2亿5000万 (亿, then 5000万), 1万2000元. */
const COMPOUND = /^(万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)(\d.*)$/;
/** A lower bound written as such: 500万以上, 500万+, 超过500万, >5m. */
const LOWER_BEFORE = /^(?:>=|≥|>|不少于|不低于|至少|超过|大于|多于|高于|morethan|over|above|atleast)/;
const LOWER_AFTER = /(?:及以上|或以上|以上|起|\+|plus|ormore|andabove|andup)$/;
/** Only an upper bound: 100万以下, 少于100万, <1m. */
const UPPER_BEFORE = /^(?:<=|≤|<|不超过|至多|小于|少于|低于|不足|不到|upto|atmost|under|below|lessthan)/;
const UPPER_AFTER = /(?:及以下|或以下|以下|以内|orless|andbelow|andunder)$/;

export interface MoneyOptions {
  /**
   * Multiplier for amounts written without a unit, from the column header: 1e4 for
   * "注册资本(万元)", 1e6 for "Revenue ($M)". A power of ten; default 1 (yuan).
   */
  readonly scale?: number;
  /**
   * The currency of amounts written without one, from the column header (headerCurrency): an ISO code. Absent or
   * CNY: yuan.
   */
  readonly currency?: string | undefined;
}

/** An amount read from a cell: in whole yuan, or why not. */
export type MoneyReading =
  | {
      ok: true;
      value: number | null;
      /** The cell gave a range (50-100万) or a lower bound (500万以上): `value` is its lower bound. */
      lowerBoundOf?: 'range';
    }
  | {
      ok: false;
      reason: string;
      /** The amount was read but is in this currency, not yuan (it is not converted). */
      currency?: ForeignCurrency;
    };

interface Amount {
  value: number;
  /** ISO code of the currency written with the amount; null when none was written. */
  currency: string | null;
  /** Power of ten of the unit written (万: 4); null when the amount has no unit. */
  unitExp: number | null;
}

type AmountResult = { ok: true; amount: Amount } | { ok: false; reason: string };

/**
 * An amount as an integer number of yuan (rounded half away from zero). Understands 元, 千元,
 * 万, 万元, 百万, 千万, 亿, 亿元, 万亿, compounds such as 2亿5000万 and 1万2000元, thousands separators, full-width
 * digits and punctuation, ￥/¥/RMB/CNY/人民币, k/M/million/B/billion. An amount in another currency (50万美元,
 * $2M, 100万港元, 3.5m EUR, or any amount when `options.currency` names one) is refused with a reason naming the
 * currency: there is no conversion. Negative amounts (net assets) are allowed: -500万, (500万). Ranges such as
 * 1000万-5000万 and bounds such as 500万以上 are refused: a single amount is asked for (readMoney reads them).
 */
export function parseMoney(input: string, options: MoneyOptions = {}): ParseResult<number> {
  const read = readMoney(input, options, false);
  if (read.ok) return read.value === null ? EMPTY : ok(read.value);
  return fail(read.reason);
}

/**
 * A money cell of an imported list: as parseMoney, and a range (50-100万, 50万-100万, 1000万至1亿) or a lower bound
 * (500万以上, 超过500万, 500万+) gives its lower bound, marked `lowerBoundOf: 'range'` so that the import can say
 * so. A cell giving only an upper bound (100万以下) is refused: it says nothing about the smallest amount. A
 * foreign currency is refused with `currency` set.
 */
export function readMoney(input: string, options: MoneyOptions = {}, ranges = true): MoneyReading {
  const columnCurrency = foreignCurrency(options.currency);
  if (columnCurrency === undefined) {
    const fast = plainMoney(input, options);
    if (fast !== null) return fast;
  }
  if (isEmptyish(input)) return EMPTY;
  if (input.length > MAX_INPUT) return fail('the value is too long to be an amount');
  const s = toHalfWidth(input).trim().toLowerCase().replace(/\s+/g, '');
  if (isEmptyish(s)) return EMPTY;
  const scaleExp = scaleToExponent(options.scale ?? 1);
  const isRange = (): { ok: false; reason: string } =>
    fail(`${show(input)} is a range; enter a single amount such as 3500万`);

  let amount: Amount;
  let lower = false;
  const lowerText = s.replace(LOWER_BEFORE, '').replace(LOWER_AFTER, '');
  const upperText = s.replace(UPPER_BEFORE, '').replace(UPPER_AFTER, '');
  const separator = RANGE_SEPARATOR.exec(s);
  if (lowerText !== s && /\d/.test(lowerText)) {
    if (!ranges) return isRange();
    const read = readAmount(lowerText, input, scaleExp);
    if (!read.ok) return read;
    amount = read.amount;
    lower = true;
  } else if (upperText !== s && /\d/.test(upperText)) {
    if (!ranges) return isRange();
    const read = readAmount(upperText, input, scaleExp);
    if (!read.ok) return read;
    const currency = foreignCurrency(read.amount.currency ?? undefined) ?? columnCurrency;
    if (currency) return inForeignCurrency(input, currency, read.amount.currency === null);
    return fail(`${show(input)} gives only an upper bound, not an amount`);
  } else if (separator && separator.index > 0 && /\d/.test(s.slice(separator.index + 1))) {
    if (!ranges) return isRange();
    const high = readAmount(s.slice(separator.index + separator[0].length), input, scaleExp);
    if (!high.ok) return high;
    // 50-100万: a side without a unit takes the other's.
    const low = readAmount(s.slice(0, separator.index), input, high.amount.unitExp ?? scaleExp);
    if (!low.ok) return low;
    if (low.amount.value > high.amount.value)
      return fail(`${show(input)}: the range is reversed (write the smaller number first)`);
    const lowForeign = foreignCurrency(low.amount.currency ?? undefined);
    amount = { ...low.amount, currency: lowForeign ? low.amount.currency : high.amount.currency };
    lower = true;
  } else {
    const read = readAmount(s, input, scaleExp);
    if (!read.ok) return read;
    amount = read.amount;
  }
  const written = foreignCurrency(amount.currency ?? undefined);
  const currency = amount.currency === null ? columnCurrency : written;
  if (currency) return inForeignCurrency(input, currency, amount.currency === null);
  return lower ? { ok: true, value: amount.value, lowerBoundOf: 'range' } : ok(amount.value);
}

function inForeignCurrency(input: string, currency: ForeignCurrency, fromHeader: boolean): MoneyReading {
  return {
    ok: false,
    reason: `${show(input)} is in ${currency.en} (${currency.code})${fromHeader ? ', as the column header says' : ''}, not yuan; amounts are kept in yuan and never converted`,
    currency,
  };
}

/** One amount (no range): `s` folded, lower-cased and without white space; `input` as written, for the reasons. */
function readAmount(text: string, input: string, scaleExp: number): AmountResult {
  let s = text;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(APPROX_PREFIX, '').replace(APPROX_SUFFIX, '');
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative || s.startsWith('-');
    s = s.slice(1);
  }
  let currency: string | null = null;
  for (const [sign, code] of CURRENCY_BEFORE) {
    if (!s.startsWith(sign)) continue;
    currency = code;
    s = s.slice(sign.length);
    break;
  }
  for (const [sign, code] of CURRENCY_AFTER) {
    if (!s.endsWith(sign) || s.length === sign.length) continue;
    // A foreign currency named on either side makes the amount foreign.
    if (currency === null || currency === 'CNY') currency = code;
    s = s.slice(0, -sign.length);
    break;
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  const read = readUnits(s, input, scaleExp);
  if (!read.ok) return read;
  const value = negative && read.value !== 0 ? -read.value : read.value;
  return { ok: true, amount: { value, currency, unitExp: read.unitExp } };
}

/** A number with its unit (or units: 2亿5000万), as whole yuan. */
function readUnits(
  s: string,
  input: string,
  scaleExp: number,
): { ok: true; value: number; unitExp: number | null } | { ok: false; reason: string } {
  const match = NUMBER_THEN_UNIT.exec(s);
  if (!match) return fail(`expected an amount such as 3500万, 1.2亿 or 1,234,567 (got ${show(input)})`);
  const decimal = parseDecimal(match[1] ?? '');
  if (!decimal)
    return fail(
      `${show(input)} is not a well-formed number; check the decimal point and thousands separators`,
    );
  // "100万(元)", "3.5 Mio." : brackets and a trailing dot around the unit do not matter.
  const unitText = (match[2] ?? '').replace(/^[.,]+|[()]|\.$/g, '');
  let exp: number;
  let unitExp: number | null = null;
  let rest = 0;
  if (unitText === '') {
    exp = scaleExp;
  } else {
    let unit = MONEY_UNITS.get(unitText);
    const compound = unit === undefined && decimal.exp >= 0 ? COMPOUND.exec(unitText) : null;
    if (compound) {
      // 2亿5000万: the head's unit, then a smaller amount with its own unit.
      unit = MONEY_UNITS.get(compound[1] as string) as number;
      const tail = readUnits(compound[2] as string, input, 0);
      if (tail.ok && tail.unitExp !== null) {
        if (tail.value >= 10 ** unit)
          return fail(
            `${show(input)} is not a well-formed amount (the part after ${compound[1]} must be less than 1${compound[1]})`,
          );
        rest = tail.value;
      } else unit = undefined;
    }
    if (unit === undefined) {
      return fail(
        `unknown unit "${unitText}" in ${show(input)}; use 元, 千元, 万, 万元, 亿, 亿元, k, M or B`,
      );
    }
    exp = unit;
    unitExp = unit;
  }
  const head = decimalToInteger(decimal, exp);
  const value = head === null ? null : head + (decimal.negative ? -rest : rest);
  if (value === null || !Number.isSafeInteger(value))
    return fail(`${show(input)} is too large to be an amount in yuan`);
  return { ok: true, value, unitExp };
}

/**
 * The common vendor shape read without the folding and the regexes of parseMoney: ASCII digits, an optional
 * decimal point with digits after it, then nothing or one of the units 元 万 万元 亿 亿元 (7093.1万, 1455万元,
 * 4043700). Null for anything else (parseMoney then reads it the long way). Gives exactly what the long way gives:
 * no folding, trimming, sign, currency or range applies to such a cell.
 */
function plainMoney(input: string, options: MoneyOptions): ParseResult<number> | null {
  const length = input.length;
  if (length === 0 || length > 40) return null;
  let end = length;
  let unitExp = -1;
  const last = input.charCodeAt(length - 1);
  if (last === 0x4e07 /* 万 */) {
    unitExp = 4;
    end = length - 1;
  } else if (last === 0x4ebf /* 亿 */) {
    unitExp = 8;
    end = length - 1;
  } else if (last === 0x5143 /* 元 */) {
    const before = length >= 2 ? input.charCodeAt(length - 2) : 0;
    if (before === 0x4e07) {
      unitExp = 4;
      end = length - 2;
    } else if (before === 0x4ebf) {
      unitExp = 8;
      end = length - 2;
    } else {
      unitExp = 0;
      end = length - 1;
    }
  }
  let dot = -1;
  for (let i = 0; i < end; i++) {
    const code = input.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) continue;
    if (code === 0x2e && dot === -1) {
      dot = i;
      continue;
    }
    return null;
  }
  // At least one digit before the point and one after it (when there is one).
  if (end === 0 || dot === 0 || dot === end - 1) return null;
  const intPart = dot === -1 ? input.slice(0, end) : input.slice(0, dot);
  const fracPart = dot === -1 ? '' : input.slice(dot + 1, end);
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '');
  const exp = unitExp === -1 ? scaleToExponent(options.scale ?? 1) : unitExp;
  const value = decimalToInteger({ negative: false, digits, exp: -fracPart.length }, exp);
  if (value === null) return fail(`${show(input)} is too large to be an amount in yuan`);
  return ok(value);
}

function scaleToExponent(scale: number): number {
  const exp = Math.round(Math.log10(scale));
  if (!Number.isFinite(exp) || 10 ** exp !== scale)
    throw new RangeError(`scale must be a power of ten, got ${scale}`);
  return exp;
}

// ---------------------------------------------------------------------------------------------
// Employees

export interface EmployeeRange {
  readonly min: number;
  /** null when open-ended (10000人以上, 500+). */
  readonly max: number | null;
}

const PEOPLE_WORDS = /员工|职工|雇员|人|名|位|employees?|staff|people|persons?|heads?|ppl|fte/g;
const COUNT = String.raw`(\d[\d,]*(?:\.\d+)?(?:万|千|k)?)`;
const EMPLOYEE_PATTERNS: ReadonlyArray<readonly [RegExp, (a: number, b: number) => EmployeeRange]> = [
  [new RegExp(`^${COUNT}(?:-|~|至|到|—|–)${COUNT}$`), (a, b) => ({ min: a, max: b })],
  [new RegExp(`^(?:>=|≥|不少于|至少|atleast)${COUNT}$`), (a) => ({ min: a, max: null })],
  [new RegExp(`^(?:>|大于|超过|多于|高于|morethan|over|above)${COUNT}$`), (a) => ({ min: a + 1, max: null })],
  [new RegExp(`^${COUNT}(?:以上|及以上|或以上|\\+|plus|ormore|andabove)$`), (a) => ({ min: a, max: null })],
  [new RegExp(`^(?:<=|≤|不超过|至多|upto|atmost)${COUNT}$`), (a) => ({ min: 0, max: a })],
  [
    new RegExp(`^(?:<|小于|少于|不足|低于|不到|lessthan|fewerthan|under|below)${COUNT}$`),
    (a) => ({ min: 0, max: Math.max(0, a - 1) }),
  ],
  [new RegExp(`^${COUNT}(?:以下|及以下|以内|或以下|orless|orfewer)$`), (a) => ({ min: 0, max: a })],
  [new RegExp(`^(?:约|大约|approx\\.?|about|~)?${COUNT}(?:左右|上下)?$`), (a) => ({ min: a, max: a })],
];

function parseCount(text: string): number | null {
  let multiplierExp = 0;
  let digits = text;
  if (digits.endsWith('万')) {
    multiplierExp = 4;
    digits = digits.slice(0, -1);
  } else if (digits.endsWith('千') || digits.endsWith('k')) {
    multiplierExp = 3;
    digits = digits.slice(0, -1);
  }
  const decimal = parseDecimal(digits);
  if (!decimal || decimal.negative) return null;
  // A head count is whole: 1.5万 is fine, 12.5 people is not.
  const exp = decimal.exp + multiplierExp;
  if (exp < 0 && !/^0*$/.test(decimal.digits.slice(exp))) return null;
  return decimalToInteger(decimal, multiplierExp);
}

/**
 * Employee count as { min, max }: 100-499人, 100~499, 100至499人, 少于50人 (max 49), 50人以下
 * (max 50), 10000人以上 / 1万人以上 / 500+ (max null), >1000 (min 1001), 约500人; a single
 * number sets both. 未知, - and empty are empty.
 */
export function parseEmployees(input: string): ParseResult<EmployeeRange> {
  // A head-count column holds a handful of distinct values (少于50人, 100-499人 …): remember the answers.
  const known = employeeResults.get(input);
  if (known !== undefined) return known;
  const result = readEmployees(input);
  if (result.ok && result.value !== null) Object.freeze(result.value);
  Object.freeze(result);
  if (employeeResults.size >= EMPLOYEE_CACHE_SIZE) employeeResults.clear();
  employeeResults.set(input, result);
  return result;
}

const EMPLOYEE_CACHE_SIZE = 1024;
/** Answers of readEmployees by input, frozen (every caller gets the same objects). */
const employeeResults = new Map<string, ParseResult<EmployeeRange>>();

function readEmployees(input: string): ParseResult<EmployeeRange> {
  if (isEmptyish(input)) return EMPTY;
  if (input.length > MAX_INPUT) return fail('the value is too long to be a head count');
  const s = toHalfWidth(input)
    .trim()
    .toLowerCase()
    .replace(PEOPLE_WORDS, '')
    .replace(/[\s:：]+/g, '')
    .replace(/～/g, '~');
  if (isEmptyish(s)) return EMPTY;
  for (const [pattern, build] of EMPLOYEE_PATTERNS) {
    const match = pattern.exec(s);
    if (!match) continue;
    const a = parseCount(match[1] ?? '');
    const b = match[2] === undefined ? 0 : parseCount(match[2]);
    if (a === null || b === null) return fail(`${show(input)} is not a whole number of people`);
    const range = build(a, b);
    if (range.max !== null && range.max < range.min) {
      return fail(`${show(input)}: the range is reversed (write the smaller number first)`);
    }
    return ok(range);
  }
  return fail(`expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got ${show(input)})`);
}

// ---------------------------------------------------------------------------------------------
// Dates

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const DAY_MS = 86_400_000;

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function isoFromUtcMs(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export interface ExcelDateTime {
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:mm:ss, rounded to the second */
  readonly time: string;
  readonly hasTime: boolean;
}

const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * Excel serial date → calendar date and time. In the 1900 system Excel counts the
 * nonexistent 1900-02-29 as serial 60 (null here), so serials below 60 are one day later
 * than a plain day count. The 1904 system counts from 1904-01-01. Null when out of range.
 */
export function excelSerialToDateTime(serial: number, date1904 = false): ExcelDateTime | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2958466) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds >= 86_400) {
    days += 1;
    seconds -= 86_400;
  }
  let ms: number;
  if (date1904) ms = EPOCH_1904 + days * DAY_MS;
  else if (days === 60) return null;
  else ms = EPOCH_1900 + (days < 60 ? days + 1 : days) * DAY_MS;
  const time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
  return { date: isoFromUtcMs(ms), time, hasTime: seconds !== 0 };
}

const MONTHS = new Map<string, number>([
  ['jan', 1],
  ['feb', 2],
  ['mar', 3],
  ['apr', 4],
  ['may', 5],
  ['jun', 6],
  ['jul', 7],
  ['aug', 8],
  ['sep', 9],
  ['sept', 9],
  ['oct', 10],
  ['nov', 11],
  ['dec', 12],
]);

function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  const exact = MONTHS.get(w) ?? MONTHS.get(w.slice(0, 3));
  if (exact === undefined) return undefined;
  // Accept "jan", "jan.", "january" but not "janitor".
  const full = [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ][exact - 1];
  return full?.startsWith(w) || (w === 'sept' && exact === 9) ? exact : undefined;
}

const TIME = String.raw`(?:上午|下午|am|pm)?\s*\d{1,2}(?:[:时点]\d{1,2}(?:[:分]\d{1,2}(?:\.\d+)?秒?)?)?\s*(?:am|pm|z|[+-]\d{2}:?\d{2})?`;
const YMD = new RegExp(String.raw`^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[\sT]+${TIME})?$`, 'i');
const YMD_CN = new RegExp(
  String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*(?:[日号]\s*(?:${TIME})?)?$`,
  'i',
);
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const MDY_WORDS = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const DMY_WORDS = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})$/i;
const NUMERIC_DMY_OR_MDY = new RegExp(
  String.raw`^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?:[\sT]+${TIME})?$`,
  'i',
);
const SHORT_YEAR = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{1,2}$/;
const EXCEL_SERIAL = /^\d{5,7}(?:\.\d+)?$/;
const YEAR_ONLY = /^(\d{4})\s*年?$/;
const YEAR_MONTH = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$/;

export interface DateOptions {
  /** Excel serials count from 1904 (Mac workbooks with the 1904 date system). */
  readonly date1904?: boolean;
  /** Accept a bare year (成立年份 1902) as its first day, 1902-01-01. Off by default. */
  readonly allowYearOnly?: boolean;
}

/**
 * A calendar date as ISO YYYY-MM-DD from 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日,
 * 20200105, Jan 5, 2020, 5 Jan 2020, 1/25/2020 (only when the day and month cannot be
 * confused) or an Excel serial (43835; 10000 and above, so a year is never read as a serial).
 * A trailing time of day is ignored (the date is taken as written, with no time-zone shift).
 */
export function parseDate(input: string, options: DateOptions = {}): ParseResult<string> {
  if (isPlainIsoDate(input)) return ok(input);
  if (isEmptyish(input)) return EMPTY;
  if (input.length > MAX_INPUT) return fail('the value is too long to be a date');
  const s = toHalfWidth(input).trim();
  if (isEmptyish(s)) return EMPTY;
  const bad = (): { ok: false; reason: string } =>
    fail(`${show(input)} is not a valid calendar date (check the month and the day)`);

  let m = YMD.exec(s);
  if (m) return orBad(isoDate(Number(m[1]), Number(m[3]), Number(m[4])), bad);
  m = YMD_CN.exec(s);
  if (m) return orBad(isoDate(Number(m[1]), Number(m[2]), Number(m[3])), bad);
  m = YMD_COMPACT.exec(s);
  if (m) {
    const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? ok(date) : bad();
  }
  m = MDY_WORDS.exec(s);
  if (m) {
    const month = monthNumber(m[1] ?? '');
    const date = month === undefined ? null : isoDate(Number(m[3]), month, Number(m[2]));
    return date ? ok(date) : bad();
  }
  m = DMY_WORDS.exec(s);
  if (m) {
    const month = monthNumber(m[2] ?? '');
    const date = month === undefined ? null : isoDate(Number(m[3]), month, Number(m[1]));
    return date ? ok(date) : bad();
  }
  m = NUMERIC_DMY_OR_MDY.exec(s);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[3]);
    const year = Number(m[4]);
    if (first > 12 && second <= 12) return orBad(isoDate(year, second, first), bad);
    if (second > 12 && first <= 12) return orBad(isoDate(year, first, second), bad);
    if (first === second) return orBad(isoDate(year, first, second), bad);
    return fail(`${show(input)} is ambiguous (month/day or day/month); write it as YYYY-MM-DD`);
  }
  if (EXCEL_SERIAL.test(s)) {
    const converted = excelSerialToDateTime(Number(s), options.date1904 ?? false);
    return converted ? ok(converted.date) : fail(`${show(input)} is not a valid Excel date serial`);
  }
  m = YEAR_ONLY.exec(s);
  if (m) {
    if (options.allowYearOnly) return orBad(isoDate(Number(m[1]), 1, 1), bad);
    return fail(`${show(input)} is a year, not a date; write the full date as YYYY-MM-DD`);
  }
  if (YEAR_MONTH.test(s)) return fail(`${show(input)} has no day; write the full date as YYYY-MM-DD`);
  if (SHORT_YEAR.test(s)) return fail(`${show(input)} has a two-digit year; write the date as YYYY-MM-DD`);
  return fail(`expected a date such as 2020-01-05, 2020年1月5日 or 20200105 (got ${show(input)})`);
}

/**
 * True for a valid date already written as YYYY-MM-DD (ASCII digits, year 1000 or later): parseDate gives it back
 * as it is, so the common case skips the folding and the regexes. False sends the cell the long way.
 */
function isPlainIsoDate(input: string): boolean {
  if (input.length !== 10 || input.charCodeAt(4) !== 0x2d || input.charCodeAt(7) !== 0x2d) return false;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const code = input.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  const year = digitsAt(input, 0, 4);
  const month = digitsAt(input, 5, 2);
  const day = digitsAt(input, 8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= daysInMonth;
}

function digitsAt(input: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + input.charCodeAt(i) - 0x30;
  return value;
}

function orBad(date: string | null, bad: () => { ok: false; reason: string }): ParseResult<string> {
  return date ? ok(date) : bad();
}

// ---------------------------------------------------------------------------------------------
// Phone

const LABEL = /^[^\d+(（]*[:：]\s*/;
const PHONE_SEPARATORS = /[;；,，、|\n]|\s{2,}/;
const EXTENSION = /\s*(?:转|分机|ext\.?|extension|x|#)\s*(\d{1,6})\s*$/i;

/**
 * A phone number, normalised: Chinese mobiles as 11 digits (+86 138-0013-8000 →
 * 13800138000), Chinese landlines as area code-number ((010) 6552-9988 → 010-65529988),
 * 400/800 numbers as 400-810-8888, other international numbers as + and digits, anything
 * else as its digits. An extension is kept as " ext 801". When a cell holds several numbers
 * the first is taken. Rejects text without 5-15 digits and numbers mangled into scientific
 * notation (1.38E+10) by a spreadsheet.
 */
export function parsePhone(input: string): ParseResult<string> {
  // Only digits and hyphens, starting with a digit (13812345678, 0755-12345678): nothing below but the digit
  // rules applies to such a cell.
  if (isDigitsAndHyphens(input)) return phoneFromText(input, input, '');
  if (isEmptyish(input)) return EMPTY;
  if (input.length > MAX_INPUT) return fail('the value is too long to be a phone number');
  let s = toHalfWidth(input).trim().replace(LABEL, '');
  let firstPart = s.split(PHONE_SEPARATORS)[0]?.trim() ?? '';
  // "138 0013 8000 / 139 0013 9000" and "010-12345678/9" (an alternative ending): first number.
  const slash = firstPart.indexOf('/');
  if (slash > 0) firstPart = firstPart.slice(0, slash).trim();
  if (firstPart.length > 0) s = firstPart;
  if (isEmptyish(s)) return EMPTY;
  if (/\d[.,]\d+e\+?\d+$/i.test(s)) {
    return fail(
      `${show(input)} was turned into scientific notation by a spreadsheet; re-export the column as text`,
    );
  }

  let extension = '';
  const ext = EXTENSION.exec(s);
  if (ext && ext.index > 0) {
    extension = ` ext ${ext[1]}`;
    s = s.slice(0, ext.index);
  }
  if (/[a-z]{2,}/i.test(s) || /[^\d\s+()（）\-.·]/.test(s)) {
    return fail(`${show(input)} does not look like a phone number (it contains letters or other text)`);
  }
  return phoneFromText(input, s, extension);
}

/**
 * True when a phone cell holds more than one number (13800138000;13900139000, 138 0013 8000 / 139 0013 9000,
 * 010-12345678/9): parsePhone takes the first, so the import keeps the whole cell as well.
 */
export function holdsSeveralPhones(input: string): boolean {
  if (isDigitsAndHyphens(input) || isEmptyish(input) || input.length > MAX_INPUT) return false;
  const s = toHalfWidth(input).trim().replace(LABEL, '');
  let withDigits = 0;
  for (const part of s.split(PHONE_SEPARATORS)) {
    for (const piece of part.split('/')) if (/\d/.test(piece) && ++withDigits > 1) return true;
  }
  return false;
}

/** True when an e-mail cell holds more than one address: parseEmail takes the first. */
export function holdsSeveralEmails(input: string): boolean {
  const at = input.indexOf('@');
  return at !== -1 && input.indexOf('@', at + 1) !== -1 && input.length <= 320;
}

function isDigitsAndHyphens(input: string): boolean {
  const length = input.length;
  if (length === 0 || length > MAX_INPUT) return false;
  const first = input.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return false;
  for (let i = 1; i < length; i++) {
    const code = input.charCodeAt(i);
    if ((code < 0x30 || code > 0x39) && code !== 0x2d) return false;
  }
  return true;
}

/** The number in `s` (the cell without label, further numbers and extension) by the digit rules of parsePhone. */
function phoneFromText(input: string, s: string, extension: string): ParseResult<string> {
  const plus = s.trimStart().startsWith('+');
  let digits = s.replace(/\D+/g, '');
  let international = plus;
  if (!plus && digits.startsWith('00') && digits.length > 10) {
    digits = digits.slice(2);
    international = true;
  }
  if (digits.length < 5 || digits.length > 15) {
    return fail(`${show(input)} has ${digits.length} digits; a phone number has 5 to 15`);
  }

  let chinese = !international;
  if (international) {
    if (!digits.startsWith('86')) return ok(`+${digits}${extension}`);
    digits = digits.slice(2);
    chinese = true;
    // After +86 a landline drops its leading 0: +86 10 6552 9988.
    if (!digits.startsWith('1') || digits.length !== 11) {
      if (!digits.startsWith('0') && !digits.startsWith('400') && !digits.startsWith('800'))
        digits = `0${digits}`;
    }
  } else if (digits.length === 13 && digits.startsWith('861')) {
    digits = digits.slice(2);
  }
  if (chinese) {
    if (digits.length === 11 && /^1[3-9]/.test(digits)) return ok(digits + extension);
    if (digits.length === 10 && /^[48]00/.test(digits)) {
      return ok(`${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}${extension}`);
    }
    if (digits.startsWith('0') && digits.length >= 10 && digits.length <= 12) {
      const areaLength = /^0(?:10|2\d)/.test(digits) ? 3 : 4;
      const local = digits.slice(areaLength);
      if (local.length >= 7 && local.length <= 8)
        return ok(`${digits.slice(0, areaLength)}-${local}${extension}`);
    }
  }
  return ok(digits + extension);
}

// ---------------------------------------------------------------------------------------------
// Email

const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[\p{L}]{2,63}|xn--[a-z0-9-]{2,59})$/u;

/** An e-mail address, trimmed and lower-cased; "mailto:", a 邮箱： label and extra addresses are dropped. */
export function parseEmail(input: string): ParseResult<string> {
  // Already plain (lower-case ASCII letters, digits, . _ - and one @, no dot at either end): the clean-up below
  // changes nothing, and the ASCII form of the check gives the same answer; anything else goes the long way.
  if (isPlainAscii(input, 1) && input.charCodeAt(0) !== 0x2e && input.charCodeAt(input.length - 1) !== 0x2e) {
    if (input.length <= 254 && ASCII_EMAIL.test(input) && !input.includes('..') && !input.includes('.@'))
      return ok(input);
  }
  if (isEmptyish(input)) return EMPTY;
  if (input.length > 320) return fail('the value is too long to be an e-mail address');
  let s = toHalfWidth(input).trim().toLowerCase();
  s = s.replace(/^(?:mailto:|[^@]*?[:：]\s*)/, '');
  s = s.split(/[\s;；,，、|/]+/).find((part) => part.includes('@')) ?? s;
  s = s.replace(/^[<(]+|[>).。]+$/g, '');
  if (isEmptyish(s)) return EMPTY;
  if (s.length > 254 || !EMAIL.test(s) || s.includes('..') || s.startsWith('.') || s.includes('.@')) {
    return fail(`${show(input)} is not a valid e-mail address (expected name@example.com)`);
  }
  return ok(s);
}

/** EMAIL for strings of a-z 0-9 . _ - @ only (\p{L} and \p{N} are then a-z and 0-9). */
const ASCII_EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/;

/**
 * True when `input` holds only a-z, 0-9, '.', '-', '_' and exactly `ats` '@' (none of them folded, trimmed,
 * lower-cased or split by the parsers), and is at most 254 characters long.
 */
function isPlainAscii(input: string, ats: number): boolean {
  const length = input.length;
  if (length === 0 || length > 254) return false;
  let seen = 0;
  for (let i = 0; i < length; i++) {
    const code = input.charCodeAt(i);
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d)
      continue;
    if (code === 0x5f && ats > 0) continue;
    if (code === 0x40 && ++seen <= ats) continue;
    return false;
  }
  return seen === ats;
}

// ---------------------------------------------------------------------------------------------
// Website

const HOST_IN_TEXT =
  /(?:^|[\s:：,，;；(（<"'])(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[\p{L}]{2,63}|xn--[a-z0-9-]{2,59}))\.?(?=$|[:/?#\s,，;；)）>"'])/u;

/**
 * A website reduced to its host, lower-cased, without scheme, www., port, path or query:
 * https://www.Example.com.cn/about → example.com.cn; "网址：www.abc.cn" → abc.cn. Other
 * sub-domains are kept (shop.example.com). Rejects e-mail addresses and IP addresses.
 */
export function parseWebsite(input: string): ParseResult<string> {
  // Only a-z 0-9 . - (www.example.com.cn): nothing to fold, trim or lower-case, no @, no scheme, no delimiter, so
  // HOST_IN_TEXT can only match the whole cell (less one trailing dot); ASCII_HOST says the same without \p{…}.
  if (isPlainAscii(input, 0) && !isEmptyish(input)) {
    const match = ASCII_HOST.exec(input);
    const host = match?.[1] && !IP_ADDRESS.test(input) ? withoutWww(match[1]) : '';
    if (host.length > 0 && host.length <= 253) return ok(host);
  }
  if (isEmptyish(input)) return EMPTY;
  if (input.length > 2048) return fail('the value is too long to be a website');
  const s = toHalfWidth(input).trim().toLowerCase().replace(/。/g, '.');
  if (isEmptyish(s)) return EMPTY;
  if (/^[^\s/:]+@[^\s/]+$/.test(s) || /^mailto:/.test(s)) {
    return fail(`${show(input)} is an e-mail address, not a website`);
  }
  if (IP_ADDRESS.test(s)) {
    return fail(`${show(input)} is an IP address; enter the site's domain name`);
  }
  const match = HOST_IN_TEXT.exec(s);
  if (!match?.[1]) return fail(`expected a website such as www.example.com.cn (got ${show(input)})`);
  const host = withoutWww(match[1]);
  if (host.length > 253) return fail(`${show(input)} is too long to be a domain name`);
  return ok(host);
}

const IP_ADDRESS = /^(?:[a-z]+:\/\/)?\d{1,3}(?:\.\d{1,3}){3}(?:[:/]|$)/;
/** HOST_IN_TEXT for a whole cell of a-z 0-9 . - only. */
const ASCII_HOST = /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59}))\.?$/;

function withoutWww(host: string): string {
  // More than two labels (two dots or more) starting with www., www2. …
  if (!host.startsWith('www') || host.indexOf('.') === host.lastIndexOf('.')) return host;
  return host.replace(/^www\d*\./, '');
}
