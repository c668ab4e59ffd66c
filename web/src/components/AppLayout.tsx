import { AppShell, Burger, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { useLoadedWorkspaceTimeZone } from '../api/workspace-settings.ts';
import { UserMenu } from '../features/auth/UserMenu.tsx';
import { KeptLogs } from '../features/touches/KeptLogs.tsx';
import { WorkspaceTimeZone } from '../i18n/workspace-time-zone.ts';
import { NAV_GROUPS, PAGES, pageForPath } from '../navigation.ts';
import { Icon, LogoMark } from './icons.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PageErrorBoundary } from './PageErrorBoundary.tsx';
import { PageLoader } from './PageLoader.tsx';
import { PageTitleContext } from './page-title.ts';
import { PlainNavLink } from './plain-ui.tsx';

/** The frame around every signed-in page: header, navigation, and the routed page in <main>. */
export function AppLayout() {
  const { t } = useTranslation();
  const role = useAuthStatus().data?.user?.role;
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the sm breakpoint (48em = 768px) the navbar slides out of view; inert keeps its links out of the tab order.
  const isWide = useMediaQuery('(min-width: 48em)', true);
  const location = useLocation();
  const current = pageForPath(location.pathname);
  // The page's own title (usePageTitle), else its navigation link's name.
  const [pageTitle, setPageTitle] = useState<string | null>(null);
  const page = pageTitle ?? (current ? t(`nav.${current.key}`) : null);
  useDocumentTitle(page ? t('app.pageTitle', { page }) : t('app.name'));
  // Every moment a page shows is on the workspace's clock (useFormat reads it), whatever the browser's zone.
  const timeZone = useLoadedWorkspaceTimeZone();

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('app.closeNavigation') : t('app.openNavigation')}
              aria-controls="app-navigation"
              aria-expanded={opened}
            />
            <UnstyledButton component={Link} to="/" aria-label={t('app.name')}>
              <Group gap={10} wrap="nowrap">
                <LogoMark />
                {/* On a phone the mark alone (the link keeps the name): the room goes to the user's name. */}
                <Text fw={700} fz="lg" c="dark.8" visibleFrom="xs">
                  {t('app.name')}
                </Text>
              </Group>
            </UnstyledButton>
            <Text c="dimmed" fz="sm" visibleFrom="md">
              {t('app.tagline')}
            </Text>
          </Group>
          {/* This side gives way on a narrow screen: only a long name shortens with an ellipsis. */}
          <Group gap="sm" wrap="nowrap" miw={0} justify="flex-end">
            <div style={{ flexShrink: 0 }}>
              <LanguageSwitch />
            </div>
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        id="app-navigation"
        aria-label={t('app.mainNavigation')}
        p="sm"
        component="nav"
        inert={!isWide && !opened}
      >
        {/* The browser's own scrolling: Mantine's ScrollArea measured and observed the list on every page load. */}
        <AppShell.Section grow className="nav-scroll">
          <Stack gap="md">
            {NAV_GROUPS.map((group) => (
              <div key={group}>
                <h2 className={`${Text.classes.root} nav-group-title`}>
                  {/* A rep manages nobody: the same pages are their team and their (read-only) settings. */}
                  {group === 'manage' && role === 'rep'
                    ? t('nav.groups.manageRep')
                    : t(`nav.groups.${group}`)}
                </h2>
                {PAGES.filter((page) => page.group === group).map((page) => {
                  const active = current?.key === page.key;
                  return (
                    <PlainNavLink
                      key={page.key}
                      to={page.path}
                      label={t(`nav.${page.key}`)}
                      leftSection={<Icon name={page.icon} />}
                      active={active}
                      aria-current={active ? 'page' : undefined}
                      onClick={close}
                    />
                  );
                })}
              </div>
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <PlainNavLink
            href="/api/docs"
            label={t('app.apiDocs')}
            leftSection={<Icon name="external" size={18} />}
            className="nav-link-dimmed"
          />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1}>
        <WorkspaceTimeZone value={timeZone}>
          <PageErrorBoundary key={current?.key ?? location.pathname}>
            <Suspense fallback={<PageLoader />}>
              <PageTitleContext value={setPageTitle}>
                <KeptLogs />
                <Outlet />
              </PageTitleContext>
            </Suspense>
          </PageErrorBoundary>
        </WorkspaceTimeZone>
      </AppShell.Main>
    </AppShell>
  );
}
