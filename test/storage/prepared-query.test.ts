import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedByLength, prepareQuery } from '../../src/storage/prepared-query.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const AT = '2026-11-27T02:00:00.000Z';
const setting = prepareQuery(1, (db, [key]: [string]) =>
  db.selectFrom('settings').select(['key', 'value']).where('key', '=', key),
);
// A constant between the arguments, and an argument used twice: each parameter must get its own value.
const between = prepareQuery(2, (db, [low, high]: [string, string]) =>
  db
    .selectFrom('settings')
    .select('key')
    .where('key', '>=', low)
    .where('key', '<=', high)
    .where('updated_at', '=', AT)
    .where((eb) => eb.or([eb('key', '=', low), eb('key', '!=', 'never')]))
    .orderBy('key'),
);
const byKeys = preparedByLength((db, keys) =>
  db.selectFrom('settings').select('key').where('key', 'in', keys).orderBy('key'),
);

for (const dialect of DIALECTS) {
  describe(`prepared queries on ${dialect.name}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await dialect.open();
      await t.db.kysely
        .insertInto('settings')
        .values(['k1', 'k2', 'k3', 'k4'].map((key) => ({ key, value: `v-${key}`, updated_at: AT })))
        .execute();
    });
    afterAll(async () => t.cleanup());

    it('run with each call’s arguments, in place and in a transaction', async () => {
      const db = t.db.kysely;
      expect(await setting.executeTakeFirst(db, ['k2'])).toEqual({ key: 'k2', value: 'v-k2' });
      expect(await setting.executeTakeFirst(db, ['k3'])).toEqual({ key: 'k3', value: 'v-k3' });
      expect(await setting.executeTakeFirst(db, ['nope'])).toBeUndefined();
      expect((await between.execute(db, ['k2', 'k3'])).map((r) => r.key)).toEqual(['k2', 'k3']);
      expect((await between.execute(db, ['k1', 'k4'])).map((r) => r.key)).toEqual(['k1', 'k2', 'k3', 'k4']);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('settings').set({ value: 'changed' }).where('key', '=', 'k1').execute();
        expect(await setting.executeTakeFirst(trx, ['k1'])).toEqual({ key: 'k1', value: 'changed' });
      });
    });

    it('make one statement per in-list length', async () => {
      const db = t.db.kysely;
      expect((await byKeys(db, ['k3'])).map((r) => r.key)).toEqual(['k3']);
      expect((await byKeys(db, ['k4', 'k1'])).map((r) => r.key)).toEqual(['k1', 'k4']);
      expect((await byKeys(db, ['k2', 'k3'])).map((r) => r.key)).toEqual(['k2', 'k3']);
      expect((await byKeys(db, ['k1', 'k2', 'nope'])).map((r) => r.key)).toEqual(['k1', 'k2']);
    });

    it('refuse a wrong number of arguments and a query that leaves an argument out', async () => {
      const db = t.db.kysely;
      await expect(setting.execute(db, [] as unknown as [string])).rejects.toThrow(/arguments/);
      const unused = prepareQuery(2, (q, [key]: [string, string]) =>
        q.selectFrom('settings').select('key').where('key', '=', key),
      );
      await expect(unused.execute(db, ['k1', 'k2'])).rejects.toThrow(/argument 1 is not used/);
    });
  });
}
