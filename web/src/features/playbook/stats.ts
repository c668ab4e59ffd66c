import type { TSuccessStats } from '../../../../src/schemas/playbook-api.ts';

/** Below this many uses a share says little: the page says so next to the number. */
export const SMALL_SAMPLE = 5;

export function isSmallSample(stats: Pick<TSuccessStats, 'count'>): boolean {
  return stats.count < SMALL_SAMPLE;
}

/** 0.333 → "33%" in the language's style. */
export function formatShare(rate: number | null, language: string): string {
  if (rate == null) return '–';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}
