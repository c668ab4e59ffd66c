import { z } from 'zod';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  ZEffectivenessQuery,
  ZEffectivenessReport,
  ZObjectionCreate,
  ZObjectionUpdate,
  ZPlaybook,
  ZPlaybookObjection,
  ZPlaybookQuery,
  ZResponseCreate,
  ZResponseUpdate,
  ZSearchQuery,
  ZSearchResult,
  ZSetPreferred,
} from '../../schemas/playbook-api.ts';
import {
  addResponse,
  createObjection,
  getEffectiveness,
  getObjection,
  listPlaybook,
  searchPlaybook,
  setPreferredResponse,
  updateObjection,
  updateResponse,
} from '../../services/playbook.ts';
import type { AppInstance } from '../app.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64).describe('Objection id or code') });
const ZResponseParams = ZIdParams.extend({
  responseId: z.string().min(1).max(64).describe('Response id or code'),
});

/** The objection playbook (method §5): read and search by everyone signed in, edited by managers. */
export async function playbookRoutes(app: AppInstance) {
  app.get(
    '/api/objections',
    {
      schema: {
        tags: ['playbook'],
        summary:
          "The playbook: every objection with its responses in the user's language, and how well they work",
        querystring: ZPlaybookQuery,
        response: { 200: ZPlaybook, 400: ZErrorBody, 401: ZErrorBody },
      },
    },
    async (request) => listPlaybook(request.ctx, request.query),
  );

  app.get(
    '/api/objections/search',
    {
      schema: {
        tags: ['playbook'],
        summary:
          'Search objections and responses by a Chinese fragment (预算, 价格太高) or English words; best match first',
        querystring: ZSearchQuery,
        response: { 200: ZSearchResult, 400: ZErrorBody, 401: ZErrorBody },
      },
    },
    async (request) => searchPlaybook(request.ctx, request.query),
  );

  app.get(
    '/api/objections/effectiveness',
    {
      schema: {
        tags: ['playbook'],
        summary:
          'What works: per objection and response, times met and the share followed by a meeting or next step; per rep, team, week or month',
        querystring: ZEffectivenessQuery,
        response: {
          200: ZEffectivenessReport,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
        },
      },
    },
    async (request) => getEffectiveness(request.ctx, request.query),
  );

  app.get(
    '/api/objections/:id',
    {
      schema: {
        tags: ['playbook'],
        summary: 'One objection (by id or code) with its responses: the quick view during a call',
        params: ZIdParams,
        querystring: ZPlaybookQuery,
        response: { 200: ZPlaybookObjection, 401: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getObjection(request.ctx, request.params.id, request.query),
  );

  app.post(
    '/api/objections',
    {
      schema: {
        tags: ['playbook'],
        summary: 'Add an objection with its responses and its skill (managers and admins)',
        body: ZObjectionCreate,
        response: {
          201: ZPlaybookObjection,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          409: ZErrorBody,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createObjection(request.ctx, request.body)),
  );

  app.patch(
    '/api/objections/:id',
    {
      schema: {
        tags: ['playbook'],
        summary:
          "Edit an objection's text, label or phrasings (managers and admins); a stale version answers 409",
        params: ZIdParams,
        body: ZObjectionUpdate,
        response: {
          200: ZPlaybookObjection,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => updateObjection(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/objections/:id/responses',
    {
      schema: {
        tags: ['playbook'],
        summary:
          'Add an alternative response (anyone signed in; only managers and admins may make it preferred)',
        params: ZIdParams,
        body: ZResponseCreate,
        response: {
          201: ZPlaybookObjection,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addResponse(request.ctx, request.params.id, request.body)),
  );

  app.patch(
    '/api/objections/:id/responses/:responseId',
    {
      schema: {
        tags: ['playbook'],
        summary: "Edit a response's text (managers, admins, or its author); a stale version answers 409",
        params: ZResponseParams,
        body: ZResponseUpdate,
        response: {
          200: ZPlaybookObjection,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) =>
      updateResponse(request.ctx, request.params.id, request.params.responseId, request.body),
  );

  app.post(
    '/api/objections/:id/preferred',
    {
      schema: {
        tags: ['playbook'],
        summary: 'Make one response the preferred one (exactly one per objection; managers and admins)',
        params: ZIdParams,
        body: ZSetPreferred,
        response: {
          200: ZPlaybookObjection,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
        },
      },
    },
    async (request) => setPreferredResponse(request.ctx, request.params.id, request.body),
  );
}
