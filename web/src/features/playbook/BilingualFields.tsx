import { SimpleGrid, Textarea, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type Lang = 'zh' | 'en';
/** One text in Chinese and in English, as the playbook keeps its objections and responses. */
export type Bilingual = Record<Lang, string>;

export const EMPTY_BILINGUAL: Bilingual = { zh: '', en: '' };

/** What each pair of fields holds: its labels, how long it may be, and how tall it starts (none: one line). */
const KINDS = {
  label: { zh: 'playbook.edit.labelZh', en: 'playbook.edit.labelEn', maxLength: 60, minRows: 0 },
  text: { zh: 'playbook.edit.textZh', en: 'playbook.edit.textEn', maxLength: 500, minRows: 2 },
  response: { zh: 'playbook.edit.responseZh', en: 'playbook.edit.responseEn', maxLength: 2000, minRows: 3 },
} as const;

/** The `lang` attribute of each field, so the browser and screen readers treat the text as that language. */
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

interface Props {
  kind: keyof typeof KINDS;
  value: Bilingual;
  onChange: (lang: Lang, value: string) => void;
  error?: Partial<Record<Lang, ReactNode>>;
}

/**
 * The Chinese and the English field of one text of the playbook side by side (one above the other on a phone):
 * an objection's short name or wording, or a response.
 */
export function BilingualFields({ kind, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const { maxLength, minRows } = KINDS[kind];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {(['zh', 'en'] as const).map((lang) => {
        const field = {
          label: t(KINDS[kind][lang]),
          value: value[lang],
          // Read the value now: a state updater runs later, when the event is gone.
          onChange: (event: { currentTarget: { value: string } }) =>
            onChange(lang, event.currentTarget.value),
          error: error?.[lang],
          maxLength,
          lang: HTML_LANG[lang],
        };
        return minRows > 0 ? (
          <Textarea key={lang} {...field} autosize minRows={minRows} />
        ) : (
          <TextInput key={lang} {...field} />
        );
      })}
    </SimpleGrid>
  );
}
