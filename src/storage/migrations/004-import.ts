import type { Kysely } from 'kysely';

// Prospect-list imports (issue 3). import_jobs (from 001) gains what a job needs to be run by any process and
// shown in the web wizard:
// - phase: uploaded (waiting for the mapping to be confirmed) → ready (queued) → reading → merging → done;
// - origin: cli or api (an uploaded file is kept under the imports folder, so another process can rerun it);
// - heartbeat_at: written with the progress; a job whose process died is taken over or failed (see
//   services/import-runner.ts);
// - detected (encoding, delimiter, sheet, header), mapping (the one used) and result (the report) as JSON.
// Rows are staged in TEMP tables of the importing connection, so no staging table is created here.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  const columns: [string, 'text' | 'integer', boolean][] = [
    ['phase', 'text', false],
    ['origin', 'text', false],
    ['file_path', 'text', false],
    ['file_size', 'integer', false],
    ['dry_run', 'integer', true],
    ['heartbeat_at', 'text', false],
    ['detected', 'text', false],
    ['mapping', 'text', false],
    ['result', 'text', false],
  ];
  for (const [name, type, zeroDefault] of columns) {
    await db.schema
      .alterTable('import_jobs')
      .addColumn(name, type, (c) => (zeroDefault ? c.notNull().defaultTo(0) : c))
      .execute();
  }
  await db.schema
    .createIndex('import_jobs_queue_idx')
    .on('import_jobs')
    .columns(['status', 'phase'])
    .execute();
  await db.schema
    .createIndex('import_jobs_creator_idx')
    .on('import_jobs')
    .columns(['created_by', 'created_at'])
    .execute();
  await db.schema.createIndex('import_jobs_sha_idx').on('import_jobs').column('file_sha256').execute();
  await db.schema.createIndex('import_jobs_created_idx').on('import_jobs').column('created_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'import_jobs_created_idx',
    'import_jobs_sha_idx',
    'import_jobs_creator_idx',
    'import_jobs_queue_idx',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const column of [
    'result',
    'mapping',
    'detected',
    'heartbeat_at',
    'dry_run',
    'file_size',
    'file_path',
    'origin',
    'phase',
  ]) {
    await db.schema.alterTable('import_jobs').dropColumn(column).execute();
  }
}
