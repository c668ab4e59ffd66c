import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAuthStatus, TSetup, TSignedIn, TSignIn } from '../../../src/schemas/auth.ts';
import type { Language } from '../i18n/languages.ts';
import { apiRequest, setCsrfToken } from './client.ts';

export const AUTH_STATUS_KEY = ['auth', 'status'] as const;

export async function fetchAuthStatus(signal?: AbortSignal): Promise<TAuthStatus> {
  const status = await apiRequest<TAuthStatus>('/auth/status', { signal });
  setCsrfToken(status.csrfToken);
  return status;
}

/** Setup needed? Demo loaded? Who is signed in? Asked once per page load and after every sign-in or sign-out. */
export function authStatusQuery() {
  return queryOptions({
    queryKey: AUTH_STATUS_KEY,
    queryFn: ({ signal }) => fetchAuthStatus(signal),
    staleTime: 5 * 60_000,
  });
}

export function useAuthStatus() {
  return useQuery(authStatusQuery());
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

/**
 * Saves the signed-in user's language on the server (PATCH /api/users/:id with their own id), so the next
 * sign-in, on any device, opens in it. Nobody signed in: nothing to save (the browser remembers it).
 */
export function useSaveLanguage() {
  const queryClient = useQueryClient();
  return (language: Language) => {
    const status = queryClient.getQueryData<TAuthStatus>(AUTH_STATUS_KEY);
    const user = status?.user;
    if (!user || (user.locale === language && user.localeChosen)) return;
    // Said at once, so the session gate does not switch back to the old language while the request runs.
    queryClient.setQueryData<TAuthStatus>(AUTH_STATUS_KEY, {
      ...status,
      user: { ...user, locale: language, localeChosen: true },
    });
    apiRequest(`/users/${encodeURIComponent(user.id)}`, {
      method: 'PATCH',
      body: { locale: language },
    }).catch(() => {
      // Not saved (offline, session ended): the browser still remembers the choice; the gate re-checks on 401.
    });
  };
}
