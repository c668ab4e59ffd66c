import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { AUTH_STATUS_KEY, useAuthStatus } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { PageLoader } from '../../components/PageLoader.tsx';
import { changeLanguage, currentLanguage } from '../../i18n/index.ts';
import { matchLanguage } from '../../i18n/languages.ts';

function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * When any request answers 401 (the session expired, was ended elsewhere or the user was disabled), ask
 * /api/auth/status again: it then says nobody is signed in and the gate sends the browser to sign-in.
 */
function useSessionEndWatch() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const recheck = () => void queryClient.invalidateQueries({ queryKey: AUTH_STATUS_KEY });
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (
        event.type === 'updated' &&
        event.action.type === 'error' &&
        isUnauthenticated(event.action.error)
      ) {
        recheck();
      }
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (
        event.type === 'updated' &&
        event.action.type === 'error' &&
        isUnauthenticated(event.action.error)
      ) {
        recheck();
      }
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient]);
}

/** The language the signed-in user chose (kept on the server) wins over this browser's last choice. */
function useUserLanguage(user: { locale: string; localeChosen: boolean } | null | undefined) {
  const locale = user?.localeChosen ? user.locale : undefined;
  useEffect(() => {
    const language = matchLanguage(locale);
    if (language && language !== currentLanguage()) void changeLanguage(language);
  }, [locale]);
}

/** A layout route: renders the signed-in app, or sends the browser to setup (no user yet) or sign-in. */
export function SessionGate() {
  const { t } = useTranslation();
  const status = useAuthStatus();
  const location = useLocation();
  useSessionEndWatch();
  useUserLanguage(status.data?.user);

  if (status.isPending) return <PageLoader />;
  if (status.isError) {
    return (
      <Container size="xs" py="xl">
        <Paper withBorder radius="lg" p="xl">
          <Stack gap="md" align="flex-start">
            <Title order={1} fz="h3">
              {t('errors.unknown')}
            </Title>
            <Text>
              {status.error instanceof ApiError && status.error.isNetworkError
                ? t('errors.network')
                : status.error.message}
            </Text>
            <Button variant="light" onClick={() => void status.refetch()}>
              {t('errors.retry')}
            </Button>
          </Stack>
        </Paper>
      </Container>
    );
  }
  if (status.data.setupNeeded) return <Navigate to="/setup" replace />;
  if (!status.data.user) {
    const next = `${location.pathname}${location.search}`;
    const to = next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}
