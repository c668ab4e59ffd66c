// A full-page screenshot of every main page of the demo workspace, in Chinese and in English, written to
// e2e/screenshots/<page>-<lang>.png (plus Today, the account page and the log form on a 375×812 phone as
// <page>-phone-<lang>.png), for people to look at. Each page is also checked: its h1 rendered, no error
// boundary, no untranslated catalog key on screen. The demo rep shows the rep's pages, the demo manager the
// manager's. Debian's Chromium via playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  dismissToasts,
  ensureCallsDueToday,
  expectRendered,
  noHorizontalScroll,
  PHONE,
  screenshot,
  signedInPage,
  startDemoWorkspace,
  untranslatedKeys,
  workspaceToday,
} from './support.ts';

type Lang = 'zh-CN' | 'en';
const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const SWITCH_LABEL: Record<Lang, string> = { 'zh-CN': '简体中文', en: 'English' };

interface Shot {
  /** The file's name before the language. */
  name: string;
  path: string | (() => string);
  h1: Record<Lang, string | RegExp>;
  /** What shows the page's data has arrived (beyond the h1 and no spinner). */
  ready?: (page: Page) => Promise<unknown>;
}

/** Waits until nothing on the page is loading: no spinner, nothing busy, no request in flight. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect
    .poll(() => page.locator('main .mantine-Loader-root, main [aria-busy="true"]').count(), {
      timeout: 15_000,
    })
    .toBe(0);
}

describe('screenshots of every main page in both languages', { timeout: 120_000 }, () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let accountId = '';
  let repId = '';
  let accountName = '';

  /** A context signed in as a demo user, in the given interface language (saved to the user as a click would). */
  async function signedIn(email: string, viewport?: { width: number; height: number }) {
    const page = await signedInPage(browser, baseUrl, email, DEMO_PASSWORD, {
      viewport,
      stepTimeout: 15_000,
    });
    contexts.push(page.context());
    return page;
  }

  /** Switches the interface language with the header's switch and waits for the page to re-render in it. */
  async function switchTo(page: Page, lang: Lang) {
    const current = await page.evaluate(() => document.documentElement.lang);
    if (current === lang) return;
    await page.getByText(SWITCH_LABEL[lang], { exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
  }

  async function shoot(page: Page, shot: Shot, lang: Lang, suffix = '') {
    const path = typeof shot.path === 'function' ? shot.path() : shot.path;
    await page.goto(`${baseUrl}${path}`);
    await switchTo(page, lang);
    await page.getByRole('heading', { level: 1, name: shot.h1[lang] }).waitFor();
    await shot.ready?.(page);
    await settled(page);
    await dismissToasts(page);
    await expectRendered(page, shot.h1[lang]);
    await screenshot(page, `${shot.name}${suffix}-${lang}.png`);
  }

  beforeAll(async () => {
    workspace = await startDemoWorkspace('screenshots');
    ({ baseUrl, browser } = workspace);
    const { database } = workspace.server;
    // On a weekend or holiday Today holds only the demo's few overdue touches. For a representative picture,
    // move a few of the demo rep's next calls onto today in the database when fewer are due (as
    // e2e/today.test.ts does with arrangeAgenda).
    const rep = await database.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_REP)
      .executeTakeFirstOrThrow();
    repId = rep.id;
    await ensureCallsDueToday(database, rep.id, workspaceToday(), 5);
    const account = await database.kysely
      .selectFrom('planned_touches as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['a.id', 'a.name'])
      .where('t.rep_id', '=', rep.id)
      .where('t.status', '=', 'planned')
      .orderBy('t.due_on')
      .orderBy('a.name')
      .executeTakeFirstOrThrow();
    accountId = account.id;
    accountName = account.name;
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  const agendaReady = (page: Page) => page.getByTestId('agenda-item').first().waitFor();
  const repPages: Shot[] = [
    { name: 'today', path: '/today', h1: { 'zh-CN': '今日', en: 'Today' }, ready: agendaReady },
    {
      name: 'accounts',
      path: '/accounts',
      h1: { 'zh-CN': '客户', en: 'Accounts' },
      ready: (page) => page.locator('tbody td[data-column="name"] a').first().waitFor(),
    },
    {
      name: 'account',
      path: () => `/accounts/${accountId}`,
      h1: { 'zh-CN': /.+/, en: /.+/ },
      // The agenda's first account, by name.
      ready: async (page) => {
        await page.getByRole('heading', { level: 1, name: accountName }).waitFor();
        await page.getByTestId('timeline').waitFor();
      },
    },
    { name: 'playbook', path: '/playbook', h1: { 'zh-CN': '异议应对', en: 'Playbook' } },
    { name: 'practice', path: '/practice', h1: { 'zh-CN': '练习', en: 'Practice' } },
  ];
  const managerPages: Shot[] = [
    {
      name: 'import',
      path: '/import',
      h1: { 'zh-CN': '导入', en: 'Import' },
      ready: (page) => page.getByTestId('import-file-input').waitFor({ state: 'attached' }),
    },
    {
      name: 'market',
      path: '/market',
      h1: { 'zh-CN': '目标市场', en: 'Target market' },
      ready: (page) => page.locator('[data-testid="market-preview"][aria-busy="false"]').waitFor(),
    },
    {
      name: 'plan',
      // The demo rep's plan (the manager's own accounts are none): the committed plan and its calendar.
      path: () => `/plan?rep=${repId}`,
      h1: { 'zh-CN': '计划', en: 'Plan' },
      ready: (page) => page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor(),
    },
    {
      name: 'dashboard',
      path: '/dashboard',
      h1: { 'zh-CN': '业绩看板', en: 'Dashboard' },
      ready: (page) => page.getByTestId('dashboard-figures').waitFor(),
    },
    {
      name: 'team',
      path: '/team',
      h1: { 'zh-CN': '团队', en: 'Team' },
      ready: (page) => page.getByTestId('person-card').first().waitFor(),
    },
    { name: 'team-skills', path: '/team/skills', h1: { 'zh-CN': /技能/, en: /skill/i } },
    { name: 'settings', path: '/settings', h1: { 'zh-CN': '设置', en: 'Settings' } },
  ];

  for (const lang of LANGS) {
    it(`shows the rep's pages in ${lang}`, async () => {
      const page = await signedIn(DEMO_REP);
      for (const shot of repPages) await shoot(page, shot, lang);
    });

    it(`shows the manager's pages in ${lang}`, async () => {
      const page = await signedIn(DEMO_MANAGER);
      for (const shot of managerPages) await shoot(page, shot, lang);
    });

    it(`fits every page of the manager's on a 375×812 phone in ${lang}`, async () => {
      const page = await signedIn(DEMO_MANAGER, PHONE);
      for (const shot of managerPages) {
        await page.goto(`${baseUrl}${typeof shot.path === 'function' ? shot.path() : shot.path}`);
        await switchTo(page, lang);
        await page.getByRole('heading', { level: 1, name: shot.h1[lang] }).waitFor();
        await shot.ready?.(page);
        await settled(page);
        await noHorizontalScroll(page);
      }
    });

    it(`shows Today, the account page and the log form on a 375×812 phone in ${lang}`, async () => {
      const page = await signedIn(DEMO_REP, PHONE);
      await shoot(page, repPages[0] as Shot, lang, '-phone');
      await noHorizontalScroll(page);
      await page
        .getByTestId('agenda-item')
        .first()
        .getByRole('button', { name: lang === 'en' ? 'Log details' : '详细记录' })
        .click();
      const dialog = page.getByRole('dialog', { name: lang === 'en' ? /Log a touch/ : /记录联系/ });
      await dialog.waitFor();
      expect(await untranslatedKeys(page)).toEqual([]);
      await screenshot(page, `log-form-phone-${lang}.png`, false);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await shoot(page, repPages[2] as Shot, lang, '-phone');
      await noHorizontalScroll(page);
    });
  }
});
