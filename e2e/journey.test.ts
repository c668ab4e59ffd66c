// A new workspace's whole journey in a real browser, through the UI only (the API and the database are read
// to check facts, never to do a step): first-run setup creates the admin, who adds a team and a rep on the Team
// page, imports a GBK-encoded Chinese vendor list, hands the accounts to the rep, defines the market (the tiers
// follow), checks capacity and commits the rep's plan; the rep signs in, works Today and logs a call with an
// objection and the response used; the admin sees it on the dashboard; the language switch re-renders and
// persists; the rep's core day fits a 375×812 phone; axe-core finds nothing serious on any page visited.
// The database starts empty (migrations only, no demo data). Debian's Chromium via playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  dismissToasts,
  ensureCallsDueToday,
  expectRendered,
  launchChromium,
  newBrowserContext,
  noHorizontalScroll,
  PHONE,
  prepareBrowserTests,
  type RunningServer,
  seriousViolations,
  signInByForm,
  startServer,
  tierCountOn,
  workspaceToday,
} from './support.ts';

/** A step that cannot happen fails after 15 s naming the locator it waited for, not at the test's timeout. */
const STEP_TIMEOUT = 15_000;
const ADMIN = { name: '周敏', email: 'zhou.min@example.com', password: 'zhou-min-journey-2026' };
const REP = { name: '陈晨', email: 'chen.chen@example.com', password: 'chen-chen-journey-2026' };
const TEAM = '华东销售组';
const SOURCE = '企查查 长三角 2026';
const FILE_NAME = '长三角客户名单.csv';

const HEADERS = ['企业名称', '所属省份', '所属城市', '人员规模', '年营业额', '联系电话', '官网', '备注'];
/**
 * Ten companies of a vendor's list: eight with at least 100 employees (the market defined below), two smaller.
 * Employee counts are ranges as vendors give them; the market compares the lower bound.
 */
const COMPANIES: { row: string[]; inMarket: boolean }[] = [
  [
    '杭州青禾智能装备有限公司',
    '浙江省',
    '杭州市',
    '100-499人',
    '1.2亿',
    '0571-88886666',
    'www.qinghe.cn',
    '展会名片',
  ],
  ['苏州澄川精密机械有限公司', '江苏省', '苏州市', '500-999人', '3.5亿', '0512-66668888', '', ''],
  ['宁波远帆海曙贸易有限公司', '浙江省', '宁波市', '少于50人', '800万元', '13800138000', '', '老客户介绍'],
  ['无锡恒泰新材料股份有限公司', '江苏省', '无锡市', '1000-4999人', '12亿', '0510-85556666', '', ''],
  ['嘉兴禾丰食品有限公司', '浙江省', '嘉兴市', '100-499人', '6000万', '0573-82223333', '', ''],
  ['南京科瑞医疗器械有限公司', '江苏省', '南京市', '200-499人', '2亿', '025-86667777', '', '需要先约技术'],
  ['上海申远物流有限公司', '上海市', '上海市', '100-499人', '9000万', '021-64445555', '', ''],
  ['常州金石电气有限公司', '江苏省', '常州市', '20-49人', '1500万', '0519-88990000', '', ''],
  ['温州瓯江阀门有限公司', '浙江省', '温州市', '300-499人', '1.8亿', '0577-86661111', '', ''],
  ['绍兴越纺印染有限公司', '浙江省', '绍兴市', '500-999人', '4亿', '0575-85552222', '', ''],
].map((row) => ({ row, inMarket: !/少于50人|20-49人/.test(row[3] as string) }));
const IN_MARKET = COMPANIES.filter((c) => c.inMarket).length;

/** The vendor's list as a GBK-encoded CSV, as Chinese vendors and Excel on Chinese Windows write it. */
function vendorCsv(): Buffer {
  const rows = [HEADERS, ...COMPANIES.map((c) => c.row)];
  return iconv.encode(`${rows.map((row) => row.join(',')).join('\r\n')}\r\n`, 'gbk');
}

/** Picks an option of a Mantine Select by its label (a combobox, or a plain textbox in older Mantine markup). */
async function choose(scope: Page | Locator, page: Page, label: string, option: string | RegExp) {
  const name = new RegExp(`^${label}`);
  await scope.getByRole('combobox', { name }).or(scope.getByRole('textbox', { name })).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

/**
 * Opens a page from the navigation, as a person would, then moves the pointer off the link: the active link
 * under the pointer (hover on active) has too little contrast for axe (4.12:1, indigo on light indigo), which
 * is a finding about the hover style, reported separately, not about the page opened.
 */
async function openFromNavigation(page: Page, name: string) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.mouse.move(0, 0);
}

/** The agenda items that are calls. */
function callItems(page: Page): Locator {
  return page.locator('[data-testid="agenda-item"][data-channel="call"]');
}

async function callsDoneToday(page: Page): Promise<number> {
  return Number((await page.getByTestId('call-done').textContent())?.replace(/\D/g, '') ?? Number.NaN);
}

/** "Done" calls of this week: the dashboard's weekly table, last row (this week), second figure. */
async function callsDoneThisWeek(page: Page): Promise<number> {
  const cell = page.locator('[data-testid="dashboard-weekly"] tbody tr').last().locator('td').nth(1);
  return Number((await cell.textContent())?.replace(/\D/g, '') ?? Number.NaN);
}

describe('a new workspace, from setup to the first logged call, in Chromium', { timeout: 60_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let repId = '';
  let weekCallsBefore = 0;
  /** The account logged through the form, to find on its page. */
  let loggedAccount = '';

  beforeAll(async () => {
    prepareBrowserTests();
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-journey-'));
    // An empty workspace: the server migrates the new file and nothing else.
    server = await startServer(join(dir, 'journey.db'), dir);
    baseUrl = server.baseUrl;
    browser = await launchChromium();
    context = await newBrowserContext(browser, { stepTimeout: STEP_TIMEOUT });
    page = await context.newPage();
  }, 120_000);

  // Each step needs the ones before it: after a failure, the rest are skipped instead of timing out one by one.
  let broken = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (broken) skip();
    onTestFailed(async () => {
      broken = true;
      // What the page showed, for the failure's reader.
      await page
        ?.screenshot({ path: join(tmpdir(), 'tierline-journey-failed.png'), fullPage: true })
        .catch(() => {});
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the first visitor to setup, which creates the admin and signs them in', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/setup');
    await page.getByRole('heading', { level: 1, name: '初始设置' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Too short a password is refused beside the field, before anything is sent.
    await page.getByRole('textbox', { name: '姓名' }).fill(ADMIN.name);
    await page.getByRole('textbox', { name: '邮箱' }).fill(ADMIN.email);
    await page.getByLabel(/^密码/).fill('short');
    await page.getByLabel('再次输入密码').fill('short');
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByText('密码至少需要 10 个字符。').waitFor();

    await page.getByLabel(/^密码/).fill(ADMIN.password);
    await page.getByLabel('再次输入密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    // Signed in: an admin's home is the dashboard, with their name in the header.
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await expectRendered(page, '业绩看板');
    await page.getByRole('button', { name: `${ADMIN.name}的账号菜单` }).waitFor();
    const status = (await (await context.request.get(`${baseUrl}/api/auth/status`)).json()) as {
      setupNeeded: boolean;
      user: { role: string; email: string } | null;
    };
    expect(status.setupNeeded).toBe(false);
    expect(status.user).toMatchObject({ role: 'admin', email: ADMIN.email });
  });

  it('adds a team and a rep on the Team page', async () => {
    await openFromNavigation(page, '团队');
    await expectRendered(page, '团队');

    await page.getByRole('button', { name: '添加团队' }).click();
    const teamDialog = page.getByRole('dialog', { name: '添加团队' });
    await teamDialog.getByLabel('团队名称').fill(TEAM);
    await teamDialog.getByRole('button', { name: '添加团队' }).click();
    await teamDialog.waitFor({ state: 'hidden' });
    await page.getByTestId('team-card').filter({ hasText: TEAM }).waitFor();

    await page.getByRole('button', { name: '添加成员' }).click();
    const dialog = page.getByRole('dialog', { name: '添加成员' });
    await dialog.getByRole('textbox', { name: '姓名' }).fill(REP.name);
    await dialog.getByRole('textbox', { name: '邮箱' }).fill(REP.email);
    await choose(dialog, page, '团队', TEAM);
    await dialog.getByLabel('密码', { exact: true }).fill(REP.password);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = page.locator(`[data-testid="person-card"][data-person="${REP.email}"]`);
    await card.waitFor();
    await expect(card.getByText('销售员', { exact: true }).count()).resolves.toBe(1);
    await expect(card.getByText(TEAM).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    const rep = await server.database.kysely
      .selectFrom('users')
      .select(['id', 'role', 'team_id'])
      .where('email', '=', REP.email)
      .executeTakeFirstOrThrow();
    expect(rep.role).toBe('rep');
    expect(rep.team_id).toBeTruthy();
    repId = rep.id;
  });

  it('imports a GBK-encoded Chinese list through the wizard', async () => {
    await openFromNavigation(page, '导入');
    await expectRendered(page, '导入');
    await page.getByRole('heading', { level: 2, name: '选择文件' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: vendorCsv() });

    await page.getByRole('heading', { level: 2, name: '名单从哪里来' }).waitFor();
    await page.getByRole('combobox', { name: /来源名称/ }).fill(SOURCE);
    await page.getByRole('radio', { name: /购买/ }).check();
    await page.getByRole('textbox', { name: '名单费用' }).fill('2000');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('to-mapping').click();

    await page.getByRole('heading', { level: 2, name: '检查列的对应关系' }).waitFor();
    await page.getByTestId('mapping-table').waitFor();
    await expect(page.getByTestId('detected-encoding').textContent()).resolves.toMatch(/^GB/);
    // The Chinese headers are recognised: seven fields, the note kept as a custom field.
    await expect(page.getByTestId('mapping-summary').textContent()).resolves.toBe(
      '7 列已对应 · 1 列保留为自定义字段',
    );
    await page.getByTestId('preview-grid').getByText('杭州青禾智能装备有限公司').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('to-confirm').click();

    await page.getByRole('heading', { level: 2, name: '确认并导入' }).waitFor();
    await page.getByTestId('start-import').click();
    await page.getByRole('heading', { level: 2, name: '导入完成' }).waitFor({ timeout: 45_000 });
    const result = (name: string) => page.getByTestId(`result-${name}`).getAttribute('data-value');
    await expect(result('created')).resolves.toBe(String(COMPANIES.length));
    await expect(result('rejected')).resolves.toBe('0');
    expect(await seriousViolations(page)).toEqual([]);

    const stored = await server.database.kysely
      .selectFrom('accounts')
      .select(['name', 'owner_id'])
      .orderBy('name')
      .execute();
    expect(stored.map((a) => a.name).sort()).toEqual(COMPANIES.map((c) => c.row[0]).sort());
  });

  it('hands every account to the rep from the Accounts page', async () => {
    await openFromNavigation(page, '客户');
    await expectRendered(page, '客户');
    await page
      .getByTestId('accounts-total')
      .filter({ hasText: String(COMPANIES.length) })
      .waitFor();
    await page.getByRole('checkbox', { name: '选择本页全部客户' }).check();
    await page
      .getByTestId('bulk-count')
      .filter({ hasText: String(COMPANIES.length) })
      .waitFor();
    await page.getByRole('button', { name: '分配负责人…' }).click();
    const dialog = page.getByRole('dialog', { name: `分配 ${COMPANIES.length} 家客户` });
    await choose(dialog, page, '新负责人', REP.name);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: `应用到 ${COMPANIES.length} 家客户` }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('bulk-result')
      .getByText(`${COMPANIES.length} 家客户中已更改 ${COMPANIES.length} 家`)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const owned = await server.database.kysely
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', repId)
      .executeTakeFirstOrThrow();
    expect(Number(owned.n)).toBe(COMPANIES.length);
  });

  it('defines the market with a live count; saving tiers the accounts in it', async () => {
    await openFromNavigation(page, '目标市场');
    await expectRendered(page, '目标市场');
    const employees = page.getByRole('textbox', { name: '员工人数不少于' });
    await employees.fill('100');
    // The debounced preview counts the accounts these criteria take in.
    await page
      .getByTestId('market-matching')
      .filter({ hasText: new RegExp(`^${IN_MARKET}$`) })
      .waitFor();
    await page.locator('[data-testid="market-preview"][aria-busy="false"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('textbox', { name: '备注（可选）' }).fill('先做 100 人以上的长三角客户');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    const saved = page.getByTestId('market-saved');
    await saved.getByText('已保存为第 1 版').waitFor();
    await expect(saved.textContent()).resolves.toContain(`${IN_MARKET} 家客户在目标市场内`);

    // Tiered: every in-market account has A, B or C, the two small ones none.
    const tierCount = (tier: string) => tierCountOn(page, tier);
    await expect
      .poll(async () => (await tierCount('A')) + (await tierCount('B')) + (await tierCount('C')))
      .toBe(IN_MARKET);
    expect(await tierCount('A')).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    const tiers = await server.database.kysely.selectFrom('accounts').select(['name', 'tier']).execute();
    expect(tiers.filter((a) => a.tier !== null)).toHaveLength(IN_MARKET);
    expect(tiers.filter((a) => a.tier === null).map((a) => a.name)).toEqual(
      expect.arrayContaining(COMPANIES.filter((c) => !c.inMarket).map((c) => c.row[0])),
    );
  });

  it('checks the rep’s capacity and commits the rep’s plan', async () => {
    await openFromNavigation(page, '计划');
    await expectRendered(page, '计划');
    await choose(page, page, '销售员', REP.name);
    await page.waitForURL((url) => url.searchParams.get('rep') === repId);
    // Eight accounts fit a rep's default capacity with room to spare.
    await page.getByTestId('plan-fits').waitFor();
    await page.locator('[data-testid="plan-body"][aria-busy="false"]').waitFor();
    await page.getByText(/\d+ 家客户的 \d+ 次联系都排得下/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const commit = page.getByRole('button', { name: '提交计划' });
    await expect(commit.isEnabled()).resolves.toBe(true);
    await commit.click();
    await page.getByTestId('plan-committed').getByText('计划已提交').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const planned = await server.database.kysely
      .selectFrom('planned_touches')
      .select(['account_id'])
      .where('rep_id', '=', repId)
      .where('status', '=', 'planned')
      .execute();
    expect(new Set(planned.map((t) => t.account_id)).size).toBe(IN_MARKET);
  });

  it('shows the admin no calls done yet this week on the dashboard', async () => {
    await openFromNavigation(page, '业绩看板');
    await expectRendered(page, '业绩看板');
    await page.getByTestId('dashboard-weekly').locator('tbody tr').last().waitFor();
    weekCallsBefore = await callsDoneThisWeek(page);
    expect(weekCallsBefore).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('signs the admin out, and the rep in: the rep’s home is Today, with the plan’s calls on it', async () => {
    await page.getByRole('button', { name: `${ADMIN.name}的账号菜单` }).click();
    await page.getByRole('menuitem', { name: '退出登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    expect((await context.request.get(`${baseUrl}/api/accounts?pageSize=1`)).status()).toBe(401);
    expect(await seriousViolations(page)).toEqual([]);

    // The plan spreads each account's touches over its cadence interval and starts on the next working day,
    // so today may hold none of them (a weekend, a holiday, or the first touches falling later). As
    // e2e/today.test.ts does with arrangeAgenda, move the rep's two earliest planned calls onto today in the
    // database when fewer than two are due, so every run has calls to log (one here, one on the phone).
    await ensureCallsDueToday(server.database, repId, workspaceToday(), 2);

    await signInByForm(page, baseUrl, REP.email, REP.password);
    await page.waitForURL((url) => url.pathname === '/today');
    await expectRendered(page, '今日');
    await callItems(page).first().waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    await page.getByRole('button', { name: `${REP.name}的账号菜单` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('logs a call through the form: refused, the objection met and the response used', async () => {
    const before = await callsDoneToday(page);
    const item = callItems(page).first();
    loggedAccount = (await item.locator('.agenda-item-name').textContent()) ?? '';
    expect(COMPANIES.map((c) => c.row[0])).toContain(loggedAccount);
    await item.getByRole('button', { name: '详细记录' }).click();
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: '拒绝' }).click();
    await dialog.getByRole('combobox', { name: '遇到的异议' }).click();
    await page.getByRole('option', { name: '没有预算' }).click();
    const responses = dialog.getByRole('radiogroup', { name: '使用的应对' }).getByRole('radio');
    await expect.poll(() => responses.count()).toBeGreaterThanOrEqual(1);
    await responses.first().click();
    await dialog.getByRole('textbox', { name: '备注' }).fill('今年预算已用完，明年一月再谈');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => callsDoneToday(page)).toBe(before + 1);
    await page.locator('.toaster').getByText('已记录电话：拒绝').waitFor();

    // Stored as the rep's call, with the objection and the response.
    const activity = await server.database.kysely
      .selectFrom('activities as a')
      .innerJoin('objections as o', 'o.id', 'a.objection_id')
      .innerJoin('accounts as acc', 'acc.id', 'a.account_id')
      .select(['a.channel', 'a.outcome', 'a.response_id', 'a.planned_touch_id', 'o.label_zh', 'acc.name'])
      .where('a.user_id', '=', repId)
      .executeTakeFirstOrThrow();
    expect(activity).toMatchObject({
      channel: 'call',
      outcome: 'refused',
      label_zh: '没有预算',
      name: loggedAccount,
    });
    expect(activity.response_id).toBeTruthy();
    expect(activity.planned_touch_id).toBeTruthy();

    // The account page shows it in the timeline, by name.
    await page.getByTestId('logged-list').getByRole('link', { name: loggedAccount }).click();
    await expectRendered(page, loggedAccount);
    const entry = page.getByTestId('timeline-entry').first();
    await entry.getByText('今年预算已用完，明年一月再谈').waitFor();
    await expect(entry.getByText('异议：没有预算').count()).resolves.toBe(1);
    await expect(entry.getByText(/^应对：/).count()).resolves.toBe(1);
    await dismissToasts(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the call on the admin’s dashboard: calls done this week went up by one', async () => {
    const adminContext = await newBrowserContext(browser, { stepTimeout: STEP_TIMEOUT });
    try {
      const admin = await adminContext.newPage();
      await admin.goto(`${baseUrl}/dashboard`);
      await admin.waitForURL((url) => url.pathname === '/sign-in');
      await signInByForm(admin, baseUrl, ADMIN.email, ADMIN.password);
      await admin.waitForURL((url) => url.pathname === '/dashboard');
      await expectRendered(admin, '业绩看板');
      await admin.getByTestId('dashboard-weekly').locator('tbody tr').last().waitFor();
      await expect.poll(() => callsDoneThisWeek(admin)).toBe(weekCallsBefore + 1);
      await admin.getByTestId('dashboard-objections').getByText('没有预算').waitFor();
      expect(await seriousViolations(admin)).toEqual([]);

      // The language switch re-renders the page in English, and the choice survives a reload.
      await admin.getByText('English', { exact: true }).click();
      await expectRendered(admin, 'Dashboard');
      await admin.getByRole('heading', { name: 'Planned and done per week' }).waitFor();
      await expect(admin.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
      await admin.reload();
      await expectRendered(admin, 'Dashboard');
      await admin.getByTestId('dashboard-weekly').locator('tbody tr').last().waitFor();
      await expect(admin.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
      expect(await seriousViolations(admin)).toEqual([]);
      // Kept with the user on the server, too.
      const status = (await (await adminContext.request.get(`${baseUrl}/api/auth/status`)).json()) as {
        user: { locale: string };
      };
      expect(status.user.locale).toBe('en');

      // And back to Chinese.
      await admin.getByText('简体中文', { exact: true }).click();
      await expectRendered(admin, '业绩看板');
      await admin.reload();
      await expectRendered(admin, '业绩看板');
    } finally {
      await adminContext.close();
    }
  });

  it('fits the rep’s day on a 375×812 phone: Today, the log form and the account page', async () => {
    const phoneContext = await newBrowserContext(browser, { viewport: PHONE, stepTimeout: STEP_TIMEOUT });
    try {
      const phone = await phoneContext.newPage();
      await phone.goto(`${baseUrl}/today`);
      await phone.waitForURL((url) => url.pathname === '/sign-in');
      await noHorizontalScroll(phone);
      await signInByForm(phone, baseUrl, REP.email, REP.password);
      await phone.waitForURL((url) => url.pathname === '/today');
      await expectRendered(phone, '今日');
      const item = callItems(phone).first();
      await item.waitFor();
      await noHorizontalScroll(phone);
      // The quick buttons are big enough for a thumb and inside the screen.
      const boxes = await item
        .locator('.quick-button')
        .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON() as DOMRect));
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box.height).toBeGreaterThanOrEqual(44);
        expect(box.right).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await seriousViolations(phone)).toEqual([]);

      // The navigation is behind the burger, and opens.
      await phone.getByRole('button', { name: '打开导航' }).click();
      await phone.getByRole('navigation', { name: /导航/ }).getByRole('link', { name: '今日' }).waitFor();
      await phone.getByRole('button', { name: '关闭导航' }).click();

      const before = await callsDoneToday(phone);
      const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
      await item.getByRole('button', { name: '详细记录' }).click();
      const dialog = phone.getByRole('dialog', { name: /记录联系/ });
      await dialog.waitFor();
      expect((await dialog.boundingBox())?.width).toBe(PHONE.width);
      await dialog.getByRole('radio', { name: '约到会面' }).click();
      await dialog.getByRole('combobox', { name: '遇到的异议' }).click();
      await phone.getByRole('option', { name: '请寄资料' }).click();
      await dialog.getByRole('radiogroup', { name: '使用的应对' }).getByRole('radio').first().click();
      await noHorizontalScroll(phone);
      const save = dialog.getByRole('button', { name: '保存' });
      await save.scrollIntoViewIfNeeded();
      const saveBox = await save.boundingBox();
      expect(saveBox && saveBox.x >= 0 && saveBox.x + saveBox.width <= PHONE.width).toBe(true);
      expect(await seriousViolations(phone)).toEqual([]);
      await save.click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => callsDoneToday(phone)).toBe(before + 1);

      await phone.getByTestId('logged-list').getByRole('link', { name }).click();
      await expectRendered(phone, name);
      await phone.getByTestId('timeline-entry').first().getByText('异议：请寄资料').waitFor();
      await dismissToasts(phone);
      await noHorizontalScroll(phone);
      expect(await seriousViolations(phone)).toEqual([]);
    } finally {
      await phoneContext.close();
    }
  });
});
