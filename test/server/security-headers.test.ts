import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { fixedClock } from '../helpers/databases.ts';

// The headers of src/server/security-headers.ts on API answers, errors included; HSTS only over https. The
// browser side (no page of the app breaks under the policy) is e2e/security-headers.test.ts.
describe('security headers', () => {
  let db: Db;
  let plain: AppInstance;
  let proxied: AppInstance;

  beforeAll(async () => {
    db = await createDb(':memory:');
    await migrateToLatest(db);
    plain = await buildApp(db, { now: fixedClock, webRoot: '/nonexistent' });
    proxied = await buildApp(db, { now: fixedClock, webRoot: '/nonexistent', trustProxy: true });
  });
  afterAll(async () => {
    await plain.close();
    await proxied.close();
    await db.close();
  });

  it('are on answers and on errors, without HSTS over http', async () => {
    for (const url of ['/api/health', '/api/accounts', '/api/no-such-route']) {
      const res = await plain.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('add HSTS when the request came over https through a trusted proxy, not when a client merely says so', async () => {
    const viaProxy = await proxied.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const spoofed = await plain.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });
});
