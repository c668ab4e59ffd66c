// The Chinese interface as a demanding user sees it, in a browser whose own language is English (so nothing may
// lean on the browser's locale): the sign-in page, every page of the manager's on a 390×844 phone (with the add-
// member form, an objection's "what works" panel and a re-plan's commit panel open) and the rep's pages at
// 1280×800, switched to 简体中文 with the header's switch. Each screen fails on
//   - English left in the Chinese UI: visible text, or an aria-label, title, placeholder or alt, that is an
//     English catalog text (web/src/i18n/en.json, or the server's src/domain/messages.ts) or English words with
//     no Chinese (Mantine's own "Toggle password visibility", say); the product name, the language switch's
//     "English" and data (company names, emails, web addresses, file names) aside;
//   - dates and weeks written the English way: Nov 23, 9:05 PM, 11/23/2026, ISO weeks (W41), or a year after its
//     month (10月 2026), also in a field's value; and the browser's own date and time inputs, which follow the
//     browser's language (mm/dd/yyyy, 09:00 PM) whatever the app's;
//   - on the phone, text the layout cuts or crushes: a button label or a field's hint cut off, a badge squeezed
//     below one character, Chinese text stacked one character a line (状 / 态), a count split from its measure word
//     (260 / 次).
// It also checks each page's tab title, the date and time pickers in Chinese (calendar, typing, what is sent) and
// that a touch screen shows no keyboard shortcuts.
// Debian's Chromium via playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../src/domain/messages.ts';
import en from '../web/src/i18n/en.json';
import zh from '../web/src/i18n/zh-CN.json';
import {
  DEMO_ADMIN,
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
  /\b\d{1,2}\/\d{1,2}\/\d{4}\b/.source,
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

    // The browser draws its own date and time inputs in its own language (mm/dd/yyyy, 09:00 PM in an English one).
    for (const input of document.querySelectorAll<HTMLInputElement>(
      'input[type="date"], input[type="time"], input[type="datetime-local"], input[type="month"], input[type="week"]',
    )) {
      if (visible(input) && !hidden(input))
        problems.add(
          `the browser's own ${input.type} input (in the browser's language) in ${describe(input)}`,
        );
    }
    // What a field shows is on screen too: a date in it is written as the app writes dates.
    for (const input of document.querySelectorAll<HTMLInputElement>('input:not([type="hidden"]), textarea')) {
      if (!input.value || !visible(input) || hidden(input)) continue;
      for (const pattern of foreignFormats)
        if (pattern.test(input.value))
          problems.add(`date written the English way in a field: "${input.value}" in ${describe(input)}`);
    }

    if (layout) {
      // A field's hint cut off: the placeholder is wider than the room the field gives its text.
      const canvas = document.createElement('canvas').getContext('2d');
      for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
        if (input.value || !canvas || !visible(input) || hidden(input)) continue;
        const style = getComputedStyle(input);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room =
          input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
        if (canvas.measureText(input.placeholder).width > room + 1)
          problems.add(`placeholder cut off: "${input.placeholder}" in ${describe(input)}`);
      }
      // A count and its measure word on two lines (容量 260 / 次): the digit before and the word are drawn at
      // different heights. Across text nodes too, as a count drawn in its own element is followed by the next.
      const texts: Text[] = [];
      const all = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = all.nextNode(); node; node = all.nextNode()) {
        const parent = node.parentElement;
        if (
          node.textContent &&
          parent &&
          !parent.closest('script, style, .mantine-VisuallyHidden-root') &&
          !hidden(parent) &&
          visible(parent)
        )
          texts.push(node as Text);
      }
      const boxOf = (node: Text, offset: number) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect();
      };
      // Characters on one line overlap in height, whatever their size (a big count beside small words).
      const sameLine = (a: DOMRect, b: DOMRect) => a.top < b.bottom - 1 && b.top < a.bottom - 1;
      const unit = /^ ?[次个家位条项人天周]/;
      texts.forEach((node, index) => {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\d(?= ?[次个家位条项人天周]|$| $)/g)) {
          const at = match.index ?? 0;
          const rest = text.slice(at + 1);
          let next: { node: Text; offset: number } | null = null;
          if (unit.test(rest)) next = { node, offset: at + 1 + (rest.startsWith(' ') ? 1 : 0) };
          else {
            const following = texts[index + 1];
            const lead = following?.textContent ?? '';
            if (following && rest.trim() === '' && unit.test(rest + lead))
              next = { node: following, offset: lead.startsWith(' ') ? 1 : 0 };
          }
          if (next && !sameLine(boxOf(node, at), boxOf(next.node, next.offset))) {
            const parent = node.parentElement as Element;
            problems.add(
              `count split from its measure word: "${(parent.closest('p, li, td, div') ?? parent).textContent?.trim()}"`,
            );
          }
        }
      });

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
  let accountName = '';
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
      .select(['a.id', 'a.name'])
      .where('t.rep_id', '=', repId)
      .where('t.status', '=', 'planned')
      .orderBy('t.due_on')
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
    accountId = account.id;
    accountName = account.name;
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  /** An English browser (locale and Intl default en-US), signed in when an email is given. */
  async function englishBrowser(
    viewport: { width: number; height: number },
    email?: string,
    touch = false,
  ): Promise<Page> {
    const context = await newBrowserContext(browser, {
      locale: 'en-US',
      viewport,
      stepTimeout: 20_000,
      touch,
    });
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

  it('keeps each figure of the capacity check whole on a phone: 容量 200 次, not 容量 / 200 次', async () => {
    // The whole workspace's re-plan, as the admin sees it: the largest figures.
    const page = await englishBrowser(PHONE, DEMO_ADMIN);
    await page.goto(`${baseUrl}/plan?replan=1`);
    await toChinese(page);
    await page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor();
    await page.locator('[data-channel] p').first().waitFor();
    const figures = await page.evaluate(() => {
      const found: { text: string; lines: number }[] = [];
      for (const line of document.querySelectorAll('[data-channel] p')) {
        // Where each character of the line is: its text nodes one after the other.
        const nodes: { node: Text; from: number }[] = [];
        let text = '';
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          nodes.push({ node: node as Text, from: text.length });
          text += node.textContent ?? '';
        }
        const at = (offset: number) => {
          const hit = [...nodes].reverse().find((n) => n.from <= offset) ?? nodes[0];
          return hit ? { node: hit.node, offset: offset - hit.from } : null;
        };
        // A short word, its count and the measure word: 容量 200 次, 合计 1,134 次.
        for (const match of text.matchAll(/(?<=^|[\s·])[\u3400-\u9fff]{1,4} [\d.,]+ 次/g)) {
          const start = at(match.index ?? 0);
          const end = at((match.index ?? 0) + match[0].length - 1);
          if (!start || !end) continue;
          const range = document.createRange();
          range.setStart(start.node, start.offset);
          range.setEnd(end.node, end.offset + 1);
          const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
          const lines = tops.filter((top, i) => tops.findIndex((t) => Math.abs(t - top) < 4) === i).length;
          found.push({ text: match[0], lines });
        }
      }
      return found;
    });
    expect(figures.some((figure) => figure.text.startsWith('容量'))).toBe(true);
    expect(figures.filter((figure) => figure.lines !== 1)).toEqual([]);
  });

  it("keeps each of the plan's daily capacities whole on a 375 px phone: 拜访 4, not 拜 / 访 4", async () => {
    // 375 px wide: the fact's column is a pixel short of the line there (at 390 px it fits).
    const page = await englishBrowser({ width: 375, height: 812 }, DEMO_REP);
    await page.goto(`${baseUrl}/plan`);
    await toChinese(page);
    const capacity = page.getByTestId('plan-current-capacity');
    await capacity.waitFor();
    const items = await capacity.evaluate((element) => {
      const text = element.textContent ?? '';
      const nodes: { node: Text; from: number }[] = [];
      let length = 0;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node: node as Text, from: length });
        length += node.textContent?.length ?? 0;
      }
      const at = (offset: number) => {
        const hit = [...nodes].reverse().find((n) => n.from <= offset) ?? nodes[0];
        return hit ? { node: hit.node, offset: offset - hit.from } : null;
      };
      // 电话 40, 拜访 4: each word with its count, and the lines it is drawn on.
      return [...text.matchAll(/[\u3400-\u9fff]+ [\d,]+/g)].map((match) => {
        const start = at(match.index ?? 0);
        const end = at((match.index ?? 0) + match[0].length - 1);
        const range = document.createRange();
        if (start && end) {
          range.setStart(start.node, start.offset);
          range.setEnd(end.node, end.offset + 1);
        }
        const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
        return {
          text: match[0],
          lines: tops.filter((top, i) => tops.findIndex((t) => Math.abs(t - top) < 4) === i).length,
        };
      });
    });
    expect(items.map((item) => item.text.split(' ')[0])).toEqual(['电话', '拜访']);
    expect(items.filter((item) => item.lines !== 1)).toEqual([]);
  });

  it('names every page in its tab, in Chinese: the account by its name', async () => {
    const page = await englishBrowser(LAPTOP, DEMO_MANAGER);
    await page.goto(`${baseUrl}/dashboard`);
    await toChinese(page);
    const paths = [
      '/dashboard',
      '/today',
      '/accounts',
      `/accounts/${accountId}`,
      '/import',
      '/market',
      `/plan?rep=${repId}`,
      '/playbook',
      '/practice',
      '/team',
      '/team/skills',
      '/settings',
      '/no-such-page',
    ];
    const titles = new Map<string, string>();
    for (const path of paths) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await settled(page);
      titles.set(path, await page.title());
    }
    expect(titles.get(`/accounts/${accountId}`)).toBe(`${accountName} · Tierline`);
    expect(titles.get('/team/skills')).toBe(`${zh.skills.team.title} · Tierline`);
    expect(titles.get('/no-such-page')).toBe(`${zh.notFound.title} · Tierline`);
    const cjk = /[\u3400-\u9fff]/;
    for (const [path, title] of titles) {
      expect(title, path).toMatch(/^.+ · Tierline$/);
      if (path !== `/accounts/${accountId}`) expect(title, path).toMatch(cjk);
    }
    // Every page its own title: no two pages share one.
    expect(new Set(titles.values()).size).toBe(titles.size);
  });

  it('shows no keyboard shortcuts on a touch screen, and shows them with a keyboard', async () => {
    const TABLET = { width: 820, height: 1180 } as const;
    /** Keys drawn on screen (<kbd>) and sentences that name keys to press. */
    const keyboardHints = (page: Page) =>
      page.evaluate(() => {
        const visible = (element: Element) => {
          const box = element.getBoundingClientRect();
          const style = getComputedStyle(element);
          return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
        };
        const hints = new Set<string>();
        for (const kbd of document.querySelectorAll('kbd'))
          if (visible(kbd)) hints.add(`key ${kbd.textContent?.trim()}`);
        for (const button of document.querySelectorAll('[aria-label="键盘快捷键"]'))
          if (visible(button)) hints.add('the keyboard shortcuts button');
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent?.trim() ?? '';
          if (/Ctrl|1–4|Enter|键盘/.test(text) && node.parentElement && visible(node.parentElement))
            hints.add(`"${text}"`);
        }
        return [...hints];
      });
    /** The hints on Today, in the log form and on a practice card. */
    async function hintsSeen(page: Page): Promise<string[]> {
      const seen: string[] = [];
      await page.goto(`${baseUrl}/today`);
      await toChinese(page);
      await page.getByTestId('agenda-item').first().waitFor();
      seen.push(...(await keyboardHints(page)).map((hint) => `/today: ${hint}`));
      await page.getByTestId('agenda-item').first().getByRole('button', { name: '详细记录' }).click();
      const dialog = page.getByRole('dialog', { name: /记录联系/ });
      await dialog.waitFor();
      seen.push(...(await keyboardHints(page)).map((hint) => `log form: ${hint}`));
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.goto(`${baseUrl}/practice`);
      await page.getByTestId('drill-begin').waitFor();
      seen.push(...(await keyboardHints(page)).map((hint) => `/practice: ${hint}`));
      await page.getByTestId('drill-begin').click();
      seen.push(...(await keyboardHints(page)).map((hint) => `practice card: ${hint}`));
      await page.getByText('口头回答').click();
      await page.getByTestId('drill-reveal').click();
      await page.getByTestId('drill-prepared').waitFor();
      seen.push(...(await keyboardHints(page)).map((hint) => `practice rating: ${hint}`));
      return seen;
    }

    const touch = await englishBrowser(TABLET, DEMO_REP, true);
    expect(await touch.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches)).toBe(true);
    expect(await hintsSeen(touch)).toEqual([]);
    // The same screens with a mouse and a keyboard do show them.
    const desk = await englishBrowser(TABLET, DEMO_REP);
    const shown = await hintsSeen(desk);
    for (const where of ['/today', 'log form', '/practice', 'practice card', 'practice rating'])
      expect(
        shown.some((hint) => hint.startsWith(`${where}:`)),
        where,
      ).toBe(true);
  });

  it('picks the day and time of a touch in Chinese, typed or from the calendar, and sends them as before', async () => {
    const page = await englishBrowser(LAPTOP, DEMO_REP);
    await page.goto(`${baseUrl}/today`);
    await toChinese(page);
    const item = page.getByTestId('agenda-item').first();
    await item.waitFor();
    const href = (await item.locator('a[href^="/accounts/"]').first().getAttribute('href')) ?? '';
    const account = decodeURIComponent(href.split('/').pop() ?? '');
    await item.getByRole('button', { name: '详细记录' }).click();
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();

    const shift = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const written = (date: string) => {
      const [y, m, d] = date.split('-').map(Number);
      return `${y}年${m}月${d}日`;
    };
    const longDay = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'full', timeZone: 'UTC' });
    const today = workspaceToday();
    const yesterday = shift(today, -1);

    // Yesterday: the day written as the app writes it, not 11/26/2026; the time as hours and minutes, not 09:00 PM.
    await dialog.locator('label', { hasText: '昨天' }).click();
    const date = dialog.getByTestId('when-date');
    await expect.poll(() => date.inputValue()).toBe(written(yesterday));
    const hours = dialog.getByRole('spinbutton', { name: '小时' });
    const minutes = dialog.getByRole('spinbutton', { name: '分钟' });
    await hours.waitFor();
    const problems = await check(page, 'log form, yesterday', false);

    // The calendar: its month in Chinese order, weeks from Monday, days named in Chinese.
    await date.click();
    const calendar = page.locator('[data-dates-dropdown]');
    await calendar.waitFor();
    await expect(calendar.locator('thead th').allTextContents()).resolves.toEqual([
      '一',
      '二',
      '三',
      '四',
      '五',
      '六',
      '日',
    ]);
    expect(await calendar.getByRole('button', { name: /^\d{4}年\d{1,2}月$/ }).count()).toBe(1);
    problems.push(...(await check(page, 'log form calendar', false)));

    // Typed the way people type it, read as that day; a day picked from the calendar.
    const typed = shift(today, -2);
    await date.fill(typed);
    await expect.poll(() => date.getAttribute('data-value')).toBe(typed);
    const picked = shift(today, -3);
    await calendar.getByRole('button', { name: longDay.format(new Date(`${picked}T00:00:00Z`)) }).click();
    await calendar.waitFor({ state: 'hidden' });
    await expect.poll(() => date.inputValue()).toBe(written(picked));
    // The time typed as four digits.
    await hours.click();
    await page.keyboard.type('0930');
    await expect.poll(() => minutes.inputValue()).toBe('30');
    await expect(hours.inputValue()).resolves.toBe('09');
    problems.push(...(await check(page, 'log form, another day', false)));
    expect(problems).toEqual([]);

    // Sent as before: that day and time on the workspace's clock (Asia/Shanghai).
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const touches = (await (
      await page.request.get(`${baseUrl}/api/accounts/${encodeURIComponent(account)}/touches`)
    ).json()) as { occurredAt: string }[];
    expect(touches.some((t) => Date.parse(t.occurredAt) === Date.parse(`${picked}T09:30:00+08:00`))).toBe(
      true,
    );
  });

  it("picks a rep's days off from a Chinese calendar on a phone's touch screen", async () => {
    const page = await englishBrowser(PHONE, DEMO_MANAGER, true);
    await page.goto(`${baseUrl}/team`);
    await toChinese(page);
    const card = page.getByTestId('person-card').filter({ hasText: DEMO_REP });
    await card.getByRole('button', { name: /的操作$/ }).click();
    await page.getByRole('menuitem', { name: zh.people.daysOff.action }).click();
    const dialog = page.getByRole('dialog');
    const date = dialog.getByTestId('day-off-date');
    await date.waitFor();
    // No on-screen keyboard over the calendar: a tap opens it, a tap picks the day.
    await expect(date.getAttribute('inputmode')).resolves.toBe('none');
    await date.tap();
    const calendar = page.locator('[data-dates-dropdown]');
    await calendar.waitFor();
    const problems = await check(page, '/team days off calendar', true);
    expect(problems).toEqual([]);
    await calendar.getByRole('button', { name: '下个月' }).tap();
    const day = calendar.locator('tbody button:not([data-outside])').nth(14);
    const label = (await day.getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日星期[一二三四五六日]$/);
    await day.tap();
    await calendar.waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: zh.people.daysOff.add }).tap();
    await dialog
      .getByRole('list')
      .getByText(label.replace(/星期.$/, ''))
      .waitFor();
    await page.keyboard.press('Escape');
  });
});
