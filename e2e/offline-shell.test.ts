// The app opened where there is no signal, in a real browser: once the service worker (web/src/sw/worker.ts) has seen
// Today, a reload with the server stopped for real still opens the app and shows the rep's agenda as it last was,
// said to be offline; a log made then is kept and sent once when the server is back. A cached agenda is its user's
// only: after sign-out, another user offline sees none of it. Debian's Chromium via playwright-core, against a server
// in this process that is closed and started again on the same port.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAgenda } from '../src/schemas/plan-api.ts';
import { type AppInstance, buildApp } from '../src/server/app.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { groupAgenda } from '../web/src/features/today/agenda-groups.ts';
import {
  DEMO_PASSWORD,
  DEMO_REP,
  ensureCallsDueToday,
  launchChromium,
  makeDemoDatabase,
  newBrowserContext,
  prepareBrowserTests,
  seriousViolations,
  signInByApi,
  signInByForm,
  snapshotWeb,
  workspaceToday,
} from './support.ts';

/** A second rep of the demo workspace: the "different user" of the last test. */
const OTHER_REP = 'david.zhang@demo.tierline.local';
const EN_SIGN_IN = { email: 'Email address', password: 'Password', submit: 'Sign in' };
const WAIT = { timeout: 15_000 };
/** Cards Today renders per section before "show more" (web/src/pages/TodayPage.tsx). */
const FIRST_ITEMS_PER_GROUP = 40;

describe('the app shell without a server in Chromium', () => {
  let dir: string;
  let database: Db;
  let webRoot: string;
  let app: AppInstance | null = null;
  let port = 0;
  let baseUrl = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let repId = '';
  let otherId = '';
  /** The rep's agenda items Today showed while the server answered. */
  let onlineIds: string[] = [];

  const db = () => database.kysely;

  /** The server, on the same port every time (the browser's pages and worker know it by its address). */
  async function startServer(): Promise<void> {
    const next = await buildApp(database, { webRoot });
    await next.listen({ port, host: '127.0.0.1' });
    port = (next.server.address() as AddressInfo).port;
    baseUrl = `http://127.0.0.1:${port}`;
    app = next;
  }

  /** Stops the server for real: nothing listens on its port until it is started again. */
  async function stopServer(): Promise<void> {
    await app?.close();
    app = null;
    await expect(fetch(`${baseUrl}/api/health`)).rejects.toThrow();
  }

  const shownIds = () =>
    page
      .locator('[data-testid="agenda-item"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-touch-id') ?? ''));

  /** What Today shows of an agenda: each section's first cards, in order. */
  const expectedIds = (agenda: TAgenda) =>
    groupAgenda(agenda.items).flatMap((group) =>
      group.items.slice(0, FIRST_ITEMS_PER_GROUP).map((item) => item.touchId),
    );

  /** The agenda the server answers the page's session now. */
  async function agendaNow(): Promise<TAgenda> {
    const response = await page.request.get(`${baseUrl}/api/agenda`);
    expect(response.status()).toBe(200);
    return (await response.json()) as TAgenda;
  }

  /** The service worker's cached API answers: "<cache> <path>". */
  const cachedAnswers = () =>
    page.evaluate(async () => {
      const found: string[] = [];
      for (const name of await caches.keys()) {
        if (!name.startsWith('tierline-api-')) continue;
        for (const request of await (await caches.open(name)).keys()) {
          const url = new URL(request.url);
          found.push(`${name} ${url.pathname}${url.search}`);
        }
      }
      return found.sort();
    });

  async function signOutByMenu(): Promise<void> {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
  }

  const logsOf = (accountId: string, since: string) =>
    db()
      .selectFrom('activities')
      .select(['id', 'client_id', 'outcome'])
      .where('account_id', '=', accountId)
      .where('created_at', '>=', since)
      .execute();

  beforeAll(async () => {
    prepareBrowserTests();
    dir = mkdtempSync(join(tmpdir(), 'tierline-e2e-offline-shell-'));
    const dbFile = join(dir, 't.db');
    makeDemoDatabase(dbFile);
    database = await createDb(dbFile);
    await migrateToLatest(database);
    webRoot = snapshotWeb(join(dir, 'web'));
    await startServer();
    const users = await db()
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'in', [DEMO_REP, OTHER_REP])
      .execute();
    repId = users.find((user) => user.email === DEMO_REP)?.id ?? '';
    otherId = users.find((user) => user.email === OTHER_REP)?.id ?? '';
    expect(repId).not.toBe('');
    expect(otherId).not.toBe('');
    await ensureCallsDueToday(database, repId, workspaceToday(), 6);
    await ensureCallsDueToday(database, otherId, workspaceToday(), 3);
    browser = await launchChromium();
    context = await newBrowserContext(browser, { locale: 'en-US' });
    await signInByApi(context, baseUrl, DEMO_REP, DEMO_PASSWORD);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the worker from the root, never cached, and the page registers it', async () => {
    const worker = await page.request.get(`${baseUrl}/sw.js`);
    expect(worker.status()).toBe(200);
    expect(worker.headers()['cache-control']).toBe('no-cache');
    expect(worker.headers()['content-type']).toContain('javascript');

    await page.goto(`${baseUrl}/today`);
    await page.locator('[data-testid="agenda-item"]').first().waitFor();
    // Installed (the build precached) and in charge of this page without a reload (clients.claim).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, WAIT);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${baseUrl}/sw.js`);
  });

  it("opens Today with the server stopped: the rep's last agenda, said to be offline", async () => {
    // The first load the worker sees: Today's reads are kept for this rep.
    await page.reload();
    const expected = expectedIds(await agendaNow());
    expect(expected.length).toBeGreaterThanOrEqual(6);
    await expect.poll(shownIds, WAIT).toEqual(expected);
    onlineIds = expected;
    const cache = `tierline-api-${encodeURIComponent(repId)}`;
    await expect
      .poll(cachedAnswers, WAIT)
      .toEqual(
        [
          '/api/agenda',
          '/api/auth/status',
          '/api/goals?period=week',
          '/api/practice/due',
          '/api/settings',
        ].map((path) => `${cache} ${path}`),
      );
    expect(await page.getByTestId('offline-note').count()).toBe(0);
    const counts = await page.getByTestId('agenda-counts').textContent();

    await stopServer();
    await page.reload();
    await expect.poll(shownIds, WAIT).toEqual(onlineIds);
    const note = page.getByTestId('offline-note');
    await note.waitFor(WAIT);
    // The time as the app writes every time, 24-hour with two-digit hours (i18n/format.ts TIME_OF_DAY).
    expect(await note.textContent()).toMatch(/^Offline — agenda as of \d{2}:\d{2}$/);
    expect(await page.getByTestId('agenda-counts').textContent()).toBe(counts);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Today');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('keeps a call logged while the server is down, and sends it once when it is back', async () => {
    const since = new Date().toISOString();
    const item = page.locator('[data-testid="agenda-item"][data-channel="call"]').first();
    const touchId = (await item.getAttribute('data-touch-id')) as string;
    const { account_id: accountId } = await db()
      .selectFrom('planned_touches')
      .select('account_id')
      .where('id', '=', touchId)
      .executeTakeFirstOrThrow();
    await item.locator('[data-outcome="reached"]').click();
    const banner = page.getByTestId('kept-logs');
    await expect
      .poll(() => banner.textContent(), WAIT)
      .toContain('1 log is kept on this device, not sent yet');
    expect(await page.locator(`[data-testid="agenda-item"][data-touch-id="${touchId}"]`).count()).toBe(0);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('tierline.outbox') ?? '[]'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ accountId, touchId, body: { channel: 'call', outcome: 'reached' } });
    expect(await logsOf(accountId, since)).toEqual([]);

    await startServer();
    await banner.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => banner.count(), WAIT).toBe(0);
    const logs = await logsOf(accountId, since);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.client_id).toBe(kept[0].clientId);
    // Sent, the agenda is asked for again and comes from the server: no longer said to be offline.
    await expect.poll(() => page.getByTestId('offline-note').count(), WAIT).toBe(0);
    expect(await shownIds()).not.toContain(touchId);
  });

  it('forgets the agenda when the rep signs out where the server cannot be reached', async () => {
    await expect.poll(cachedAnswers, WAIT).toContain(`tierline-api-${encodeURIComponent(repId)} /api/agenda`);
    await stopServer();
    await signOutByMenu();
    // The server was not told, but this browser keeps nothing of the rep's: Today cannot open offline.
    await expect.poll(cachedAnswers, WAIT).toEqual([]);
    await page.goto(`${baseUrl}/today`);
    await page.getByRole('button', { name: 'Try again' }).waitFor(WAIT);
    expect(await shownIds()).toEqual([]);
    expect(await page.getByTestId('user-menu').count()).toBe(0);

    // Back online, the session the server never heard end is still valid: sign out again, this time told.
    await startServer();
    await page.goto(`${baseUrl}/today`);
    await page.locator('[data-testid="agenda-item"]').first().waitFor(WAIT);
  });

  it("shows another user nothing of the previous user's agenda after sign-out", async () => {
    await signOutByMenu();
    await expect.poll(cachedAnswers, WAIT).toEqual([]);

    // The other rep signs in on this browser and opens another page first: nothing of theirs on Today is cached.
    await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent('/accounts')}`);
    await signInByForm(page, baseUrl, OTHER_REP, DEMO_PASSWORD, EN_SIGN_IN);
    await page.waitForURL((url) => url.pathname === '/accounts');
    const otherCache = `tierline-api-${encodeURIComponent(otherId)}`;
    await expect.poll(cachedAnswers, WAIT).toContain(`${otherCache} /api/auth/status`);
    expect((await cachedAnswers()).every((entry) => entry.startsWith(`${otherCache} `))).toBe(true);

    await stopServer();
    await page.goto(`${baseUrl}/today`);
    // The session is the other rep's (their cached session check), and Today has no agenda to show offline.
    await expect.poll(() => page.getByTestId('user-menu').getAttribute('title'), WAIT).not.toBe(null);
    const otherName = await page.getByTestId('user-menu').getAttribute('title');
    const { name: repName } = await db()
      .selectFrom('users')
      .select('name')
      .where('id', '=', repId)
      .executeTakeFirstOrThrow();
    expect(otherName).not.toBe(repName);
    await page.getByRole('alert').filter({ hasText: 'Could not load the agenda' }).waitFor(WAIT);
    expect(await shownIds()).toEqual([]);
    expect(await page.getByTestId('offline-note').count()).toBe(0);

    // Once the other rep's Today has loaded, offline they get their own agenda, and none of the first rep's.
    await startServer();
    await page.reload();
    const theirs = expectedIds(await agendaNow());
    expect(theirs.length).toBeGreaterThan(0);
    await expect.poll(shownIds, WAIT).toEqual(theirs);
    await expect.poll(cachedAnswers, WAIT).toContain(`${otherCache} /api/agenda`);
    await stopServer();
    await page.reload();
    await expect.poll(shownIds, WAIT).toEqual(theirs);
    await page.getByTestId('offline-note').waitFor(WAIT);
    expect(theirs.filter((id) => onlineIds.includes(id))).toEqual([]);
  });

  it("drops the previous user's answers when the session changed without the worker seeing a sign-in", async () => {
    // The other rep's agenda is cached (the last test). The first rep signs in outside the pages (through the API,
    // which the worker never sees); the next page load's session check names them.
    const otherCache = `tierline-api-${encodeURIComponent(otherId)}`;
    expect(await cachedAnswers()).toContain(`${otherCache} /api/agenda`);
    const theirs = await shownIds();
    expect(theirs.length).toBeGreaterThan(0);
    await startServer();
    await signInByApi(context, baseUrl, DEMO_REP, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/accounts`);
    const repCache = `tierline-api-${encodeURIComponent(repId)}`;
    await expect.poll(cachedAnswers, WAIT).toContain(`${repCache} /api/auth/status`);
    expect((await cachedAnswers()).every((entry) => entry.startsWith(`${repCache} `))).toBe(true);

    await stopServer();
    await page.goto(`${baseUrl}/today`);
    await page.getByRole('alert').filter({ hasText: 'Could not load the agenda' }).waitFor(WAIT);
    expect(await shownIds()).toEqual([]);
    const { name: repName } = await db()
      .selectFrom('users')
      .select('name')
      .where('id', '=', repId)
      .executeTakeFirstOrThrow();
    expect(await page.getByTestId('user-menu').getAttribute('title')).toBe(repName);
  });
});
