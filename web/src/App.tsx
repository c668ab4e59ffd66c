import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { HomeRedirect } from './features/auth/HomeRedirect.tsx';
import { SessionGate } from './features/auth/SessionGate.tsx';
import { PAGES, type PageDef, type PageKey } from './navigation.ts';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';

// Each page is its own chunk; the shell (layout, navigation, language) is all the first load needs.
const AccountsPage = lazy(() =>
  import('./pages/AccountsPage.tsx').then((m) => ({ default: m.AccountsPage })),
);
const ImportPage = lazy(() => import('./pages/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const MarketPage = lazy(() => import('./pages/MarketPage.tsx').then((m) => ({ default: m.MarketPage })));
const PlanPage = lazy(() => import('./pages/PlanPage.tsx').then((m) => ({ default: m.PlanPage })));
const SettingsPage = lazy(() =>
  import('./pages/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })),
);
const TodayPage = lazy(() => import('./pages/TodayPage.tsx').then((m) => ({ default: m.TodayPage })));
const AccountPage = lazy(() => import('./pages/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const PlaybookPage = lazy(() =>
  import('./pages/PlaybookPage.tsx').then((m) => ({ default: m.PlaybookPage })),
);
const PracticePage = lazy(() =>
  import('./pages/PracticePage.tsx').then((m) => ({ default: m.PracticePage })),
);
const TeamSkillsPage = lazy(() =>
  import('./pages/TeamSkillsPage.tsx').then((m) => ({ default: m.TeamSkillsPage })),
);
const TeamPage = lazy(() => import('./pages/TeamPage.tsx').then((m) => ({ default: m.TeamPage })));
const DashboardPage = lazy(() =>
  import('./pages/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })),
);
const NotFoundPage = lazy(() =>
  import('./pages/NotFoundPage.tsx').then((m) => ({ default: m.NotFoundPage })),
);

/** Every page of the navigation has its component: a page added to PAGES without one does not compile. */
const PAGE_COMPONENTS: Record<PageKey, LazyExoticComponent<ComponentType>> = {
  today: TodayPage,
  accounts: AccountsPage,
  import: ImportPage,
  market: MarketPage,
  plan: PlanPage,
  settings: SettingsPage,
  playbook: PlaybookPage,
  practice: PracticePage,
  team: TeamPage,
  dashboard: DashboardPage,
};

function pageElement(page: PageDef) {
  const Page = PAGE_COMPONENTS[page.key];
  return <Page />;
}

export function App() {
  return (
    <Routes>
      {/* Before sign-in: part of the first load (no lazy chunk), since most visits start here. */}
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/setup" element={<SetupPage />} />
      {/* Everything else needs a signed-in user: the gate sends the browser to setup or sign-in. */}
      <Route element={<SessionGate />}>
        <Route element={<AppLayout />}>
          <Route index element={<HomeRedirect />} />
          {/* One account's own page; more specific than accounts/*, so it wins over the list. */}
          <Route path="/accounts/:id" element={<AccountPage />} />
          {/* The team's skill stages; /team itself is the people page. */}
          <Route path="/team/skills" element={<TeamSkillsPage />} />
          {PAGES.map((page) => (
            <Route key={page.key} path={`${page.path}/*`} element={pageElement(page)} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
