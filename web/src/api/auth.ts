import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAuthStatus, TSetup, TSignedIn, TSignIn } from '../../../src/schemas/auth.ts';
import { apiRequest, setCsrfToken } from './client.ts';

export const AUTH_STATUS_KEY = ['auth', 'status'] as const;

export async function fetchAuthStatus(signal?: AbortSignal): Promise<TAuthStatus> {
  const status = await apiRequest<TAuthStatus>('/auth/status', { signal });
  setCsrfToken(status.csrfToken);
  return status;
}

/** Setup needed? Demo loaded? Who is signed in? Asked once per page load and after every sign-in or sign-out. */
export function useAuthStatus() {
  return useQuery({
    queryKey: AUTH_STATUS_KEY,
    queryFn: ({ signal }) => fetchAuthStatus(signal),
    staleTime: 5 * 60_000,
  });
}

/** Everything cached belongs to the previous user: drop it, then learn who is signed in now. */
function useStartOver() {
  const queryClient = useQueryClient();
  return async (signedIn: TSignedIn | null) => {
    setCsrfToken(signedIn?.csrfToken ?? null);
    queryClient.clear();
    await queryClient.fetchQuery({
      queryKey: AUTH_STATUS_KEY,
      queryFn: ({ signal }) => fetchAuthStatus(signal),
    });
  };
}

export function useSignIn() {
  const startOver = useStartOver();
  return useMutation({
    mutationFn: (input: TSignIn) => apiRequest<TSignedIn>('/auth/sign-in', { method: 'POST', body: input }),
    onSuccess: startOver,
  });
}

export function useSetup() {
  const startOver = useStartOver();
  return useMutation({
    mutationFn: (input: TSetup) => apiRequest<TSignedIn>('/auth/setup', { method: 'POST', body: input }),
    onSuccess: startOver,
  });
}

export function useSignOut() {
  const startOver = useStartOver();
  return useMutation({
    mutationFn: (scope: 'this' | 'everywhere') =>
      apiRequest<unknown>(scope === 'everywhere' ? '/auth/sign-out-everywhere' : '/auth/sign-out', {
        method: 'POST',
      }),
    // Signed out either way: even when the server could not be told, this browser forgets the session.
    onSettled: () => startOver(null),
  });
}
