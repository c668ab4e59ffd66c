import type { IconName } from './components/icons.tsx';

export const NAV_GROUPS = ['work', 'market', 'skills', 'manage'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export type PageKey =
  | 'today'
  | 'accounts'
  | 'import'
  | 'market'
  | 'plan'
  | 'playbook'
  | 'practice'
  | 'dashboard'
  | 'team'
  | 'settings';

export interface PageDef {
  key: PageKey;
  path: string;
  group: NavGroup;
  icon: IconName;
}

/** Every page of the app, in navigation order. Routes and the navbar are both built from this list. */
export const PAGES: readonly PageDef[] = [
  { key: 'today', path: '/today', group: 'work', icon: 'today' },
  { key: 'accounts', path: '/accounts', group: 'work', icon: 'accounts' },
  { key: 'import', path: '/import', group: 'market', icon: 'import' },
  { key: 'market', path: '/market', group: 'market', icon: 'market' },
  { key: 'plan', path: '/plan', group: 'market', icon: 'plan' },
  { key: 'playbook', path: '/playbook', group: 'skills', icon: 'playbook' },
  { key: 'practice', path: '/practice', group: 'skills', icon: 'practice' },
  { key: 'dashboard', path: '/dashboard', group: 'manage', icon: 'dashboard' },
  { key: 'team', path: '/team', group: 'manage', icon: 'team' },
  { key: 'settings', path: '/settings', group: 'manage', icon: 'settings' },
];

/** Where `/` leads: the rep's day. */
export const HOME_PATH = '/today';

/** Where `/` (and so sign-in) leads each role: managers and admins to the dashboard, reps to their day. */
export function homePathFor(role: string | null | undefined): string {
  return role === 'manager' || role === 'admin' ? '/dashboard' : HOME_PATH;
}

/**
 * Where `/` with a query string leads, the query kept: a day (`?date=YYYY-MM-DD`, a link to a day's agenda,
 * also through sign-in's `next`) opens Today on that day (its own `date` parameter), whoever is signed in; anything
 * else goes to the role's home page (`homePathFor`) with the query as it was.
 */
export function homeTarget(role: string | null | undefined, search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const path = new URLSearchParams(query).has('date') ? HOME_PATH : homePathFor(role);
  return query ? `${path}?${query}` : path;
}

export function pageForPath(pathname: string): PageDef | undefined {
  return PAGES.find((page) => pathname === page.path || pathname.startsWith(`${page.path}/`));
}
