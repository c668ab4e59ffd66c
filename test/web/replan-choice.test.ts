// "Re-plan…" on the dashboard starts with the reps who need it chosen: out of step with the market, or without any
// plan committed (a new rep: re-planning is how a manager gives them one).
import { describe, expect, it } from 'vitest';
import { needsReplan } from '../../web/src/features/dashboard/replan-choice.ts';

const plan = {
  id: 'p1',
  scope: 'rep' as const,
  from: '2026-11-02',
  to: '2027-11-02',
  committedAt: '2026-11-01T02:00:00.000Z',
};

describe('the reps Re-plan… chooses to begin with', () => {
  it('chooses a rep out of step and a rep with no plan, not a rep in step', () => {
    expect(needsReplan({ plan, affected: 12 })).toBe(true);
    expect(needsReplan({ plan: null, affected: 0 })).toBe(true);
    expect(needsReplan({ plan, affected: 0 })).toBe(false);
  });
});
