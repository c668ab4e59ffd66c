import { ZErrorBody } from '../../schemas/common.ts';
import { ZAccountAssign, ZAccountAssignResult } from '../../schemas/people.ts';
import { assignAccounts } from '../../services/account-assignment.ts';
import type { AppInstance } from '../app.ts';

export async function accountOwnershipRoutes(app: AppInstance) {
  app.post(
    '/api/accounts/assign',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Hand accounts to another person (managers within their team, admins anywhere): the listed accounts, or all of a leaving rep’s, with their planned touches',
        body: ZAccountAssign,
        response: {
          200: ZAccountAssignResult,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => assignAccounts(request.ctx, request.body),
  );
}
