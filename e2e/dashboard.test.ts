// The dashboard in a real browser, as the demo manager: signing in lands on it, the charts and tables show the
// team's figures, a figure opens the Accounts list with exactly the accounts behind it, the rep selector
// narrows it, English and Chinese labels, axe-core, and a 375×812 phone. Debian's Chromium via playwright-core.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDashboard } from '../src/schemas/dashboard.ts';
import {
  type ContextOptions,
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  newBrowserContext,
  noHorizontalScroll,
  PHONE,
  SCREENSHOTS,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

/** The number in the Accounts page's total ("共 12 家客户" / "12 accounts"). */
async function accountsTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('accounts-total').textContent()) ?? '';
  return Number(text.replace(/\D/g, ''));
}

describe('Dashboard in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshContext() {
    const context = await newBrowserContext(browser);
    contexts.push(context);
    return context;
  }

  /** A fresh profile in Chinese, signed in through the API as the given demo user. */
  async function signedIn(email: string, options: ContextOptions = {}) {
    const page = await signedInPage(browser, baseUrl, email, DEMO_PASSWORD, options);
    contexts.push(page.context());
    return page;
  }

  beforeAll(async () => {
    workspace = await startDemoWorkspace('dashboard');
    ({ baseUrl, browser } = workspace);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await workspace?.close();
  });

  it('lands the manager on the dashboard after sign-in, and the rep on Today', async () => {
    for (const [email, path] of [
      [DEMO_MANAGER, '/dashboard'],
      [DEMO_REP, '/today'],
    ] as const) {
      const page = await (await freshContext()).newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByRole('textbox', { name: /邮箱|Email/ }).fill(email);
      await page.getByLabel(/^(密码|Password)/).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
      await page.waitForURL((url) => url.pathname === path);
    }
  });

  it('shows the team’s figures and drills down from one to the accounts behind it', async () => {
    const page = await signedIn(DEMO_MANAGER);
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByRole('heading', { level: 1, name: '业绩看板' }).waitFor();
    await page.getByTestId('dashboard-figures').waitFor();
    const data = (await (await page.request.get(`${baseUrl}/api/dashboard`)).json()) as TDashboard;
    expect(data.scope.kind).toBe('team');
    expect(data.weeks).toHaveLength(8);
    // The demo's four weeks of logged calls are on screen: the chart drew its bars, the table holds the numbers.
    const done = data.weeks.reduce((sum, w) => sum + w.done.calls, 0);
    expect(done).toBeGreaterThan(0);
    await page.locator('[data-testid="dashboard-weekly"] .recharts-bar-rectangle').first().waitFor();
    await page.getByRole('heading', { level: 2, name: '每周计划与完成' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '分级覆盖率' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '销售漏斗' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '遇到的异议' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '技能阶段' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // The prospects in the funnel: the link opens the Accounts list with stage=prospect and the same count.
    const prospects = data.funnel.find((f) => f.stage === 'prospect')?.accounts ?? 0;
    expect(prospects).toBeGreaterThan(0);
    await page.getByTestId('funnel-prospect').getByRole('link').click();
    await page.waitForURL(
      (url) => url.pathname === '/accounts' && url.searchParams.get('stage') === 'prospect',
    );
    await page.getByTestId('accounts-total').filter({ hasText: /\d/ }).waitFor();
    await expect.poll(() => accountsTotal(page)).toBe(prospects);

    // Coverage: the A accounts not called within their cadence, with the filter shown as a removable chip.
    await page.goBack();
    await page.getByTestId('dashboard-coverage').waitFor();
    const aCalls = data.coverage.find((c) => c.tier === 'A' && c.channel === 'call');
    const missing = (aCalls?.accounts ?? 0) - (aCalls?.covered ?? 0);
    expect(missing).toBeGreaterThan(0);
    await page
      .getByTestId('coverage-A-call')
      .getByRole('link', { name: /未按时联系/ })
      .click();
    await page.waitForURL((url) => url.searchParams.get('uncovered') === 'call');
    await expect.poll(() => accountsTotal(page)).toBe(missing);
    await page.getByTestId('drill-chip-uncovered').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('narrows to one rep and reads in English and Chinese', async () => {
    const page = await signedIn(DEMO_MANAGER);
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByTestId('dashboard-figures').waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Planned and done per week' }).waitFor();
    await page.getByRole('columnheader', { name: 'Not touched' }).waitFor();

    // The rep selector: 李娜's own figures, kept in the URL.
    await page.getByRole('combobox', { name: 'Whose figures' }).click();
    await page.getByRole('option', { name: '李娜' }).click();
    await page.waitForURL((url) => url.searchParams.has('rep'));
    await page
      .getByTestId('dashboard-scope')
      .getByText(/^李娜,/)
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-en.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByText('简体中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '业绩看板' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '每周计划与完成' }).waitFor();
    await page.getByRole('columnheader', { name: '未联系' }).waitFor();
    await page
      .getByTestId('dashboard-scope')
      .getByText(/^李娜，/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fits a 375×812 phone', async () => {
    const page = await signedIn(DEMO_MANAGER, { viewport: PHONE });
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByTestId('dashboard-figures').waitFor();
    await page.locator('[data-testid="dashboard-weekly"] .recharts-bar-rectangle').first().waitFor();
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-phone-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
