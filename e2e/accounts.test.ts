// The Accounts page in a real browser: a server on a temporary database with the demo workspace,
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAccount, TAccountFacets, TAccountPage } from '../src/schemas/account.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  initialJsBytes,
  launchChromium,
  makeDemoDatabase,
  newBrowserContext,
  prepareBrowserTests,
  SCREENSHOTS,
  type ServeProcess,
  seriousViolations,
  signInByApi,
  startServeProcess,
} from './support.ts';

/** Waits until the table shows the answer to the current URL rather than the previous page. */
async function tableSettled(page: Page) {
  await page.locator('table[aria-busy="false"]').waitFor();
}

describe('Accounts page in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let facets: TAccountFacets;
  let totalBefore = '';

  beforeAll(async () => {
    prepareBrowserTests();
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-'));
    const db = join(dir, 't.db');
    makeDemoDatabase(db);
    // Make the open calls and visits of five more in-market accounts overdue (the demo leaves a few of its own).
    const sqlite = new Database(db);
    sqlite
      .prepare(
        `update planned_touches set due_on = ? where status = 'planned' and account_id in (
           select id from accounts where in_market = 1 and tier in ('A', 'B') order by id limit 5)`,
      )
      .run(new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10));
    sqlite.close();

    server = await startServeProcess(db);
    baseUrl = server.baseUrl;

    browser = await launchChromium();
    // A fresh profile: no stored language, so the browser's zh-CN decides; the machine's own time zone.
    context = await newBrowserContext(browser, { timeZone: null });
    await signInByApi(context, baseUrl, DEMO_MANAGER, DEMO_PASSWORD);
    facets = (await (await context.request.get(`${baseUrl}/api/accounts/facets`)).json()) as TAccountFacets;
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the initial JavaScript well under 300 kB gzipped', () => {
    expect(initialJsBytes()).toBeLessThan(300 * 1024);
  });

  it('lists the demo accounts with Chinese names, in Chinese', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await page.getByRole('heading', { level: 1, name: '客户' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await tableSettled(page);
    const names = await page.locator('tbody td[data-column="name"] a').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((name) => name.includes('有限公司'))).toBe(true);
    await expect(page.getByRole('columnheader', { name: '名称' }).count()).resolves.toBe(1);
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    totalBefore = (await page.getByTestId('accounts-total').textContent()) ?? '';
    expect(totalBefore).toMatch(/^共 [\d,]+ 家客户$/);
    // Money follows the language: 万 and 亿 in Chinese.
    const sales = await page.locator('tbody td[data-column="annualSales"]').allTextContents();
    expect(sales.some((value) => /[万亿]$/.test(value))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-zh.png') });
  });

  it('has no serious or critical accessibility violations in Chinese', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('switches to English and remembers the choice', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('columnheader', { name: 'Name' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await expect(page.getByRole('columnheader', { name: '名称' }).count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    const sales = await page.locator('tbody td[data-column="annualSales"]').allTextContents();
    expect(sales.some((value) => /^¥[\d.,]+[KMB]$/.test(value))).toBe(true);

    await page.reload();
    await page.getByRole('columnheader', { name: 'Name' }).waitFor();
    totalBefore = (await page.getByTestId('accounts-total').textContent()) ?? '';
    expect(totalBefore).toMatch(/^[\d,]+ accounts$/);
  });

  it('filters by province, in the URL, and Back undoes it', async () => {
    const province = facets.provinces[0]?.value;
    expect(province, 'the demo workspace has provinces').toBeTruthy();
    await page.getByRole('combobox', { name: 'Province' }).click();
    await page.getByRole('option', { name: new RegExp(`^${province}`) }).click();
    await page.waitForURL((url) => url.searchParams.get('province') === province);
    await page.getByTestId('accounts-total').filter({ hasNotText: totalBefore }).waitFor();
    await tableSettled(page);

    // The location cell shows the city and, beneath it, the province (or only the city when they are one: 北京市).
    const locations = await page.locator('tbody td[data-column="location"]').allTextContents();
    expect(locations.length).toBeGreaterThan(0);
    expect(locations.filter((text) => !text.includes(province as string))).toEqual([]);
    const totalAfter = await page.getByTestId('accounts-total').textContent();
    expect(totalAfter).not.toBe(totalBefore);
    expect(totalAfter).toMatch(new RegExp(`^${facets.provinces[0]?.count} accounts?$`));
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-en.png') });

    expect(await seriousViolations(page)).toEqual([]);

    // The filtered view is a link that can be shared: a fresh load shows the same rows.
    await page.reload();
    await tableSettled(page);
    await expect(page.getByTestId('accounts-total').textContent()).resolves.toBe(totalAfter);

    await page.goBack();
    await page.getByTestId('accounts-total').filter({ hasText: totalBefore }).waitFor();
    expect(new URL(page.url()).searchParams.has('province')).toBe(false);
  });

  it('searches after a pause in typing, and clears the search', async () => {
    const box = page.getByRole('searchbox', { name: 'Search' });
    // Keys 80 ms apart stay within the debounce: one search, and the box never loses what was typed.
    await box.pressSequentially('Shenzhen', { delay: 80 });
    await page.waitForURL((url) => url.searchParams.get('search') === 'Shenzhen');
    await page.getByTestId('accounts-total').filter({ hasNotText: totalBefore }).waitFor();
    await tableSettled(page);
    await expect(box.inputValue()).resolves.toBe('Shenzhen');
    // The URL changes when the debounce fires, a moment before the table turns busy and long before the rows
    // change (and the total was read in Chinese, before the switch to English): wait for the rows themselves.
    const names = () => page.locator('tbody td[data-column="name"] a').allTextContents();
    const notMatching = async () => {
      const shown = await names();
      return shown.length === 0 ? ['(no rows yet)'] : shown.filter((name) => !/shenzhen/i.test(name));
    };
    await expect.poll(notMatching).toEqual([]);

    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.waitForURL((url) => !url.searchParams.has('search'));
    await page.getByTestId('accounts-total').filter({ hasText: totalBefore }).waitFor();
    await expect(box.inputValue()).resolves.toBe('');
  });

  it('sorts by a column header and opens an account read-only', async () => {
    await page.getByRole('button', { name: 'Employees' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'employees');
    // The biggest first on a first click, and the header says so to assistive technology.
    await page.locator('th[aria-sort="descending"]', { hasText: 'Employees' }).waitFor();
    await tableSettled(page);
    // The table's caption says the order to assistive technology only: it is not drawn under the table.
    const caption = page.locator('table caption');
    await expect(caption.textContent()).resolves.toContain('Employees');
    const captionBox = await caption.boundingBox();
    expect(captionBox?.height ?? 0, 'the caption is drawn').toBeLessThanOrEqual(1);

    const firstName = (await page.locator('tbody td[data-column="name"] a').first().textContent()) ?? '';
    await page.locator('tbody td[data-column="industry"]').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('Firmographics').waitFor();
    await expect(drawer.getByRole('heading', { name: firstName }).count()).resolves.toBe(1);
    await expect(drawer.getByText('Unified social credit code').count()).resolves.toBe(1);
    expect(new URL(page.url()).searchParams.get('account')).toBeTruthy();
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.has('account')).toBe(false);
  });

  /** The API's answer to a list request (the same filters the page sends). */
  async function listed(query: string): Promise<TAccountPage> {
    return (await (await context.request.get(`${baseUrl}/api/accounts?${query}`)).json()) as TAccountPage;
  }
  const totalText = (count: number) => `${count.toLocaleString('en')} account${count === 1 ? '' : 's'}`;

  it('filters by overdue and by tier', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await tableSettled(page);
    await page.getByRole('checkbox', { name: 'Overdue only' }).click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === 'true');
    const overdue = await listed('overdue=true&pageSize=1');
    expect(overdue.total, 'the fixture made accounts overdue').toBeGreaterThan(0);
    await page
      .getByTestId('accounts-total')
      .filter({ hasText: new RegExp(`^${totalText(overdue.total)}$`) })
      .waitFor();

    await page.getByRole('combobox', { name: 'Tier' }).click();
    await page.getByRole('option', { name: /^A · / }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.searchParams.get('tier') === 'A');
    const both = await listed('overdue=true&tier=A&pageSize=100');
    expect(both.total).toBeGreaterThan(0);
    expect(both.total).toBeLessThanOrEqual(overdue.total);
    await page
      .getByTestId('accounts-total')
      .filter({ hasText: new RegExp(`^${totalText(both.total)}$`) })
      .waitFor();
    await tableSettled(page);
    const names = await page.locator('tbody td[data-column="name"] a').allTextContents();
    expect(names.sort()).toEqual(both.items.map((a) => a.name).sort());
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('saves the view and reopens it after a reload', async () => {
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Save current view…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Overdue A accounts');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'View: Overdue A accounts' }).waitFor();

    await page.goto(`${baseUrl}/accounts`);
    await page.reload();
    await tableSettled(page);
    await expect(page.getByTestId('accounts-total').textContent()).resolves.toBe(totalBefore);
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Overdue A accounts' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('overdue') === 'true' && url.searchParams.get('tier') === 'A',
    );
    const both = await listed('overdue=true&tier=A&pageSize=1');
    await page
      .getByTestId('accounts-total')
      .filter({ hasText: new RegExp(`^${totalText(both.total)}$`) })
      .waitFor();
    await page.getByRole('button', { name: 'View: Overdue A accounts' }).waitFor();
    await expect(page.getByRole('checkbox', { name: 'Overdue only' }).isChecked()).resolves.toBe(true);
  });

  it('bulk-overrides the tier of ticked rows with a reason, as the manager', async () => {
    await page.goto(`${baseUrl}/accounts?inMarket=true&tier=B`);
    await tableSettled(page);
    const tierB = await listed('inMarket=true&tier=B&pageSize=50&sort=annualSales&order=desc');
    expect(tierB.total).toBeGreaterThan(50);

    // Every row of the page, then every matching account, then nothing.
    await page.getByRole('checkbox', { name: 'Select every account on this page' }).check();
    await page.getByTestId('bulk-count').filter({ hasText: '50 accounts selected' }).waitFor();
    await page.getByRole('button', { name: `Select all ${tierB.total} matching accounts` }).click();
    await page
      .getByTestId('bulk-count')
      .filter({ hasText: `All ${tierB.total} matching accounts selected` })
      .waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });

    const [first, second] = tierB.items as [TAccount, TAccount];
    await page.getByRole('checkbox', { name: `Select ${first.name}` }).check();
    await page.getByRole('checkbox', { name: `Select ${second.name}` }).check();
    await page.getByTestId('bulk-count').filter({ hasText: '2 accounts selected' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Override tier…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Override the tier of 2 accounts' });
    await dialog.getByRole('radio', { name: /^A · / }).check();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Strategic accounts for 2027');
    await dialog.getByRole('button', { name: 'Apply to 2 accounts' }).click();
    await page.getByTestId('bulk-result').filter({ hasText: '2 of 2 accounts changed' }).waitFor();
    await dialog.waitFor({ state: 'detached' });

    for (const account of [first, second]) {
      const after = (await (
        await context.request.get(`${baseUrl}/api/accounts/${account.id}`)
      ).json()) as TAccount;
      expect(after).toMatchObject({
        tier: 'A',
        tierOverride: 'A',
        tierOverrideReason: 'Strategic accounts for 2027',
      });
    }
    // They left the tier-B list.
    await page
      .getByTestId('accounts-total')
      .filter({ hasText: new RegExp(`^${totalText(tierB.total - 2)}$`) })
      .waitFor();
  });

  it('exports the filtered accounts as a file with as many rows as the list', async () => {
    await page.goto(`${baseUrl}/accounts?inMarket=true&tier=B`);
    await tableSettled(page);
    const expected = (await listed('inMarket=true&tier=B&pageSize=1')).total;
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'CSV (.csv)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^accounts-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = join(dir, 'export.csv');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter(Boolean);
    expect(lines[0]).toContain('Company');
    expect(lines.length - 1).toBe(expected);
  });

  it('collapses the navigation behind a burger on a phone', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${baseUrl}/accounts`);
    const burger = phone.getByRole('button', { name: 'Open navigation' });
    await burger.waitFor();
    // The signed-in name whole in the header (the wordmark gives way to it on a phone), not cut to "王…".
    const name = phone.getByTestId('user-menu').locator('.mantine-Text-root');
    await expect(name.textContent()).resolves.toBe('王海涛');
    await expect(name.evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
    // Each row says where the account is and its stage under the name (the columns are off to the side).
    const summary = phone.getByTestId('account-summary-phone').first();
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(
      / · (Prospect|Contacted|Meeting|Proposal|Won|Lost|Dormant)$/,
    );
    const navigation = phone.locator('#app-navigation');
    const isOutOfReach = () =>
      navigation.evaluate((nav) => (nav as HTMLElement).inert && nav.getBoundingClientRect().right <= 0);
    await expect(isOutOfReach()).resolves.toBe(true);

    await burger.click();
    await phone.getByRole('button', { name: 'Close navigation' }).waitFor();
    await expect(navigation.evaluate((nav) => (nav as HTMLElement).inert)).resolves.toBe(false);
    await phone.getByRole('link', { name: 'Playbook' }).click();
    await phone.waitForURL('**/playbook');
    await phone.getByRole('heading', { level: 1 }).first().waitFor();
    await phone.getByRole('button', { name: 'Open navigation' }).waitFor();
    await expect.poll(isOutOfReach).toBe(true);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.screenshot({ path: join(SCREENSHOTS, 'playbook-phone-en.png') });
    await phone.close();
  });
});
