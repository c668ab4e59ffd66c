// A rep reads the target market and the workspace settings but may not change them (the services allow only
// managers and admins): in a real browser over the demo workspace, in English and Chinese, on a desktop and a
// phone, the rep sees the current definition, its counts and tiers and the settings as values with a note
// saying who can change them — no editor, no Save, no Re-tier, and not one request that fails (no 4xx, no
// console error). The manager still gets the editors. Debian's Chromium via playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  DESKTOP,
  type DemoWorkspace,
  expectRendered,
  noHorizontalScroll,
  PHONE,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

/** What the rep sees, per language (the demo's market is "50 or more employees"). */
const TEXT = {
  en: {
    market: 'Target market',
    marketNote: 'Only a manager or admin can change the target market',
    marketIntro: 'The market your team works',
    criterion: 'employees ≥ 50',
    settings: 'Settings',
    settingsNote: 'Only a manager or admin can change these settings',
    sectionNote: 'Only a manager or admin can change this.',
    cadenceA: 'Every 1 month',
    createFeed: 'Create feed address',
    forbidden: /^(Re-tier|Change the tiering rule|Save.*|Load criteria.*|Recommended intervals|Undo)$/,
  },
  'zh-CN': {
    market: '目标市场',
    marketNote: '只有经理或管理员可以修改目标市场',
    marketIntro: '团队要做的目标市场',
    criterion: '员工 ≥ 50',
    settings: '设置',
    settingsNote: '只有经理或管理员可以修改这些设置',
    sectionNote: '只有经理或管理员可以修改此项。',
    cadenceA: '每 1 个月',
    createFeed: '创建订阅地址',
    forbidden: /^(重新分级|修改分级规则|保存.*|载入条件.*|恢复推荐间隔|撤销)$/,
  },
} as const;
type Locale = keyof typeof TEXT;

const WORKSPACE_SECTIONS = ['#cadence', '#capacity', '#calendar', '#tiering'] as const;

interface Trouble {
  /** Responses with a 4xx or 5xx status, and console errors or uncaught exceptions. */
  failures: string[];
  /** Every API request the pages sent, as "METHOD /path". */
  requests: string[];
}

/** Records, for every page of the context, each failed response, console error and API request. */
function watch(context: BrowserContext): Trouble {
  const trouble: Trouble = { failures: [], requests: [] };
  const follow = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') trouble.failures.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => trouble.failures.push(`exception: ${error.message}`));
  };
  context.pages().forEach(follow);
  context.on('page', follow);
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) trouble.requests.push(`${request.method()} ${url.pathname}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400)
      trouble.failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return trouble;
}

/** The digits of a number as the page shows it ("1,234" or "1,234" gives 1234). */
async function shownNumber(page: Page, testId: string): Promise<number> {
  return Number(((await page.getByTestId(testId).textContent()) ?? '').replace(/\D/g, ''));
}

async function buttonNames(page: Page, scope: string): Promise<string[]> {
  return page
    .locator(scope)
    .getByRole('button')
    .evaluateAll((buttons) => buttons.map((b) => (b.textContent ?? '').trim()));
}

describe('a rep reads the market and settings', { timeout: 240_000 }, () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    workspace = await startDemoWorkspace('rep-read-only');
    ({ baseUrl, browser } = workspace);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  const combinations = [
    { locale: 'en', viewport: DESKTOP, name: 'English, desktop' },
    { locale: 'zh-CN', viewport: DESKTOP, name: 'Chinese, desktop' },
    { locale: 'en', viewport: PHONE, name: 'English, phone' },
    { locale: 'zh-CN', viewport: PHONE, name: 'Chinese, phone' },
  ] as const satisfies readonly { locale: Locale; viewport: typeof DESKTOP | typeof PHONE; name: string }[];

  for (const { locale, viewport, name } of combinations) {
    it(`shows the market and settings read-only (${name}), with no failed request`, async () => {
      const text = TEXT[locale];
      const page = await signedInPage(browser, baseUrl, DEMO_REP, DEMO_PASSWORD, { locale, viewport });
      const context = page.context();
      contexts.push(context);
      const trouble = watch(context);

      // Market: the note, the definition in words, its counts and tiers; nothing to edit.
      await page.goto(`${baseUrl}/market`);
      await expectRendered(page, text.market);
      // The page's intro speaks to the rep who works the market, not to whoever defines it.
      await page.getByText(text.marketIntro).first().waitFor();
      const note = page.getByTestId('market-read-only');
      await note.waitFor();
      await expect(note.textContent()).resolves.toContain(text.marketNote);
      const definition = page.getByTestId('market-definition');
      await expect(definition.getByTestId('market-definition-criteria').textContent()).resolves.toContain(
        text.criterion,
      );
      await expect(definition.getByTestId('market-definition-saved').textContent()).resolves.toMatch(/1/);
      await page.getByTestId('market-matching').waitFor();
      await page.locator('[data-testid="tier-counts"]').waitFor();
      await page.getByTestId('market-mine').waitFor();
      await page.waitForLoadState('networkidle');

      const tiers = (await (await page.request.get(`${baseUrl}/api/tiers`)).json()) as Record<string, number>;
      expect(await shownNumber(page, 'market-matching')).toBe(
        (tiers.A ?? 0) + (tiers.B ?? 0) + (tiers.C ?? 0),
      );
      const mine = (await (
        await page.request.get(`${baseUrl}/api/accounts?inMarket=true&pageSize=1`)
      ).json()) as { total: number };
      expect(await shownNumber(page, 'market-mine')).toBe(mine.total);
      expect(mine.total).toBeGreaterThan(0);

      const main = page.locator('#main');
      await expect(
        main.locator('input, textarea, select, [role="combobox"], [role="spinbutton"]').count(),
      ).resolves.toBe(0);
      const marketButtons = await buttonNames(page, '#main');
      expect(marketButtons.filter((b) => text.forbidden.test(b))).toEqual([]);
      await expect(page.getByTestId('market-preview').count()).resolves.toBe(0);
      expect(trouble.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
      if (viewport === DESKTOP) expect(await seriousViolations(page)).toEqual([]);
      else await noHorizontalScroll(page);

      // Settings: the workspace's rules as values, each with the note; the rep's own feed and language stay.
      await page.goto(`${baseUrl}/settings`);
      await expectRendered(page, text.settings);
      await expect(page.getByTestId('settings-read-only').textContent()).resolves.toContain(
        text.settingsNote,
      );
      for (const section of WORKSPACE_SECTIONS) {
        const area = page.locator(section);
        await area.getByTestId('settings-read-only-note').waitFor();
        await expect(area.getByTestId('settings-read-only-note').textContent()).resolves.toBe(
          text.sectionNote,
        );
        await expect(
          area.locator('input, textarea, select, button, [role="combobox"], [role="spinbutton"]').count(),
          `${section} has controls`,
        ).resolves.toBe(0);
      }
      await page.locator('#capacity [data-testid="read-only-fields"]').waitFor();
      await page.locator('#calendar [data-testid="read-only-fields"]').waitFor();
      await page.locator('#tiering [data-testid="read-only-fields"]').waitFor();
      await expect(
        page.getByTestId('cadence-table').getByRole('row').nth(1).textContent(),
      ).resolves.toContain(text.cadenceA);
      await expect(
        page.locator('#feeds').getByRole('button', { name: text.createFeed }).isEnabled(),
      ).resolves.toBe(true);
      await expect(page.locator('#language .language-switch button').count()).resolves.toBe(2);
      const settingsButtons = await buttonNames(page, '#main');
      expect(settingsButtons.filter((b) => text.forbidden.test(b))).toEqual([]);
      await page.waitForLoadState('networkidle');
      if (viewport === DESKTOP) expect(await seriousViolations(page)).toEqual([]);
      else await noHorizontalScroll(page);

      expect(trouble.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
      expect(trouble.failures).toEqual([]);
    });
  }

  it('still gives the manager the market editor and the settings forms', async () => {
    const page = await signedInPage(browser, baseUrl, DEMO_MANAGER, DEMO_PASSWORD, { locale: 'en' });
    const context = page.context();
    contexts.push(context);
    const trouble = watch(context);

    await page.goto(`${baseUrl}/market`);
    await expectRendered(page, 'Target market');
    await page
      .locator('[data-testid="market-preview"][aria-busy="false"] [data-testid="market-matching"]')
      .waitFor();
    await page.getByRole('button', { name: 'Re-tier' }).waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).waitFor();
    await page.getByRole('link', { name: 'Change the tiering rule' }).waitFor();
    await expect(page.getByTestId('market-read-only').count()).resolves.toBe(0);
    await page.waitForLoadState('networkidle');
    // One preview, of the current definition (not first one of no criteria at all).
    expect(trouble.requests.filter((r) => r === 'POST /api/market/preview')).toHaveLength(1);

    await page.goto(`${baseUrl}/settings`);
    await expectRendered(page, 'Settings');
    await page.getByTestId('cadence-table').waitFor();
    await expect(page.locator('#cadence input').count()).resolves.toBe(6);
    await page.locator('#capacity').getByRole('button', { name: 'Save' }).waitFor();
    await page.getByTestId('holiday-country').waitFor();
    await page.locator('#tiering').getByRole('button', { name: 'Save and re-tier' }).waitFor();
    await expect(page.getByTestId('settings-read-only').count()).resolves.toBe(0);
    await expect(page.getByTestId('settings-read-only-note').count()).resolves.toBe(0);
    await page.waitForLoadState('networkidle');
    expect(trouble.failures).toEqual([]);
  });

  it('names the manager who saved the current version to the rep', async () => {
    const manager = contexts.at(-1) as BrowserContext;
    const status = (await (await manager.request.get(`${baseUrl}/api/auth/status`)).json()) as {
      csrfToken: string;
      user: { name: string };
    };
    const market = (await (await manager.request.get(`${baseUrl}/api/market`)).json()) as {
      current: { version: number } | null;
    };
    const saved = await manager.request.post(`${baseUrl}/api/market`, {
      data: {
        version: market.current?.version ?? null,
        criteria: { minEmployees: 60 },
        note: 'Narrower for the rep test',
      },
      headers: { 'x-csrf-token': status.csrfToken },
    });
    expect(saved.status()).toBe(200);

    const page = await signedInPage(browser, baseUrl, DEMO_REP, DEMO_PASSWORD, { locale: 'en' });
    contexts.push(page.context());
    const trouble = watch(page.context());
    await page.goto(`${baseUrl}/market`);
    await expectRendered(page, 'Target market');
    const line = page.getByTestId('market-definition-saved');
    await expect.poll(() => line.textContent()).toContain(`by ${status.user.name}`);
    await expect(line.textContent()).resolves.toMatch(/^Version 2 · saved /);
    await expect(page.getByTestId('market-definition-criteria').textContent()).resolves.toContain(
      'employees ≥ 60',
    );
    await page.waitForLoadState('networkidle');
    expect(trouble.failures).toEqual([]);
  });
});
