import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  type TAgenda,
  ZActivity,
  ZAgenda,
  ZAgendaQuery,
  ZCommittedPlan,
  ZCommittedPlanQuery,
  ZGoals,
  ZGoalsQuery,
  ZLogTouch,
  ZLogTouchResult,
  ZPlanCommit,
  ZPlanHealth,
  ZPlanHealthQuery,
  ZPlannedTouch,
  ZPlanRequest,
  ZPlanResult,
  ZTeamPlanCommit,
  ZTeamPlanHealth,
  ZTeamPlanRequest,
  ZTeamPlanResult,
} from '../../schemas/plan-api.ts';
import { committedPlan } from '../../services/calendar.ts';
import { getGoals } from '../../services/goals.ts';
import {
  commitPlanOffThread,
  commitTeamPlansOffThread,
  previewPlanOffThread,
  previewTeamPlansOffThread,
} from '../../services/off-thread.ts';
import { planHealth, teamPlanHealth } from '../../services/plan-health.ts';
import { accountTimeline, getAgenda, logTouch, plannedTouchesOf } from '../../services/touches.ts';
import { agendaJson } from '../agenda-json.ts';
import type { AppInstance } from '../app.ts';
import { documentedError } from '../openapi.ts';

/**
 * The agenda (200) is written field by field without a zod parse of every item (agenda-json.ts); its other
 * answers by the zod serializer as everywhere.
 */
const agendaSerializerCompiler = (route: FastifyRouteSchemaDef<unknown>) =>
  route.httpStatus === '200'
    ? (data: unknown) => agendaJson(data as TAgenda)
    : serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);

export async function planRoutes(app: AppInstance) {
  app.post(
    '/api/plan/preview',
    {
      schema: {
        tags: ['plan'],
        summary: 'Capacity check and the plan it would give (nothing is saved)',
        body: ZPlanRequest,
        response: { 200: ZPlanResult, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => previewPlanOffThread(request.ctx, request.body),
  );

  app.post(
    '/api/plan/commit',
    {
      schema: {
        tags: ['plan'],
        summary:
          'Commit the plan; when over capacity, pick an option index or set acceptOverload (409 otherwise)',
        body: ZPlanCommit,
        response: { 200: ZPlanResult, 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => commitPlanOffThread(request.ctx, request.body),
  );

  app.post(
    '/api/plan/team/preview',
    {
      schema: {
        tags: ['plan'],
        summary:
          "Several reps' plans at once, nothing saved: for each rep (repIds, else every active rep you may plan: your team as a manager, everyone as an admin) whether the plan fits, calls and visits required per working day against capacity, touches placed and unplaced, overdue touches kept",
        body: ZTeamPlanRequest,
        response: { 200: ZTeamPlanResult, 400: ZErrorBody, 404: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => previewTeamPlansOffThread(request.ctx, request.body),
  );

  app.post(
    '/api/plan/team/commit',
    {
      schema: {
        tags: ['plan'],
        summary:
          "Commit several reps' plans in one transaction, planned again now; a rep whose plan does not fit needs to be in acceptOverloadFor, else nothing is saved (409 with details.reps: those reps and their figures)",
        body: ZTeamPlanCommit,
        response: {
          200: ZTeamPlanResult,
          400: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => commitTeamPlansOffThread(request.ctx, request.body),
  );

  app.get(
    '/api/plan/committed',
    {
      schema: {
        tags: ['plan'],
        summary:
          "The committed plan covering a rep: who committed it and when, open touches ahead and overdue, each day's touches planned, done and overdue, the touches in a range (at most 62 days), and what a re-plan from a day would replace",
        querystring: ZCommittedPlanQuery,
        response: { 200: ZCommittedPlan, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => committedPlan(request.ctx, request.query),
  );

  app.get(
    '/api/plan/health',
    {
      schema: {
        tags: ['plan'],
        summary:
          "Whether the committed plan still covers the market: in-market accounts without a planned touch due in the plan, touches planned further apart or closer together than the tier's cadence, accounts outside the market with open touches (docs/figures.md, Plan health)",
        querystring: ZPlanHealthQuery,
        response: { 200: ZPlanHealth, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => planHealth(request.ctx, request.query),
  );

  app.get(
    '/api/plan/health/team',
    {
      schema: {
        tags: ['plan'],
        summary:
          "Each rep's plan health in one line, for a manager (their team) or an admin (every active rep): accounts out of step with the plan in force for that rep, per finding, the same figures as GET /api/plan/health?repId (docs/figures.md, Plan health)",
        response: { 200: ZTeamPlanHealth, 401: ZErrorBody, 403: ZErrorBody },
      },
    },
    async (request) => teamPlanHealth(request.ctx),
  );

  app.get(
    '/api/agenda',
    {
      schema: {
        tags: ['agenda'],
        summary: "The day's planned calls and visits: overdue first, then A, B, C",
        querystring: ZAgendaQuery,
        response: { 200: ZAgenda, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
      serializerCompiler: agendaSerializerCompiler,
    },
    async (request) => getAgenda(request.ctx, request.query),
  );

  app.post(
    '/api/accounts/:id/touches',
    {
      schema: {
        tags: ['agenda'],
        summary: 'Log a call or visit; completes the planned touch and re-plans the next one on that channel',
        params: z.object({ id: z.string().min(1).max(64) }),
        body: ZLogTouch,
        response: {
          201: ZLogTouchResult,
          200: ZLogTouchResult,
          400: ZErrorBody,
          404: ZErrorBody,
          409: documentedError(409, 'conflict: the `clientId` was already used for a different log'),
          422: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await logTouch(request.ctx, request.params.id, request.body);
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/accounts/:id/touches',
    {
      schema: {
        tags: ['agenda'],
        summary: 'Logged touches of an account, newest first',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: z.array(ZActivity) },
      },
    },
    async (request) => accountTimeline(request.ctx, request.params.id),
  );

  app.get(
    '/api/accounts/:id/planned-touches',
    {
      schema: {
        tags: ['agenda'],
        summary: "The account's next planned calls and visits (open touches, overdue first)",
        params: z.object({ id: z.string().min(1).max(64) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.array(ZPlannedTouch), 404: ZErrorBody },
      },
    },
    async (request) => plannedTouchesOf(request.ctx, request.params.id, { limit: request.query.limit }),
  );

  app.get(
    '/api/goals',
    {
      schema: {
        tags: ['agenda'],
        summary:
          'Weekly or monthly call and visit goals from the plan, against what was logged; coverage per tier; overdue',
        querystring: ZGoalsQuery,
        response: { 200: ZGoals, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getGoals(request.ctx, request.query),
  );
}
