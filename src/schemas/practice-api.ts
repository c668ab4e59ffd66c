import { z } from 'zod';
import { idOf, ZId } from './common.ts';
import { ZDrillCardState, ZDrillRating, ZLearningRuleCode, ZLearningTransition } from './learning.ts';
import { ZLang, ZLearningStage } from './objections.ts';

/**
 * Skills, learning stages, practice drills and the manager's team view over HTTP and the CLI (issue 5,
 * method §6). State and event shapes are in learning.ts; the rules in src/domain/learning/.
 */

const ZInstant = z.string().describe('ISO-8601 instant');
const ZUserIdQuery = idOf(254)
  .optional()
  .describe(
    'Whose (id, or email from the CLI): default the signed-in user; a manager may name a team member',
  );

export const ZSkillItem = z
  .object({
    id: z.string(),
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    /** Name in the requested language. */
    name: z.string(),
    objectionId: z.string().nullable(),
    objectionCode: z.string().nullable(),
    /** What the rep should be able to do (managers' own skills); empty when none was written. */
    description: z.string(),
    createdBy: z.string().nullable(),
    createdAt: ZInstant,
  })
  .meta({ id: 'Skill' });
export type TSkillItem = z.infer<typeof ZSkillItem>;

export const ZSkillCreate = z
  .object({
    code: z
      .string()
      .trim()
      .max(72)
      .regex(
        /^(?:custom:)?[a-z0-9]+(?:-[a-z0-9]+)*$/,
        'use lowercase letters, digits and dashes, e.g. cold-call-opening',
      )
      .optional()
      .describe(
        'custom:<code>; "custom:" is added when missing; when absent, made from the English name, or without one skill-<N> (the smallest number not taken)',
      ),
    zh: z.string().trim().max(200).default(''),
    en: z.string().trim().max(200).default(''),
    description: z
      .string()
      .trim()
      .max(1000)
      .default('')
      .describe('What the rep should be able to do, in any language (at most 1,000 characters)'),
    objectionId: ZId.optional().describe('An objection this skill is about (id or code), if any'),
  })
  .refine((s) => s.zh.length > 0 || s.en.length > 0, {
    message: 'name the skill in at least one language (zh or en)',
    path: ['zh'],
  })
  .meta({ id: 'SkillCreate' });
export type TSkillCreate = z.input<typeof ZSkillCreate>;

export const ZStageCounts = z.object({
  1: z.number().int(),
  2: z.number().int(),
  3: z.number().int(),
  4: z.number().int(),
});

export const ZSkillStage = z
  .object({
    skill: ZSkillItem,
    stage: ZLearningStage,
    /** When the stage last changed; null when never changed (stage 1 by default). */
    stageSince: ZInstant.nullable(),
    updatedAt: ZInstant.nullable(),
    lastSelfAssessment: z.object({ at: ZInstant, stage: ZLearningStage }).nullable(),
    lastManagerAssessment: z
      .object({ at: ZInstant, stage: ZLearningStage, managerId: z.string() })
      .nullable(),
    practice: z.object({
      reviews: z.number().int(),
      goodStreak: z.number().int(),
      againStreak: z.number().int(),
      lastReviewAt: ZInstant.nullable(),
      /** FSRS stability in days after the latest review. */
      lastStability: z.number().nullable(),
    }),
    /** Logged touches where the skill's objection was met (last 90 days). */
    realUses: z.object({ count: z.number().int(), successes: z.number().int() }),
  })
  .meta({ id: 'SkillStage' });
export type TSkillStage = z.infer<typeof ZSkillStage>;

export const ZRepSkills = z
  .object({
    userId: z.string(),
    name: z.string(),
    lang: ZLang,
    counts: ZStageCounts,
    skills: z.array(ZSkillStage),
  })
  .meta({ id: 'RepSkills' });
export type TRepSkills = z.infer<typeof ZRepSkills>;

export const ZRepQuery = z.object({
  userId: ZUserIdQuery,
  lang: ZLang.optional(),
});
export type TRepQuery = z.input<typeof ZRepQuery>;

export const ZSelfAssessment = z
  .object({
    stage: ZLearningStage.describe('The stage you think you are at (1–4)'),
    userId: ZUserIdQuery,
  })
  .meta({ id: 'SelfAssessment' });
export type TSelfAssessment = z.input<typeof ZSelfAssessment>;

export const ZManagerAssessment = z
  .object({
    userId: z.string().min(1).max(254).describe('The rep assessed (id, or email from the CLI)'),
    stage: ZLearningStage,
    note: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'ManagerAssessment' });
export type TManagerAssessment = z.input<typeof ZManagerAssessment>;

export const ZStageChange = z
  .object({
    userId: z.string(),
    skillId: z.string(),
    stage: ZLearningStage,
    /** The move this event caused, if any (also appended to the history). */
    transition: ZLearningTransition.nullable(),
  })
  .meta({ id: 'StageChange' });
export type TStageChange = z.infer<typeof ZStageChange>;

export const ZStageHistoryQuery = z.object({
  userId: ZUserIdQuery,
  skillId: idOf(80).optional().describe('Only this skill (id or code)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TStageHistoryQuery = z.input<typeof ZStageHistoryQuery>;

export const ZStageHistoryEntry = z
  .object({
    id: z.string(),
    userId: z.string(),
    skillId: z.string(),
    skillCode: z.string(),
    skill: z.object({ zh: z.string(), en: z.string() }),
    from: ZLearningStage,
    to: ZLearningStage,
    rule: ZLearningRuleCode.or(z.string()),
    ruleLabel: z.object({ zh: z.string(), en: z.string() }).nullable(),
    reason: z.string().nullable(),
    /** Who assessed (self or manager); null for automatic moves. */
    assessedBy: z.string().nullable(),
    assessedByName: z.string().nullable(),
    at: ZInstant,
  })
  .meta({ id: 'StageHistoryEntry' });
export type TStageHistoryEntry = z.infer<typeof ZStageHistoryEntry>;

export const ZDrillQueueQuery = z.object({
  userId: ZUserIdQuery,
  lang: ZLang.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type TDrillQueueQuery = z.input<typeof ZDrillQueueQuery>;

export const ZDrillItem = z
  .object({
    objectionId: z.string(),
    objectionCode: z.string(),
    /** The objection's short name in the language. */
    title: z.string(),
    /** The customer's words to answer (one of the objection's phrasings, stable for this card state). */
    prompt: z.string(),
    skillId: z.string().nullable(),
    stage: ZLearningStage,
    /** Due now (or never practised); not due items only fill a session when nothing else is due. */
    due: z.boolean(),
    isNew: z.boolean(),
    dueAt: ZInstant,
    cardState: ZDrillCardState,
    /** Priority: 1 + log2(1 + times met in the last 90 days) + stage bonus (stage 2 highest). */
    weight: z.number(),
    metRecently: z.number().int(),
  })
  .meta({ id: 'DrillItem' });
export type TDrillItem = z.infer<typeof ZDrillItem>;

export const ZDueCount = z
  .object({
    userId: z.string(),
    /** Cards already practised whose review is due now. */
    due: z.number().int(),
    /** Objections never practised yet. */
    new: z.number().int(),
    /** When the next practised card comes due (null when none is scheduled). */
    nextDueAt: ZInstant.nullable(),
  })
  .meta({ id: 'DueCount' });
export type TDueCount = z.infer<typeof ZDueCount>;

export const ZDrillQueue = z
  .object({
    userId: z.string(),
    lang: ZLang,
    counts: ZDueCount,
    items: z.array(ZDrillItem),
  })
  .meta({ id: 'DrillQueue' });
export type TDrillQueue = z.infer<typeof ZDrillQueue>;

const ZAnswerResponse = z.object({
  id: z.string(),
  code: z.string(),
  text: z.string(),
  zh: z.string(),
  en: z.string(),
});

export const ZDrillAnswer = z
  .object({
    objectionId: z.string(),
    objectionCode: z.string(),
    title: z.string(),
    lang: ZLang,
    /** The prepared (preferred) response to compare with. */
    preferred: ZAnswerResponse.nullable(),
    alternatives: z.array(ZAnswerResponse),
  })
  .meta({ id: 'DrillAnswer' });
export type TDrillAnswer = z.infer<typeof ZDrillAnswer>;

export const ZDrillReviewInput = z
  .object({
    objectionId: z.string().min(1).describe('Objection drilled (id or code)'),
    rating: ZDrillRating.describe('How well you recalled the prepared response'),
    prompt: z.string().max(600).optional().describe('The prompt shown'),
    answer: z.string().max(4000).optional().describe('What the rep typed, if anything'),
    lang: ZLang.optional(),
    userId: ZUserIdQuery,
  })
  .meta({ id: 'DrillReviewInput' });
export type TDrillReviewInput = z.input<typeof ZDrillReviewInput>;

export const ZDrillReviewResult = z
  .object({
    objectionId: z.string(),
    rating: ZDrillRating,
    card: z.object({
      due: ZInstant,
      state: ZDrillCardState,
      stability: z.number(),
      scheduledDays: z.number(),
      reps: z.number().int(),
      lapses: z.number().int(),
    }),
    /** The skill's stage after the review; null when the objection has no skill. */
    stage: ZStageChange.nullable(),
    counts: ZDueCount,
  })
  .meta({ id: 'DrillReviewResult' });
export type TDrillReviewResult = z.infer<typeof ZDrillReviewResult>;

export const ZTeamSkillsQuery = z.object({
  teamId: ZId.optional().describe('One team; default every team you manage (admins: everyone)'),
  weeks: z.coerce.number().int().min(1).max(52).default(8).describe('Weeks of practice and objections shown'),
  lang: ZLang.optional(),
});
export type TTeamSkillsQuery = z.input<typeof ZTeamSkillsQuery>;

export const ZTeamSkills = z
  .object({
    teamId: z.string().nullable(),
    lang: ZLang,
    /** ISO weeks shown, oldest first (workspace time zone). */
    weeks: z.array(z.string()),
    from: ZInstant,
    skills: z.array(ZSkillItem),
    /** The matrix: one row per rep, one stage per skill (same order as `skills`). */
    members: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        teamId: z.string().nullable(),
        stages: z.array(
          z.object({ skillId: z.string(), stage: ZLearningStage, stageSince: ZInstant.nullable() }),
        ),
        counts: ZStageCounts,
      }),
    ),
    /** Drill reviews per rep per week (same order as `weeks`). */
    practice: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        perWeek: z.array(z.number().int()),
        total: z.number().int(),
      }),
    ),
    /** Objections the team met most in those weeks, with the share followed by a meeting or next step. */
    objectionsMet: z.array(
      z.object({
        objectionId: z.string(),
        code: z.string().nullable(),
        title: z.string(),
        met: z.number().int(),
        successes: z.number().int(),
        successRate: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'TeamSkills' });
export type TTeamSkills = z.infer<typeof ZTeamSkills>;
