import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeContext } from '../../src/services/context.ts';
import { DEMO_PASSWORD, loadDemoWorkspace } from '../../src/services/demo.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { signIn } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`demo workspace sign-in on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;

    beforeAll(async () => {
      tdb = await dialect.open();
      await loadDemoWorkspace(makeContext(tdb.db, undefined, fixedClock));
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('tells the sign-in page that the demo is loaded, with who can sign in', async () => {
      const status = (await app.inject({ method: 'GET', url: '/api/auth/status' })).json();
      expect(status.setupNeeded).toBe(false);
      expect(status.demo.password).toBe('tierline-demo');
      expect(status.demo.users.map((u: { email: string }) => u.email)).toEqual([
        'admin@demo.tierline.local',
        'manager@demo.tierline.local',
        'david.zhang@demo.tierline.local',
        'li.na@demo.tierline.local',
      ]);
    });

    it('lets the demo people sign in with the documented password and see their share', async () => {
      const count = async (email: string) => {
        const session = await signIn(app, email, DEMO_PASSWORD);
        return (
          await app.inject({ method: 'GET', url: '/api/accounts?pageSize=1', headers: session.headers })
        ).json().total as number;
      };
      expect(await count('admin@demo.tierline.local')).toBe(300);
      expect(await count('manager@demo.tierline.local')).toBe(300);
      const liNa = await count('li.na@demo.tierline.local');
      const david = await count('david.zhang@demo.tierline.local');
      expect(liNa).toBeGreaterThan(0);
      expect(liNa + david).toBe(300);
    });

    it('stops hinting at a demo user once they are disabled', async () => {
      const admin = await signIn(app, 'admin@demo.tierline.local', DEMO_PASSWORD);
      const users = (await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })).json()
        .items;
      const david = users.find((u: { email: string }) => u.email === 'david.zhang@demo.tierline.local');
      await app.inject({ method: 'POST', url: `/api/users/${david.id}/disable`, headers: admin.headers });
      const status = (await app.inject({ method: 'GET', url: '/api/auth/status' })).json();
      expect(status.demo.users).toHaveLength(3);
    });
  });
}
