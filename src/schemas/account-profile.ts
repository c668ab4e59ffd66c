import { z } from 'zod';
import { ZIsoDate, ZTier } from './common.ts';
import { ZTierCut } from './tiering.ts';

/**
 * What the account page shows beyond the account record itself (issue 7, "a rep's day"): who owns it, why it
 * has its tier, where it came from and the objections met on it. Read-only; one request per page.
 */

const ZPersonRef = z.object({ id: z.string(), name: z.string() }).meta({ id: 'PersonRef' });
export type TPersonRef = z.infer<typeof ZPersonRef>;

export const ZAccountProfile = z
  .object({
    accountId: z.string(),
    owner: ZPersonRef.nullable(),
    tierOverride: z
      .object({
        tier: ZTier,
        reason: z.string().nullable(),
        by: ZPersonRef.nullable().describe('Who set it (null when unknown, e.g. set from the CLI)'),
        at: z.string().nullable(),
      })
      .nullable()
      .describe('The manual tier, when one is set'),
    tierBasis: z
      .object({
        cut: ZTierCut,
        rank: z
          .number()
          .int()
          .nullable()
          .describe('Place by potential score among in-market accounts (1 = highest); null out of market'),
        inMarket: z.number().int().describe('In-market accounts ranked'),
      })
      .describe('How the computed tier follows from the score'),
    sources: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['purchased', 'free']),
        cost: z.number().nullable().describe('What the list cost, in yuan; null when it was not entered'),
        acquiredOn: ZIsoDate.nullable(),
        line: z.number().int().nullable().describe('Line of the imported file the account came from'),
        addedAt: z.string(),
      }),
    ),
    objections: z
      .array(
        z.object({
          id: z.string(),
          code: z.string(),
          label: z.object({ zh: z.string(), en: z.string() }),
          zh: z.string(),
          en: z.string(),
          met: z.number().int(),
          lastMetAt: z.string(),
          responses: z.array(
            z.object({
              id: z.string(),
              code: z.string(),
              zh: z.string(),
              en: z.string(),
              preferred: z.boolean(),
              used: z.number().int(),
            }),
          ),
        }),
      )
      .describe(
        'Objections met in logged touches on this account, most recent first, with the responses used',
      ),
    people: z.array(ZPersonRef).describe('Everyone who logged a touch on this account'),
  })
  .meta({ id: 'AccountProfile' });
export type TAccountProfile = z.infer<typeof ZAccountProfile>;
