import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAccount } from '../../../src/schemas/account.ts';
import type { TAccountProfile } from '../../../src/schemas/account-profile.ts';
import type { TPipelineStage, TTier } from '../../../src/schemas/common.ts';
import type { TActivity, TPlannedTouch } from '../../../src/schemas/plan-api.ts';
import { accountKeys } from './accounts.ts';
import { accountPageKeys, agendaKeys } from './agenda.ts';
import { apiRequest } from './client.ts';
import { planKeys } from './plan.ts';

export type { TAccountProfile, TActivity, TPlannedTouch };

const path = (id: string, rest = '') => `/accounts/${encodeURIComponent(id)}${rest}`;

/** Logged calls and visits of the account, newest first. */
export function useAccountTouches(id: string) {
  return useQuery({
    queryKey: accountPageKeys.touches(id),
    queryFn: ({ signal }) => apiRequest<TActivity[]>(path(id, '/touches'), { signal }),
  });
}

/** The account's next planned calls and visits. */
export function usePlannedTouches(id: string) {
  return useQuery({
    queryKey: accountPageKeys.planned(id),
    queryFn: ({ signal }) =>
      apiRequest<TPlannedTouch[]>(path(id, '/planned-touches'), { query: { limit: 12 }, signal }),
  });
}

/** Owner, why the tier, sources and objections met. */
export function useAccountProfile(id: string) {
  return useQuery({
    queryKey: accountPageKeys.profile(id),
    queryFn: ({ signal }) => apiRequest<TAccountProfile>(path(id, '/profile'), { signal }),
  });
}

function storeAccount(client: ReturnType<typeof useQueryClient>, account: TAccount) {
  client.setQueryData(accountKeys.detail(account.id), account);
  return Promise.all([
    client.invalidateQueries({ queryKey: accountKeys.lists() }),
    client.invalidateQueries({ queryKey: accountPageKeys.profile(account.id) }),
    client.invalidateQueries({ queryKey: agendaKeys.all }),
  ]);
}

/** Moves the pipeline stage by hand; a stale `version` answers 409 with the current record in details. */
export function useUpdateStage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, stage }: { id: string; version: number; stage: TPipelineStage }) =>
      apiRequest<TAccount>(path(id), { method: 'PATCH', body: { version, stage } }),
    onSuccess: (account) => storeAccount(client, account),
  });
}

/**
 * Sets a manual tier with its reason, or (tier null) goes back to the computed one, on the account's version read:
 * a stale one answers 409 version_conflict with the account as it is now (see conflictCurrent). A changed tier
 * re-plans the account's open touches on the server: its next touches, the agenda and the plan's calendar are read
 * again.
 */
export function useTierOverride() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      tier,
      reason,
      version,
    }: {
      id: string;
      tier: TTier | null;
      reason: string;
      version: number;
    }) =>
      apiRequest<TAccount>(path(id, '/tier-override'), { method: 'PUT', body: { tier, reason, version } }),
    onSuccess: (account) =>
      Promise.all([
        storeAccount(client, account),
        client.invalidateQueries({ queryKey: accountPageKeys.planned(account.id) }),
        client.invalidateQueries({ queryKey: planKeys.all }),
      ]),
  });
}
