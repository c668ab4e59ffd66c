import type { TChannel, TOutcome } from '../../../../src/schemas/common.ts';

export const CHANNELS: readonly TChannel[] = ['call', 'visit'];
export const OUTCOMES: readonly TOutcome[] = ['reached', 'no_answer', 'meeting_booked', 'refused', 'other'];

/** The one-click outcomes on each agenda item, in the order of their shortcut keys 1, 2, 3. */
export const QUICK_OUTCOMES = [
  'reached',
  'no_answer',
  'meeting_booked',
] as const satisfies readonly TOutcome[];
export type QuickOutcome = (typeof QUICK_OUTCOMES)[number];
