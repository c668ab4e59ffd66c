import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { TAccount, TAccountFacets, TAccountListQuery } from '../../schemas/account.ts';
import type { AccountRow, Database, NewAccountRow } from '../tables.ts';
import { type ActivityFilterContext, activityConditions, hasActivityFilter } from './account-activity.ts';
import { type AccountScope, accountScopeCondition, isUnrestricted } from './account-scope.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export function accountFromRow(row: AccountRow): TAccount {
  return {
    id: row.id,
    name: row.name,
    normalizedName: row.normalized_name,
    uscc: row.uscc,
    registrationId: row.registration_id,
    website: row.website_domain,
    province: row.province,
    city: row.city,
    district: row.district,
    address: row.address,
    industry: row.industry,
    annualSales: row.annual_sales,
    employeesMin: row.employees_min,
    employeesMax: row.employees_max,
    netAssets: row.net_assets,
    registeredCapital: row.registered_capital,
    phone: row.phone,
    email: row.email,
    customFields: parseRecord(row.custom_fields),
    potentialScore: row.potential_score,
    inMarket: row.in_market === 1,
    marketVersion: row.market_version,
    tier: row.tier,
    tierOverride: row.tier_override,
    tierOverrideReason: row.tier_override_reason,
    stage: row.stage,
    ownerId: row.owner_id,
    territoryId: row.territory_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function parseRecord(json: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // a corrupt blob must not break listing; it shows as empty
  }
  return {};
}

export type { AccountScope } from './account-scope.ts';

const SORT_COLUMNS = {
  name: 'accounts.name',
  annualSales: 'accounts.annual_sales',
  employees: 'accounts.employees_min',
  netAssets: 'accounts.net_assets',
  tier: 'accounts.tier',
  province: 'accounts.province',
  city: 'accounts.city',
  stage: 'accounts.stage',
  createdAt: 'accounts.created_at',
  updatedAt: 'accounts.updated_at',
} as const;
const NOT_NULL_SORTS: ReadonlySet<string> = new Set(['name', 'stage', 'createdAt', 'updatedAt']);

/** What a list needs besides the query: the workspace's today, for the `overdue` filter. */
export interface AccountListContext extends ActivityFilterContext {
  /** Today in the workspace time zone (YYYY-MM-DD); required when the query filters on `overdue`. */
  today?: string;
}

export type AccountFilter = Omit<TAccountListQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The accounts matching a filter within a scope (a query to select from, count or update by id). */
export function filtered(
  db: Executor,
  query: Partial<AccountFilter>,
  scope: AccountScope,
  context: AccountListContext = {},
) {
  let q = db.selectFrom('accounts');
  if (!isUnrestricted(scope)) q = q.where((eb) => accountScopeCondition(db, eb, scope));
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    const upper = query.search.toUpperCase();
    q = q.where((eb) =>
      eb.or([
        eb(sql`accounts.name`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(sql`accounts.normalized_name`, 'like', sql<string>`${pattern.toLowerCase()} escape '\\'`),
        eb('accounts.uscc', '=', upper),
        eb('accounts.phone', '=', query.search ?? ''),
        eb('accounts.website_domain', '=', query.search?.toLowerCase() ?? ''),
      ]),
    );
  }
  if (query.tier?.length) {
    const tiers = query.tier.filter((t): t is 'A' | 'B' | 'C' => t !== 'none');
    const wantsNone = query.tier.includes('none');
    q = q.where((eb) => {
      const ors: Expression<SqlBool>[] = [];
      if (tiers.length) ors.push(eb('accounts.tier', 'in', tiers));
      if (wantsNone) ors.push(eb('accounts.tier', 'is', null));
      return eb.or(ors);
    });
  }
  if (query.inMarket !== undefined) q = q.where('accounts.in_market', '=', query.inMarket ? 1 : 0);
  if (query.province?.length) q = q.where('accounts.province', 'in', query.province);
  if (query.city?.length) q = q.where('accounts.city', 'in', query.city);
  if (query.district?.length) q = q.where('accounts.district', 'in', query.district);
  if (query.industry?.length) q = q.where('accounts.industry', 'in', query.industry);
  if (query.stage?.length) q = q.where('accounts.stage', 'in', query.stage);
  if (query.ownerId) q = q.where('accounts.owner_id', '=', query.ownerId);
  if (query.unassigned !== undefined)
    q = q.where('accounts.owner_id', query.unassigned ? 'is' : 'is not', null);
  if (query.sourceId) {
    const sourceId = query.sourceId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('account_sources')
          .select('account_sources.account_id')
          .whereRef('account_sources.account_id', '=', 'accounts.id')
          .where('account_sources.source_id', '=', sourceId),
      ),
    );
  }
  if (query.overdue !== undefined) {
    // The SQL form of domain/plan/goals.ts countOverdue (used by the goals and the agenda): a planned call or
    // visit still open (status 'planned') whose day is before today. The IN list is read from
    // planned_touches_due_idx (due_on, status): only the overdue touches are visited, not every account's plan.
    const today = context.today;
    if (!today) throw new Error('The overdue filter needs the workspace date (context.today).');
    const overdueIds = db
      .selectFrom('planned_touches')
      .select('planned_touches.account_id')
      .where('planned_touches.due_on', '<', today)
      .where('planned_touches.status', '=', 'planned');
    q = q.where('accounts.id', query.overdue ? 'in' : 'not in', overdueIds);
  }
  // The dashboard's drill-downs: coverage, touches and objections in a window, touches planned (account-activity.ts).
  if (hasActivityFilter(query)) q = q.where((eb) => eb.and(activityConditions(eb, query, context)));
  return q;
}

/**
 * Orders a page: the column, then the id (a stable order for paging). Accounts without a value come last in
 * either direction (`NULLS LAST`, the same on SQLite and PostgreSQL). Written so an index on (column, id) can
 * serve it without sorting: on SQLite descending (its default places NULLs last when descending), on
 * PostgreSQL ascending.
 */
function orderTerms(sort: TAccountListQuery['sort'], order: TAccountListQuery['order']) {
  const column = sql.ref(SORT_COLUMNS[sort]);
  const direction = order === 'desc' ? sql.raw('desc') : sql.raw('asc');
  const nulls = NOT_NULL_SORTS.has(sort) ? sql.raw('') : sql.raw(' nulls last');
  return [sql`${column} ${direction}${nulls}`, sql`accounts.id ${direction}`] as const;
}

export async function listAccounts(
  db: Executor,
  query: TAccountListQuery,
  scope: AccountScope = {},
  context: AccountListContext = {},
): Promise<{ items: TAccount[]; total: number }> {
  const base = filtered(db, query, scope, context);
  const [rows, count] = await Promise.all([
    pageRows(db, query, scope, context, query.pageSize, (query.page - 1) * query.pageSize),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(accountFromRow), total: Number(count.n) };
}

function pageRows(
  db: Executor,
  query: Omit<TAccountListQuery, 'page' | 'pageSize'>,
  scope: AccountScope,
  context: AccountListContext,
  limit: number,
  offset: number,
) {
  const [first, second] = orderTerms(query.sort, query.order);
  return filtered(db, query, scope, context)
    .selectAll('accounts')
    .orderBy(first)
    .orderBy(second)
    .limit(limit)
    .offset(offset)
    .execute();
}

/** How many accounts match (no rows read beyond what the count needs). */
export async function countAccounts(
  db: Executor,
  query: Partial<AccountFilter>,
  scope: AccountScope = {},
  context: AccountListContext = {},
): Promise<number> {
  const row = await filtered(db, query, scope, context)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every matching account in the query's order, fetched in batches so a large list never sits in memory at
 * once. No count per batch: the stream ends at the first short batch.
 */
export async function* iterateAccounts(
  db: Executor,
  query: Omit<TAccountListQuery, 'page' | 'pageSize'>,
  scope: AccountScope = {},
  batchSize = 5000,
  context: AccountListContext = {},
): AsyncGenerator<TAccount[]> {
  for (let offset = 0; ; offset += batchSize) {
    const rows = await pageRows(db, query, scope, context, batchSize, offset);
    if (rows.length > 0) yield rows.map(accountFromRow);
    if (rows.length < batchSize) return;
  }
}

/** One account row; with a scope, undefined also when the caller may not see it. */
/**
 * PostgreSQL's transaction-scoped lock under which new company identities are matched against the existing accounts
 * and written: the import's merge (services/import-pipeline.ts) and a hand-made account or credit-code change take
 * it first thing in their transaction, so two writers cannot both add the same company. Keyed by schema, so
 * workspaces in other schemas of the same database do not wait on each other. SQLite needs none: its transactions
 * begin IMMEDIATE, one writer at a time.
 */
export const ACCOUNT_MERGE_LOCK_SQL = 'select pg_advisory_xact_lock(7320, hashtext(current_schema()))';

export async function lockAccountMerge(db: Executor, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql.raw(ACCOUNT_MERGE_LOCK_SQL).execute(db);
}

/** What the duplicate check reads of an account that may be the same company. */
export interface AccountIdentityRow {
  id: string;
  name: string;
  uscc: string | null;
  website_domain: string | null;
  normalized_name: string;
  city: string | null;
}

/**
 * Accounts of the whole workspace (no scope: a duplicate is one whoever can see it) sharing the credit code, the
 * website domain or the normalised name (the city is compared by the caller, normalised), oldest first for each.
 */
export async function findAccountsSharingIdentity(
  db: Executor,
  identity: { uscc: string | null; websiteDomain: string | null; normalizedName: string | null },
  exceptId: string | null,
  limitEach = 100,
): Promise<AccountIdentityRow[]> {
  const { uscc, websiteDomain, normalizedName } = identity;
  const found: AccountIdentityRow[] = [];
  const seen = new Set<string>();
  for (const [column, values] of [
    ['uscc', uscc ? [uscc] : []],
    ['website_domain', websiteDomain ? [websiteDomain, `www.${websiteDomain}`] : []],
    ['normalized_name', normalizedName ? [normalizedName] : []],
  ] as const) {
    if (values.length === 0) continue;
    let q = db
      .selectFrom('accounts')
      .select(['id', 'name', 'uscc', 'website_domain', 'normalized_name', 'city'])
      .where(column, 'in', values);
    if (exceptId) q = q.where('id', '!=', exceptId);
    for (const row of await q.orderBy('id').limit(limitEach).execute()) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      found.push(row);
    }
  }
  return found;
}

export async function findAccountRow(
  db: Executor,
  id: string,
  scope: AccountScope = {},
): Promise<AccountRow | undefined> {
  let q = db.selectFrom('accounts').selectAll().where('id', '=', id);
  if (!isUnrestricted(scope)) q = q.where((eb) => accountScopeCondition(db, eb, scope));
  return q.executeTakeFirst();
}

export async function insertAccountRow(db: Executor, row: NewAccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

/** Updates only when the stored version still equals `expectedVersion`; returns false when it moved on. */
export async function updateAccountRow(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<NewAccountRow>,
): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function accountFacets(db: Executor, scope: AccountScope = {}): Promise<TAccountFacets> {
  const base = filtered(db, {}, scope);
  const [provinces, cities, industries] = await Promise.all([
    base
      .select(['accounts.province as value', (eb) => eb.fn.countAll<number>().as('count')])
      .where('accounts.province', 'is not', null)
      .groupBy('accounts.province')
      .orderBy('count', 'desc')
      .execute(),
    base
      .select(['accounts.city as value', 'accounts.province', (eb) => eb.fn.countAll<number>().as('count')])
      .where('accounts.city', 'is not', null)
      .groupBy(['accounts.city', 'accounts.province'])
      .orderBy('count', 'desc')
      .execute(),
    base
      .select(['accounts.industry as value', (eb) => eb.fn.countAll<number>().as('count')])
      .where('accounts.industry', 'is not', null)
      .groupBy('accounts.industry')
      .orderBy('count', 'desc')
      .execute(),
  ]);
  return {
    provinces: provinces.map((r) => ({ value: r.value ?? '', count: Number(r.count) })),
    cities: cities.map((r) => ({ value: r.value ?? '', province: r.province, count: Number(r.count) })),
    industries: industries.map((r) => ({ value: r.value ?? '', count: Number(r.count) })),
  };
}
