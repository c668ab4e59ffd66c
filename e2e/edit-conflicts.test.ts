// Two people editing the same record in two browsers (Debian's Chromium via playwright-core, over the demo
// workspace): the manager, in Chinese, and the admin, in English, both open the workspace settings and then the
// same territory. Whoever saves second, on the version both read, is not allowed to overwrite the first save: the
// form says someone else just changed it, in the page's language, shows what is saved now and keeps their change,
// which they can then save on top of it.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  DEMO_MANAGER,
  DEMO_PASSWORD,
  type DemoWorkspace,
  SCREENSHOTS,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

describe('two people saving the same record', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;
  let manager: Page;

  beforeAll(async () => {
    workspace = await startDemoWorkspace('edit-conflicts');
    ({ baseUrl, browser } = workspace);
    admin = await signedInPage(browser, baseUrl, DEMO_ADMIN, DEMO_PASSWORD, { locale: 'en' });
    manager = await signedInPage(browser, baseUrl, DEMO_MANAGER, DEMO_PASSWORD, { locale: 'zh-CN' });
    contexts.push(admin.context(), manager.context());
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  const storedSettings = async () =>
    (await (await admin.request.get(`${baseUrl}/api/settings`)).json()) as {
      capacity: { callsPerDay: number; visitsPerDay: number };
      version: number;
    };

  it('refuses the second settings save, says so in Chinese, and saves it on top when asked', async () => {
    const before = await storedSettings();
    await admin.goto(`${baseUrl}/settings`);
    await manager.goto(`${baseUrl}/settings`);
    const adminCalls = admin.locator('#capacity').getByLabel('Calls per day');
    const managerCalls = manager.locator('#capacity').getByLabel('每天电话次数');
    await adminCalls.waitFor();
    await managerCalls.waitFor();
    await expect(managerCalls.inputValue()).resolves.toBe(String(before.capacity.callsPerDay));

    // Both edit; the admin saves first.
    await managerCalls.fill('45');
    await adminCalls.fill('52');
    await admin.locator('#capacity').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await storedSettings()).capacity.callsPerDay).toBe(52);

    // The manager's save names the version read before: refused, nothing of it saved.
    await manager.locator('#capacity').getByRole('button', { name: '保存', exact: true }).click();
    const alert = manager.locator('#capacity').getByTestId('version-conflict');
    await alert.waitFor();
    await alert.getByText('工作区设置刚被别人修改过').waitFor();
    await alert.getByText('你的修改没有保存').waitFor();
    expect((await storedSettings()).capacity.callsPerDay).toBe(52);
    // The manager's value is still in the form.
    await expect(managerCalls.inputValue()).resolves.toBe('45');
    expect(await seriousViolations(manager)).toEqual([]);
    await alert.screenshot({ path: join(SCREENSHOTS, 'settings-conflict-zh.png') });

    // Saved on top of what is there now.
    await alert.getByRole('button', { name: '在此基础上保存我的修改' }).click();
    await alert.waitFor({ state: 'detached' });
    await expect.poll(async () => (await storedSettings()).capacity.callsPerDay).toBe(45);
    expect((await storedSettings()).version).toBe(before.version + 2);
  });

  it('refuses the second territory save, says so in English, and shows what is saved now', async () => {
    await admin.goto(`${baseUrl}/team`);
    await manager.goto(`${baseUrl}/team`);
    // One of the manager's team's territories (the admin sees every territory).
    const managerCard = manager.getByTestId('territory-card').first();
    await managerCard.waitFor();
    const name = (await managerCard.getAttribute('aria-label')) ?? '';
    expect(name).not.toBe('');
    const adminCard = admin.getByRole('article', { name, exact: true });
    await adminCard.waitFor();

    // Both open the same territory; the manager renames it first.
    await adminCard.getByRole('button', { name: `Edit territory ${name}` }).click();
    await managerCard.getByRole('button', { name: `编辑区域 ${name}` }).click();
    const adminDialog = admin.getByRole('dialog');
    const managerDialog = manager.getByRole('dialog');
    await managerDialog.getByLabel('区域名称').fill(`${name}（经理改）`);
    await managerDialog.getByRole('button', { name: '保存', exact: true }).click();
    await managerDialog.waitFor({ state: 'hidden' });

    await adminDialog.getByLabel('Territory name').fill(`${name} (admin)`);
    await adminDialog.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = adminDialog.getByTestId('version-conflict');
    await alert.waitFor();
    await alert.getByText('Someone else just changed this territory').waitFor();
    await alert.getByTestId('conflict-current').getByText(`${name}（经理改）`, { exact: false }).waitFor();
    await expect(adminDialog.getByLabel('Territory name').inputValue()).resolves.toBe(`${name} (admin)`);
    await adminDialog.screenshot({ path: join(SCREENSHOTS, 'territory-conflict-en.png') });

    // Dropping the change takes what is saved now.
    await alert.getByRole('button', { name: 'Drop mine, keep what is saved' }).click();
    await expect(adminDialog.getByLabel('Territory name').inputValue()).resolves.toBe(`${name}（经理改）`);
    const territories = (await (await admin.request.get(`${baseUrl}/api/territories`)).json()) as {
      items: { name: string }[];
    };
    expect(territories.items.map((t) => t.name)).toContain(`${name}（经理改）`);
    expect(territories.items.map((t) => t.name)).not.toContain(`${name} (admin)`);
  });
});
