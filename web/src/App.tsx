import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { type ComingSoonKey, HOME_PATH, PAGES, type PageDef, type PageKey } from './navigation.ts';

// Each page is its own chunk; the shell (layout, navigation, language) is all the first load needs.
const AccountsPage = lazy(() =>
  import('./pages/AccountsPage.tsx').then((m) => ({ default: m.AccountsPage })),
);
const ComingSoonPage = lazy(() =>
  import('./pages/ComingSoonPage.tsx').then((m) => ({ default: m.ComingSoonPage })),
);
const NotFoundPage = lazy(() =>
  import('./pages/NotFoundPage.tsx').then((m) => ({ default: m.NotFoundPage })),
);

const READY_PAGES: Partial<Record<PageKey, LazyExoticComponent<ComponentType>>> = {
  accounts: AccountsPage,
};

function pageElement(page: PageDef) {
  const Page = READY_PAGES[page.key];
  // Every page without a component is, by the definition of ComingSoonKey, one that is coming.
  return Page ? <Page /> : <ComingSoonPage page={page.key as ComingSoonKey} />;
}

export function App() {
  return (
    <Routes>
      {/* The sign-in page and a session gate (a layout route that renders <Outlet /> or redirects to
          sign-in) go here, wrapping the AppLayout route below. */}
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to={HOME_PATH} replace />} />
        {PAGES.map((page) => (
          <Route key={page.key} path={`${page.path}/*`} element={pageElement(page)} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
