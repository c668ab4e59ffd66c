import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type Session, seedPeople, signIn } from '../helpers/session.ts';

// An account made or changed by hand (API, CLI) has its e-mail, phone and website read as the import reads them
// (import/value-parsers.ts): stored normalised, and a value the import would refuse answers 400 naming the field;
// so does a unified social credit code that fails its check.
for (const dialect of DIALECTS) {
  describe(`account contact fields on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let session: Session;
    const api = (options: InjectOptions) =>
      app.inject({ ...options, headers: { ...session.headers, ...(options.headers ?? {}) } });

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      const people = await seedPeople(tdb.db);
      session = await signIn(app, people.admin);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('stores the e-mail, phone and website of a new account as the import does', async () => {
      const res = await api({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({
          email: ' Sales@Example.COM.cn ',
          phone: '+86 138-0013-8000',
          website: 'https://www.Example.com.cn/about',
        }),
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        email: 'sales@example.com.cn',
        phone: '13800138000',
        website: 'example.com.cn',
      });
    });

    it('refuses a bad e-mail, phone, website or credit code on create with 400 naming the field, and adds nothing', async () => {
      const count = async () =>
        Number(
          (
            await tdb.db.kysely
              .selectFrom('accounts')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const cases = [
        { email: 'sales.example.com', field: 'email', message: /^email: .*not a valid e-mail address/ },
        { email: 'sales@', field: 'email', message: /^email: / },
        { phone: '12', field: 'phone', message: /^phone: "12" has 2 digits; a phone number has 5 to 15$/ },
        {
          phone: 'call the front desk',
          field: 'phone',
          message: /^phone: .*does not look like a phone number/,
        },
        {
          website: 'info@example.com',
          field: 'website',
          message: /^website: .*is an e-mail address, not a website/,
        },
        {
          uscc: '91350100M000100Y4A',
          field: 'uscc',
          message: /^uscc: check character does not match: expected .+, got A$/,
        },
        { uscc: '123', field: 'uscc', message: /^uscc: must be 18 characters, got 3/ },
      ] as const;
      for (const { field, message, ...value } of cases) {
        const res = await api({ method: 'POST', url: '/api/accounts', payload: makeAccountInput(value) });
        expect(res.statusCode, JSON.stringify(value)).toBe(400);
        expect(res.json().error).toMatchObject({
          code: 'bad_request',
          details: { field, value: Object.values(value)[0] },
        });
        expect(res.json().error.message).toMatch(message);
      }
      const zh = await api({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({ email: 'sales.example.com' }),
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(zh.json().error.message).toMatch(/^email: 电子邮箱无效（/);
      expect(await count()).toBe(before);
    });

    it('checks and normalises them on an edit too, and keeps the account as it was when refused', async () => {
      const created = (
        await api({
          method: 'POST',
          url: '/api/accounts',
          payload: makeAccountInput({ email: 'a@example.com' }),
        })
      ).json();
      const url = `/api/accounts/${created.id}`;
      const refused = await api({
        method: 'PATCH',
        url,
        payload: { version: created.version, email: 'not an address', phone: '(0512) 6688-1234' },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'bad_request',
        details: { field: 'email', value: 'not an address' },
      });
      expect((await api({ method: 'GET', url })).json()).toEqual(created);
      const badCode = await api({
        method: 'PATCH',
        url,
        payload: { version: created.version, uscc: '91350100M000100Y4A' },
      });
      expect(badCode.statusCode).toBe(400);
      expect(badCode.json().error).toMatchObject({
        code: 'bad_request',
        details: { field: 'uscc', value: '91350100M000100Y4A' },
      });
      expect(badCode.json().error.message).toMatch(/^uscc: check character does not match/);
      expect((await api({ method: 'GET', url })).json()).toEqual(created);

      const saved = await api({
        method: 'PATCH',
        url,
        payload: { version: created.version, email: 'MAILTO:Buyer@Example.com', phone: '(0512) 6688-1234' },
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ email: 'buyer@example.com', phone: '0512-66881234' });
      // Emptied, as before.
      const cleared = await api({
        method: 'PATCH',
        url,
        payload: { version: saved.json().version, email: '' },
      });
      expect(cleared.json()).toMatchObject({ email: null, phone: '0512-66881234' });
    });

    it('tierline accounts add --email refuses a bad address as a usage error naming the field', async () => {
      const bad = await runTierlineInProcess([
        '--db',
        tdb.url,
        'accounts',
        'add',
        '--name',
        '苏州邮箱测试有限公司',
        '--email',
        'sales.example.com',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/email: .*not a valid e-mail address/);
      const good = await runTierlineInProcess([
        '--db',
        tdb.url,
        'accounts',
        'add',
        '--name',
        '苏州邮箱测试有限公司',
        '--email',
        'Sales@Example.com',
        '--json',
      ]);
      expect(good.code).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ email: 'sales@example.com' });
    });
  });
}
