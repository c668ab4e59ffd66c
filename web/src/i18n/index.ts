import i18next, { type BackendModule, type ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/client.ts';
import { warmFormats } from './format.ts';
import { LANGUAGES, type Language, pickLanguage, toLanguage } from './languages.ts';

// The last choice in this browser (used before sign-in); a signed-in user's own language is kept on the server
// and applied by the session gate (features/auth/SessionGate.tsx).
const STORAGE_KEY = 'tierline.language';

// Each catalog is its own chunk: only the language in use is downloaded.
const catalogs: Record<Language, () => Promise<{ default: ResourceLanguage }>> = {
  'zh-CN': () => import('./zh-CN.json'),
  en: () => import('./en.json'),
};

const lazyCatalogs: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, callback) {
    const load = catalogs[language as Language];
    if (!load) {
      callback(new Error(`No catalog for language ${language}`), false);
      return;
    }
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

function readStoredLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, sandboxed frame)
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  // The API answers in the language of the page (its error messages, src/server/locale.ts).
  setRequestLanguage(language);
}

/** Initialises i18next with the remembered or browser language and waits for its catalog. */
export async function initI18n(): Promise<typeof i18next> {
  const language = pickLanguage(readStoredLanguage(), navigator.languages ?? [navigator.language]);
  setRequestLanguage(language);
  // Start downloading the catalog now: i18next asks its backend only after a timer, when the first page's
  // requests have been sent and the server answers them first. The backend's import() gets the same module.
  void catalogs[language]().catch(() => undefined);
  // In the next task, once the requests are on their way.
  setTimeout(() => warmFormats(language), 0);
  i18next.on('languageChanged', applyToDocument);
  await i18next
    .use(lazyCatalogs)
    .use(initReactI18next)
    .init({
      lng: language,
      supportedLngs: [...LANGUAGES],
      fallbackLng: false,
      load: 'currentOnly',
      ns: ['translation'],
      defaultNS: 'translation',
      interpolation: { escapeValue: false },
    });
  return i18next;
}

/** Switches the language and remembers it in this browser. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, but still switched
  }
  await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return toLanguage(i18next.resolvedLanguage ?? i18next.language);
}
