import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

// Row shapes as stored (snake_case). Repositories map them to domain types (camelCase) at the edge.
type Text = string;
type Json = string;
type Bool = number; // 0 or 1: portable across SQLite and PostgreSQL
type Yuan = number; // bigint column; pg parses int8 to number (see database.ts)

export interface TeamsTable {
  id: Text;
  name: Text;
  manager_id: Text | null;
  created_at: Text;
  updated_at: Text;
  /** Optimistic concurrency (010-record-versions): an edit names the version it read. */
  version: ColumnType<number, number | undefined, number>;
}

export interface UsersTable {
  id: Text;
  email: Text;
  name: Text;
  role: 'admin' | 'manager' | 'rep';
  team_id: Text | null;
  password_hash: Text | null;
  locale: ColumnType<Text, Text | undefined, Text>;
  /** When the user (or an admin) chose `locale`; null: never chosen, the browser's language applies. */
  locale_chosen_at: Text | null;
  calls_per_day: number | null;
  visits_per_day: number | null;
  days_off: ColumnType<Json, Json | undefined, Json>;
  /** The rep's own public-holiday schedule (a HOLIDAY_COUNTRIES code); null: the workspace's. */
  holiday_country: ColumnType<Text | null, Text | null | undefined, Text | null>;
  disabled_at: Text | null;
  created_at: Text;
  updated_at: Text;
  /** Optimistic concurrency (010-record-versions): an edit names the version it read. */
  version: ColumnType<number, number | undefined, number>;
}

export interface TerritoriesTable {
  id: Text;
  name: Text;
  rep_id: Text | null;
  provinces: ColumnType<Json, Json | undefined, Json>;
  cities: ColumnType<Json, Json | undefined, Json>;
  districts: ColumnType<Json, Json | undefined, Json>;
  created_at: Text;
  updated_at: Text;
  /** Optimistic concurrency (010-record-versions): an edit names the version it read. */
  version: ColumnType<number, number | undefined, number>;
}

export interface TerritoryAccountsTable {
  territory_id: Text;
  account_id: Text;
}

export type Tier = 'A' | 'B' | 'C';
export type PipelineStage = 'prospect' | 'contacted' | 'meeting' | 'proposal' | 'won' | 'lost' | 'dormant';
export type Channel = 'call' | 'visit';
export type Outcome = 'reached' | 'no_answer' | 'meeting_booked' | 'refused' | 'other';

export interface AccountsTable {
  id: Text;
  name: Text;
  normalized_name: Text;
  uscc: Text | null;
  registration_id: Text | null;
  website_domain: Text | null;
  province: Text | null;
  city: Text | null;
  district: Text | null;
  address: Text | null;
  industry: Text | null;
  annual_sales: Yuan | null;
  employees_min: number | null;
  employees_max: number | null;
  net_assets: Yuan | null;
  registered_capital: Yuan | null;
  phone: Text | null;
  email: Text | null;
  custom_fields: ColumnType<Json, Json | undefined, Json>;
  potential_score: number | null;
  in_market: ColumnType<Bool, Bool | undefined, Bool>;
  market_version: number | null;
  /** Effective tier (the override when set); null out of market. */
  tier: Tier | null;
  tier_override: Tier | null;
  tier_override_reason: Text | null;
  tier_override_by: Text | null;
  tier_override_at: Text | null;
  stage: ColumnType<PipelineStage, PipelineStage | undefined, PipelineStage>;
  owner_id: Text | null;
  territory_id: Text | null;
  created_at: Text;
  updated_at: Text;
  version: ColumnType<number, number | undefined, number>;
}

export interface ContactsTable {
  id: Text;
  account_id: Text;
  name: Text;
  title: Text | null;
  phone: Text | null;
  email: Text | null;
  note: Text | null;
  created_at: Text;
  updated_at: Text;
}

export interface SourcesTable {
  id: Text;
  name: Text;
  kind: 'purchased' | 'free';
  /** Yuan; null: not entered (011-source-unknown-costs; a free list's 0 is its cost). */
  cost: number | null;
  acquired_on: Text | null;
  /** Hours spent cleaning the list; null: not entered. */
  cleaning_hours: number | null;
  mapping: Json | null;
  created_at: Text;
  updated_at: Text;
}

export interface AccountSourcesTable {
  account_id: Text;
  source_id: Text;
  import_job_id: Text | null;
  line: number | null;
  created_at: Text;
}

export interface MarketDefinitionsTable {
  id: Text;
  version: number;
  criteria: Json;
  territory_id: Text | null;
  is_widening: ColumnType<Bool, Bool | undefined, Bool>;
  note: Text | null;
  matching: ColumnType<number, number | undefined, number>;
  created_by: Text | null;
  created_at: Text;
}

export interface CadenceRulesTable {
  tier: Tier;
  channel: Channel;
  interval_months: number | null;
  updated_by: Text | null;
  updated_at: Text;
  /** Optimistic concurrency (010-record-versions): an edit names the version it read. */
  version: ColumnType<number, number | undefined, number>;
}

export interface PlansTable {
  id: Text;
  rep_id: Text | null;
  starts_on: Text;
  months: number;
  settings: ColumnType<Json, Json | undefined, Json>;
  summary: ColumnType<Json, Json | undefined, Json>;
  accepted_overload: ColumnType<Bool, Bool | undefined, Bool>;
  created_by: Text | null;
  created_at: Text;
}

export interface PlannedTouchesTable {
  id: Text;
  account_id: Text;
  rep_id: Text | null;
  plan_id: Text | null;
  channel: Channel;
  due_on: Text;
  due_time: Text | null;
  status: ColumnType<
    'planned' | 'done' | 'skipped' | 'cancelled',
    'planned' | 'done' | 'skipped' | 'cancelled' | undefined
  >;
  activity_id: Text | null;
  created_at: Text;
  updated_at: Text;
}

export interface ActivitiesTable {
  id: Text;
  account_id: Text;
  user_id: Text | null;
  channel: Channel;
  occurred_at: Text;
  outcome: Outcome;
  objection_id: Text | null;
  response_id: Text | null;
  note: Text | null;
  next_step: Text | null;
  planned_touch_id: Text | null;
  created_at: Text;
  /** 010-touch-client-id: the id the client made for this log, so that sending it again does not log it twice. */
  client_id?: Text | null;
}

export interface ObjectionsTable {
  id: Text;
  code: Text;
  label_zh: Text;
  label_en: Text;
  zh: Text;
  en: Text;
  variants: ColumnType<Json, Json | undefined, Json>;
  is_default: ColumnType<Bool, Bool | undefined, Bool>;
  created_at: Text;
  updated_at: Text;
  version: ColumnType<number, number | undefined, number>;
}

export interface ObjectionResponsesTable {
  id: Text;
  objection_id: Text;
  code: Text;
  zh: Text;
  en: Text;
  is_preferred: ColumnType<Bool, Bool | undefined, Bool>;
  created_by: Text | null;
  created_at: Text;
  updated_at: Text;
  version: ColumnType<number, number | undefined, number>;
}

export interface SkillsTable {
  id: Text;
  code: Text;
  name_zh: Text;
  name_en: Text;
  objection_id: Text | null;
  created_by: Text | null;
  created_at: Text;
  /** What the rep should be able to do (006); empty for skills made from objections. */
  description: ColumnType<Text, Text | undefined, Text>;
}

export interface SkillStagesTable {
  user_id: Text;
  skill_id: Text;
  stage: ColumnType<number, number | undefined, number>;
  state: ColumnType<Json, Json | undefined, Json>;
  updated_at: Text;
}

export interface SkillStageHistoryTable {
  id: Text;
  user_id: Text;
  skill_id: Text;
  from_stage: number;
  to_stage: number;
  rule: Text;
  reason: Text | null;
  assessed_by: Text | null;
  created_at: Text;
}

export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportJobsTable {
  id: Text;
  source_id: Text | null;
  file_name: Text;
  file_sha256: Text | null;
  status: ColumnType<ImportJobStatus, ImportJobStatus | undefined, ImportJobStatus>;
  options: ColumnType<Json, Json | undefined, Json>;
  total_rows: ColumnType<number, number | undefined, number>;
  processed_rows: ColumnType<number, number | undefined, number>;
  created_count: ColumnType<number, number | undefined, number>;
  merged_count: ColumnType<number, number | undefined, number>;
  rejected_count: ColumnType<number, number | undefined, number>;
  warning_count: ColumnType<number, number | undefined, number>;
  error: Text | null;
  claimed_by: Text | null;
  created_by: Text | null;
  created_at: Text;
  started_at: Text | null;
  finished_at: Text | null;
  /** 004-import: uploaded | ready | reading | merging | done (see migrations/004-import.ts). */
  phase: ImportJobPhase | null;
  origin: 'cli' | 'api' | null;
  file_path: Text | null;
  file_size: number | null;
  dry_run: ColumnType<Bool, Bool | undefined, Bool>;
  heartbeat_at: Text | null;
  detected: Json | null;
  mapping: Json | null;
  result: Json | null;
  /** 009-import-file-expiry: when a failed job's uploaded file was removed (it can no longer run again). */
  file_expired_at: Text | null;
}

export type ImportJobPhase = 'uploaded' | 'ready' | 'reading' | 'merging' | 'done';

export interface ImportErrorsTable {
  id: Text;
  job_id: Text;
  line: number;
  column_name: Text | null;
  value: Text | null;
  reason: Text;
  severity: 'error' | 'warning';
  raw: Json | null;
}

export interface AuditLogTable {
  id: Text;
  at: Text;
  user_id: Text | null;
  entity: Text;
  entity_id: Text | null;
  action: Text;
  before: Json | null;
  after: Json | null;
}

export interface SettingsTable {
  key: Text;
  value: Json;
  updated_at: Text;
  /** Optimistic concurrency (010-record-versions): an edit names the version it read. */
  version: ColumnType<number, number | undefined, number>;
}

/** Sign-in sessions (002-auth). The session id itself is never stored, only its SHA-256. */
export interface SessionsTable {
  id_hash: Text;
  user_id: Text;
  csrf_secret: Text;
  created_at: Text;
  last_seen_at: Text;
  idle_expires_at: Text;
  absolute_expires_at: Text;
  user_agent: Text | null;
  ip: Text | null;
}

/** Personal API tokens (002-auth), stored as SHA-256 of the secret. */
export interface ApiTokensTable {
  id: Text;
  user_id: Text;
  name: Text;
  token_hash: Text;
  prefix: Text;
  access: 'read' | 'write';
  created_at: Text;
  last_used_at: Text | null;
  expires_at: Text | null;
  revoked_at: Text | null;
}

/** Sign-in attempts per email and per IP (002-auth), shared by every server process. */
export interface SignInThrottlesTable {
  key: Text;
  attempts: number;
  first_attempt_at: Text;
  last_attempt_at: Text;
  locked_until: Text | null;
}

export interface CalendarFeedsTable {
  id: Text;
  user_id: Text;
  token_hash: Text;
  created_at: Text;
  last_used_at: Text | null;
  revoked_at: Text | null;
}

/** A user's named view of the Accounts table (006-saved-views): filters, sort and columns. */
export interface SavedViewsTable {
  id: Text;
  user_id: Text;
  name: Text;
  /** The list request (ZSavedViewQuery) as JSON. */
  query: Json;
  /** Visible columns as a JSON array; null: the default set. */
  columns: Json | null;
  created_at: Text;
  updated_at: Text;
  version: ColumnType<number, number | undefined, number>;
}

/** Search index of the playbook (005-practice): one row per (entity, id, gram), see domain/objections/search-text.ts. */
export interface SearchGramsTable {
  entity: 'objection' | 'objection_response';
  entity_id: Text;
  gram: Text;
}

export type DrillCardState = 'new' | 'learning' | 'review' | 'relearning';

/** One FSRS card per rep and objection (005-practice); `card` is the TDrillCard JSON, `due_at` copies its due. */
export interface DrillCardsTable {
  user_id: Text;
  objection_id: Text;
  card: Json;
  state: DrillCardState;
  due_at: Text;
  reps: ColumnType<number, number | undefined, number>;
  lapses: ColumnType<number, number | undefined, number>;
  last_review_at: Text | null;
  created_at: Text;
  updated_at: Text;
}

/** Every drill review (005-practice); `log` is the TDrillReviewLog JSON. */
export interface DrillReviewsTable {
  id: Text;
  user_id: Text;
  objection_id: Text;
  skill_id: Text | null;
  rating: 'again' | 'hard' | 'good' | 'easy';
  lang: Text;
  prompt: Text | null;
  answer: Text | null;
  log: Json;
  stage_before: number | null;
  stage_after: number | null;
  reviewed_at: Text;
  created_at: Text;
}

export interface Database {
  search_grams: SearchGramsTable;
  drill_cards: DrillCardsTable;
  drill_reviews: DrillReviewsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_throttles: SignInThrottlesTable;
  teams: TeamsTable;
  users: UsersTable;
  territories: TerritoriesTable;
  territory_accounts: TerritoryAccountsTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  sources: SourcesTable;
  account_sources: AccountSourcesTable;
  market_definitions: MarketDefinitionsTable;
  cadence_rules: CadenceRulesTable;
  plans: PlansTable;
  planned_touches: PlannedTouchesTable;
  activities: ActivitiesTable;
  objections: ObjectionsTable;
  objection_responses: ObjectionResponsesTable;
  skills: SkillsTable;
  skill_stages: SkillStagesTable;
  skill_stage_history: SkillStageHistoryTable;
  import_jobs: ImportJobsTable;
  import_errors: ImportErrorsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  calendar_feeds: CalendarFeedsTable;
  saved_views: SavedViewsTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccountRowUpdate = Updateable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type TerritoryRow = Selectable<TerritoriesTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
