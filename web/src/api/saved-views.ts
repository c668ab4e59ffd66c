import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TSavedView,
  TSavedViewCreate,
  TSavedViewList,
  TSavedViewUpdate,
} from '../../../src/schemas/saved-view.ts';
import { apiRequest } from './client.ts';

export const savedViewKeys = {
  all: ['saved-views'] as const,
};

/** The signed-in person's saved views of the Accounts table, by name. */
export function useSavedViews() {
  return useQuery({
    queryKey: savedViewKeys.all,
    queryFn: ({ signal }) => apiRequest<TSavedViewList>('/saved-views', { signal }),
    staleTime: 60_000,
  });
}

export function useCreateSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TSavedViewCreate) =>
      apiRequest<TSavedView>('/saved-views', { method: 'POST', body: input }),
    onSettled: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}

export function useUpdateSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TSavedViewUpdate & { id: string }) =>
      apiRequest<TSavedView>(`/saved-views/${encodeURIComponent(id)}`, { method: 'PATCH', body: input }),
    onSettled: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}

export function useDeleteSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<null>(`/saved-views/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}
