import { z } from 'zod';
import { ZId, ZIsoDate, ZLocalDate, ZRepId } from './common.ts';
import { ZLang, ZObjectionCode, ZObjectionVariants } from './objections.ts';

/**
 * The objection playbook over HTTP and the CLI (issue 5): stored objections and responses with their
 * effectiveness, search, edits and the "what works" report. Content shapes are in objections.ts.
 */

const ZInstant = z.string().describe('ISO-8601 instant');
const textIn = (max: number) => z.string().trim().max(max);
const hasText = (v: { zh?: string | undefined; en?: string | undefined }) =>
  (v.zh ?? '').length > 0 || (v.en ?? '').length > 0;
const NEEDS_TEXT = { message: 'write the text in at least one language (zh or en)', path: ['zh'] };

export const ZLangQuery = z.object({
  lang: ZLang.optional().describe(
    "Language of `title`/`text`; default the user's locale (zh-* → zh, else en)",
  ),
});

const successStatsShape = {
  /** Touches counted: times met for an objection, uses for a response. */
  count: z.number().int(),
  /** Followed by a booked meeting or a next step. */
  successes: z.number().int(),
  successRate: z.number().nullable(),
  /** Lower bound of the 95 % Wilson interval of the success rate: the sort key for "what works". */
  wilsonLower: z.number(),
};

export const ZSuccessStats = z.object(successStatsShape).meta({ id: 'SuccessStats' });
export type TSuccessStats = z.infer<typeof ZSuccessStats>;

export const ZPlaybookResponse = z
  .object({
    id: z.string(),
    objectionId: z.string(),
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    /** The response in the requested language, falling back to the other one. */
    text: z.string(),
    preferred: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: ZInstant,
    updatedAt: ZInstant,
    version: z.number().int(),
    /** Every logged touch where this response was used (whole workspace). */
    stats: ZSuccessStats,
  })
  .meta({ id: 'PlaybookResponse' });
export type TPlaybookResponse = z.infer<typeof ZPlaybookResponse>;

export const ZPlaybookObjection = z
  .object({
    id: z.string(),
    code: z.string(),
    label: z.object({ zh: z.string(), en: z.string() }),
    /** The objection as the playbook states it. */
    zh: z.string(),
    en: z.string(),
    /** How customers actually say it; drill prompts. */
    variants: ZObjectionVariants,
    isDefault: z.boolean(),
    /** The language `title` and `text` (and the responses' `text`) are given in: requested, else the user's. */
    lang: ZLang,
    /** Short name in the requested language (label, else the text). */
    title: z.string(),
    /** The objection in the requested language. */
    text: z.string(),
    /** The default skill "answering this objection". */
    skillId: z.string().nullable(),
    /** Times met in logged touches, and how often a meeting or next step followed (whole workspace). */
    stats: ZSuccessStats,
    /** Preferred first, then as written; or best first with `sort=effectiveness`. */
    responses: z.array(ZPlaybookResponse),
    createdAt: ZInstant,
    updatedAt: ZInstant,
    version: z.number().int(),
  })
  .meta({ id: 'PlaybookObjection' });
export type TPlaybookObjection = z.infer<typeof ZPlaybookObjection>;

export const ZResponseSort = z.enum(['preferred', 'effectiveness']);
export type TResponseSort = z.infer<typeof ZResponseSort>;

export const ZPlaybookQuery = ZLangQuery.extend({
  sort: ZResponseSort.default('preferred').describe(
    'Order of responses: preferred first, or by how well they work (Wilson lower bound)',
  ),
});
export type TPlaybookQuery = z.input<typeof ZPlaybookQuery>;

export const ZPlaybook = z
  .object({
    lang: ZLang,
    sort: ZResponseSort,
    /** The seven defaults in method order, then the team's own, by title in the language's collation. */
    objections: z.array(ZPlaybookObjection),
  })
  .meta({ id: 'Playbook' });
export type TPlaybook = z.infer<typeof ZPlaybook>;

const ZNewResponse = z
  .object({
    code: ZObjectionCode.optional().describe('Stable within the objection; generated when absent'),
    zh: textIn(2000).default(''),
    en: textIn(2000).default(''),
    preferred: z.boolean().optional(),
  })
  .refine(hasText, NEEDS_TEXT);

export const ZObjectionCreate = z
  .object({
    code: ZObjectionCode,
    label: z.object({ zh: textIn(60).default(''), en: textIn(60).default('') }).optional(),
    zh: textIn(500).default(''),
    en: textIn(500).default(''),
    variants: ZObjectionVariants.default({ zh: [], en: [] }),
    responses: z.array(ZNewResponse).max(50).default([]),
  })
  .refine(hasText, NEEDS_TEXT)
  .refine((o) => o.responses.filter((r) => r.preferred).length <= 1, {
    message: 'mark at most one response as preferred (the first is preferred when none is)',
    path: ['responses'],
  })
  .meta({ id: 'ObjectionCreate' });
export type TObjectionCreate = z.input<typeof ZObjectionCreate>;

export const ZObjectionUpdate = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale one answers 409'),
    label: z.object({ zh: textIn(60), en: textIn(60) }).optional(),
    zh: textIn(500).optional(),
    en: textIn(500).optional(),
    variants: ZObjectionVariants.optional(),
  })
  .meta({ id: 'ObjectionUpdate' });
export type TObjectionUpdate = z.input<typeof ZObjectionUpdate>;

export const ZResponseCreate = ZNewResponse.meta({ id: 'ResponseCreate' });
export type TResponseCreate = z.input<typeof ZResponseCreate>;

export const ZResponseUpdate = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .describe('The version of the response you read; a stale one answers 409'),
    zh: textIn(2000).optional(),
    en: textIn(2000).optional(),
  })
  .meta({ id: 'ResponseUpdate' });
export type TResponseUpdate = z.input<typeof ZResponseUpdate>;

export const ZSetPreferred = z
  .object({
    responseId: z.string().min(1).describe('Id or code of the response to prefer'),
    version: z.number().int().min(1).describe('The version of the objection you read'),
  })
  .meta({ id: 'SetPreferred' });
export type TSetPreferred = z.input<typeof ZSetPreferred>;

export const ZSearchQuery = ZLangQuery.extend({
  q: z.string().trim().min(1).max(200).describe('Chinese fragment (预算, 价格太高) or English words'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type TSearchQuery = z.input<typeof ZSearchQuery>;

export const ZSearchHit = z
  .object({
    objection: ZPlaybookObjection,
    /** Higher is better: 4 exact phrase + 2 every term + share of grams (see rankMatches). */
    score: z.number(),
    /** The query occurs as typed in the objection or one of the matched responses. */
    exact: z.boolean(),
    matched: z.object({
      /** The objection's own text (incl. labels and phrasings) matched. */
      objection: z.boolean(),
      /** Responses of this objection that matched, best first. */
      responseIds: z.array(z.string()),
    }),
  })
  .meta({ id: 'SearchHit' });
export type TSearchHit = z.infer<typeof ZSearchHit>;

export const ZSearchResult = z
  .object({
    query: z.string(),
    lang: ZLang,
    /** Objections matched (directly or by a response), before `limit`; a lower bound when `truncated`. */
    total: z.number().int(),
    /**
     * A very common fragment matched more entries than are ranked (300 objections and 300 responses): the hits
     * are the best of a sample. Add a character or a word for a complete list.
     */
    truncated: z.boolean(),
    hits: z.array(ZSearchHit),
  })
  .meta({ id: 'SearchResult' });
export type TSearchResult = z.infer<typeof ZSearchResult>;

export const ZEffectivenessGroupBy = z.enum(['all', 'user', 'team']);
export const ZEffectivenessPeriod = z.enum(['all', 'week', 'month']);

export const ZEffectivenessQuery = z
  .object({
    groupBy: ZEffectivenessGroupBy.default('all').describe('Totals, per rep or per team'),
    period: ZEffectivenessPeriod.default('all').describe(
      'Over time: ISO weeks or months (workspace time zone)',
    ),
    from: ZLocalDate.optional().describe('First day (workspace time zone), inclusive'),
    to: ZLocalDate.optional().describe('Last day (workspace time zone), inclusive'),
    objectionId: ZId.optional().describe('Only this objection (id or code)'),
    userId: ZRepId.optional().describe('Only this rep'),
    teamId: ZId.optional().describe('Only this team'),
  })
  // A period that ends before it starts is a mistake (the days swapped), not an empty report.
  .superRefine((query, ctx) => {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `from (${query.from}) must not be after to (${query.to})`,
        input: query.from,
      });
    }
  });
export type TEffectivenessQuery = z.input<typeof ZEffectivenessQuery>;

const ZResponseEffectiveness = z.object({
  ...successStatsShape,
  responseId: z.string(),
  responseCode: z.string().nullable(),
});

export const ZEffectivenessRow = z
  .object({
    ...successStatsShape,
    objectionId: z.string(),
    objectionCode: z.string().nullable(),
    label: z.object({ zh: z.string(), en: z.string() }).nullable(),
    groupId: z.string().nullable(),
    /** The rep's or team's name for those groupings. */
    groupName: z.string().nullable(),
    /** `2026-W05` or `2026-05`; null for period=all. */
    period: z.string().nullable(),
    /** Responses used, best first (Wilson lower bound, then uses). */
    responses: z.array(ZResponseEffectiveness),
    /** Touches where the objection was met but no response was recorded. */
    noResponse: ZSuccessStats,
  })
  .meta({ id: 'EffectivenessRow' });
export type TEffectivenessRow = z.infer<typeof ZEffectivenessRow>;

export const ZEffectivenessReport = z
  .object({
    groupBy: ZEffectivenessGroupBy,
    period: ZEffectivenessPeriod,
    timeZone: z.string(),
    from: ZIsoDate.nullable(),
    to: ZIsoDate.nullable(),
    /** Touches with an objection that the report counts. */
    touches: z.number().int(),
    /** By period, then group, then most met first. */
    rows: z.array(ZEffectivenessRow),
  })
  .meta({ id: 'EffectivenessReport' });
export type TEffectivenessReport = z.infer<typeof ZEffectivenessReport>;
