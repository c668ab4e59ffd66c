// The Plan page opens on the plan in force: a rep sees the demo's committed plan (from four weeks back) with its
// touches ahead and overdue, and its touches in the week view, done and overdue marked; re-planning is a second
// step whose commit says what it replaces. A manager opens on a rep of the team who has accounts, and the page
// remembers the rep picked last. On a phone the month fits the screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCommittedPlan } from '../src/schemas/plan-api.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  type DemoWorkspace,
  noHorizontalScroll,
  PHONE,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
  untranslatedKeys,
  workspaceToday,
} from './support.ts';

/** The Monday of the week holding `date` (YYYY-MM-DD). */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

function shift(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

async function committedOf(page: Page, query = ''): Promise<TCommittedPlan> {
  const answer = await page.request.get(`${new URL(page.url()).origin}/api/plan/committed${query}`);
  expect(answer.ok(), await answer.text()).toBe(true);
  return (await answer.json()) as TCommittedPlan;
}

describe('the Plan page opens on the plan in force', { timeout: 90_000 }, () => {
  let demo: DemoWorkspace;

  beforeAll(async () => {
    demo = await startDemoWorkspace('plan-committed');
  }, 180_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('shows a rep their committed plan, its touches in the week view, and re-plans as a second step', async () => {
    const page = await signedInPage(demo.browser, demo.baseUrl, DEMO_REP, DEMO_PASSWORD, {
      locale: 'en',
      stepTimeout: 10_000,
    });
    try {
      await page.goto(`${demo.baseUrl}/plan`);
      await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
      const card = page.getByTestId('plan-current');
      await card.getByRole('heading', { name: 'Plan in force' }).waitFor();
      const api = await committedOf(page);
      const plan = api.plan;
      expect(plan).not.toBeNull();
      // The demo plan started four weeks back; the card says so, with the open touches ahead and overdue.
      expect(plan?.from).toBe(shift(workspaceToday(), -28));
      await expect(card.getByTestId('plan-current-range').textContent()).resolves.toMatch(
        /^From .+ for \d+ months/,
      );
      await expect(card.getByTestId('plan-current-ahead').textContent()).resolves.toBe(
        api.open.ahead.toLocaleString('en'),
      );
      await expect(card.getByTestId('plan-current-overdue').textContent()).resolves.toBe(
        String(api.open.overdue),
      );
      expect(api.open.ahead).toBeGreaterThan(0);
      await card.getByTestId('plan-current-overload').waitFor();
      // No preview and no commit button until the rep asks to re-plan.
      await expect(page.getByTestId('plan-fits').count()).resolves.toBe(0);
      await expect(
        page.getByRole('button', { name: /^Commit plan|^Replace the plan/ }).count(),
      ).resolves.toBe(0);
      await page.getByText('Committed', { exact: true }).waitFor();

      // The week view opens on this week: the committed touches, none of the days "outside the plan".
      await page.getByText('Week', { exact: true }).click();
      const week = page.getByTestId('plan-week');
      await week.waitFor();
      const monday = mondayOf(workspaceToday());
      await week.locator(`[data-date="${monday}"]`).waitFor();
      await expect(week.locator('[data-outside]').count()).resolves.toBe(0);
      const listed = await committedOf(page, `?from=${monday}&to=${shift(monday, 7)}`);
      expect(listed.touches.length).toBeGreaterThan(0);
      const touches = week.getByTestId('plan-touch');
      await expect.poll(() => touches.count()).toBe(listed.touches.length);
      const done = listed.touches.filter((t) => t.status === 'done').length;
      const overdue = listed.touches.filter((t) => t.overdue).length;
      await expect(week.locator('[data-testid="plan-touch"][data-status="done"]').count()).resolves.toBe(
        done,
      );
      await expect(week.locator('[data-testid="plan-touch"][data-status="overdue"]').count()).resolves.toBe(
        overdue,
      );
      // Seven days beside the navbar leave each day narrow: the account's name gets a line of its own instead of
      // being squeezed between the marks to a character or two and "…".
      const nameWidths = await week
        .locator('.plan-touch-name')
        .evaluateAll((names) => names.map((name) => name.clientWidth));
      expect(Math.min(...nameWidths), 'narrowest account name in the week view, px').toBeGreaterThanOrEqual(
        100,
      );
      const first = listed.touches[0];
      if (first) await week.getByRole('link', { name: first.accountName }).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect(await untranslatedKeys(page)).toEqual([]);

      // Re-plan: the preview with the capacity check, and a commit that says what it replaces.
      await page.getByTestId('plan-replan').click();
      await page.waitForURL((url) => url.searchParams.get('replan') === '1');
      await page.getByTestId('plan-replanning').waitFor();
      await page.getByTestId('plan-fits').waitFor();
      const from = (await page.getByTestId('plan-from').getAttribute('data-value')) || workspaceToday();
      const replaced = await committedOf(page, `?replanFrom=${from}`);
      const count = replaced.replaces?.open ?? 0;
      expect(count).toBeGreaterThan(0);
      const commit = page.getByRole('button', {
        name: new RegExp(`^Replace the plan from .+ \\(${count.toLocaleString('en')} open touch(es)?\\)$`),
      });
      await commit.waitFor();
      await page.getByText('Preview (not committed)').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Back: the plan in force again, unchanged.
      await page.getByRole('button', { name: 'Back to the plan in force' }).click();
      await page.getByTestId('plan-current').waitFor();
      expect((await committedOf(page)).plan?.id).toBe(plan?.id);
    } finally {
      await page.context().close();
    }
  });

  it('fits the month on a phone: seven days across, no sideways scroll', async () => {
    const page = await signedInPage(demo.browser, demo.baseUrl, DEMO_REP, DEMO_PASSWORD, {
      locale: 'en',
      viewport: { width: 390, height: PHONE.height },
      stepTimeout: 10_000,
    });
    try {
      await page.goto(`${demo.baseUrl}/plan`);
      const month = page.getByTestId('plan-month');
      await month.waitFor();
      const box = await month.boundingBox();
      const scroller = await month.evaluate((table) => {
        const parent = table.parentElement as HTMLElement;
        return { scroll: parent.scrollWidth, client: parent.clientWidth };
      });
      expect(scroller.scroll).toBeLessThanOrEqual(scroller.client);
      expect(box?.width ?? 999).toBeLessThanOrEqual(390);
      const sunday = await month.locator('thead th').nth(6).boundingBox();
      expect((sunday?.x ?? 999) + (sunday?.width ?? 0)).toBeLessThanOrEqual(390);
      await noHorizontalScroll(page);
      // The month strip's totals use plurals ("1 call", not "1 calls").
      await expect(page.getByText(/\b1 calls\b|\b1 visits\b/).count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('opens a manager on a rep of the team with accounts, then on the rep picked last', async () => {
    const page = await signedInPage(demo.browser, demo.baseUrl, DEMO_MANAGER, DEMO_PASSWORD, {
      locale: 'en',
      stepTimeout: 10_000,
    });
    try {
      await page.goto(`${demo.baseUrl}/plan`);
      await page.waitForURL((url) => url.searchParams.has('rep'));
      const repId = new URL(page.url()).searchParams.get('rep') ?? '';
      const people = (await (await page.request.get(`${demo.baseUrl}/api/people`)).json()) as {
        items: { id: string; name: string; role: string; work: { accountCount: number } | null }[];
      };
      const rep = people.items.find((person) => person.id === repId);
      expect(rep?.role).toBe('rep');
      expect(rep?.work?.accountCount).toBeGreaterThan(0);
      const picker = page.getByRole('combobox', { name: 'Rep' });
      await expect.poll(() => picker.inputValue()).toBe(rep?.name);
      await page.getByRole('heading', { name: `Plan in force for ${rep?.name}` }).waitFor();
      // Never the manager's empty own accounts with a "Define the target market" button.
      await expect(page.getByText('Nothing to plan').count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Define the target market' }).count()).resolves.toBe(0);

      // Another rep picked is where the page opens next time.
      await picker.click();
      const other = people.items.find((person) => person.role === 'rep' && person.id !== repId);
      expect(other).toBeDefined();
      await page.getByRole('option', { name: other?.name }).click();
      await page.waitForURL((url) => url.searchParams.get('rep') === other?.id);
      await page.getByRole('heading', { name: `Plan in force for ${other?.name}` }).waitFor();
      await page.goto(`${demo.baseUrl}/plan`);
      await page.waitForURL((url) => url.searchParams.get('rep') === other?.id);
      await page.getByRole('heading', { name: `Plan in force for ${other?.name}` }).waitFor();

      // The manager's own accounts, chosen on purpose: nothing to plan, said plainly, and no verdict on capacity.
      await picker.click();
      await page.getByRole('option', { name: 'My own accounts' }).click();
      await page.getByText('Nothing to plan', { exact: true }).first().waitFor();
      await page.getByText(/You own no accounts in the target market\. Pick a rep above/).waitFor();
      await expect(page.getByText('Fits capacity').count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Define the target market' }).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
