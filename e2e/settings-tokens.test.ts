// Settings → API tokens in a real browser over the demo workspace. A rep on a phone makes a read-write token, copies
// the secret the dialog shows once, and uses it against the API with `Authorization: Bearer`; revokes it in the
// page, after which the API refuses it (401). The rep sees only their own tokens (in the page and in the API, and
// cannot revoke someone else's); the admin, in Chinese, sees everyone's with the owner and revokes the rep's.
// Debian's Chromium via playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  expectRendered,
  noHorizontalScroll,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

interface TokenRecord {
  id: string;
  name: string;
  userId: string;
  prefix: string;
  access: 'read' | 'write';
  revokedAt: string | null;
}

describe('API tokens in Settings', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let rep: Page;
  let admin: Page;
  /** The secret the rep's dialog showed. */
  let repSecret = '';

  beforeAll(async () => {
    workspace = await startDemoWorkspace('settings-tokens');
    ({ baseUrl, browser } = workspace);
    rep = await signedInPage(browser, baseUrl, DEMO_REP, DEMO_PASSWORD, {
      locale: 'en',
      viewport: { width: 390, height: 844 },
    });
    await rep.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    admin = await signedInPage(browser, baseUrl, DEMO_ADMIN, DEMO_PASSWORD, { locale: 'zh-CN' });
    contexts.push(rep.context(), admin.context());
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  /** A request with the token alone: no cookie, as a script sends it. */
  const withBearer = (path: string, token: string) =>
    fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const csrfOf = async (page: Page) =>
    ((await (await page.request.get(`${baseUrl}/api/auth/status`)).json()) as { csrfToken: string })
      .csrfToken;
  const tokensSeenBy = async (page: Page) => {
    const response = await page.request.get(`${baseUrl}/api/auth/tokens`);
    expect(response.status()).toBe(200);
    return ((await response.json()) as { items: TokenRecord[] }).items;
  };
  const createByApi = async (page: Page, name: string) => {
    const response = await page.request.post(`${baseUrl}/api/auth/tokens`, {
      data: { name, access: 'read' },
      headers: { 'x-csrf-token': await csrfOf(page) },
    });
    expect(response.status()).toBe(201);
    return (await response.json()) as TokenRecord & { token: string };
  };

  it('makes a token on a phone, shows the secret once, and the API takes it', async () => {
    await rep.goto(`${baseUrl}/settings#tokens`);
    await expectRendered(rep, 'Settings');
    const section = rep.locator('#tokens');
    await section.getByRole('heading', { level: 2, name: 'API tokens' }).waitFor();
    await section.getByText('You have no API tokens yet.').waitFor();

    await section.getByRole('button', { name: 'Create API token' }).click();
    const form = rep.getByRole('dialog', { name: 'Create an API token' });
    // Read-only unless chosen otherwise; a name is needed.
    await expect(form.getByRole('radio', { name: 'Read-only' }).isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.getByText('Give the token a name.').waitFor();
    await form.getByRole('textbox', { name: 'Name' }).fill('nightly export');
    await form.getByRole('radio', { name: 'Read and write' }).check();
    await form.getByRole('button', { name: 'Create token' }).click();

    const shown = rep.getByRole('dialog', { name: 'Your new API token' });
    await shown.getByText('Copy it now: it will not be shown again').waitFor();
    repSecret = await shown.getByRole('textbox', { name: 'Token' }).inputValue();
    expect(repSecret).toMatch(/^tl_[A-Za-z0-9_-]{20,}$/);
    await shown.getByRole('button', { name: 'Copy', exact: true }).click();
    await shown.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    await expect(rep.evaluate(() => navigator.clipboard.readText())).resolves.toBe(repSecret);
    expect(await seriousViolations(rep)).toEqual([]);
    await noHorizontalScroll(rep);
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'hidden' });

    // Listed without the secret: name, the first characters, access, dates and state.
    const row = section.getByTestId('api-token').filter({ hasText: 'nightly export' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(`${repSecret.slice(0, 10)}…`);
    expect(text).toContain('Read and write');
    expect(text).toContain('Active');
    expect(text).toContain('Not used yet');
    expect(await rep.content()).not.toContain(repSecret);
    expect(await seriousViolations(rep)).toEqual([]);
    await noHorizontalScroll(rep);

    // The secret works with the API as the rep, by itself.
    const status = await withBearer('/api/auth/status', repSecret);
    expect(status.status).toBe(200);
    const who = (await status.json()) as { user: { email: string } | null; authenticatedBy: string | null };
    expect(who).toMatchObject({ user: { email: DEMO_REP }, authenticatedBy: 'token' });
    expect((await withBearer('/api/accounts?pageSize=1', repSecret)).status).toBe(200);

    // Shown once: a fresh load lists the token, now used, and nowhere its secret.
    await rep.reload();
    await row.waitFor();
    await expect(row.textContent()).resolves.not.toContain('Not used yet');
    expect(await rep.content()).not.toContain(repSecret);
    const repToken = (await tokensSeenBy(rep)).find((token) => token.name === 'nightly export');
    expect(repToken).toMatchObject({ access: 'write', prefix: repSecret.slice(0, 10), revokedAt: null });
  });

  it("shows a rep only their own tokens, and the API lets them neither see nor revoke another's", async () => {
    const adminToken = await createByApi(admin, 'admin laptop');
    const seen = await tokensSeenBy(rep);
    expect(seen.map((token) => token.id)).not.toContain(adminToken.id);
    const repId = (
      (await (await rep.request.get(`${baseUrl}/api/auth/status`)).json()) as { user: { id: string } }
    ).user.id;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((token) => token.userId === repId)).toBe(true);
    const refused = await rep.request.delete(`${baseUrl}/api/auth/tokens/${adminToken.id}`, {
      headers: { 'x-csrf-token': await csrfOf(rep) },
    });
    expect(refused.status()).toBe(404);
    expect((await withBearer('/api/accounts?pageSize=1', adminToken.token)).status).toBe(200);

    await rep.reload();
    const section = rep.locator('#tokens');
    await section.getByTestId('api-token').first().waitFor();
    await expect(section.getByTestId('api-token').count()).resolves.toBe(1);
    await expect(section.getByText('admin laptop').count()).resolves.toBe(0);
    await expect(section.getByRole('heading', { name: 'Other people’s tokens' }).count()).resolves.toBe(0);
  });

  it('revokes the token in the page, and the API then refuses it', async () => {
    const section = rep.locator('#tokens');
    const row = section.getByTestId('api-token').filter({ hasText: 'nightly export' });
    await row.getByRole('button', { name: 'Revoke the API token “nightly export”' }).click();
    const confirm = rep.getByRole('dialog', { name: 'Revoke the API token “nightly export”?' });
    await confirm.getByText('refused from their next request on').waitFor();
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await row.getByText('Revoked', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(0);

    expect((await withBearer('/api/accounts?pageSize=1', repSecret)).status).toBe(401);
    // The session check too: a script learns its token was revoked rather than being answered as nobody.
    const status = await withBearer('/api/auth/status', repSecret);
    expect(status.status).toBe(401);
    expect(((await status.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect(await seriousViolations(rep)).toEqual([]);
    await noHorizontalScroll(rep);
  });

  it("lets the admin see everyone's tokens with their owner and revoke a rep's (in Chinese)", async () => {
    const repScript = await createByApi(rep, 'rep script');
    expect((await withBearer('/api/accounts?pageSize=1', repScript.token)).status).toBe(200);

    await admin.goto(`${baseUrl}/settings#tokens`);
    await expectRendered(admin, '设置');
    const section = admin.locator('#tokens');
    await section.getByRole('heading', { level: 2, name: 'API 令牌' }).waitFor();
    const mine = section.getByTestId('api-tokens-mine');
    await mine.getByText('admin laptop').waitFor();
    const others = section.getByTestId('api-tokens-others');
    const scriptRow = others.getByTestId('api-token').filter({ hasText: 'rep script' });
    await scriptRow.getByText('李娜').waitFor();
    await expect(scriptRow.textContent()).resolves.toContain('只读');
    await expect(scriptRow.textContent()).resolves.toContain('有效');
    const revokedRow = others.getByTestId('api-token').filter({ hasText: 'nightly export' });
    await expect(revokedRow.textContent()).resolves.toContain('已撤销');
    await expect(revokedRow.getByRole('button').count()).resolves.toBe(0);
    expect(await seriousViolations(admin)).toEqual([]);

    await scriptRow.getByRole('button', { name: '撤销 API 令牌“rep script”' }).click();
    const confirm = admin.getByRole('dialog', { name: '撤销 API 令牌“rep script”？' });
    await confirm.getByText('此令牌属于 李娜。').waitFor();
    await confirm.getByRole('button', { name: '撤销令牌' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await scriptRow.getByText('已撤销', { exact: true }).waitFor();
    expect((await withBearer('/api/accounts?pageSize=1', repScript.token)).status).toBe(401);
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
