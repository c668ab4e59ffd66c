// The playbook, practice and team skills pages in a real browser: searching the playbook with a Chinese fragment
// and opening the quick view, a practice drill of two cards as the demo rep with ratings and the stage shown,
// and the manager's team matrix with an assessment; axe-core on each page, in Chinese and English.
// Debian's Chromium via playwright-core.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  noHorizontalScroll,
  SCREENSHOTS,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
  TIME_ZONE,
} from './support.ts';

describe('Playbook, practice and team skills in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A fresh profile in the given language, signed in through the API as the given demo user. */
  async function signedIn(email: string, locale: string, timeZone?: string): Promise<Page> {
    const page = await signedInPage(browser, baseUrl, email, DEMO_PASSWORD, {
      locale,
      ...(timeZone ? { timeZone } : {}),
    });
    contexts.push(page.context());
    return page;
  }

  beforeAll(async () => {
    // The server runs in this process on a free port, over the demo database and the copied web app.
    workspace = await startDemoWorkspace('playbook');
    ({ baseUrl, browser } = workspace);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await workspace?.close();
  });

  it('finds the no-budget objection by 预算 and opens the quick view with the preferred response first', async () => {
    const page = await signedIn(DEMO_REP, 'zh-CN');
    await page.goto(`${baseUrl}/playbook`);
    await page.getByRole('heading', { level: 1, name: '异议应对' }).waitFor();
    await page.locator('[data-testid="objection-card"]').first().waitFor();
    await expect(page.locator('[data-testid="objection-card"]').count()).resolves.toBe(7);

    // "/" jumps to the search box; a Chinese fragment finds the objection and marks the match.
    await page.keyboard.press('/');
    await page.keyboard.type('预算');
    await page.waitForURL((url) => url.searchParams.get('q') === '预算');
    const card = page.locator('[data-testid="objection-card"][data-code="no-budget"]');
    await card.waitFor();
    await page
      .getByTestId('playbook-count')
      .getByText(/^\d+ 条异议$/)
      .waitFor();
    await expect(card.locator('mark').first().textContent()).resolves.toBe('预算');
    await expect(
      page.locator('[data-testid="objection-card"]').first().getAttribute('data-code'),
    ).resolves.toBe('no-budget');
    // Effectiveness comes with its sample size.
    await expect(card.getByText(/次中 \d+ 次/).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);

    // Enter opens the best hit's quick view: the customer's words, then the preferred response in big type.
    await page.getByTestId('playbook-search').press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('quick-objection').getByText('我们没有购买这类产品或服务的预算。').waitFor();
    // The preferred response first, named once (话术 1 with its 推荐 badge, not 推荐话术 beside 推荐).
    const selected = (await dialog.getByRole('tab', { selected: true }).textContent()) ?? '';
    expect(selected).toContain('推荐');
    expect(selected.match(/推荐/g)).toHaveLength(1);
    const preferred = await dialog.getByTestId('quick-response').textContent();
    expect(preferred).toMatch(/^理解，预算都是提前定好的/);
    // The other response is one key away; c copies.
    await dialog.getByTestId('quick-response').click();
    await page.keyboard.press('2');
    await expect.poll(() => dialog.getByTestId('quick-response').textContent()).not.toBe(preferred);
    await page.keyboard.press('1');
    await expect.poll(() => dialog.getByTestId('quick-response').textContent()).toBe(preferred);
    await dialog.getByTestId('quick-copy').click();
    await dialog
      .getByTestId('quick-copy')
      .getByText(/已复制|复制话术/)
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-quick-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // What works: the per-rep table and the weekly trend.
    await card.getByRole('button', { name: /效果分析/ }).click();
    await page.getByRole('dialog').getByRole('heading', { name: '按周变化' }).waitFor();
    await page.getByTestId('what-works-groups').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // On a phone: no sideways scroll, the quick view full screen.
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${baseUrl}/playbook?q=${encodeURIComponent('预算')}`);
    const phoneCard = phone.locator('[data-testid="objection-card"][data-code="no-budget"]');
    await phoneCard.waitFor();
    await noHorizontalScroll(phone);
    await phoneCard.getByTestId('open-quick-view').click();
    await phone.getByRole('dialog').getByTestId('quick-response').waitFor();
    await noHorizontalScroll(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'playbook-quick-phone-zh.png') });
    await phone.close();
  });

  it('reads in English and lets a manager edit, with a stale version shown and retried', async () => {
    const page = await signedIn(DEMO_MANAGER, 'en-US');
    await page.goto(`${baseUrl}/playbook`);
    await page.getByRole('heading', { level: 1, name: 'Objection playbook' }).waitFor();
    await page.getByTestId('playbook-search').fill('supplier');
    const card = page.locator('[data-testid="objection-card"][data-code="have-supplier"]');
    await card.waitFor();
    await expect(card.locator('mark').first().textContent()).resolves.toMatch(/supplier/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-en.png') });
    expect(await seriousViolations(page)).toEqual([]);

    // Someone else saves first: the editor shows their text and applies the manager's change on top.
    await card.getByRole('button', { name: /^Edit/ }).click();
    const dialog = page.getByRole('dialog');
    const label = dialog.getByLabel('Short name (English)');
    await label.waitFor();
    const current = (await (await page.request.get(`${baseUrl}/api/objections/have-supplier`)).json()) as {
      version: number;
    };
    const csrf = (
      (await (await page.request.get(`${baseUrl}/api/auth/status`)).json()) as { csrfToken: string }
    ).csrfToken;
    const other = await page.request.patch(`${baseUrl}/api/objections/have-supplier`, {
      headers: { 'x-csrf-token': csrf },
      data: { version: current.version, label: { zh: '已有供应商', en: 'Has a supplier' } },
    });
    expect(other.status()).toBe(200);
    await label.fill('Already has a supplier');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const conflict = dialog.getByTestId('edit-conflict');
    await conflict.getByText('Has a supplier').waitFor();
    await conflict.getByRole('button', { name: 'Apply my change' }).click();
    await dialog.getByText('Saved', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page
      .locator('[data-testid="objection-card"][data-code="have-supplier"]')
      .getByRole('heading', { name: 'Already has a supplier' })
      .waitFor();
  });

  it('drills two cards as the rep: the customer’s words, reveal, rate with keys, and the stage shown', async () => {
    const page = await signedIn(DEMO_REP, 'zh-CN');
    await page.goto(`${baseUrl}/practice`);
    await page.getByRole('heading', { level: 1, name: '练习' }).waitFor();
    await page.getByTestId('skill-stages').waitFor();
    await page.getByTestId('drill-begin').click();

    // Card 1: typed answer, Ctrl+Enter reveals, key 3 rates Good.
    await page
      .getByTestId('drill-progress')
      .getByText(/^第 1 \/ \d+ 张$/)
      .waitFor();
    const firstPrompt = await page.getByTestId('drill-prompt').textContent();
    expect(firstPrompt).toMatch(/^“.+”$/);
    await expect(
      page
        .getByTestId('drill-card')
        .getByText(/^\d · (无意识的无能|有意识的无能|有意识的有能|无意识的有能)$/)
        .count(),
    ).resolves.toBeGreaterThan(0);
    await page.getByTestId('drill-answer').fill('我理解，我们可以约个时间当面聊聊，您最关心的是哪一点？');
    await page.getByTestId('drill-answer').press('Control+Enter');
    await page.getByTestId('drill-prepared').getByText('准备好的话术').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'practice-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('3');

    // Card 2: answered aloud, revealed with the button, rated Easy with key 4.
    await page
      .getByTestId('drill-progress')
      .getByText(/^第 2 \/ \d+ 张$/)
      .waitFor();
    expect(await page.getByTestId('drill-prompt').textContent()).not.toBe(firstPrompt);
    await page.getByText('口头回答').click();
    await page.getByTestId('drill-reveal').click();
    await page.getByTestId('drill-prepared').waitFor();
    await page.keyboard.press('4');
    await page
      .getByTestId('drill-progress')
      .getByText(/^第 3 \/ \d+ 张$/)
      .waitFor();

    // Practice moves a stage-1 skill to 2 (practice-aware): the notice says so as it happens.
    const notice = page.getByTestId('stage-change').first();
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(/进步了/);

    // End the session: the summary counts two cards and both ratings.
    await page.getByRole('button', { name: '结束练习' }).click();
    const summary = page.getByTestId('drill-summary');
    await summary.getByText('练习了 2 张卡片。').waitFor();
    await summary.getByText('想起 · 1').waitFor();
    await summary.getByText('轻松 · 1').waitFor();
    // The rep's stages and history show the moves.
    await page.getByTestId('stage-history').waitFor();
    await expect(page.getByTestId('stage-history').locator('li').count()).resolves.toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'practice-summary-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // Self-assessment on one skill.
    const select = page.getByLabel(/^自评：/).first();
    await select.click();
    await page.getByRole('option', { name: /^3 · 有意识的有能$/ }).click();
    await page
      .getByText(/^已记录/)
      .first()
      .waitFor();
  });

  it('shows the manager the team matrix and records an assessment with a reason', async () => {
    const page = await signedIn(DEMO_MANAGER, 'zh-CN');
    await page.goto(`${baseUrl}/team`);
    await page.getByTestId('team-skills-link').click();
    await page.waitForURL((url) => url.pathname === '/team/skills');
    await page.getByRole('heading', { level: 1, name: '团队技能' }).waitFor();
    const matrix = page.getByTestId('skill-matrix');
    await matrix.waitFor();
    await page.getByTestId('practice-activity').waitFor();
    await page.getByTestId('objections-met').waitFor();
    // The rep's row: every cell names the stage in words for screen readers, not by colour alone.
    const cell = matrix.getByRole('button', { name: /^李娜，应对「没有预算」：阶段 \d/ });
    await cell.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'team-skills-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await cell.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^3 · 有意识的有能/).check();
    await dialog.getByTestId('assess-reason').fill('陪访时应对预算问题很自然');
    await dialog.getByRole('button', { name: '保存评估' }).click();
    await dialog
      .getByTestId('assess-done')
      .getByText(/^已保存：李娜/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '完成' }).click();
    await matrix.getByRole('button', { name: /^李娜，应对「没有预算」：阶段 3 有意识的有能/ }).waitFor();

    // The rep's history keeps the manager's reason.
    const team = (await (await page.request.get(`${baseUrl}/api/practice/team`)).json()) as {
      members: { userId: string; name: string }[];
    };
    const rep = team.members.find((m) => m.name === '李娜');
    expect(rep).toBeDefined();
    const history = (await (
      await page.request.get(`${baseUrl}/api/skills/history?userId=${rep?.userId}`)
    ).json()) as { rule: string; reason: string | null }[];
    expect(history.some((h) => h.rule === 'manager-assessment' && h.reason?.includes('陪访'))).toBe(true);
  });

  it("dates the stage history on the workspace's clock when the laptop is set to another zone", async () => {
    // A rep of the Shanghai workspace whose browser runs on Los Angeles time (15 or 16 hours behind).
    const page = await signedIn(DEMO_REP, 'en', 'America/Los_Angeles');
    await page.goto(`${baseUrl}/practice`);
    const times = page.getByTestId('stage-history').locator('time');
    await times.first().waitFor();
    // Each moment as the page shows it, and as the browser's own Intl writes it on either clock.
    const read = () =>
      times.evaluateAll(
        (elements, workspaceZone) =>
          elements.map((el) => {
            const at = new Date(el.getAttribute('datetime') ?? '');
            const write = (timeZone: string) =>
              // As formatDateTime writes it: 24-hour, two-digit hours (Nov 27, 2026, 07:30)
              new Intl.DateTimeFormat('en-US', {
                year: 'numeric',
                month: 'short',
                day: 'numeric',
                hour: '2-digit',
                minute: '2-digit',
                hourCycle: 'h23',
                timeZone,
              }).format(at);
            return {
              shown: el.textContent,
              workspace: write(workspaceZone),
              browser: write('America/Los_Angeles'),
            };
          }),
        TIME_ZONE,
      );
    await expect
      .poll(async () => (await read()).every((entry) => entry.shown === entry.workspace))
      .toBe(true);
    const entries = await read();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.shown !== entry.browser)).toBe(true);
  });
});
