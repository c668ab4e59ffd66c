import type { TDrillRating } from '../../api/practice.ts';

/** The four grades, in key order 1–4. */
export const RATINGS: readonly TDrillRating[] = ['again', 'hard', 'good', 'easy'];

export const RATING_COLORS: Record<TDrillRating, string> = {
  again: 'red',
  hard: 'orange',
  good: 'teal',
  easy: 'indigo',
};

/** Text colours dark enough (4.5:1) on their own tinted background, for badges. */
export const RATING_INK: Record<TDrillRating, string> = {
  again: '#c92a2a',
  hard: '#a63d00',
  good: '#066649',
  easy: '#364fc7',
};
