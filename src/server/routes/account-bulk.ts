import {
  MAX_BULK_ACCOUNTS,
  ZBulkAssign,
  ZBulkResult,
  ZBulkStage,
  ZBulkTierOverride,
} from '../../schemas/account-bulk.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import { bulkAssign, bulkChangeStage, bulkOverrideTier } from '../../services/account-bulk.ts';
import type { AppInstance } from '../app.ts';

const errors = {
  400: ZErrorBody,
  401: ZErrorBody,
  403: ZErrorBody,
  404: ZErrorBody,
  409: ZErrorBody,
  422: ZErrorBody,
};
const selection = `Select by \`ids\` (404 and nothing changed when one is not yours to see) or by \`filter\` (the list's filters; at most ${MAX_BULK_ACCOUNTS.toLocaleString('en')} accounts, else 422). One transaction; answers how many changed and which were skipped and why.`;

/** Bulk actions of the Accounts table (services/account-bulk.ts). */
export async function accountBulkRoutes(app: AppInstance) {
  app.post(
    '/api/accounts/bulk/assign',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Hand the selected accounts to another person (managers within their team, admins)',
        description: selection,
        body: ZBulkAssign,
        response: { 200: ZBulkResult, ...errors },
      },
    },
    async (request) => bulkAssign(request.ctx, request.body),
  );

  app.post(
    '/api/accounts/bulk/tier-override',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Override the tier of the selected accounts with a reason (tier null removes the override); open touches of changed tiers are re-planned',
        description: selection,
        body: ZBulkTierOverride,
        response: { 200: ZBulkResult, ...errors },
      },
    },
    async (request) => bulkOverrideTier(request.ctx, request.body),
  );

  app.post(
    '/api/accounts/bulk/stage',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Move the selected accounts to a pipeline stage',
        description: selection,
        body: ZBulkStage,
        response: { 200: ZBulkResult, ...errors },
      },
    },
    async (request) => bulkChangeStage(request.ctx, request.body),
  );
}
