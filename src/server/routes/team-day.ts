import { ZErrorBody } from '../../schemas/common.ts';
import { ZTeamDay, ZTeamDayQuery } from '../../schemas/team-day.ts';
import { getTeamDay } from '../../services/team-day.ts';
import type { AppInstance } from '../app.ts';

export async function teamDayRoutes(app: AppInstance) {
  app.get(
    '/api/team/day',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'Each rep’s day: calls and visits planned and logged on the date, overdue touches and the last log, furthest behind first (scope: every rep for admins, the team for managers, yourself for a rep)',
        querystring: ZTeamDayQuery,
        response: { 200: ZTeamDay, 400: ZErrorBody },
      },
    },
    async (request) => getTeamDay(request.ctx, request.query),
  );
}
