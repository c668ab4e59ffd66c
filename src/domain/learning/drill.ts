import { type Card, createEmptyCard, fsrs, type Grade, Rating, type ReviewLog, State } from 'ts-fsrs';
import type {
  TDrillCard,
  TDrillCardState,
  TDrillRating,
  TDrillReviewLog,
  TLearningEvent,
} from '../../schemas/learning.ts';
import type { TLang, TLearningStage, TObjection } from '../../schemas/objections.ts';

/**
 * Practice drills: one FSRS card per (rep, objection). The drill shows the objection as a customer
 * might say it, the rep answers, sees the prepared response and rates their recall
 * (again / hard / good / easy). Cards are plain JSON (ISO dates) so the service can store them.
 *
 * The scheduler is ts-fsrs 5 with its default parameters and fuzz off, so the same reviews
 * always give the same schedule.
 */

const scheduler = fsrs({ enable_fuzz: false });

const STATE_TO_JSON: Record<State, TDrillCardState> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const STATE_FROM_JSON: Record<TDrillCardState, State> = {
  new: State.New,
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};
const RATING_TO_GRADE: Record<TDrillRating, Grade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};
const GRADE_TO_RATING: Record<Grade, TDrillRating> = {
  [Rating.Again]: 'again',
  [Rating.Hard]: 'hard',
  [Rating.Good]: 'good',
  [Rating.Easy]: 'easy',
};

function toJson(card: Card): TDrillCard {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATE_TO_JSON[card.state],
    lastReview: card.last_review ? card.last_review.toISOString() : null,
  };
}

function fromJson(card: TDrillCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATE_FROM_JSON[card.state],
    ...(card.lastReview === null ? {} : { last_review: new Date(card.lastReview) }),
  };
}

function logToJson(log: ReviewLog): TDrillReviewLog {
  return {
    rating: GRADE_TO_RATING[log.rating as Grade],
    state: STATE_TO_JSON[log.state],
    due: log.due.toISOString(),
    stability: log.stability,
    difficulty: log.difficulty,
    elapsedDays: log.elapsed_days,
    lastElapsedDays: log.last_elapsed_days,
    scheduledDays: log.scheduled_days,
    learningSteps: log.learning_steps,
    review: log.review.toISOString(),
  };
}

/** A fresh card, due now. */
export function newCard(now: Date): TDrillCard {
  return toJson(createEmptyCard(now));
}

export interface DrillReviewResult {
  card: TDrillCard;
  log: TDrillReviewLog;
}

/** Schedules the card after a review rated at `now`. */
export function reviewCard(card: TDrillCard, rating: TDrillRating, now: Date): DrillReviewResult {
  const { card: next, log } = scheduler.next(fromJson(card), now, RATING_TO_GRADE[rating]);
  return { card: toJson(next), log: logToJson(log) };
}

/** The learning-stage event a review produces (see stage-rules.ts). */
export function learningEventForReview(result: DrillReviewResult): TLearningEvent {
  return {
    kind: 'practice_review',
    at: result.log.review,
    rating: result.log.rating,
    stability: result.card.stability,
  };
}

export interface DrillItem {
  objectionId: string;
  card: TDrillCard;
}

const isDue = (card: TDrillCard, now: Date): boolean => Date.parse(card.due) <= now.getTime();

/** Items whose card is due at `now`, earliest due first (ties by objection id). */
export function dueCards<T extends DrillItem>(items: readonly T[], now: Date): T[] {
  return items
    .filter((i) => isDue(i.card, now))
    .sort(
      (a, b) => Date.parse(a.card.due) - Date.parse(b.card.due) || compareText(a.objectionId, b.objectionId),
    );
}

export interface DrillContext {
  /** How often this rep met each objection in real logs (e.g. the last 90 days), by objection id. */
  meetCounts: Readonly<Record<string, number>>;
  /** The rep's stage for each objection's skill, by objection id. */
  stages: Readonly<Record<string, TLearningStage>>;
}

export interface DrillQueueEntry<T> {
  item: T;
  due: boolean;
  weight: number;
}

const STAGE_BONUS: Record<TLearningStage, number> = { 1: 1, 2: 2, 3: 0.5, 4: 0 };
const UNKNOWN_STAGE_BONUS = 1;

/**
 * Priority of an objection in the drill queue:
 *   weight = 1 + log2(1 + times met in real logs) + stage bonus
 *   stage bonus: stage 2 -> 2 (the stage drills are for), stage 1 or unknown -> 1, stage 3 -> 0.5,
 *   stage 4 -> 0.
 * So a stage-2 objection met 3 times (1 + 2 + 2 = 5) comes before a stage-4 one met 15 times
 * (1 + 4 + 0 = 5, tie broken by due date), and frequent objections gain with diminishing returns.
 */
export function drillWeight(objectionId: string, context: DrillContext): number {
  const meets = Math.max(0, context.meetCounts[objectionId] ?? 0);
  const stage = context.stages[objectionId];
  return 1 + Math.log2(1 + meets) + (stage === undefined ? UNKNOWN_STAGE_BONUS : STAGE_BONUS[stage]);
}

/**
 * The next `limit` drills: every due card before any card not yet due (practising ahead fills the
 * rest of a session); within each group, higher `drillWeight` first, then earlier due, then
 * objection id. Deterministic: no randomness.
 */
export function pickDrillQueue<T extends DrillItem>(
  items: readonly T[],
  context: DrillContext,
  now: Date,
  limit: number,
): DrillQueueEntry<T>[] {
  if (limit <= 0) return [];
  return items
    .map((item) => ({
      item,
      due: isDue(item.card, now),
      weight: drillWeight(item.objectionId, context),
      dueAt: Date.parse(item.card.due),
    }))
    .sort(
      (a, b) =>
        Number(b.due) - Number(a.due) ||
        b.weight - a.weight ||
        a.dueAt - b.dueAt ||
        compareText(a.item.objectionId, b.item.objectionId),
    )
    .slice(0, limit)
    .map(({ item, due, weight }) => ({ item, due, weight }));
}

/**
 * The prompt for a drill: one of the objection's "as the customer says it" variants in `lang`,
 * chosen by `seed` (same seed, same prompt). Falls back to the objection text in `lang`, then to
 * the other language.
 */
export function drillPrompt(
  objection: Pick<TObjection, 'zh' | 'en' | 'variants'>,
  lang: TLang,
  seed: number | string,
): string {
  const other: TLang = lang === 'zh' ? 'en' : 'zh';
  const pools = [objection.variants[lang], [objection[lang]], objection.variants[other], [objection[other]]];
  for (const pool of pools) {
    const usable = pool.filter((t) => t.trim() !== '');
    if (usable.length > 0) return usable[hashSeed(seed) % usable.length] ?? '';
  }
  return '';
}

// FNV-1a, 32-bit: a stable spread of seeds over the variants.
function hashSeed(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
