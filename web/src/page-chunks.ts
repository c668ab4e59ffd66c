import { type ComponentType, createElement, type LazyExoticComponent, lazy, useState } from 'react';

/** A page in its own chunk: `preload()` starts loading it; once loaded, it renders without suspending. */
export type PageChunk = ComponentType & { preload: () => Promise<void> };

/**
 * Like React.lazy, but a page whose code has already arrived (asked for early, see api/early-requests.ts) renders
 * in the same commit as the frame around it, instead of the frame first with a loader and the page one commit
 * later (two renders and two layouts on the first load). Each mounted instance keeps the component it started
 * with, so the page never remounts when its code arrives.
 */
function pageChunk<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): PageChunk {
  let loaded: ComponentType | null = null;
  let loading: Promise<void> | null = null;
  const preload = (): Promise<void> => {
    loading ??= load().then(
      (module) => {
        loaded = pick(module);
      },
      (error: unknown) => {
        loading = null; // a later navigation tries again
        throw error;
      },
    );
    return loading;
  };
  const Lazy: LazyExoticComponent<ComponentType> = lazy(async () => {
    await preload();
    return { default: loaded as ComponentType };
  });
  // biome-ignore lint/correctness/noComponentHookFactories: made once per page at module level, like React.lazy
  function Page() {
    const [component] = useState<ComponentType>(() => loaded ?? Lazy);
    return createElement(component);
  }
  return Object.assign(Page, { preload });
}

// Each page is its own chunk; the shell (layout, navigation, language) is all the first load needs.
export const TodayPage = pageChunk(
  () => import('./pages/TodayPage.tsx'),
  (m) => m.TodayPage,
);
export const AccountsPage = pageChunk(
  () => import('./pages/AccountsPage.tsx'),
  (m) => m.AccountsPage,
);
export const ImportPage = pageChunk(
  () => import('./pages/ImportPage.tsx'),
  (m) => m.ImportPage,
);
export const MarketPage = pageChunk(
  () => import('./pages/MarketPage.tsx'),
  (m) => m.MarketPage,
);
export const PlanPage = pageChunk(
  () => import('./pages/PlanPage.tsx'),
  (m) => m.PlanPage,
);
export const SettingsPage = pageChunk(
  () => import('./pages/SettingsPage.tsx'),
  (m) => m.SettingsPage,
);
export const AccountPage = pageChunk(
  () => import('./pages/AccountPage.tsx'),
  (m) => m.AccountPage,
);
export const PlaybookPage = pageChunk(
  () => import('./pages/PlaybookPage.tsx'),
  (m) => m.PlaybookPage,
);
export const PracticePage = pageChunk(
  () => import('./pages/PracticePage.tsx'),
  (m) => m.PracticePage,
);
export const TeamSkillsPage = pageChunk(
  () => import('./pages/TeamSkillsPage.tsx'),
  (m) => m.TeamSkillsPage,
);
export const TeamPage = pageChunk(
  () => import('./pages/TeamPage.tsx'),
  (m) => m.TeamPage,
);
export const DashboardPage = pageChunk(
  () => import('./pages/DashboardPage.tsx'),
  (m) => m.DashboardPage,
);
export const NotFoundPage = pageChunk(
  () => import('./pages/NotFoundPage.tsx'),
  (m) => m.NotFoundPage,
);
