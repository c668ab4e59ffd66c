// The Content-Security-Policy and the other security headers (src/server/security-headers.ts) in a real browser:
// every main page, the sign-in page and the API docs page render with no policy violation, and the headers are
// on the app's own responses. A violation means the policy would break a page (or a page does something the
// policy forbids, e.g. inline script).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../web/src/navigation.ts';
import {
  DEMO_ADMIN,
  DEMO_PASSWORD,
  type DemoWorkspace,
  expectRendered,
  newBrowserContext,
  signInByApi,
  startDemoWorkspace,
} from './support.ts';

const VIOLATIONS = '__cspViolations';

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript((key) => {
    const list: string[] = [];
    (window as unknown as Record<string, string[]>)[key] = list;
    document.addEventListener('securitypolicyviolation', (event) => {
      list.push(
        `${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} in ${event.sourceFile}`,
      );
    });
  }, VIOLATIONS);
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate((key) => (window as unknown as Record<string, string[]>)[key] ?? [], VIOLATIONS);
}

describe('security headers in the browser', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await startDemoWorkspace('csp');
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('sends the policy with the app and breaks no page: sign-in, every main page, the API docs', async () => {
    const context = await newBrowserContext(ws.browser);
    const page = await context.newPage();
    await watchViolations(page);

    const signIn = await page.goto(`${ws.baseUrl}/sign-in`);
    const headers = signIn?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    // Plain http (a laptop, a LAN address): never pinned to https.
    expect(headers['strict-transport-security']).toBeUndefined();
    await expectRendered(page);
    expect(await violations(page)).toEqual([]);

    await signInByApi(context, ws.baseUrl, DEMO_ADMIN, DEMO_PASSWORD);
    for (const def of PAGES) {
      await page.goto(`${ws.baseUrl}${def.path}`);
      await expectRendered(page);
      expect(await violations(page), def.path).toEqual([]);
    }

    await page.goto(`${ws.baseUrl}/api/docs`);
    // Swagger UI lists the operations once its scripts have run.
    await page.locator('.opblock').first().waitFor();
    expect(await violations(page), '/api/docs').toEqual([]);
    await context.close();
  });
});
