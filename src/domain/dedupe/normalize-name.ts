import { validateUscc } from '../registration/uscc.ts';
import { toHalfWidth } from '../text/half-width.ts';

/*
 * Company-name normalisation and de-duplication keys.
 *
 * Decisions (the import's de-duplication relies on them):
 * - Legal-form suffixes are removed: 有限公司, 有限责任公司, 股份有限公司, 股份公司, 公司, 有限合伙,
 *   (普通合伙) ..., and Co., Ltd. / Inc. / Corp. / LLC / Limited / GmbH / PLC / S.A. / AG ... .
 * - "集团" is kept: 海尔集团有限公司 → 海尔集团, so a group and its operating company stay apart.
 * - Branch designations (分公司, 分行, 分店, 办事处, 营业部) are kept: a branch is its own account
 *   with its own address and buyer. Inside a branch name the parent's legal form goes, so
 *   某某有限公司上海分公司 and 某某公司上海分公司 meet (both 某某上海分公司).
 * - The country qualifier (中国)/（中国）/(China) and partnership forms in brackets are removed;
 *   other bracketed text, e.g. a city such as （上海）, is kept (only the brackets go).
 * - Full-width is folded to half-width, Latin letters are lower-cased, and every space and
 *   punctuation character is dropped, so "A. O. Smith" and "AO Smith" meet.
 */

const CN_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '责任有限公司',
  '有限公司',
  '股份公司',
  '总公司',
  '公司',
  '有限合伙企业',
  '普通合伙企业',
  '个人独资企业',
  '合伙企业',
  '独资企业',
  '有限合伙',
  '普通合伙',
];

// Bracketed qualifiers dropped entirely (content compared after folding and lower-casing).
const DROPPED_BRACKET_CONTENT = new Set([
  '中国',
  'china',
  'prc',
  '有限合伙',
  '普通合伙',
  '特殊普通合伙',
  '个人独资',
]);

// Trailing English legal-form words. Dotted single letters are read as one word, so S.A.,
// S.p.A., L.L.C. and N.V. arrive here as sa, spa, llc and nv.
const EN_SUFFIX_WORDS = new Set([
  'co',
  'company',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'nv',
  'bv',
  'spa',
  'sas',
  'srl',
  'pty',
  'pte',
  'kk',
  'oy',
  'ab',
  'as',
]);

const BRACKETED = /[([{（【［〔]([^)\]}）】］〕]*)[)\]}）】］〕]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;

/**
 * Normalised company name for de-duplication (see the decisions above). Pure and
 * allocation-light: it is called once per imported row (about 0.3 µs for a typical name).
 */
export function normalizeCompanyName(name: string): string {
  let s = toHalfWidth(name).toLowerCase();
  if (s.indexOf('(') !== -1 || s.indexOf('（') !== -1 || s.indexOf('[') !== -1 || s.indexOf('【') !== -1) {
    s = s.replace(BRACKETED, (_whole, inner: string) => {
      const content = inner.replace(NOT_LETTER_OR_DIGIT, '');
      return DROPPED_BRACKET_CONTENT.has(content) ? ' ' : ` ${inner} `;
    });
  }
  s = s.trim();
  const end = englishNameEnd(s);
  if (end < s.length) s = s.slice(0, end);
  // After the legal form, so "The Inc." keeps "the" as "The" does, rather than becoming "inc".
  if (s.startsWith('the ')) s = s.slice(4);

  let folded = keepLettersAndDigits(s);
  if (isBranchName(folded)) {
    // 某某有限公司上海分公司 and 某某公司上海分公司 are the same branch: drop the parent's legal form.
    const withoutForms = folded.replace(INNER_LEGAL_FORM, '');
    if (withoutForms.length > 0) folded = withoutForms;
  }
  // A Chinese legal form after an English one glued to Chinese text (一bv有限公司, 某某Co.,Ltd.有限公司) hides the
  // English one from the cut above: cut both again until nothing changes, so a name with and without its Chinese
  // form, and a name and its own normal form, normalise alike.
  let result = stripChineseSuffixes(folded);
  for (;;) {
    const englishEnd = englishNameEnd(result);
    const next = stripChineseSuffixes(englishEnd < result.length ? result.slice(0, englishEnd) : result);
    if (next === result) return result;
    result = next;
  }
}

const isAsciiAlnum = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);

/**
 * Where the name ends once trailing English legal-form words are cut ("acme co., ltd." → "acme").
 * Scans words (runs of a-z0-9) from the right; a word glued to Chinese text counts as a word,
 * so 上海某某科技Co.,Ltd. loses its suffix too. Never cuts the whole name.
 */
function englishNameEnd(s: string): number {
  let end = s.length;
  for (;;) {
    let i = end - 1;
    while (i >= 0 && !isAsciiAlnum(s.charCodeAt(i)) && s.charCodeAt(i) < 0x80) i--;
    if (i < 0 || !isAsciiAlnum(s.charCodeAt(i))) return end;
    const wordEnd = i + 1;
    while (i >= 0 && isAsciiAlnum(s.charCodeAt(i))) i--;
    let wordStart = i + 1;
    let word = s.slice(wordStart, wordEnd);
    // Gather dotted single letters: "s.p.a" → "spa".
    if (word.length === 1) {
      let j = wordStart - 1;
      while (j >= 1 && (s.charCodeAt(j) === 0x2e || s.charCodeAt(j) === 0x20)) {
        let k = j;
        while (k >= 0 && (s.charCodeAt(k) === 0x2e || s.charCodeAt(k) === 0x20)) k--;
        if (k < 0 || !isAsciiAlnum(s.charCodeAt(k)) || (k > 0 && isAsciiAlnum(s.charCodeAt(k - 1)))) break;
        if (s.charCodeAt(k + 1) !== 0x2e) break;
        word = s.charAt(k) + word;
        wordStart = k;
        j = k - 1;
      }
    }
    if (!EN_SUFFIX_WORDS.has(word)) return end;
    let rest = wordStart;
    while (rest > 0 && !isAsciiAlnum(s.charCodeAt(rest - 1)) && s.charCodeAt(rest - 1) < 0x80) rest--;
    if (rest === 0) return end;
    end = rest;
  }
}

/** Drops every character that is not a letter or digit; returns the input when nothing goes. */
function keepLettersAndDigits(s: string): string {
  let out = '';
  let runStart = 0;
  const length = s.length;
  for (let i = 0; i < length; i++) {
    const code = s.charCodeAt(i);
    let keep: boolean;
    let width = 1;
    if (code < 0x80) keep = isAsciiAlnum(code);
    else if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) keep = true;
    else if (code >= 0x2000 && code <= 0x206f) keep = false;
    else if (code >= 0xd800 && code <= 0xdbff) {
      width = 2;
      keep = LETTER_OR_DIGIT.test(s.slice(i, i + 2));
    } else keep = LETTER_OR_DIGIT.test(s.charAt(i));
    if (!keep) {
      if (runStart < i) out += s.slice(runStart, i);
      runStart = i + width;
    }
    if (width === 2) i++;
  }
  if (runStart === 0) return s;
  if (runStart < length) out += s.slice(runStart);
  return out;
}

const BRANCH_SUFFIXES = ['分公司', '分行', '分店', '分厂', '办事处', '营业部', '代表处'];
const INNER_LEGAL_FORM = /股份有限公司|有限责任公司|有限公司|(?<![分子总])公司(?!$)/g;

function isBranchName(s: string): boolean {
  const last = s.charAt(s.length - 1);
  if (last !== '司' && last !== '行' && last !== '店' && last !== '厂' && last !== '处' && last !== '部')
    return false;
  for (const suffix of BRANCH_SUFFIXES) if (s.endsWith(suffix)) return true;
  return false;
}

function stripChineseSuffixes(input: string): string {
  let s = input;
  for (;;) {
    const last = s.charAt(s.length - 1);
    if (last !== '司' && last !== '业' && last !== '伙') return s;
    let cut = false;
    for (const suffix of CN_SUFFIXES) {
      if (s.length > suffix.length && s.endsWith(suffix)) {
        // 分公司 / 子公司 name a branch or subsidiary: not a legal form to strip.
        if (suffix === '公司' && (s.charAt(s.length - 3) === '分' || s.charAt(s.length - 3) === '子'))
          return s;
        s = s.slice(0, s.length - suffix.length);
        cut = true;
        break;
      }
    }
    if (!cut) return s;
  }
}

const ASCII_WORD = /^[a-z]+$/;
const CITY_SUFFIXES = ['特别行政区', '自治州', '地区', '城区', '市', '盟'];

/** Normalised city for the name key: 上海市 → 上海, "Shanghai City" → shanghai. */
export function normalizeCity(city: string): string {
  let s = keepLettersAndDigits(toHalfWidth(city).toLowerCase());
  if (s.endsWith('city') && s.length > 4) s = s.slice(0, -4);
  else if (s.endsWith('shi') && s.length > 5 && ASCII_WORD.test(s)) s = s.slice(0, -3);
  for (const suffix of CITY_SUFFIXES) {
    if (s.length > suffix.length + 1 && s.endsWith(suffix)) return s.slice(0, s.length - suffix.length);
  }
  return s;
}

/**
 * Hosts shared by many companies (mail, marketplaces, social and site builders): a website on
 * one of these says nothing about which company it is, so it yields no domain key.
 */
const SHARED_HOSTS = new Set([
  'qq.com',
  'weixin.qq.com',
  'mp.weixin.qq.com',
  '163.com',
  '126.com',
  'sina.com',
  'sina.com.cn',
  'sohu.com',
  'weibo.com',
  'weibo.cn',
  'baidu.com',
  'taobao.com',
  'tmall.com',
  'jd.com',
  '1688.com',
  'alibaba.com',
  'aliyun.com',
  'douyin.com',
  'xiaohongshu.com',
  'linkedin.com',
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'youtube.com',
  'github.com',
  'github.io',
  'wordpress.com',
  'wix.com',
  'wixsite.com',
  'sites.google.com',
  'google.com',
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'yahoo.com',
]);

export function isSharedHost(domain: string): boolean {
  return SHARED_HOSTS.has(domain);
}

export interface DedupeInput {
  readonly name?: string | null;
  readonly uscc?: string | null;
  /** The website as a bare domain (the import's parseWebsite output); www. is dropped here too. */
  readonly website?: string | null;
  readonly city?: string | null;
}

/**
 * De-duplication keys, strongest first: `uscc:<code>` (only for a valid code),
 * `domain:<host>` (not for shared hosts such as weibo.com), `name:<normalised name>|<city>`.
 * Two accounts are the same when they share any key; callers try the keys in this order.
 */
export function dedupeKeys(account: DedupeInput): string[] {
  const keys: string[] = [];
  if (account.uscc) {
    const checked = validateUscc(account.uscc);
    if (checked.ok) keys.push(`uscc:${checked.value}`);
  }
  if (account.website) {
    let domain = account.website.trim().toLowerCase();
    if (domain.startsWith('www.')) domain = domain.slice(4);
    if (domain.length > 0 && !SHARED_HOSTS.has(domain)) keys.push(`domain:${domain}`);
  }
  if (account.name) {
    const name = normalizeCompanyName(account.name);
    if (name.length > 0) keys.push(`name:${name}|${account.city ? normalizeCity(account.city) : ''}`);
  }
  return keys;
}
