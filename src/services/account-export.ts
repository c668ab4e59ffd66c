import { PassThrough, Readable } from 'node:stream';
import type { TAccount, TAccountListInput } from '../schemas/account.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { requireSignedIn } from './access.ts';
import { streamAccounts } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { csvChunks, type ExportColumn, writeXlsx } from './export-format.ts';

export type ExportFormat = 'csv' | 'xlsx';
export type ExportLanguage = 'zh-CN' | 'en';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Readable;
}

type Row = TAccount & { ownerName: string | null; territoryName: string | null };

/** Column headers in Chinese and English (the plan CSV reuses them for the same fields). */
export const ACCOUNT_EXPORT_HEADERS = {
  id: ['ID', 'ID'],
  name: ['企业名称', 'Company'],
  uscc: ['统一社会信用代码', 'USCC'],
  province: ['省份', 'Province'],
  city: ['城市', 'City'],
  district: ['区县', 'District'],
  address: ['地址', 'Address'],
  industry: ['行业', 'Industry'],
  annualSales: ['年销售额（元）', 'Annual sales (yuan)'],
  employeesMin: ['员工人数下限', 'Employees (min)'],
  employeesMax: ['员工人数上限', 'Employees (max)'],
  netAssets: ['净资产（元）', 'Net assets (yuan)'],
  registeredCapital: ['注册资本（元）', 'Registered capital (yuan)'],
  phone: ['电话', 'Phone'],
  email: ['邮箱', 'Email'],
  website: ['网站', 'Website'],
  tier: ['分级', 'Tier'],
  inMarket: ['目标市场内', 'In target market'],
  stage: ['阶段', 'Stage'],
  owner: ['负责人', 'Owner'],
  territory: ['区域', 'Territory'],
  updatedAt: ['更新时间', 'Updated'],
} as const satisfies Record<string, readonly [zh: string, en: string]>;

const HEADERS: Readonly<Record<string, readonly [zh: string, en: string]>> = ACCOUNT_EXPORT_HEADERS;

function columns(lang: ExportLanguage): ExportColumn<Row>[] {
  const h = (key: string) => (HEADERS[key] ?? [key, key])[lang === 'en' ? 1 : 0];
  const col = (key: keyof TAccount, width?: number): ExportColumn<Row> => ({
    key,
    header: h(key),
    value: (r) => {
      const v = r[key];
      return typeof v === 'object' ? null : v;
    },
    ...(width ? { width } : {}),
  });
  return [
    col('id', 38),
    col('name', 40),
    col('uscc', 20),
    col('province'),
    col('city'),
    col('district'),
    col('address', 40),
    col('industry', 28),
    col('annualSales'),
    col('employeesMin'),
    col('employeesMax'),
    col('netAssets'),
    col('registeredCapital'),
    col('phone'),
    col('email', 28),
    col('website', 24),
    col('tier', 6),
    col('inMarket', 8),
    col('stage'),
    { key: 'owner', header: h('owner'), value: (r) => r.ownerName },
    { key: 'territory', header: h('territory'), value: (r) => r.territoryName },
    col('updatedAt', 24),
  ];
}

/**
 * The caller's accounts (their scope, with the list's filters and sort) as CSV or Excel, streamed batch by
 * batch. Spreadsheet formulas are neutralised; the export is recorded in the audit log.
 */
export async function exportAccounts(
  ctx: ServiceContext,
  filters: Omit<TAccountListInput, 'page' | 'pageSize'>,
  format: ExportFormat,
  lang: ExportLanguage = 'zh-CN',
): Promise<ExportFile> {
  requireSignedIn(ctx);
  const db = ctx.db.kysely;
  const [users, territories] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).execute(),
    db.selectFrom('territories').select(['id', 'name']).execute(),
  ]);
  const userNames = new Map(users.map((u) => [u.id, u.name]));
  const territoryNames = new Map(territories.map((t) => [t.id, t.name]));
  const at = ctx.now().toISOString();
  await recordAudit(db, {
    at,
    userId: ctx.actor.userId,
    entity: 'account',
    entityId: null,
    action: 'export',
    after: { format, filters },
  });
  // The first page is read before the file starts: a filter the database refuses (a NUL character on PostgreSQL)
  // then answers 400 with its reason instead of a download cut off after its headers.
  const pages = streamAccounts(ctx, filters)[Symbol.asyncIterator]();
  const first = await pages.next();
  const batches = (async function* () {
    for (let page = first; !page.done; page = await pages.next()) {
      yield page.value.map((a) => ({
        ...a,
        ownerName: a.ownerId ? (userNames.get(a.ownerId) ?? a.ownerId) : null,
        territoryName: a.territoryId ? (territoryNames.get(a.territoryId) ?? a.territoryId) : null,
      }));
    }
  })();
  const stamp = at.slice(0, 10);
  const cols = columns(lang);
  if (format === 'csv') {
    return {
      filename: `accounts-${stamp}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: Readable.from(csvChunks(cols, batches)),
    };
  }
  const body = new PassThrough();
  writeXlsx(body, cols, batches, lang === 'en' ? 'Accounts' : '客户').catch((error: unknown) =>
    body.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return {
    filename: `accounts-${stamp}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}
