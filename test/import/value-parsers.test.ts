import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  excelSerialToDateTime,
  headerCurrency,
  holdsSeveralEmails,
  holdsSeveralPhones,
  isEmptyish,
  type ParseResult,
  parseDate,
  parseEmail,
  parseEmployees,
  parseMoney,
  parsePhone,
  parseWebsite,
  readMoney,
  toHalfWidth,
} from '../../src/import/value-parsers.ts';

const value = <T>(result: ParseResult<T>): T | null | 'error' => (result.ok ? result.value : 'error');
const reason = <T>(result: ParseResult<T>): string => (result.ok ? '' : result.reason);

const EMPTYISH = [
  '',
  '   ',
  '-',
  '--',
  '—',
  '——',
  '/',
  '无',
  '暂无',
  '未知',
  'N/A',
  'n/a',
  '#N/A',
  'null',
  'NULL',
  'None',
  '－',
];

describe('isEmptyish', () => {
  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(isEmptyish(input)).toBe(true);
  });
  it.each(['0', 'a', '无锡', '-1', 'nullable'])('%j is not empty', (input) => {
    expect(isEmptyish(input)).toBe(false);
  });
  it('re-exports toHalfWidth', () => {
    expect(toHalfWidth('１２３')).toBe('123');
  });
});

describe('parseMoney', () => {
  it.each([
    ['100', 100],
    ['100元', 100],
    ['3500', 3500],
    ['1,234,567', 1234567],
    ['1,234.56', 1235],
    ['1234.4', 1234],
    ['50万', 500_000],
    ['50万元', 500_000],
    ['3,500万元', 35_000_000],
    ['3500万', 35_000_000],
    ['1.2亿', 120_000_000],
    ['1.2亿元', 120_000_000],
    ['2.5千元', 2500],
    ['3百万', 3_000_000],
    ['1千万', 10_000_000],
    ['50万人民币', 500_000],
    ['1000万元人民币', 10_000_000],
    ['人民币1000万元', 10_000_000],
    ['￥1,234.56', 1235],
    ['¥1,234.56', 1235],
    ['￥１，２３４．５６', 1235],
    ['１２３４５', 12345],
    ['３，５００万元', 35_000_000],
    ['RMB 3,500万', 35_000_000],
    ['CNY100', 100],
    ['100 CNY', 100],
    ['1.5 billion', 1_500_000_000],
    ['2B', 2_000_000_000],
    ['10k', 10_000],
    ['约1000万', 10_000_000],
    ['-500万', -5_000_000],
    ['(500万)', -5_000_000],
    ['1.2E+08', 120_000_000],
    ['0.07万', 700],
    ['100万(元)', 1_000_000],
    ['100万（元）', 1_000_000],
    ['0', 0],
    ['2亿5000万', 250_000_000],
    ['2亿5000万元', 250_000_000],
    ['1亿2千万', 120_000_000],
    ['1万2000元', 12_000],
    ['3亿0500万', 305_000_000],
    ['500万左右', 5_000_000],
  ])('%j → %d yuan', (input, expected) => {
    expect(value(parseMoney(input))).toBe(expected);
  });

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parseMoney(input)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['1000万-5000万', 'is a range'],
    ['100~200万', 'is a range'],
    ['500万以上', 'is a range'],
    ['100万以下', 'is a range'],
    ['2亿15000万', 'the part after 亿 must be less than 1亿'],
    ['3万5', 'unknown unit "万5"'],
    ['abc', 'expected an amount'],
    ['100xx', 'unknown unit "xx"'],
    ['1,2345', 'not a well-formed number'],
    ['1.234.567', 'not a well-formed number'],
    ['12345678901234567', 'too large'],
    ['999999999亿', 'too large'],
    ['元', 'expected an amount'],
  ])('%j is rejected: %s', (input, expected) => {
    expect(reason(parseMoney(input))).toContain(expected);
  });

  it('applies the header scale only when the value has no unit', () => {
    expect(value(parseMoney('500', { scale: 1e4 }))).toBe(5_000_000);
    expect(value(parseMoney('500万', { scale: 1e4 }))).toBe(5_000_000);
    expect(value(parseMoney('1.5', { scale: 1e6 }))).toBe(1_500_000);
  });

  it('is exact where floating point is not (0.07 × 10000)', () => {
    expect(value(parseMoney('0.07万'))).toBe(700);
    expect(value(parseMoney('1.1亿'))).toBe(110_000_000);
    expect(value(parseMoney('0.000001万'))).toBe(0);
    expect(value(parseMoney('0.00005万'))).toBe(1);
  });

  it('never throws and returns an integer or a reason', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = parseMoney(input);
        if (result.ok && result.value !== null) expect(Number.isSafeInteger(result.value)).toBe(true);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any integer amount written with separators and units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 900_000_000_000 }),
        fc.constantFrom('', '元', '万', '亿'),
        (n, unit) => {
          const scale = unit === '万' ? 1e4 : unit === '亿' ? 1e8 : 1;
          fc.pre(n % scale === 0);
          const written = (n / scale).toLocaleString('en-US') + unit;
          expect(value(parseMoney(written))).toBe(n);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('money in another currency', () => {
  // Amounts are yuan: an amount in another currency is refused (naming it), never read as yuan or converted.
  it.each([
    ['50万美元', 'USD', 'US dollars'],
    ['3500万美元', 'USD', 'US dollars'],
    ['200万美金', 'USD', 'US dollars'],
    ['$2.5M', 'USD', 'US dollars'],
    ['$1.2B', 'USD', 'US dollars'],
    ['US$ 3,000,000', 'USD', 'US dollars'],
    ['USD 1.5 million', 'USD', 'US dollars'],
    ['100万港元', 'HKD', 'Hong Kong dollars'],
    ['100万港币', 'HKD', 'Hong Kong dollars'],
    ['HK$3M', 'HKD', 'Hong Kong dollars'],
    ['3.5 Mio. EUR', 'EUR', 'euros'],
    ['€5m', 'EUR', 'euros'],
    ['80万欧元', 'EUR', 'euros'],
    ['£2m', 'GBP', 'pounds sterling'],
    ['20万英镑', 'GBP', 'pounds sterling'],
    ['1000万日元', 'JPY', 'Japanese yen'],
  ])('%j is %s, not yuan', (input, code, name) => {
    expect(value(parseMoney(input))).toBe('error');
    expect(reason(parseMoney(input))).toBe(
      `${JSON.stringify(input)} is in ${name} (${code}), not yuan; amounts are kept in yuan and never converted`,
    );
    const read = readMoney(input);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.currency?.code).toBe(code);
  });

  it.each([
    ['¥500万', 5_000_000],
    ['￥500万', 5_000_000],
    ['人民币500万元', 5_000_000],
    ['RMB 5m', 5_000_000],
    ['500万CNY', 5_000_000],
  ])('%j is yuan', (input, expected) => {
    expect(value(parseMoney(input))).toBe(expected);
  });

  it('reads amounts without a currency in a column whose header names one as that currency', () => {
    expect(headerCurrency('Revenue ($M)')).toBe('USD');
    expect(headerCurrency('注册资本(万美元)')).toBe('USD');
    expect(headerCurrency('Sales in USD')).toBe('USD');
    expect(headerCurrency('营业收入（港元）')).toBe('HKD');
    expect(headerCurrency('注册资本(万元)')).toBeUndefined();
    expect(headerCurrency('年营业额（人民币）')).toBeUndefined();
    expect(headerCurrency('Revenue')).toBeUndefined();
    expect(headerCurrency('European sales')).toBeUndefined();
    const read = readMoney('1,200', { scale: 1e6, currency: 'USD' });
    expect(read).toMatchObject({ ok: false, currency: { code: 'USD' } });
    if (!read.ok) expect(read.reason).toContain('as the column header says');
    // A value naming the yuan itself is yuan in any column.
    expect(readMoney('¥500万', { currency: 'USD' })).toEqual({ ok: true, value: 5_000_000 });
    expect(readMoney('', { currency: 'USD' })).toEqual({ ok: true, value: null });
  });
});

describe('readMoney (a cell of an imported list)', () => {
  it.each([
    ['500万以上', 5_000_000],
    ['500万及以上', 5_000_000],
    ['超过500万', 5_000_000],
    ['500万+', 5_000_000],
    ['50-100万', 500_000],
    ['50万-100万', 500_000],
    ['50万~100万', 500_000],
    ['1000万至1亿', 10_000_000],
    ['1000万到5000万元', 10_000_000],
  ])('%j is a range or a lower bound: its lower bound, %d yuan', (input, expected) => {
    expect(readMoney(input)).toEqual({ ok: true, value: expected, lowerBoundOf: 'range' });
  });

  it('reads single amounts as parseMoney does, compounds included', () => {
    for (const input of ['2亿5000万', '3500万', '1.2亿', '1,234,567', '约1000万', '-500万', '(500万)', ''])
      expect(readMoney(input)).toEqual(parseMoney(input));
    expect(readMoney('2亿5000万')).toEqual({ ok: true, value: 250_000_000 });
  });

  it('refuses an upper bound alone and a reversed range', () => {
    expect(readMoney('100万以下')).toEqual({
      ok: false,
      reason: '"100万以下" gives only an upper bound, not an amount',
    });
    expect(readMoney('少于100万').ok).toBe(false);
    // A range in another currency is refused for its currency, not read as yuan.
    expect(readMoney('50-100万美元')).toMatchObject({ ok: false, currency: { code: 'USD' } });
    expect(readMoney('200-100万')).toEqual({
      ok: false,
      reason: '"200-100万": the range is reversed (write the smaller number first)',
    });
  });

  it('never throws; a value is a safe integer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = readMoney(input);
        if (result.ok && result.value !== null) expect(Number.isSafeInteger(result.value)).toBe(true);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('cells holding several phone numbers or addresses', () => {
  it.each([
    ['13800138000;13900139000', true],
    ['138 0013 8000 / 139 0013 9000', true],
    ['010-12345678/9', true],
    ['0512-62345678、13912345678', true],
    ['13800138000', false],
    ['+86 138-0013-8000', false],
    ['010-12345678 转 801', false],
    ['电话：010-12345678', false],
  ])('%j: %s', (input, several) => {
    expect(holdsSeveralPhones(input)).toBe(several);
  });
  it('e-mail', () => {
    expect(holdsSeveralEmails('a@x.cn; b@y.cn')).toBe(true);
    expect(holdsSeveralEmails('a@x.cn')).toBe(false);
  });
});

describe('parseEmployees', () => {
  it.each([
    ['100-499人', 100, 499],
    ['100 - 499 人', 100, 499],
    ['100~499', 100, 499],
    ['100～499人', 100, 499],
    ['100至499人', 100, 499],
    ['100到499人', 100, 499],
    ['少于50人', 0, 49],
    ['小于50', 0, 49],
    ['不足50人', 0, 49],
    ['<50', 0, 49],
    ['50人以下', 0, 50],
    ['50人及以下', 0, 50],
    ['≤50', 0, 50],
    ['10000人以上', 10000, null],
    ['1万人以上', 10000, null],
    ['500+', 500, null],
    ['10,001+ employees', 10001, null],
    ['>1000', 1001, null],
    ['超过1000人', 1001, null],
    ['≥1000', 1000, null],
    ['350', 350, 350],
    ['350人', 350, 350],
    ['约500人', 500, 500],
    ['500人左右', 500, 500],
    ['1.5万人', 15000, 15000],
    ['1,001-5,000 employees', 1001, 5000],
    ['少于50名员工', 0, 49],
    ['０－４９人', 0, 49],
    ['0', 0, 0],
  ])('%j → %d..%s', (input, min, max) => {
    expect(value(parseEmployees(input))).toEqual({ min, max });
  });

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parseEmployees(input)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['499-100', 'reversed'],
    ['12.5', 'not a whole number'],
    ['abc', 'expected a head count'],
    ['-5', 'expected a head count'],
    ['大型', 'expected a head count'],
  ])('%j is rejected: %s', (input, expected) => {
    expect(reason(parseEmployees(input))).toContain(expected);
  });

  it('never throws; a range always has min ≤ max', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (input) => {
        const result = parseEmployees(input);
        if (result.ok && result.value) {
          expect(result.value.min).toBeGreaterThanOrEqual(0);
          if (result.value.max !== null) expect(result.value.max).toBeGreaterThanOrEqual(result.value.min);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back generated ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom('-', '~', '至', '到'),
        fc.constantFrom('', '人'),
        (a, b, separator, suffix) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          expect(value(parseEmployees(`${min}${separator}${max}${suffix}`))).toEqual({ min, max });
        },
      ),
    );
  });
});

describe('parseDate', () => {
  it.each([
    ['2020-01-05', '2020-01-05'],
    ['2020/1/5', '2020-01-05'],
    ['2020.1.5', '2020-01-05'],
    ['2020年1月5日', '2020-01-05'],
    ['2020 年 1 月 5 日', '2020-01-05'],
    ['20200105', '2020-01-05'],
    ['Jan 5, 2020', '2020-01-05'],
    ['January 5 2020', '2020-01-05'],
    ['Sept. 5, 2020', '2020-09-05'],
    ['5 Jan 2020', '2020-01-05'],
    ['5-Jan-2020', '2020-01-05'],
    ['1/25/2020', '2020-01-25'],
    ['25/1/2020', '2020-01-25'],
    ['5/5/2020', '2020-05-05'],
    ['2020-01-05 10:30:00', '2020-01-05'],
    ['2020/1/5 0:00', '2020-01-05'],
    ['2020-01-05T23:30:00Z', '2020-01-05'],
    ['2020年1月5日 上午10:00', '2020-01-05'],
    ['２０２０－０１－０５', '2020-01-05'],
    ['43835', '2020-01-05'],
    ['43831.0423726852', '2020-01-01'],
    ['2020-02-29', '2020-02-29'],
  ])('%j → %s', (input, expected) => {
    expect(value(parseDate(input))).toBe(expected);
  });

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parseDate(input)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['2019-02-29', 'not a valid calendar date'],
    ['2020-13-01', 'not a valid calendar date'],
    ['2020年2月30日', 'not a valid calendar date'],
    ['1/2/2020', 'ambiguous'],
    ['20/1/1', 'two-digit year'],
    ['2020年1月', 'has no day'],
    ['2020-01', 'has no day'],
    ['1902', 'is a year'],
    ['2020-01-051', 'expected a date'],
    ['Janitor 5, 2020', 'not a valid calendar date'],
    ['yesterday', 'expected a date'],
  ])('%j is rejected: %s', (input, expected) => {
    expect(reason(parseDate(input))).toContain(expected);
  });

  it('reads Excel serials in either date system', () => {
    expect(value(parseDate('43835'))).toBe('2020-01-05');
    expect(value(parseDate('42373', { date1904: true }))).toBe('2020-01-05');
  });

  it('accepts a bare year only when asked', () => {
    expect(value(parseDate('1902', { allowYearOnly: true }))).toBe('1902-01-01');
    expect(value(parseDate('1902年', { allowYearOnly: true }))).toBe('1902-01-01');
  });

  it('never throws and returns ISO dates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = parseDate(input);
        if (result.ok && result.value !== null) expect(result.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips any calendar date through the Chinese and compact forms', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-').map(Number);
          expect(value(parseDate(`${y}年${m}月${d}日`))).toBe(iso);
          expect(value(parseDate(iso.replace(/-/g, '')))).toBe(iso);
          expect(value(parseDate(`${y}/${m}/${d}`))).toBe(iso);
        },
      ),
    );
  });
});

describe('excelSerialToDateTime', () => {
  it.each([
    [1, false, '1900-01-01'],
    [59, false, '1900-02-28'],
    [61, false, '1900-03-01'],
    [43831, false, '2020-01-01'],
    [0, true, '1904-01-01'],
    [1, true, '1904-01-02'],
    [42369, true, '2020-01-01'],
  ])('serial %d (1904: %s) → %s', (serial, date1904, expected) => {
    expect(excelSerialToDateTime(serial, date1904)?.date).toBe(expected);
  });

  it('rejects the nonexistent 1900-02-29 and out-of-range serials', () => {
    expect(excelSerialToDateTime(60)).toBeNull();
    expect(excelSerialToDateTime(-1)).toBeNull();
    expect(excelSerialToDateTime(3_000_000)).toBeNull();
    expect(excelSerialToDateTime(Number.NaN)).toBeNull();
  });

  it('keeps the time of day, rounded to the second', () => {
    expect(excelSerialToDateTime(43831.0423726852)).toEqual({
      date: '2020-01-01',
      time: '01:01:01',
      hasTime: true,
    });
    expect(excelSerialToDateTime(43831.99999999)).toEqual({
      date: '2020-01-02',
      time: '00:00:00',
      hasTime: false,
    });
  });
});

describe('parsePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['+86 13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['（010）6552-9988', '010-65529988'],
    ['(010) 6552-9988', '010-65529988'],
    ['010-65529988', '010-65529988'],
    ['01065529988', '010-65529988'],
    ['+86 10 6552 9988', '010-65529988'],
    ['+86 (0)10 6552 9988', '010-65529988'],
    ['0755-86013388', '0755-86013388'],
    ['021-12345678 转 801', '021-12345678 ext 801'],
    ['021-12345678 ext. 801', '021-12345678 ext 801'],
    ['400-810-8888', '400-810-8888'],
    ['4008108888', '400-810-8888'],
    ['6552-9988', '65529988'],
    ['95588', '95588'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['电话：021-12345678', '021-12345678'],
    ['Tel: 13800138000', '13800138000'],
    ['010-12345678;13800138000', '010-12345678'],
    ['138 0013 8000 / 139 0013 9000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
  ])('%j → %j', (input, expected) => {
    expect(value(parsePhone(input))).toBe(expected);
  });

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['abc', 'does not look like a phone number'],
    ['call me', 'does not look like a phone number'],
    ['123', 'has 3 digits'],
    ['1234567890123456789', 'has 19 digits'],
    ['1.38001E+10', 'scientific notation'],
    ['sales@example.com', 'does not look like a phone number'],
  ])('%j is rejected: %s', (input, expected) => {
    expect(reason(parsePhone(input))).toContain(expected);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => void parsePhone(input)),
      { numRuns: 2000 },
    );
  });
});

describe('parseEmail', () => {
  it.each([
    [' Info@Example.COM ', 'info@example.com'],
    ['mailto:a@b.cn', 'a@b.cn'],
    ['邮箱：sales@abc.com.cn', 'sales@abc.com.cn'],
    ['a@b.cn; c@d.cn', 'a@b.cn'],
    ['ａ＠ｂ．ｃｎ', 'a@b.cn'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    ['x@例子.中国', 'x@例子.中国'],
    ['John <John@C.cn>', 'john@c.cn'],
  ])('%j → %j', (input, expected) => {
    expect(value(parseEmail(input))).toBe(expected);
  });

  it.each(['a@b', 'a@@b.cn', 'a..b@c.cn', '.a@b.cn', 'no at sign', 'a@-b.cn', 'a@b c.cn'])(
    '%j is rejected',
    (input) => {
      expect(reason(parseEmail(input))).toContain('not a valid e-mail address');
    },
  );

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: null });
  });
});

describe('parseWebsite', () => {
  it.each([
    ['https://www.Example.com.cn/about', 'example.com.cn'],
    ['网址：www.abc.cn', 'abc.cn'],
    ['官网 https://www.abc.com/index.html', 'abc.com'],
    ['abc.cn', 'abc.cn'],
    ['WWW.ABC.CN/', 'abc.cn'],
    ['http://abc.cn:8080/x?y=1', 'abc.cn'],
    ['shop.example.com', 'shop.example.com'],
    ['www2.abc.cn', 'abc.cn'],
    ['http://www.abc.cn,http://www.def.cn', 'abc.cn'],
    ['ｗｗｗ．ａｂｃ．ｃｎ', 'abc.cn'],
    ['https://www.abc.com。', 'abc.com'],
    ['例子.中国', '例子.中国'],
    ['www.com', 'www.com'],
  ])('%j → %j', (input, expected) => {
    expect(value(parseWebsite(input))).toBe(expected);
  });

  it.each([
    ['info@abc.cn', 'e-mail address'],
    ['http://1.2.3.4/x', 'IP address'],
    ['not a site', 'expected a website'],
    ['localhost', 'expected a website'],
  ])('%j is rejected: %s', (input, expected) => {
    expect(reason(parseWebsite(input))).toContain(expected);
  });

  it.each(EMPTYISH)('%j is empty', (input) => {
    expect(parseWebsite(input)).toEqual({ ok: true, value: null });
  });

  it('never throws; a host is lower-case without scheme or path', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const result = parseWebsite(input);
        if (result.ok && result.value !== null) {
          expect(result.value).toBe(result.value.toLowerCase());
          expect(result.value).not.toMatch(/[/:\s]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// The common vendor shapes (7093.1万, 2018-09-06, 13932193240, name@163.com, www.example.com.cn) are read by short
// paths that skip the folding and the regexes; at their edges they must give exactly what the long way gives. The
// expected values below were produced by the parsers before the short paths existed.
describe('short paths for plain cells', () => {
  const parsers = { parseMoney, parseDate, parsePhone, parseEmail, parseWebsite } as const;
  it.each([
    ['parseMoney', '7093.1万', { ok: true, value: 70931000 }],
    ['parseMoney', '1455万元', { ok: true, value: 14550000 }],
    ['parseMoney', '4043700', { ok: true, value: 4043700 }],
    ['parseMoney', '3.12亿', { ok: true, value: 312000000 }],
    ['parseMoney', '0.005亿元', { ok: true, value: 500000 }],
    ['parseMoney', '007万', { ok: true, value: 70000 }],
    ['parseMoney', '12元', { ok: true, value: 12 }],
    ['parseMoney', '1.万', { ok: true, value: 10000 }],
    ['parseMoney', '.5万', { ok: true, value: 5000 }],
    [
      'parseMoney',
      '5美元',
      {
        ok: false,
        reason: '"5美元" is in US dollars (USD), not yuan; amounts are kept in yuan and never converted',
      },
    ],
    [
      'parseMoney',
      '1234567890123456789万',
      { ok: false, reason: '"1234567890123456789万" is too large to be an amount in yuan' },
    ],
    ['parseMoney', '250', { ok: true, value: 2500000 }],
    ['parseDate', '2018-09-06', { ok: true, value: '2018-09-06' }],
    ['parseDate', '2020-02-29', { ok: true, value: '2020-02-29' }],
    [
      'parseDate',
      '2019-02-29',
      { ok: false, reason: '"2019-02-29" is not a valid calendar date (check the month and the day)' },
    ],
    [
      'parseDate',
      '1900-02-29',
      { ok: false, reason: '"1900-02-29" is not a valid calendar date (check the month and the day)' },
    ],
    ['parseDate', '2000-02-29', { ok: true, value: '2000-02-29' }],
    [
      'parseDate',
      '0999-01-01',
      { ok: false, reason: '"0999-01-01" is not a valid calendar date (check the month and the day)' },
    ],
    [
      'parseDate',
      '2020-04-31',
      { ok: false, reason: '"2020-04-31" is not a valid calendar date (check the month and the day)' },
    ],
    [
      'parseDate',
      '2020-13-01',
      { ok: false, reason: '"2020-13-01" is not a valid calendar date (check the month and the day)' },
    ],
    ['parsePhone', '13932193240', { ok: true, value: '13932193240' }],
    ['parsePhone', '0755-20000000', { ok: true, value: '0755-20000000' }],
    ['parsePhone', '010-6552998', { ok: true, value: '010-6552998' }],
    ['parsePhone', '4008108888', { ok: true, value: '400-810-8888' }],
    ['parsePhone', '008613800138000', { ok: true, value: '13800138000' }],
    ['parsePhone', '12-34', { ok: false, reason: '"12-34" has 4 digits; a phone number has 5 to 15' }],
    ['parseEmail', 'yuansheng0@163.com', { ok: true, value: 'yuansheng0@163.com' }],
    [
      'parseEmail',
      'a..b@x.com',
      { ok: false, reason: '"a..b@x.com" is not a valid e-mail address (expected name@example.com)' },
    ],
    [
      'parseEmail',
      'a.@x.com',
      { ok: false, reason: '"a.@x.com" is not a valid e-mail address (expected name@example.com)' },
    ],
    ['parseEmail', 'sales@honghua2.com.cn', { ok: true, value: 'sales@honghua2.com.cn' }],
    [
      'parseEmail',
      'a@b.c',
      { ok: false, reason: '"a@b.c" is not a valid e-mail address (expected name@example.com)' },
    ],
    ['parseWebsite', 'www.honghua2.com.cn', { ok: true, value: 'honghua2.com.cn' }],
    ['parseWebsite', 'www.cn', { ok: true, value: 'www.cn' }],
    ['parseWebsite', 'www2.abc.com', { ok: true, value: 'abc.com' }],
    ['parseWebsite', 'abc.com.', { ok: true, value: 'abc.com' }],
    [
      'parseWebsite',
      '1.2.3.4',
      { ok: false, reason: '"1.2.3.4" is an IP address; enter the site\'s domain name' },
    ],
    ['parseWebsite', 'nan', { ok: true, value: null }],
    [
      'parseWebsite',
      '-a.com',
      { ok: false, reason: 'expected a website such as www.example.com.cn (got "-a.com")' },
    ],
    ['parseWebsite', 'wwwa.b.cn', { ok: true, value: 'wwwa.b.cn' }],
  ] as const)('%s(%j)', (parser, input, expected) => {
    const result =
      parser === 'parseMoney' && input === '250'
        ? parseMoney(input, { scale: 10_000 })
        : (parsers[parser] as (s: string) => unknown)(input);
    expect(result).toEqual(expected);
  });

  it('plain cells read the same as with a space around them (the long way)', () => {
    const plain = fc.oneof(
      fc.stringMatching(/^[0-9]{1,12}(?:\.[0-9]{1,6})?(?:万|万元|亿|亿元|元)?$/),
      fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
      fc.stringMatching(/^[0-9][0-9-]{0,16}$/),
    );
    fc.assert(
      fc.property(plain, (input) => {
        // (A reason quotes the cell as written, spaces included: compare the values.)
        expect(value(parseMoney(input))).toEqual(value(parseMoney(` ${input} `)));
        expect(value(parseDate(input))).toEqual(value(parseDate(` ${input} `)));
        expect(value(parsePhone(input))).toEqual(value(parsePhone(` ${input} `)));
      }),
      { numRuns: 2000 },
    );
    const host = fc.stringMatching(/^[a-z0-9-]{1,10}(?:\.[a-z0-9-]{1,10}){0,3}$/);
    fc.assert(
      fc.property(host, host, (a, b) => {
        expect(value(parseWebsite(a))).toEqual(value(parseWebsite(` ${a} `)));
        expect(value(parseEmail(`${a}@${b}`))).toEqual(value(parseEmail(` ${a}@${b} `)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a head count read twice gives equal answers', () => {
    expect(parseEmployees('100-499人')).toEqual({ ok: true, value: { min: 100, max: 499 } });
    expect(parseEmployees('100-499人')).toEqual({ ok: true, value: { min: 100, max: 499 } });
  });
});
