import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/storage/database.ts';
import { migrateToLatest, pendingMigrations } from '../../src/storage/migrate.ts';

const baseUrl = process.env.TEST_DATABASE_URL;

// Kysely's own introspector read every schema's tables while migrating; a schema dropped by another process at
// that moment failed our migration with 'relation "<their schema>.<table>" does not exist' (seen in CI, where test
// files create and drop schemas in parallel). Here another connection creates and drops schemas full of tables
// the whole time several fresh schemas are migrated.
describe.skipIf(!baseUrl)('migrations on postgres', () => {
  const schemas: string[] = [];
  const admin = new pg.Client({ connectionString: baseUrl });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  });

  it('migrate each fresh schema while other schemas are created and dropped', async () => {
    await admin.connect();
    const churner = new pg.Client({ connectionString: baseUrl });
    await churner.connect();
    let churning = true;
    const churn = (async () => {
      for (let round = 0; churning; round += 1) {
        const schema = `churn_${process.pid}_${round}`;
        const tables = Array.from(
          { length: 30 },
          (_, i) => `create table "${schema}".t${i} (id serial primary key, a text, b int);`,
        );
        await churner.query(`create schema "${schema}"; ${tables.join(' ')}`);
        await churner.query(`drop schema "${schema}" cascade`);
      }
    })();
    try {
      for (let round = 0; round < 8; round += 1) {
        const schema = `mig_${process.pid}_${Date.now().toString(36)}_${round}`;
        schemas.push(schema);
        const db = await createDb(baseUrl as string, { schema, poolSize: 2 });
        try {
          const result = await migrateToLatest(db);
          expect(result.applied.length).toBeGreaterThan(0);
          expect(await pendingMigrations(db)).toEqual([]);
          // Run again: nothing left to apply, no error.
          expect((await migrateToLatest(db)).applied).toEqual([]);
        } finally {
          await db.close();
        }
      }
    } finally {
      churning = false;
      await churn;
      await churner.end();
    }
  }, 120_000);

  // docs/deploy.md: a schema other than public through the URL's search_path, which must exist.
  it('says so when no schema of the search_path exists', async () => {
    const url = new URL(baseUrl as string);
    url.searchParams.set('options', `-c search_path=missing_${process.pid}`);
    const db = await createDb(url.toString(), { poolSize: 1 });
    try {
      await expect(migrateToLatest(db)).rejects.toThrow(
        `no schema of the search_path (missing_${process.pid}) exists`,
      );
    } finally {
      await db.close();
    }
  });
});
