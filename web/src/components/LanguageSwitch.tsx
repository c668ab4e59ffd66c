import { useTranslation } from 'react-i18next';
import { useSaveLanguage } from '../api/auth.ts';
import { changeLanguage } from '../i18n/index.ts';
import { LANGUAGE_NAMES, LANGUAGES, toLanguage } from '../i18n/languages.ts';

/**
 * 简体中文 / English. Remembered in this browser, and for a signed-in user also on the server, so their
 * language follows them to every device (applied at sign-in by the session gate).
 *
 * Two toggle buttons styled as a segmented control (global.css, `.language-switch`): Mantine's SegmentedControl
 * measures the page's layout for its sliding indicator on every render and resize, which cost ~0.1 s of every
 * first load in the header (issue 7 §8).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const saveLanguage = useSaveLanguage();
  const current = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  return (
    <fieldset className="language-switch" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          // Each name is in its own language, so screen readers pronounce it right.
          lang={language}
          aria-pressed={language === current}
          onClick={() => {
            if (language === current) return;
            void changeLanguage(language);
            saveLanguage(language);
          }}
        >
          {LANGUAGE_NAMES[language]}
        </button>
      ))}
    </fieldset>
  );
}
