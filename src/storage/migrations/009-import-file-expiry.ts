import type { Kysely } from 'kysely';

// A failed import keeps its uploaded file for TIERLINE_FAILED_IMPORT_TTL_DAYS, so that it can be run again; then
// the file is removed and `import_jobs.file_expired_at` records when. The job itself, its counts and its reason
// stay (the audit trail); a job whose file expired can no longer be run again (services/import-prospects.ts,
// expireFailedImportFiles). Null: the file is kept (or the job is a CLI job, whose file is the user's own).
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').addColumn('file_expired_at', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').dropColumn('file_expired_at').execute();
}
