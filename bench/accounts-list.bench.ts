import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { createApiToken } from '../src/services/auth.ts';
import { makeContext } from '../src/services/context.ts';
import { createDb } from '../src/storage/database.ts';
import { newId } from '../src/storage/ids.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { type Benchmark, type Measurement, percentile, time } from './harness.ts';

const ACCOUNTS = 100_000;
const PROVINCES = ['上海市', '江苏省', '浙江省', '广东省', '北京市', '四川省', '山东省', '湖北省'];
const CITIES: Record<string, string[]> = {
  上海市: ['上海市'],
  江苏省: ['苏州市', '南京市', '无锡市'],
  浙江省: ['杭州市', '宁波市'],
  广东省: ['深圳市', '广州市', '东莞市'],
  北京市: ['北京市'],
  四川省: ['成都市'],
  山东省: ['济南市', '青岛市'],
  湖北省: ['武汉市'],
};

const bench: Benchmark = {
  name: 'accounts-list',
  description: `Accounts table API on ${ACCOUNTS.toLocaleString('en')} accounts (SQLite): filtered, sorted and searched pages`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-bench-'));
    const db = await createDb(join(dir, 'bench.db'));
    try {
      await migrateToLatest(db);
      const sqlite = db.sqlite;
      if (!sqlite) throw new Error('expected SQLite');
      const insert = sqlite.prepare(
        `insert into accounts (id, name, normalized_name, province, city, industry, annual_sales, employees_min, employees_max, in_market, tier, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const at = new Date().toISOString();
      const load = await time(() =>
        sqlite.transaction(() => {
          for (let i = 0; i < ACCOUNTS; i++) {
            const province = PROVINCES[i % PROVINCES.length] as string;
            const cities = CITIES[province] ?? [province];
            const city = cities[i % cities.length] as string;
            const name = `${city.replace(/市$/, '')}企业${i}号有限公司`;
            const tier = i % 10 < 2 ? 'A' : i % 10 < 5 ? 'B' : 'C';
            insert.run(
              newId(),
              name,
              name,
              province,
              city,
              `行业${i % 12}`,
              (i * 7919) % 500_000_000,
              100,
              499,
              i % 3 === 0 ? 0 : 1,
              tier,
              at,
              at,
            );
          }
        })(),
      );
      // Every tenth account has an open planned call; a third of those are due before today (overdue).
      const planned = sqlite.prepare(
        `insert into planned_touches (id, account_id, rep_id, channel, due_on, status, created_at, updated_at)
         select ?, id, null, 'call', ?, 'planned', ?, ? from accounts where rowid = ?`,
      );
      const past = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
      const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      sqlite.transaction(() => {
        for (let i = 1; i <= ACCOUNTS; i += 10) planned.run(newId(), i % 30 === 1 ? past : future, at, at, i);
      })();
      sqlite.exec('analyze');
      // The API needs a signed-in user: an admin (who sees every account) with a read-only API token.
      const adminId = newId();
      sqlite
        .prepare(
          `insert into users (id, email, name, role, created_at, updated_at) values (?, 'admin@bench.local', 'Admin', 'admin', ?, ?)`,
        )
        .run(adminId, at, at);
      const admin = makeContext(db, { userId: adminId, role: 'admin', teamId: null });
      const { token } = await createApiToken(admin, { name: 'bench', access: 'read' });
      const headers = { authorization: `Bearer ${token}` };
      const app = await buildApp(db, { webRoot: '/nonexistent' });
      const queries = {
        'first page, default order (annual sales, largest first)':
          '/api/accounts?page=1&pageSize=50&sort=annualSales&order=desc',
        'first page, sorted by name': '/api/accounts?page=1&pageSize=50',
        'overdue filter, default order': '/api/accounts?overdue=true&sort=annualSales&order=desc',
        'in market + stage filter, default order':
          '/api/accounts?inMarket=true&stage=prospect&sort=annualSales&order=desc',
        'province + tier filter, sorted by sales':
          '/api/accounts?province=广东省&tier=A,B&sort=annualSales&order=desc',
        'deep page (page 1000)': '/api/accounts?page=1000&pageSize=50',
        'search by name fragment': `/api/accounts?search=${encodeURIComponent('企业4242')}`,
      };
      const measurements: Measurement[] = [{ name: 'bulk load of accounts', value: load.ms, unit: 'ms' }];
      for (const [label, url] of Object.entries(queries)) {
        const samples: number[] = [];
        for (let i = 0; i < 60; i++) {
          const { ms, result } = await time(() => app.inject({ method: 'GET', url, headers }));
          if (result.statusCode !== 200)
            throw new Error(`${url} answered ${result.statusCode}: ${result.body}`);
          if (i >= 10) samples.push(ms);
        }
        samples.sort((a, b) => a - b);
        measurements.push({ name: `${label} p50`, value: percentile(samples, 50), unit: 'ms' });
        measurements.push({ name: `${label} p99`, value: percentile(samples, 99), unit: 'ms' });
      }
      // A bulk action over a filter: every tier-A account of two provinces (about 5,000) to another stage, one
      // transaction with an audit entry per account. Three runs, alternating the stage so each changes them all.
      const writeToken = (await createApiToken(admin, { name: 'bench-write', access: 'write' })).token;
      const bulk: number[] = [];
      for (const stage of ['contacted', 'meeting', 'contacted']) {
        const { ms, result } = await time(() =>
          app.inject({
            method: 'POST',
            url: '/api/accounts/bulk/stage',
            headers: { authorization: `Bearer ${writeToken}` },
            payload: { filter: { province: ['广东省', '浙江省'], tier: ['A'] }, stage },
          }),
        );
        if (result.statusCode !== 200)
          throw new Error(`bulk stage answered ${result.statusCode}: ${result.body}`);
        const body = result.json() as { changed: number };
        if (bulk.length === 0)
          measurements.push({
            name: 'bulk stage change: accounts changed',
            value: body.changed,
            unit: 'accounts',
          });
        bulk.push(ms);
      }
      bulk.sort((a, b) => a - b);
      measurements.push({
        name: 'bulk stage change by filter, median of 3',
        value: percentile(bulk, 50),
        unit: 'ms',
      });
      await app.close();
      return measurements;
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
