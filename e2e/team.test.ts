// The Team page in a real browser over the demo workspace: the admin adds a team and a rep, gives the rep a
// territory, hands a rep's accounts to another and back (the counts move), and disables the new rep; the
// manager sees only their team; the language a user picks is kept with the user (a fresh browser opens in
// it); axe finds nothing serious; and the page fits a 375×812 phone. Debian's Chromium via playwright-core.
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  noHorizontalScroll,
  SCREENSHOTS,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

const NEW_REP = { name: '赵磊', email: 'zhao.lei@demo.tierline.local', password: 'zhao-lei-password-1' };
const OTHER_TEAM = '华北销售二组';
const OTHER_REP = { name: '孙悦', email: 'sun.yue@demo.tierline.local' };

function personCard(page: Page, email: string): Locator {
  return page.locator(`[data-testid="person-card"][data-person="${email}"]`);
}

async function accountCount(page: Page, email: string): Promise<number> {
  const text = await personCard(page, email).getByTestId('account-count').textContent();
  return Number(text?.replace(/\D/g, '') ?? Number.NaN);
}

/** Opens a person's action menu and picks one item. */
async function personAction(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `${name} 的操作` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Picks an option of a Mantine Select (or multi-select) by its label. */
async function choose(scope: Page | Locator, page: Page, label: string | RegExp, option: string | RegExp) {
  await scope.getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

describe('the Team page in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;

  async function signedIn(email: string, options: { locale?: string; password?: string } = {}) {
    const page = await signedInPage(browser, baseUrl, email, options.password ?? DEMO_PASSWORD, {
      locale: options.locale,
    });
    contexts.push(page.context());
    return page;
  }

  beforeAll(async () => {
    workspace = await startDemoWorkspace('team');
    ({ baseUrl, browser } = workspace);
    admin = await signedIn(DEMO_ADMIN);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  it('shows the admin everyone with role, territory, accounts, capacity and plan', async () => {
    await admin.goto(`${baseUrl}/team`);
    await admin.getByRole('heading', { level: 1, name: '团队' }).waitFor();
    await personCard(admin, DEMO_REP).waitFor();
    const liNa = personCard(admin, DEMO_REP);
    await expect(liNa.getByText('销售员', { exact: true }).count()).resolves.toBe(1);
    await expect(liNa.getByText('每天 40 个电话、4 次拜访').count()).resolves.toBe(1);
    expect(await accountCount(admin, DEMO_REP)).toBeGreaterThan(0);
    await expect(admin.getByTestId('territory-card').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(admin.getByTestId('team-skills-link').getAttribute('href')).resolves.toBe('/team/skills');
    expect(await seriousViolations(admin)).toEqual([]);
  });

  it('adds a team and a rep, with the form saying what is wrong first', async () => {
    await admin.getByRole('button', { name: '添加团队' }).click();
    const teamDialog = admin.getByRole('dialog', { name: '添加团队' });
    await teamDialog.getByLabel('团队名称').fill(OTHER_TEAM);
    await teamDialog.getByRole('button', { name: '添加团队' }).click();
    await teamDialog.waitFor({ state: 'hidden' });
    await admin.getByTestId('team-card').filter({ hasText: OTHER_TEAM }).waitFor();

    await admin.getByRole('button', { name: '添加成员' }).click();
    const dialog = admin.getByRole('dialog', { name: '添加成员' });
    await dialog.getByRole('textbox', { name: '邮箱' }).fill('not-an-email');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    // Errors are tied to their fields, so screen readers announce them with the field.
    await expect(dialog.getByRole('textbox', { name: '姓名' }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await dialog.getByText('请输入邮箱地址，例如 name@example.com。').waitFor();
    expect(await seriousViolations(admin)).toEqual([]);

    await dialog.getByRole('textbox', { name: '姓名' }).fill(NEW_REP.name);
    await dialog.getByRole('textbox', { name: '邮箱' }).fill(NEW_REP.email);
    await choose(dialog, admin, '团队', '华东华南销售一组');
    await dialog.getByLabel('密码', { exact: true }).fill(NEW_REP.password);
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = personCard(admin, NEW_REP.email);
    await card.waitFor();
    expect(await card.textContent()).toContain('华东华南销售一组');
    expect(await accountCount(admin, NEW_REP.email)).toBe(0);

    // The same email again: the server refuses, in the page's language, and the form says so beside the field.
    await admin.getByRole('button', { name: '添加成员' }).click();
    const again = admin.getByRole('dialog', { name: '添加成员' });
    await again.getByRole('textbox', { name: '姓名' }).fill('重复的人');
    await again.getByRole('textbox', { name: '邮箱' }).fill(NEW_REP.email);
    await again.getByRole('button', { name: '添加', exact: true }).click();
    await again.getByText(`已经有用户使用邮箱 ${NEW_REP.email}。`).waitFor();
    await again.getByRole('button', { name: '取消' }).click();

    // A rep in the other team, for the manager's view below.
    await admin.getByRole('button', { name: '添加成员' }).click();
    const other = admin.getByRole('dialog', { name: '添加成员' });
    await other.getByRole('textbox', { name: '姓名' }).fill(OTHER_REP.name);
    await other.getByRole('textbox', { name: '邮箱' }).fill(OTHER_REP.email);
    await choose(other, admin, '团队', OTHER_TEAM);
    await other.getByRole('button', { name: '添加', exact: true }).click();
    await other.waitFor({ state: 'hidden' });
    await personCard(admin, OTHER_REP.email).waitFor();
  });

  it('gives the new rep a territory of places and a listed account', async () => {
    await admin.getByRole('button', { name: '添加区域' }).click();
    const dialog = admin.getByRole('dialog', { name: '添加区域' });
    await dialog.getByLabel('区域名称').fill('海南');
    await choose(dialog, admin, '销售员', new RegExp(`^${NEW_REP.name}`));
    const provinces = dialog.getByLabel('省份', { exact: true });
    await provinces.fill('海南省');
    await provinces.press('Enter');
    const accounts = dialog.getByLabel('指定客户', { exact: true });
    await accounts.fill('有限公司');
    await admin.getByRole('option').first().click();
    // The picker stays open for more; a click elsewhere in the dialog closes it.
    await dialog.getByRole('heading', { name: '添加区域' }).click();
    await dialog.getByRole('button', { name: '添加区域' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.getByText('区域“海南”已保存').waitFor();
    const card = admin.getByTestId('territory-card').filter({ hasText: '海南' });
    await expect(card.getByText(`销售员：${NEW_REP.name}`).count()).resolves.toBe(1);
    await expect(card.getByText('其中指定 1 个', { exact: false }).count()).resolves.toBe(1);
    await expect(personCard(admin, NEW_REP.email).getByText('海南', { exact: true }).count()).resolves.toBe(
      1,
    );
  });

  it('hands a rep’s accounts to the new rep after a preview, and back again', async () => {
    // The dashboard's overdue accounts per rep, seen before the hand-over: Li Na has some.
    const overdueByRep = admin.getByTestId('dashboard-overdue').getByRole('row');
    await admin.getByRole('navigation').getByRole('link', { name: '业绩看板' }).click();
    await overdueByRep.filter({ hasText: '李娜' }).waitFor();
    await admin.getByRole('navigation').getByRole('link', { name: '团队', exact: true }).click();
    await personCard(admin, DEMO_REP).waitFor();
    const before = await accountCount(admin, DEMO_REP);
    await personAction(admin, '李娜', '交接客户');
    const dialog = admin.getByRole('dialog', { name: '交接 李娜 的客户' });
    const preview = dialog.getByTestId('hand-over-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`名下有 ${before} 家客户`);
    const confirm = dialog.getByRole('button', { name: `交接 ${before} 家客户` });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await choose(dialog, admin, '交接给', new RegExp(`^${NEW_REP.name}`));
    await dialog.getByText(`将从 李娜 转给 ${NEW_REP.name}`, { exact: false }).waitFor();
    await confirm.click();
    await dialog.getByText('已完成交接').waitFor();
    await dialog.getByRole('button', { name: '关闭' }).last().click();
    await expect.poll(() => accountCount(admin, NEW_REP.email)).toBe(before);
    await expect.poll(() => accountCount(admin, DEMO_REP)).toBe(0);
    // Back on the dashboard in the same page (no reload, within the answers' cache time): the overdue accounts moved
    // with the hand-over, and the figures are read again instead of shown from before it.
    await admin.getByRole('navigation').getByRole('link', { name: '业绩看板' }).click();
    await overdueByRep.filter({ hasText: NEW_REP.name }).waitFor();
    await expect(overdueByRep.filter({ hasText: '李娜' }).count()).resolves.toBe(0);
    await admin.getByRole('navigation').getByRole('link', { name: '团队', exact: true }).click();
    await personCard(admin, NEW_REP.email).waitFor();

    await personAction(admin, NEW_REP.name, '交接客户');
    const back = admin.getByRole('dialog', { name: `交接 ${NEW_REP.name} 的客户` });
    await back.getByTestId('hand-over-preview').waitFor();
    await choose(back, admin, '交接给', /^李娜/);
    await back.getByRole('button', { name: `交接 ${before} 家客户` }).click();
    await back.getByText('已完成交接').waitFor();
    await back.getByRole('button', { name: '关闭' }).last().click();
    await expect.poll(() => accountCount(admin, DEMO_REP)).toBe(before);
    await expect.poll(() => accountCount(admin, NEW_REP.email)).toBe(0);
  });

  it('disables the new rep: gone from the list, shown on request, and unable to sign in', async () => {
    await personAction(admin, NEW_REP.name, '停用');
    const dialog = admin.getByRole('dialog', { name: `停用 ${NEW_REP.name}？` });
    await dialog.getByRole('button', { name: '停用' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await personCard(admin, NEW_REP.email).waitFor({ state: 'detached' });
    await admin.getByLabel('显示 1 名已停用的成员').check();
    await personCard(admin, NEW_REP.email).getByText('已停用').waitFor();
    const signIn = await admin.request.post(`${baseUrl}/api/auth/sign-in`, {
      data: { email: NEW_REP.email, password: NEW_REP.password },
    });
    expect(signIn.status()).toBe(403);
  });

  it('fits a 375×812 phone', async () => {
    await admin.setViewportSize({ width: 375, height: 812 });
    await admin.goto(`${baseUrl}/team`);
    await personCard(admin, DEMO_REP).waitFor();
    await noHorizontalScroll(admin);
    await admin.screenshot({ path: join(SCREENSHOTS, 'team-375.png') });
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the manager only their team, without the admin’s steps', async () => {
    const page = await signedIn(DEMO_MANAGER);
    await page.goto(`${baseUrl}/team`);
    await personCard(page, DEMO_REP).waitFor();
    const emails = await page
      .getByTestId('person-card')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-person')));
    expect(emails.sort()).toEqual([DEMO_REP, DEMO_MANAGER, 'david.zhang@demo.tierline.local'].sort());
    await expect(page.getByTestId('team-card').count()).resolves.toBe(1);
    await expect(page.getByText(OTHER_TEAM).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '添加团队' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '添加成员' }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'team-manager-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('days off: a typed text that is no day is named under the field, the Add button level with the input', async () => {
    const page = await signedIn(DEMO_MANAGER);
    await page.goto(`${baseUrl}/team`);
    await personCard(page, DEMO_REP).waitFor();
    await personAction(page, '李娜', '休假');
    const dialog = page.getByRole('dialog', { name: '休假：李娜' });
    const date = dialog.getByTestId('day-off-date');
    await date.waitFor();
    const add = dialog.getByRole('button', { name: '添加', exact: true });
    const tops = async () => [(await date.boundingBox())?.y, (await add.boundingBox())?.y];
    const [inputTop, buttonTop] = await tops();
    expect(buttonTop).toBe(inputTop);
    // The field's own error once the typing stops (on leaving it), and the one "Add" gives: the button stays put.
    await date.click();
    await page.keyboard.type('2026-02-30');
    await page.keyboard.press('Tab');
    const error = dialog.getByText('“2026-02-30”不是有效日期', { exact: false });
    await error.waitFor();
    expect(await tops()).toEqual([inputTop, buttonTop]);
    await add.click();
    await error.waitFor();
    expect(await tops()).toEqual([inputTop, buttonTop]);
    await dialog.screenshot({ path: join(SCREENSHOTS, 'team-days-off-error.png') });
    await page.keyboard.press('Escape');
  });

  it('keeps the chosen language with the user: English after a reload and in a fresh browser, then Chinese again', async () => {
    const page = await signedIn(DEMO_MANAGER);
    await page.goto(`${baseUrl}/team`);
    await page.getByRole('heading', { level: 1, name: '团队' }).waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    // Saved on the server, not just in this browser.
    await expect
      .poll(async () => {
        const status = await (await page.request.get(`${baseUrl}/api/auth/status`)).json();
        return (status as { user: { locale: string } }).user.locale;
      })
      .toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();

    // A browser that never saw the choice (its own language Chinese) opens in the user's English.
    const fresh = await signedIn(DEMO_MANAGER, { locale: 'zh-CN' });
    await fresh.goto(`${baseUrl}/team`);
    await fresh.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await expect(fresh.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    expect(await seriousViolations(fresh)).toEqual([]);

    // Another user, who never chose, gets their browser's language.
    const other = await signedIn(DEMO_ADMIN, { locale: 'en-US' });
    await other.goto(`${baseUrl}/team`);
    await other.getByRole('heading', { level: 1, name: 'Team' }).waitFor();

    await fresh.getByText('简体中文', { exact: true }).click();
    await fresh.getByRole('heading', { level: 1, name: '团队' }).waitFor();
    const third = await signedIn(DEMO_MANAGER, { locale: 'en-US' });
    await third.goto(`${baseUrl}/team`);
    await third.getByRole('heading', { level: 1, name: '团队' }).waitFor();
  });
});
