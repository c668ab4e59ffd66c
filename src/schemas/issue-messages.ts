import { z } from 'zod';
import { type InEachLocale, type Locale, messageOfEnglish, renderMessage } from '../domain/messages.ts';

/** One refusal of a request schema as fastify-type-provider-zod hands it over: the zod issue, flattened. */
export interface SchemaIssue {
  keyword: string;
  message?: string | undefined;
  params?: Record<string, unknown>;
}

type RawIssue = Parameters<NonNullable<ReturnType<typeof z.locales.en>['localeError']>>[0];

let english: ReturnType<typeof z.locales.en> | null = null;
let chinese: ReturnType<typeof z.locales.zhCN> | null = null;

const SIZE_UNITS: Record<string, string> = { string: '个字符', array: '项', set: '项', file: '字节' };
const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  array: '数组',
  object: '对象',
  date: '日期',
  null: '空值（null）',
  undefined: '空',
};

/** Plain Chinese for the refusals people meet most (an empty or too long field, a missing value). */
function commonChinese(issue: Record<string, unknown>, englishText: string): string | null {
  const origin = typeof issue.origin === 'string' ? issue.origin : '';
  const inclusive = issue.inclusive !== false;
  if (issue.code === 'too_small' && typeof issue.minimum !== 'bigint' && issue.minimum !== undefined) {
    const n = Number(issue.minimum);
    if (origin === 'string' && n === 1 && inclusive) return '不能为空';
    const unit = SIZE_UNITS[origin];
    if (unit) return inclusive ? `至少需要 ${n} ${unit}` : `需要多于 ${n} ${unit}`;
    if (origin === 'number' || origin === 'int') return inclusive ? `不能小于 ${n}` : `必须大于 ${n}`;
  }
  if (issue.code === 'too_big' && issue.maximum !== undefined) {
    const n = Number(issue.maximum);
    const unit = SIZE_UNITS[origin];
    if (unit) return inclusive ? `最多 ${n} ${unit}` : `需要少于 ${n} ${unit}`;
    if (origin === 'number' || origin === 'int') return inclusive ? `不能大于 ${n}` : `必须小于 ${n}`;
  }
  if (issue.code === 'invalid_type') {
    // The input is not kept in the issue; its type is named at the end of the English text.
    const received = /, received (\S+)$/.exec(englishText)?.[1];
    if (received === 'undefined') return '必填';
    if (received === 'NaN') return '应为数字';
    const expected = String(issue.expected ?? '');
    const expectedName = TYPE_NAMES[expected] ?? expected;
    return received
      ? `类型不对：应为${expectedName}，实际是${TYPE_NAMES[received] ?? received}`
      : `应为${expectedName}`;
  }
  return null;
}

/**
 * Zod's English for a missing value ("Invalid input: expected string, received undefined") and for a query value
 * that is not a number ("… expected number, received NaN": `?page=abc` coerced) says less than it could.
 */
function plainEnglish(issue: SchemaIssue, text: string): string {
  if (issue.keyword !== 'invalid_type' || !text.startsWith('Invalid input: expected ')) return text;
  const received = /, received (\S+)$/.exec(text)?.[1];
  if (received === 'undefined') return 'required';
  if (received === 'NaN') return 'expected a number';
  return text;
}

/**
 * An issue's message in a language. A message of our schemas (`.min(1, 'company name is required')`) is found
 * in the catalog by its English text; zod's own messages are written again in the language (plain Chinese for
 * the common ones, zod's zh-CN locale for the rest). A custom message the catalog lacks stays English.
 */
export function localizedIssueMessage(issue: SchemaIssue, locale: Locale): string {
  const text = issue.message ?? 'invalid';
  if (locale === 'en') return plainEnglish(issue, text);
  const ours = messageOfEnglish(text);
  if (ours) return renderMessage(ours, locale);
  const raw = { ...(issue.params ?? {}), code: issue.keyword, path: [], message: text } as Record<
    string,
    unknown
  >;
  if (raw.code === 'custom') return text;
  english ??= z.locales.en();
  const isZodsOwn =
    raw.code === 'invalid_type'
      ? text.startsWith('Invalid input: expected ')
      : english.localeError?.(raw as unknown as RawIssue) === text;
  if (!isZodsOwn) return text;
  const common = commonChinese(raw, text);
  if (common) return common;
  chinese ??= z.locales.zhCN();
  const rendered = chinese.localeError?.(raw as unknown as RawIssue);
  return typeof rendered === 'string' ? rendered : (rendered?.message ?? text);
}

/** A zod issue met outside a request schema (a stored or nested query checked by a service), as the server meets them. */
export function schemaIssueOf(issue: z.core.$ZodIssue): SchemaIssue {
  const { code, message, path: _path, ...params } = issue;
  return { keyword: code, message, params };
}

/** A zod issue's message in every language, for a catalog message's parameter (see InEachLocale). */
export function issueInEachLocale(issue: z.core.$ZodIssue): InEachLocale {
  const flat = schemaIssueOf(issue);
  return { en: localizedIssueMessage(flat, 'en'), 'zh-CN': localizedIssueMessage(flat, 'zh-CN') };
}
