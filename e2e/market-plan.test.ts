// The Market, Plan and Settings pages in a real browser: a server on a temporary database with the demo
// workspace, Debian's Chromium driven by playwright-core (never a downloaded browser).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftDate } from '../src/domain/calendar/local-date.ts';
import type { TMarketPreview } from '../src/schemas/market-api.ts';
import {
  DEMO_ADMIN,
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
  tierCountOn,
  workspaceToday,
} from './support.ts';

const PROVINCE = '广东省';

/** A day as the English app writes it in a date field: "Sep 14, 2026". */
const englishDay = (day: string) =>
  new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));

/** Waits until the page shows the answer to what is on screen, not an earlier one still loading. */
async function settled(page: Page, testId: 'market-preview' | 'plan-body') {
  await page.locator(`[data-testid="${testId}"][aria-busy="false"]`).waitFor();
}

/** A full-page screenshot from the top (the header is sticky: scrolled, it would land mid-page). */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

describe('Market, Plan and Settings pages in Chromium', { timeout: 60_000 }, () => {
  let dir: string;
  let server: ServeProcess;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let csrf = '';
  let expected: TMarketPreview;
  let marketNow: { current: { matching: number }; inMarket: number };

  beforeAll(async () => {
    prepareBrowserTests();
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-'));
    const db = join(dir, 't.db');
    makeDemoDatabase(db);
    server = await startServeProcess(db);
    baseUrl = server.baseUrl;

    browser = await launchChromium();
    // zh-CN browser, no stored language: the app starts in Chinese; the machine's own time zone.
    // A step that cannot happen fails in 10 s with the locator it waited for, not at the test's timeout.
    context = await newBrowserContext(browser, { timeZone: null, stepTimeout: 10_000 });
    // The admin: only an admin plans every account as one workload (a manager plans one rep at a time).
    csrf = await signInByApi(context, baseUrl, DEMO_ADMIN, DEMO_PASSWORD);
    // One more account in the demo's market after its version 1 was saved (an import would re-tier the same way):
    // the page's badge counts the market now, the versions table the count at save time.
    const added = await context.request.post(`${baseUrl}/api/accounts`, {
      data: {
        name: '上海新进测试有限公司',
        province: '上海市',
        city: '上海市',
        employeesMin: 60,
        employeesMax: 60,
      },
      headers: { 'x-csrf-token': csrf },
    });
    expect(added.ok(), await added.text()).toBe(true);
    const retiered = await context.request.post(`${baseUrl}/api/tiers/retier`, {
      headers: { 'x-csrf-token': csrf },
    });
    expect(retiered.ok(), await retiered.text()).toBe(true);
    marketNow = (await (await context.request.get(`${baseUrl}/api/market`)).json()) as typeof marketNow;
    // What the market the test defines should match, asked of the API directly.
    const answer = await context.request.post(`${baseUrl}/api/market/preview`, {
      data: { minEmployees: 100, provinces: [PROVINCE] },
      headers: { 'x-csrf-token': csrf },
    });
    expect(answer.ok(), await answer.text()).toBe(true);
    expected = (await answer.json()) as TMarketPreview;
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the initial JavaScript under 300 kB gzipped with recharts and the new pages', () => {
    expect(initialJsBytes()).toBeLessThan(300 * 1024);
  });

  it('defines a market with a live count and saves it as a new version', async () => {
    expect(expected.matching).toBeGreaterThan(0);
    await page.goto(`${baseUrl}/market`);
    await page.getByRole('heading', { level: 1, name: '目标市场' }).waitFor();
    // The form starts from the demo's version 1 (50+ employees).
    await page.getByTestId('market-current').filter({ hasText: '第 1 版' }).waitFor();
    // The badge counts the accounts in the market now; version 1's row, those it had when saved.
    expect(marketNow.inMarket).toBe(marketNow.current.matching + 1);
    await expect(page.getByTestId('market-current').textContent()).resolves.toBe(
      `当前第 1 版 · ${marketNow.inMarket.toLocaleString('zh-CN')} 家客户`,
    );
    await page.getByRole('columnheader', { name: '保存时客户数' }).waitFor();
    const employees = page.getByRole('textbox', { name: '员工人数不少于' });
    await expect.poll(() => employees.inputValue()).toBe('50');

    await employees.fill('100');
    await page.getByRole('combobox', { name: '省份' }).click();
    await page.getByRole('option', { name: new RegExp(`^${PROVINCE}`) }).click();
    await page.keyboard.press('Escape');

    // The debounced preview shows exactly what the API counts for these criteria.
    await page
      .getByTestId('market-matching')
      .filter({ hasText: new RegExp(`^${expected.matching}$`) })
      .waitFor();
    await page.getByText(`${expected.withRelationship} 家已有联系`).waitFor();
    await page.getByText('不会扩大').waitFor();
    // Before saving, the preview says what the save will do to the demo's plan: the numbers the API gives.
    const n = (value: number) => value.toLocaleString('zh-CN');
    expect(expected.plan.leaving).toBeGreaterThan(0);
    expect(expected.plan.openTouches).toBeGreaterThan(0);
    await expect(page.getByTestId('market-preview-leaving').textContent()).resolves.toBe(
      `保存后 ${n(expected.plan.leaving)} 家客户将移出目标市场，并取消其 ${n(expected.plan.openTouches)} 次待办联系。`,
    );
    const cityRows = page.locator('table', { has: page.getByText('按城市') }).locator('tbody tr');
    await expect.poll(() => cityRows.count()).toBe(Math.min(10, expected.byCity.length));
    await expect(cityRows.first().textContent()).resolves.toContain(expected.byCity[0]?.city ?? '');

    await page.getByRole('textbox', { name: '备注（可选）' }).fill('先做 100 人以上的广东客户');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    const saved = page.getByTestId('market-saved');
    await saved.getByText('已保存为第 2 版').waitFor();
    await expect(saved.textContent()).resolves.toContain(`${expected.matching} 家客户在目标市场内`);
    // The accounts the narrower market leaves out leave the demo's plan: the save says so.
    await expect(saved.getByTestId('market-saved-left').textContent()).resolves.toBe(
      `${n(expected.plan.leaving)} 家客户移出了目标市场和计划：取消了 ${n(expected.plan.openTouches)} 次待办联系。`,
    );
    await page.getByTestId('market-current').filter({ hasText: '第 2 版' }).waitFor();

    // The tiers follow the new market: A + B + C is the market, and the 20/30/50 cut is explained.
    const tierCount = (tier: string) => tierCountOn(page, tier);
    await expect
      .poll(async () => (await tierCount('A')) + (await tierCount('B')) + (await tierCount('C')))
      .toBe(expected.matching);
    await page.getByText('前 20% 为 A 级').waitFor();
    await expect(page.getByTestId('market-versions').locator('tbody tr').count()).resolves.toBe(2);
    await settled(page, 'market-preview');
    await screenshot(page, 'market-zh.png');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('widens only when confirmed, after showing how much of the current market is worked', async () => {
    // Removing the province relaxes version 2: the preview says so, and saving asks first.
    await page.getByRole('combobox', { name: '省份' }).focus();
    await page.keyboard.press('Backspace');
    await page.getByTestId('market-widening').waitFor();
    await page.getByRole('button', { name: '扩大目标市场…' }).click();
    let dialog = page.getByRole('dialog', { name: '确认扩大目标市场' });
    await dialog.getByText(`已有联系：${expected.withRelationship} / ${expected.matching} 家`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '暂不扩大' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByTestId('market-saved').count()).resolves.toBe(0);

    // Confirmed, it is saved as a widening version (sent with widen: true).
    await page.getByRole('button', { name: '扩大目标市场…' }).click();
    dialog = page.getByRole('dialog', { name: '确认扩大目标市场' });
    await dialog.getByRole('button', { name: '确认扩大并保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('market-saved').getByText('已保存为第 3 版').waitFor();
    await expect(page.getByTestId('market-saved-entered').textContent()).resolves.toMatch(
      /家客户新进入目标市场，还没有计划/,
    );
    const versions = page.getByTestId('market-versions').locator('tbody tr');
    await expect.poll(() => versions.count()).toBe(3);
    await expect(versions.first().textContent()).resolves.toContain('扩大');
    await page.getByText('与当前第 3 版相同。').waitFor();
  });

  it('shows the market page in English with money in millions', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Target market' }).waitFor();
    await page.getByText('Same as the current version 3.').waitFor();
    await page.getByRole('textbox', { name: 'Annual sales at least (¥)' }).fill('50');
    await page.getByRole('combobox', { name: 'Unit of Annual sales at least (¥)' }).selectOption('million');
    await page.getByText('= ¥50.0M').waitFor();
    // The source criterion lists the workspace's import sources (purchased and free).
    await page.getByRole('combobox', { name: 'List sources' }).click();
    await expect
      .poll(() => page.getByRole('option', { name: /\((purchased|free), / }).count())
      .toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await settled(page, 'market-preview');
    await screenshot(page, 'market-en.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByText('简体中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '目标市场' }).waitFor();
  });

  it('checks capacity, offers options when visits do not fit, and commits with the overload accepted', async () => {
    await page.getByRole('link', { name: '计划' }).click();
    await page.getByRole('heading', { level: 1, name: '计划' }).waitFor();
    await page.getByTestId('plan-fits').waitFor();

    // Two numbers changed one right after the other, before the page has drawn the first (as on a slow phone:
    // here within one task): the second keeps the first instead of sending the URL it was drawn with.
    const calls = page.getByRole('textbox', { name: '每天电话上限' });
    const visits = page.getByRole('textbox', { name: '每天拜访上限' });
    await page.evaluate(() => {
      const field = (name: string) => {
        const label = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === name);
        return document.getElementById(label?.htmlFor ?? '') as HTMLInputElement;
      };
      const type = (input: HTMLInputElement, value: string) => {
        input.focus();
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      };
      const visitsInput = field('每天拜访上限');
      type(field('每天电话上限'), '39');
      // Moving on to the next box sends the first number; Enter sends the second.
      type(visitsInput, '1');
      visitsInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await page.waitForURL((url) => url.searchParams.get('visits') === '1');
    expect(new URL(page.url()).searchParams.get('calls')).toBe('39');
    await expect(calls.inputValue()).resolves.toBe('39');
    await expect(visits.inputValue()).resolves.toBe('1');
    await page.getByTestId('plan-fits').filter({ hasText: '超出容量' }).waitFor();

    // Concrete options, each with its resulting load; picking one that fits enables the commit.
    const options = page.getByTestId('plan-options').getByRole('radio');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    await page.getByText(/每天拜访上限提高到 \d+ 次/).waitFor();
    const commit = page.getByRole('button', { name: '提交计划' });
    await expect(commit.isDisabled()).resolves.toBe(true);
    await page.getByRole('radio', { name: /每天拜访上限提高到/ }).check();
    await expect(commit.isEnabled()).resolves.toBe(true);

    // Keep the settings as they are and accept the overload in so many words instead.
    await page.getByRole('radio', { name: /不调整/ }).check();
    await expect(commit.isDisabled()).resolves.toBe(true);
    const accept = page.getByRole('checkbox', { name: /我接受超负荷：拜访每个工作日需要/ });
    await accept.check();
    // The plan starts today: show the first whole month in the screenshot.
    await page.getByRole('button', { name: '下个月' }).click();
    await settled(page, 'plan-body');
    await screenshot(page, 'plan-zh.png');
    expect(await seriousViolations(page)).toEqual([]);
    await commit.click();

    const done = page.getByTestId('plan-committed');
    await done.getByText('计划已提交').waitFor();
    await expect(done.locator('code').textContent()).resolves.toMatch(/^[0-9a-f-]{36}$/);

    // The month calendar shows the committed plan: counts on working days, none on days off.
    await page.getByText('已提交', { exact: true }).waitFor();
    const month = page.getByTestId('plan-month');
    await month.waitFor();
    const workingCounts = await month
      .locator('td[data-kind="workday"]:not([data-outside]) .plan-count')
      .count();
    expect(workingCounts).toBeGreaterThan(0);
    await expect(month.locator('td[data-kind="weekend"] .plan-count').count()).resolves.toBe(0);

    // The committed plan starts on the first month again; next month, then the week view.
    const title = (await page.getByTestId('plan-calendar-title').textContent()) ?? '';
    await page.getByRole('button', { name: '下个月' }).click();
    await page.getByTestId('plan-calendar-title').filter({ hasNotText: title }).waitFor();
    await page.getByText('周', { exact: true }).click();
    await page.getByTestId('plan-week').waitFor();
    await expect(page.getByTestId('plan-week').locator('[data-date]').count()).resolves.toBe(7);
    await page.getByText('月', { exact: true }).click();
    await month.waitFor();

    // The export links name the committed range.
    const ics = await page.getByRole('link', { name: '导出 ICS' }).getAttribute('href');
    expect(ics).toMatch(
      /^\/api\/plan\/export\?format=ics&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&lang=zh-CN$/,
    );
    const file = await context.request.get(`${baseUrl}${ics}`);
    expect(file.ok()).toBe(true);
    // In the page's language too: the calendar's name and the events' titles (电话：…, not Call: …).
    const calendar = await file.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar).toMatch(/\r\nX-WR-CALNAME:Tierline 计划/);
    expect(calendar).toMatch(/\r\nSUMMARY:(✓ |逾期 · )?\[[ABC-]\] (电话|拜访)：/);
    // The CSV's headers are in the page's language, as the accounts export's.
    const csv = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/api\/plan\/export\?format=csv&from=[\d-]+&to=[\d-]+&lang=zh-CN$/);
    const table = await context.request.get(`${baseUrl}${csv}`);
    const [header] = (await table.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe('日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID,销售员');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the plan in English', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
    // The page now shows the plan just committed, in force; re-planning goes back to the check and its options.
    await page.getByTestId('plan-committed').getByText('Plan committed').waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('heading', { name: 'Plan in force' }).waitFor();
    await page.getByTestId('plan-current').getByText('Overload accepted at commit').waitFor();
    await page.getByTestId('plan-replan').click();
    await page.getByTestId('plan-fits').filter({ hasText: 'Over capacity' }).waitFor();
    await page.getByText('Over capacity: pick an option').waitFor();
    // Its commit says it replaces the plan just committed.
    await page.getByRole('button', { name: /^Replace the plan from .+ open touch/ }).waitFor();

    // Typed a character at a time, a day is previewed once its text is whole: not 2026-09-3 (the 3rd) on the way
    // to 2026-09-31, which is no day and is named under the field once the typing stops.
    const previewed: (string | undefined)[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/plan/preview')
        previewed.push((request.postDataJSON() as { from?: string }).from);
    };
    page.on('request', onRequest);
    await page.getByTestId('plan-from').click();
    await page.getByTestId('plan-from').press('ControlOrMeta+a');
    await page.getByTestId('plan-from').pressSequentially('2026-09-31');
    await page.getByTestId('plan-from').press('Tab');
    await page.getByText('“2026-09-31” is not a date.').waitFor();

    // A plan starts today at the earliest (one from a past day would cancel the plan in force): a past day typed is
    // named under the field, with the first day it takes, and never previewed.
    const today = workspaceToday();
    const past = shiftDate(today, -75);
    await page.getByTestId('plan-from').fill(past);
    await page.getByTestId('plan-from').press('Tab');
    await page.getByText(`Choose a day from ${englishDay(today)} on.`).waitFor();

    // Typed as people type a day; on leaving the field it shows the day as the app writes dates, its calendar closed.
    // A Monday three to four weeks ahead: its week's Saturday is off, with nothing planned on it.
    const ahead = shiftDate(today, 21 + ((8 - new Date(`${today}T00:00:00Z`).getUTCDay()) % 7));
    await page.getByTestId('plan-from').fill(ahead);
    await page.waitForURL((url) => url.searchParams.get('from') === ahead);
    await expect.poll(() => previewed.includes(ahead)).toBe(true);
    page.off('request', onRequest);
    expect(previewed).not.toContain('2026-09-03');
    expect(previewed).not.toContain(past);
    await page.getByTestId('plan-from').press('Tab');
    await expect.poll(() => page.getByTestId('plan-from').inputValue()).toBe(englishDay(ahead));
    const title = new Intl.DateTimeFormat('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${ahead}T00:00:00Z`));
    await page.getByTestId('plan-calendar-title').filter({ hasText: title }).waitFor();
    const month = page.getByTestId('plan-month');
    const saturday = shiftDate(ahead, 5);
    await month.locator(`td[data-date="${ahead}"][data-kind="workday"]`).waitFor();
    await month.locator(`td[data-date="${saturday}"][data-kind="weekend"]`).waitFor();
    await expect(month.locator(`td[data-date="${saturday}"] .plan-count`).count()).resolves.toBe(0);
    await settled(page, 'plan-body');
    await screenshot(page, 'plan-en.png');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('edits cadence and creates a calendar feed shown once', async () => {
    await page.getByText('简体中文', { exact: true }).click();
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
    const cell = page.getByRole('textbox', { name: 'C 级拜访间隔（月）' });
    await expect.poll(() => cell.inputValue()).toBe('12');
    await cell.fill('18');
    await page.locator('#cadence').getByRole('button', { name: '保存' }).click();
    await page.locator('#cadence').getByText('已保存').waitFor();
    const cadence = await (await context.request.get(`${baseUrl}/api/cadence`)).json();
    // Only the changed cell was sent, on its version: it alone moved to the next one.
    expect(cadence).toContainEqual({ tier: 'C', channel: 'visit', intervalMonths: 18, version: 2 });
    expect(cadence).toContainEqual({ tier: 'C', channel: 'call', intervalMonths: 6, version: 1 });

    await page.getByRole('button', { name: '创建订阅地址' }).click();
    const created = page.getByTestId('feed-created');
    await created.waitFor();
    const url = await created.getByRole('textbox', { name: '订阅地址' }).inputValue();
    expect(url).toMatch(new RegExp(`^${baseUrl}/cal/[A-Za-z0-9_-]{16,64}\\.ics$`));
    const feed = await context.request.get(url);
    expect(feed.ok()).toBe(true);
    await page.getByTestId('feed-list').locator('tbody tr').first().waitFor();
    await page.getByRole('heading', { name: '用户与团队' }).waitFor();
    await page.getByRole('heading', { name: '语言' }).waitFor();
    await screenshot(page, 'settings-zh.png');
    expect(await seriousViolations(page)).toEqual([]);

    // Revoked, the address stops working at once.
    await page
      .getByRole('button', { name: /^撤销 / })
      .first()
      .click();
    await page.getByRole('dialog').getByRole('button', { name: '撤销' }).click();
    await page.getByText('还没有订阅地址。').waitFor();
    expect((await context.request.get(url)).status()).toBe(404);
  });

  it('lets a manager plan their team one rep at a time', async () => {
    const managerContext = await newBrowserContext(browser, {
      locale: 'en',
      timeZone: null,
      stepTimeout: 10_000,
    });
    try {
      await signInByApi(managerContext, baseUrl, DEMO_MANAGER, DEMO_PASSWORD);
      const manager = await managerContext.newPage();
      await manager.goto(`${baseUrl}/plan`);
      await manager.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
      // The page opens on a rep of the team (not on the manager's own accounts, which are none).
      await manager.waitForURL((url) => url.searchParams.has('rep'));
      const rep = manager.getByRole('combobox', { name: 'Rep' });
      await expect.poll(() => rep.inputValue()).not.toBe('My own accounts');
      await rep.click();
      const options = await manager.getByRole('option').allTextContents();
      expect(options[0]).toBe('My own accounts');
      expect(options.length).toBeGreaterThan(1);
      await manager.getByRole('option').nth(1).click();
      await manager.waitForURL((url) => url.searchParams.has('rep'));
      // The rep's plan in force first; re-planning previews the rep's own accounts: the scope line names more
      // than the manager's none.
      await manager.getByTestId('plan-replan').click();
      const scope = manager.getByText(/\d+ accounts? · \d+ working days/);
      await expect
        .poll(async () => Number((await scope.textContent())?.match(/^(\d+)/)?.[1] ?? 0))
        .toBeGreaterThan(0);
      await settled(manager, 'plan-body');
      expect(await seriousViolations(manager)).toEqual([]);
    } finally {
      await managerContext.close();
    }
  });
});
