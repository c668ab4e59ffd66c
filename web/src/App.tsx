import { Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { HomeRedirect } from './features/auth/HomeRedirect.tsx';
import { SessionGate } from './features/auth/SessionGate.tsx';
import { PAGES, type PageDef, type PageKey } from './navigation.ts';
import {
  AccountPage,
  AccountsPage,
  DashboardPage,
  ImportPage,
  MarketPage,
  NotFoundPage,
  type PageChunk,
  PlanPage,
  PlaybookPage,
  PracticePage,
  SettingsPage,
  TeamPage,
  TeamSkillsPage,
  TodayPage,
} from './page-chunks.ts';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';

/** Every page of the navigation has its component: a page added to PAGES without one does not compile. */
const PAGE_COMPONENTS: Record<PageKey, PageChunk> = {
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
