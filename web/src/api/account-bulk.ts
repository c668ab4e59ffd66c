import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  TBulkAssign,
  TBulkResult,
  TBulkStage,
  TBulkTierOverride,
} from '../../../src/schemas/account-bulk.ts';
import { accountKeys } from './accounts.ts';
import { agendaKeys } from './agenda.ts';
import { apiRequest } from './client.ts';
import { planKeys } from './plan.ts';

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
 * change the agenda and the plan too (the server re-plans the open touches of accounts whose tier changed).
 */
export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: BulkAction) =>
      apiRequest<TBulkResult>(PATHS[kind], { method: 'POST', body }),
    onSettled: (_result, _error, { kind }) =>
      Promise.all([
        client.invalidateQueries({ queryKey: accountKeys.all }),
        ...(kind === 'tier'
          ? [
              client.invalidateQueries({ queryKey: agendaKeys.all }),
              client.invalidateQueries({ queryKey: planKeys.all }),
            ]
          : []),
      ]),
  });
}
