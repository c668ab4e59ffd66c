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
        'first page, sorted by name': '/api/accounts?page=1&pageSize=50',
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
      await app.close();
      return measurements;
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
