import { type Kysely, sql } from 'kysely';

// Portable to SQLite and PostgreSQL: text ids made by the app, ISO-8601 text timestamps, 'YYYY-MM-DD' text dates,
// integer 0/1 booleans, JSON as text, money in whole yuan as bigint. No database-specific functions.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['admin', 'manager', 'rep'])))
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('password_hash', 'text')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('calls_per_day', 'integer')
    .addColumn('visits_per_day', 'integer')
    .addColumn('days_off', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('territories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rep_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('provinces', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('districts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('territories_rep_idx').on('territories').column('rep_id').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('normalized_name', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text')
    .addColumn('registration_id', 'text')
    .addColumn('website_domain', 'text')
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('district', 'text')
    .addColumn('address', 'text')
    .addColumn('industry', 'text')
    .addColumn('annual_sales', 'bigint')
    .addColumn('employees_min', 'integer')
    .addColumn('employees_max', 'integer')
    .addColumn('net_assets', 'bigint')
    .addColumn('registered_capital', 'bigint')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('potential_score', 'double precision')
    .addColumn('in_market', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('market_version', 'integer')
    .addColumn('tier', 'text', (c) => c.check(sqlIn('tier', ['A', 'B', 'C'])))
    .addColumn('tier_override', 'text', (c) => c.check(sqlIn('tier_override', ['A', 'B', 'C'])))
    .addColumn('tier_override_reason', 'text')
    .addColumn('tier_override_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('tier_override_at', 'text')
    .addColumn('stage', 'text', (c) =>
      c
        .notNull()
        .defaultTo('prospect')
        .check(sqlIn('stage', ['prospect', 'contacted', 'meeting', 'proposal', 'won', 'lost', 'dormant'])),
    )
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('territory_id', 'text', (c) => c.references('territories.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  for (const [name, columns] of [
    ['accounts_uscc_idx', ['uscc']],
    ['accounts_domain_idx', ['website_domain']],
    ['accounts_name_city_idx', ['normalized_name', 'city']],
    ['accounts_owner_idx', ['owner_id']],
    ['accounts_territory_idx', ['territory_id']],
    ['accounts_market_tier_idx', ['in_market', 'tier']],
    ['accounts_place_idx', ['province', 'city', 'district']],
    ['accounts_industry_idx', ['industry']],
    ['accounts_stage_idx', ['stage']],
    ['accounts_name_idx', ['name']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('accounts')
      .columns([...columns])
      .execute();
  }

  await db.schema
    .createTable('territory_accounts')
    .addColumn('territory_id', 'text', (c) => c.notNull().references('territories.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('territory_accounts_pk', ['territory_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_account_idx').on('contacts').column('account_id').execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['purchased', 'free'])))
    .addColumn('cost', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('acquired_on', 'text')
    .addColumn('cleaning_hours', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('mapping', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_sources')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('import_job_id', 'text')
    .addColumn('line', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_sources_pk', ['account_id', 'source_id'])
    .execute();
  await db.schema
    .createIndex('account_sources_source_idx')
    .on('account_sources')
    .column('source_id')
    .execute();

  await db.schema
    .createTable('market_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().unique())
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('territory_id', 'text', (c) => c.references('territories.id').onDelete('set null'))
    .addColumn('is_widening', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    .addColumn('matching', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cadence_rules')
    .addColumn('tier', 'text', (c) => c.notNull().check(sqlIn('tier', ['A', 'B', 'C'])))
    .addColumn('channel', 'text', (c) => c.notNull().check(sqlIn('channel', ['call', 'visit'])))
    .addColumn('interval_months', 'double precision')
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cadence_rules_pk', ['tier', 'channel'])
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rep_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('accepted_overload', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sqlIn('channel', ['call', 'visit'])))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sqlIn('outcome', ['reached', 'no_answer', 'meeting_booked', 'refused', 'other'])),
    )
    .addColumn('objection_id', 'text')
    .addColumn('response_id', 'text')
    .addColumn('note', 'text')
    .addColumn('next_step', 'text')
    .addColumn('planned_touch_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('activities_account_idx')
    .on('activities')
    .columns(['account_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('activities_user_idx')
    .on('activities')
    .columns(['user_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('planned_touches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('rep_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('plan_id', 'text', (c) => c.references('plans.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sqlIn('channel', ['call', 'visit'])))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('due_time', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('planned')
        .check(sqlIn('status', ['planned', 'done', 'skipped', 'cancelled'])),
    )
    .addColumn('activity_id', 'text', (c) => c.references('activities.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('planned_touches_rep_due_idx')
    .on('planned_touches')
    .columns(['rep_id', 'status', 'due_on'])
    .execute();
  await db.schema
    .createIndex('planned_touches_account_idx')
    .on('planned_touches')
    .columns(['account_id', 'channel', 'status'])
    .execute();

  await db.schema
    .createTable('objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('zh', 'text', (c) => c.notNull())
    .addColumn('en', 'text', (c) => c.notNull())
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('objection_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objections.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('zh', 'text', (c) => c.notNull())
    .addColumn('en', 'text', (c) => c.notNull())
    .addColumn('is_preferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('objection_responses_code_idx')
    .on('objection_responses')
    .columns(['objection_id', 'code'])
    .unique()
    .execute();

  await db.schema
    .createTable('skills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('objection_id', 'text', (c) => c.references('objections.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('skill_stages')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('skill_id', 'text', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('stage', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sqlBetween('stage', 1, 4)),
    )
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('skill_stages_pk', ['user_id', 'skill_id'])
    .execute();

  await db.schema
    .createTable('skill_stage_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('skill_id', 'text', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('from_stage', 'integer', (c) => c.notNull())
    .addColumn('to_stage', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('assessed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('skill_stage_history_user_idx')
    .on('skill_stage_history')
    .columns(['user_id', 'skill_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.references('sources.id').onDelete('set null'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sqlIn('status', ['queued', 'running', 'succeeded', 'failed', 'cancelled'])),
    )
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warning_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('import_errors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('import_jobs.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('column_name', 'text')
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sqlIn('severity', ['error', 'warning'])))
    .addColumn('raw', 'text')
    .execute();
  await db.schema
    .createIndex('import_errors_job_idx')
    .on('import_errors')
    .columns(['job_id', 'line'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity', 'entity_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'settings',
    'audit_log',
    'import_errors',
    'import_jobs',
    'skill_stage_history',
    'skill_stages',
    'skills',
    'objection_responses',
    'objections',
    'planned_touches',
    'activities',
    'plans',
    'cadence_rules',
    'market_definitions',
    'account_sources',
    'sources',
    'contacts',
    'territory_accounts',
    'accounts',
    'territories',
    'users',
    'teams',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

function sqlBetween(column: string, min: number, max: number) {
  return sql`${sql.ref(column)} between ${sql.lit(min)} and ${sql.lit(max)}`;
}
