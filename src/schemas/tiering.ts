import { z } from 'zod';

export const ZPotentialStatistic = z.enum(['annualSales', 'netAssets', 'employees']);
export type TPotentialStatistic = z.infer<typeof ZPotentialStatistic>;

/** How scores become tiers: by rank among in-market accounts, or by fixed score thresholds. */
export const ZTierCut = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('rank'),
    aPercent: z.number().min(0).max(100).describe('Share of in-market accounts ranked A (top)'),
    bPercent: z.number().min(0).max(100).describe('Share ranked B (next); the rest are C'),
  }),
  z.object({
    method: z.literal('thresholds'),
    aMinScore: z.number().describe('Score (sales-equivalent yuan) at or above which an account is A'),
    bMinScore: z.number().describe('Score at or above which an account is B; below is C'),
  }),
]);
export type TTierCut = z.infer<typeof ZTierCut>;

/**
 * Potential scoring and tier cut (method §2). Every statistic is first turned into sales-equivalent yuan
 * (net assets × factors.netAssets, employees' lower bound × factors.employees), so scores of accounts with
 * different data are comparable and thresholds read as yuan.
 */
export const ZTieringSettings = z
  .object({
    cut: ZTierCut.default({ method: 'rank', aPercent: 20, bPercent: 30 }).refine(
      (cut) => cut.method !== 'rank' || cut.aPercent + cut.bPercent <= 100,
      { message: 'aPercent + bPercent must not exceed 100' },
    ),
    weights: z
      .object({
        annualSales: z.number().min(0).default(1),
        netAssets: z.number().min(0).default(0),
        employees: z.number().min(0).default(0),
      })
      .default({ annualSales: 1, netAssets: 0, employees: 0 })
      .describe(
        'Weighted mean over the weighted statistics an account has; when it has none of them, fallbackOrder decides',
      ),
    fallbackOrder: z
      .array(ZPotentialStatistic)
      .default(['annualSales', 'netAssets', 'employees'])
      .describe('When no weighted statistic is known, the first known one in this order is the score'),
    factors: z
      .object({
        netAssets: z.number().positive().default(1.5).describe('Yuan of annual sales per yuan of net assets'),
        employees: z.number().positive().default(500_000).describe('Yuan of annual sales per employee'),
      })
      .default({ netAssets: 1.5, employees: 500_000 }),
  })
  .meta({ id: 'TieringSettings' });
export type TTieringSettings = z.infer<typeof ZTieringSettings>;
