import { z } from 'zod';
import { ZTier } from './common.ts';
import { ZMarketCriteria } from './market.ts';

export const ZMarketDefinition = z
  .object({
    id: z.string(),
    version: z.number().int(),
    criteria: ZMarketCriteria,
    isWidening: z.boolean(),
    note: z.string().nullable(),
    matching: z.number().int(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MarketDefinition' });
export type TMarketDefinition = z.infer<typeof ZMarketDefinition>;

export const ZMarketPreview = z
  .object({
    total: z.number().int(),
    matching: z.number().int(),
    withRelationship: z.number().int().describe('Matching accounts that already have a logged touch'),
    byProvince: z.array(z.object({ province: z.string().nullable(), count: z.number().int() })),
    byCity: z.array(
      z.object({ province: z.string().nullable(), city: z.string().nullable(), count: z.number().int() }),
    ),
    currentVersion: z.number().int().nullable(),
    isWidening: z.boolean().describe('Saving would widen the current market: an explicit, recorded step'),
    widened: z.array(z.string()).describe('Criteria that were relaxed'),
    currentCoverage: z
      .object({ matching: z.number().int(), withRelationship: z.number().int() })
      .nullable()
      .describe('How much of the current market already has a relationship'),
  })
  .meta({ id: 'MarketPreview' });
export type TMarketPreview = z.infer<typeof ZMarketPreview>;

export const ZMarketSave = z
  .object({
    criteria: ZMarketCriteria,
    note: z.string().trim().max(1000).optional(),
    widen: z.boolean().optional().describe('Confirms a change that widens the market (method §1)'),
  })
  .meta({ id: 'MarketSave' });
export type TMarketSave = z.infer<typeof ZMarketSave>;

export const ZTierCounts = z
  .object({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    outOfMarket: z.number().int(),
    overridden: z.number().int(),
  })
  .meta({ id: 'TierCounts' });
export type TTierCounts = z.infer<typeof ZTierCounts>;

export const ZMarketSaveResult = z
  .object({
    version: z.number().int(),
    matching: z.number().int(),
    isWidening: z.boolean(),
    tiers: ZTierCounts,
  })
  .meta({ id: 'MarketSaveResult' });

export const ZTierOverride = z
  .object({
    tier: ZTier.nullable().describe('null removes the override'),
    reason: z.string().trim().min(1, 'say why the tier is overridden').max(500),
  })
  .meta({ id: 'TierOverride' });
export type TTierOverride = z.infer<typeof ZTierOverride>;
