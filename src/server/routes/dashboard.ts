import { ZErrorBody } from '../../schemas/common.ts';
import { ZDashboard, ZDashboardQuery } from '../../schemas/dashboard.ts';
import { getDashboard } from '../../services/dashboard.ts';
import type { AppInstance } from '../app.ts';

export async function dashboardRoutes(app: AppInstance) {
  app.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'A manager’s week: planned vs logged calls and visits per week, cadence coverage per tier, overdue accounts per rep, pipeline funnel, objections met, learning stages (scope: workspace for admins, team for managers, one rep with repId; reps their own)',
        querystring: ZDashboardQuery,
        response: { 200: ZDashboard, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getDashboard(request.ctx, request.query),
  );
}
