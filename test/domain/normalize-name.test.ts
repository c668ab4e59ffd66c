import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeKeys, normalizeCity, normalizeCompanyName } from '../../src/domain/dedupe/normalize-name.ts';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { toHalfWidth } from '../../src/domain/text/half-width.ts';

describe('toHalfWidth', () => {
  it.each([
    ['ＡＢＣ１２３', 'ABC123'],
    ['１，２３４．５６', '1,234.56'],
    ['（中国）', '(中国)'],
    ['a　b', 'a b'],
    ['￥１００', '¥100'],
    ['上海市，浦东新区。', '上海市,浦东新区。'],
    ['plain ascii', 'plain ascii'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });

  it('returns the same string when nothing needs folding', () => {
    const input = '北京字节跳动科技有限公司';
    expect(toHalfWidth(input)).toBe(input);
  });

  it('only ever shortens nothing and changes nothing below U+3000', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (input) => {
        const output = toHalfWidth(input);
        expect(output).toHaveLength(input.length);
        for (let i = 0; i < input.length; i++) {
          if (input.charCodeAt(i) < 0x3000) expect(output[i]).toBe(input[i]);
        }
        expect(toHalfWidth(output)).toBe(output);
      }),
    );
  });
});

describe('normalizeCompanyName', () => {
  it.each([
    ['阿里巴巴（中国）网络技术有限公司', '阿里巴巴网络技术'],
    ['阿里巴巴(中国)网络技术有限公司', '阿里巴巴网络技术'],
    ['北京字节跳动科技有限公司', '北京字节跳动科技'],
    ['腾讯科技（深圳）有限公司', '腾讯科技深圳'],
    ['上海某某科技有限责任公司', '上海某某科技'],
    ['ＡＢＣ股份有限公司', 'abc'],
    ['海尔集团有限公司', '海尔集团'],
    ['海尔集团公司', '海尔集团'],
    ['某某律师事务所（特殊普通合伙）', '某某律师事务所'],
    ['某某投资中心（有限合伙）', '某某投资中心'],
    ['3M公司', '3m'],
    ['上海某某科技Co.,Ltd.', '上海某某科技'],
    ['Shanghai Mou Technology Co., Ltd.', 'shanghaimoutechnology'],
    ['Shanghai Mou Technology Co Ltd', 'shanghaimoutechnology'],
    ['Apple Inc.', 'apple'],
    ['The Coca-Cola Company', 'cocacola'],
    ['A. O. Smith Corporation', 'aosmith'],
    ['AO Smith Corp', 'aosmith'],
    ['Acme, L.L.C.', 'acme'],
    ['Acme LLC', 'acme'],
    ['Banco Santander S.A.', 'bancosantander'],
    ['Siemens AG', 'siemens'],
    ['Robert Bosch GmbH', 'robertbosch'],
    ['Foo Pty Ltd', 'foo'],
    ['Bar Limited', 'bar'],
    ['Baz Incorporated', 'baz'],
    ['Unilever PLC', 'unilever'],
    ['Berkshire Hathaway', 'berkshirehathaway'],
    ['公司', '公司'],
    ['Limited', 'limited'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCompanyName(input)).toBe(expected);
  });

  it('keeps branches apart from their parent, and equal to each other however the parent is written', () => {
    expect(normalizeCompanyName('某某有限公司上海分公司')).toBe('某某上海分公司');
    expect(normalizeCompanyName('某某公司上海分公司')).toBe('某某上海分公司');
    expect(normalizeCompanyName('某某有限公司上海分公司')).not.toBe(normalizeCompanyName('某某有限公司'));
    expect(normalizeCompanyName('中国银行股份有限公司上海市分行')).toBe('中国银行上海市分行');
  });

  it('folds spacing, case, punctuation and width', () => {
    const variants = [
      'Acme Trading Co., Ltd.',
      'ACME TRADING CO LTD',
      'Ａｃｍｅ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．',
      ' acme-trading ',
    ];
    expect(new Set(variants.map(normalizeCompanyName))).toEqual(new Set(['acmetrading']));
  });

  it('cuts a legal-form word glued between Chinese text and a Chinese legal form, and keeps a lone "the"', () => {
    // Both found by the properties below with random seeds.
    expect(normalizeCompanyName('一bv有限公司')).toBe(normalizeCompanyName('一bv'));
    expect(normalizeCompanyName('The Inc.')).toBe(normalizeCompanyName('the'));
    expect(normalizeCompanyName('The Acme Co.')).toBe('acme');
  });

  it('never throws, is idempotent on its own output, and keeps only letters and digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const once = normalizeCompanyName(name);
        expect(once).toMatch(/^[\p{L}\p{N}]*$/u);
        expect(once).toBe(once.toLowerCase());
        expect(normalizeCompanyName(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('有限公司', '股份有限公司', ' Co., Ltd.', ' Inc.', '（中国）', ''),
        fc.stringMatching(/^[a-z\u4e00-\u4e50]{1,10}$/),
        (suffix, base) => {
          expect(normalizeCompanyName(base + suffix)).toBe(normalizeCompanyName(base));
        },
      ),
    );
  });
});

describe('normalizeCity', () => {
  it.each([
    ['上海市', '上海'],
    ['上海', '上海'],
    ['北京市', '北京'],
    ['Shanghai City', 'shanghai'],
    ['Shanghai Shi', 'shanghai'],
    ['恩施土家族苗族自治州', '恩施土家族苗族'],
    ['香港特别行政区', '香港'],
    ['市', '市'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCity(input)).toBe(expected);
  });
});

describe('dedupeKeys', () => {
  const uscc = makeUscc(7);

  it('gives uscc, domain, then name|city keys', () => {
    expect(dedupeKeys({ name: '上海某某科技有限公司', uscc, website: 'www.mou.cn', city: '上海市' })).toEqual(
      [`uscc:${uscc}`, 'domain:mou.cn', 'name:上海某某科技|上海'],
    );
  });

  it('normalizes the code and skips an invalid one', () => {
    expect(dedupeKeys({ uscc: ` ${uscc.toLowerCase()} ` })).toEqual([`uscc:${uscc}`]);
    expect(dedupeKeys({ uscc: `${uscc.slice(0, 17)}${uscc[17] === '0' ? '1' : '0'}` })).toEqual([]);
  });

  it('gives no domain key for shared hosts', () => {
    expect(dedupeKeys({ website: 'weibo.com', name: 'A' })).toEqual(['name:a|']);
    expect(dedupeKeys({ website: 'shop123.1688.com' })).toEqual(['domain:shop123.1688.com']);
  });

  it('matches the same company written differently', () => {
    const a = dedupeKeys({ name: 'ＡＢＣ 科技 有限公司', city: '上海市' });
    const b = dedupeKeys({ name: 'abc科技股份有限公司', city: '上海' });
    expect(a).toEqual(b);
  });

  it('keeps the same name in different cities apart', () => {
    expect(dedupeKeys({ name: '某某餐饮有限公司', city: '北京' })).not.toEqual(
      dedupeKeys({ name: '某某餐饮有限公司', city: '上海' }),
    );
  });

  it('returns no keys for an empty account', () => {
    expect(dedupeKeys({})).toEqual([]);
    expect(dedupeKeys({ name: '  ', website: '', uscc: null, city: null })).toEqual([]);
  });
});
