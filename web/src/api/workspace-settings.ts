import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TCadenceRule, TCadenceRuleChange, TCadenceRuleStored } from '../../../src/schemas/cadence.ts';
import type {
  TWorkspaceSettings,
  TWorkspaceSettingsPatch,
  TWorkspaceSettingsVersioned,
} from '../../../src/schemas/workspace.ts';
import { apiRequest } from './client.ts';
import { conflictCurrent } from './conflict.ts';
import { refreshPlannedWork } from './planned-work.ts';

export type { TCadenceRule, TCadenceRuleStored, TWorkspaceSettings, TWorkspaceSettingsVersioned };

export interface CalendarFeed {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new feed: the token (inside `path`) is shown only in this answer. */
export interface CreatedFeed {
  id: string;
  token: string;
  path: string;
}

export const settingsKeys = {
  settings: () => ['settings'] as const,
  cadence: () => ['cadence'] as const,
  feeds: () => ['calendar-feeds'] as const,
};

function workspaceSettingsQuery() {
  return queryOptions({
    queryKey: settingsKeys.settings(),
    queryFn: ({ signal }) => apiRequest<TWorkspaceSettingsVersioned>('/settings', { signal }),
  });
}

export function useWorkspaceSettings() {
  return useQuery(workspaceSettingsQuery());
}

/**
 * The workspace's time zone for the app frame to provide (i18n/workspace-time-zone.ts): asked for once, not again
 * on every page; a change saved on the Settings page lands in the same cache entry and re-renders the app.
 */
export function useLoadedWorkspaceTimeZone(): string | undefined {
  return useQuery({ ...workspaceSettingsQuery(), staleTime: 10 * 60_000, select: (s) => s.timeZone }).data;
}

/**
 * Saves a change on the version it names; a stale one (409 version_conflict) puts the settings as they are now in
 * the cache, so every section shows them (see `conflictCurrent`).
 */
export function useUpdateWorkspaceSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: TWorkspaceSettingsPatch) =>
      apiRequest<TWorkspaceSettingsVersioned>('/settings', { method: 'PATCH', body: patch }),
    onSuccess: (settings) => {
      client.setQueryData(settingsKeys.settings(), settings);
      // Plans depend on capacity and the horizon; the time zone decides what today is for the agenda and figures.
      return refreshPlannedWork(client);
    },
    onError: (error) => {
      const current = conflictCurrent<TWorkspaceSettingsVersioned>(error);
      if (current) client.setQueryData(settingsKeys.settings(), current);
    },
  });
}

export function useCadenceRules() {
  return useQuery({
    queryKey: settingsKeys.cadence(),
    queryFn: ({ signal }) => apiRequest<TCadenceRuleStored[]>('/cadence', { signal }),
  });
}

/** Saves the changed rules, each on its version; a stale one (409) puts the rules as they are now in the cache. */
export function useUpdateCadenceRules() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rules: TCadenceRuleChange[]) =>
      apiRequest<TCadenceRuleStored[]>('/cadence', { method: 'PUT', body: rules }),
    onSuccess: (rules) => {
      client.setQueryData(settingsKeys.cadence(), rules);
      return refreshPlannedWork(client);
    },
    onError: (error) => {
      const current = conflictCurrent<TCadenceRuleStored[]>(error);
      if (current) client.setQueryData(settingsKeys.cadence(), current);
    },
  });
}

export function useCalendarFeeds() {
  return useQuery({
    queryKey: settingsKeys.feeds(),
    queryFn: ({ signal }) => apiRequest<CalendarFeed[]>('/calendar-feeds', { signal }),
  });
}

export function useCreateCalendarFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<CreatedFeed>('/calendar-feeds', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.feeds() }),
  });
}

export function useRevokeCalendarFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<{ revoked: number }>(`/calendar-feeds/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.feeds() }),
  });
}
