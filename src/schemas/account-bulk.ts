import { z } from 'zod';
import { ZPipelineStage, ZTier } from './common.ts';
import { ZAccountQueryJson } from './saved-view.ts';

/** The most accounts one bulk action changes; a larger selection is refused with a clear message. */
export const MAX_BULK_ACCOUNTS = 100_000;
/** The most ids one request may list; larger selections are sent as the filter. */
export const MAX_BULK_IDS = 10_000;

const selection = {
  ids: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(MAX_BULK_IDS, `list at most ${MAX_BULK_IDS} ids; select by the filter instead`)
    .optional()
    .describe('These accounts (all must be yours to see, else 404 and nothing changes)…'),
  filter: ZAccountQueryJson.optional().describe(
    `…or every account the list shows with these filters (at most ${MAX_BULK_ACCOUNTS})`,
  ),
  expectedCount: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'With a filter: how many accounts the list showed; when the filter now matches another number, 409',
    ),
};

const exactlyOne = <T extends { ids?: unknown; filter?: unknown }>(value: T) =>
  (value.ids ? 1 : 0) + (value.filter ? 1 : 0) === 1;
const exactlyOneIssue = { message: 'give either ids or filter', path: ['ids'] };

export const ZBulkAssign = z
  .object({ ...selection, toUserId: z.string().min(1).max(64).describe('The person who takes them over') })
  .refine(exactlyOne, exactlyOneIssue)
  .meta({ id: 'BulkAssign' });
export type TBulkAssign = z.infer<typeof ZBulkAssign>;

export const ZBulkTierOverride = z
  .object({
    ...selection,
    tier: ZTier.nullable().describe('null removes the override'),
    reason: z.string().trim().min(1, 'say why the tier is overridden').max(500),
  })
  .refine(exactlyOne, exactlyOneIssue)
  .meta({ id: 'BulkTierOverride' });
export type TBulkTierOverride = z.infer<typeof ZBulkTierOverride>;

export const ZBulkStage = z
  .object({ ...selection, stage: ZPipelineStage })
  .refine(exactlyOne, exactlyOneIssue)
  .meta({ id: 'BulkStage' });
export type TBulkStage = z.infer<typeof ZBulkStage>;

export const BULK_SKIP_REASONS = ['already_owner', 'out_of_market', 'no_override', 'unchanged'] as const;
export const ZBulkSkipReason = z.enum(BULK_SKIP_REASONS);
export type TBulkSkipReason = z.infer<typeof ZBulkSkipReason>;

export const ZBulkResult = z
  .object({
    matched: z.number().int().describe('Accounts selected'),
    changed: z.number().int(),
    skipped: z.array(
      z.object({
        reason: ZBulkSkipReason.describe(
          'already_owner: the person owns it already; out_of_market: no tier to override; no_override: nothing to remove; unchanged: it is so already',
        ),
        count: z.number().int(),
        ids: z.array(z.string()).describe('The first 20'),
      }),
    ),
    plannedTouches: z.number().int().optional().describe('Assign: planned calls and visits moved with them'),
  })
  .meta({ id: 'BulkResult' });
export type TBulkResult = z.infer<typeof ZBulkResult>;
