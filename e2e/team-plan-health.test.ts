// Each rep's plan health on the manager's dashboard: in step on the demo's plans; after a wider market, each rep's
// line says how many accounts are out of step (the figures of GET /api/plan/health/team), and the rep's name opens
// that rep's plan on the Plan page, where the alert says the same. English and Chinese, checked with axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTeamPlanHealth } from '../src/schemas/plan-api.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  type DemoWorkspace,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
  untranslatedKeys,
  widenMarketAsAdmin,
} from './support.ts';

describe('the dashboard shows each rep’s plan health', { timeout: 120_000 }, () => {
  let demo: DemoWorkspace;

  beforeAll(async () => {
    demo = await startDemoWorkspace('team-plan-health');
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('in step, then the accounts out of step per rep after a wider market, each linking to the rep’s plan', async () => {
    const page = await signedInPage(demo.browser, demo.baseUrl, DEMO_MANAGER, DEMO_PASSWORD, {
      locale: 'en',
      stepTimeout: 15_000,
    });
    const team = async (): Promise<TTeamPlanHealth> => {
      const answer = await page.request.get(`${demo.baseUrl}/api/plan/health/team`);
      expect(answer.ok(), await answer.text()).toBe(true);
      return (await answer.json()) as TTeamPlanHealth;
    };
    try {
      const before = await team();
      expect(before.reps.length).toBe(2);
      expect(before.reps.every((r) => r.inStep)).toBe(true);
      await page.goto(`${demo.baseUrl}/dashboard`);
      const section = page.getByTestId('dashboard-plan-health');
      await section.getByRole('heading', { name: 'Plan health per rep' }).waitFor();
      await expect.poll(() => section.getByTestId('plan-health-rep').count()).toBe(2);
      await expect(section.getByText('In step', { exact: true }).count()).resolves.toBe(2);
      expect(await seriousViolations(page)).toEqual([]);

      // The admin widens the market: accounts come in that no rep's plan covers.
      await widenMarketAsAdmin(demo);
      const after = await team();
      const out = after.reps.filter((r) => !r.inStep);
      expect(out.length).toBeGreaterThan(0);

      await page.reload();
      await section.waitFor();
      for (const rep of out) {
        const row = section.locator(`[data-rep="${rep.repId}"]`);
        await row.getByText(new RegExp(`^${rep.affected} accounts? out of step$`)).waitFor();
        await row.getByText(new RegExp(`${rep.accounts.unplanned} unplanned`)).waitFor();
      }
      expect(await seriousViolations(page)).toEqual([]);
      expect(await untranslatedKeys(page)).toEqual([]);

      // The rep's name opens their plan: the Plan page on that rep, whose alert says what the plan misses.
      const first = out[0];
      const link = section.getByRole('link', { name: `Open ${first?.name}'s plan` });
      await expect(link.getAttribute('href')).resolves.toBe(`/plan?rep=${first?.repId}`);
      await link.click();
      await page.waitForURL(
        (url) => url.pathname === '/plan' && url.searchParams.get('rep') === first?.repId,
      );
      await page.getByTestId('plan-health').waitFor();

      // In Chinese: only the _other forms.
      const zh = await signedInPage(demo.browser, demo.baseUrl, DEMO_MANAGER, DEMO_PASSWORD, {
        stepTimeout: 15_000,
      });
      try {
        await zh.goto(`${demo.baseUrl}/dashboard`);
        const zhSection = zh.getByTestId('dashboard-plan-health');
        await zhSection.getByRole('heading', { name: '各销售员的计划健康状况' }).waitFor();
        await zhSection
          .locator(`[data-rep="${first?.repId}"]`)
          .getByText(`${first?.affected} 个客户与计划不一致`, { exact: true })
          .waitFor();
        expect(await seriousViolations(zh)).toEqual([]);
        expect(await untranslatedKeys(zh)).toEqual([]);
      } finally {
        await zh.context().close();
      }
    } finally {
      await page.context().close();
    }
  });
});
