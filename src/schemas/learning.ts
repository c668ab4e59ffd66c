import { z } from 'zod';
import { ZLearningStage } from './objections.ts';

/**
 * Learning-stage state and events (method §6) and practice-drill cards, as persisted JSON.
 * The rules that use them live in src/domain/learning/.
 */

const ZInstant = z.iso.datetime({ offset: true });

/** How well the rep recalled the prepared response in a drill (FSRS grades). */
export const ZDrillRating = z.enum(['again', 'hard', 'good', 'easy']);
export type TDrillRating = z.infer<typeof ZDrillRating>;

export const ZLearningEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('self_assessment'),
    at: ZInstant,
    /** The stage the rep says they are at. */
    stage: ZLearningStage,
  }),
  z.object({
    kind: z.literal('manager_assessment'),
    at: ZInstant,
    stage: ZLearningStage,
    managerId: z.string().min(1),
  }),
  z.object({
    kind: z.literal('practice_review'),
    at: ZInstant,
    rating: ZDrillRating,
    /** FSRS stability in days of the card after this review. */
    stability: z.number().nonnegative(),
  }),
  z.object({
    kind: z.literal('real_outcome'),
    at: ZInstant,
    /** A meeting was booked or a next step agreed after the objection was met in a logged touch. */
    success: z.boolean(),
  }),
]);
export type TLearningEvent = z.infer<typeof ZLearningEvent>;

export const ZLearningState = z.object({
  stage: ZLearningStage,
  /** When the stage last changed; null for a state never changed. */
  stageSince: ZInstant.nullable(),
  lastSelfAssessment: z.object({ at: ZInstant, stage: ZLearningStage }).nullable(),
  lastManagerAssessment: z.object({ at: ZInstant, stage: ZLearningStage, managerId: z.string() }).nullable(),
  practice: z.object({
    reviews: z.number().int().nonnegative(),
    /** Consecutive Good/Easy reviews. */
    goodStreak: z.number().int().nonnegative(),
    /** Distinct local dates (YYYY-MM-DD) of the current Good/Easy streak, at most a few. */
    goodStreakDays: z.array(z.string()),
    /** Consecutive Again reviews. */
    againStreak: z.number().int().nonnegative(),
    /** Good/Easy reviews at least `spacedGapDays` after the previous review, since the last Again. */
    spacedGood: z.number().int().nonnegative(),
    lastReviewAt: ZInstant.nullable(),
    /** FSRS stability (days) after the latest review. */
    lastStability: z.number().nonnegative().nullable(),
  }),
  /** Real uses of the skill in logged touches within the longest rule window, oldest first. */
  realUses: z.array(z.object({ at: ZInstant, success: z.boolean() })),
});
export type TLearningState = z.infer<typeof ZLearningState>;

export const ZLearningRuleCode = z.enum([
  'self-assessment-aware',
  'self-assessment-up',
  'self-assessment-down',
  'practice-aware',
  'practice-steady',
  'fluent-and-effective',
  'practice-failures',
  'real-failures',
  'manager-assessment',
]);
export type TLearningRuleCode = z.infer<typeof ZLearningRuleCode>;

export const ZLearningTransition = z.object({
  from: ZLearningStage,
  to: ZLearningStage,
  rule: ZLearningRuleCode,
  /** English sentence with the numbers that triggered it; the UI can localise from `rule`. */
  reason: z.string(),
  at: ZInstant,
});
export type TLearningTransition = z.infer<typeof ZLearningTransition>;

export const ZDrillCardState = z.enum(['new', 'learning', 'review', 'relearning']);
export type TDrillCardState = z.infer<typeof ZDrillCardState>;

/** An FSRS card as JSON (one per rep and objection). */
export const ZDrillCard = z.object({
  due: ZInstant,
  stability: z.number().nonnegative(),
  difficulty: z.number().nonnegative(),
  elapsedDays: z.number().nonnegative(),
  scheduledDays: z.number().nonnegative(),
  learningSteps: z.number().int().nonnegative(),
  reps: z.number().int().nonnegative(),
  lapses: z.number().int().nonnegative(),
  state: ZDrillCardState,
  lastReview: ZInstant.nullable(),
});
export type TDrillCard = z.infer<typeof ZDrillCard>;

/** One review, as JSON: ts-fsrs's ReviewLog with camelCase keys and ISO dates. */
export const ZDrillReviewLog = z.object({
  rating: ZDrillRating,
  state: ZDrillCardState,
  due: ZInstant,
  stability: z.number().nonnegative(),
  difficulty: z.number().nonnegative(),
  elapsedDays: z.number().nonnegative(),
  lastElapsedDays: z.number().nonnegative(),
  scheduledDays: z.number().nonnegative(),
  learningSteps: z.number().int().nonnegative(),
  review: ZInstant,
});
export type TDrillReviewLog = z.infer<typeof ZDrillReviewLog>;
