/**
 * What the service worker (web/src/sw/worker.ts, built into web/dist/sw.js by vite.config.ts) does with a request,
 * and how its caches are named: pure, so test/web/sw-rules.test.ts checks them without a browser.
 *
 * - `navigation`: a page of the app; network first, else the last index.html this browser got.
 * - `asset`: a hashed file under /assets/ (its name changes with its content); cache first.
 * - `shell-file`: another precached file with a fixed name (intl-warmup.js); network first, else the cache.
 * - `api-read`: one of the reads Today's first render needs; network first, else this user's last good answer.
 * - `auth-change`: a sign-in, setup or sign-out; passed through untouched, and every user's cached answers dropped.
 * - `pass`: anything else (every other API call, every write); the worker leaves it alone and caches nothing.
 */
export type RequestKind = 'navigation' | 'asset' | 'shell-file' | 'api-read' | 'auth-change' | 'pass';

export const CACHE_PREFIX = 'tierline-';
const SHELL_PREFIX = `${CACHE_PREFIX}shell-`;
const API_PREFIX = `${CACHE_PREFIX}api-`;

/** Where the worker keeps the app's last index.html (the fallback of every navigation). */
export const SHELL_KEY = '/index.html';

/** Set on an answer served from the cache instead of the server: the moment (ISO) that answer was received. */
export const OFFLINE_HEADER = 'x-tierline-offline-as-of';

/**
 * The API reads Today's first render makes (web/src/api: the session check, the frame's workspace settings, today's
 * agenda, the week's goals, practice due), each exactly as the web app asks for it: another day's agenda or any
 * other query is not cached.
 */
const API_READS = new Set([
  '/api/auth/status',
  '/api/settings',
  '/api/agenda',
  '/api/goals?period=week',
  '/api/practice/due',
]);

export function shellCacheName(version: string): string {
  return `${SHELL_PREFIX}${version}`;
}

export function isShellCache(name: string): boolean {
  return name.startsWith(SHELL_PREFIX);
}

/** The cache of one user's API answers: nothing in it is ever served to another user. */
export function apiCacheName(userId: string): string {
  return `${API_PREFIX}${encodeURIComponent(userId)}`;
}

/** The user an API cache belongs to, or null for a cache that is not one. */
export function userOfApiCache(name: string): string | null {
  if (!name.startsWith(API_PREFIX)) return null;
  try {
    return decodeURIComponent(name.slice(API_PREFIX.length)) || null;
  } catch {
    return null;
  }
}

export interface RequestFacts {
  method: string;
  url: string;
  /** Request.mode: 'navigate' for a page load. */
  mode: string;
}

/**
 * What the worker does with a request from a page at `origin`; `shellFiles`: the precached files outside /assets/
 * (web/public's, such as /intl-warmup.js).
 */
export function classify(
  request: RequestFacts,
  origin: string,
  shellFiles: ReadonlySet<string> = new Set(),
): RequestKind {
  const url = new URL(request.url);
  if (url.origin !== origin) return 'pass';
  const read = request.method === 'GET';
  if (!read) {
    // Sign-in, setup, sign-out (here or everywhere): the session changes, so what was cached is nobody's now.
    return request.method !== 'HEAD' && url.pathname.startsWith('/api/auth/') ? 'auth-change' : 'pass';
  }
  if (url.pathname.startsWith('/api/')) return API_READS.has(apiReadKey(url)) ? 'api-read' : 'pass';
  if (request.mode === 'navigate') return 'navigation';
  if (/^\/assets\/[^/]+$/.test(url.pathname) && url.search === '') return 'asset';
  if (shellFiles.has(url.pathname) && url.search === '') return 'shell-file';
  return 'pass';
}

/** A cacheable read's key: its path and query as the web app sends them (apiRequest drops empty values). */
export function apiReadKey(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** Whether an answer may be kept: a 200 whose body can be read (not opaque, not a redirect). */
export function isCacheableAnswer(response: Pick<Response, 'status' | 'type'>): boolean {
  return response.status === 200 && (response.type === 'basic' || response.type === 'default');
}

/** Answers that mean the server was not reached: a gateway's in place of the server's (as the outbox sees them). */
export function isGatewayFailure(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** The signed-in user's id in an /api/auth/status answer; null when nobody is signed in or the body is not one. */
export function userOfStatus(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('user' in body)) return null;
  const user = (body as { user: unknown }).user;
  if (typeof user !== 'object' || user === null || !('id' in user)) return null;
  const id = (user as { id: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : null;
}
