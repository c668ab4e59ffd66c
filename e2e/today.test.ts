// Today and the account page in a real browser, as the demo rep: the headline and agenda, one-click and
// keyboard logging, the log form with an objection and the response used, the account page's timeline, the
// stage conflict, English, and the same on a 375×812 phone. Debian's Chromium via playwright-core.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAgenda } from '../src/schemas/plan-api.ts';
import type { TTeamDay } from '../src/schemas/team-day.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DEMO_REP,
  DESKTOP,
  type DemoWorkspace,
  dismissToasts,
  newBrowserContext,
  noHorizontalScroll,
  PHONE,
  SCREENSHOTS,
  seriousViolations,
  signInByApi,
  startDemoWorkspace,
  workspaceToday,
} from './support.ts';

function shift(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The demo's plans started four weeks ago and left a few touches overdue, and on a weekend today holds nothing.
 * Move the rep's overdue touches two months ahead, then some of the next touches onto today and two onto earlier
 * days, so every run sees the same kind of agenda: exactly two overdue, A, B and C, calls and visits.
 */
function arrangeAgenda(dbPath: string, today: string): void {
  const db = new Database(dbPath);
  try {
    const rep = db.prepare('select id from users where email = ?').get(DEMO_REP) as { id: string };
    db.prepare(
      `update planned_touches set due_on = ? where rep_id = ? and status = 'planned' and due_on < ?`,
    ).run(shift(today, 60), rep.id, today);
    const next = db
      .prepare(
        `select t.id, t.channel, a.tier from planned_touches t join accounts a on a.id = t.account_id
         where t.rep_id = ? and t.status = 'planned' and t.due_on > ?
         order by t.due_on, t.id`,
      )
      .all(rep.id, today) as { id: string; channel: string; tier: string }[];
    const used = new Set<string>();
    const take = (tier: string, channel: string, n: number) => {
      const picked = next
        .filter((t) => t.tier === tier && t.channel === channel && !used.has(t.id))
        .slice(0, n);
      for (const t of picked) used.add(t.id);
      return picked;
    };
    const overdue = [...take('B', 'call', 1), ...take('C', 'call', 1)];
    const due = [
      ...take('A', 'call', 2),
      ...take('B', 'call', 1),
      ...take('B', 'visit', 1),
      ...take('C', 'call', 2),
    ];
    const move = db.prepare('update planned_touches set due_on = ? where id = ?');
    for (const [i, t] of overdue.entries()) move.run(shift(today, -(i * 2 + 1)), t.id);
    for (const t of due) move.run(today, t.id);
  } finally {
    db.close();
  }
}

/** A day as the page title names another day in English: Monday, Nov 30. */
function englishTitle(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The number in a headline card, e.g. calls made today. */
async function figure(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).textContent())?.replace(/\D/g, '') ?? Number.NaN);
}

/** How the Today card names each status of a rep's day (en.json today.team.day.status). */
const DAY_STATUS: Record<TTeamDay['reps'][number]['status'], string> = {
  not_started: 'Not started',
  under_way: 'Under way',
  complete: 'All done',
  nothing_planned: 'Nothing planned',
  upcoming: 'Planned',
};

/** The rows of each rep's day as the card shows them, and as they should read from the API's answer. */
async function teamDayRows(page: Page): Promise<string[][]> {
  return page
    .getByTestId('team-day-rep')
    .evaluateAll((rows) =>
      rows.map((row) => [
        row.querySelector('a')?.getAttribute('href') ?? '',
        row.querySelector('a')?.textContent ?? '',
        row.querySelector('[data-testid="team-day-status"]')?.textContent ?? '',
        ...['calls', 'visits', 'overdue'].map(
          (cell) => row.querySelector(`[data-testid="team-day-${cell}"]`)?.textContent ?? '',
        ),
      ]),
    );
}
function expectedDayRows(day: TTeamDay): string[][] {
  return day.reps
    .slice(0, 8)
    .map((rep) => [
      `/dashboard?rep=${encodeURIComponent(rep.repId)}`,
      rep.name,
      DAY_STATUS[rep.status],
      `${rep.done.calls} / ${rep.planned.calls}`,
      `${rep.done.visits} / ${rep.planned.visits}`,
      String(rep.overdue),
    ]);
}

/** The agenda items that are calls. */
function callItem(page: Page): Locator {
  return page.locator('[data-testid="agenda-item"][data-channel="call"]');
}

describe('Today and the account page in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let csrfToken = '';
  let today = '';
  /** The account logged through the form, to find on its page. */
  let formAccount = '';

  beforeAll(async () => {
    today = workspaceToday();
    // The server runs in this process on a free port, over the demo database and the copied web app.
    workspace = await startDemoWorkspace('today', (db) => arrangeAgenda(db, today));
    ({ baseUrl, browser } = workspace);
    // A fresh profile in Chinese, in the workspace's time zone; reduced motion keeps screenshots steady.
    context = await newBrowserContext(browser);
    // Sign in as the demo rep through the API; the session cookie is shared by every page of the context.
    csrfToken = await signInByApi(context, baseUrl, DEMO_REP, DEMO_PASSWORD);
    page = await context.newPage();
  });

  afterAll(async () => {
    await workspace?.close();
  });

  it('opens on Today: calls against the goal, and the agenda overdue first, then A, B, C', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/today');
    await page.getByRole('heading', { level: 1, name: '今日' }).waitFor();
    await page.getByTestId('agenda-item').first().waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');

    await page.getByRole('heading', { name: '今日电话' }).waitFor();
    const goal = await page.getByTestId('call-goal').textContent();
    expect(Number(goal?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(5);
    // The week's goals come once the agenda is on screen (the card shows a skeleton until then).
    const week = page.getByTestId('today-headline').getByRole('heading', { name: '本周目标' });
    await week.waitFor();
    await expect(week.count()).resolves.toBe(1);

    const groups = await page.locator('section[aria-labelledby^="agenda-group-"] h3').allTextContents();
    expect(groups[0]).toBe('逾期');
    expect(groups.slice(1)).toEqual(['A · 优先考虑', 'B · 一般考虑', 'C · 最后考虑']);
    const overdue = page.locator('[data-group="overdue"] [data-testid="agenda-item"]');
    await expect(overdue.count()).resolves.toBe(2);
    await expect(
      overdue
        .first()
        .getByText(/逾期 \d+ 天/)
        .count(),
    ).resolves.toBe(1);
    await expect(page.getByTestId('today-headline').getByText('B 1 · C 1').count()).resolves.toBe(1);

    // Each item: account link, tier, place, phone to dial, and the last touch with its note.
    const first = page.getByTestId('agenda-item').first();
    await expect(first.locator('a[href^="/accounts/"]').count()).resolves.toBe(1);
    await expect(first.locator('a[href^="tel:"]').count()).resolves.toBe(1);
    const lastTouches = await page.locator('.agenda-item-last').allTextContents();
    expect(lastTouches.filter((text) => !/^(上次 .+ · .+|还没有联系过)/.test(text))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'today-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('logs a call with one click: the count goes up, a toast says when the next call is due', async () => {
    const before = await figure(page, 'call-done');
    const item = callItem(page).first();
    const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
    // The same account may have another call or a visit on the agenda: only the logged call leaves it.
    const callsOfAccount = () => callItem(page).filter({ hasText: name }).count();
    const callsBefore = await callsOfAccount();
    await item.getByRole('button', { name: '接通', exact: true }).click();

    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    const toast = page.locator('.toaster [role="status"]');
    await toast.getByText('已记录电话：接通').waitFor();
    await expect(
      toast.getByText(new RegExp(`${name} · 下次电话 (\\d+年)?\\d+月\\d+日`)).count(),
    ).resolves.toBe(1);
    await expect(callsOfAccount()).resolves.toBe(callsBefore - 1);
    await page.getByTestId('logged-list').getByText(name).waitFor();
    // Focus went on to the next item, ready for the next key.
    await expect(
      page.evaluate(() => document.activeElement?.classList.contains('agenda-item')),
    ).resolves.toBe(true);
  });

  it('works from the keyboard: j/k move, 2 logs "no answer", Enter opens the log form', async () => {
    // From anywhere on the page, j comes back to the item last worked on.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    const focusedName = () =>
      page.evaluate(() => document.activeElement?.querySelector('.agenda-item-name')?.textContent ?? null);
    const firstName = await focusedName();
    expect(firstName).toBeTruthy();
    await page.keyboard.press('j');
    const secondName = await focusedName();
    expect(secondName).not.toBe(firstName);
    await page.keyboard.press('k');
    await expect(focusedName()).resolves.toBe(firstName);

    const before = await figure(page, 'call-done');
    await page.keyboard.press('2');
    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    await page.locator('.toaster').getByText('已记录电话：未接通').waitFor();
    await expect(
      page
        .getByTestId('agenda-item')
        .filter({ hasText: firstName as string })
        .count(),
    ).resolves.toBe(0);

    // The shortcuts are listed in a popover, opened with "?" and closed with Escape.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: '键盘快捷键' });
    await help.waitFor();
    await expect(help.getByText('打开详细记录').count()).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.getByTestId('agenda-item').first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('logs through the form: objection met, its responses preferred first, the one used, note and next step', async () => {
    const before = await figure(page, 'call-done');
    const item = callItem(page).first();
    formAccount = (await item.locator('.agenda-item-name').textContent()) ?? '';
    await item.getByRole('button', { name: '详细记录' }).click();
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await expect(
      dialog.getByRole('radio', { name: '接通', exact: true }).getAttribute('aria-checked'),
    ).resolves.toBe('true');
    await dialog.getByRole('radio', { name: '拒绝' }).click();

    await dialog.getByRole('combobox', { name: '遇到的异议' }).click();
    await page.getByRole('option', { name: '没有预算' }).click();
    const responses = dialog.getByRole('radiogroup', { name: '使用的应对' }).getByRole('radio');
    await expect(responses.count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(responses.first().textContent()).resolves.toMatch(/^推荐/);
    await responses.first().click();
    await dialog.getByRole('textbox', { name: '备注' }).fill('预算明年三月编制，届时再谈');
    await dialog.getByRole('textbox', { name: '下一步' }).fill('二月底发方案');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => figure(page, 'call-done')).toBe(before + 1);
    await page.locator('.toaster').getByText('已记录电话：拒绝').waitFor();
    await expect(
      page.evaluate(() => document.activeElement?.classList.contains('agenda-item')),
    ).resolves.toBe(true);
  });

  it('keeps the last confirmation behind the log form opened next, so its Save button stays in reach', async () => {
    // The confirmation of the touch just logged is still on screen (the pointer on it keeps it there). On a
    // phone the form is full screen with Save at the bottom, and the toasts span the bottom edge.
    const toast = page.locator('.toaster .mantine-Notification-root').filter({ hasText: '已记录电话：拒绝' });
    await toast.hover();
    await page.setViewportSize(PHONE);
    await callItem(page).first().getByRole('button', { name: '详细记录' }).click();
    const dialog = page.getByRole('dialog', { name: /记录联系/ });
    await dialog.waitFor();
    await expect(toast.count()).resolves.toBe(1);
    // Save sits bottom right, where the toasts are: what the pointer meets there is Save, not the toast.
    const save = dialog.getByRole('button', { name: '保存' });
    const box = await save.boundingBox();
    if (!box) throw new Error('Save has no box');
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(at.x, at.y);
    await expect(
      page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? null,
        at,
      ),
    ).resolves.toBe('保存');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.setViewportSize(DESKTOP);
  });

  it('shows the logged touch on the account page, with the objection and response by name', async () => {
    await page.getByTestId('logged-list').getByRole('link', { name: formAccount }).click();
    await page.getByRole('heading', { level: 1, name: formAccount }).waitFor();
    await page.getByTestId('back-link').getByText('返回今日').waitFor();
    const entry = page.getByTestId('timeline-entry').first();
    await entry.getByText('预算明年三月编制，届时再谈').waitFor();
    await expect(entry.getByText('异议：没有预算').count()).resolves.toBe(1);
    await expect(entry.getByText(/^应对：/).count()).resolves.toBe(1);
    await expect(entry.getByText('下一步：二月底发方案').count()).resolves.toBe(1);
    await expect(entry.getByText('拒绝').count()).resolves.toBe(1);
    await page.getByTestId('objections-met').getByText('没有预算').first().waitFor();
    await page.getByTestId('planned').getByText(/电话/).first().waitFor();
    await page
      .getByTestId('tier-card')
      .getByText(/家中第 \d+/)
      .waitFor();
    await page.getByTestId('sources').waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'account-zh.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('saves the stage with its version, and on a conflict shows the current stage and retries', async () => {
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const read = async () =>
      (await (await context.request.get(`${baseUrl}/api/accounts/${id}`)).json()) as { version: number };
    // Start from a known stage: the account came from the agenda, and the demo's stages vary from run to run
    // (one already at 方案报价 left nothing to change below).
    const start = await context.request.patch(`${baseUrl}/api/accounts/${id}`, {
      data: { version: (await read()).version, stage: 'contacted' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(start.status()).toBe(200);
    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: '阶段' }).inputValue()).toBe('已接触');
    await page.waitForLoadState('networkidle');
    // Someone else moves the stage after the page was read.
    const current = await read();
    const patched = await context.request.patch(`${baseUrl}/api/accounts/${id}`, {
      data: { version: current.version, stage: 'meeting' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(patched.status()).toBe(200);

    await page.getByRole('combobox', { name: '阶段' }).click();
    await page.getByRole('option', { name: '方案报价' }).click();
    const conflict = page.getByTestId('stage-conflict');
    await conflict.getByText('现在的阶段是「已约见」。').waitFor();
    await conflict.getByRole('button', { name: '仍改为「方案报价」' }).click();
    await page.getByText('阶段已保存').waitFor();
    await expect(page.getByRole('combobox', { name: '阶段' }).inputValue()).resolves.toBe('方案报价');
    const after = (await (await context.request.get(`${baseUrl}/api/accounts/${id}`)).json()) as {
      stage: string;
    };
    expect(after.stage).toBe('proposal');
  });

  it('opens the account page from the Accounts drawer', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await page.locator('tbody td[data-column="name"] a').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('open-account-page').click();
    await page.waitForURL((url) => /^\/accounts\/[^/]+$/.test(url.pathname));
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('back-link').getByText('返回客户列表').waitFor();
  });

  it('logs a touch straight from the Accounts drawer: the account page opens with the log form', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await page.locator('tbody td[data-column="name"] a').first().click();
    await page.getByRole('dialog').getByTestId('drawer-log-touch').click();
    await page.waitForURL((url) => /^\/accounts\/[^/]+$/.test(url.pathname) && !url.searchParams.has('log'));
    const form = page.getByRole('dialog', { name: /记录联系/ });
    await form.waitFor();
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    // Closing does not open it again (the ?log=1 that asked for it is gone).
    await page.getByTestId('timeline').waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
  });

  it('on a day with nothing due, says where the plan goes on and goes there', async () => {
    const quiet = shift(today, -30);
    await page.goto(`${baseUrl}/today?date=${quiet}`);
    const next = page.getByTestId('agenda-next');
    await next.waitFor();
    expect(await next.textContent()).toMatch(/^计划从.+继续：电话 \d+ 个，拜访 \d+ 次。$/);
    await page.getByRole('button', { name: '查看那一天' }).click();
    await page.waitForURL((url) => (url.searchParams.get('date') ?? today) > quiet);
    await page.getByTestId('agenda-item').first().waitFor();
  });

  it('reads in English, dates and outcomes included', async () => {
    await page.goto(`${baseUrl}/today`);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.getByRole('heading', { name: 'Calls today' }).waitFor();
    await dismissToasts(page);
    await page.getByRole('heading', { name: 'Overdue' }).first().waitFor();
    await expect(page.getByTestId('today-date').textContent()).resolves.toMatch(
      /^[A-Z][a-z]+day, [A-Z][a-z]+ \d+, \d{4}/,
    );
    await expect(callItem(page).first().getByRole('button', { name: 'Reached' }).count()).resolves.toBe(1);
    await expect(
      callItem(page)
        .first()
        .getByText(/^Stage: /)
        .count(),
    ).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'today-en.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('works on a 375×812 phone: no sideways scroll, big targets, the log form full screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${baseUrl}/today`);
    await phone.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await phone.getByTestId('agenda-item').first().waitFor();
    await noHorizontalScroll(phone);
    const sizes = await phone
      .getByTestId('agenda-item')
      .first()
      .locator('.quick-button')
      .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(44);
    await phone.screenshot({ path: join(SCREENSHOTS, 'today-phone.png') });
    expect(await seriousViolations(phone)).toEqual([]);

    const before = await figure(phone, 'call-done');
    const item = callItem(phone).first();
    const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
    await item.getByRole('button', { name: 'Log details' }).click();
    const dialog = phone.getByRole('dialog', { name: /Log a touch/ });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box?.width).toBe(375);
    await dialog.getByRole('radio', { name: 'Meeting booked' }).click();
    await dialog.getByRole('combobox', { name: 'Objection met' }).click();
    await phone.getByRole('option', { name: 'Send me material' }).click();
    await dialog.getByRole('radiogroup', { name: 'Response used' }).getByRole('radio').first().click();
    await noHorizontalScroll(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'log-form-phone.png') });
    expect(await seriousViolations(phone)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => figure(phone, 'call-done')).toBe(before + 1);
    await phone.locator('.toaster').getByText('Call logged: Meeting booked').waitFor();

    await phone.getByTestId('logged-list').getByRole('link', { name }).click();
    await phone.getByRole('heading', { level: 1, name }).waitFor();
    await phone.getByTestId('timeline-entry').first().getByText('Objection: Send me material').waitFor();
    await noHorizontalScroll(phone);
    expect(await seriousViolations(phone)).toEqual([]);
    await dismissToasts(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'account-phone.png'), fullPage: true });
    await phone.close();
  });
  it('logs a call at an earlier time from the form: it lands on that day and completes the planned call', async () => {
    await page.goto(`${baseUrl}/today`);
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    const item = callItem(page).first();
    await item.waitFor();
    const name = (await item.locator('.agenda-item-name').textContent()) ?? '';
    const touchId = (await item.getAttribute('data-touch-id')) ?? '';
    const href = (await item.locator('a[href^="/accounts/"]').first().getAttribute('href')) ?? '';
    const accountId = decodeURIComponent(href.split('/').pop() ?? '');
    const yesterday = shift(today, -1);
    const agendaOn = async (date: string) =>
      (await (await context.request.get(`${baseUrl}/api/agenda?date=${date}`)).json()) as {
        done: { calls: number };
        items: { touchId: string }[];
      };
    const doneBefore = (await agendaOn(yesterday)).done.calls;

    await item.getByRole('button', { name: 'Log details' }).click();
    const dialog = page.getByRole('dialog', { name: /Log a touch/ });
    await dialog.waitFor();
    // The Cancel button reads whole ("Cance" when the button group capped it at half its width).
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    const label = cancel.locator('.mantine-Button-label');
    await expect(label.textContent()).resolves.toBe('Cancel');
    const widths = await label.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);

    // Now by default, with no date to fill in.
    const when = dialog.getByRole('radiogroup', { name: 'When' });
    await expect(when.getByRole('radio', { name: 'Now' }).isChecked()).resolves.toBe(true);
    await expect(dialog.getByTestId('when-date').count()).resolves.toBe(0);
    await dialog.locator('label', { hasText: 'Earlier today' }).click();
    // The app's own fields (not the browser's): the day as the app writes it, the time as hours and minutes.
    const date = dialog.getByTestId('when-date');
    const hours = dialog.getByRole('spinbutton', { name: 'Hours' });
    const minutes = dialog.getByRole('spinbutton', { name: 'Minutes' });
    const typeTime = async (time: string) => {
      await hours.click();
      await page.keyboard.type(time.replace(':', ''));
      await expect.poll(async () => `${await hours.inputValue()}:${await minutes.inputValue()}`).toBe(time);
    };
    await expect.poll(() => date.getAttribute('data-value')).toBe(today);
    // Esc closes the open calendar, then the open list of hours, not the form; with nothing open it closes the
    // form, and the note typed is there again when the form opens anew for the account.
    const note = dialog.getByRole('textbox', { name: 'Note' });
    await note.fill('Wants a case study first');
    const calendar = page.locator('[data-dates-dropdown]');
    await date.click();
    await calendar.waitFor();
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    const hourList = page.locator('.mantine-TimePicker-dropdown');
    await hours.click();
    await hourList.waitFor();
    await page.keyboard.press('Escape');
    await hourList.waitFor({ state: 'hidden' });
    await expect(dialog.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await item.getByRole('button', { name: 'Log details' }).click();
    await dialog.waitFor();
    await expect(note.inputValue()).resolves.toBe('Wants a case study first');
    await dialog.locator('label', { hasText: 'Earlier today' }).click();
    await expect.poll(() => date.getAttribute('data-value')).toBe(today);
    // An hour ahead is refused, as the server would (only when an hour ahead is still today).
    const later = new Date(Date.now() + 3_600_000);
    const laterWall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(later);
    if (workspaceToday() === today && laterWall > '01:00') {
      await typeTime(laterWall);
      await dialog.getByText('That time has not come yet').first().waitFor();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.isVisible()).resolves.toBe(true);
    }
    // A day after today typed into the date is not dropped for the day before it: the field names its limit, the
    // time field says nothing of it, and Save sends nothing. A text that is no day: one message, under the date.
    const errors = dialog.locator('.mantine-InputWrapper-error');
    await date.click();
    await date.press('ControlOrMeta+a');
    await date.pressSequentially(shift(today, 2));
    await date.press('Tab');
    await expect
      .poll(() => errors.allTextContents())
      .toEqual([expect.stringMatching(/^Choose a day up to /)]);
    await expect(date.getAttribute('data-value')).resolves.toBe(shift(today, 2));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Enter a date and a time.' }).waitFor();
    await expect(dialog.isVisible()).resolves.toBe(true);
    await date.click();
    await date.press('ControlOrMeta+a');
    await date.pressSequentially('2026-02-30');
    await date.press('Tab');
    await expect
      .poll(() => errors.allTextContents())
      .toEqual([expect.stringMatching(/^“2026-02-30” is not a date\./)]);
    await dialog.locator('label', { hasText: 'Yesterday' }).click();
    await expect(when.getByRole('radio', { name: 'Yesterday' }).isChecked()).resolves.toBe(true);
    await expect.poll(() => date.getAttribute('data-value')).toBe(yesterday);
    await expect.poll(() => errors.count()).toBe(0);
    await typeTime('16:20');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'log-form-when-en.png') });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .locator('.toaster')
      // The time as every time is written, 24-hour (16:20, not 4:20 PM).
      .getByText(new RegExp(`${name} · .*, 16:20`))
      .waitFor();

    // The server has it at 16:20 yesterday on the workspace's clock, on the planned call it completed.
    const activities = (await (
      await context.request.get(`${baseUrl}/api/accounts/${encodeURIComponent(accountId)}/touches`)
    ).json()) as {
      occurredAt: string;
      channel: string;
      plannedTouchId: string | null;
      note: string | null;
    }[];
    const logged = activities.find(
      (a) => Date.parse(a.occurredAt) === Date.parse(`${yesterday}T16:20:00+08:00`),
    );
    expect(logged?.channel).toBe('call');
    expect(logged?.plannedTouchId).toBe(touchId);
    expect(logged?.note).toBe('Wants a case study first');
    await expect(page.locator(`[data-touch-id="${touchId}"]`).count()).resolves.toBe(0);
    // Yesterday counts it, on the API and on yesterday's page.
    await expect.poll(async () => (await agendaOn(yesterday)).done.calls).toBe(doneBefore + 1);
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.waitForURL((url) => url.searchParams.get('date') === yesterday);
    await expect.poll(() => figure(page, 'call-done')).toBe(doneBefore + 1);
  });

  it('on a day with calls logged and nothing planned, says so instead of "2 / 0" with a full bar', async () => {
    const quiet = shift(today, -30);
    const agenda = (await (await context.request.get(`${baseUrl}/api/agenda?date=${quiet}`)).json()) as {
      goal: { calls: number };
      done: { calls: number };
    };
    expect(agenda.goal.calls).toBe(0);
    const todays = (await (await context.request.get(`${baseUrl}/api/agenda`)).json()) as {
      items: { accountId: string }[];
    };
    const accountId = todays.items.at(-1)?.accountId as string;
    for (let i = 0; i < 2; i++) {
      const res = await context.request.post(
        `${baseUrl}/api/accounts/${encodeURIComponent(accountId)}/touches`,
        {
          data: { channel: 'call', outcome: 'no_answer', at: quiet },
          headers: { 'x-csrf-token': csrfToken },
        },
      );
      expect(res.status()).toBe(201);
    }
    await page.goto(`${baseUrl}/today?date=${quiet}`);
    await expect.poll(() => figure(page, 'call-done')).toBe(agenda.done.calls + 2);
    const headline = page.getByTestId('today-headline');
    await expect(page.getByTestId('call-goal').count()).resolves.toBe(0);
    await expect(headline.getByText('calls made', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByTestId('call-remaining').textContent()).resolves.toBe(
      'Nothing was planned for this day',
    );
    const callCard = page.getByTestId('call-remaining').locator('xpath=..');
    await expect(callCard.locator('.mantine-Progress-root').count()).resolves.toBe(0);
  });

  it("names another day in the title, leads back to today, and closes the last day's toast", async () => {
    await page.goto(`${baseUrl}/today`);
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await callItem(page).first().getByRole('button', { name: 'No answer', exact: true }).click();
    const toasts = page.locator('.toaster .mantine-Notification-root');
    await page.locator('.toaster').getByText('Call logged: No answer').waitFor();
    const tomorrow = shift(today, 1);
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.waitForURL((url) => url.searchParams.get('date') === tomorrow);
    await page.getByRole('heading', { level: 1, name: englishTitle(tomorrow) }).waitFor();
    await expect(page.getByRole('heading', { level: 1, name: 'Today' }).count()).resolves.toBe(0);
    await expect(toasts.count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Back to today' }).click();
    await page.waitForURL((url) => !url.searchParams.has('date'));
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.getByRole('button', { name: 'Today', exact: true }).waitFor();
    // A link to a day at the site's root (where sign-in lands) opens Today on that day.
    await page.goto(`${baseUrl}/?date=${tomorrow}`);
    await page.waitForURL((url) => url.pathname === '/today' && url.searchParams.get('date') === tomorrow);
    await page.getByRole('heading', { level: 1, name: englishTitle(tomorrow) }).waitFor();
  });

  it('on a 390×844 phone, the day fits in one short strip and the agenda starts on the first screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${baseUrl}/today`);
    const first = phone.getByTestId('agenda-item').first();
    await first.waitFor();
    await expect(phone.getByTestId('today-headline').getAttribute('data-compact')).resolves.toBe('true');
    const box = await first.boundingBox();
    expect(box?.y).toBeLessThan(844 - 120);
    await noHorizontalScroll(phone);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.screenshot({ path: join(SCREENSHOTS, 'today-phone-390.png') });
    await phone.close();
  });

  it('books a meeting from the "Meeting booked" button: its day and time in the form, a visit then on the agenda', async () => {
    // A day ahead with a call on the agenda (today's may all be logged by now), and a weekday a week later or more.
    // The page speaks English after the tests above, Chinese when this one runs alone.
    const agendaOn = async (date: string) =>
      (await (await context.request.get(`${baseUrl}/api/agenda?date=${date}`)).json()) as TAgenda;
    let day = shift(today, 1);
    while (!(await agendaOn(day)).items.some((i) => i.channel === 'call' && i.dueOn === day))
      day = shift(day, 1);
    let meetingDay = shift(today, 8);
    while ([0, 6].includes(new Date(`${meetingDay}T00:00:00Z`).getUTCDay()))
      meetingDay = shift(meetingDay, 1);
    await page.goto(`${baseUrl}/today?date=${day}`);
    const item = callItem(page).first();
    await item.waitFor();
    const href = (await item.locator('a[href^="/accounts/"]').first().getAttribute('href')) ?? '';
    const accountId = decodeURIComponent(href.split('/').pop() ?? '');

    // The quick button asks for the meeting's day and time instead of logging at once.
    await item.locator('[data-outcome="meeting_booked"]').click();
    const dialog = page.getByRole('dialog', { name: /Log a touch|记录联系/ });
    await dialog.waitFor();
    await expect(dialog.getByRole('radio', { name: /Meeting booked|约到会面/ }).isChecked()).resolves.toBe(
      true,
    );
    const fields = dialog.getByTestId('meeting-fields');
    const date = fields.getByTestId('meeting-date');
    await date.click();
    await date.pressSequentially(meetingDay);
    await date.press('Tab');
    await expect.poll(() => date.getAttribute('data-value')).toBe(meetingDay);
    const hours = fields.getByRole('spinbutton', { name: /Hours|小时/ });
    const minutes = fields.getByRole('spinbutton', { name: /Minutes|分钟/ });
    await hours.click();
    await page.keyboard.type('1030');
    await expect.poll(async () => `${await hours.inputValue()}:${await minutes.inputValue()}`).toBe('10:30');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: /Save|保存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .locator('.toaster')
      .getByText(/(meeting .+ at|会面 .+) 10:30/)
      .waitFor();

    // The meeting is a visit on its day, at its time, on that day's agenda.
    const meeting = (await agendaOn(meetingDay)).items.find(
      (i) => i.accountId === accountId && i.channel === 'visit',
    );
    expect(meeting?.dueTime).toBe('10:30');
    await page.goto(`${baseUrl}/today?date=${meetingDay}`);
    await page
      .locator(`[data-testid="agenda-item"][data-touch-id="${meeting?.touchId}"]`)
      .getByText('10:30')
      .waitFor();
  });

  it("shows a manager their team's overdue accounts and each rep's day, and cuts a long name in the header", async () => {
    const longName = 'Alexandria Konstantinopoulou-Whitfield';
    const db = new Database(join(workspace.dir, 't.db'));
    let demoRepId = '';
    try {
      db.prepare('update users set name = ? where email = ?').run(longName, DEMO_MANAGER);
      demoRepId = (db.prepare('select id from users where email = ?').get(DEMO_REP) as { id: string }).id;
    } finally {
      db.close();
    }
    const managerContext = await newBrowserContext(browser, {
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
    });
    try {
      await signInByApi(managerContext, baseUrl, DEMO_MANAGER, DEMO_PASSWORD);
      const dashboard = (await (
        await managerContext.request.get(`${baseUrl}/api/dashboard?weeks=1`)
      ).json()) as {
        overdue: { accounts: number };
      };
      const manager = await managerContext.newPage();
      await manager.goto(`${baseUrl}/today`);
      const team = manager.getByTestId('team-today');
      await team.waitFor();
      const overdue = manager.getByTestId('team-overdue');
      await overdue.waitFor();
      expect(dashboard.overdue.accounts).toBeGreaterThan(0);
      await expect(overdue.textContent()).resolves.toBe(
        `${dashboard.overdue.accounts} account${dashboard.overdue.accounts === 1 ? '' : 's'} overdue`,
      );
      await expect(manager.getByText('Nothing overdue', { exact: true }).count()).resolves.toBe(0);
      await expect(manager.getByText(/Once a contact plan is committed/).count()).resolves.toBe(0);
      await team.getByRole('link', { name: 'Open the dashboard' }).waitFor();

      // Each rep's day: a table named by its heading, one row per rep of the team as the API counts them (the
      // same figures as each rep's own agenda), furthest behind first, each linking to the rep's dashboard.
      const teamDay = async (date: string) =>
        (await (await managerContext.request.get(`${baseUrl}/api/team/day?date=${date}`)).json()) as TTeamDay;
      const day = await teamDay(today);
      expect(day.scope).toBe('team');
      const rep = day.reps.find((r) => r.repId === demoRepId);
      expect(rep, 'the demo rep is in the manager’s team').toBeDefined();
      if (rep) {
        const agenda = (await (
          await managerContext.request.get(`${baseUrl}/api/agenda?repId=${rep.repId}&date=${today}`)
        ).json()) as TAgenda;
        expect([rep.planned, rep.done, rep.overdue]).toEqual([
          agenda.goal,
          agenda.done,
          agenda.counts.overdue,
        ]);
        // Calls arranged for today above, some logged by the tests before this one (the overdue ones first).
        expect(rep.planned.calls).toBeGreaterThan(0);
        expect(rep.done.calls).toBeGreaterThan(0);
        expect(rep.lastLoggedOn).toBe(today);
      }
      const remaining = day.reps.map((r) => r.remaining);
      expect(remaining).toEqual([...remaining].sort((a, b) => b - a));
      const table = team.getByRole('table', { name: "Each rep's day" });
      await table.waitFor();
      for (const header of [
        'Rep',
        'Calls (done / planned)',
        'Visits (done / planned)',
        'Overdue touches',
        'Last logged',
      ]) {
        await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
      }
      await expect.poll(() => teamDayRows(manager)).toEqual(expectedDayRows(day));
      await noHorizontalScroll(manager);
      expect(await seriousViolations(manager)).toEqual([]);

      // The date switcher moves the table to that day.
      const yesterday = shift(today, -1);
      await manager.getByRole('button', { name: 'Previous day' }).click();
      await manager.waitForURL((url) => url.searchParams.get('date') === yesterday);
      const before = await teamDay(yesterday);
      expect(before.date).toBe(yesterday);
      await expect.poll(() => teamDayRows(manager)).toEqual(expectedDayRows(before));
      await manager.getByRole('button', { name: 'Back to today' }).click();
      await manager.waitForURL((url) => !url.searchParams.has('date'));
      await expect.poll(() => teamDayRows(manager)).toEqual(expectedDayRows(day));
      // Off the "Today" button that took the place of "Back to today": its hover colours are not what is tested.
      await manager.mouse.move(0, 0);

      // The header's name: shortened with an ellipsis, whole in its title, the button inside the screen.
      const menu = manager.getByTestId('user-menu');
      await expect(menu.getAttribute('title')).resolves.toBe(longName);
      const text = menu.locator('.mantine-Text-root');
      const shown = await text.evaluate((el) => ({
        overflow: getComputedStyle(el).textOverflow,
        cut: el.scrollWidth > el.clientWidth,
      }));
      expect(shown).toEqual({ overflow: 'ellipsis', cut: true });
      const right = await menu.evaluate((el) => el.getBoundingClientRect().right);
      expect(right).toBeLessThanOrEqual(390);
      await noHorizontalScroll(manager);
      expect(await seriousViolations(manager)).toEqual([]);
      await manager.screenshot({ path: join(SCREENSHOTS, 'today-manager-phone.png') });
    } finally {
      await managerContext.close();
    }
  });

  it('opened signed out, sends to sign-in without a failed request or a console error', async () => {
    const anonymous = await newBrowserContext(browser);
    try {
      const visitor = await anonymous.newPage();
      const failures: string[] = [];
      visitor.on('response', (response) => {
        if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
      });
      visitor.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text());
      });
      await visitor.goto(`${baseUrl}/today`);
      await visitor.waitForURL((url) => url.pathname === '/sign-in');
      await visitor.waitForLoadState('networkidle');
      expect(failures).toEqual([]);
    } finally {
      await anonymous.close();
    }
  });
});
