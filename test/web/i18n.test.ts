import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json';
import { LANGUAGES, type Language } from '../../web/src/i18n/languages.ts';
import zh from '../../web/src/i18n/zh-CN.json';

const CATALOGS: Record<Language, unknown> = { 'zh-CN': zh, en };
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** Letters of any script: a value without any is only punctuation, digits or symbols. */
const WORDS = /\p{L}/u;
const HAN = /\p{Script=Han}/u;

/** Flattens a nested catalog into dotted keys; non-string leaves are reported as errors. */
function flatten(node: unknown, prefix = '', out = new Map<string, string>(), errors: string[] = []) {
  if (typeof node === 'string') {
    out.set(prefix, node);
  } else if (node && typeof node === 'object' && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node))
      flatten(value, prefix ? `${prefix}.${key}` : key, out, errors);
  } else {
    errors.push(`${prefix}: expected a string or an object, got ${JSON.stringify(node)}`);
  }
  return { entries: out, errors };
}

/** Keys with plural forms folded together: accounts.total_one and accounts.total_other are accounts.total. */
function baseKeys(entries: Map<string, string>): Set<string> {
  return new Set([...entries.keys()].map((key) => key.replace(PLURAL_SUFFIX, '')));
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] as string).sort();
}

const flat = Object.fromEntries(
  LANGUAGES.map((language) => [language, flatten(CATALOGS[language])]),
) as Record<Language, ReturnType<typeof flatten>>;

describe('language catalogs', () => {
  it.each(LANGUAGES)('%s holds only strings, none of them empty', (language) => {
    const { entries, errors } = flat[language];
    const empty = [...entries].filter(([, value]) => value.trim() === '').map(([key]) => key);
    expect(errors).toEqual([]);
    expect(empty, `empty values in ${language}`).toEqual([]);
  });

  it('zh-CN and en have the same keys', () => {
    const zhKeys = baseKeys(flat['zh-CN'].entries);
    const enKeys = baseKeys(flat.en.entries);
    expect(
      [...zhKeys].filter((key) => !enKeys.has(key)),
      'in zh-CN but missing from en',
    ).toEqual([]);
    expect(
      [...enKeys].filter((key) => !zhKeys.has(key)),
      'in en but missing from zh-CN',
    ).toEqual([]);
  });

  it.each(LANGUAGES)('%s has exactly the plural forms its language uses', (language) => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.slice().sort();
    const forms = new Map<string, string[]>();
    for (const key of flat[language].entries.keys()) {
      const match = PLURAL_SUFFIX.exec(key);
      if (!match) continue;
      const base = key.slice(0, match.index);
      forms.set(base, [...(forms.get(base) ?? []), match[1] as string]);
    }
    for (const [base, found] of forms) {
      expect(found.sort(), `plural forms of ${base} in ${language}`).toEqual(categories);
      expect(flat[language].entries.has(base), `${base} is both plural and plain in ${language}`).toBe(false);
    }
  });

  it('translates every value with words: none is the same text in zh-CN and en', () => {
    // The same in both languages on purpose: the product's name.
    const sameOnPurpose = new Set(['app.name', 'app.pageTitle']);
    const zhEntries = flat['zh-CN'].entries;
    const same = [...flat.en.entries]
      .filter(([key, enValue]) => {
        if (sameOnPurpose.has(key) || zhEntries.get(key) !== enValue) return false;
        // Only separators around values ("{{from}} – {{to}}", "{{percent}}%") need no translation.
        return WORDS.test(enValue.replace(/\{\{[^}]*\}\}/g, '').replace(/<[^>]*>/g, ''));
      })
      .map(([key, value]) => `${key}: ${value}`);
    expect(same, 'untranslated: the same text in both catalogs').toEqual([]);
  });

  it('has no Chinese in English values except where a Chinese term is shown on purpose', () => {
    const chineseOnPurpose = new Map([
      ['playbook.search.placeholder', 'the search also takes Chinese fragments'],
      ['market.units.wan', 'names the unit 万 that Chinese lists use'],
      ['market.units.yi', 'names the unit 亿 that Chinese lists use'],
      ['plan.calendar.hint', 'names 调休, the Chinese make-up workday'],
      ['people.territories.districtsHint', 'a district is typed as in the data: 南京市/鼓楼区'],
    ]);
    const chinese = [...flat.en.entries]
      .filter(([key, value]) => HAN.test(value) && !chineseOnPurpose.has(key))
      .map(([key, value]) => `${key}: ${value}`);
    expect(chinese, 'Chinese left in the English catalog').toEqual([]);
  });

  it('says what the method recommends in words, never by its section number (§3, 方法第 2 条), which nobody can look up', () => {
    const numbered = LANGUAGES.flatMap((language) =>
      [...flat[language].entries]
        .filter(([, value]) => /§|方法第\s*\d/.test(value))
        .map(([key, value]) => `${language} ${key}: ${value}`),
    );
    expect(numbered).toEqual([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const mismatched: string[] = [];
    const zhEntries = flat['zh-CN'].entries;
    for (const [key, enValue] of flat.en.entries) {
      const zhValue = zhEntries.get(key) ?? zhEntries.get(key.replace(PLURAL_SUFFIX, '_other'));
      if (zhValue === undefined) continue; // reported by the key test
      if (variables(zhValue).join() !== variables(enValue).join()) mismatched.push(key);
    }
    expect(mismatched).toEqual([]);
  });
});
