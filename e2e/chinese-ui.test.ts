// The Chinese interface as a demanding user sees it, in a browser whose own language is English (so nothing may
// lean on the browser's locale): the sign-in page, every page of the manager's on a 390×844 phone (with the add-
// member form, an objection's "what works" panel and a re-plan's commit panel open) and the rep's pages at
// 1280×800, switched to 简体中文 with the header's switch. Each screen fails on
//   - English left in the Chinese UI: visible text, or an aria-label, title, placeholder or alt, that is an
//     English catalog text (web/src/i18n/en.json, or the server's src/domain/messages.ts) or English words with
//     no Chinese (Mantine's own "Toggle password visibility", say); the product name, the language switch's
//     "English" and data (company names, emails, web addresses, file names) aside;
//   - dates and weeks written the English way: Nov 23, 9:05 PM, ISO weeks (W41), or a year after its month
//     (10月 2026);
//   - on the phone, text the layout cuts or crushes: a button label cut off, a badge squeezed below one character,
//     Chinese text stacked one character a line (状 / 态).
// Debian's Chromium via playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../src/domain/messages.ts';
import en from '../web/src/i18n/en.json';
import zh from '../web/src/i18n/zh-CN.json';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  dismissToasts,
  ensureCallsDueToday,
  newBrowserContext,
  signInByApi,
  startDemoWorkspace,
  workspaceToday,
} from './support.ts';

const PHONE = { width: 390, height: 844 } as const;
const LAPTOP = { width: 1280, height: 800 } as const;

/** Flattens a nested catalog into dotted keys. */
function flatten(node: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  return out;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every English text of the two catalogs that is not also the Chinese one, as an anchored pattern (its
 * parameters match anything). Only texts with an English word outside their parameters: "{{name}} ({{role}})"
 * says nothing about the language.
 */
function englishCatalogPatterns(): string[] {
  const zhWeb = flatten(zh);
  const templates: { english: string; chinese: string | undefined; parameter: RegExp }[] = [];
  for (const [key, text] of flatten(en))
    templates.push({
      english: text,
      chinese: zhWeb.get(key) ?? zhWeb.get(key.replace(/_(one|other)$/, '_other')),
      parameter: /\{\{[^}]+\}\}/g,
    });
  for (const message of Object.values(MESSAGES))
    templates.push({ english: message.en, chinese: message['zh-CN'], parameter: /\{[\w.]+\}/g });
  const patterns = new Set<string>();
  for (const { english, chinese, parameter } of templates) {
    if (english === chinese) continue;
    // The words between the parameters keep their spaces: "{a} or {b}" is not in "Harbor".
    const literal = english.trim().split(parameter);
    if (!literal.some((part) => /[A-Za-z]{2,}/.test(part))) continue;
    patterns.add(`^${literal.map(escapeRegExp).join('.+?')}$`);
  }
  return [...patterns];
}

const ENGLISH_CATALOG = englishCatalogPatterns();

/** Dates, times and weeks as English writes them, or out of Chinese order. */
const FOREIGN_FORMATS = [
  /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{1,2}\b/.source,
  /\b\d{1,2}:\d{2} ?[AP]M\b/.source,
  /(^|[^\w-])(\d{4}-)?W\d{1,2}\b/.source,
  /\d{1,2}月 \d{4}/.source,
];

interface Checks {
  catalog: string[];
  formats: string[];
  /** Layout checks too (on the phone). */
  layout: boolean;
}

/** What a demanding Chinese reader would point at on the screen as it is now. */
function problemsOnScreen(page: Page, layout: boolean): Promise<string[]> {
  const checks: Checks = { catalog: ENGLISH_CATALOG, formats: FOREIGN_FORMATS, layout };
  return page.evaluate(({ catalog, formats, layout }: Checks) => {
    const problems = new Set<string>();
    const englishCatalog = catalog.map((source) => new RegExp(source));
    const foreignFormats = formats.map((source) => new RegExp(source));
    const cjk = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
    const word = /[A-Za-z]{2,}/;
    // Names that are the same in every language, and data: emails, web addresses, file names, codes.
    const sameInEveryLanguage = new Set(['Tierline', 'English']);
    const isData = (text: string) =>
      /@/.test(text) || /^[\w.-]+\.[a-z]{2,4}(\/\S*)?$/i.test(text) || /^[A-Z0-9]{6,}$/.test(text);
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const hidden = (element: Element) =>
      element.closest('[aria-hidden="true"], script, style, .visually-hidden') !== null;
    const describe = (element: Element) =>
      `<${element.tagName.toLowerCase()}${element.getAttribute('data-testid') ? ` data-testid="${element.getAttribute('data-testid')}"` : ''}>`;

    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style') || !visible(parent)) continue;
      // A company's name is data; the account links and headings that show one say so with a data-testid or
      // link to the account.
      if (englishCatalog.some((pattern) => pattern.test(text)))
        problems.add(`English text "${text}" in ${describe(parent)}`);
      // React may split one element's text into several nodes ({month}{year}): read the element's whole text.
      const whole =
        parent.childElementCount === 0 ? (parent.textContent?.replace(/\s+/g, ' ').trim() ?? text) : text;
      for (const pattern of foreignFormats)
        if (pattern.test(whole)) problems.add(`date or week written the English way: "${whole}"`);
      if (layout && cjk.test(text)) {
        // One character a line: a column squeezed to the width of a single character.
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
        const characters = [...text.replace(/\s/g, '')].length;
        if (lines >= 2 && characters / lines < 1.5)
          problems.add(`"${text}" stacked one character a line in ${describe(parent)}`);
      }
    }

    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (hidden(element)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(name)?.trim();
        if (!value) continue;
        const englishWords = word.test(value) && !cjk.test(value);
        if (
          englishCatalog.some((pattern) => pattern.test(value)) ||
          (englishWords && !sameInEveryLanguage.has(value) && !isData(value))
        )
          problems.add(`English ${name}="${value}" on ${describe(element)}`);
      }
    }

    if (layout) {
      for (const label of document.querySelectorAll('.mantine-Button-label')) {
        if (visible(label) && label.scrollWidth > label.clientWidth + 1)
          problems.add(`button label cut off: "${label.textContent?.trim()}"`);
      }
      for (const element of document.querySelectorAll('body *')) {
        const text = element.textContent?.trim();
        if (!text || element.children.length > 0 || !visible(element) || hidden(element)) continue;
        const style = getComputedStyle(element);
        if (style.overflowX !== 'hidden' && style.textOverflow !== 'ellipsis') continue;
        // 1 px wide and clipped: drawn for screen readers only (Mantine's VisuallyHidden).
        if (element.clientWidth <= 1) continue;
        if (
          element.clientWidth < Number.parseFloat(style.fontSize) &&
          element.scrollWidth > element.clientWidth
        )
          problems.add(`"${text}" squeezed to ${element.clientWidth}px in ${describe(element)}`);
      }
    }
    return [...problems];
  }, checks);
}

describe('the Chinese interface in an English browser', { timeout: 300_000 }, () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  let repId = '';
  let accountId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    workspace = await startDemoWorkspace('chinese-ui');
    ({ baseUrl, browser } = workspace);
    const db = workspace.server.database.kysely;
    const rep = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_REP)
      .executeTakeFirstOrThrow();
    repId = rep.id;
    // A day with calls on the agenda even on a weekend (as e2e/screenshots.test.ts does).
    await ensureCallsDueToday(workspace.server.database, repId, workspaceToday(), 3);
    const account = await db
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select('a.id')
      .where('t.rep_id', '=', repId)
      .where('t.status', '=', 'planned')
      .orderBy('t.due_on')
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
    accountId = account.id;
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  /** An English browser (locale and Intl default en-US), signed in when an email is given. */
  async function englishBrowser(viewport: { width: number; height: number }, email?: string): Promise<Page> {
    const context = await newBrowserContext(browser, { locale: 'en-US', viewport, stepTimeout: 20_000 });
    contexts.push(context);
    if (email) await signInByApi(context, baseUrl, email, DEMO_PASSWORD);
    return context.newPage();
  }

  /** Switches the interface to Chinese with the header's switch (the choice is kept with the user). */
  async function toChinese(page: Page): Promise<void> {
    if ((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN') return;
    await page.locator('.language-switch button[lang="zh-CN"]').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  }

  /** Nothing loading: no spinner, nothing busy, no request in flight. */
  async function settled(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle');
    await expect
      .poll(() => page.locator('main .mantine-Loader-root, main [aria-busy="true"]').count(), {
        timeout: 15_000,
      })
      .toBe(0);
  }

  /** The screen's problems, each prefixed with where it was seen. */
  async function check(page: Page, where: string, layout: boolean): Promise<string[]> {
    await settled(page);
    await dismissToasts(page);
    return (await problemsOnScreen(page, layout)).map((problem) => `${where}: ${problem}`);
  }

  async function visit(page: Page, path: string, layout: boolean, ready?: () => Promise<unknown>) {
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await ready?.();
    return check(page, path, layout);
  }

  it('signs in in Chinese', async () => {
    const page = await englishBrowser(PHONE);
    await page.goto(`${baseUrl}/sign-in`);
    await toChinese(page);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    expect(await check(page, '/sign-in', true)).toEqual([]);
  });

  it("shows the manager's pages, forms and panels in Chinese on a phone", async () => {
    const page = await englishBrowser(PHONE, DEMO_MANAGER);
    await page.goto(`${baseUrl}/dashboard`);
    await toChinese(page);
    const problems: string[] = [];
    const pages: [string, (() => Promise<unknown>)?][] = [
      ['/dashboard', () => page.getByTestId('dashboard-figures').waitFor()],
      ['/today'],
      ['/accounts', () => page.locator('tbody td[data-column="name"] a').first().waitFor()],
      [`/accounts/${accountId}`, () => page.getByTestId('timeline').waitFor()],
      ['/import', () => page.getByTestId('import-file-input').waitFor({ state: 'attached' })],
      ['/market', () => page.locator('[data-testid="market-preview"][aria-busy="false"]').waitFor()],
      [`/plan?rep=${repId}`, () => page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor()],
      ['/playbook', () => page.getByTestId('objection-card').first().waitFor()],
      ['/practice'],
      ['/team', () => page.getByTestId('person-card').first().waitFor()],
      ['/team/skills', () => page.getByTestId('practice-activity').waitFor()],
      ['/settings', () => page.getByTestId('cadence-table').waitFor()],
    ];
    for (const [path, ready] of pages) problems.push(...(await visit(page, path, true, ready)));

    // The add-member form (a password field).
    await visit(page, '/team', true, () => page.getByTestId('person-card').first().waitFor());
    await page.getByRole('button', { name: '添加成员' }).first().click();
    await page.getByRole('dialog', { name: '添加成员' }).waitFor();
    problems.push(...(await check(page, '/team add member', true)));
    await page.keyboard.press('Escape');

    // What works for an objection: the trend by week.
    await visit(page, '/playbook', true, () => page.getByTestId('objection-card').first().waitFor());
    await page.getByRole('button', { name: '效果' }).first().click();
    await page.getByRole('dialog').getByRole('table').first().waitFor();
    problems.push(...(await check(page, '/playbook what works', true)));
    await page.keyboard.press('Escape');

    // A re-plan of the rep's committed plan: the capacity check and the commit panel.
    await visit(page, `/plan?rep=${repId}`, true, () =>
      page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor(),
    );
    await page.getByRole('button', { name: /起重新计划/ }).click();
    await page.getByRole('heading', { name: '提交计划' }).waitFor();
    problems.push(...(await check(page, '/plan re-plan', true)));

    expect(problems).toEqual([]);
  });

  it("shows the rep's pages in Chinese at 1280×800", async () => {
    const page = await englishBrowser(LAPTOP, DEMO_REP);
    await page.goto(`${baseUrl}/today`);
    await toChinese(page);
    const problems: string[] = [];
    const pages: [string, (() => Promise<unknown>)?][] = [
      ['/today', () => page.getByTestId('agenda-item').first().waitFor()],
      ['/accounts', () => page.locator('tbody td[data-column="name"] a').first().waitFor()],
      [`/accounts/${accountId}`, () => page.getByTestId('timeline').waitFor()],
      ['/market'],
      ['/plan', () => page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor()],
      ['/playbook', () => page.getByTestId('objection-card').first().waitFor()],
      ['/practice'],
      ['/dashboard', () => page.getByTestId('dashboard-figures').waitFor()],
      ['/team', () => page.getByTestId('person-card').first().waitFor()],
      ['/team/skills'],
      ['/settings', () => page.getByTestId('cadence-table').waitFor()],
    ];
    for (const [path, ready] of pages) problems.push(...(await visit(page, path, false, ready)));

    // The log form of the first touch due.
    await visit(page, '/today', false, () => page.getByTestId('agenda-item').first().waitFor());
    await page.getByTestId('agenda-item').first().getByRole('button', { name: '详细记录' }).click();
    await page.getByRole('dialog', { name: /记录联系/ }).waitFor();
    problems.push(...(await check(page, '/today log form', false)));

    expect(problems).toEqual([]);
  });
});
