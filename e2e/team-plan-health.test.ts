// Each rep's plan health on the manager's dashboard: in step on the demo's plans; after a wider market, each rep's
// line says how many accounts are out of step (the figures of GET /api/plan/health/team), and the rep's name opens
// that rep's plan on the Plan page, where the alert says the same; "Re-plan…" previews and commits the new plans of
// the reps out of step in one step, after which every line is in step. English and Chinese, checked with axe.
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
          .getByText(`${first?.affected} 家客户与计划不一致`, { exact: true })
          .waitFor();
        expect(await seriousViolations(zh)).toEqual([]);
        expect(await untranslatedKeys(zh)).toEqual([]);
      } finally {
        await zh.context().close();
      }

      // Re-plan the reps out of step in one step, from the link the Market page gives after a save: the reps
      // out of step chosen, each new plan previewed, the one that does not fit (no visits a day: the manager sets
      // it) committed only once its overload is accepted.
      const overloaded = out[0];
      if (!overloaded) throw new Error('no rep out of step');
      const { csrfToken } = (await (await page.request.get(`${demo.baseUrl}/api/auth/status`)).json()) as {
        csrfToken: string;
      };
      const users = (await (await page.request.get(`${demo.baseUrl}/api/users`)).json()) as {
        items: { id: string; version: number }[];
      };
      const changed = await page.request.patch(`${demo.baseUrl}/api/users/${overloaded.repId}`, {
        data: {
          visitsPerDay: 0,
          version: users.items.find((u) => u.id === overloaded.repId)?.version,
        },
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(changed.ok(), await changed.text()).toBe(true);
      await page.goto(`${demo.baseUrl}/dashboard?replan=1`);
      const dialog = page.getByRole('dialog', { name: 'Re-plan reps' });
      await dialog.waitFor();
      await expect.poll(() => new URL(page.url()).searchParams.has('replan')).toBe(false);
      for (const rep of after.reps) {
        const box = dialog.getByRole('checkbox', { name: rep.name });
        await expect(box.isChecked()).resolves.toBe(!rep.inStep);
      }
      await dialog
        .getByRole('button', { name: `Preview ${out.length} plan${out.length === 1 ? '' : 's'}` })
        .click();
      const table = dialog.getByTestId('replan-preview');
      await expect.poll(() => table.getByTestId('replan-rep').count()).toBe(out.length);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await untranslatedKeys(page)).toEqual([]);
      const row = table.locator(`[data-rep="${overloaded.repId}"]`);
      await expect(row.getAttribute('data-fits')).resolves.toBe('false');
      await row.getByText('Over capacity', { exact: true }).waitFor();
      await expect(
        row
          .getByRole('link', { name: `Open plan of ${overloaded.name} to choose an option` })
          .getAttribute('href'),
      ).resolves.toBe(`/plan?rep=${overloaded.repId}`);
      await dialog.getByTestId('replan-left-out').waitFor();
      const commitButton = dialog.getByTestId('replan-commit');
      const others = out.length - 1;
      if (others === 0) await expect(commitButton.isDisabled()).resolves.toBe(true);
      else
        await expect(commitButton.textContent()).resolves.toBe(
          `Commit ${others} plan${others === 1 ? '' : 's'} that fit${others === 1 ? 's' : ''}`,
        );
      await row.getByRole('checkbox', { name: `Accept overload for the plan of ${overloaded.name}` }).check();
      await expect(commitButton.textContent()).resolves.toBe(
        `Commit ${out.length} plan${out.length === 1 ? '' : 's'} (1 over capacity)`,
      );
      await commitButton.click();
      await dialog.getByText(new RegExp(`^Committed ${out.length} plans?$`)).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      // The health list is read again: every rep re-planned is in step.
      await expect
        .poll(() => section.getByText('In step', { exact: true }).count(), { timeout: 15_000 })
        .toBe(after.reps.length);
      expect((await team()).reps.every((r) => r.inStep)).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});
