import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  TBulkAssign,
  TBulkResult,
  TBulkStage,
  TBulkTierOverride,
} from '../../../src/schemas/account-bulk.ts';
import { accountKeys } from './accounts.ts';
import { apiRequest } from './client.ts';

export type BulkAction =
  | ({ kind: 'assign' } & TBulkAssign)
  | ({ kind: 'tier' } & TBulkTierOverride)
  | ({ kind: 'stage' } & TBulkStage);

const PATHS = {
  assign: '/accounts/bulk/assign',
  tier: '/accounts/bulk/tier-override',
  stage: '/accounts/bulk/stage',
};

/** One bulk action on the selected accounts (ids or the list's filter); the lists reload afterwards. */
export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: BulkAction) =>
      apiRequest<TBulkResult>(PATHS[kind], { method: 'POST', body }),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}
