import type { QueryClient } from '@tanstack/react-query';
import { accountKeys } from './accounts.ts';
import { agendaKeys } from './agenda.ts';
import { dashboardKeys } from './dashboard.ts';
import { planKeys } from './plan.ts';
import { teamDayKeys } from './team-day.ts';

/**
 * Everything the app shows that is read from the planned and logged touches: the plan's calendars, the agenda and
 * goals, the dashboard, the team's day and the accounts (lists and pages, with their next touches). A change that
 * moves or rewrites touches (a committed plan, a saved market or re-tiering, a tier override, accounts handed to
 * another rep, a changed time zone or cadence) marks all of them stale: what is on screen is read again at once, the
 * rest when next shown (an invalidated query that nothing shows costs no request).
 */
export function refreshPlannedWork(client: QueryClient): Promise<unknown> {
  return Promise.all(
    [planKeys.all, agendaKeys.all, dashboardKeys.all, teamDayKeys.all, accountKeys.all].map((queryKey) =>
      client.invalidateQueries({ queryKey }),
    ),
  );
}
