import { z } from 'zod';

const amount = (what: string) => z.number().finite().describe(what);
const places = (what: string) =>
  z
    .array(z.string().trim().min(1).max(64))
    .max(2000)
    .describe(
      `${what}; empty or absent means any. Suffixes are optional (上海 = 上海市), English is case-insensitive`,
    );

/**
 * Target-market criteria as stored: the fields, without the check that each minimum is at most its maximum (a
 * version saved before that check was made reads as it was saved). What is sent to be previewed or saved is
 * ZMarketCriteria.
 */
export const ZStoredMarketCriteria = z.object({
  minAnnualSales: amount('Annual sales at least this many yuan').optional(),
  maxAnnualSales: amount('Annual sales at most this many yuan').optional(),
  minEmployees: z
    .number()
    .int()
    .min(0)
    .describe('Employees at least this many, compared with the lower bound of the range (100-499 meets 100)')
    .optional(),
  maxEmployees: z
    .number()
    .int()
    .min(0)
    .describe('Employees at most this many, also compared with the lower bound of the range')
    .optional(),
  minNetAssets: amount('Net assets at least this many yuan').optional(),
  maxNetAssets: amount('Net assets at most this many yuan').optional(),
  provinces: places('Provinces').optional(),
  cities: places('Cities').optional(),
  districts: places('Districts').optional(),
  industries: z
    .array(z.string().trim().min(1).max(128))
    .max(2000)
    .describe('Industries (exact, case-insensitive); empty or absent means any')
    .optional(),
  sourceIds: z
    .array(z.string().min(1))
    .max(2000)
    .describe('Import sources; an account matches when it came from any of them')
    .optional(),
  territoryId: z.string().min(1).describe('Only accounts in this territory').optional(),
});

/** The minimum and maximum of each range criterion: a minimum above its maximum matches no account. */
export const MARKET_RANGES = [
  ['minEmployees', 'maxEmployees'],
  ['minAnnualSales', 'maxAnnualSales'],
  ['minNetAssets', 'maxNetAssets'],
] as const;

/**
 * Target-market criteria (method §1): every present criterion must hold; absent ones do not constrain. A minimum
 * above its maximum (minEmployees 500, maxEmployees 100) is refused at the minimum, naming the maximum too: it
 * could match nobody.
 */
export const ZMarketCriteria = ZStoredMarketCriteria.superRefine((criteria, ctx) => {
  for (const [min, max] of MARKET_RANGES) {
    const low = criteria[min];
    const high = criteria[max];
    if (low !== undefined && high !== undefined && low > high) {
      ctx.addIssue({
        code: 'custom',
        path: [min],
        message: `${low} is more than ${max} (${high}): no account could match`,
        input: low,
      });
    }
  }
}).meta({ id: 'MarketCriteria' });
export type TMarketCriteria = z.infer<typeof ZStoredMarketCriteria>;
