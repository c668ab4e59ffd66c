// Editing the playbook and the team's skills in a real browser: a manager adds an objection (with the form's own
// checks, a taken code refused under the field), adds a response, makes it the preferred one, edits a response's
// text through a stale version, finds the objection by a Chinese fragment, adds an objection written only in
// Chinese (its code numbered for them), adds a skill that shows as a column of the team matrix and one named only
// in Chinese (its code numbered too, a taken one refused under the field); a rep sees none of the edit buttons.
// axe-core on each form.
// Debian's Chromium via playwright-core.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookObjection } from '../src/schemas/playbook-api.ts';
import type { TTeamSkills } from '../src/schemas/practice-api.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  SCREENSHOTS,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

const OBJECTION_ZH = '你们的交货周期太长了，我们的生产线等不起。';
const FIRST_RESPONSE_ZH =
  '理解，交期对生产线很关键。我们可以先从现有库存发一部分货，剩下的按您的排产分批送。';
const ALTERNATIVE_ZH = '我们在华南有备货仓，常用型号三天内到厂；您看哪几个型号最急？';
const ALTERNATIVE_EN =
  'We keep stock in South China: common models reach you in three days. Which ones are most urgent?';

describe('Editing the playbook and skills in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A fresh profile in the given language, signed in through the API as the given demo user. */
  async function signedIn(email: string, locale: string): Promise<Page> {
    const page = await signedInPage(browser, baseUrl, email, DEMO_PASSWORD, { locale });
    contexts.push(page.context());
    return page;
  }

  async function objection(page: Page, code: string): Promise<TPlaybookObjection> {
    const response = await page.request.get(`${baseUrl}/api/objections/${code}?lang=zh`);
    expect(response.status()).toBe(200);
    return (await response.json()) as TPlaybookObjection;
  }

  beforeAll(async () => {
    workspace = await startDemoWorkspace('playbook-edit');
    ({ baseUrl, browser } = workspace);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await workspace?.close();
  });

  it('lets a manager add an objection, add and prefer a response, edit one, and find it by a Chinese fragment', async () => {
    const page = await signedIn(DEMO_MANAGER, 'zh-CN');
    await page.goto(`${baseUrl}/playbook`);
    await page.getByRole('heading', { level: 1, name: '异议应对' }).waitFor();
    await page.locator('[data-testid="objection-card"]').first().waitFor();

    // The form's own checks first: nothing written yet, and the code emptied.
    await page.getByRole('button', { name: '新增异议' }).click();
    const create = page.getByRole('dialog', { name: '新增异议' });
    const code = create.getByLabel(/^代码/);
    await code.fill('');
    await create.getByRole('button', { name: '添加异议' }).click();
    await create.getByText('请填写这条异议的代码。').waitFor();
    await create.getByText('请用中文或英文（或两种）写下这条异议。').waitFor();
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '新增异议' }).click();

    // The code follows the English name; a code already taken is refused, said under the field.
    await create.getByLabel('简称（中文）').fill('交期太长');
    await create.getByLabel('简称（英文）').fill('Lead times too long');
    await expect(code.inputValue()).resolves.toBe('lead-times-too-long');
    await create.getByLabel('异议（中文）').fill(OBJECTION_ZH);
    await create.getByLabel('异议（英文）').fill('Your lead times are too long for our production line.');
    await create.getByLabel('话术（中文）').fill(FIRST_RESPONSE_ZH);
    await code.fill('no-budget');
    await create.getByRole('button', { name: '添加异议' }).click();
    await create.getByText('异议应对中已经有代码为 no-budget 的异议；请换一个代码。').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-new-objection-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await code.fill('lead-times-too-long');
    await create.getByRole('button', { name: '添加异议' }).click();

    // Saved: the editor opens on it, the first response preferred.
    const editor = page.getByRole('dialog', { name: '编辑：交期太长' });
    await editor.waitFor();
    const saved = await objection(page, 'lead-times-too-long');
    expect(saved).toMatchObject({ zh: OBJECTION_ZH, label: { zh: '交期太长', en: 'Lead times too long' } });
    expect(saved.responses).toHaveLength(1);
    expect(saved.responses[0]).toMatchObject({ zh: FIRST_RESPONSE_ZH, preferred: true });

    // An alternative response in both languages; an empty one is refused with a message.
    await editor.getByRole('button', { name: '添加话术' }).click();
    await editor.getByText('请用中文或英文（或两种）写下这条话术。').waitFor();
    await editor.getByLabel('话术（中文）').fill(ALTERNATIVE_ZH);
    await editor.getByLabel('话术（英文）').fill(ALTERNATIVE_EN);
    await editor.getByRole('button', { name: '添加话术' }).click();
    const alternative = editor.getByRole('radio', { name: new RegExp(ALTERNATIVE_ZH.slice(0, 12)) });
    await alternative.waitFor();
    await expect(alternative.isChecked()).resolves.toBe(false);

    // Make it the preferred one: the choice is saved first and the radio follows the saved state, so click and
    // wait (Playwright's check() wants the state changed at once and failed when the save took a moment).
    await alternative.click();
    await expect.poll(() => alternative.isChecked()).toBe(true);
    await expect
      .poll(async () => (await objection(page, 'lead-times-too-long')).responses.find((r) => r.preferred)?.zh)
      .toBe(ALTERNATIVE_ZH);

    // Edit the first response's text while someone else changes it: the newer text is shown, saving again wins.
    const first = (await objection(page, 'lead-times-too-long')).responses.find((r) => !r.preferred);
    expect(first).toBeDefined();
    await editor.getByRole('button', { name: /^编辑话术：理解，交期对生产线很关键/ }).click();
    const responseEditor = editor.getByTestId('response-editor');
    const csrf = (
      (await (await page.request.get(`${baseUrl}/api/auth/status`)).json()) as { csrfToken: string }
    ).csrfToken;
    const other = await page.request.patch(
      `${baseUrl}/api/objections/lead-times-too-long/responses/${first?.id}`,
      {
        headers: { 'x-csrf-token': csrf },
        data: { version: first?.version, zh: '理解，交期确实重要。' },
      },
    );
    expect(other.status()).toBe(200);
    const edited = '理解，交期对生产线很关键。现货先发一半，其余五个工作日内到厂。';
    await responseEditor.getByLabel('话术（中文）').fill(edited);
    await responseEditor.getByRole('button', { name: '保存话术' }).click();
    await responseEditor.getByText(/这条话术刚被别人修改过/).waitFor();
    await responseEditor.getByText('“理解，交期确实重要。”').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await responseEditor.getByRole('button', { name: '保存话术' }).click();
    await responseEditor.waitFor({ state: 'detached' });
    await editor.getByRole('radio', { name: new RegExp(edited.slice(0, 20)) }).waitFor();
    const after = await objection(page, 'lead-times-too-long');
    expect(after.responses.find((r) => r.id === first?.id)?.zh).toBe(edited);
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-edit-responses-zh.png') });
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });

    // Found by a fragment of its Chinese text, the preferred (new) response shown first on the card.
    await page.getByTestId('playbook-search').fill('等不起');
    await page.waitForURL((url) => url.searchParams.get('q') === '等不起');
    const card = page.locator('[data-testid="objection-card"][data-code="lead-times-too-long"]');
    await card.waitFor();
    await expect(
      page.locator('[data-testid="objection-card"]').first().getAttribute('data-code'),
    ).resolves.toBe('lead-times-too-long');
    await expect(card.locator('mark').first().textContent()).resolves.toBe('等不起');
    await card.getByText(ALTERNATIVE_ZH).waitFor();
    await card.getByText('团队新增', { exact: true }).waitFor();
  });

  it('numbers the code of an objection written only in Chinese, and saves it', async () => {
    const page = await signedIn(DEMO_MANAGER, 'zh-CN');
    await page.goto(`${baseUrl}/playbook`);
    await page.locator('[data-testid="objection-card"]').first().waitFor();
    const playbook = (await (await page.request.get(`${baseUrl}/api/objections`)).json()) as {
      objections: { code: string }[];
    };
    const numbered = `objection-${playbook.objections.length + 1}`;
    expect(playbook.objections.map((o) => o.code)).not.toContain(numbered);

    await page.getByRole('button', { name: '新增异议' }).click();
    const create = page.getByRole('dialog', { name: '新增异议' });
    await create.getByLabel('简称（中文）').fill('先比价');
    await create.getByLabel('异议（中文）').fill('我们要先比较三家供应商的报价再说。');
    // No English name: a code is there all the same, one the playbook does not have; it can still be changed.
    const code = create.getByLabel(/^代码/);
    await expect(code.inputValue()).resolves.toBe(numbered);
    await expect(code.isEditable()).resolves.toBe(true);
    await create.getByRole('button', { name: '添加异议' }).click();
    await page.getByRole('dialog', { name: '编辑：先比价' }).waitFor();
    expect(await objection(page, numbered)).toMatchObject({
      code: numbered,
      zh: '我们要先比较三家供应商的报价再说。',
      label: { zh: '先比价', en: '' },
    });
    await page.keyboard.press('Escape');
  });

  it('lets a manager add a skill that shows in the team matrix', async () => {
    const page = await signedIn(DEMO_MANAGER, 'zh-CN');
    await page.goto(`${baseUrl}/team/skills`);
    await page.getByRole('heading', { level: 1, name: '团队技能' }).waitFor();
    const matrix = page.getByTestId('skill-matrix');
    await matrix.waitFor();

    await page.getByRole('button', { name: '添加技能' }).click();
    const dialog = page.getByRole('dialog', { name: '添加技能' });
    await dialog.getByRole('button', { name: '添加技能' }).click();
    await dialog.getByText('请用中文或英文（或两种）填写技能名称。').waitFor();
    await dialog.getByLabel('名称（中文）').fill('电话开场白');
    await dialog.getByLabel('名称（英文）').fill('Cold call opening');
    await dialog.getByLabel('说明').fill('三十秒内说清来意，并约到下一次通话或拜访。');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '添加技能' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('skill-added').getByText('已添加技能：电话开场白').waitFor();

    // A new column: every rep starts at stage 1, and the header carries the description.
    const header = matrix.getByRole('columnheader', { name: '电话开场白' });
    await header.waitFor();
    await expect(header.getAttribute('title')).resolves.toBe(
      '电话开场白: 三十秒内说清来意，并约到下一次通话或拜访。',
    );
    await matrix.getByRole('button', { name: /^李娜，电话开场白：阶段 1 / }).waitFor();
    const team = (await (await page.request.get(`${baseUrl}/api/practice/team`)).json()) as TTeamSkills;
    expect(team.skills.find((s) => s.code === 'custom:cold-call-opening')).toMatchObject({
      zh: '电话开场白',
      description: '三十秒内说清来意，并约到下一次通话或拜访。',
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'team-skills-added-zh.png'), fullPage: true });
  });

  it('numbers the code of a skill named only in Chinese, refuses a taken one, and saves it', async () => {
    const page = await signedIn(DEMO_MANAGER, 'zh-CN');
    await page.goto(`${baseUrl}/team/skills`);
    await page.getByTestId('skill-matrix').waitFor();
    const before = (await (await page.request.get(`${baseUrl}/api/practice/team`)).json()) as TTeamSkills;
    const custom = before.skills.filter((s) => s.code.startsWith('custom:'));
    // The previous test added cold-call-opening; the number counts on from the manager's own skills.
    expect(custom.map((s) => s.code)).toContain('custom:cold-call-opening');
    const numbered = `skill-${custom.length + 1}`;
    expect(before.skills.map((s) => s.code)).not.toContain(`custom:${numbered}`);

    await page.getByRole('button', { name: '添加技能' }).click();
    const dialog = page.getByRole('dialog', { name: '添加技能' });
    await dialog.getByLabel('名称（中文）').fill('异议后的追问');
    // No English name: a code is there all the same, one the team does not have; it can still be changed.
    const code = dialog.getByLabel(/^代码/);
    await expect(code.inputValue()).resolves.toBe(numbered);
    await expect(code.isEditable()).resolves.toBe(true);
    // A code a skill already has is refused under the field before anything is sent.
    await code.fill('cold-call-opening');
    await dialog.getByRole('button', { name: '添加技能' }).click();
    await dialog.getByText('已经有代码为 cold-call-opening 的技能；请换一个代码。').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await code.fill(numbered);
    await dialog.getByRole('button', { name: '添加技能' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('skill-added').getByText('已添加技能：异议后的追问').waitFor();
    await page.getByTestId('skill-matrix').getByRole('columnheader', { name: '异议后的追问' }).waitFor();
    const after = (await (await page.request.get(`${baseUrl}/api/practice/team`)).json()) as TTeamSkills;
    expect(after.skills.find((s) => s.code === `custom:${numbered}`)).toMatchObject({
      zh: '异议后的追问',
      en: '',
    });
    expect(after.skills.filter((s) => s.code === 'custom:cold-call-opening')).toHaveLength(1);
  });

  it('shows a rep the playbook and skills read-only', async () => {
    // The demo rep's own language setting is Chinese.
    const page = await signedIn(DEMO_REP, 'zh-CN');
    await page.goto(`${baseUrl}/playbook`);
    await page.getByRole('heading', { level: 1, name: '异议应对' }).waitFor();
    await page
      .locator('[data-testid="objection-card"][data-code="lead-times-too-long"]')
      .getByTestId('open-quick-view')
      .waitFor();
    await expect(page.getByRole('button', { name: '新增异议' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^编辑/ }).count()).resolves.toBe(0);

    await page.goto(`${baseUrl}/team/skills`);
    await page.getByRole('heading', { level: 1, name: '团队技能' }).waitFor();
    await page.getByTestId('skill-stages').waitFor();
    await expect(page.getByRole('button', { name: '添加技能' }).count()).resolves.toBe(0);
    // The API refuses as well.
    const csrf = (
      (await (await page.request.get(`${baseUrl}/api/auth/status`)).json()) as { csrfToken: string }
    ).csrfToken;
    const refused = await page.request.post(`${baseUrl}/api/skills`, {
      headers: { 'x-csrf-token': csrf },
      data: { zh: '自己加的技能' },
    });
    expect(refused.status()).toBe(403);
  });
});
