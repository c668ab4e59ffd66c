import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  TBulkAssign,
  TBulkResult,
  TBulkStage,
  TBulkTierOverride,
} from '../../../src/schemas/account-bulk.ts';
import { accountKeys } from './accounts.ts';
import { apiRequest } from './client.ts';
import { dashboardKeys } from './dashboard.ts';
import { refreshPlannedWork } from './planned-work.ts';

export type BulkAction =
  | ({ kind: 'assign' } & TBulkAssign)
  | ({ kind: 'tier' } & TBulkTierOverride)
  | ({ kind: 'stage' } & TBulkStage);

const PATHS = {
  assign: '/accounts/bulk/assign',
  tier: '/accounts/bulk/tier-override',
  stage: '/accounts/bulk/stage',
};

/**
 * One bulk action on the selected accounts (ids or the list's filter); the lists reload afterwards, and after a tier
 * change or a hand-over everything read from the planned touches too (the server re-plans the open touches of
 * accounts whose tier changed, and moves those of handed-over accounts to their new rep).
 */
export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: BulkAction) =>
      apiRequest<TBulkResult>(PATHS[kind], { method: 'POST', body }),
    onSettled: (_result, _error, { kind }) =>
      kind === 'stage'
        ? Promise.all([
            client.invalidateQueries({ queryKey: accountKeys.all }),
            client.invalidateQueries({ queryKey: dashboardKeys.all }),
          ])
        : refreshPlannedWork(client),
  });
}
