import '../features/touches/touches.css';
import { Alert, Anchor, Button, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useAccountProfile, useAccountTouches, usePlannedTouches } from '../api/account-page.ts';
import { useAccount } from '../api/accounts.ts';
import type { TLogTouch } from '../api/agenda.ts';
import { ApiError } from '../api/client.ts';
import { Icon } from '../components/icons.tsx';
import { usePageTitle } from '../components/page-title.ts';
import { AccountHeader } from '../features/account-page/AccountHeader.tsx';
import { FactsCard } from '../features/account-page/FactsCard.tsx';
import { ObjectionsMetCard } from '../features/account-page/ObjectionsMetCard.tsx';
import { PlannedTouchesCard } from '../features/account-page/PlannedTouchesCard.tsx';
import { SourcesCard } from '../features/account-page/SourcesCard.tsx';
import { TierCard } from '../features/account-page/TierCard.tsx';
import { TouchTimeline } from '../features/account-page/TouchTimeline.tsx';
import { dayIn } from '../features/touches/dates.ts';
import { LazyLogTouchModal } from '../features/touches/LazyLogTouchModal.tsx';
import type { LogTouchTarget } from '../features/touches/LogTouchModal.tsx';
import { Toaster } from '../features/touches/Toaster.tsx';
import { useLogAndConfirm } from '../features/touches/use-log-and-confirm.ts';
import { useWorkspaceTimeZone } from '../i18n/workspace-time-zone.ts';

function cameFromToday(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as { from?: unknown }).from === 'today';
}

/** One account for a rep between visits: who and why this tier, what happened, what comes next; log a touch. */
export function AccountPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const account = useAccount(id);
  // The tab says which account (客户名 · Tierline), or that there is none by that id.
  usePageTitle(
    account.data?.name ??
      (account.error instanceof ApiError && account.error.status === 404 ? t('account.page.notFound') : null),
  );
  const profile = useAccountProfile(id);
  const touches = useAccountTouches(id);
  const planned = usePlannedTouches(id);
  const logAndConfirm = useLogAndConfirm();
  const [logTarget, setLogTarget] = useState<LogTouchTarget | null>(null);
  // The log form's clock is the workspace's, as on Today ("yesterday 16:20" means Shanghai's when the workspace is).
  const timeZone = useWorkspaceTimeZone();
  // ?log=1 (the accounts list's drawer "Log a touch") opens the log form once the account is loaded.
  const [search, setSearch] = useSearchParams();
  const logAsked = search.get('log') === '1';
  const loaded = account.data;
  const firstPlanned = planned.data?.[0]?.channel;
  useEffect(() => {
    if (!logAsked || !loaded || planned.isLoading) return;
    setLogTarget({ accountId: loaded.id, accountName: loaded.name, channel: firstPlanned ?? 'call' });
    setSearch(
      (params) => {
        params.delete('log');
        return params;
      },
      { replace: true, state: location.state },
    );
  }, [logAsked, loaded, planned.isLoading, firstPlanned, setSearch, location.state]);
  // The workspace's today (the agenda's), so that "overdue" and "today" here say what Today says.
  const today = useMemo(() => dayIn(timeZone), [timeZone]);
  const fromToday = cameFromToday(location.state);

  const back = (
    <Anchor
      component={Link}
      to={fromToday ? '/today' : '/accounts'}
      fz="sm"
      className="back-link"
      data-testid="back-link"
    >
      <Group gap={4} wrap="nowrap" component="span">
        <Icon name="arrowLeft" size={16} />
        <span>{fromToday ? t('account.page.backToToday') : t('account.page.backToAccounts')}</span>
      </Group>
    </Anchor>
  );

  if (account.isError) {
    const notFound = account.error instanceof ApiError && account.error.status === 404;
    return (
      <Stack gap="md">
        {back}
        <Alert
          color={notFound ? 'gray' : 'red'}
          variant="light"
          icon={<Icon name="alert" />}
          title={notFound ? t('account.page.notFound') : t('account.loadFailed')}
          role="alert"
        >
          <Stack gap="sm" align="flex-start">
            <Text fz="sm">
              {notFound
                ? t('account.page.notFoundBody')
                : account.error instanceof ApiError && account.error.isNetworkError
                  ? t('errors.network')
                  : account.error.message}
            </Text>
            {!notFound && (
              <Button size="xs" variant="white" color="red" onClick={() => void account.refetch()}>
                {t('errors.retry')}
              </Button>
            )}
          </Stack>
        </Alert>
      </Stack>
    );
  }

  const data = account.data;
  if (!data) {
    return (
      <Stack gap="md" aria-busy="true">
        {back}
        <Skeleton h={150} radius="md" />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
            <Skeleton h={320} radius="md" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
            <Skeleton h={320} radius="md" />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }

  const openLog = () =>
    setLogTarget({
      accountId: data.id,
      accountName: data.name,
      channel: planned.data?.[0]?.channel ?? 'call',
    });

  const submit = async (body: TLogTouch) => {
    await logAndConfirm({ accountId: data.id, accountName: data.name, body });
    setLogTarget(null);
  };

  return (
    <Stack gap="md" className="account-page">
      {back}
      <AccountHeader account={data} onLog={openLog} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Stack gap="md">
            <PlannedTouchesCard touches={planned.data} error={planned.error} today={today} />
            <TouchTimeline
              touches={touches.data}
              error={touches.error}
              profile={profile.data}
              currentYear={today.slice(0, 4)}
              {...(timeZone ? { timeZone } : {})}
            />
            {profile.data && (
              <ObjectionsMetCard
                profile={profile.data}
                currentYear={today.slice(0, 4)}
                {...(timeZone ? { timeZone } : {})}
              />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Stack gap="md">
            <TierCard account={data} profile={profile.data} />
            <FactsCard account={data} profile={profile.data} />
            {profile.data && <SourcesCard profile={profile.data} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <LazyLogTouchModal
        target={logTarget}
        onClose={() => setLogTarget(null)}
        onSubmit={submit}
        {...(timeZone ? { timeZone } : {})}
      />
      <Toaster />
    </Stack>
  );
}
