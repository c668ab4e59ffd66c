// The import wizard in a real browser, as the demo manager: a GBK-encoded Chinese vendor list is uploaded, its
// source recorded, its Chinese headers mapped, the import run and its result checked (created, merged, rejected)
// with the rejected-rows file downloaded, and its warnings listed and downloaded; then English, a re-import that
// duplicates nothing, the accounts of the source, an upload left unstarted and discarded (by hand, and by the
// wizard when another file is chosen or the page is left), a failed import run again from its result and, once its
// file is removed, only discarded, and a file over the upload limit (413). Debian's Chromium via playwright-core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUscc, makeUscc, usccCheckCharacter } from '../src/domain/registration/uscc.ts';
import { expireFailedImportFiles } from '../src/services/import-prospects.ts';
import {
  DEMO_MANAGER,
  DEMO_PASSWORD,
  DESKTOP,
  type DemoWorkspace,
  newBrowserContext,
  PHONE,
  SCREENSHOTS,
  seriousViolations,
  signInByApi,
  startDemoWorkspace,
} from './support.ts';

interface DemoAccount {
  id: string;
  name: string;
  uscc: string | null;
  province: string | null;
  city: string | null;
}

/** A unified social credit code whose check character is wrong. */
function badUscc(): string {
  const good = makeUscc(4242);
  const first17 = good.slice(0, 17);
  const wrong = usccCheckCharacter(first17) === '0' ? '1' : '0';
  const bad = first17 + wrong;
  if (isValidUscc(bad)) throw new Error('the bad code is valid');
  return bad;
}

const HEADERS = [
  '企业名称',
  '统一社会信用代码',
  '所属省份',
  '所属城市',
  '人员规模',
  '年营业额',
  '联系电话',
  '官网',
  '备注',
];

/**
 * A vendor-style list in GBK: three new companies (one with an employee count that cannot be read, a warning),
 * one with a bad credit code and one without a name (both rejected), and a row that is an existing account.
 */
function vendorCsv(existing: DemoAccount): { buffer: Buffer; rejectedLines: { uscc: number; name: number } } {
  const rows = [
    HEADERS,
    [
      '杭州青禾智能装备有限公司',
      '',
      '浙江省',
      '杭州市',
      '100-499人',
      '5000万',
      '0571-88886666',
      'www.qinghe-zhineng.cn',
      '展会名片',
    ],
    [
      '苏州澄川精密机械有限公司',
      '',
      '江苏省',
      '苏州市',
      '很多人',
      '1.2亿',
      '0512-66668888',
      'http://www.chengchuan-jm.com',
      '',
    ],
    [
      '宁波远帆海曙贸易有限公司',
      '',
      '浙江省',
      '宁波市',
      '少于50人',
      '800万元',
      '13800138000',
      '',
      '老客户介绍',
    ],
    ['合肥锦程电子科技有限公司', badUscc(), '安徽省', '合肥市', '50-99人', '3000万', '0551-62223333', '', ''],
    ['', '', '广东省', '深圳市', '10000人以上', '10亿', '0755-88889999', 'www.no-name-example.cn', '缺名称'],
    [
      existing.name,
      existing.uscc ?? '',
      existing.province ?? '',
      existing.city ?? '',
      '',
      '',
      '',
      '',
      '重复',
    ],
  ];
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const text = `${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
  return { buffer: iconv.encode(text, 'gbk'), rejectedLines: { uscc: 5, name: 6 } };
}

/** Parses the rejected-rows CSV (UTF-8 with BOM, RFC 4180 quoting). */
function parseRejects(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** A list without a column the import takes for the company name: it starts, then fails as it runs. */
const NO_NAME_CSV = Buffer.from('x,y\r\n钱塘重试测试有限公司,杭州市\r\n');

async function figure(page: Page, name: string): Promise<number> {
  return Number(await page.getByTestId(`result-${name}`).getAttribute('data-value'));
}

describe('The import wizard in Chromium', () => {
  let workspace: DemoWorkspace;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let existing: DemoAccount;
  let file: ReturnType<typeof vendorCsv>;
  let accountsBefore = 0;
  const previousLimit = process.env.TIERLINE_UPLOAD_LIMIT_MB;

  beforeAll(async () => {
    // A 2 MB upload limit, so that the 413 path can be walked with a small file.
    process.env.TIERLINE_UPLOAD_LIMIT_MB = '2';
    workspace = await startDemoWorkspace('import');
    ({ baseUrl, browser } = workspace);
    context = await newBrowserContext(browser, { acceptDownloads: true });
    await signInByApi(context, baseUrl, DEMO_MANAGER, DEMO_PASSWORD);

    // An account the manager sees, to appear again in the vendor's list.
    const list = (await (
      await context.request.get(`${baseUrl}/api/accounts?pageSize=1&sort=name&order=asc`)
    ).json()) as { items: DemoAccount[]; total: number };
    existing = list.items[0] as DemoAccount;
    accountsBefore = list.total;
    file = vendorCsv(existing);
    page = await context.newPage();
    // Fail on the step that is stuck, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    if (previousLimit === undefined) delete process.env.TIERLINE_UPLOAD_LIMIT_MB;
    else process.env.TIERLINE_UPLOAD_LIMIT_MB = previousLimit;
    await workspace?.close();
  });

  it('uploads a GBK file and records where the list came from', async () => {
    await page.goto(`${baseUrl}/import`);
    await page.getByRole('heading', { level: 1, name: '导入' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '选择文件' }).waitFor();
    await expect(page.getByTestId('import-limit').textContent()).resolves.toBe('每个文件不超过 200 MB');
    expect(await seriousViolations(page)).toEqual([]);

    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: '华东供应商名单.csv', mimeType: 'text/csv', buffer: file.buffer });
    await page.getByRole('heading', { level: 2, name: '名单从哪里来' }).waitFor();
    expect(new URL(page.url()).searchParams.get('job')).toBeTruthy();

    // The method's trade-off, said where the choice is made.
    await page.getByText('从数据供应商购买：已经筛选、格式整齐，拿来就能用，但要花钱。').waitFor();
    // Next without a name: the field says what is missing.
    await page.getByTestId('to-mapping').click();
    await page.getByText('请填写来源名称。').waitFor();
    await page.getByRole('combobox', { name: /来源名称/ }).fill('企查查 华东 2025');
    await page.getByRole('radio', { name: /购买/ }).check();
    await page.getByRole('textbox', { name: '名单费用' }).fill('3000');
    await page.getByRole('textbox', { name: '清洗用时（小时）' }).fill('1.5');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('to-mapping').click();
  });

  it('previews the mapping: Chinese headers mapped, the extra column kept, problem cells marked', async () => {
    await page.getByRole('heading', { level: 2, name: '检查列的对应关系' }).waitFor();
    await page.getByTestId('mapping-table').waitFor();
    await expect(page.getByTestId('detected-encoding').textContent()).resolves.toMatch(/^GB/);
    await expect(page.getByTestId('detected-delimiter').textContent()).resolves.toBe('逗号');

    const fieldOf = (header: string) =>
      page.getByRole('combobox', { name: `列「${header}」对应的客户字段` }).inputValue();
    const expected: Record<string, string> = {
      企业名称: 'name',
      统一社会信用代码: 'uscc',
      所属省份: 'province',
      所属城市: 'city',
      人员规模: 'employees',
      年营业额: 'annualSales',
      联系电话: 'phone',
      官网: 'website',
      备注: '__custom__',
    };
    for (const [header, field] of Object.entries(expected)) {
      await expect(fieldOf(header), header).resolves.toBe(field);
    }
    await expect(page.getByTestId('mapping-summary').textContent()).resolves.toBe(
      '8 列已对应 · 1 列保留为自定义字段',
    );

    const grid = page.getByTestId('preview-grid');
    await expect(grid.locator('tr[data-status="rejected"]').count()).resolves.toBe(2);
    await expect(grid.locator('td[data-issue="warning"]').count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(grid.locator('td[data-issue="warning"]').first().textContent()).resolves.toContain('很多人');
    await expect(grid.locator('td[data-issue="error"]').first().textContent()).resolves.toContain('拒绝：');

    await page.screenshot({ path: join(SCREENSHOTS, 'import-zh.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // On a phone the columns table scrolls sideways instead of squeezing each field's choice to an empty box.
    await page.setViewportSize(PHONE);
    const choices = page.getByTestId('mapping-table').getByRole('combobox');
    for (const width of await choices.evaluateAll((boxes) => boxes.map((box) => box.clientWidth))) {
      expect(width, 'width of a field choice on a phone').toBeGreaterThanOrEqual(150);
    }
    const region = page.getByTestId('mapping-table').locator('xpath=ancestor::div[@role="region"][1]');
    await expect(region.evaluate((el) => el.scrollWidth > el.clientWidth)).resolves.toBe(true);
    await page.setViewportSize(DESKTOP);
  });

  it('confirms, shows progress and the result: created, merged, rejected, warnings', async () => {
    await page.getByTestId('to-confirm').click();
    await page.getByRole('heading', { level: 2, name: '确认并导入' }).waitFor();
    await expect(page.getByTestId('confirm-source').textContent()).resolves.toBe('企查查 华东 2025');
    await page.getByText('关闭：匹配上的客户保留原有的值，只用这个文件补全空字段。').waitFor();
    // Who owns the new accounts: the manager by default, to hand out later.
    await expect(page.getByRole('combobox', { name: '新客户的负责人' }).inputValue()).resolves.toBe(
      '我自己（王海涛）',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('start-import').click();

    await page.getByRole('heading', { level: 2, name: '导入完成' }).waitFor({ timeout: 30_000 });
    await expect(figure(page, 'rows')).resolves.toBe(6);
    await expect(figure(page, 'created')).resolves.toBe(3);
    await expect(figure(page, 'merged')).resolves.toBe(1);
    await expect(figure(page, 'rejected')).resolves.toBe(2);
    await expect(figure(page, 'warnings')).resolves.toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('result-owner').textContent()).resolves.toMatch(
      /^新建的 3 家客户归你负责：请在客户页把它们分给销售员/,
    );
    await page.getByText('后重新导入文件即可——不会产生重复。', { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The recent imports and the source's report now include this list.
    await page.getByTestId('recent-imports').getByText('华东供应商名单.csv').first().waitFor();
    const source = page.locator('[data-testid="source-row"][data-source="企查查 华东 2025"]');
    await source.waitFor();
    await expect(source.getByText('购买').count()).resolves.toBe(1);
  });

  it('downloads the rejected rows in the file’s own columns, with line, reason and original', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejects').click(),
    ]);
    expect(download.suggestedFilename()).toBe('华东供应商名单-rejected.csv');
    const path = await download.path();
    const rows = parseRejects(readFileSync(path, 'utf8'));
    expect(rows[0]).toEqual([...HEADERS, 'line', 'reason', 'original']);
    expect(rows).toHaveLength(3);
    const byLine = new Map(rows.slice(1).map((row) => [Number(row[HEADERS.length]), row]));
    const usccRow = byLine.get(file.rejectedLines.uscc);
    const nameRow = byLine.get(file.rejectedLines.name);
    expect(usccRow?.[0]).toBe('合肥锦程电子科技有限公司');
    // The reasons in the UI's language (Chinese here); the column names as in the file
    // The column named once (统一社会信用代码：校验码不符, not the column and then the field again)
    expect(usccRow?.[HEADERS.length + 1]).toMatch(/^统一社会信用代码：校验码不符/);
    // Rows that were split into columns carry no original text
    expect(usccRow?.[HEADERS.length + 2]).toBe('');
    expect(nameRow?.[0]).toBe('');
    expect(nameRow?.[3]).toBe('深圳市');
    expect(nameRow?.[HEADERS.length + 1]).toMatch(/企业名称为空/);
  });

  it('lists the warnings (line, column, value, reason) and downloads them all', async () => {
    const panel = page.getByTestId('warnings-panel');
    const count = await figure(page, 'warnings');
    await panel.getByRole('heading', { level: 3, name: `${count} 条警告` }).waitFor();
    // The unreadable head count of line 3 was imported as empty, with its reason in the page's language.
    const row = panel.locator('[data-testid="warning-row"][data-line="3"]');
    await row.waitFor();
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      '3',
      '人员规模',
      '很多人',
      '应为人数，如 100-499人、少于50人、10000人以上 或 350（读到的是“很多人”）',
    ]);
    await expect(panel.getByRole('columnheader').allTextContents()).resolves.toEqual([
      '行号',
      '列',
      '值',
      '原因',
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('link', { name: '下载全部警告（CSV）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('华东供应商名单-warnings.csv');
    const rows = parseRejects(readFileSync(await download.path(), 'utf8'));
    expect(rows[0]).toEqual(['line', 'column', 'value', 'reason']);
    expect(rows).toHaveLength(count + 1);
    expect(rows).toContainEqual([
      '3',
      '人员规模',
      '很多人',
      '应为人数，如 100-499人、少于50人、10000人以上 或 350（读到的是“很多人”）',
    ]);
  });

  it('reads in English', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Import finished' }).waitFor();
    await page.getByRole('link', { name: 'Download the rejected rows (CSV)' }).waitFor();
    // The warnings follow the language: headings, columns and reasons.
    const warnings = page.getByTestId('warnings-panel');
    await warnings.getByRole('link', { name: 'Download all warnings (CSV)' }).waitFor();
    await warnings
      .locator('[data-testid="warning-row"][data-line="3"]')
      .getByText('expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got "很多人")')
      .waitFor();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-result-en.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('imports the same file again without duplicating anything', async () => {
    await page.getByRole('button', { name: 'Import another file' }).click();
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: '华东供应商名单.csv', mimeType: 'text/csv', buffer: file.buffer });
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    const name = page.getByRole('combobox', { name: /Source name/ });
    await name.fill('企查查 华东');
    await page.getByRole('option', { name: '企查查 华东 2025' }).click();
    await expect(name.inputValue()).resolves.toBe('企查查 华东 2025');
    await page.getByText(/^An existing source: 4 accounts so far/).waitFor();
    await page.getByTestId('to-mapping').click();
    await page.getByTestId('mapping-table').waitFor();
    await page.getByTestId('to-confirm').click();
    await page.getByTestId('start-import').click();
    await page.getByRole('heading', { level: 2, name: 'Import finished' }).waitFor({ timeout: 30_000 });
    await expect(figure(page, 'created')).resolves.toBe(0);
    await expect(figure(page, 'merged')).resolves.toBe(4);
    await expect(figure(page, 'rejected')).resolves.toBe(2);
    await page.getByText(/imported before .*nothing new was created/).waitFor();
    // What next: where the source's accounts stand against the target market, with the way on.
    await expect(page.getByTestId('import-next').textContent()).resolves.toMatch(
      /of the 4 accounts from 企查查 华东 2025 (is|are) in your target market|None of the 4 accounts from 企查查 华东 2025/,
    );
  });

  it('links to the accounts of the source', async () => {
    await page.getByTestId('source-accounts-link').click();
    await page.waitForURL((url) => url.pathname === '/accounts' && url.searchParams.has('source'));
    // The Source filter of the accounts page names the source the link chose.
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Source', exact: true }).inputValue())
      .toBe('企查查 华东 2025');
    // The list answers after the filter is shown ("Loading accounts…" until then).
    await expect.poll(() => page.getByTestId('accounts-total').textContent()).toBe('4 accounts');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect
      .poll(() => page.getByTestId('accounts-total').textContent())
      .toBe(`${new Intl.NumberFormat('en-US').format(accountsBefore + 3)} accounts`);
  });

  it('gives the new accounts of a list without places to the manager or to the rep chosen; Accounts shows them', async () => {
    // The audit's case (an S&P 500 list): companies with no province or city lie in no territory, so only the
    // owner's scope holds them. Imported by a manager, they used to have no owner and vanish from the manager's view.
    const importList = async (name: string, rows: string[], owner: string | null) => {
      await page.goto(`${baseUrl}/import`);
      await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
      await page.getByTestId('import-file-input').setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(`企业名称,行业\r\n${rows.map((r) => `${r},软件\r\n`).join('')}`),
      });
      await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
      await page.getByRole('combobox', { name: /Source name/ }).fill(name);
      await page.getByTestId('to-mapping').click();
      await page.getByTestId('mapping-table').waitFor();
      await page.getByTestId('to-confirm').click();
      const choice = page.getByRole('combobox', { name: 'Owner of the new accounts' });
      await expect(choice.inputValue()).resolves.toBe('Me (王海涛)');
      if (owner) {
        await choice.click();
        await page.getByRole('option', { name: owner, exact: true }).click();
        await expect(choice.inputValue()).resolves.toBe(owner);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('start-import').click();
      await page.getByRole('heading', { level: 2, name: 'Import finished' }).waitFor({ timeout: 30_000 });
      await expect(figure(page, 'created')).resolves.toBe(rows.length);
    };
    const total = () => page.getByTestId('accounts-total').textContent();

    await importList('no-place-mine.csv', ['无地址甲科技有限公司', '无地址乙科技有限公司'], null);
    await expect(page.getByTestId('result-owner').textContent()).resolves.toMatch(
      /^2 new accounts were created: they are yours; hand them to your reps on Accounts/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'import-owner-en.png') });
    await page.getByTestId('result-owner-link').click();
    await page.waitForURL((url) => url.pathname === '/accounts' && url.searchParams.has('ownerId'));
    await expect.poll(total).toBe('2 accounts');

    await importList('no-place-rep.csv', ['无地址丙科技有限公司'], '李娜');
    await expect(page.getByTestId('result-owner').textContent()).resolves.toMatch(
      /^1 new account was created: it belongs to 李娜\./,
    );
    await page.getByTestId('result-owner-link').click();
    await page.waitForURL((url) => url.pathname === '/accounts' && url.searchParams.has('source'));
    await expect.poll(total).toBe('1 account');

    // The Owner filter's Unassigned: the accounts nobody owns that the manager may see, as the API counts them.
    await page.goto(`${baseUrl}/accounts`);
    await page.getByRole('combobox', { name: 'Owner', exact: true }).click();
    await page.getByRole('option', { name: 'Unassigned', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('unassigned') === 'true');
    const unassigned = (await (
      await context.request.get(`${baseUrl}/api/accounts?unassigned=true&pageSize=1`)
    ).json()) as { total: number };
    const count = new Intl.NumberFormat('en-US').format(unassigned.total);
    await expect.poll(total).toBe(`${count} ${unassigned.total === 1 ? 'account' : 'accounts'}`);
  });

  it('discards an upload that was never started, after asking, from the recent imports', async () => {
    await page.goto(`${baseUrl}/import`);
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: 'left-behind.csv', mimeType: 'text/csv', buffer: file.buffer });
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    const jobId = new URL(page.url()).searchParams.get('job');
    expect(jobId).toBeTruthy();
    // Left without starting: the upload waits in the recent imports, apart from the imports (no counts, when the
    // server removes it), with a way out.
    const recent = page.getByTestId('recent-imports');
    const row = recent.getByRole('row').filter({ hasText: 'left-behind.csv' });
    await row.getByText('Uploaded, not imported').waitFor();
    await expect(row.getByTestId('upload-expires').textContent()).resolves.toMatch(
      /^Removed .+ unless imported$/,
    );
    await expect(row.locator('td.numeric').allTextContents()).resolves.toEqual(['—', '—', '—', '—']);
    // The wizard is on it already: no Continue there.
    await expect(row.getByTestId('continue-import').count()).resolves.toBe(0);
    // Only uploads never started can be discarded; the finished imports above cannot.
    await expect(recent.getByTestId('discard-import').count()).resolves.toBe(1);
    await row.getByRole('button', { name: 'Discard the upload left-behind.csv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this upload?' });
    await dialog.getByText(/left-behind\.csv \(uploaded .+\) was never imported/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'import-discard-en.png') });
    expect(await seriousViolations(page)).toEqual([]);
    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(row.count()).resolves.toBe(1);

    await row.getByRole('button', { name: 'Discard the upload left-behind.csv' }).click();
    await dialog.getByRole('button', { name: 'Discard upload' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });
    // The wizard was on that upload: it is back at choosing a file, and the job is gone.
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    expect(new URL(page.url()).searchParams.get('job')).toBeNull();
    expect((await context.request.get(`${baseUrl}/api/imports/${jobId}`)).status()).toBe(404);
    await expect(recent.getByTestId('discard-import').count()).resolves.toBe(0);

    // In Chinese: 丢弃, with its confirmation.
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: '遗留名单.csv', mimeType: 'text/csv', buffer: file.buffer });
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    await page.getByText('简体中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '导入' }).waitFor();
    const zhRow = recent.getByRole('row').filter({ hasText: '遗留名单.csv' });
    await zhRow.getByText('已上传，未导入', { exact: true }).waitFor();
    await zhRow.getByRole('button', { name: '丢弃上传的文件 遗留名单.csv' }).click();
    const zhDialog = page.getByRole('dialog', { name: '丢弃这次上传？' });
    await zhDialog.getByText(/尚未导入。丢弃后它会从列表中移除/).waitFor();
    await zhDialog.getByRole('button', { name: '丢弃上传' }).click();
    await zhRow.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 2, name: '选择文件' }).waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
  });

  /** The CSRF token of the page's session, for changes made through the API beside the page. */
  async function csrf(): Promise<string> {
    const status = await context.request.get(`${baseUrl}/api/auth/status`);
    return ((await status.json()) as { csrfToken: string }).csrfToken;
  }

  /** Uploads a file through the API (as another tab or a script would), optionally starting it; its job id. */
  async function uploadByApi(name: string, buffer: Buffer, start: boolean): Promise<string> {
    const headers = { 'x-csrf-token': await csrf() };
    const uploaded = await context.request.post(`${baseUrl}/api/imports`, {
      headers,
      multipart: { file: { name, mimeType: 'text/csv', buffer } },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(201);
    const id = ((await uploaded.json()) as { id: string }).id;
    if (start) {
      const started = await context.request.post(`${baseUrl}/api/imports/${id}/start`, {
        headers,
        data: { source: { name: `Failing ${id}`, kind: 'free' } },
      });
      expect(started.status(), await started.text()).toBe(202);
    }
    return id;
  }

  const jobStatus = async (id: string) =>
    (await context.request.get(`${baseUrl}/api/imports/${id}`)).status();
  const jobState = async (id: string) =>
    ((await (await context.request.get(`${baseUrl}/api/imports/${id}`)).json()) as { state: string }).state;

  it('discards its own upload when another file is chosen or the page is left before Start, and no other', async () => {
    const deletes: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'DELETE') deletes.push(new URL(request.url()).pathname);
    });
    const pick = async (name: string) => {
      await page
        .getByTestId('import-file-input')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: file.buffer });
      await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
      const id = new URL(page.url()).searchParams.get('job');
      expect(id).toBeTruthy();
      return id as string;
    };
    await page.goto(`${baseUrl}/import`);
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    const recent = page.getByTestId('recent-imports');

    // Another file: the upload just made is discarded, job and file, and leaves the recent imports.
    const first = await pick('first-choice.csv');
    const firstRow = recent.getByRole('row').filter({ hasText: 'first-choice.csv' });
    await firstRow.waitFor();
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    await expect.poll(() => jobStatus(first)).toBe(404);
    await firstRow.waitFor({ state: 'detached' });

    // Another page before Start: discarded too.
    const second = await pick('second-choice.csv');
    await page.getByRole('navigation').getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/accounts');
    await expect.poll(() => jobStatus(second)).toBe(404);

    // An upload this visit did not make (another tab's, or a teammate's opened from the recent imports) is left
    // as it is: leaving it sends no DELETE (the wizard's own next upload, left the same way, shows the order).
    const elsewhere = await uploadByApi('from-another-tab.csv', file.buffer, false);
    await page.goto(`${baseUrl}/import?job=${elsewhere}`);
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    const third = await pick('third-choice.csv');
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await expect.poll(() => jobStatus(third)).toBe(404);
    expect(deletes).toEqual([first, second, third].map((id) => `/api/imports/${id}`));
    expect(await jobState(elsewhere)).toBe('uploaded');
    const elsewhereRow = recent.getByRole('row').filter({ hasText: 'from-another-tab.csv' });
    await elsewhereRow.getByText('Uploaded, not imported').waitFor();
    // Continue takes it up in the wizard where it was left: the source step.
    await elsewhereRow.getByRole('link', { name: 'Continue importing from-another-tab.csv' }).click();
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    expect(new URL(page.url()).searchParams.get('job')).toBe(elsewhere);
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    expect(await jobState(elsewhere)).toBe('uploaded');
    await context.request.delete(`${baseUrl}/api/imports/${elsewhere}`, {
      headers: { 'x-csrf-token': await csrf() },
    });
  });

  it('runs a failed import again from its result, with the same upload', async () => {
    const failed = await uploadByApi('no-name-column.csv', NO_NAME_CSV, true);
    await expect.poll(() => jobState(failed), { timeout: 30_000 }).toBe('failed');
    await page.goto(`${baseUrl}/import?job=${failed}`);
    await page.getByTestId('import-failed').waitFor();
    await expect(page.getByTestId('import-failed-help').textContent()).resolves.toMatch(
      /The uploaded file is still kept: try again with it/,
    );
    const row = page.getByTestId('recent-imports').getByRole('row').filter({ hasText: 'no-name-column.csv' });
    await row.getByText('Failed', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Discard the failed import no-name-column.csv' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('retry-import').click();
    await page.getByRole('heading', { level: 2, name: 'Where the list came from' }).waitFor();
    expect(new URL(page.url()).searchParams.get('job')).toBe(failed);
    await page.getByRole('combobox', { name: /Source name/ }).fill('Retried list');
    await page.getByTestId('to-mapping').click();
    await page.getByTestId('mapping-table').waitFor();
    await page.getByRole('combobox', { name: 'Account field for column x' }).selectOption('name');
    await page.getByTestId('to-confirm').click();
    await page.getByRole('heading', { level: 2, name: 'Confirm and import' }).waitFor();
    await page.getByTestId('start-import').click();
    await page.getByRole('heading', { level: 2, name: 'Import finished' }).waitFor({ timeout: 30_000 });
    await expect(figure(page, 'created')).resolves.toBe(1);
    expect(new URL(page.url()).searchParams.get('job')).toBe(failed);
    await row.getByText('Done', { exact: true }).waitFor();
  });

  it('no longer offers to run a failed import again once its file is removed; it can still be discarded', async () => {
    const failed = await uploadByApi('expired-list.csv', NO_NAME_CSV, true);
    await expect.poll(() => jobState(failed), { timeout: 30_000 }).toBe('failed');
    // As the server's runner does TIERLINE_FAILED_IMPORT_TTL_DAYS (7) after the failure.
    const expired = await expireFailedImportFiles(
      workspace.server.database,
      () => new Date(Date.now() + 8 * 24 * 3_600_000),
    );
    expect(expired).toEqual([failed]);
    await page.goto(`${baseUrl}/import?job=${failed}`);
    await page.getByTestId('import-failed').waitFor();
    await expect(page.getByTestId('import-failed-help').textContent()).resolves.toMatch(
      /The uploaded file was removed on .+: upload the file again to import it/,
    );
    await expect(page.getByTestId('retry-import').count()).resolves.toBe(0);
    const row = page.getByTestId('recent-imports').getByRole('row').filter({ hasText: 'expired-list.csv' });
    await row.getByTestId('file-expired').getByText('File removed').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Discard the failed import expired-list.csv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this failed import?' });
    await dialog.getByText(/expired-list\.csv \(failed .+\) imported nothing/).waitFor();
    await dialog.getByRole('button', { name: 'Discard import' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    expect(await jobStatus(failed)).toBe(404);
  });

  it('says when a file is over the upload limit (413)', async () => {
    await page.goto(`${baseUrl}/import`);
    await page.getByRole('heading', { level: 2, name: 'Choose the file' }).waitFor();
    // The API does not announce its limit before an upload: the default is shown until a 413 tells the real one.
    await expect(page.getByTestId('import-limit').textContent()).resolves.toBe('Up to 200 MB per file');
    const big = Buffer.alloc(Math.round(2.5 * 1024 * 1024), 'a,b,c\r\n');
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    const error = page.getByTestId('upload-error');
    await error.getByText('The file is too large').waitFor();
    await expect(error.textContent()).resolves.toMatch(/big\.csv is 2\.5 MB; this server accepts up to 2 MB/);
    await expect(page.getByTestId('import-limit').textContent()).resolves.toBe('Up to 2 MB per file');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
