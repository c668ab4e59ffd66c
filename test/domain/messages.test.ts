import { describe, expect, it } from 'vitest';
import { AppError, notFound } from '../../src/domain/errors.ts';
import {
  counted,
  LOCALES,
  MESSAGES,
  type MessageKey,
  messageOfEnglish,
  msg,
  renderMessage,
  templateParams,
} from '../../src/domain/messages.ts';
import webZh from '../../web/src/i18n/zh-CN.json';

const entries = Object.entries(MESSAGES) as [MessageKey, (typeof MESSAGES)[MessageKey]][];
const sorted = (names: string[]) => [...new Set(names)].sort();

/** Every Chinese text: the server's catalog by key and the web app's by dotted path. */
function chineseTexts(): [string, string][] {
  const web: [string, string][] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string') web.push([path, node]);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(webZh, '');
  expect(web.length).toBeGreaterThan(100);
  return [...entries.map(([key, t]): [string, string] => [key, t['zh-CN']]), ...web];
}

describe('message catalog', () => {
  it('has every message in every language, with the same parameters', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const [key, templates] of entries) {
      for (const locale of LOCALES) {
        expect(templates[locale].trim(), `${key} ${locale}`).not.toBe('');
      }
      expect(sorted(templateParams(templates['zh-CN'])), key).toEqual(sorted(templateParams(templates.en)));
    }
  });

  it('writes the Chinese in Chinese, keeping the field a message names first', () => {
    for (const [key, templates] of entries) {
      const zh = templates['zh-CN'];
      // Templates that are only parameters and punctuation ('{path}: {message}') have nothing to translate.
      const words = zh.replace(/\{[A-Za-z0-9]+\}/g, '').replace(/[\s:：]/g, '');
      if (words) expect(zh, key).toMatch(/[\u4e00-\u9fff]/);
      // "teamId: …" → "teamId: …": the web app strips `${details.field}: ` under the field (form-errors.ts).
      const prefix = /^(\{field\}|[a-z][A-Za-z.]*): /.exec(templates.en)?.[0];
      // A job's state is no field: "interrupted: …" is a sentence (import_jobs.error), translated as one.
      if (prefix && prefix !== 'interrupted: ') expect(zh.startsWith(prefix), key).toBe(true);
    }
  });

  it('quotes a value in Chinese quotation marks (“…”), never straight double quotes, in every Chinese text', () => {
    // A straight quote right before or after a placeholder: '异议 "{id}"', '"{date}" 不是', web's '"{{name}}"'.
    const straight = /"\s*\{\{?[^{}]+\}\}?|\{\{?[^{}]+\}\}?\s*"/;
    expect(chineseTexts().filter(([, text]) => straight.test(text))).toEqual([]);
    expect(renderMessage(msg('calendar.not_a_date', { date: '2026-02-30' }), 'zh-CN')).toBe(
      '“2026-02-30”不是有效的日期：请写成 YYYY-MM-DD，例如 2025-03-01。',
    );
  });

  it('counts accounts, which are companies, with 家 in every Chinese text: 159 家客户, never 159 个客户', () => {
    expect(chineseTexts().filter(([, text]) => text.includes('个客户'))).toEqual([]);
    expect(renderMessage(msg('import_summary.created_other', { count: 159 }), 'zh-CN')).toBe(
      '新建 159 家客户',
    );
  });

  it('renders parameters, nested messages included', () => {
    const message = msg('access.only_roles', {
      who: msg('role.or', { a: msg('role.admin'), b: msg('role.manager') }),
      what: msg('action.define territories'),
    });
    expect(renderMessage(message, 'en')).toBe('Only an admin or a manager can define territories.');
    expect(renderMessage(message, 'zh-CN')).toBe('只有管理员或经理可以划定区域。');
    expect(renderMessage(msg('auth.password_too_short', { min: 10, length: 3 }), 'zh-CN')).toBe(
      '密码至少需要 10 个字符（现在是 3 个）。',
    );
  });

  it('says a count of 1 in the singular in English, as Chinese always says it', () => {
    // The convention: a `_one` and an `_other` form with the same parameters, {count} among them.
    for (const key of Object.keys(MESSAGES)) {
      const base = /^(.+)_(one|other)$/.exec(key)?.[1];
      if (!base) continue;
      const one = MESSAGES[`${base}_one` as MessageKey];
      const other = MESSAGES[`${base}_other` as MessageKey];
      expect(one && other, `${base}_one and ${base}_other`).toBeTruthy();
      expect(sorted(templateParams(one.en)), base).toEqual(sorted(templateParams(other.en)));
      expect(templateParams(one.en), base).toContain('count');
    }
    const en = (n: number, base: Parameters<typeof counted>[0]) => renderMessage(counted(base, n), 'en');
    const zh = (n: number, base: Parameters<typeof counted>[0]) => renderMessage(counted(base, n), 'zh-CN');
    expect(en(1, 'auth.wait_seconds')).toBe('1 second');
    expect(en(45, 'auth.wait_seconds')).toBe('45 seconds');
    expect(en(1, 'auth.wait_minutes')).toBe('1 minute');
    expect(en(3, 'auth.wait_minutes')).toBe('3 minutes');
    expect(en(1, 'plan.unplaced_suffix')).toBe(', and 1 touch found no day within ±20% of its interval');
    expect(en(2, 'plan.unplaced_suffix')).toBe(', and 2 touches found no day within ±20% of their interval');
    expect(en(0, 'plan.unplaced_suffix')).toBe(', and 0 touches found no day within ±20% of their interval');
    expect([zh(1, 'auth.wait_seconds'), zh(2, 'auth.wait_seconds')]).toEqual([' 1 秒', ' 2 秒']);
    expect([zh(1, 'auth.wait_minutes'), zh(5, 'auth.wait_minutes')]).toEqual([' 1 分钟', ' 5 分钟']);
    expect(zh(1, 'plan.unplaced_suffix')).toBe('，另有 1 次联系在间隔 ±20% 的范围内找不到可排的日子');
    expect(
      renderMessage(msg('auth.too_many_attempts', { wait: counted('auth.wait_seconds', 1) }), 'en'),
    ).toBe('Too many sign-in attempts. Wait 1 second and try again.');
  });

  it('finds a schema message by its English text, parameters included', () => {
    expect(messageOfEnglish('company name is required')).toEqual({
      key: 'schema.required_company_name',
      params: {},
    });
    const twice = messageOfEnglish(
      'response code p-1 is used twice in this objection; give each response its own code',
    );
    expect(twice).toEqual({ key: 'schema.response_code_twice', params: { code: 'p-1' } });
    expect(twice && renderMessage(twice, 'zh-CN')).toBe(
      '话术代码 p-1 在这条异议中用了两次；每条话术要有自己的代码',
    );
    // Only the schemas' messages are matched with parameters: a service's message is not text to parse.
    expect(messageOfEnglish('Account a1 does not exist (or you may not see it).')).toBeNull();
    expect(messageOfEnglish('no such text')).toBeNull();
  });
});

describe('AppError with a catalog message', () => {
  it('keeps the English text as its message and the catalog message for the server', () => {
    const error = notFound('Account', 'a1');
    expect(error.message).toBe('Account a1 does not exist (or you may not see it).');
    expect(error.details).toEqual({ id: 'a1' });
    expect(error.localized && renderMessage(error.localized, 'zh-CN')).toBe(
      '客户 a1 不存在（或你无权查看）。',
    );
    const plain = new AppError('conflict', 'Plain English.');
    expect(plain.message).toBe('Plain English.');
    expect(plain.localized).toBeNull();
  });
});
