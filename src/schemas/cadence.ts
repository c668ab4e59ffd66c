import { z } from 'zod';
import { ZChannel, ZTier } from './common.ts';

/** How often a tier's accounts are contacted on one channel (method §3). */
export const ZCadenceRule = z
  .object({
    tier: ZTier,
    channel: ZChannel,
    intervalMonths: z
      .number()
      .positive()
      .max(120)
      .nullable()
      .describe(
        'Months between touches (fractions allowed: 0.5 = every half month); null = never on this channel',
      ),
  })
  .meta({ id: 'CadenceRule' });
export type TCadenceRule = z.infer<typeof ZCadenceRule>;

/** A set of rules, at most one per tier and channel; tiers and channels left out keep the defaults. */
export const ZCadenceRules = z
  .array(ZCadenceRule)
  .max(6)
  .refine((rules) => new Set(rules.map((r) => `${r.tier}/${r.channel}`)).size === rules.length, {
    message: 'give at most one rule per tier and channel',
  })
  .meta({ id: 'CadenceRules' });
export type TCadenceRules = z.infer<typeof ZCadenceRules>;
