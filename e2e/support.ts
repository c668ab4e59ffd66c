// Shared parts of every browser test in e2e/: Debian's Chromium through playwright-core, a server over a
// temporary database (in this process with a private copy of the web build, or the real `tierline serve`),
// sign-in (through the API or the form), axe-core, and checks that a page rendered whole.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { type AppInstance, buildApp } from '../src/server/app.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { startServer as spawnServe } from '../test/helpers/server-process.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const TIME_ZONE = 'Asia/Shanghai';
export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 375, height: 812 } as const;
export const DEMO_PASSWORD = 'tierline-demo';
export const DEMO_ADMIN = 'admin@demo.tierline.local';
export const DEMO_MANAGER = 'manager@demo.tierline.local';
export const DEMO_REP = 'li.na@demo.tierline.local';

/** Builds web/dist when it is missing, checks Chromium is there and makes the screenshot folder. */
export function prepareBrowserTests(): void {
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
}

/**
 * A private copy of the built web app. Other work may rebuild web/dist while a file runs, and the server
 * lists the asset files when it starts; a copy taken once (and checked complete) keeps every request valid.
 */
export function snapshotWeb(into: string): string {
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

/** `tierline --db <file> demo` by the real binary. */
function runDemo(file: string): void {
  try {
    execFileSync(process.execPath, ['bin/tierline.js', '--db', file, 'demo'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`tierline demo failed: ${stderr || (error as Error).message}`);
  }
}

/**
 * The demo database of this test run and workspace day (the demo's plans and history are dated from the day it is
 * made): made once by the real binary in the run's folder (test/global-setup.ts) and then only copied, which saves
 * each browser file ~3 s of CPU. Undefined outside a run with that folder, or when the file would not be whole.
 */
function demoTemplate(): string | undefined {
  const dir = inject('e2eDemoCache');
  if (!dir || !existsSync(dir)) return undefined;
  const template = join(dir, `demo-${workspaceToday()}.db`);
  if (existsSync(template)) return template;
  // Made under a name of its own and renamed: a file running in parallel copies a whole database or makes its own.
  const building = `${template}.${process.pid}.tmp`;
  runDemo(building);
  // The binary closes the database checkpointed (one self-contained file); anything left beside it: no template.
  if (existsSync(`${building}-wal`) || existsSync(`${building}-journal`)) return undefined;
  renameSync(building, template);
  return template;
}

/** `tierline --db <file> demo`: the demo workspace, made by the real binary (once per run, then copied). */
export function makeDemoDatabase(file: string): void {
  const template = demoTemplate();
  if (template) copyFileSync(template, file);
  else runDemo(file);
}

export interface RunningServer {
  baseUrl: string;
  database: Db;
  close(): Promise<void>;
}

/** The API and the web app in this process on a free port, over the database file (migrated to the latest). */
export async function startServer(dbFile: string, workDir: string): Promise<RunningServer> {
  const database = await createDb(dbFile);
  await migrateToLatest(database);
  const app: AppInstance = await buildApp(database, { webRoot: snapshotWeb(join(workDir, 'web')) });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface ServeProcess {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real `tierline serve` as a child process on a free port over the database file (it serves web/dist
 * itself); resolves once it is ready, or fails with its output.
 */
export async function startServeProcess(dbFile: string): Promise<ServeProcess> {
  const server = await spawnServe(dbFile, { env: { LOG_LEVEL: 'warn' } });
  return {
    baseUrl: server.base,
    async close() {
      server.kill('SIGTERM');
      await server.exited;
    },
  };
}

/** Gzipped bytes of the JavaScript web/dist/index.html loads before anything else (entry and modulepreloads). */
export function initialJsBytes(): number {
  const html = readFileSync(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(join(ROOT, 'web', 'dist', file))).length, 0);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface DemoWorkspace {
  /** The temporary folder: the database file and the copy of the web build. */
  dir: string;
  server: RunningServer;
  baseUrl: string;
  browser: Browser;
  /** Closes the browser and the server and removes the folder. */
  close(): Promise<void>;
}

/**
 * What most browser tests start from: the checks of prepareBrowserTests, the demo workspace (`tierline demo`)
 * in a new temporary folder, the server in this process over it and Chromium. `arrange` changes the database
 * file before the server opens it.
 */
export async function startDemoWorkspace(
  name: string,
  arrange?: (dbFile: string) => void,
): Promise<DemoWorkspace> {
  prepareBrowserTests();
  const dir = mkdtempSync(join(tmpdir(), `tierline-e2e-${name}-`));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const dbFile = join(dir, 't.db');
    makeDemoDatabase(dbFile);
    arrange?.(dbFile);
    server = await startServer(dbFile, dir);
    browser = await launchChromium();
    return { dir, server, baseUrl: server.baseUrl, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ContextOptions {
  /** The browser's language (zh-CN unless said). */
  locale?: string;
  viewport?: { width: number; height: number };
  /** The browser's time zone: the workspace's unless said; `null` leaves the machine's own. */
  timeZone?: string | null;
  /**
   * How long one step (a click, a wait for a locator) may take before it fails naming what it waited for,
   * rather than at the test's timeout; Playwright's own default (30 s) unless said.
   */
  stepTimeout?: number;
  acceptDownloads?: boolean;
  /** A touch screen without a mouse (a phone or a tablet): CSS sees `(hover: none) and (pointer: coarse)`. */
  touch?: boolean;
}

/**
 * A fresh profile (no stored language, so the browser's locale decides) in the workspace's time zone; reduced
 * motion keeps checks and screenshots steady (no half-faded drawer).
 */
export async function newBrowserContext(
  browser: Browser,
  options: ContextOptions = {},
): Promise<BrowserContext> {
  const timeZone = options.timeZone === undefined ? TIME_ZONE : options.timeZone;
  const context = await browser.newContext({
    locale: options.locale ?? 'zh-CN',
    ...(timeZone === null ? {} : { timezoneId: timeZone }),
    viewport: options.viewport ?? DESKTOP,
    reducedMotion: 'reduce',
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    ...(options.touch ? { hasTouch: true } : {}),
  });
  if (options.stepTimeout !== undefined) context.setDefaultTimeout(options.stepTimeout);
  return context;
}

/** Signs the context in through the API (its cookie serves every page of the context); returns the CSRF token. */
export async function signInByApi(
  context: BrowserContext,
  baseUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const response = await context.request.post(`${baseUrl}/api/auth/sign-in`, { data: { email, password } });
  if (!response.ok())
    throw new Error(`Sign-in of ${email} failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/**
 * The demo admin widens the target market to every account (minEmployees 0, saved as a widening) through the API,
 * in a profile of its own: the accounts that come in have no planned touch yet.
 */
export async function widenMarketAsAdmin(demo: Pick<DemoWorkspace, 'browser' | 'baseUrl'>): Promise<void> {
  const admin = await newBrowserContext(demo.browser);
  try {
    const csrf = await signInByApi(admin, demo.baseUrl, DEMO_ADMIN, DEMO_PASSWORD);
    const market = (await (await admin.request.get(`${demo.baseUrl}/api/market`)).json()) as {
      current: { version: number } | null;
    };
    const saved = await admin.request.post(`${demo.baseUrl}/api/market`, {
      data: { version: market.current?.version ?? null, criteria: { minEmployees: 0 }, widen: true },
      headers: { 'x-csrf-token': csrf },
    });
    expect(saved.ok(), await saved.text()).toBe(true);
  } finally {
    await admin.close();
  }
}

/** A fresh profile (see newBrowserContext) signed in through the API, and a page in it. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  options: ContextOptions = {},
): Promise<Page> {
  const context = await newBrowserContext(browser, options);
  await signInByApi(context, baseUrl, email, password);
  return context.newPage();
}

/** Signs in through the sign-in form, as a person would, and waits to leave the sign-in page. */
export async function signInByForm(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  labels: { email: string; password: string; submit: string } = {
    email: '邮箱',
    password: '密码',
    submit: '登录',
  },
): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('textbox', { name: labels.email }).fill(email);
  // Required fields add a marker to the label ("密码 *"), so the label is matched from its start.
  await page.getByLabel(new RegExp(`^${labels.password}`)).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let axeScript: string | undefined;
function axeSource(): string {
  axeScript ??= readFileSync(AXE, 'utf8');
  return axeScript;
}

/** Runs axe-core in the page and returns the serious and critical violations, described for a failure message. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not added as a <script>: the app's Content-Security-Policy allows no
  // inline script (src/server/security-headers.ts), and the page is checked as it is served.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
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

export async function noHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(widths.client);
}

/** Closes the confirmations still on screen, so screenshots and checks see the page itself. */
export async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.toaster button');
  while ((await close.count()) > 0) await close.first().click();
}

/** What an i18next key looks like when it is shown instead of its text: `market.tiers.title`. */
const KEY_PATTERN = /^[a-z]+(\.[a-zA-Z]+)+$/;
/** The catalog's namespaces (`nav`, `market`, …): a key shown raw starts with one; a web address does not. */
const NAMESPACES = Object.keys(
  JSON.parse(readFileSync(join(ROOT, 'web', 'src', 'i18n', 'en.json'), 'utf8')) as Record<string, unknown>,
);

/**
 * Text and accessible names on screen that look like untranslated catalog keys: the key pattern, starting with
 * one of the catalog's namespaces (so a company's web address such as qinghe.cn is not one).
 */
export async function untranslatedKeys(page: Page): Promise<string[]> {
  const found = await page.evaluate(
    ([source, namespaces]) => {
      const keyPattern = new RegExp(source);
      const isKey = (text: string) =>
        keyPattern.test(text) && namespaces.includes(text.split('.')[0] as string);
      const hits = new Set<string>();
      const visible = (element: Element) => {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        const parent = node.parentElement;
        if (!parent || !isKey(text) || parent.closest('script, style')) continue;
        if (visible(parent)) hits.add(text);
      }
      for (const element of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
        for (const name of ['aria-label', 'placeholder', 'title']) {
          const value = element.getAttribute(name)?.trim() ?? '';
          if (isKey(value)) hits.add(`${name}="${value}"`);
        }
      }
      return [...hits];
    },
    [KEY_PATTERN.source, NAMESPACES] as const,
  );
  return found;
}

/** The page's error boundary ("This page failed to load"), in either language. */
const PAGE_FAILED = ['此页面加载失败', 'This page failed to load'];

/**
 * The page rendered whole: one h1 (with the given name, when given), no error boundary and no untranslated key
 * on screen. Returns the h1's text.
 */
export async function expectRendered(page: Page, h1?: string | RegExp): Promise<string> {
  const heading = page.getByRole('heading', { level: 1, ...(h1 ? { name: h1 } : {}) }).first();
  await heading.waitFor();
  for (const text of PAGE_FAILED) {
    await expect(page.getByText(text).count(), `${page.url()} shows its error boundary`).resolves.toBe(0);
  }
  expect(await untranslatedKeys(page), `${page.url()} shows untranslated keys`).toEqual([]);
  return (await heading.textContent()) ?? '';
}

/** A full-page screenshot from the top (the header is sticky: scrolled, it would land mid-page). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage });
}

/** Today's date in the workspace's time zone, as the server computes it. */
export function workspaceToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
}

/** The number in an element, e.g. calls made today ("3 / 40" gives 3 when `first` is set). */
export async function numberIn(page: Page, selector: string, first = false): Promise<number> {
  const text = (await page.locator(selector).first().textContent()) ?? '';
  if (first) return Number(text.match(/\d[\d,]*/)?.[0]?.replace(/,/g, '') ?? Number.NaN);
  return Number(text.replace(/\D/g, '') || Number.NaN);
}

/** The number of accounts the Market page's tier counts show for one tier (A, B or C). */
export async function tierCountOn(page: Page, tier: string): Promise<number> {
  const text = await page
    .locator(`[data-testid="tier-counts"] [data-tier="${tier}"] p`)
    .first()
    .textContent();
  return Number((text ?? '').replace(/\D/g, ''));
}

/**
 * Makes sure at least `wanted` of the rep's planned calls are due on `today` or before: moves the earliest
 * later ones onto today when the plan put fewer there. Works on the server's own database handle;
 * returns how many it moved.
 */
export async function ensureCallsDueToday(
  database: Db,
  repId: string,
  today: string,
  wanted: number,
): Promise<number> {
  const db = database.kysely;
  const due = await db
    .selectFrom('planned_touches')
    .select('id')
    .where('rep_id', '=', repId)
    .where('status', '=', 'planned')
    .where('channel', '=', 'call')
    .where('due_on', '<=', today)
    .execute();
  if (due.length >= wanted) return 0;
  const later = await db
    .selectFrom('planned_touches')
    .select('id')
    .where('rep_id', '=', repId)
    .where('status', '=', 'planned')
    .where('channel', '=', 'call')
    .where('due_on', '>', today)
    .orderBy('due_on')
    .orderBy('id')
    .limit(wanted - due.length)
    .execute();
  if (later.length < wanted - due.length)
    throw new Error('The committed plan holds too few calls for the rep');
  await db
    .updateTable('planned_touches')
    .set({ due_on: today })
    .where(
      'id',
      'in',
      later.map((t) => t.id),
    )
    .execute();
  return later.length;
}
