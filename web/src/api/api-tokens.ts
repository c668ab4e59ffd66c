import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TApiToken, TApiTokenCreate, TApiTokenCreated } from '../../../src/schemas/auth.ts';
import type { TUser } from '../../../src/schemas/people.ts';
import { apiRequest } from './client.ts';

export type { TApiToken, TApiTokenCreate, TApiTokenCreated };

export const apiTokenKeys = {
  all: ['api-tokens'] as const,
};

/** Personal API tokens the signed-in user may see: their own; an admin everyone's (GET /api/auth/tokens). */
export function useApiTokens() {
  return useQuery({
    queryKey: apiTokenKeys.all,
    queryFn: ({ signal }) => apiRequest<{ items: TApiToken[] }>('/auth/tokens', { signal }),
    select: (data) => data.items,
  });
}

/** A new token for the signed-in user: the secret (`token`) is in this answer only. */
export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TApiTokenCreate) =>
      apiRequest<TApiTokenCreated>('/auth/tokens', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}

/** Revokes a token (one's own; an admin anyone's): it is refused from the next request on. */
export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<null>(`/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}

/**
 * Names of the people the signed-in user may see, by id (GET /api/users; the cache entry the market's author
 * uses too), for the owners of other people's tokens an admin sees. Only asked for when `enabled`.
 */
export function useVisibleUserNames(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'visible'] as const,
    queryFn: ({ signal }) => apiRequest<{ items: TUser[] }>('/users', { signal }),
    enabled,
    staleTime: 5 * 60_000,
    select: (data) => new Map(data.items.map((user) => [user.id, { name: user.name, email: user.email }])),
  });
}
