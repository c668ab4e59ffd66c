import { type Locale, MESSAGES, type Message, type MessageParamValue, renderMessage } from './messages.ts';

/*
 * A message kept where only text fits (a job's failure in `import_jobs.error`) or that crosses a worker thread's
 * postMessage as plain data, so that it can still be shown later in the reader's language.
 *
 * Stored form: the English text alone when there is no catalog message; with one, a JSON object
 * `{"en": "<English text>", "message": {"key": …, "params": …}}` (the English stays readable in the column).
 * Anything else, such as plain text written before messages were stored this way, reads as plain English text,
 * so nothing stored is ever lost.
 */

/** A stored message read back: its English text and, when it was stored with one, the catalog message. */
export interface StoredMessage {
  readonly text: string;
  readonly message: Message | null;
}

const MAX_DEPTH = 8;

function paramFrom(value: unknown, depth: number): MessageParamValue | null {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if ('key' in value) return messageFromData(value, depth + 1);
  const { en, 'zh-CN': zh } = value as { en?: unknown; 'zh-CN'?: unknown };
  return typeof en === 'string' && typeof zh === 'string' ? { en, 'zh-CN': zh } : null;
}

/**
 * A catalog message from plain data (parsed JSON, a structured clone), checked all the way down: a key the
 * catalog has, parameters that are text, numbers, text in each language or such messages. Null otherwise (a
 * key a later version renamed, say), so that rendering never meets a key it does not know.
 */
export function messageFromData(value: unknown, depth = 0): Message | null {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return null;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (typeof key !== 'string' || !Object.hasOwn(MESSAGES, key)) return null;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
  const checked: Record<string, MessageParamValue> = {};
  for (const [name, param] of Object.entries(params)) {
    const parsed = paramFrom(param, depth);
    if (parsed === null) return null;
    checked[name] = parsed;
  }
  return { key: key as Message['key'], params: checked };
}

/**
 * The text to store for a message: `english` cut to `maxChars` when there is no catalog message (or the JSON
 * would be more than four times as long), else the JSON form above.
 */
export function storedMessageText(english: string, message: Message | null, maxChars = 2000): string {
  const text = english.slice(0, maxChars);
  if (!message) return text;
  const json = JSON.stringify({ en: text, message });
  return json.length <= maxChars * 4 ? json : text;
}

/** The text to store for a catalog message (see storedMessageText). */
export const storedMessage = (message: Message, maxChars = 2000): string =>
  storedMessageText(renderMessage(message, 'en'), message, maxChars);

/** Reads what `storedMessageText` wrote; any other text is English text without a catalog message. */
export function readStoredMessage(stored: string): StoredMessage {
  if (!stored.startsWith('{"en":')) return { text: stored, message: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { text: stored, message: null };
  }
  const { en, message } = (parsed ?? {}) as { en?: unknown; message?: unknown };
  if (typeof en !== 'string') return { text: stored, message: null };
  return { text: en, message: messageFromData(message) };
}

/** A stored message in a language: the catalog message rendered when it has one, else its English text. */
export function renderStoredMessage(stored: string, locale: Locale): string {
  const { text, message } = readStoredMessage(stored);
  return message && locale !== 'en' ? renderMessage(message, locale) : text;
}
