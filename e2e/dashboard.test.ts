// The dashboard in a real browser, as the demo manager: signing in lands on it, the charts and tables show the
// team's figures, a figure opens the Accounts list with exactly the accounts behind it, the rep selector
// narrows it, English and Chinese labels, axe-core, and a 375×812 phone. Debian's Chromium via playwright-core.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDashboard } from '../src/schemas/dashboard.ts';
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
const MANAGER_EMAIL = 'manager@demo.tierline.local';
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

async function noHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, 'the page scrolls sideways').toBeLessThanOrEqual(widths.client);
}

/** The number in the Accounts page's total ("共 12 家客户" / "12 accounts"). */
async function accountsTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('accounts-total').textContent()) ?? '';
  return Number(text.replace(/\D/g, ''));
}

describe('Dashboard in Chromium', () => {
  let dir: string;
  let database: Db;
  let app: AppInstance;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshContext(locale: string, viewport = { width: 1440, height: 900 }) {
    const context = await browser.newContext({
      locale,
      timezoneId: TIME_ZONE,
      viewport,
      reducedMotion: 'reduce',
    });
    contexts.push(context);
    return context;
  }

  /** A fresh profile signed in through the API as the given demo user. */
  async function signedIn(email: string, locale: string, viewport?: { width: number; height: number }) {
    const context = await freshContext(locale, viewport);
    const res = await context.request.post(`${baseUrl}/api/auth/sign-in`, {
      data: { email, password: DEMO_PASSWORD },
    });
    if (!res.ok()) throw new Error(`Demo sign-in failed: ${res.status()} ${await res.text()}`);
    return context.newPage();
  }

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
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-dashboard-'));
    const db = join(dir, 't.db');
    try {
      execFileSync(process.execPath, ['bin/tierline.js', '--db', db, 'demo'], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`tierline demo failed: ${stderr || (error as Error).message}`);
    }
    database = await createDb(db);
    await migrateToLatest(database);
    app = await buildApp(database, { webRoot: snapshotWeb(join(dir, 'web')) });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lands the manager on the dashboard after sign-in, and the rep on Today', async () => {
    for (const [email, path] of [
      [MANAGER_EMAIL, '/dashboard'],
      [REP_EMAIL, '/today'],
    ] as const) {
      const page = await (await freshContext('zh-CN')).newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByRole('textbox', { name: /邮箱|Email/ }).fill(email);
      await page.getByLabel(/密码|Password/).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
      await page.waitForURL((url) => url.pathname === path);
    }
  });

  it('shows the team’s figures and drills down from one to the accounts behind it', async () => {
    const page = await signedIn(MANAGER_EMAIL, 'zh-CN');
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByRole('heading', { level: 1, name: '团队看板' }).waitFor();
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
    const page = await signedIn(MANAGER_EMAIL, 'zh-CN');
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
    await page.getByRole('heading', { level: 1, name: '团队看板' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '每周计划与完成' }).waitFor();
    await page.getByRole('columnheader', { name: '未联系' }).waitFor();
    await page
      .getByTestId('dashboard-scope')
      .getByText(/^李娜，/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fits a 375×812 phone', async () => {
    const page = await signedIn(MANAGER_EMAIL, 'zh-CN', { width: 375, height: 812 });
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByTestId('dashboard-figures').waitFor();
    await page.locator('[data-testid="dashboard-weekly"] .recharts-bar-rectangle').first().waitFor();
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-phone-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
