import 'i18next';
import type catalog from './zh-CN.json';

// Keys passed to t() are checked against the Chinese catalog; test/web/i18n.test.ts keeps English in step.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof catalog };
  }
}
