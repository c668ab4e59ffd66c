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

/** A rule as stored, with its version: 0 for a tier and channel never saved (the method's default applies). */
export const ZCadenceRuleStored = ZCadenceRule.extend({
  version: z
    .number()
    .int()
    .min(0)
    .describe(
      'Goes up by one with every change of this tier and channel (0: never saved, the default applies); send it back with a change',
    ),
}).meta({ id: 'CadenceRuleStored' });
export type TCadenceRuleStored = z.infer<typeof ZCadenceRuleStored>;

/** A change of one tier and channel, made on the version read. */
export const ZCadenceRuleChange = ZCadenceRule.extend({
  version: z
    .number()
    .int()
    .min(0)
    .describe(
      'The version of this tier and channel you read (CadenceRuleStored.version); a stale one answers 409 version_conflict with every rule as it is now',
    ),
}).meta({ id: 'CadenceRuleChange' });
export type TCadenceRuleChange = z.infer<typeof ZCadenceRuleChange>;
