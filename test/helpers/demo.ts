import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import type { TestDatabase, TestDialect } from './databases.ts';

/** A fresh database of `dialect` with the demo workspace loaded, and the system's context on the clock `now`. */
export async function openDemoWorkspace(
  dialect: TestDialect,
  now: Date,
): Promise<{ tdb: TestDatabase; ctx: ServiceContext }> {
  const tdb = await dialect.open();
  const ctx = makeContext(tdb.db, { userId: null, role: 'system' }, () => now);
  await loadDemoWorkspace(ctx);
  return { tdb, ctx };
}

/** The id of a demo user by e-mail; by default the rep 李娜. */
export async function demoUserId(tdb: TestDatabase, email = 'li.na@demo.tierline.local'): Promise<string> {
  const user = await tdb.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return user.id;
}
