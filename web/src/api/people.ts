import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TAccountAssignResult,
  THandOverPreview,
  TPeopleOverview,
  TPersonOverview,
  TTeam,
  TTeamCreate,
  TTeamUpdate,
  TTerritory,
  TTerritoryCreate,
  TTerritoryUpdate,
  TUser,
  TUserCreate,
  TUserUpdate,
} from '../../../src/schemas/people.ts';
import type { THolidayCountry, TRepDaysOff, TRepDaysOffSaved } from '../../../src/schemas/plan.ts';
import { apiRequest } from './client.ts';
import { conflictCurrent } from './conflict.ts';
import { refreshPlannedWork } from './planned-work.ts';

export type { THandOverPreview, TPersonOverview, TTeam, TTerritory };

export const peopleKeys = {
  all: ['people'] as const,
  overview: () => [...peopleKeys.all, 'overview'] as const,
  teams: () => [...peopleKeys.all, 'teams'] as const,
  territories: () => [...peopleKeys.all, 'territories'] as const,
  handOver: (userId: string) => [...peopleKeys.all, 'hand-over', userId] as const,
};

/**
 * People, teams and territories change together (counts, names, managers): refresh all of them. Also after an edit
 * refused as stale (409 version_conflict): the page then shows what someone else saved.
 */
function useRefreshPeople() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: peopleKeys.all }),
      // Ownership and territories decide which accounts and plans everyone sees; a hand-over moves planned touches.
      refreshPlannedWork(client),
    ]);
}

export function usePeopleOverview(enabled = true) {
  return useQuery({
    queryKey: peopleKeys.overview(),
    queryFn: ({ signal }) => apiRequest<TPeopleOverview>('/people', { signal }),
    enabled,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: peopleKeys.teams(),
    queryFn: ({ signal }) => apiRequest<{ items: TTeam[] }>('/teams', { signal }),
    select: (data) => data.items,
  });
}

export function useTerritories() {
  return useQuery({
    queryKey: peopleKeys.territories(),
    queryFn: ({ signal }) => apiRequest<{ items: TTerritory[] }>('/territories', { signal }),
    select: (data) => data.items,
  });
}

export function useCreateUser() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (input: TUserCreate) => apiRequest<TUser>('/users', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}

export function useUpdateUser() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TUserUpdate }) =>
      apiRequest<TUser>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
    onSuccess: refresh,
    onError: (error) => (conflictCurrent(error) ? refresh() : undefined),
  });
}

export function useSetDisabled() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) =>
      apiRequest<TUser>(`/users/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`, {
        method: 'POST',
      }),
    onSuccess: refresh,
  });
}

export function useSetDaysOff() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (body: {
      repId: string;
      dates: string[];
      holidays?: THolidayCountry | null;
      version: number;
    }) => apiRequest<TRepDaysOffSaved>('/calendar/days-off', { method: 'PUT', body }),
    onSuccess: refresh,
    onError: (error) => (conflictCurrent(error) ? refresh() : undefined),
  });
}

/** A rep's own days off, all of them (the overview shows only those from today on). */
export function useDaysOff(repId: string | null) {
  return useQuery({
    queryKey: [...peopleKeys.all, 'days-off', repId] as const,
    queryFn: ({ signal }) =>
      apiRequest<TRepDaysOff>('/calendar/days-off', {
        query: { repId: repId ?? undefined },
        signal,
      }),
    enabled: repId !== null,
  });
}

export function useHandOverPreview(userId: string | null) {
  return useQuery({
    queryKey: peopleKeys.handOver(userId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<THandOverPreview>(`/users/${encodeURIComponent(userId ?? '')}/hand-over`, { signal }),
    enabled: userId !== null,
    staleTime: 0,
  });
}

export function useHandOver() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (input: { fromUserId: string; toUserId: string }) =>
      apiRequest<TAccountAssignResult>('/accounts/assign', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}

export function useCreateTeam() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (input: TTeamCreate) => apiRequest<TTeam>('/teams', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}

export function useUpdateTeam() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TTeamUpdate }) =>
      apiRequest<TTeam>(`/teams/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
    onSuccess: refresh,
    onError: (error) => (conflictCurrent(error) ? refresh() : undefined),
  });
}

export type SavedTerritory = TTerritory & { claimedAccounts: number };

export function useSaveTerritory() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: TTerritoryCreate | TTerritoryUpdate }) =>
      id === null
        ? apiRequest<SavedTerritory>('/territories', { method: 'POST', body })
        : apiRequest<SavedTerritory>(`/territories/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: refresh,
    onError: (error) => (conflictCurrent(error) ? refresh() : undefined),
  });
}

/** Deletes a territory on the version read; a stale one (409 version_conflict) reloads the territories. */
export function useDeleteTerritory() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      apiRequest<null>(`/territories/${encodeURIComponent(id)}?version=${version}`, { method: 'DELETE' }),
    onSuccess: refresh,
    onError: (error) => (conflictCurrent(error) ? refresh() : undefined),
  });
}
