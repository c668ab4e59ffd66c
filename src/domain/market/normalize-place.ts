import { PROVINCES } from './provinces.ts';

/** A place name split into its base and the kind of administrative suffix it carried ('' when none). */
export interface PlaceParts {
  base: string;
  suffix: string;
}

// Longest first. Each suffix maps to a kind, so 广西壮族自治区 and 广西自治区 compare equal, while 吉林省 and 吉林市
// (a province and a city of the same name) do not.
const SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['维吾尔自治区', 'region'],
  ['特别行政区', 'sar'],
  ['壮族自治区', 'region'],
  ['回族自治区', 'region'],
  ['自治区', 'region'],
  ['自治州', 'prefecture'],
  ['新区', 'district'],
  ['地区', 'prefecture'],
  ['省', 'province'],
  ['市', 'city'],
  ['区', 'district'],
  ['县', 'county'],
  ['旗', 'banner'],
  ['盟', 'league'],
  [' special administrative region', 'sar'],
  [' autonomous region', 'region'],
  [' province', 'province'],
  [' city', 'city'],
  [' district', 'district'],
  [' county', 'county'],
  [' sheng', 'province'],
  [' shi', 'city'],
  [' qu', 'district'],
  [' xian', 'county'],
];

const CJK = /[\u3400-\u9fff]/;

/**
 * The English (pinyin) bases of the provincial-level divisions as their Chinese base: `jiangsu` → 江苏, so that
 * Jiangsu, Jiangsu Province and 江苏省 are one place. Built on first use.
 */
let englishProvinces: Map<string, string> | null = null;

function chineseBaseOf(englishBase: string): string | undefined {
  if (!englishProvinces) {
    englishProvinces = new Map();
    for (const { name, english } of PROVINCES) {
      const base = computeParts(name).base;
      for (const spelling of english) englishProvinces.set(spelling, base);
    }
  }
  return englishProvinces.get(englishBase);
}

// Place names repeat across hundreds of thousands of accounts; a bounded memo keeps matching and planning fast.
const memo = new Map<string, PlaceParts>();
const MEMO_LIMIT = 50_000;

/**
 * Splits a place name into base and suffix kind: '上海市' → { base: '上海', suffix: 'city' }; lower-cases English,
 * and a province written in English has its Chinese base: 'Jiangsu Province' → { base: '江苏', suffix: 'province' }.
 */
export function splitPlace(name: string): PlaceParts {
  let parts = memo.get(name);
  if (parts === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    parts = computeParts(name);
    memo.set(name, parts);
  }
  return parts;
}

function computeParts(name: string): PlaceParts {
  const cleaned = name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  for (const [suffix, kind] of SUFFIXES) {
    if (!cleaned.endsWith(suffix)) continue;
    const base = cleaned.slice(0, cleaned.length - suffix.length).trim();
    // Keep one-character Chinese bases (e.g. the district 城区) and empty bases whole.
    const minLength = CJK.test(base) ? 2 : 1;
    if (base.length >= minLength) return { base: chineseBaseOf(base) ?? base, suffix: kind };
  }
  return { base: chineseBaseOf(cleaned) ?? cleaned, suffix: '' };
}

/** The comparable base of a place name: 上海市 → 上海, 广东省 → 广东, 'Shenzhen City' → 'shenzhen'. */
export function normalizePlace(name: string): string {
  return splitPlace(name).base;
}

/** True when two place names denote the same place: same base, and suffix kinds equal or one absent. */
export function isSamePlace(a: string, b: string): boolean {
  const pa = splitPlace(a);
  const pb = splitPlace(b);
  return pa.base === pb.base && (pa.suffix === '' || pb.suffix === '' || pa.suffix === pb.suffix);
}
