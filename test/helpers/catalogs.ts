import i18next, { type TFunction } from 'i18next';
import en from '../../web/src/i18n/en.json';
import zh from '../../web/src/i18n/zh-CN.json';

/** The web app's two catalogs as fixed translators (no fallback between them, no escaping), for tests of wording. */
export async function catalogTranslators(): Promise<{ tEn: TFunction; tZh: TFunction }> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  return { tEn: i18n.getFixedT('en'), tZh: i18n.getFixedT('zh-CN') };
}
