// Deterministic workspaces for the plan and agenda benchmarks: reps, accounts and planned touches written straight
// into the database with raw prepared statements (SQLite) or multi-row inserts (PostgreSQL). Nothing here is timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { mulberry32 } from '../src/domain/random.ts';
import type { TMarketCriteria } from '../src/schemas/market.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';

/** A UUIDv7-layout id from a millisecond stamp and the PRNG: increasing with `ms`, like the app's newId. */
export function benchId(ms: number, random: () => number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');
  const r = () => hex(random() * 0x10000, 4);
  const stamp = hex(ms, 12);
  return `${stamp.slice(0, 8)}-${stamp.slice(8)}-7${r().slice(1)}-${hex(0x8000 + random() * 0x4000, 4)}-${r()}${r()}${r()}`;
}

function pick<T>(items: readonly (readonly [T, number])[], u: number): T {
  let acc = 0;
  for (const [item, weight] of items) {
    acc += weight;
    if (u < acc) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

function normalize<T>(items: readonly (readonly [T, number])[]): [T, number][] {
  const total = items.reduce((n, [, w]) => n + w, 0);
  return items.map(([item, w]) => [item, w / total]);
}

// Roughly the regional spread of registered enterprises: the coast first. Each city with a few districts.
const GEOGRAPHY: readonly (readonly [string, number, readonly (readonly [string, readonly string[]])[]])[] = [
  [
    '广东省',
    14,
    [
      ['广州市', ['天河区', '越秀区', '海珠区', '番禺区', '白云区']],
      ['深圳市', ['南山区', '福田区', '宝安区', '龙岗区', '罗湖区']],
      ['东莞市', ['东城街道', '南城街道', '长安镇']],
      ['佛山市', ['南海区', '顺德区', '禅城区']],
    ],
  ],
  [
    '江苏省',
    12,
    [
      ['苏州市', ['工业园区', '吴中区', '相城区', '昆山市']],
      ['南京市', ['鼓楼区', '江宁区', '玄武区']],
      ['无锡市', ['梁溪区', '滨湖区', '江阴市']],
      ['常州市', ['武进区', '天宁区']],
    ],
  ],
  [
    '浙江省',
    11,
    [
      ['杭州市', ['西湖区', '滨江区', '余杭区', '萧山区']],
      ['宁波市', ['鄞州区', '海曙区', '北仑区']],
      ['温州市', ['鹿城区', '瓯海区']],
    ],
  ],
  [
    '山东省',
    8,
    [
      ['济南市', ['历下区', '市中区', '槐荫区']],
      ['青岛市', ['市南区', '黄岛区', '崂山区']],
      ['烟台市', ['芝罘区', '莱山区']],
    ],
  ],
  ['上海市', 7, [['上海市', ['浦东新区', '闵行区', '徐汇区', '嘉定区', '松江区', '静安区']]]],
  ['北京市', 6, [['北京市', ['海淀区', '朝阳区', '丰台区', '大兴区', '东城区']]]],
  [
    '河南省',
    5,
    [
      ['郑州市', ['金水区', '中原区', '二七区']],
      ['洛阳市', ['西工区', '涧西区']],
    ],
  ],
  [
    '四川省',
    5,
    [
      ['成都市', ['武侯区', '高新区', '锦江区', '成华区']],
      ['绵阳市', ['涪城区', '游仙区']],
    ],
  ],
  [
    '湖北省',
    5,
    [
      ['武汉市', ['江汉区', '洪山区', '武昌区', '东西湖区']],
      ['宜昌市', ['西陵区', '伍家岗区']],
    ],
  ],
  [
    '福建省',
    5,
    [
      ['福州市', ['鼓楼区', '台江区', '仓山区']],
      ['厦门市', ['思明区', '湖里区', '集美区']],
      ['泉州市', ['丰泽区', '晋江市']],
    ],
  ],
  ['湖南省', 4, [['长沙市', ['岳麓区', '芙蓉区', '雨花区', '开福区']]]],
  [
    '安徽省',
    4,
    [
      ['合肥市', ['蜀山区', '包河区', '庐阳区']],
      ['芜湖市', ['镜湖区', '弋江区']],
    ],
  ],
  [
    '河北省',
    4,
    [
      ['石家庄市', ['长安区', '桥西区', '裕华区']],
      ['唐山市', ['路北区', '路南区']],
    ],
  ],
  ['天津市', 3, [['天津市', ['和平区', '南开区', '滨海新区', '西青区']]]],
  ['重庆市', 3, [['重庆市', ['渝中区', '江北区', '渝北区', '九龙坡区']]]],
  ['陕西省', 3, [['西安市', ['雁塔区', '碑林区', '未央区']]]],
  [
    '辽宁省',
    3,
    [
      ['沈阳市', ['和平区', '浑南区', '铁西区']],
      ['大连市', ['中山区', '甘井子区']],
    ],
  ],
  ['江西省', 2, [['南昌市', ['东湖区', '红谷滩区']]]],
  ['广西壮族自治区', 2, [['南宁市', ['青秀区', '西乡塘区']]]],
  ['云南省', 2, [['昆明市', ['五华区', '盘龙区']]]],
  ['山西省', 2, [['太原市', ['小店区', '迎泽区']]]],
  ['黑龙江省', 2, [['哈尔滨市', ['南岗区', '道里区']]]],
  ['吉林省', 1, [['长春市', ['朝阳区', '南关区']]]],
  ['贵州省', 1, [['贵阳市', ['观山湖区', '云岩区']]]],
  ['新疆维吾尔自治区', 1, [['乌鲁木齐市', ['天山区', '沙依巴克区']]]],
  ['甘肃省', 1, [['兰州市', ['城关区', '七里河区']]]],
];
const PROVINCES = normalize(GEOGRAPHY.map(([p, w]) => [p, w] as const));

// GB/T 4754 sections, weighted roughly like China's enterprise register.
const INDUSTRIES = normalize([
  ['制造业', 22],
  ['批发和零售业', 20],
  ['信息传输、软件和信息技术服务业', 9],
  ['建筑业', 8],
  ['租赁和商务服务业', 9],
  ['科学研究和技术服务业', 7],
  ['交通运输、仓储和邮政业', 4],
  ['住宿和餐饮业', 3],
  ['房地产业', 3],
  ['金融业', 2],
  ['农、林、牧、渔业', 3],
  ['电力、热力、燃气及水生产和供应业', 1],
  ['卫生和社会工作', 2],
  ['教育', 2],
  ['文化、体育和娱乐业', 2],
  ['居民服务、修理和其他服务业', 3],
] as const);

// Employee bands as registers report them; null = unknown.
const EMPLOYEE_BANDS = normalize<readonly [number | null, number | null]>([
  [[1, 9], 25],
  [[10, 49], 30],
  [[50, 99], 15],
  [[100, 499], 17],
  [[500, 999], 6],
  [[1000, null], 4],
  [[null, null], 3],
]);

/**
 * The bench market: every province but the ten smallest, 10+ employees. With the distributions above about 61%
 * of the accounts match.
 */
export const BENCH_MARKET: TMarketCriteria = {
  provinces: GEOGRAPHY.slice(0, GEOGRAPHY.length - 10).map(([p]) => p),
  minEmployees: 10,
};

/** Box–Muller standard normal. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface Workspace {
  reps: string[];
  adminId: string;
  /** Accounts per owner (rep id → count); useful to report the spread. */
  accounts: number;
}

export const BENCH_AT = '2026-11-27T02:00:00.000Z';
const BASE_MS = Date.parse('2025-01-01T00:00:00.000Z');

/** 400 reps in 40 teams (with their managers) and one admin. Reps' owned provinces follow the account spread. */
function makePeople(repCount: number, random: () => number, visitsPerDay: number | null) {
  const at = BENCH_AT;
  const teams: unknown[][] = [];
  const users: unknown[][] = [];
  const adminId = benchId(BASE_MS, random);
  users.push([adminId, 'admin@bench.local', '管理员', 'admin', null, null, null, at, at]);
  const reps: string[] = [];
  const teamCount = Math.max(1, Math.ceil(repCount / 10));
  for (let t = 0; t < teamCount; t++) {
    const teamId = benchId(BASE_MS + 1 + t, random);
    const managerId = benchId(BASE_MS + 1000 + t, random);
    teams.push([teamId, `销售${t + 1}组`, managerId, at, at]);
    users.push([
      managerId,
      `manager${t + 1}@bench.local`,
      `经理${t + 1}`,
      'manager',
      teamId,
      null,
      null,
      at,
      at,
    ]);
  }
  for (let r = 0; r < repCount; r++) {
    const id = benchId(BASE_MS + 2000 + r, random);
    reps.push(id);
    const teamId = teams[Math.floor(r / 10)]?.[0] ?? null;
    users.push([
      id,
      `rep${r + 1}@bench.local`,
      `销售代表${r + 1}`,
      'rep',
      teamId,
      null,
      visitsPerDay,
      at,
      at,
    ]);
  }
  return { adminId, reps, teams, users };
}

/**
 * Reps per target-market province in proportion to its accounts (at least one each), as contiguous slices of
 * `reps`: every rep works market accounts. Accounts elsewhere (out of market) get an owner at random.
 */
function repSlices(reps: readonly string[]): Map<string, { start: number; count: number }> {
  const slices = new Map<string, { start: number; count: number }>();
  const market = normalize(PROVINCES.filter(([p]) => BENCH_MARKET.provinces?.includes(p)));
  const counts = market.map(([, w]) => Math.max(1, Math.floor(w * reps.length)));
  // Hand out what rounding left over to the largest provinces.
  let left = reps.length - counts.reduce((n, c) => n + c, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i] = (counts[i] as number) + 1;
  let start = 0;
  market.forEach(([p], i) => {
    slices.set(p, { start, count: counts[i] as number });
    start += counts[i] as number;
  });
  return slices;
}

const ACCOUNT_COLUMNS = [
  'in_market',
  'market_version',
  'tier',
  'id',
  'name',
  'normalized_name',
  'province',
  'city',
  'district',
  'industry',
  'annual_sales',
  'employees_min',
  'employees_max',
  'net_assets',
  'phone',
  'owner_id',
  'created_at',
  'updated_at',
] as const;

/**
 * Yields account rows (values in ACCOUNT_COLUMNS order), ids increasing. `tiered`: every account in market
 * version 1 with tiers 20/30/50 at random (the agenda bench skips tiering); otherwise none is in market yet.
 */
function* accountRows(
  count: number,
  reps: readonly string[],
  random: () => number,
  tiered: boolean,
): Generator<unknown[]> {
  const slices = repSlices(reps);
  const at = BENCH_AT;
  for (let i = 0; i < count; i++) {
    const province = pick(PROVINCES, random());
    const geo = GEOGRAPHY.find(([p]) => p === province) as (typeof GEOGRAPHY)[number];
    const [city, districts] = geo[2][Math.floor(random() * geo[2].length)] as readonly [
      string,
      readonly string[],
    ];
    const district = districts[Math.floor(random() * districts.length)] as string;
    const industry = pick(INDUSTRIES, random());
    const [min, max] = pick(EMPLOYEE_BANDS, random());
    const middle = min === null ? 30 : max === null ? 2000 : (min + max) / 2;
    // Sales: about 400k yuan per employee, log-normally spread; 8% unknown. Net assets: 25% unknown.
    const sales = random() < 0.08 ? null : Math.round(middle * 400_000 * Math.exp(0.9 * gaussian(random)));
    const netAssets =
      random() < 0.25 ? null : Math.round((sales ?? middle * 400_000) * (0.2 + random() * 1.3));
    const slice = slices.get(province) ?? { start: 0, count: reps.length };
    const owner = reps[slice.start + Math.floor(random() * slice.count)] as string;
    const short = city.replace(/市$/, '');
    const name = `${short}${INDUSTRY_WORD[i % INDUSTRY_WORD.length]}${i}号有限公司`;
    const u = random();
    yield [
      tiered ? 1 : 0,
      tiered ? 1 : null,
      tiered ? (u < 0.2 ? 'A' : u < 0.5 ? 'B' : 'C') : null,
      benchId(BASE_MS + 100_000 + i, random),
      name,
      name,
      province,
      city,
      district,
      industry,
      sales,
      min,
      max,
      netAssets,
      `0${Math.floor(10 + random() * 89)}-${Math.floor(10_000_000 + random() * 89_999_999)}`,
      owner,
      at,
      at,
    ];
  }
}
const INDUSTRY_WORD = ['精密', '电子', '贸易', '科技', '建设', '物流', '食品', '机械', '信息', '化工'];

export interface BenchDb {
  db: Db;
  /** Closes the connection (idempotent); for handing the file to other processes. */
  close(): Promise<void>;
  /** Closes the connection and removes the database (the folder, or the PostgreSQL schema). */
  cleanup(): Promise<void>;
  /** Where it is: the SQLite file, or the PostgreSQL URL (the bench's schema is not part of it). */
  url: string;
}

/** A migrated empty database: SQLite in a temporary folder, or a fresh PostgreSQL schema (dropped by cleanup). */
export async function openBenchDb(kind: 'sqlite' | { postgres: string; schema: string }): Promise<BenchDb> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-bench-'));
    let db: Db | undefined;
    try {
      db = await createDb(join(dir, 'bench.db'));
      await migrateToLatest(db);
    } catch (error) {
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const opened = db;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await opened.close();
    };
    return {
      db: opened,
      close,
      async cleanup() {
        await close();
        rmSync(dir, { recursive: true, force: true });
      },
      url: join(dir, 'bench.db'),
    };
  }
  const { postgres, schema } = kind;
  const admin = await createDb(postgres);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.kysely);
  await admin.close();
  const db = await createDb(postgres, { schema, poolSize: 4 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.close();
  };
  const drop = async () => {
    if (!closed) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
    await close();
  };
  try {
    await migrateToLatest(db);
  } catch (error) {
    await drop();
    throw error;
  }
  return { db, close, cleanup: drop, url: postgres };
}

/**
 * Inserts rows with one prepared statement (SQLite) or multi-row inserts of ~30k parameters (PostgreSQL).
 * SQLite: the table's secondary indexes are dropped for the load and rebuilt from their stored definitions
 * after it, and foreign keys are not checked (the generated rows are consistent by construction); this is
 * setup, not a measured path, and it keeps the benchmarks' seeding within minutes.
 */
export async function bulkInsert(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: Iterable<unknown[]>,
): Promise<number> {
  let n = 0;
  if (db.sqlite) {
    const sqlite = db.sqlite;
    const indexes = sqlite
      .prepare(
        "select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null",
      )
      .all(table) as { name: string; sql: string }[];
    const insert = sqlite.prepare(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    sqlite.pragma('foreign_keys = OFF');
    try {
      sqlite.transaction(() => {
        for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
        for (const row of rows) {
          insert.run(row);
          n++;
        }
        for (const index of indexes) sqlite.exec(index.sql);
      })();
    } finally {
      sqlite.pragma('foreign_keys = ON');
    }
    return n;
  }
  const pool = db.pool;
  if (!pool) throw new Error('expected a SQLite or PostgreSQL database');
  const perBatch = Math.floor(30_000 / columns.length);
  const client = await pool.connect();
  try {
    await client.query('begin');
    // As on SQLite, foreign keys are not checked while loading rows consistent by construction (touches and
    // their activities point at each other). Needs a superuser, as the local test database's postgres is.
    await client.query('set local session_replication_role = replica');
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const params: unknown[] = [];
      const tuples = batch.map((row) => {
        const start = params.length;
        params.push(...row);
        return `(${row.map((_, k) => `$${start + k + 1}`).join(', ')})`;
      });
      await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
      n += batch.length;
      batch = [];
    };
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= perBatch) await flush();
    }
    await flush();
    await client.query('commit');
    // Statistics as autovacuum would have them on a live database, so the planner sees the data it will serve.
    await client.query(`analyze ${table}`);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return n;
}

/**
 * Loads `accountCount` accounts owned by `repCount` reps (plus managers, teams and an admin). Reps get
 * `visitsPerDay` as their own visit capacity (null: the workspace default).
 */
export async function seedWorkspace(
  db: Db,
  options: { accounts: number; reps: number; seed: number; visitsPerDay: number | null; tiered?: boolean },
): Promise<Workspace> {
  const random = prng(options.seed);
  const people = makePeople(options.reps, random, options.visitsPerDay);
  await bulkInsert(db, 'teams', ['id', 'name', 'manager_id', 'created_at', 'updated_at'], people.teams);
  await bulkInsert(
    db,
    'users',
    ['id', 'email', 'name', 'role', 'team_id', 'calls_per_day', 'visits_per_day', 'created_at', 'updated_at'],
    people.users,
  );
  const accounts = await bulkInsert(
    db,
    'accounts',
    ACCOUNT_COLUMNS,
    accountRows(options.accounts, people.reps, random, options.tiered ?? false),
  );
  return { reps: people.reps, adminId: people.adminId, accounts };
}

/** Cadence of the method's defaults (months between touches), as the generated touch history follows it. */
const CADENCE: Record<'A' | 'B' | 'C', { call: number; visit: number }> = {
  A: { call: 1, visit: 3 },
  B: { call: 3, visit: 6 },
  C: { call: 6, visit: 12 },
};
const OUTCOMES = ['reached', 'reached', 'no_answer', 'meeting_booked', 'refused', 'other'] as const;
const NOTES = [
  '客户在考察供应商，下月再联系',
  '负责人出差，已留言',
  '约了下周三上门拜访',
  '对价格有顾虑，发了报价单',
  '暂无需求',
];

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * A year of planned touches for every in-market account (tier cadence, random phase, weekdays only), half a
 * year before `today` and half after: before it 99% are done (the rest are overdue), after it all are planned.
 * Each account's latest done touch has its logged activity (the agenda shows it as the last touch).
 * Written directly, not by the planner. Returns the number of touches.
 */
export async function seedTouchHistory(
  db: Db,
  options: { today: string; seed: number },
): Promise<{ touches: number; activities: number }> {
  const random = prng(options.seed);
  const today = dayNumber(options.today);
  const first = today - 182;
  const accounts = await db.kysely
    .selectFrom('accounts')
    .select(['id', 'owner_id', 'tier'])
    .where('in_market', '=', 1)
    .orderBy('id')
    .execute();
  const activities: unknown[][] = [];
  let sequence = 0;
  const at = BENCH_AT;
  function* touches(): Generator<unknown[]> {
    for (const account of accounts) {
      if (!account.tier) continue;
      const rows: unknown[][] = [];
      for (const channel of ['call', 'visit'] as const) {
        const interval = (CADENCE[account.tier][channel] * 365) / 12;
        for (let target = first + random() * interval; target < first + 365; target += interval) {
          let day = Math.floor(target);
          const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
          if (weekday === 6) day -= 1;
          else if (weekday === 0) day += 1;
          const status = day < today && random() < 0.99 ? 'done' : 'planned';
          rows.push([
            benchId(BASE_MS + 5_000_000 + sequence++, random),
            account.id,
            account.owner_id,
            null,
            channel,
            dateOf(day),
            status,
            null,
            at,
            at,
          ]);
        }
      }
      let last: unknown[] | undefined;
      for (const row of rows)
        if (row[6] === 'done' && (!last || (row[5] as string) > (last[5] as string))) last = row;
      if (last) {
        const activityId = benchId(BASE_MS + 20_000_000 + activities.length, random);
        last[7] = activityId;
        activities.push([
          activityId,
          account.id,
          account.owner_id,
          last[4],
          `${last[5]}T03:30:00.000Z`,
          OUTCOMES[Math.floor(random() * OUTCOMES.length)],
          NOTES[Math.floor(random() * NOTES.length)],
          last[0],
          at,
        ]);
      }
      yield* rows;
    }
  }
  const count = await bulkInsert(
    db,
    'planned_touches',
    [
      'id',
      'account_id',
      'rep_id',
      'plan_id',
      'channel',
      'due_on',
      'status',
      'activity_id',
      'created_at',
      'updated_at',
    ],
    touches(),
  );
  await bulkInsert(
    db,
    'activities',
    [
      'id',
      'account_id',
      'user_id',
      'channel',
      'occurred_at',
      'outcome',
      'note',
      'planned_touch_id',
      'created_at',
    ],
    activities,
  );
  return { touches: count, activities: activities.length };
}

/** mulberry32 (src/domain/random.ts): the same seed gives the same workspace on every machine. */
export const prng = mulberry32;
