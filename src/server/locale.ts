import type { FastifyRequest } from 'fastify';
import { type Locale, renderMessage } from '../domain/messages.ts';

/**
 * The language of a request's messages, from its Accept-Language header: the first tag that starts with `zh`
 * answers in Chinese (zh-CN), the first that starts with `en` in English. Without a header (scripts, the CLI's
 * remote mode, tests) or with neither language in it: English, the language of `AppError.message`.
 */
export function localeOf(acceptLanguage: string | string[] | undefined): Locale {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function requestLocale(request: Pick<FastifyRequest, 'headers'>): Locale {
  return localeOf(request.headers['accept-language']);
}

/** An error's message in a language: its catalog message when it has one, else its (English) text. */
export function localizedMessage(
  error: { message: string; localized?: Parameters<typeof renderMessage>[0] | null },
  locale: Locale,
): string {
  if (locale === 'en' || !error.localized) return error.message;
  return renderMessage(error.localized, locale);
}
