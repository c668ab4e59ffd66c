import { z } from 'zod';
import { ZAuditPage, ZAuditQuery } from '../../schemas/audit.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  ZHandOverPreview,
  ZPeopleOverview,
  ZTeam,
  ZTeamCreate,
  ZTeamList,
  ZTeamUpdate,
  ZTerritory,
  ZTerritoryCreate,
  ZTerritoryList,
  ZTerritoryUpdate,
  ZUser,
  ZUserCreate,
  ZUserList,
  ZUserUpdate,
} from '../../schemas/people.ts';
import { previewHandOver } from '../../services/account-assignment.ts';
import { listAudit } from '../../services/audit.ts';
import { peopleOverview } from '../../services/people-overview.ts';
import { createTeam, listTeams, updateTeam } from '../../services/teams.ts';
import {
  createTerritory,
  deleteTerritory,
  listTerritories,
  updateTerritory,
} from '../../services/territories.ts';
import { createUser, disableUser, enableUser, getUser, listUsers, updateUser } from '../../services/users.ts';
import type { AppInstance } from '../app.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });
const denied = { 401: ZErrorBody, 403: ZErrorBody };
const ZTerritorySaved = ZTerritory.extend({
  claimedAccounts: z.number().int().describe('Accounts without a territory that now lie in this one'),
}).meta({ id: 'TerritorySaved' });

/** Users, teams, territories and the audit log. Who may do what is decided in the services. */
export async function peopleRoutes(app: AppInstance) {
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['people'],
        summary: 'People you may see: admins everyone, managers their team(s), reps their own team',
        response: { 200: ZUserList, ...denied },
      },
    },
    async (request) => ({ items: await listUsers(request.ctx) }),
  );

  app.get(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary:
          'The Team page: people you may see with team, territories, capacity and (yours, or your team’s as a manager) accounts, open plan, overdue touches and days off',
        response: { 200: ZPeopleOverview, ...denied },
      },
    },
    async (request) => peopleOverview(request.ctx),
  );

  app.get(
    '/api/users/:id/hand-over',
    {
      schema: {
        tags: ['people'],
        summary:
          'Preview handing over every account of this user: accounts and open planned touches that would move (managers: their team; admins: anyone)',
        params: ZIdParams,
        response: { 200: ZHandOverPreview, ...denied, 404: ZErrorBody },
      },
    },
    async (request) => previewHandOver(request.ctx, request.params.id),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'One user (404 when you may not see them)',
        params: ZIdParams,
        response: { 200: ZUser, ...denied, 404: ZErrorBody },
      },
    },
    async (request) => getUser(request.ctx, request.params.id),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a user (admins: any role; managers: reps of their team)',
        body: ZUserCreate,
        response: { 201: ZUser, 400: ZErrorBody, ...denied, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(request.ctx, request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          'Change a user (admins: anyone; managers: their reps; everyone: their own name and language) on the version you read (a stale one answers 409 version_conflict with the user as they are now; only your own language alone needs no version). A new password ends their sessions',
        params: ZIdParams,
        body: ZUserUpdate,
        response: {
          200: ZUser,
          400: ZErrorBody,
          ...denied,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => updateUser(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/users/:id/disable',
    {
      schema: {
        tags: ['people'],
        summary: 'Disable a user: their sessions end at once and their API tokens are revoked',
        params: ZIdParams,
        response: { 200: ZUser, ...denied, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => disableUser(request.ctx, request.params.id),
  );

  app.post(
    '/api/users/:id/enable',
    {
      schema: {
        tags: ['people'],
        summary: 'Enable a disabled user again',
        params: ZIdParams,
        response: { 200: ZUser, ...denied, 404: ZErrorBody },
      },
    },
    async (request) => enableUser(request.ctx, request.params.id),
  );

  app.get(
    '/api/teams',
    {
      schema: {
        tags: ['people'],
        summary: 'Teams (admins: all; others: the teams they manage or belong to)',
        response: { 200: ZTeamList, ...denied },
      },
    },
    async (request) => ({ items: await listTeams(request.ctx) }),
  );

  app.post(
    '/api/teams',
    {
      schema: {
        tags: ['people'],
        summary:
          'Add a team (admins); a name another team has (case and full-width letters folded) answers 409 conflict',
        body: ZTeamCreate,
        response: { 201: ZTeam, 400: ZErrorBody, ...denied, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await createTeam(request.ctx, request.body)),
  );

  app.patch(
    '/api/teams/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          'Rename a team or set its manager (admins), on the version you read (a stale one answers 409 version_conflict with the team as it is now; a name another team has, 409 conflict)',
        params: ZIdParams,
        body: ZTeamUpdate,
        response: {
          200: ZTeam,
          400: ZErrorBody,
          ...denied,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => updateTeam(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/api/territories',
    {
      schema: {
        tags: ['people'],
        summary: 'Territories (admins: all; managers: their team’s; reps: their own)',
        response: { 200: ZTerritoryList, ...denied },
      },
    },
    async (request) => ({ items: await listTerritories(request.ctx) }),
  );

  app.post(
    '/api/territories',
    {
      schema: {
        tags: ['people'],
        summary:
          'Define a territory for a rep; accounts without a territory that lie in it (or are listed) join it',
        body: ZTerritoryCreate,
        response: { 201: ZTerritorySaved, 400: ZErrorBody, ...denied, 404: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await createTerritory(request.ctx, request.body)),
  );

  app.patch(
    '/api/territories/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          'Change a territory (places, rep, explicit accounts) on the version you read (a stale one answers 409 version_conflict with the territory as it is now)',
        params: ZIdParams,
        body: ZTerritoryUpdate,
        response: {
          200: ZTerritorySaved,
          400: ZErrorBody,
          ...denied,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => updateTerritory(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/territories/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          'Delete a territory on the version you read (`?version=`); its accounts keep their owners. A stale version (someone changed the territory since) answers 409 version_conflict with the territory as it is now and deletes nothing',
        params: ZIdParams,
        querystring: z.object({
          version: z.coerce
            .number()
            .int()
            .min(1)
            .describe('The version of the territory you read (Territory.version); a stale one answers 409'),
        }),
        response: { 204: z.null(), 400: ZErrorBody, ...denied, 404: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      await deleteTerritory(request.ctx, request.params.id, request.query.version);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Who changed what and when, newest first (managers: their team’s changes and accounts; admins: all)',
        querystring: ZAuditQuery,
        response: { 200: ZAuditPage, 400: ZErrorBody, ...denied },
      },
    },
    async (request) => listAudit(request.ctx, request.query),
  );
}
