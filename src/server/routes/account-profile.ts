import { z } from 'zod';
import { ZAccountProfile } from '../../schemas/account-profile.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import { getAccountProfile } from '../../services/account-profile.ts';
import type { AppInstance } from '../app.ts';

/** The account page's context beyond the record: owner, tier basis, sources, objections met. */
export async function accountProfileRoutes(app: AppInstance) {
  app.get(
    '/api/accounts/:id/profile',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Owner, why the account has its tier (score rank, manual override with who and why), its sources and the objections met on it',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: ZAccountProfile, 404: ZErrorBody },
      },
    },
    async (request) => getAccountProfile(request.ctx, request.params.id),
  );
}
