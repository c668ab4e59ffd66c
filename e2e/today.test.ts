// Today and the account page in a real browser, as the demo rep: the headline and agenda, one-click and
// keyboard logging, the log form with an objection and the response used, the account page's timeline, the
// stage conflict, English, and the same on a 375×812 phone. Debian's Chromium via playwright-core.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../src/server/app.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIME_ZONE = 'Asia/Shanghai';
const REP_EMAIL = 'li.na@demo.tierline.local';
const DEMO_PASSWORD = 'tierline-demo';

/**
 * A private copy of the built web app. Other work may rebuild web/dist while this file runs, and the server
 * lists the asset files when it starts; a copy taken once (and checked complete) keeps every request valid.
 */
function snapshotWeb(into: string): string {
  const source = join(ROOT, 'web', 'dist');
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      rmSync(into, { recursive: true, force: true });
      cpSync(source, into, { recursive: true });
      const html = readFileSync(join(into, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string);
      if (assets.every((asset) => existsSync(join(into, asset)))) return into;
    } catch {
      // caught mid-build: try again in a moment
    }
    execFileSync('sleep', ['1']);
  }
  throw new Error('web/dist kept changing while it was copied');
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page and returns the serious and critical violations, described for a failure message. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary?.replace(/\s+/g, ' ')})`).join(', ')}`,
    );
}

/** Today's date in the workspace's time zone, as the server computes it. */
function workspaceToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
}

function shift(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The demo plan starts today, so on a weekend today holds nothing and nothing is ever overdue. Move some of
 * the rep's next touches onto today and two onto earlier days, so every run sees a full agenda: overdue, A,
 * B and C, calls and visits.
 */
function arrangeAgenda(dbPath: string, today: string): void {
  const db = new Database(dbPath);
  try {
    const rep = db.prepare('select id from users where email = ?').get(REP_EMAIL) as { id: string };
    const next = db
      .prepare(
        `select t.id, t.channel, a.tier from planned_touches t join accounts a on a.id = t.account_id
         where t.rep_id = ? and t.status = 'planned' and t.due_on > ?
         order by t.due_on, t.id`,
      )
      .all(rep.id, today) as { id: string; channel: string; tier: string }[];
    const used = new Set<string>();
    const take = (tier: string, channel: string, n: number) => {
      const picked = next
        .filter((t) => t.tier === tier && t.channel === channel && !used.has(t.id))
        .slice(0, n);
      for (const t of picked) used.add(t.id);
      return picked;
    };
    const overdue = [...take('B', 'call', 1), ...take('C', 'call', 1)];
    const due = [
      ...take('A', 'call', 2),
      ...take('B', 'call', 1),
      ...take('B', 'visit', 1),
      ...take('C', 'call', 2),
    ];
    const move = db.prepare('update planned_touches set due_on = ? where id = ?');
    for (const [i, t] of overdue.entries()) move.run(shift(today, -(i * 2 + 1)), t.id);
    for (const t of due) move.run(today, t.id);
  } finally {
    db.close();
  }
}

/** The number in a headline card, e.g. calls made today. */
async function figure(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).textContent())?.replace(/\D/g, '') ?? Number.NaN);
}

/** Closes the confirmations still on screen, so screenshots show the page itself. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.toaster button');
  while ((await close.count()) > 0) await close.first().click();
}

/** The agenda items that are calls. */
function callItem(page: Page): Locator {
  return page.locator('[data-testid="agenda-item"][data-channel="call"]');
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, 'the page scrolls sideways').toBeLessThanOrEqual(widths.client);
}

describe('Today and the account page in Chromium', () => {
  let dir: string;
  let database: Db;
  let app: AppInstance;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let csrfToken = '';
  let today = '';
  /** The account logged through the form, to find on its page. */
  let formAccount = '';

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
      // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      execFileSync('npx', ['vite', 'build'], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'production' },
      });
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH).`,
      );
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-today-'));
    const db = join(dir, 't.db');
    try {
      execFileSync(process.execPath, ['bin/tierline.js', '--db', db, 'demo'], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`tierline demo failed: ${stderr || (error as Error).message}`);
    }
    today = workspaceToday();
    arrangeAgenda(db, today);

    // The server runs in this process on a free port, over the demo database and the copied web app.
    database = await createDb(db);
    await migrateToLatest(database);
    app = await buildApp(database, { webRoot: snapshotWeb(join(dir, 'web')) });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A fresh profile in Chinese, in the workspace's time zone; reduced motion keeps screenshots steady.
    context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: TIME_ZONE,
      viewport: { width: 1440, height: 900 },
      reducedMotion: 'reduce',
    });
    // Sign in as the demo rep through the API; the session cookie is shared by every page of the context.
    const signIn = await context.request.post(`${baseUrl}/api/auth/sign-in`, {
      data: { email: REP_EMAIL, password: DEMO_PASSWORD },
    });
    if (!signIn.ok()) throw new Error(`Demo sign-in failed: ${signIn.status()} ${await signIn.text()}`);
    csrfToken = ((await signIn.json()) as { csrfToken: string }).csrfToken;
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens on Today: calls against the goal, and the agenda overdue first, then A, B, C', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/today');
    await page.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await page.getByTestId('agenda-item').first().waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');

    await page.getByRole('heading', { name: '今日电话' }).waitFor();
    const goal = await page.getByTestId('call-goal').textContent();
    expect(Number(goal?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(5);
    await expect(
      page.getByTestId('today-headline').getByRole('heading', { name: '本周目标' }).count(),
    ).resolves.toBe(1);

    const groups = await page.locator('section[aria-labelledby^="agenda-group-"] h3').allTextContents();
    expect(groups[0]).toBe('逾期');
    expect(groups.slice(1)).toEqual(['A · 优先考虑', 'B · 一般考虑', 'C · 最后考虑']);
    const overdue = page.locator('[data-group="overdue"] [data-testid="agenda-item"]');
    await expect(overdue.count()).resolves.toBe(2);
    await expect(
      overdue
        .first()
        .getByText(/逾期 \d+ 天/)
        .count(),
    ).resolves.toBe(1);
    await expect(page.getByTestId('today-headline').getByText('B 1 · C 1').count()).resolves.toBe(1);

    // Each item: account link, tier, place, phone to dial, and the last touch with its note.
    const first = page.getByTestId('agenda-item').first();
    await expect(first.locator('a[href^="/accounts/"]').count()).resolves.toBe(1);
    await expect(first.locator('a[href^="tel:"]').count()).resolves.toBe(1);
    const lastTouches = await page.locator('.agenda-item-last').allTextContents();
    expect(lastTouches.filter((text) => !/^(上次 .+ · .+|还没有联系过)/.test(text))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'today-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('logs a call with one click: the count goes up, a toast says when the next call is due', async () => {
    const before = await figure(page, 'call-done');
    const item = callItem(page).first();
    const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
    await item.getByRole('button', { name: '接通', exact: true }).click();

    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    const toast = page.locator('.toaster [role="status"]');
    await toast.getByText('已记录电话：接通').waitFor();
    await expect(
      toast.getByText(new RegExp(`${name} · 下次电话 (\\d+年)?\\d+月\\d+日`)).count(),
    ).resolves.toBe(1);
    await expect(page.getByTestId('agenda-item').filter({ hasText: name }).count()).resolves.toBe(0);
    await page.getByTestId('logged-list').getByText(name).waitFor();
    // Focus went on to the next item, ready for the next key.
    await expect(
      page.evaluate(() => document.activeElement?.classList.contains('agenda-item')),
    ).resolves.toBe(true);
  });

  it('works from the keyboard: j/k move, 2 logs "no answer", Enter opens the log form', async () => {
    // From anywhere on the page, j comes back to the item last worked on.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    const focusedName = () =>
      page.evaluate(() => document.activeElement?.querySelector('.agenda-item-name')?.textContent ?? null);
    const firstName = await focusedName();
    expect(firstName).toBeTruthy();
    await page.keyboard.press('j');
    const secondName = await focusedName();
    expect(secondName).not.toBe(firstName);
    await page.keyboard.press('k');
    await expect(focusedName()).resolves.toBe(firstName);

    const before = await figure(page, 'call-done');
    await page.keyboard.press('2');
    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    await page.locator('.toaster').getByText('已记录电话：未接通').waitFor();
    await expect(
      page
        .getByTestId('agenda-item')
        .filter({ hasText: firstName as string })
        .count(),
    ).resolves.toBe(0);

    // The shortcuts are listed in a popover, opened with "?" and closed with Escape.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: '键盘快捷键' });
    await help.waitFor();
    await expect(help.getByText('打开详细记录').count()).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.getByTestId('agenda-item').first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('logs through the form: objection met, its responses preferred first, the one used, note and next step', async () => {
    const before = await figure(page, 'call-done');
    const item = callItem(page).first();
    formAccount = (await item.locator('.agenda-item-name').textContent()) ?? '';
    await item.getByRole('button', { name: '详细记录' }).click();
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await expect(
      dialog.getByRole('radio', { name: '接通', exact: true }).getAttribute('aria-checked'),
    ).resolves.toBe('true');
    await dialog.getByRole('radio', { name: '拒绝' }).click();

    await dialog.getByRole('combobox', { name: '遇到的异议' }).click();
    await page.getByRole('option', { name: '没有预算' }).click();
    const responses = dialog.getByRole('radiogroup', { name: '使用的应对' }).getByRole('radio');
    await expect(responses.count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(responses.first().textContent()).resolves.toMatch(/^推荐/);
    await responses.first().click();
    await dialog.getByRole('textbox', { name: '备注' }).fill('预算明年三月编制，届时再谈');
    await dialog.getByRole('textbox', { name: '下一步' }).fill('二月底发方案');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    await page.locator('.toaster').getByText('已记录电话：拒绝').waitFor();
    await expect(
      page.evaluate(() => document.activeElement?.classList.contains('agenda-item')),
    ).resolves.toBe(true);
  });

  it('shows the logged touch on the account page, with the objection and response by name', async () => {
    await page.getByTestId('logged-list').getByRole('link', { name: formAccount }).click();
    await page.getByRole('heading', { level: 1, name: formAccount }).waitFor();
    await page.getByTestId('back-link').getByText('返回今日').waitFor();
    const entry = page.getByTestId('timeline-entry').first();
    await entry.getByText('预算明年三月编制，届时再谈').waitFor();
    await expect(entry.getByText('异议：没有预算').count()).resolves.toBe(1);
    await expect(entry.getByText(/^应对：/).count()).resolves.toBe(1);
    await expect(entry.getByText('下一步：二月底发方案').count()).resolves.toBe(1);
    await expect(entry.getByText('拒绝').count()).resolves.toBe(1);
    await page.getByTestId('objections-met').getByText('没有预算').first().waitFor();
    await page.getByTestId('planned').getByText(/电话/).first().waitFor();
    await page
      .getByTestId('tier-card')
      .getByText(/家中第 \d+/)
      .waitFor();
    await page.getByTestId('sources').waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'account-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('saves the stage with its version, and on a conflict shows the current stage and retries', async () => {
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    // Someone else moves the stage after the page was read.
    const current = (await (await context.request.get(`${baseUrl}/api/accounts/${id}`)).json()) as {
      version: number;
    };
    const patched = await context.request.patch(`${baseUrl}/api/accounts/${id}`, {
      data: { version: current.version, stage: 'meeting' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(patched.status()).toBe(200);

    await page.getByRole('combobox', { name: '阶段' }).click();
    await page.getByRole('option', { name: '方案报价' }).click();
    const conflict = page.getByTestId('stage-conflict');
    await conflict.getByText('现在的阶段是「已约见」。').waitFor();
    await conflict.getByRole('button', { name: '仍改为「方案报价」' }).click();
    await page.getByText('阶段已保存').waitFor();
    await expect(page.getByRole('combobox', { name: '阶段' }).inputValue()).resolves.toBe('方案报价');
    const after = (await (await context.request.get(`${baseUrl}/api/accounts/${id}`)).json()) as {
      stage: string;
    };
    expect(after.stage).toBe('proposal');
  });

  it('opens the account page from the Accounts drawer', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await page.locator('tbody td[data-column="name"] a').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('open-account-page').click();
    await page.waitForURL((url) => /^\/accounts\/[^/]+$/.test(url.pathname));
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('back-link').getByText('返回客户列表').waitFor();
  });

  it('reads in English, dates and outcomes included', async () => {
    await page.goto(`${baseUrl}/today`);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.getByRole('heading', { name: 'Calls today' }).waitFor();
    await dismissToasts(page);
    await page.getByRole('heading', { name: 'Overdue' }).first().waitFor();
    await expect(page.getByTestId('today-date').textContent()).resolves.toMatch(
      /^[A-Z][a-z]+day, [A-Z][a-z]+ \d+, \d{4}/,
    );
    await expect(callItem(page).first().getByRole('button', { name: 'Reached' }).count()).resolves.toBe(1);
    await expect(
      callItem(page)
        .first()
        .getByText(/^Stage: /)
        .count(),
    ).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'today-en.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('works on a 375×812 phone: no sideways scroll, big targets, the log form full screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${baseUrl}/today`);
    await phone.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await phone.getByTestId('agenda-item').first().waitFor();
    await noHorizontalScroll(phone);
    const sizes = await phone
      .getByTestId('agenda-item')
      .first()
      .locator('.quick-button')
      .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(44);
    await phone.screenshot({ path: join(SCREENSHOTS, 'today-phone.png') });
    expect(await seriousViolations(phone)).toEqual([]);

    const before = await figure(phone, 'call-done');
    const item = callItem(phone).first();
    const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
    await item.getByRole('button', { name: 'Log details' }).click();
    const dialog = phone.getByRole('dialog', { name: /Log a touch/ });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box?.width).toBe(375);
    await dialog.getByRole('radio', { name: 'Meeting booked' }).click();
    await dialog.getByRole('combobox', { name: 'Objection met' }).click();
    await phone.getByRole('option', { name: 'Send me material' }).click();
    await dialog.getByRole('radiogroup', { name: 'Response used' }).getByRole('radio').first().click();
    await noHorizontalScroll(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'log-form-phone.png') });
    expect(await seriousViolations(phone)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => figure(phone, 'call-done')).toBe(before + 1);
    await phone.locator('.toaster').getByText('Call logged: Meeting booked').waitFor();

    await phone.getByTestId('logged-list').getByRole('link', { name }).click();
    await phone.getByRole('heading', { level: 1, name }).waitFor();
    await phone.getByTestId('timeline-entry').first().getByText('Objection: Send me material').waitFor();
    await noHorizontalScroll(phone);
    expect(await seriousViolations(phone)).toEqual([]);
    await dismissToasts(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'account-phone.png'), fullPage: true });
    await phone.close();
  });
});
