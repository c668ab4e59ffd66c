import type { TLang } from '../../../../src/schemas/objections.ts';
import type { TPlaybookObjection, TResponseSort } from '../../api/playbook.ts';
import type { Language } from '../../i18n/languages.ts';

export type TPlaybookResponse = TPlaybookObjection['responses'][number];

/** The API's language for an interface language. */
export function apiLang(language: Language): TLang {
  return language === 'en' ? 'en' : 'zh';
}

/** Text in the language asked for, else the other one (a team may fill only one). */
export function inLang(value: { zh: string; en: string }, lang: TLang): string {
  const other: TLang = lang === 'zh' ? 'en' : 'zh';
  return value[lang] || value[other];
}

/** The other language's text, when it is written and differs. */
export function otherLang(value: { zh: string; en: string }, lang: TLang): string | null {
  const other: TLang = lang === 'zh' ? 'en' : 'zh';
  return value[other] && value[other] !== inLang(value, lang) ? value[other] : null;
}

export function objectionTitle(objection: TPlaybookObjection, lang: TLang): string {
  return inLang(objection.label, lang) || inLang(objection, lang);
}

/**
 * Responses in the order asked for: the preferred first (then as written), or by how well they work — the
 * lower bound of the 95 % Wilson interval, so two meetings out of two do not beat 30 out of 60 — then uses.
 */
export function sortResponses(
  responses: readonly TPlaybookResponse[],
  sort: TResponseSort,
): TPlaybookResponse[] {
  const list = [...responses];
  if (sort === 'preferred') {
    return list.sort((a, b) => Number(b.preferred) - Number(a.preferred));
  }
  return list.sort(
    (a, b) =>
      b.stats.wilsonLower - a.stats.wilsonLower ||
      b.stats.count - a.stats.count ||
      Number(b.preferred) - Number(a.preferred),
  );
}

const HAN = /\p{Script=Han}/u;

/**
 * What to mark in a text for a query: each word, and for a Chinese fragment that does not occur as typed
 * (the server matches by character pairs), its pairs of characters.
 */
export function highlightTerms(query: string, text: string): string[] {
  const lower = text.toLowerCase();
  const terms = new Set<string>();
  for (const word of query.trim().toLowerCase().split(/\s+/)) {
    if (!word) continue;
    if (lower.includes(word) || !HAN.test(word) || word.length < 3) {
      terms.add(word);
      continue;
    }
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars.slice(i, i + 2).join(''));
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

export interface TextPart {
  text: string;
  mark: boolean;
}

/** Splits a text into marked and plain parts for the query's terms (case-insensitive). */
export function splitForHighlight(text: string, query: string): TextPart[] {
  const terms = highlightTerms(query, text).filter((term) => term.length > 0);
  if (terms.length === 0) return [{ text, mark: false }];
  const escaped = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(${escaped.join('|')})`, 'giu');
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), mark: false });
    parts.push({ text: match[0], mark: true });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mark: false });
  return parts;
}
