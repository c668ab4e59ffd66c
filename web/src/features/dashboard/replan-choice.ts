import type { TTeamPlanHealth } from '../../api/plan.ts';

type HealthRep = Pick<TTeamPlanHealth['reps'][number], 'plan' | 'affected' | 'expired'>;

/**
 * Whether "Re-plan…" chooses a rep to begin with: their plan is out of step with the market, or they have no plan
 * committed at all (a new rep) or their plan has ended (it plans nothing from today on), which re-planning is the
 * way to give them.
 */
export function needsReplan(rep: HealthRep): boolean {
  return rep.plan === null || rep.expired || rep.affected > 0;
}
