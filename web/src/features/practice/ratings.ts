import type { TDrillRating } from '../../api/practice.ts';

/** The four grades, in key order 1–4. */
export const RATINGS: readonly TDrillRating[] = ['again', 'hard', 'good', 'easy'];

export const RATING_COLORS: Record<TDrillRating, string> = {
  again: 'red',
  hard: 'orange',
  good: 'teal',
  easy: 'indigo',
};
