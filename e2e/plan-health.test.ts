// Plan health on the Plan page: a wider market brings accounts in that no planned touch covers; the plan in force
// says so (how many have no planned call, the affected accounts behind a toggle, each linking to its page) with the
// re-plan; after the re-plan is committed the alert is gone. In step, nothing is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlanHealth } from '../src/schemas/plan-api.ts';
import {
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
  untranslatedKeys,
  widenMarketAsAdmin,
} from './support.ts';

describe('the plan in force says what it no longer covers', { timeout: 120_000 }, () => {
  let demo: DemoWorkspace;

  beforeAll(async () => {
    demo = await startDemoWorkspace('plan-health');
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('shows the alert after a wider market, lists the accounts, and clears it with a re-plan', async () => {
    const page = await signedInPage(demo.browser, demo.baseUrl, DEMO_REP, DEMO_PASSWORD, {
      locale: 'en',
      stepTimeout: 15_000,
    });
    const health = async (): Promise<TPlanHealth> => {
      const answer = await page.request.get(`${demo.baseUrl}/api/plan/health`);
      expect(answer.ok(), await answer.text()).toBe(true);
      return (await answer.json()) as TPlanHealth;
    };
    try {
      // In step: the demo's plan covers the rep's market; no alert.
      expect((await health()).inStep).toBe(true);
      await page.goto(`${demo.baseUrl}/plan`);
      await page.getByTestId('plan-current').waitFor();
      await page.getByTestId('plan-current-ahead').waitFor();
      await expect(page.getByTestId('plan-health').count()).resolves.toBe(0);

      // The admin widens the market: the rep's accounts that come in have no planned touch.
      await widenMarketAsAdmin(demo);
      const out = await health();
      expect(out.inStep).toBe(false);
      const noCall = out.counts.unplanned.call.A + out.counts.unplanned.call.B + out.counts.unplanned.call.C;
      expect(noCall).toBeGreaterThan(0);

      await page.reload();
      const alert = page.getByTestId('plan-health');
      await alert.waitFor();
      await alert.getByText('The plan no longer covers the market').waitFor();
      await alert
        .getByText(new RegExp(`^${noCall} accounts? in your market (has|have) no planned call\\.$`))
        .waitFor();
      await alert.getByTestId('plan-health-toggle').click();
      const list = alert.getByTestId('plan-health-accounts');
      await list.waitFor();
      const first = out.accounts[0];
      expect(first).toBeDefined();
      const link = list.getByRole('link', { name: first?.name }).first();
      await expect(link.getAttribute('href')).resolves.toBe(`/accounts/${first?.id}`);
      await expect(list.getByRole('listitem').count()).resolves.toBe(out.accounts.length);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await untranslatedKeys(page)).toEqual([]);

      // The alert's re-plan is the page's: the preview with its capacity check, then the commit.
      await alert.getByTestId('plan-health-replan').click();
      await page.waitForURL((url) => url.searchParams.get('replan') === '1');
      await page.getByTestId('plan-replanning').waitFor();
      const commit = page.getByRole('button', { name: /^Replace the plan from / });
      await commit.click();
      await page.getByTestId('plan-current').waitFor();
      await expect.poll(async () => (await health()).inStep).toBe(true);
      await page.getByTestId('plan-current-ahead').waitFor();
      await expect.poll(() => page.getByTestId('plan-health').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
