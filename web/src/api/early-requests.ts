import type { QueryClient } from '@tanstack/react-query';
import { TodayPage } from '../page-chunks.ts';
import { agendaQuery } from './agenda.ts';
import { authStatusQuery } from './auth.ts';

/**
 * Starts what the first screen needs before the language catalog loads and React renders, instead of one after
 * another (session check, then the page's code, then its data): issue 7 asks for Today interactive in 1.5 s.
 * The server's index.html hints the same requests (src/server/web-app.ts), so the browser may have them already.
 * The queries land in the cache under the keys the pages use, so the pages find them there (or in flight). On
 * Today (the page reps open every morning) that is its code and the agenda, unless the server said the browser
 * has no session (its `tierline-session` meta tag, src/server/web-app.ts): the agenda could only fail with a 401
 * there, and the session gate sends the browser to sign-in. What the first paint can do without (the week's
 * goals, practice due) the page asks for once the agenda is on screen: one server thread answers all of these,
 * and the catalog, which the first render needs, should not queue behind them.
 */
export function startEarlyRequests(
  client: QueryClient,
  location: Pick<Location, 'pathname' | 'search'>,
): Promise<void> {
  void client.prefetchQuery(authStatusQuery());
  if (isPlainToday(location)) {
    if (mayHaveSession()) void client.prefetchQuery(agendaQuery(null));
    // Resolves when Today's code is in: the first render then draws the page with its frame in one commit.
    return TodayPage.preload().catch(() => undefined);
  }
  return Promise.resolve();
}

/**
 * False when the server that sent the page saw no session cookie (index.html's `tierline-session` meta is "0").
 * Without the tag (Vite's dev server) the session is unknown, and the agenda is asked for as before.
 */
export function mayHaveSession(
  doc: Pick<Document, 'querySelector'> | undefined = globalThis.document,
): boolean {
  const meta = doc?.querySelector<HTMLMetaElement>('meta[name="tierline-session"]');
  return meta?.content !== '0';
}

/** Today without ?date= (another day's agenda is rarer; the page asks for it itself). */
function isPlainToday(location: Pick<Location, 'pathname' | 'search'>): boolean {
  const onToday = location.pathname === '/today' || location.pathname === '/today/';
  return onToday && !new URLSearchParams(location.search).has('date');
}
