// Settings → Working days in a real browser over the demo workspace: the admin picks another country's public
// holidays from the list (names in the interface language), saves, and the plan's calendar follows: the US's
// observed Independence Day becomes a day off, China's National Day week working days. Debian's Chromium via
// playwright-core.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  DEMO_PASSWORD,
  type DemoWorkspace,
  seriousViolations,
  signedInPage,
  startDemoWorkspace,
} from './support.ts';

describe('choosing the holiday schedule in Settings', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;

  beforeAll(async () => {
    workspace = await startDemoWorkspace('settings-calendar');
    ({ baseUrl, browser } = workspace);
    admin = await signedInPage(browser, baseUrl, DEMO_ADMIN, DEMO_PASSWORD, { locale: 'en' });
    contexts.push(admin.context());
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await workspace?.close();
  });

  const planDay = async (date: string) => {
    const response = await admin.request.post(`${baseUrl}/api/plan/preview`, {
      data: { from: '2027-06-28', months: 6 },
      headers: { 'x-csrf-token': await csrf() },
    });
    expect(response.status()).toBe(200);
    const plan = (await response.json()) as { days: { date: string; working: boolean }[] };
    return plan.days.find((d) => d.date === date)?.working;
  };
  const csrf = async () =>
    ((await (await admin.request.get(`${baseUrl}/api/auth/status`)).json()) as { csrfToken: string })
      .csrfToken;

  it('lists China and weekends-only first, then other countries by name, and saves the US', async () => {
    await admin.goto(`${baseUrl}/settings`);
    await admin.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const select = admin.getByTestId('holiday-country');
    await expect(select.inputValue()).resolves.toBe('China (with make-up workdays)');
    await select.click();
    await admin.getByRole('option', { name: 'Japan (JP)' }).waitFor();
    await select.fill('United St');
    await admin.getByRole('option', { name: 'United States (US)' }).click();
    await admin
      .getByText(/computed|as the country's rules set them/)
      .first()
      .waitFor();
    const section = admin.locator('#calendar');
    await section.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        async () =>
          ((await (await admin.request.get(`${baseUrl}/api/settings`)).json()) as { country: string })
            .country,
      )
      .toBe('US');
    expect(await seriousViolations(admin)).toEqual([]);

    // A fresh load shows the saved choice, and the plan follows it.
    await admin.reload();
    await expect(admin.getByTestId('holiday-country').inputValue()).resolves.toBe('United States (US)');
    expect(await planDay('2027-07-05')).toBe(false);
    expect(await planDay('2027-10-04')).toBe(true);
  });

  it("gives one rep Japan's holidays from the Team page's days-off dialog", async () => {
    await admin.goto(`${baseUrl}/team`);
    await admin.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await admin.getByRole('button', { name: 'Actions for 李娜' }).click();
    await admin.getByRole('menuitem', { name: 'Days off' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Days off: 李娜' });
    const schedule = dialog.getByTestId('rep-holidays');
    await expect(schedule.inputValue()).resolves.toBe('As the workspace');
    await schedule.click();
    await schedule.fill('Japan');
    await admin.getByRole('option', { name: 'Japan (JP)' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    // Her calls and visits planned on Japan's holidays ahead were moved to working days in the same save: the
    // dialog says how many before it closes.
    const moved = dialog.getByTestId('days-off-moved');
    await moved.getByText('Days off saved').waitFor();
    await expect(moved.textContent()).resolves.toMatch(
      /\d+ planned calls? (or visit )?(and visits )?on the days off (was|were) moved to (a )?working days?\./,
    );
    await dialog.getByTestId('days-off-done').click();
    await dialog.waitFor({ state: 'hidden' });
    const team = (await (await admin.request.get(`${baseUrl}/api/people`)).json()) as {
      items: { id: string; name: string }[];
    };
    const liNa = team.items.find((p) => p.name === '李娜');
    const stored = (await (
      await admin.request.get(`${baseUrl}/api/calendar/days-off?repId=${liNa?.id ?? ''}`)
    ).json()) as { holidays: string | null };
    expect(stored.holidays).toBe('JP');
    const card = admin.locator('[data-testid="person-card"]', {
      has: admin.getByRole('heading', { name: '李娜' }),
    });
    await expect(card.getByTestId('person-holidays').textContent()).resolves.toBe('Japan (JP)');
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
