import { z } from 'zod';
import { ZTier } from './common.ts';
import { ZMarketCriteria, ZStoredMarketCriteria } from './market.ts';

export const ZMarketDefinition = z
  .object({
    id: z.string(),
    version: z.number().int(),
    criteria: ZStoredMarketCriteria,
    isWidening: z.boolean(),
    note: z.string().nullable(),
    matching: z
      .number()
      .int()
      .describe(
        'Accounts in the market when this version was saved (not kept up to date: imports and edits since move accounts in and out; MarketState.inMarket counts them now)',
      ),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MarketDefinition' });
export type TMarketDefinition = z.infer<typeof ZMarketDefinition>;

export const ZMarketState = z
  .object({
    current: ZMarketDefinition.nullable(),
    versions: z.array(ZMarketDefinition),
    inMarket: z
      .number()
      .int()
      .describe(
        'Accounts in the current market now, in the whole workspace (as the tiers count them; current.matching is the count when it was saved); 0 before the first version',
      ),
  })
  .meta({ id: 'MarketState' });
export type TMarketState = z.infer<typeof ZMarketState>;

/** A criterion's field that can name a value no account has. */
export const MARKET_VALUE_FIELDS = ['provinces', 'cities', 'districts', 'industries'] as const;

export const ZUnknownMarketValue = z
  .object({
    field: z.enum(MARKET_VALUE_FIELDS),
    value: z.string(),
  })
  .meta({ id: 'UnknownMarketValue' });
export type TUnknownMarketValue = z.infer<typeof ZUnknownMarketValue>;

export const ZMarketPreview = z
  .object({
    total: z.number().int(),
    matching: z.number().int(),
    withRelationship: z.number().int().describe('Matching accounts that already have a logged touch'),
    byProvince: z.array(z.object({ province: z.string().nullable(), count: z.number().int() })),
    byCity: z.array(
      z.object({ province: z.string().nullable(), city: z.string().nullable(), count: z.number().int() }),
    ),
    unknownValues: z
      .array(ZUnknownMarketValue)
      .describe(
        'Province, city, district and industry values of the criteria that no account has at all (a typo, or a place named in a way no account is): each alone matches nothing. Suffixes are optional and English province names such as Jiangsu match their Chinese name, as in matching',
      ),
    currentVersion: z.number().int().nullable(),
    isWidening: z.boolean().describe('Saving would widen the current market: an explicit, recorded step'),
    widened: z.array(z.string()).describe('Criteria that were relaxed'),
    currentCoverage: z
      .object({ matching: z.number().int(), withRelationship: z.number().int() })
      .nullable()
      .describe('How much of the current market already has a relationship'),
    plan: z
      .object({
        leaving: z
          .number()
          .int()
          .describe('Accounts in the market now that these criteria leave out: saving takes them out of it'),
        openTouches: z
          .number()
          .int()
          .describe(
            'Their open planned calls and visits (status planned), which saving would cancel: an account outside the market has no plan',
          ),
        entering: z
          .number()
          .int()
          .describe(
            'Accounts not in the market now that these criteria bring in: they come in without a plan',
          ),
      })
      .describe(
        'What saving these criteria would do to the contact plan (MarketSaveResult.plan after the save)',
      ),
  })
  .meta({ id: 'MarketPreview' });
export type TMarketPreview = z.infer<typeof ZMarketPreview>;

export const ZMarketSave = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .nullable()
      .describe(
        'The current version your criteria start from (MarketDefinition.version; null before the first save). When someone saved a newer one since, nothing is saved: 409 version_conflict with the current definition',
      ),
    criteria: ZMarketCriteria,
    note: z.string().trim().max(1000).optional(),
    widen: z.boolean().optional().describe('Confirms a change that widens the market (method §1)'),
  })
  .meta({ id: 'MarketSave' });
export type TMarketSave = z.infer<typeof ZMarketSave>;
/**
 * What `saveMarket` takes: `version` left out saves over whatever is current, for callers that read nothing a person
 * could have seen go stale (the demo workspace, tests); the API and the CLI always send it.
 */
export type TMarketSaveInput = Omit<TMarketSave, 'version'> & { version?: TMarketSave['version'] };

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
    plan: z
      .object({
        leftMarket: z.number().int().describe('Accounts that were in the market and are not any more'),
        cancelledTouches: z
          .number()
          .int()
          .describe(
            'Their open planned calls and visits, cancelled: an account outside the market has no plan',
          ),
        entered: z
          .number()
          .int()
          .describe('Accounts that came into the market: they have no plan until the reps are re-planned'),
      })
      .describe('What the save did to the contact plan'),
  })
  .meta({ id: 'MarketSaveResult' });
export type TMarketSaveResult = z.infer<typeof ZMarketSaveResult>;

export const ZTierOverride = z
  .object({
    tier: ZTier.nullable().describe('null removes the override'),
    reason: z.string().trim().min(1, 'say why the tier is overridden').max(500),
    version: z
      .number()
      .int()
      .min(1)
      .describe("The account's version you read (Account.version); a stale one answers 409 version_conflict"),
  })
  .meta({ id: 'TierOverride' });
export type TTierOverride = z.infer<typeof ZTierOverride>;
