import { z } from 'zod';
import {
  ZAccount,
  ZAccountCreate,
  ZAccountFacets,
  ZAccountListQuery,
  ZAccountPage,
  ZAccountUpdate,
} from '../../schemas/account.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  createAccount,
  findAccounts,
  getAccount,
  getAccountFacets,
  updateAccount,
} from '../../services/accounts.ts';
import type { AppInstance } from '../app.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });

export async function accountRoutes(app: AppInstance) {
  app.get(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List accounts with filters, search, sort and paging',
        querystring: ZAccountListQuery,
        response: { 200: ZAccountPage, 400: ZErrorBody },
      },
    },
    async (request) => findAccounts(request.ctx, request.query),
  );

  app.get(
    '/api/accounts/facets',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Provinces, cities and industries with account counts, for filters',
        response: { 200: ZAccountFacets },
      },
    },
    async (request) => getAccountFacets(request.ctx),
  );

  app.get(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One account',
        params: ZIdParams,
        response: { 200: ZAccount, 404: ZErrorBody },
      },
    },
    async (request) => getAccount(request.ctx, request.params.id),
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        body: ZAccountCreate,
        response: { 201: ZAccount, 400: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => {
      const account = await createAccount(request.ctx, request.body);
      return reply.code(201).send(account);
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Update an account; send the version you read (a stale version answers 409 with the current record)',
        params: ZIdParams,
        body: ZAccountUpdate,
        response: { 200: ZAccount, 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => updateAccount(request.ctx, request.params.id, request.body),
  );
}
