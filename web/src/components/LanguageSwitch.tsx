import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSaveLanguage } from '../api/auth.ts';
import { changeLanguage } from '../i18n/index.ts';
import { LANGUAGE_NAMES, LANGUAGES, type Language, toLanguage } from '../i18n/languages.ts';

/**
 * 简体中文 / English. Remembered in this browser, and for a signed-in user also on the server, so their
 * language follows them to every device (applied at sign-in by the session gate).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const saveLanguage = useSaveLanguage();
  const current = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  return (
    <SegmentedControl
      size="xs"
      radius="md"
      aria-label={t('language.label')}
      value={current}
      onChange={(value) => {
        void changeLanguage(value as Language);
        saveLanguage(value as Language);
      }}
      data={LANGUAGES.map((language) => ({
        value: language,
        // Each name is in its own language, so screen readers pronounce it right.
        label: <span lang={language}>{LANGUAGE_NAMES[language]}</span>,
      }))}
    />
  );
}
