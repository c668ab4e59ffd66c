import { type ScoredStatistics, scoreStatistics } from '../../../../src/domain/tiering/potential-score.ts';
import type { TPotentialStatistic, TTieringSettings } from '../../../../src/schemas/tiering.ts';

/** The rank's place from the top as a percentage (1 of 200 is the top 1%), rounded up. */
export function topPercent(rank: number, of: number): number {
  if (of <= 0) return 100;
  return Math.min(100, Math.max(1, Math.ceil((rank / of) * 100)));
}

/**
 * What a potential score shown is based on, by the tiering settings: one statistic by name (annual sales, or net
 * assets or employees turned into sales-equivalent yuan), 'mixed' for a weighted mean of several; null without a
 * score. So 1.78亿 reads as "按年销售额 1.78亿", not as a revenue of its own.
 */
export function scoreBasis(
  account: ScoredStatistics,
  tiering?: TTieringSettings,
): { key: TPotentialStatistic | 'mixed'; statistics: TPotentialStatistic[] } | null {
  const statistics = scoreStatistics(account, tiering);
  const [only] = statistics;
  if (!only) return null;
  return { key: statistics.length === 1 ? only : 'mixed', statistics };
}
