import { notFound } from '../domain/errors.ts';
import {
  type DrillItem,
  drillPrompt,
  learningEventForReview,
  newCard,
  pickDrillQueue,
  reviewCard,
} from '../domain/learning/drill.ts';
import { skillCodeForObjection } from '../domain/objections/default-playbook.ts';
import { type TDrillCard, ZDrillCard } from '../schemas/learning.ts';
import type { TLang, TLearningStage, TObjectionVariants } from '../schemas/objections.ts';
import {
  type TDrillAnswer,
  type TDrillQueue,
  type TDrillQueueQuery,
  type TDrillReviewInput,
  type TDrillReviewResult,
  type TDueCount,
  ZDrillQueueQuery,
  ZDrillReviewInput,
} from '../schemas/practice-api.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';
import { findObjectionRow, resolveLang } from './playbook.ts';
import { applyStageEvent, langFor, resolveSubject } from './skills.ts';

/*
 * Practice drills (method §6, issue 5): one FSRS card per rep and objection (domain/learning/drill.ts). The drill
 * shows the objection as a customer says it, the rep answers (typed or aloud), sees the prepared response and
 * rates their recall; the review schedules the card and is a learning event for the objection's skill.
 *
 * The deck is every objection with at least one response. Objections never practised have no card row yet: they
 * count as new, due now. The queue puts due cards first, weighted up by how often the rep met the objection in
 * the last 90 days of logged touches and by the skill's stage (stage 2 most).
 */

const MEET_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

interface DeckObjection {
  id: string;
  code: string;
  label: { zh: string; en: string };
  zh: string;
  en: string;
  variants: TObjectionVariants;
}

interface DeckItem extends DrillItem {
  objection: DeckObjection;
  isNew: boolean;
  skillId: string | null;
  stage: TLearningStage;
  met: number;
}

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

function parseCard(text: string, now: Date): TDrillCard {
  try {
    const parsed = ZDrillCard.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // an unreadable card starts over
  }
  return newCard(now);
}

const titleOf = (o: DeckObjection, lang: TLang): string => {
  const otherLang: TLang = lang === 'zh' ? 'en' : 'zh';
  return o.label[lang] || o.label[otherLang] || o[lang] || o[otherLang];
};

/** The rep's deck with cards, real-log meet counts and skill stages. */
async function loadDeck(db: Executor, userId: string, now: Date): Promise<DeckItem[]> {
  const objections = await db
    .selectFrom('objections as o')
    .select(['o.id', 'o.code', 'o.label_zh', 'o.label_en', 'o.zh', 'o.en', 'o.variants'])
    .where((eb) =>
      eb.exists(
        eb.selectFrom('objection_responses as r').select('r.id').whereRef('r.objection_id', '=', 'o.id'),
      ),
    )
    .execute();
  const cards = await db
    .selectFrom('drill_cards')
    .select(['objection_id', 'card'])
    .where('user_id', '=', userId)
    .execute();
  const cardOf = new Map(cards.map((c) => [c.objection_id, c.card]));
  const since = new Date(now.getTime() - MEET_WINDOW_DAYS * DAY_MS).toISOString();
  const meets = await db
    .selectFrom('activities')
    .select(['objection_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', userId)
    .where('objection_id', 'is not', null)
    .where('occurred_at', '>=', since)
    .groupBy('objection_id')
    .execute();
  const metOf = new Map(meets.map((m) => [m.objection_id ?? '', Number(m.n)]));
  const skills = await db
    .selectFrom('skills as s')
    .leftJoin('skill_stages as st', (join) =>
      join.onRef('st.skill_id', '=', 's.id').on('st.user_id', '=', userId),
    )
    .select(['s.id', 's.code', 's.objection_id', 'st.stage'])
    .where('s.objection_id', 'is not', null)
    .execute();
  const codeOf = new Map(objections.map((o) => [o.id, o.code]));
  const skillOf = new Map<string, { id: string; stage: TLearningStage }>();
  for (const s of skills) {
    if (!s.objection_id) continue;
    const isDefault = s.code === skillCodeForObjection(codeOf.get(s.objection_id) ?? '');
    if (isDefault || !skillOf.has(s.objection_id)) {
      skillOf.set(s.objection_id, { id: s.id, stage: (s.stage ?? 1) as TLearningStage });
    }
  }
  return objections.map((o) => {
    const stored = cardOf.get(o.id);
    const skill = skillOf.get(o.id);
    return {
      objectionId: o.id,
      card: stored === undefined ? newCard(now) : parseCard(stored, now),
      isNew: stored === undefined,
      objection: {
        id: o.id,
        code: o.code,
        label: { zh: o.label_zh, en: o.label_en },
        zh: o.zh,
        en: o.en,
        variants: parseVariants(o.variants),
      },
      skillId: skill?.id ?? null,
      stage: skill?.stage ?? 1,
      met: metOf.get(o.id) ?? 0,
    };
  });
}

function countsOf(userId: string, deck: DeckItem[], now: Date): TDueCount {
  let due = 0;
  let fresh = 0;
  let next: number | null = null;
  for (const item of deck) {
    if (item.isNew) {
      fresh += 1;
      continue;
    }
    const at = Date.parse(item.card.due);
    if (at <= now.getTime()) due += 1;
    else if (next === null || at < next) next = at;
  }
  return { userId, due, new: fresh, nextDueAt: next === null ? null : new Date(next).toISOString() };
}

/** The prompt of a card: one of the customer's phrasings, stable until the card is reviewed again. */
const promptFor = (item: Pick<DeckItem, 'objection' | 'card'>, lang: TLang): string =>
  drillPrompt(item.objection, lang, `${item.objection.id}:${item.card.reps}`);

/** The next drills for a rep: due first, then by weight (met often, stage 2); practice-ahead fills the rest. */
export async function getDrillQueue(ctx: ServiceContext, input: TDrillQueueQuery = {}): Promise<TDrillQueue> {
  const query = ZDrillQueueQuery.parse(input);
  const db = ctx.db.kysely;
  const subject = await resolveSubject(ctx, db, query.userId, 'read');
  // In the language of whoever looks (the rep, or their manager); the CLI shows the rep's.
  const lang = await langFor(db, ctx.actor.userId ?? subject.id, query.lang);
  const now = ctx.now();
  const deck = await loadDeck(db, subject.id, now);
  const meetCounts: Record<string, number> = {};
  const stages: Record<string, TLearningStage> = {};
  for (const item of deck) {
    meetCounts[item.objectionId] = item.met;
    stages[item.objectionId] = item.stage;
  }
  const picked = pickDrillQueue(deck, { meetCounts, stages }, now, query.limit);
  return {
    userId: subject.id,
    lang,
    counts: countsOf(subject.id, deck, now),
    items: picked.map(({ item, due, weight }) => ({
      objectionId: item.objectionId,
      objectionCode: item.objection.code,
      title: titleOf(item.objection, lang),
      prompt: promptFor(item, lang),
      skillId: item.skillId,
      stage: item.stage,
      due,
      isNew: item.isNew,
      dueAt: item.card.due,
      cardState: item.card.state,
      weight,
      metRecently: item.met,
    })),
  };
}

/** How many drills are due for a rep (the Today page). */
export async function getDueCount(ctx: ServiceContext, input: { userId?: string } = {}): Promise<TDueCount> {
  const db = ctx.db.kysely;
  const subject = await resolveSubject(ctx, db, input.userId, 'read');
  const now = ctx.now();
  return countsOf(subject.id, await loadDeck(db, subject.id, now), now);
}

/** The prepared response to compare with after answering: the preferred one first, then the alternatives. */
export async function getDrillAnswer(
  ctx: ServiceContext,
  objectionIdOrCode: string,
  input: { lang?: TLang } = {},
): Promise<TDrillAnswer> {
  const db = ctx.db.kysely;
  requireSignedIn(ctx);
  const lang = await resolveLang(db, ctx.actor, input.lang);
  const objection = await findObjectionRow(db, objectionIdOrCode);
  if (!objection) throw notFound('Objection', objectionIdOrCode);
  const responses = await db
    .selectFrom('objection_responses')
    .select(['id', 'code', 'zh', 'en', 'is_preferred', 'created_at'])
    .where('objection_id', '=', objection.id)
    .orderBy('is_preferred', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const otherLang: TLang = lang === 'zh' ? 'en' : 'zh';
  const view = (r: (typeof responses)[number]) => ({
    id: r.id,
    code: r.code,
    text: r[lang] || r[otherLang],
    zh: r.zh,
    en: r.en,
  });
  const preferred = responses.find((r) => r.is_preferred === 1) ?? responses[0];
  return {
    objectionId: objection.id,
    objectionCode: objection.code,
    title: titleOf(
      {
        id: objection.id,
        code: objection.code,
        label: { zh: objection.label_zh, en: objection.label_en },
        zh: objection.zh,
        en: objection.en,
        variants: { zh: [], en: [] },
      },
      lang,
    ),
    lang,
    preferred: preferred ? view(preferred) : null,
    alternatives: responses.filter((r) => r !== preferred).map(view),
  };
}

/**
 * Records a drill review: schedules the rep's card with FSRS, logs the review, and applies it as a practice
 * event to the objection's skill (which may move the stage). One transaction.
 */
export async function reviewDrill(
  ctx: ServiceContext,
  input: TDrillReviewInput,
): Promise<TDrillReviewResult> {
  const data = ZDrillReviewInput.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const subject = await resolveSubject(ctx, trx, data.userId, 'act');
    const objection = await findObjectionRow(trx, data.objectionId);
    if (!objection) throw notFound('Objection', data.objectionId);
    const lang = await langFor(trx, subject.id, data.lang);

    const fresh = newCard(now);
    await trx
      .insertInto('drill_cards')
      .values({
        user_id: subject.id,
        objection_id: objection.id,
        card: JSON.stringify(fresh),
        state: fresh.state,
        due_at: fresh.due,
        reps: 0,
        lapses: 0,
        last_review_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['user_id', 'objection_id']).doNothing())
      .execute();
    // Lock the card before reading it, so two reviews sent at once are applied one after the other.
    await trx
      .updateTable('drill_cards')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('user_id', '=', subject.id)
      .where('objection_id', '=', objection.id)
      .execute();
    const stored = await trx
      .selectFrom('drill_cards')
      .select('card')
      .where('user_id', '=', subject.id)
      .where('objection_id', '=', objection.id)
      .executeTakeFirstOrThrow();
    const before = parseCard(stored.card, now);
    const result = reviewCard(before, data.rating, now);
    await trx
      .updateTable('drill_cards')
      .set({
        card: JSON.stringify(result.card),
        state: result.card.state,
        due_at: result.card.due,
        reps: result.card.reps,
        lapses: result.card.lapses,
        last_review_at: at,
        updated_at: at,
      })
      .where('user_id', '=', subject.id)
      .where('objection_id', '=', objection.id)
      .execute();

    const skill =
      (await trx
        .selectFrom('skills')
        .select('id')
        .where('code', '=', skillCodeForObjection(objection.code))
        .where('objection_id', '=', objection.id)
        .executeTakeFirst()) ??
      (await trx
        .selectFrom('skills')
        .select('id')
        .where('objection_id', '=', objection.id)
        .orderBy('created_at')
        .limit(1)
        .executeTakeFirst());
    const stage = skill
      ? await applyStageEvent(trx, {
          userId: subject.id,
          skillId: skill.id,
          event: learningEventForReview(result),
          now,
          assessedBy: null,
        })
      : null;

    await trx
      .insertInto('drill_reviews')
      .values({
        id: newId(now.getTime()),
        user_id: subject.id,
        objection_id: objection.id,
        skill_id: skill?.id ?? null,
        rating: data.rating,
        lang,
        prompt: data.prompt ?? null,
        answer: data.answer?.trim() ? data.answer.trim() : null,
        log: JSON.stringify(result.log),
        stage_before: stage?.before ?? null,
        stage_after: stage?.stage ?? null,
        reviewed_at: at,
        created_at: at,
      })
      .execute();

    const deck = await loadDeck(trx, subject.id, now);
    return {
      objectionId: objection.id,
      rating: data.rating,
      card: {
        due: result.card.due,
        state: result.card.state,
        stability: result.card.stability,
        scheduledDays: result.card.scheduledDays,
        reps: result.card.reps,
        lapses: result.card.lapses,
      },
      stage:
        stage && skill
          ? { userId: subject.id, skillId: skill.id, stage: stage.stage, transition: stage.transition }
          : null,
      counts: countsOf(subject.id, deck, now),
    };
  });
}
