import { z } from 'zod';
import { ZErrorBody } from '../../schemas/common.ts';
import { ZSavedView, ZSavedViewCreate, ZSavedViewList, ZSavedViewUpdate } from '../../schemas/saved-view.ts';
import {
  createSavedView,
  deleteSavedView,
  getSavedView,
  listSavedViews,
  updateSavedView,
} from '../../services/saved-views.ts';
import type { AppInstance } from '../app.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });

/** Saved views of the Accounts table; each user sees and changes only their own (others' answer 404). */
export async function savedViewRoutes(app: AppInstance) {
  app.get(
    '/api/saved-views',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your saved views of the Accounts table (filters, sort, columns), by name',
        response: { 200: ZSavedViewList, 401: ZErrorBody },
      },
    },
    async (request) => listSavedViews(request.ctx),
  );

  app.get(
    '/api/saved-views/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One of your saved views',
        params: ZIdParams,
        response: { 200: ZSavedView, 401: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getSavedView(request.ctx, request.params.id),
  );

  app.post(
    '/api/saved-views',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Save the current filters, sort and columns under a name (unique among your views)',
        body: ZSavedViewCreate,
        response: { 201: ZSavedView, 400: ZErrorBody, 401: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await createSavedView(request.ctx, request.body)),
  );

  app.patch(
    '/api/saved-views/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Rename a saved view or replace its query or columns; send the version you read',
        params: ZIdParams,
        body: ZSavedViewUpdate,
        response: {
          200: ZSavedView,
          400: ZErrorBody,
          401: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => updateSavedView(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/saved-views/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Delete one of your saved views',
        params: ZIdParams,
        response: { 204: z.null(), 401: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      await deleteSavedView(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
