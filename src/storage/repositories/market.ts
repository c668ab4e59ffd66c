import { sql } from 'kysely';
import type { MarketAccount, MarketField } from '../../domain/market/market-criteria.ts';
import type { TieringAccount } from '../../domain/tiering/potential-score.ts';
import type { Db } from '../database.ts';
import type { AccountRow, Tier } from '../tables.ts';
import type { Executor } from './accounts.ts';

/** What market matching and tiering read, plus what they last wrote (to write only what changes). */
export interface MarketRow extends MarketAccount, TieringAccount {
  inMarket: boolean;
  marketVersion: number | null;
  storedTier: Tier | null;
  storedScore: number | null;
}

const PAGE = 20_000;

const MARKET_COLUMNS = [
  'id',
  'province',
  'city',
  'district',
  'industry',
  'annual_sales',
  'employees_min',
  'employees_max',
  'net_assets',
  'territory_id',
  'tier_override',
  'in_market',
  'market_version',
  'tier',
  'potential_score',
] as const;

type MarketColumns = Pick<AccountRow, (typeof MARKET_COLUMNS)[number]>;

function marketRow(r: MarketColumns, sources: ReadonlyMap<string, string[]>): MarketRow {
  return {
    id: r.id,
    province: r.province,
    city: r.city,
    district: r.district,
    industry: r.industry,
    annualSales: r.annual_sales,
    employeesMin: r.employees_min,
    employeesMax: r.employees_max,
    netAssets: r.net_assets,
    sourceIds: sources.get(r.id) ?? [],
    territoryId: r.territory_id,
    tierOverride: r.tier_override,
    inMarket: r.in_market === 1,
    marketVersion: r.market_version,
    storedTier: r.tier,
    storedScore: r.potential_score,
  };
}

/**
 * All accounts with the fields market and tier computations need, read in keyset pages. On SQLite, when `db` is a
 * transaction and `raw` the `Db` it runs on, the rows are read by one prepared statement on that connection as
 * arrays instead of through Kysely as objects (saveMarket at 100k accounts: ~20% less CPU). Only in a
 * transaction: Kysely then holds the one connection for the caller, so nobody else's statement runs in between.
 */
export async function loadMarketRows(
  db: Executor,
  options: { withSources: boolean; raw?: Db },
): Promise<MarketRow[]> {
  const sources = options.withSources ? await loadSourceIds(db) : new Map<string, string[]>();
  const rows: MarketRow[] = [];
  const sqlite = db.isTransaction && options.raw?.dialect === 'sqlite' ? options.raw.sqlite : undefined;
  if (sqlite) {
    const statement = sqlite.prepare(`select ${MARKET_COLUMNS.join(', ')} from accounts order by id`).raw();
    for (const v of statement.iterate() as IterableIterator<unknown[]>) {
      // Built straight from the array: no row object in between (the column order is MARKET_COLUMNS').
      rows.push({
        id: v[0] as string,
        province: v[1] as string | null,
        city: v[2] as string | null,
        district: v[3] as string | null,
        industry: v[4] as string | null,
        annualSales: v[5] as number | null,
        employeesMin: v[6] as number | null,
        employeesMax: v[7] as number | null,
        netAssets: v[8] as number | null,
        sourceIds: sources.get(v[0] as string) ?? [],
        territoryId: v[9] as string | null,
        tierOverride: v[10] as Tier | null,
        inMarket: v[11] === 1,
        marketVersion: v[12] as number | null,
        storedTier: v[13] as Tier | null,
        storedScore: v[14] as number | null,
      });
    }
    return rows;
  }
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('accounts')
      .select(MARKET_COLUMNS)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of page) rows.push(marketRow(r, sources));
    if (page.length < PAGE) return rows;
    after = page[page.length - 1]?.id ?? after;
  }
}

/** The columns of an optional market field, for eachMarketRow. */
const FIELD_COLUMNS: readonly (readonly [MarketField, string])[] = [
  ['province', 'province'],
  ['city', 'city'],
  ['district', 'district'],
  ['industry', 'industry'],
  ['territoryId', 'territory_id'],
];

/**
 * The rows of loadMarketRows, each handed to `visit` (in id order) instead of collected. On SQLite, inside a
 * transaction with `raw` the `Db` it runs on, one prepared statement reads them as arrays and ONE row object is
 * filled anew for every row (the visitor must copy what it keeps), with the row's rowid; the place, industry
 * and territory columns are read only when `fields` names them (unread ones are null: the market predicate of
 * criteria whose fields they are not does not look at them, see marketCriteriaFields). Elsewhere the rows are
 * loadMarketRows' objects, complete, with a null rowid.
 */
export async function eachMarketRow(
  db: Executor,
  options: { withSources: boolean; raw?: Db; fields: ReadonlySet<MarketField> },
  visit: (row: MarketRow, rowid: number | null) => void,
): Promise<void> {
  const sqlite = db.isTransaction && options.raw?.dialect === 'sqlite' ? options.raw.sqlite : undefined;
  if (!sqlite) {
    for (const row of await loadMarketRows(db, { withSources: options.withSources })) visit(row, null);
    return;
  }
  const sources = options.withSources ? await loadSourceIds(db) : new Map<string, string[]>();
  const optional = FIELD_COLUMNS.filter(([field]) => options.fields.has(field));
  const at = (field: MarketField) => {
    const k = optional.findIndex(([f]) => f === field);
    return k < 0 ? -1 : 11 + k;
  };
  const [province, city, district, industry, territory] = [
    at('province'),
    at('city'),
    at('district'),
    at('industry'),
    at('territoryId'),
  ];
  const text = (v: unknown[], k: number) => (k < 0 ? null : (v[k] as string | null));
  const statement = sqlite
    .prepare(
      `select rowid, id, annual_sales, employees_min, employees_max, net_assets, tier_override, in_market,
        market_version, tier, potential_score${optional.map(([, column]) => `, ${column}`).join('')}
       from accounts order by id`,
    )
    .raw();
  const noSources: readonly string[] = [];
  const row: MarketRow = {
    id: '',
    province: null,
    city: null,
    district: null,
    industry: null,
    annualSales: null,
    employeesMin: null,
    employeesMax: null,
    netAssets: null,
    sourceIds: noSources,
    territoryId: null,
    tierOverride: null,
    inMarket: false,
    marketVersion: null,
    storedTier: null,
    storedScore: null,
  };
  for (const v of statement.iterate() as IterableIterator<unknown[]>) {
    const id = v[1] as string;
    row.id = id;
    row.annualSales = v[2] as number | null;
    row.employeesMin = v[3] as number | null;
    row.employeesMax = v[4] as number | null;
    row.netAssets = v[5] as number | null;
    row.tierOverride = v[6] as Tier | null;
    row.inMarket = v[7] === 1;
    row.marketVersion = v[8] as number | null;
    row.storedTier = v[9] as Tier | null;
    row.storedScore = v[10] as number | null;
    row.province = text(v, province);
    row.city = text(v, city);
    row.district = text(v, district);
    row.industry = text(v, industry);
    row.territoryId = text(v, territory);
    row.sourceIds = sources.get(id) ?? noSources;
    visit(row, v[0] as number);
  }
}

async function loadSourceIds(db: Executor): Promise<Map<string, string[]>> {
  const links = await db.selectFrom('account_sources').select(['account_id', 'source_id']).execute();
  const map = new Map<string, string[]>();
  for (const link of links) {
    const list = map.get(link.account_id);
    if (list) list.push(link.source_id);
    else map.set(link.account_id, [link.source_id]);
  }
  return map;
}

export async function touchedAccountIds(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('activities').select('account_id').distinct().execute();
  return new Set(rows.map((r) => r.account_id));
}

export interface TieringUpdate {
  id: string;
  /** The account's rowid on SQLite when it was read with it (eachMarketRow): updated by it, not by id. */
  rowid?: number | null;
  inMarket: boolean;
  marketVersion: number | null;
  score: number | null;
  tier: Tier | null;
}

/**
 * Writes market membership, score and effective tier for many accounts, in the caller's transaction. SQLite
 * goes through one prepared UPDATE per account (the connection is the transaction's; about a third cheaper
 * than UPDATE … FROM VALUES batches, which SQLite has to parse and plan each time); PostgreSQL gets one
 * UPDATE … FROM unnest(arrays) per batch of 10,000 (five parameters, not five a row).
 */
export async function writeTiering(
  db: Db,
  trx: Executor,
  updates: readonly TieringUpdate[],
  at: string,
): Promise<void> {
  if (db.dialect === 'sqlite' && db.sqlite) {
    const set =
      'update accounts set in_market = ?, market_version = ?, potential_score = ?, tier = ?, updated_at = ?';
    // By rowid when the rows were read with it (in this transaction): no look-up of the text primary key's index.
    const byRowid = updates.every((u) => u.rowid != null);
    const update = db.sqlite.prepare(`${set} where ${byRowid ? 'rowid' : 'id'} = ?`);
    for (const u of updates) {
      update.run(u.inMarket ? 1 : 0, u.marketVersion, u.score, u.tier, at, byRowid ? u.rowid : u.id);
    }
    return;
  }
  const BATCH = 10_000;
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH);
    await sql`
      update accounts set
        in_market = v.in_market,
        market_version = v.market_version,
        potential_score = v.score,
        tier = v.tier,
        updated_at = ${at}
      from unnest(
        ${batch.map((u) => u.id)}::text[],
        ${batch.map((u) => (u.inMarket ? 1 : 0))}::integer[],
        ${batch.map((u) => u.marketVersion)}::integer[],
        ${batch.map((u) => u.score)}::double precision[],
        ${batch.map((u) => u.tier)}::text[]
      ) as v(id, in_market, market_version, score, tier)
      where accounts.id = v.id`.execute(trx);
  }
}
