import { z } from 'zod';

/**
 * Objection playbook, skills and learning stages (method §5, §6).
 *
 * These are the content shapes: what the default playbook ships and what an edit form sends.
 * Storage adds its own columns (id, team, version, timestamps) with `.extend({...})`.
 */

export const ZLang = z.enum(['zh', 'en']);
export type TLang = z.infer<typeof ZLang>;

/** Stable, URL-safe code: lowercase letters, digits and single dashes (`price-too-high`). */
export const ZObjectionCode = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'use lowercase letters, digits and single dashes, e.g. price-too-high',
  );
export type TObjectionCode = z.infer<typeof ZObjectionCode>;

// Text in both languages. A team may leave one language empty; the other must then be filled.
const text = (maxChars: number) => z.string().trim().max(maxChars);
const hasText = (v: { zh: string; en: string }): boolean => v.zh.length > 0 || v.en.length > 0;
const NEEDS_TEXT = { message: 'write the text in at least one language (zh or en)', path: ['zh'] };

export const ZObjectionResponse = z
  .object({
    /** Stable within its objection (`bring-and-walk-through`). */
    code: ZObjectionCode,
    zh: text(2000),
    en: text(2000),
    /** Exactly one response per objection is preferred: the one shown first during a call. */
    preferred: z.boolean(),
  })
  .refine(hasText, NEEDS_TEXT);
export type TObjectionResponse = z.infer<typeof ZObjectionResponse>;

/** How a customer might actually phrase the objection; used as drill prompts. */
export const ZObjectionVariants = z.object({
  zh: z.array(z.string().trim().min(1).max(300)).max(20),
  en: z.array(z.string().trim().min(1).max(300)).max(20),
});
export type TObjectionVariants = z.infer<typeof ZObjectionVariants>;

export const ZObjection = z
  .object({
    code: ZObjectionCode,
    /** Short name for pick lists and skill names (`价格太高` / `Price too high`); optional for team-added ones. */
    label: z.object({ zh: text(60), en: text(60) }).optional(),
    zh: text(500),
    en: text(500),
    variants: ZObjectionVariants,
    responses: z.array(ZObjectionResponse).max(50),
  })
  .refine(hasText, NEEDS_TEXT)
  .superRefine((o, ctx) => {
    const preferred = o.responses.filter((r) => r.preferred).length;
    if (o.responses.length > 0 && preferred !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['responses'],
        message: `mark exactly one response as preferred (found ${preferred})`,
      });
    }
    const seen = new Set<string>();
    o.responses.forEach((r, i) => {
      if (seen.has(r.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['responses', i, 'code'],
          message: `response code ${r.code} is used twice in this objection; give each response its own code`,
        });
      }
      seen.add(r.code);
    });
  });
export type TObjection = z.infer<typeof ZObjection>;

/** 1..4, method §6. */
export const ZLearningStage = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type TLearningStage = z.infer<typeof ZLearningStage>;

export interface LearningStageInfo {
  stage: TLearningStage;
  key:
    | 'unconscious-incompetence'
    | 'conscious-incompetence'
    | 'conscious-competence'
    | 'unconscious-competence';
  en: string;
  /** Wording of the seed text (customer-management.zh.txt). */
  zh: string;
  /** The common textbook term, for short labels. */
  zhShort: string;
}

export const LEARNING_STAGES: readonly LearningStageInfo[] = [
  {
    stage: 1,
    key: 'unconscious-incompetence',
    en: 'Unconscious incompetence',
    zh: '意识不到自己的无能',
    zhShort: '无意识的无能',
  },
  {
    stage: 2,
    key: 'conscious-incompetence',
    en: 'Conscious incompetence',
    zh: '意识到自己的无能',
    zhShort: '有意识的无能',
  },
  {
    stage: 3,
    key: 'conscious-competence',
    en: 'Conscious competence',
    zh: '意识到自己的能力',
    zhShort: '有意识的有能',
  },
  {
    stage: 4,
    key: 'unconscious-competence',
    en: 'Unconscious competence',
    zh: '对自己能力的不加意识',
    zhShort: '无意识的有能',
  },
];

/** Skill codes: `objection:<objection code>` for the default skill of an objection, `custom:<code>` for manager-added ones. */
export const ZSkillCode = z
  .string()
  .max(80)
  .regex(
    /^(?:objection|custom):[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'use objection:<objection-code> or custom:<code>, e.g. objection:price-too-high',
  );

export const ZSkill = z
  .object({
    code: ZSkillCode,
    /** The objection this skill answers, or null for a skill a manager added. */
    objectionCode: ZObjectionCode.nullable(),
    zh: text(200),
    en: text(200),
  })
  .refine(hasText, NEEDS_TEXT);
export type TSkill = z.infer<typeof ZSkill>;
