// Logging without a connection, in a real browser as the demo rep: a log made offline is kept on this device (the
// agenda leaves the item, a banner counts what waits), survives a reload, and is sent once the browser is back
// online; a log whose answer was lost is sent again and still logged once (its client id); a kept log the server
// refuses is shown with the reason until dismissed. Debian's Chromium via playwright-core.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  ensureCallsDueToday,
  newBrowserContext,
  seriousViolations,
  signInByApi,
  startDemoWorkspace,
  workspaceToday,
} from './support.ts';

const LOG_URL = '**/api/accounts/*/touches';
/** How long a check waits for the page (sends are tried when the browser says it is online). */
const WAIT = { timeout: 15_000 };

describe('logging without a connection in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let repId = '';

  const db = () => workspace.server.database.kysely;
  const calls = () => page.locator('[data-testid="agenda-item"][data-channel="call"]');
  const banner = () => page.getByTestId('kept-logs');
  /** When the workspace was ready: the demo's own history of an account is older. */
  let since = '';
  /** The logs of an account made by this file, as the server has them. */
  const logsOf = (accountId: string) =>
    db()
      .selectFrom('activities')
      .select(['id', 'client_id', 'outcome'])
      .where('account_id', '=', accountId)
      .where('created_at', '>=', since)
      .execute();

  /** The first call on the agenda: its planned touch and account. */
  async function firstCall(): Promise<{ item: Locator; touchId: string; accountId: string }> {
    const item = calls().first();
    await item.waitFor();
    const touchId = (await item.getAttribute('data-touch-id')) as string;
    const touch = await db()
      .selectFrom('planned_touches')
      .select('account_id')
      .where('id', '=', touchId)
      .executeTakeFirstOrThrow();
    return { item, touchId, accountId: touch.account_id };
  }

  /**
   * Once a kept log is sent the page reads the agenda again and only then takes the log out of the outbox
   * (send-kept.ts), so the logged call does not come back meanwhile. Checks the call is off the agenda, so that the
   * next test's first call is not that one. (Called once the banner is gone: the outbox is empty, so nothing hides
   * the call but the server's answer.)
   */
  async function offTheAgenda(touchId: string): Promise<void> {
    await expect.poll(() => page.locator(`[data-touch-id="${touchId}"]`).count(), WAIT).toBe(0);
  }

  beforeAll(async () => {
    workspace = await startDemoWorkspace('offline');
    since = new Date().toISOString();
    baseUrl = workspace.baseUrl;
    const rep = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_REP)
      .executeTakeFirstOrThrow();
    repId = rep.id;
    await ensureCallsDueToday(workspace.server.database, repId, workspaceToday(), 6);
    context = await newBrowserContext(workspace.browser, { locale: 'en-US' });
    await signInByApi(context, baseUrl, DEMO_REP, DEMO_PASSWORD);
    page = await context.newPage();
    await page.goto(`${baseUrl}/today`);
    await calls().first().waitFor();
  });

  afterAll(async () => {
    await workspace?.close();
  });

  it('keeps a call logged offline on this device and sends it once the browser is back online', async () => {
    const { item, touchId, accountId } = await firstCall();
    await context.setOffline(true);
    await item.locator('[data-outcome="reached"]').click();

    await expect
      .poll(() => page.getByRole('status').getByText('kept on this device').count(), WAIT)
      .toBeGreaterThan(0);
    await expect
      .poll(() => banner().textContent(), WAIT)
      .toContain('1 log is kept on this device, not sent yet');
    expect(await page.locator(`[data-touch-id="${touchId}"]`).count()).toBe(0);
    expect(await page.getByTestId('logged-list').textContent()).toContain('Kept on this device');
    expect(await seriousViolations(page)).toEqual([]);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('tierline.outbox') ?? '[]'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ accountId, touchId, body: { channel: 'call', outcome: 'reached' } });
    expect(await logsOf(accountId)).toEqual([]);

    await context.setOffline(false);
    await expect.poll(() => banner().count(), WAIT).toBe(0);
    const logs = await logsOf(accountId);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.client_id).toBe(kept[0].clientId);
    const touch = await db()
      .selectFrom('planned_touches')
      .select(['status', 'activity_id'])
      .where('id', '=', touchId)
      .executeTakeFirstOrThrow();
    expect(touch).toEqual({ status: 'done', activity_id: logs[0]?.id });
    // Logged when the rep logged it, not when it reached the server.
    const activity = await db()
      .selectFrom('activities')
      .select('occurred_at')
      .where('id', '=', logs[0]?.id as string)
      .executeTakeFirstOrThrow();
    expect(Date.parse(activity.occurred_at)).toBe(Date.parse(kept[0].body.at));
    expect(await page.evaluate(() => localStorage.getItem('tierline.outbox'))).toBeNull();
    await offTheAgenda(touchId);
  });

  it('keeps what it logged across a reload while the server cannot be reached, then sends it on "Send now"', async () => {
    const { item, touchId, accountId } = await firstCall();
    // The page can load, but every log fails to reach the server (a dead spot between the page and the server).
    let unreached = 0;
    await page.route(LOG_URL, (route) => {
      unreached += 1;
      return route.abort('internetdisconnected');
    });
    await item.locator('[data-outcome="no_answer"]').click();
    await expect.poll(() => banner().textContent(), WAIT).toContain('1 log is kept');
    // The log, then the banner's send of what it keeps at once: both met no server before the reload.
    await expect.poll(() => unreached, WAIT).toBeGreaterThanOrEqual(2);
    const beforeReload = unreached;
    await page.reload();
    await calls().first().waitFor();
    await expect.poll(() => banner().textContent(), WAIT).toContain('1 log is kept');
    // The reloaded banner sends what it keeps at once: that send meets no server before the route is lifted (on a
    // loaded machine it could otherwise leave after, reach the server and take the banner away before "Send now").
    await expect.poll(() => unreached, WAIT).toBeGreaterThan(beforeReload);
    await expect.poll(() => banner().getByRole('button', { name: 'Send now' }).isEnabled(), WAIT).toBe(true);
    // The agenda read afresh from the server still leaves off what this device logged.
    expect(await page.locator(`[data-touch-id="${touchId}"]`).count()).toBe(0);
    expect(await logsOf(accountId)).toEqual([]);

    await page.unrouteAll({ behavior: 'wait' });
    const sent = page.waitForResponse(
      (response) => response.request().method() === 'POST' && response.url().includes('/touches'),
    );
    await banner().getByRole('button', { name: 'Send now' }).click();
    expect((await sent).status()).toBe(201);
    await expect.poll(() => banner().count(), WAIT).toBe(0);
    expect((await logsOf(accountId)).map((log) => log.outcome)).toEqual(['no_answer']);
    await offTheAgenda(touchId);
  });

  it('logs once when the answer was lost and the log is sent again', async () => {
    const { item, touchId, accountId } = await firstCall();
    // The server logs it, but its answer never reaches the page: the page keeps it. Whatever the page sends next
    // meets no server, until the route is lifted.
    let lost = 0;
    let unreached = 0;
    await page.route(LOG_URL, async (route) => {
      if (lost > 0) {
        unreached += 1;
        return route.abort('internetdisconnected');
      }
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await item.locator('[data-outcome="reached"]').click();
    await expect.poll(() => banner().textContent(), WAIT).toContain('1 log is kept');
    expect(lost).toBe(1);
    // The banner sends what it keeps at once: that send meets no server before the route is lifted (on a loaded
    // machine it could otherwise leave after, and reach the server before "Send now").
    await expect.poll(() => unreached, WAIT).toBeGreaterThan(0);
    await expect.poll(() => banner().getByRole('button', { name: 'Send now' }).isEnabled(), WAIT).toBe(true);
    expect(await logsOf(accountId)).toHaveLength(1);

    await page.unrouteAll({ behavior: 'wait' });
    // Sent again with its client id: the server answers the first log (200) and logs nothing new.
    const resent = page.waitForResponse((response) => response.url().includes('/touches'));
    await banner().getByRole('button', { name: 'Send now' }).click();
    expect((await resent).status()).toBe(200);
    await expect.poll(() => banner().count(), WAIT).toBe(0);
    const logs = await logsOf(accountId);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.outcome).toBe('reached');
    await offTheAgenda(touchId);
  });

  it('shows a kept log the server refuses, with the reason, until it is dismissed', async () => {
    const { item, accountId } = await firstCall();
    await context.setOffline(true);
    await item.locator('[data-outcome="reached"]').click();
    await expect.poll(() => banner().textContent(), WAIT).toContain('1 log is kept');
    // Meanwhile the account leaves the rep (handed to the admin, out of every territory): not theirs to log.
    const other = await db()
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('accounts')
      .set({ owner_id: other.id, territory_id: null })
      .where('id', '=', accountId)
      .execute();
    await db().deleteFrom('territory_accounts').where('account_id', '=', accountId).execute();
    await db()
      .updateTable('planned_touches')
      .set({ rep_id: other.id })
      .where('account_id', '=', accountId)
      .execute();

    await context.setOffline(false);
    const refused = banner().getByRole('alert');
    await expect.poll(() => refused.count(), WAIT).toBe(1);
    expect(await refused.textContent()).toContain('Not saved:');
    expect(await banner().textContent()).not.toContain('log is kept');
    expect(await logsOf(accountId)).toEqual([]);
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => banner().count(), WAIT).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('tierline.outbox'))).toBeNull();
  });
});
