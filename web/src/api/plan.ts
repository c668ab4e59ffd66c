import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TUser } from '../../../src/schemas/people.ts';
import type {
  TCommittedPlan,
  TCommittedPlanQuery,
  TPlanCommit,
  TPlanHealth,
  TPlanHealthQuery,
  TPlanRequest,
  TPlanResult,
  TTeamPlanCommit,
  TTeamPlanHealth,
  TTeamPlanRep,
  TTeamPlanRequest,
  TTeamPlanResult,
} from '../../../src/schemas/plan-api.ts';
import { ApiError, apiRequest, toQueryString } from './client.ts';
import { refreshPlannedWork } from './planned-work.ts';
import { settingsKeys } from './workspace-settings.ts';

export type {
  TCommittedPlan,
  TCommittedPlanQuery,
  TPlanCommit,
  TPlanHealth,
  TPlanHealthQuery,
  TPlanRequest,
  TPlanResult,
  TTeamPlanCommit,
  TTeamPlanHealth,
  TTeamPlanRep,
  TTeamPlanRequest,
  TTeamPlanResult,
};
export type TCapacityOption = TPlanResult['options'][number];

export const planKeys = {
  all: ['plan'] as const,
  preview: (request: TPlanRequest) => [...planKeys.all, 'preview', request] as const,
  committed: (query: TCommittedPlanQuery) => [...planKeys.all, 'committed', query] as const,
  health: (query: TPlanHealthQuery) => [...planKeys.all, 'health', query] as const,
  teamHealth: () => [...planKeys.all, 'health', 'team'] as const,
  reps: () => ['users', 'plan-reps'] as const,
};

export function previewPlan(request: TPlanRequest, signal?: AbortSignal): Promise<TPlanResult> {
  return apiRequest<TPlanResult>('/plan/preview', { method: 'POST', body: request, signal });
}

export function commitPlan(request: TPlanCommit): Promise<TPlanResult> {
  return apiRequest<TPlanResult>('/plan/commit', { method: 'POST', body: request });
}

/** The capacity check and the plan the request would give; nothing is saved. Off while `enabled` is false. */
export function usePlanPreview(request: TPlanRequest, enabled = true) {
  return useQuery({
    queryKey: planKeys.preview(request),
    queryFn: ({ signal }) => previewPlan(request, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/**
 * The committed plan covering a rep (summary, open touches, days), with the touches of a range and what a
 * re-plan from a day would replace when asked. Off while `enabled` is false.
 */
export function useCommittedPlan(
  query: TCommittedPlanQuery,
  { enabled = true, keepPrevious = false }: { enabled?: boolean; keepPrevious?: boolean } = {},
) {
  return useQuery({
    queryKey: planKeys.committed(query),
    queryFn: ({ signal }) =>
      apiRequest<TCommittedPlan>(`/plan/committed${toQueryString({ ...query })}`, { signal }),
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
    enabled,
  });
}

/**
 * Whether the committed plan still covers the market (accounts with no planned touch, touches planned off the
 * cadence). Under planKeys.all, so whatever refreshes the planned work (a commit, a market save) reads it again.
 */
export function usePlanHealth(query: TPlanHealthQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: planKeys.health(query),
    queryFn: ({ signal }) =>
      apiRequest<TPlanHealth>(`/plan/health${toQueryString({ ...query })}`, { signal }),
    enabled,
  });
}

/**
 * Each rep's plan health in one line (a manager's team, every rep for an admin). Under planKeys.all, as
 * usePlanHealth. Off while `enabled` is false (a rep may not ask).
 */
export function useTeamPlanHealth({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: planKeys.teamHealth(),
    queryFn: ({ signal }) => apiRequest<TTeamPlanHealth>('/plan/health/team', { signal }),
    enabled,
  });
}

/** Committing changes planned touches and, with an option, tiers, cadence or capacity. */
export function useCommitPlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: commitPlan,
    // Also after a refusal: the server applies a picked option before it finds the plan still does not fit.
    // Not awaited: the caller's own onSuccess comes first (the refreshed committed plan replaces the commit panel,
    // and the callbacks of an unmounted caller never run).
    onSettled: () => {
      void Promise.all([
        refreshPlannedWork(client),
        client.invalidateQueries({ queryKey: ['tiers'] }),
        client.invalidateQueries({ queryKey: settingsKeys.settings() }),
        client.invalidateQueries({ queryKey: settingsKeys.cadence() }),
      ]);
    },
  });
}

/** Several reps' plans at once, nothing saved (a manager's team, any reps for an admin). */
export function previewTeamPlans(request: TTeamPlanRequest): Promise<TTeamPlanResult> {
  return apiRequest<TTeamPlanResult>('/plan/team/preview', { method: 'POST', body: request });
}

/**
 * The preview of re-planning these reps (planned again at commit: the preview is advice). A mutation, not a query:
 * it plans every listed rep, so it runs when asked for, and its answer is not kept for later.
 */
export function useTeamPlanPreview() {
  return useMutation({ mutationFn: previewTeamPlans });
}

/**
 * Commits several reps' plans in one step; a rep whose plan does not fit must be in acceptOverloadFor (else 409
 * with `details.reps`, nothing saved). Refreshes what is read from the planned touches, the plan health too.
 */
export function useCommitTeamPlans() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: TTeamPlanCommit) =>
      apiRequest<TTeamPlanResult>('/plan/team/commit', { method: 'POST', body: request }),
    onSettled: () => {
      void refreshPlannedWork(client);
    },
  });
}

/**
 * People whose accounts can be planned on their own (reps and managers the signed-in user may see).
 * Null when the users API is not there or not allowed: the page then plans the whole workload.
 */
export function usePlanReps() {
  return useQuery({
    queryKey: planKeys.reps(),
    queryFn: async ({ signal }) => {
      try {
        const { items } = await apiRequest<{ items: TUser[] }>('/users', { signal });
        return items
          .filter((user) => user.role !== 'admin' && !user.disabledAt)
          .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'rep' ? -1 : 1));
      } catch (error) {
        if (error instanceof ApiError && [403, 404].includes(error.status)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/**
 * The download link for the committed plan (the server answers with a file) in `lang`, as the accounts export's:
 * a CSV's headers and values, an iCalendar file's event titles and descriptions.
 */
export function planExportHref(
  format: 'ics' | 'csv',
  range: { from?: string; to?: string; repId?: string },
  lang: 'zh-CN' | 'en',
): string {
  return `/api/plan/export${toQueryString({ format, ...range, lang })}`;
}
