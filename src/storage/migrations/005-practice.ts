import { type Kysely, sql } from 'kysely';
import { DEFAULT_OBJECTIONS, skillForObjection } from '../../domain/objections/default-playbook.ts';
import {
  objectionSearchText,
  responseSearchText,
  toSearchGrams,
} from '../../domain/objections/search-text.ts';
import { newId } from '../ids.ts';

// Objection playbook search, practice drills and the default playbook (issue 5).
//
// - search_grams: the Chinese-aware search index of src/domain/objections/search-text.ts (CJK unigrams and
//   bigrams, folded English words), one row per (entity, id, gram); looked up by plain equality on the gram,
//   identical on SQLite and PostgreSQL. Written in the same transaction as the objection or response.
// - drill_cards: one FSRS card (JSON) per rep and objection, with its due time in a column for the queue.
// - drill_reviews: every drill review (rating, prompt shown, what the rep typed, the FSRS log, stage move).
// - The seven default objections of method §5 (with their responses and one skill each) are inserted when the
//   playbook is empty, so every workspace starts with them; existing rows are indexed for search.
//
// Self-contained on purpose: later schema changes must not change what this migration does, so it writes rows
// with the columns of this version and uses only pure domain functions.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_grams')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('gram', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_grams_pk', ['entity', 'entity_id', 'gram'])
    .execute();
  await db.schema
    .createIndex('search_grams_by_gram')
    .on('search_grams')
    .columns(['gram', 'entity', 'entity_id'])
    .execute();

  await db.schema
    .createTable('drill_cards')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objections.id').onDelete('cascade'))
    .addColumn('card', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`${sql.ref('state')} in ('new', 'learning', 'review', 'relearning')`),
    )
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('reps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lapses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_review_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('drill_cards_pk', ['user_id', 'objection_id'])
    .execute();
  await db.schema
    .createIndex('drill_cards_due_idx')
    .on('drill_cards')
    .columns(['user_id', 'due_at'])
    .execute();

  await db.schema
    .createTable('drill_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objections.id').onDelete('cascade'))
    .addColumn('skill_id', 'text', (c) => c.references('skills.id').onDelete('set null'))
    .addColumn('rating', 'text', (c) =>
      c.notNull().check(sql`${sql.ref('rating')} in ('again', 'hard', 'good', 'easy')`),
    )
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text')
    .addColumn('answer', 'text')
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('stage_before', 'integer')
    .addColumn('stage_after', 'integer')
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('drill_reviews_user_idx')
    .on('drill_reviews')
    .columns(['user_id', 'reviewed_at'])
    .execute();
  await db.schema.createIndex('drill_reviews_at_idx').on('drill_reviews').column('reviewed_at').execute();

  // Effectiveness and "objections met most": touches with an objection, by objection and time.
  await db.schema
    .createIndex('activities_objection_idx')
    .on('activities')
    .columns(['objection_id', 'occurred_at'])
    .execute();
  await db.schema.createIndex('skills_objection_idx').on('skills').column('objection_id').execute();

  await seedDefaultPlaybook(db);
  await indexExistingPlaybook(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('skills_objection_idx').ifExists().execute();
  await db.schema.dropIndex('activities_objection_idx').ifExists().execute();
  await db.schema.dropTable('drill_reviews').ifExists().execute();
  await db.schema.dropTable('drill_cards').ifExists().execute();
  await db.schema.dropTable('search_grams').ifExists().execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
async function seedDefaultPlaybook(db: Kysely<any>): Promise<void> {
  const any = await db.selectFrom('objections').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const at = new Date().toISOString();
  for (const objection of DEFAULT_OBJECTIONS) {
    const id = newId();
    await db
      .insertInto('objections')
      .values({
        id,
        code: objection.code,
        label_zh: objection.label.zh,
        label_en: objection.label.en,
        zh: objection.zh,
        en: objection.en,
        variants: JSON.stringify(objection.variants),
        is_default: 1,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .execute();
    for (const response of objection.responses) {
      await db
        .insertInto('objection_responses')
        .values({
          id: newId(),
          objection_id: id,
          code: response.code,
          zh: response.zh,
          en: response.en,
          is_preferred: response.preferred ? 1 : 0,
          created_by: null,
          created_at: at,
          updated_at: at,
          version: 1,
        })
        .execute();
    }
    const skill = skillForObjection(objection);
    const taken = await db
      .selectFrom('skills')
      .select('id')
      .where('code', '=', skill.code)
      .executeTakeFirst();
    if (!taken) {
      await db
        .insertInto('skills')
        .values({
          id: newId(),
          code: skill.code,
          name_zh: skill.zh,
          name_en: skill.en,
          objection_id: id,
          created_by: null,
          created_at: at,
        })
        .execute();
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
async function indexExistingPlaybook(db: Kysely<any>): Promise<void> {
  const rows: { entity: string; entity_id: string; gram: string }[] = [];
  const objections = await db
    .selectFrom('objections')
    .select(['id', 'code', 'label_zh', 'label_en', 'zh', 'en', 'variants'])
    .execute();
  for (const o of objections) {
    const variants = parseVariants(o.variants);
    const text = objectionSearchText({
      code: o.code,
      label: { zh: o.label_zh, en: o.label_en },
      zh: o.zh,
      en: o.en,
      variants,
    });
    for (const gram of toSearchGrams(text)) rows.push({ entity: 'objection', entity_id: o.id, gram });
  }
  const responses = await db.selectFrom('objection_responses').select(['id', 'zh', 'en']).execute();
  for (const r of responses) {
    for (const gram of toSearchGrams(responseSearchText(r))) {
      rows.push({ entity: 'objection_response', entity_id: r.id, gram });
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('search_grams')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

function parseVariants(text: unknown): { zh: string[]; en: string[] } {
  try {
    const v = JSON.parse(String(text ?? '{}')) as { zh?: unknown; en?: unknown };
    const list = (x: unknown) =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
    return { zh: list(v.zh), en: list(v.en) };
  } catch {
    return { zh: [], en: [] };
  }
}
