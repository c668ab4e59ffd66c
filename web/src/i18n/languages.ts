export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** Names shown in the language switch, each in its own language. */
export const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** Maps a BCP 47 tag (zh, zh-Hans-CN, en-GB...) to a supported language, or null. */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

/** The stored choice, else the first supported browser language, else zh-CN. */
export function pickLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  const fromStore = stored && (LANGUAGES as readonly string[]).includes(stored) ? (stored as Language) : null;
  if (fromStore) return fromStore;
  for (const tag of browserLanguages) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

/** The Intl locale used for numbers and dates in each language. */
export const INTL_LOCALE: Record<Language, string> = { 'zh-CN': 'zh-CN', en: 'en-US' };

/** Narrows i18next's resolved language to a supported one. */
export function toLanguage(resolved: string | undefined): Language {
  return resolved && (LANGUAGES as readonly string[]).includes(resolved)
    ? (resolved as Language)
    : DEFAULT_LANGUAGE;
}
