import { toSearchGrams } from '../../domain/objections/search-text.ts';
import type { SearchGramsTable } from '../tables.ts';
import type { Executor } from './accounts.ts';

/**
 * The gram index of src/domain/objections/search-text.ts. Plain equality on an indexed text column: the same
 * SQL and the same results on SQLite and PostgreSQL, no LIKE and no full-text extension.
 */
export type SearchEntity = SearchGramsTable['entity'];

const INSERT_CHUNK = 300;

/** Replaces the grams of one entity with those of `text`; call in the transaction that writes the entity. */
export async function replaceSearchGrams(
  db: Executor,
  entity: SearchEntity,
  entityId: string,
  text: string,
): Promise<void> {
  await db
    .deleteFrom('search_grams')
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .execute();
  const rows = toSearchGrams(text).map((gram) => ({ entity, entity_id: entityId, gram }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('search_grams')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

/** Inserts the grams of many new entities at once (bulk loads, re-indexing); nothing is deleted. */
export async function insertSearchGrams(
  db: Executor,
  entries: readonly { entity: SearchEntity; entityId: string; text: string }[],
): Promise<void> {
  let batch: SearchGramsTable[] = [];
  for (const e of entries) {
    for (const gram of toSearchGrams(e.text)) {
      batch.push({ entity: e.entity, entity_id: e.entityId, gram });
      if (batch.length >= INSERT_CHUNK) {
        await db.insertInto('search_grams').values(batch).execute();
        batch = [];
      }
    }
  }
  if (batch.length) await db.insertInto('search_grams').values(batch).execute();
}

/**
 * The same lookup as a subquery, to load candidates in one round trip:
 * `.where('id', 'in', entitiesWithAllGramsQuery(db, 'objection', grams, cap + 1))`.
 */
export function entitiesWithAllGramsQuery(
  db: Executor,
  entity: SearchEntity,
  grams: readonly string[],
  limit: number,
) {
  return db
    .selectFrom('search_grams')
    .select('entity_id')
    .where('entity', '=', entity)
    .where('gram', 'in', [...grams])
    .groupBy('entity_id')
    .having((eb) => eb(eb.fn.countAll(), '=', grams.length))
    .limit(limit);
}

export interface GramLookup {
  ids: string[];
  /** More than `cap` entities hold every gram; `ids` is an arbitrary `cap` of them. */
  truncated: boolean;
}

/**
 * Ids of the entities holding every one of `grams` (the primary key makes COUNT(*) the number of distinct
 * grams matched). Over-matches are possible (grams present but not adjacent): verify with `rankMatches`.
 */
export async function entitiesWithAllGrams(
  db: Executor,
  entity: SearchEntity,
  grams: readonly string[],
  cap: number,
): Promise<GramLookup> {
  if (grams.length === 0) return { ids: [], truncated: false };
  const rows = await db
    .selectFrom('search_grams')
    .select('entity_id')
    .where('entity', '=', entity)
    .where('gram', 'in', [...grams])
    .groupBy('entity_id')
    .having((eb) => eb(eb.fn.countAll(), '=', grams.length))
    .limit(cap + 1)
    .execute();
  const ids = rows.map((r) => r.entity_id);
  return { ids: ids.slice(0, cap), truncated: ids.length > cap };
}
