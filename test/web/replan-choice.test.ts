// "Re-plan…" on the dashboard starts with the reps who need it chosen: out of step with the market, without any
// plan committed (a new rep: re-planning is how a manager gives them one) or with a plan that has ended.
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
    expect(needsReplan({ plan, affected: 12, expired: false })).toBe(true);
    expect(needsReplan({ plan: null, affected: 0, expired: false })).toBe(true);
    expect(needsReplan({ plan, affected: 0, expired: false })).toBe(false);
  });

  it('chooses a rep whose plan has ended, even with no account to count (it plans nothing from today on)', () => {
    expect(needsReplan({ plan: { ...plan, to: '2026-11-02' }, affected: 0, expired: true })).toBe(true);
  });
});
