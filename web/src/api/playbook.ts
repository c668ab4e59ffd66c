import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TEffectivenessQuery,
  TEffectivenessReport,
  TObjectionCreate,
  TObjectionUpdate,
  TPlaybook,
  TPlaybookObjection,
  TResponseCreate,
  TResponseSort,
  TResponseUpdate,
  TSearchResult,
} from '../../../src/schemas/playbook-api.ts';
import { apiRequest } from './client.ts';
import { objectionKeys } from './objections.ts';

export type { TEffectivenessReport, TPlaybookObjection, TResponseSort, TSearchResult };
export type TEffectivenessRow = TEffectivenessReport['rows'][number];

export const playbookKeys = {
  all: objectionKeys.all,
  list: (sort: TResponseSort) => [...objectionKeys.all, 'playbook', sort] as const,
  search: (q: string) => [...objectionKeys.all, 'search', q] as const,
  effectiveness: (query: TEffectivenessQuery) => [...objectionKeys.all, 'effectiveness', query] as const,
};

/**
 * The whole playbook with its responses in both languages (so switching language needs no request), the
 * responses preferred first or by how well they work.
 */
export function usePlaybook(sort: TResponseSort) {
  return useQuery({
    queryKey: playbookKeys.list(sort),
    queryFn: ({ signal }) => apiRequest<TPlaybook>('/objections', { query: { sort }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** Server search (Chinese fragments and English words); off for an empty query. */
export function usePlaybookSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: playbookKeys.search(text),
    queryFn: ({ signal }) =>
      apiRequest<TSearchResult>('/objections/search', { query: { q: text, limit: 50 }, signal }),
    enabled: text.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** "What works": times met and the share followed by a meeting or next step, by period and rep or team. */
export function useEffectiveness(query: TEffectivenessQuery, enabled = true) {
  return useQuery({
    queryKey: playbookKeys.effectiveness(query),
    queryFn: ({ signal }) =>
      apiRequest<TEffectivenessReport>('/objections/effectiveness', {
        query: query as Record<string, string>,
        signal,
      }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

const path = (id: string) => `/objections/${encodeURIComponent(id)}`;

/** Every change answers the whole objection: refresh the playbook and searches. */
function usePlaybookMutation<V>(fn: (variables: V) => Promise<TPlaybookObjection>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => client.invalidateQueries({ queryKey: objectionKeys.all }),
  });
}

export function useCreateObjection() {
  return usePlaybookMutation((body: TObjectionCreate) =>
    apiRequest<TPlaybookObjection>('/objections', { method: 'POST', body }),
  );
}

export function useUpdateObjection() {
  return usePlaybookMutation(({ id, body }: { id: string; body: TObjectionUpdate }) =>
    apiRequest<TPlaybookObjection>(path(id), { method: 'PATCH', body }),
  );
}

export function useAddResponse() {
  return usePlaybookMutation(({ id, body }: { id: string; body: TResponseCreate }) =>
    apiRequest<TPlaybookObjection>(`${path(id)}/responses`, { method: 'POST', body }),
  );
}

export function useSetPreferred() {
  return usePlaybookMutation(
    ({ id, responseId, version }: { id: string; responseId: string; version: number }) =>
      apiRequest<TPlaybookObjection>(`${path(id)}/preferred`, {
        method: 'POST',
        body: { responseId, version },
      }),
  );
}

export function useUpdateResponse() {
  return usePlaybookMutation(
    ({ id, responseId, body }: { id: string; responseId: string; body: TResponseUpdate }) =>
      apiRequest<TPlaybookObjection>(`${path(id)}/responses/${encodeURIComponent(responseId)}`, {
        method: 'PATCH',
        body,
      }),
  );
}
