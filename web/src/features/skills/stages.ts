import type { TLearningStage } from '../../api/practice.ts';

export const STAGES: readonly TLearningStage[] = [1, 2, 3, 4];

/**
 * Each stage's colour. Never the only cue: every badge and matrix cell also shows the stage number, its name
 * and a four-step meter.
 */
export const STAGE_COLORS: Record<TLearningStage, string> = {
  1: 'gray',
  2: 'orange',
  3: 'blue',
  4: 'teal',
};

export function isStage(value: number): value is TLearningStage {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/** Text colours dark enough (WCAG AA, 4.5:1) on each stage's tinted background. */
export const STAGE_INK: Record<TLearningStage, string> = {
  1: '#495057',
  2: '#a63d00',
  3: '#1864ab',
  4: '#066649',
};
