import { TZDate } from '@date-fns/tz';
import { type Selectable, sql } from 'kysely';
import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  DEFAULT_OBJECTION_CODES,
  DEFAULT_OBJECTIONS,
  skillCodeForObjection,
  skillForObjection,
} from '../domain/objections/default-playbook.ts';
import {
  type ObjectionTouch,
  sortResponsesByEffectiveness,
  summarizeObjectionEffectiveness,
  wilsonLowerBound,
} from '../domain/objections/effectiveness.ts';
import {
  gramsForQuery,
  objectionSearchText,
  rankMatches,
  responseSearchText,
} from '../domain/objections/search-text.ts';
import type { TLang, TObjectionVariants } from '../schemas/objections.ts';
import {
  type TEffectivenessQuery,
  type TEffectivenessReport,
  type TObjectionCreate,
  type TObjectionUpdate,
  type TPlaybook,
  type TPlaybookObjection,
  type TPlaybookQuery,
  type TPlaybookResponse,
  type TResponseCreate,
  type TResponseSort,
  type TResponseUpdate,
  type TSearchHit,
  type TSearchQuery,
  type TSearchResult,
  type TSetPreferred,
  type TSuccessStats,
  ZEffectivenessQuery,
  ZObjectionCreate,
  ZObjectionUpdate,
  ZPlaybookQuery,
  ZResponseCreate,
  ZResponseUpdate,
  ZSearchQuery,
  ZSetPreferred,
} from '../schemas/playbook-api.ts';
import { isUniqueViolation } from '../storage/db-errors.ts';
import { newId } from '../storage/ids.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { entitiesWithAllGrams, replaceSearchGrams } from '../storage/repositories/search-grams.ts';
import type { ObjectionResponsesTable, ObjectionsTable } from '../storage/tables.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn } from './access.ts';
import type { Actor, ServiceContext } from './context.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/*
 * The objection playbook (method §5, issue 5): one playbook per workspace, read by everyone signed in.
 * Managers and admins edit objections and choose the preferred response; anyone signed in may add an
 * alternative response (reps find what works), and edit the ones they wrote.
 *
 * Search uses the gram index of domain/objections/search-text.ts (table search_grams): every write of an
 * objection or response re-indexes it in the same transaction.
 */

type ObjectionRow = Selectable<ObjectionsTable>;
type ResponseRow = Selectable<ObjectionResponsesTable>;

/**
 * Candidates ranked per entity and query. Only a fragment common to hundreds of entries reaches it (一 character,
 * or 预算 in a playbook of thousands); the answer is then the best of a sample, flagged `truncated`.
 */
const SEARCH_CANDIDATE_CAP = 300;
const IN_CHUNK = 500;

// ---------------------------------------------------------------------------------------------------------
// Language

/** The requested language, else the user's locale (zh-* → zh, anything else → en), else zh. */
export async function resolveLang(db: Executor, actor: Actor, requested?: TLang): Promise<TLang> {
  if (requested) return requested;
  if (!actor.userId) return 'zh';
  const user = await db
    .selectFrom('users')
    .select('locale')
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  if (!user) return 'zh';
  return user.locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const other = (lang: TLang): TLang => (lang === 'zh' ? 'en' : 'zh');
const pickText = (v: { zh: string; en: string }, lang: TLang): string => v[lang] || v[other(lang)];

// ---------------------------------------------------------------------------------------------------------
// Reading

function parseVariants(text: string): TObjectionVariants {
  try {
    const v = JSON.parse(text) as { zh?: unknown; en?: unknown };
    const list = (x: unknown) =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
    return { zh: list(v.zh), en: list(v.en) };
  } catch {
    return { zh: [], en: [] };
  }
}

function successStats(count: number, successes: number): TSuccessStats {
  return {
    count,
    successes,
    successRate: count === 0 ? null : successes / count,
    wilsonLower: wilsonLowerBound(successes, count),
  };
}

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await load(ids.slice(i, i + IN_CHUNK))));
  return out;
}

/** A touch counts as a success when a meeting was booked or a next step agreed (domain `isTouchSuccess`). */
export const touchSuccessSql = sql<number>`sum(case when ${sql.ref('outcome')} = 'meeting_booked' or (${sql.ref('next_step')} is not null and trim(${sql.ref('next_step')}) <> '') then 1 else 0 end)`;

interface UseCounts {
  uses: number;
  successes: number;
}

/** Uses and successes per objection and per response, from every logged touch with an objection. */
async function loadUseCounts(db: Executor, objectionIds: readonly string[] | null) {
  const query = (chunk: string[] | null) => {
    let q = db
      .selectFrom('activities')
      .select([
        'objection_id',
        'response_id',
        (eb) => eb.fn.countAll<number>().as('n'),
        touchSuccessSql.as('ok'),
      ])
      .where('objection_id', 'is not', null)
      .groupBy(['objection_id', 'response_id']);
    if (chunk) q = q.where('objection_id', 'in', chunk);
    return q.execute();
  };
  const rows = objectionIds === null ? await query(null) : await inChunks(objectionIds, query);
  const byObjection = new Map<string, UseCounts>();
  const byResponse = new Map<string, UseCounts>();
  for (const r of rows) {
    if (!r.objection_id) continue;
    const n = Number(r.n);
    const ok = Number(r.ok ?? 0);
    const o = byObjection.get(r.objection_id) ?? { uses: 0, successes: 0 };
    o.uses += n;
    o.successes += ok;
    byObjection.set(r.objection_id, o);
    if (r.response_id) {
      const x = byResponse.get(r.response_id) ?? { uses: 0, successes: 0 };
      x.uses += n;
      x.successes += ok;
      byResponse.set(r.response_id, x);
    }
  }
  return { byObjection, byResponse };
}

function toResponse(row: ResponseRow, lang: TLang, counts: UseCounts | undefined): TPlaybookResponse {
  return {
    id: row.id,
    objectionId: row.objection_id,
    code: row.code,
    zh: row.zh,
    en: row.en,
    text: pickText(row, lang),
    preferred: row.is_preferred === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    stats: successStats(counts?.uses ?? 0, counts?.successes ?? 0),
  };
}

function orderResponses(
  responses: TPlaybookResponse[],
  sort: TResponseSort,
  counts: Map<string, UseCounts>,
): TPlaybookResponse[] {
  // As written: preferred first, then by creation (ids are time-ordered).
  const written = [...responses].sort(
    (a, b) =>
      Number(b.preferred) - Number(a.preferred) ||
      compareText(a.createdAt, b.createdAt) ||
      compareText(a.id, b.id),
  );
  if (sort === 'preferred') return written;
  return sortResponsesByEffectiveness(written, counts).map((r) => r.response);
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const DEFAULT_ORDER = new Map<string, number>(DEFAULT_OBJECTION_CODES.map((code, i) => [code, i]));

/** Full objections (responses, stats, skill) for the given ids, or the whole playbook when `ids` is null. */
async function loadObjections(
  db: Executor,
  ids: readonly string[] | null,
  lang: TLang,
  sort: TResponseSort,
): Promise<TPlaybookObjection[]> {
  if (ids !== null && ids.length === 0) return [];
  // Independent reads, in parallel on PostgreSQL's pool (SQLite runs them in turn).
  const [objectionRows, responseRows, skillRows, counts] = await Promise.all([
    ids === null
      ? db.selectFrom('objections').selectAll().execute()
      : inChunks(ids, (chunk) => db.selectFrom('objections').selectAll().where('id', 'in', chunk).execute()),
    ids === null
      ? db.selectFrom('objection_responses').selectAll().execute()
      : inChunks(ids, (chunk) =>
          db.selectFrom('objection_responses').selectAll().where('objection_id', 'in', chunk).execute(),
        ),
    ids === null
      ? db
          .selectFrom('skills')
          .select(['id', 'code', 'objection_id'])
          .where('objection_id', 'is not', null)
          .execute()
      : inChunks(ids, (chunk) =>
          db
            .selectFrom('skills')
            .select(['id', 'code', 'objection_id'])
            .where('objection_id', 'in', chunk)
            .execute(),
        ),
    loadUseCounts(db, ids),
  ]);

  const responsesOf = new Map<string, ResponseRow[]>();
  for (const r of responseRows) {
    const list = responsesOf.get(r.objection_id) ?? [];
    list.push(r);
    responsesOf.set(r.objection_id, list);
  }
  const codeOf = new Map(objectionRows.map((o) => [o.id, o.code]));
  const skillOf = new Map<string, string>();
  for (const s of skillRows) {
    if (!s.objection_id) continue;
    // The default skill (objection:<code>) wins over other skills about the same objection.
    const isDefault = s.code === skillCodeForObjection(codeOf.get(s.objection_id) ?? '');
    if (isDefault || !skillOf.has(s.objection_id)) skillOf.set(s.objection_id, s.id);
  }

  return objectionRows.map((o) => {
    const label = { zh: o.label_zh, en: o.label_en };
    const text = pickText(o, lang);
    const responses = (responsesOf.get(o.id) ?? []).map((r) =>
      toResponse(r, lang, counts.byResponse.get(r.id)),
    );
    const met = counts.byObjection.get(o.id);
    return {
      id: o.id,
      code: o.code,
      label,
      zh: o.zh,
      en: o.en,
      variants: parseVariants(o.variants),
      isDefault: o.is_default === 1,
      lang,
      title: label[lang] || label[other(lang)] || trimSentence(text),
      text,
      skillId: skillOf.get(o.id) ?? null,
      stats: successStats(met?.uses ?? 0, met?.successes ?? 0),
      responses: orderResponses(responses, sort, counts.byResponse),
      createdAt: o.created_at,
      updatedAt: o.updated_at,
      version: o.version,
    };
  });
}

const trimSentence = (text: string): string => text.trim().replace(/[。．.!！?？]+$/u, '');

/** The defaults in method order first, then the team's own by title in the language's collation. */
function sortPlaybook(objections: TPlaybookObjection[], lang: TLang): TPlaybookObjection[] {
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
  const rank = (o: TPlaybookObjection) =>
    o.isDefault ? (DEFAULT_ORDER.get(o.code) ?? DEFAULT_ORDER.size) : DEFAULT_ORDER.size + 1;
  return objections.sort(
    (a, b) => rank(a) - rank(b) || collator.compare(a.title, b.title) || compareText(a.code, b.code),
  );
}

export async function findObjectionRow(db: Executor, idOrCode: string): Promise<ObjectionRow | undefined> {
  return db
    .selectFrom('objections')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
}

async function requireObjectionRow(db: Executor, idOrCode: string): Promise<ObjectionRow> {
  const row = await findObjectionRow(db, idOrCode);
  if (!row) throw notFound('Objection', idOrCode);
  return row;
}

/** The whole playbook: each objection with its responses in the user's language and their effectiveness. */
export async function listPlaybook(ctx: ServiceContext, input: TPlaybookQuery = {}): Promise<TPlaybook> {
  requireSignedIn(ctx);
  const query = ZPlaybookQuery.parse(input);
  const db = ctx.db.kysely;
  const lang = await resolveLang(db, ctx.actor, query.lang);
  const objections = await loadObjections(db, null, lang, query.sort);
  return { lang, sort: query.sort, objections: sortPlaybook(objections, lang) };
}

/** One objection by id or code. */
export async function getObjection(
  ctx: ServiceContext,
  idOrCode: string,
  input: TPlaybookQuery = {},
): Promise<TPlaybookObjection> {
  requireSignedIn(ctx);
  const query = ZPlaybookQuery.parse(input);
  const db = ctx.db.kysely;
  const row = await requireObjectionRow(db, idOrCode);
  const lang = await resolveLang(db, ctx.actor, query.lang);
  const [objection] = await loadObjections(db, [row.id], lang, query.sort);
  if (!objection) throw notFound('Objection', idOrCode);
  return objection;
}

async function reload(db: Executor, id: string, ctx: ServiceContext): Promise<TPlaybookObjection> {
  const lang = await resolveLang(db, ctx.actor);
  const [objection] = await loadObjections(db, [id], lang, 'preferred');
  if (!objection) throw notFound('Objection', id);
  return objection;
}

// ---------------------------------------------------------------------------------------------------------
// Search

/**
 * Finds objections by a fragment of Chinese (no word boundaries: 预算, 价格太高, 供应商) or English words, in
 * the objection (labels, text, customer phrasings) or any of its responses. Best match first.
 */
export async function searchPlaybook(ctx: ServiceContext, input: TSearchQuery): Promise<TSearchResult> {
  requireSignedIn(ctx);
  const query = ZSearchQuery.parse(input);
  const db = ctx.db.kysely;
  const grams = gramsForQuery(query.q);
  if (grams.length === 0) {
    return {
      query: query.q,
      lang: await resolveLang(db, ctx.actor, query.lang),
      total: 0,
      truncated: false,
      hits: [],
    };
  }

  // Ids first (an index-only lookup), then the candidates' text by primary key. cap + 1 ids tell whether the
  // cap cut the list: ranking costs ~10 µs per candidate, so a very common fragment ranks a sample only.
  const [lang, objectionIds, responseIds] = await Promise.all([
    resolveLang(db, ctx.actor, query.lang),
    entitiesWithAllGrams(db, 'objection', grams, SEARCH_CANDIDATE_CAP),
    entitiesWithAllGrams(db, 'objection_response', grams, SEARCH_CANDIDATE_CAP),
  ]);
  const [objectionCands, responseCands] = await Promise.all([
    inChunks(objectionIds.ids, (chunk) =>
      db
        .selectFrom('objections')
        .select(['id', 'code', 'label_zh', 'label_en', 'zh', 'en', 'variants'])
        .where('id', 'in', chunk)
        .execute(),
    ),
    inChunks(responseIds.ids, (chunk) =>
      db
        .selectFrom('objection_responses')
        .select(['id', 'objection_id', 'zh', 'en'])
        .where('id', 'in', chunk)
        .execute(),
    ),
  ]);
  const truncated = objectionIds.truncated || responseIds.truncated;

  const rankedObjections = rankMatches(
    query.q,
    objectionCands.map((o) => ({
      id: o.id,
      text: objectionSearchText({
        code: o.code,
        label: { zh: o.label_zh, en: o.label_en },
        zh: o.zh,
        en: o.en,
        variants: parseVariants(o.variants),
      }),
    })),
  ).filter((m) => m.allTerms);
  const rankedResponses = rankMatches(
    query.q,
    responseCands.map((r) => ({ id: r.id, objectionId: r.objection_id, text: responseSearchText(r) })),
  ).filter((m) => m.allTerms);

  // One hit per objection: its best score over its own text and its responses.
  type Hit = { score: number; exact: boolean; objection: boolean; responseIds: string[]; order: number };
  const hits = new Map<string, Hit>();
  let order = 0;
  const hitFor = (objectionId: string): Hit => {
    let hit = hits.get(objectionId);
    if (!hit) {
      hit = { score: 0, exact: false, objection: false, responseIds: [], order: order++ };
      hits.set(objectionId, hit);
    }
    return hit;
  };
  // Interleave by score so `order` (the tie-break) follows the rankers' own order.
  const all = [
    ...rankedObjections.map((m) => ({ m, objectionId: m.item.id, responseId: null as string | null })),
    ...rankedResponses.map((m) => ({
      m,
      objectionId: m.item.objectionId,
      responseId: m.item.id as string | null,
    })),
  ].sort((a, b) => b.m.score - a.m.score);
  for (const { m, objectionId, responseId } of all) {
    const hit = hitFor(objectionId);
    hit.score = Math.max(hit.score, m.score);
    hit.exact ||= m.exact;
    if (responseId === null) hit.objection = true;
    else hit.responseIds.push(responseId);
  }
  const ranked = [...hits.entries()].sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order);
  const top = ranked.slice(0, query.limit);
  const loaded = new Map(
    (
      await loadObjections(
        db,
        top.map(([id]) => id),
        lang,
        'preferred',
      )
    ).map((o) => [o.id, o]),
  );
  const result: TSearchHit[] = [];
  for (const [id, hit] of top) {
    const objection = loaded.get(id);
    if (!objection) continue;
    result.push({
      objection,
      score: hit.score,
      exact: hit.exact,
      matched: { objection: hit.objection, responseIds: hit.responseIds },
    });
  }
  return {
    query: query.q,
    lang,
    total: hits.size,
    truncated,
    hits: result,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Writing

const EDITORS = ['admin', 'manager'] as const;

async function indexObjection(db: Executor, row: ObjectionRow): Promise<void> {
  await replaceSearchGrams(
    db,
    'objection',
    row.id,
    objectionSearchText({
      code: row.code,
      label: { zh: row.label_zh, en: row.label_en },
      zh: row.zh,
      en: row.en,
      variants: parseVariants(row.variants),
    }),
  );
}

async function indexResponse(db: Executor, row: Pick<ResponseRow, 'id' | 'zh' | 'en'>): Promise<void> {
  await replaceSearchGrams(db, 'objection_response', row.id, responseSearchText(row));
}

async function ensureObjectionSkill(db: Executor, row: ObjectionRow, at: string, createdBy: string | null) {
  const skill = skillForObjection({
    code: row.code,
    zh: row.zh,
    en: row.en,
    ...(row.label_zh || row.label_en ? { label: { zh: row.label_zh, en: row.label_en } } : {}),
  });
  const exists = await db.selectFrom('skills').select('id').where('code', '=', skill.code).executeTakeFirst();
  if (exists) return exists.id;
  const id = newId();
  await db
    .insertInto('skills')
    .values({
      id,
      code: skill.code,
      name_zh: skill.zh,
      name_en: skill.en,
      objection_id: row.id,
      created_by: createdBy,
      created_at: at,
    })
    .execute();
  return id;
}

async function freeResponseCode(db: Executor, objectionId: string): Promise<string> {
  const rows = await db
    .selectFrom('objection_responses')
    .select('code')
    .where('objection_id', '=', objectionId)
    .execute();
  const taken = new Set(rows.map((r) => r.code));
  for (let n = rows.length + 1; ; n++) if (!taken.has(`alt-${n}`)) return `alt-${n}`;
}

async function insertResponse(
  db: Executor,
  objectionId: string,
  r: { code: string; zh: string; en: string; preferred: boolean },
  createdBy: string | null,
  at: string,
): Promise<ResponseRow> {
  const taken = await db
    .selectFrom('objection_responses')
    .select('id')
    .where('objection_id', '=', objectionId)
    .where('code', '=', r.code)
    .executeTakeFirst();
  if (taken) {
    throw new AppError('conflict', msg('playbook.response_code_taken', { code: r.code }), {
      field: 'code',
    });
  }
  const row: ResponseRow = {
    id: newId(),
    objection_id: objectionId,
    code: r.code,
    zh: r.zh,
    en: r.en,
    is_preferred: r.preferred ? 1 : 0,
    created_by: createdBy,
    created_at: at,
    updated_at: at,
    version: 1,
  };
  await db.insertInto('objection_responses').values(row).execute();
  await indexResponse(db, row);
  return row;
}

/** Adds an objection (managers and admins), with its responses and its default skill. */
export async function createObjection(
  ctx: ServiceContext,
  input: TObjectionCreate,
): Promise<TPlaybookObjection> {
  requireRole(ctx, EDITORS, 'add objections to the playbook');
  const data = ZObjectionCreate.parse(input);
  const at = ctx.now().toISOString();
  const codeTaken = () =>
    new AppError('conflict', msg('playbook.objection_code_taken', { code: data.code }), { field: 'code' });
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (await findObjectionRow(trx, data.code)) throw codeTaken();
    const row: ObjectionRow = {
      id: newId(ctx.now().getTime()),
      code: data.code,
      label_zh: data.label?.zh ?? '',
      label_en: data.label?.en ?? '',
      zh: data.zh,
      en: data.en,
      variants: JSON.stringify(data.variants),
      is_default: 0,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    // Another manager may have added the same code since the check (PostgreSQL lets both check before either
    // commits); the unique index refuses the second, which answers as the check would.
    await trx
      .insertInto('objections')
      .values(row)
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error, 'objections', 'code') ? codeTaken() : error;
      });
    await indexObjection(trx, row);
    const preferredIndex = Math.max(
      0,
      data.responses.findIndex((r) => r.preferred),
    );
    const usedCodes = new Set<string>();
    for (const [i, r] of data.responses.entries()) {
      let code = r.code ?? `alt-${i + 1}`;
      while (usedCodes.has(code)) code = `${code}-${i + 1}`;
      usedCodes.add(code);
      await insertResponse(
        trx,
        row.id,
        { code, zh: r.zh, en: r.en, preferred: i === preferredIndex },
        ctx.actor.userId,
        at,
      );
    }
    await ensureObjectionSkill(trx, row, at, ctx.actor.userId);
    const objection = await reload(trx, row.id, ctx);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'objection',
      entityId: row.id,
      action: 'create',
      after: objection,
    });
    return objection;
  });
}

function staleObjection(row: ObjectionRow, version: number, current: TPlaybookObjection): AppError {
  return new AppError(
    'version_conflict',
    msg('playbook.objection_version_conflict', { code: row.code, version, current: row.version }),
    { current },
  );
}

/** Edits an objection's text, label or phrasings (managers and admins); a stale version answers 409. */
export async function updateObjection(
  ctx: ServiceContext,
  idOrCode: string,
  input: TObjectionUpdate,
): Promise<TPlaybookObjection> {
  requireRole(ctx, EDITORS, 'edit the playbook');
  const data = ZObjectionUpdate.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await requireObjectionRow(trx, idOrCode);
    const beforeView = await reload(trx, before.id, ctx);
    if (before.version !== data.version) throw staleObjection(before, data.version, beforeView);
    const next = {
      label_zh: data.label?.zh ?? before.label_zh,
      label_en: data.label?.en ?? before.label_en,
      zh: data.zh ?? before.zh,
      en: data.en ?? before.en,
      variants: data.variants ? JSON.stringify(data.variants) : before.variants,
    };
    if (!next.zh && !next.en) {
      throw new AppError('validation_failed', msg('playbook.objection_needs_text'), {
        field: 'zh',
      });
    }
    const updated = await trx
      .updateTable('objections')
      .set({ ...next, updated_at: at, version: before.version + 1 })
      .where('id', '=', before.id)
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleObjection(before, data.version, beforeView);
    await indexObjection(trx, { ...before, ...next });
    const after = await reload(trx, before.id, ctx);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'objection',
      entityId: before.id,
      action: 'update',
      before: beforeView,
      after,
    });
    return after;
  });
}

/**
 * Adds an alternative response (anyone signed in). Only managers and admins may make it the preferred one;
 * the first response of an objection is preferred by itself.
 */
export async function addResponse(
  ctx: ServiceContext,
  objectionIdOrCode: string,
  input: TResponseCreate,
): Promise<TPlaybookObjection> {
  requireSignedIn(ctx);
  const data = ZResponseCreate.parse(input);
  if (data.preferred) requireRole(ctx, EDITORS, 'choose the preferred response');
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const objection = await requireObjectionRow(trx, objectionIdOrCode);
    const existing = await trx
      .selectFrom('objection_responses')
      .select(['id', 'is_preferred'])
      .where('objection_id', '=', objection.id)
      .execute();
    const preferred = data.preferred === true || !existing.some((r) => r.is_preferred === 1);
    if (preferred && existing.some((r) => r.is_preferred === 1)) {
      await trx
        .updateTable('objection_responses')
        .set((eb) => ({ is_preferred: 0, updated_at: at, version: eb('version', '+', 1) }))
        .where('objection_id', '=', objection.id)
        .where('is_preferred', '=', 1)
        .execute();
    }
    if (preferred) {
      await trx
        .updateTable('objections')
        .set((eb) => ({ updated_at: at, version: eb('version', '+', 1) }))
        .where('id', '=', objection.id)
        .execute();
    }
    const code = data.code ?? (await freeResponseCode(trx, objection.id));
    const row = await insertResponse(
      trx,
      objection.id,
      { code, zh: data.zh, en: data.en, preferred },
      ctx.actor.userId,
      at,
    );
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'objection_response',
      entityId: row.id,
      action: 'create',
      after: toResponse(row, 'zh', undefined),
    });
    return reload(trx, objection.id, ctx);
  });
}

/** Edits a response's text (managers, admins, or whoever wrote it); a stale version answers 409. */
export async function updateResponse(
  ctx: ServiceContext,
  objectionIdOrCode: string,
  responseIdOrCode: string,
  input: TResponseUpdate,
): Promise<TPlaybookObjection> {
  requireSignedIn(ctx);
  const data = ZResponseUpdate.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const objection = await requireObjectionRow(trx, objectionIdOrCode);
    const before = await findResponseRow(trx, objection.id, responseIdOrCode);
    const mayEdit =
      isUnrestrictedActor(ctx.actor) ||
      ctx.actor.role === 'manager' ||
      (ctx.actor.userId !== null && before.created_by === ctx.actor.userId);
    if (!mayEdit) {
      throw new AppError('forbidden', msg('playbook.response_editors'));
    }
    const stale = async () =>
      new AppError(
        'version_conflict',
        msg('playbook.response_version_conflict', {
          code: before.code,
          version: data.version,
          current: before.version,
        }),
        { current: await reload(trx, objection.id, ctx) },
      );
    if (before.version !== data.version) throw await stale();
    const next = { zh: data.zh ?? before.zh, en: data.en ?? before.en };
    if (!next.zh && !next.en) {
      throw new AppError('validation_failed', msg('playbook.response_needs_text'), {
        field: 'zh',
      });
    }
    const updated = await trx
      .updateTable('objection_responses')
      .set({ ...next, updated_at: at, version: before.version + 1 })
      .where('id', '=', before.id)
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw await stale();
    await indexResponse(trx, { id: before.id, ...next });
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'objection_response',
      entityId: before.id,
      action: 'update',
      before: toResponse(before, 'zh', undefined),
      after: toResponse({ ...before, ...next, updated_at: at, version: before.version + 1 }, 'zh', undefined),
    });
    return reload(trx, objection.id, ctx);
  });
}

async function findResponseRow(db: Executor, objectionId: string, idOrCode: string): Promise<ResponseRow> {
  const row = await db
    .selectFrom('objection_responses')
    .selectAll()
    .where('objection_id', '=', objectionId)
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
  if (!row) throw notFound('Response', idOrCode);
  return row;
}

/** Makes one response the preferred one (exactly one per objection; managers and admins). */
export async function setPreferredResponse(
  ctx: ServiceContext,
  objectionIdOrCode: string,
  input: TSetPreferred,
): Promise<TPlaybookObjection> {
  requireRole(ctx, EDITORS, 'choose the preferred response');
  const data = ZSetPreferred.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const objection = await requireObjectionRow(trx, objectionIdOrCode);
    const before = await reload(trx, objection.id, ctx);
    if (objection.version !== data.version) throw staleObjection(objection, data.version, before);
    const chosen = await findResponseRow(trx, objection.id, data.responseId);
    const bumped = await trx
      .updateTable('objections')
      .set({ updated_at: at, version: objection.version + 1 })
      .where('id', '=', objection.id)
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) !== 1) throw staleObjection(objection, data.version, before);
    // Every response whose flag changes gets a new version; the others keep theirs.
    await trx
      .updateTable('objection_responses')
      .set((eb) => ({
        is_preferred: eb.case().when('id', '=', chosen.id).then(1).else(0).end(),
        updated_at: at,
        version: eb('version', '+', 1),
      }))
      .where('objection_id', '=', objection.id)
      .where((eb) =>
        eb.or([
          eb.and([eb('id', '=', chosen.id), eb('is_preferred', '=', 0)]),
          eb.and([eb('id', '!=', chosen.id), eb('is_preferred', '=', 1)]),
        ]),
      )
      .execute();
    const after = await reload(trx, objection.id, ctx);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'objection',
      entityId: objection.id,
      action: 'set_preferred_response',
      before: { preferred: before.responses.find((r) => r.preferred)?.id ?? null },
      after: { preferred: chosen.id },
    });
    return after;
  });
}

/**
 * The default objections, responses and skills, inserting whatever is missing (migration 005 seeds them in a
 * new workspace; this keeps the demo working on any playbook). Returns each default's id and response ids in
 * the default order. For loaders; no permission check.
 */
export async function ensureDefaultPlaybook(
  db: Executor,
  at: string,
): Promise<Map<string, { id: string; responseIds: string[] }>> {
  const out = new Map<string, { id: string; responseIds: string[] }>();
  for (const def of DEFAULT_OBJECTIONS) {
    let row = await findObjectionRow(db, def.code);
    if (!row) {
      row = {
        id: newId(),
        code: def.code,
        label_zh: def.label.zh,
        label_en: def.label.en,
        zh: def.zh,
        en: def.en,
        variants: JSON.stringify(def.variants),
        is_default: 1,
        created_at: at,
        updated_at: at,
        version: 1,
      };
      await db.insertInto('objections').values(row).execute();
      await indexObjection(db, row);
    }
    const existing = await db
      .selectFrom('objection_responses')
      .select(['id', 'code', 'is_preferred'])
      .where('objection_id', '=', row.id)
      .execute();
    const byCode = new Map(existing.map((r) => [r.code, r.id]));
    const hasPreferred = existing.some((r) => r.is_preferred === 1);
    const responseIds: string[] = [];
    for (const r of def.responses) {
      let id = byCode.get(r.code);
      if (!id) {
        const inserted = await insertResponse(
          db,
          row.id,
          { code: r.code, zh: r.zh, en: r.en, preferred: r.preferred && !hasPreferred },
          null,
          at,
        );
        id = inserted.id;
      }
      responseIds.push(id);
    }
    await ensureObjectionSkill(db, row, at, null);
    out.set(def.code, { id: row.id, responseIds });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// What works

/** The first instant of a local date in a time zone. */
export function startOfLocalDay(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, timeZone).getTime()).toISOString();
}

function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/**
 * Per objection and per response: how often met, and the share followed by a booked meeting or a next step;
 * totals, per rep or per team, over weeks or months. Admins see everyone; managers their teams; reps their
 * own team's totals and only their own per-rep rows.
 */
export async function getEffectiveness(
  ctx: ServiceContext,
  input: TEffectivenessQuery = {},
): Promise<TEffectivenessReport> {
  requireSignedIn(ctx);
  const query = ZEffectivenessQuery.parse(input);
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const timeZone = settings.timeZone;
  const actor = ctx.actor;
  const unrestricted = isUnrestrictedActor(actor);

  let objectionFilter: string | null = null;
  if (query.objectionId) objectionFilter = (await requireObjectionRow(db, query.objectionId)).id;
  if (query.userId && !unrestricted && query.userId !== actor.userId) {
    const visible = await teamMemberIds(db, actor.userId ?? '')
      .where('member.id', '=', query.userId)
      .executeTakeFirst();
    if (!visible || actor.role === 'rep') {
      throw new AppError('forbidden', msg('playbook.own_team_numbers'));
    }
  }

  let q = db
    .selectFrom('activities as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.objection_id',
      'a.response_id',
      'a.outcome',
      'a.next_step',
      'a.user_id',
      'u.team_id',
      'a.occurred_at',
    ])
    .where('a.objection_id', 'is not', null);
  if (!unrestricted) q = q.where('a.user_id', 'in', teamMemberIds(db, actor.userId ?? ''));
  if (!unrestricted && actor.role === 'rep' && query.groupBy === 'user')
    q = q.where('a.user_id', '=', actor.userId);
  if (objectionFilter) q = q.where('a.objection_id', '=', objectionFilter);
  if (query.userId) q = q.where('a.user_id', '=', query.userId);
  if (query.teamId) q = q.where('u.team_id', '=', query.teamId);
  if (query.from) q = q.where('a.occurred_at', '>=', startOfLocalDay(query.from, timeZone));
  if (query.to) q = q.where('a.occurred_at', '<', startOfLocalDay(nextDay(query.to), timeZone));
  const rows = await q.execute();

  const touches: ObjectionTouch[] = rows.map((r) => ({
    objectionId: r.objection_id ?? '',
    responseId: r.response_id,
    outcome: r.outcome,
    nextStep: r.next_step,
    userId: r.user_id ?? '',
    teamId: r.team_id ?? null,
    occurredAt: r.occurred_at,
  }));
  const summary = summarizeObjectionEffectiveness(touches, {
    groupBy: query.groupBy,
    period: query.period,
    timeZone,
  });

  const objectionIds = [...new Set(summary.map((s) => s.objectionId))];
  const objections = new Map(
    (
      await inChunks(objectionIds, (chunk) =>
        db
          .selectFrom('objections')
          .select(['id', 'code', 'label_zh', 'label_en'])
          .where('id', 'in', chunk)
          .execute(),
      )
    ).map((o) => [o.id, o]),
  );
  const responseIds = [...new Set(summary.flatMap((s) => s.responses.map((r) => r.responseId)))];
  const responseCodes = new Map(
    (
      await inChunks(responseIds, (chunk) =>
        db.selectFrom('objection_responses').select(['id', 'code']).where('id', 'in', chunk).execute(),
      )
    ).map((r) => [r.id, r.code]),
  );
  const groupIds = [...new Set(summary.map((s) => s.groupId).filter((g): g is string => !!g))];
  const groupNames = new Map<string, string>();
  if (query.groupBy === 'user') {
    for (const u of await inChunks(groupIds, (chunk) =>
      db.selectFrom('users').select(['id', 'name']).where('id', 'in', chunk).execute(),
    )) {
      groupNames.set(u.id, u.name);
    }
  } else if (query.groupBy === 'team') {
    for (const t of await inChunks(groupIds, (chunk) =>
      db.selectFrom('teams').select(['id', 'name']).where('id', 'in', chunk).execute(),
    )) {
      groupNames.set(t.id, t.name);
    }
  }

  return {
    groupBy: query.groupBy,
    period: query.period,
    timeZone,
    from: query.from ?? null,
    to: query.to ?? null,
    touches: touches.length,
    rows: summary.map((s) => {
      const o = objections.get(s.objectionId);
      return {
        objectionId: s.objectionId,
        objectionCode: o?.code ?? null,
        label: o ? { zh: o.label_zh || o.code, en: o.label_en || o.code } : null,
        groupId: s.groupId,
        groupName: s.groupId ? (groupNames.get(s.groupId) ?? null) : null,
        period: s.period,
        count: s.count,
        successes: s.successes,
        successRate: s.successRate,
        wilsonLower: s.wilsonLower,
        responses: s.responses.map((r) => ({
          responseId: r.responseId,
          responseCode: responseCodes.get(r.responseId) ?? null,
          count: r.count,
          successes: r.successes,
          successRate: r.successRate,
          wilsonLower: r.wilsonLower,
        })),
        noResponse: s.noResponse,
      };
    }),
  };
}
