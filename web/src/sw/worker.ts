/**
 * Tierline's service worker, served at /sw.js (scope /): the app opens where there is no signal, and Today shows the
 * signed-in rep's last agenda. Built by vite.config.ts (`serviceWorker()`: esbuild bundles this file with the list of
 * files to precache), registered by web/src/sw/register.ts in production builds only. ARCHITECTURE.md, "Offline".
 *
 * - Install: precaches the build (index.html, every hashed file under /assets/, web/public's files), then takes over
 *   at once (skipWaiting); activate drops the caches of older builds and claims the open pages, so a new deploy
 *   serves from the next navigation on.
 * - Navigations: network first; the server not reached, the last index.html this browser got.
 * - /assets/*: cache first (their names change with their content).
 * - The reads Today's first render needs (rules.ts, `API_READS`): network first; the server not reached (no answer,
 *   or a gateway's 502/503/504), this user's last 200 answer, marked with `x-tierline-offline-as-of`.
 * - Every other request (other reads, and every write: the outbox keeps logs) goes to the network untouched.
 *
 * Cached answers belong to one user: they are kept in that user's cache (`tierline-api-<id>`), the user being the one
 * the last /api/auth/status answer named; at most one such cache exists. Sign-in, setup and sign-out (any write
 * under /api/auth/), a 401, and a status answer naming nobody or someone else drop them.
 */
import {
  apiCacheName,
  apiReadKey,
  classify,
  isCacheableAnswer,
  isGatewayFailure,
  isShellCache,
  OFFLINE_HEADER,
  SHELL_KEY,
  shellCacheName,
  userOfApiCache,
  userOfStatus,
} from './rules.ts';

declare const __TIERLINE_PRECACHE__: readonly string[];
declare const __TIERLINE_BUILD__: string;

// The service worker's own event types (TypeScript's "webworker" lib, which cannot share a program with "DOM").
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const PRECACHE = __TIERLINE_PRECACHE__;
const SHELL = shellCacheName(__TIERLINE_BUILD__);
const SHELL_FILES = new Set(PRECACHE.filter((path) => !path.startsWith('/assets/') && path !== SHELL_KEY));
const STATUS_KEY = '/api/auth/status';

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // Unchanged hashed files come from the browser's HTTP cache (the server lets it keep them for a year).
      await (await caches.open(SHELL)).addAll(PRECACHE);
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (isShellCache(name) && name !== SHELL) await caches.delete(name);
      }
      await scope.clients.claim();
    })(),
  );
});

scope.addEventListener('fetch', (event) => {
  switch (classify(event.request, scope.location.origin, SHELL_FILES)) {
    case 'navigation':
      event.respondWith(navigation(event));
      break;
    case 'asset':
      event.respondWith(asset(event));
      break;
    case 'shell-file':
      event.respondWith(shellFile(event));
      break;
    case 'api-read':
      event.respondWith(apiRead(event, apiReadKey(new URL(event.request.url))));
      break;
    case 'auth-change':
      // Not intercepted: the request goes to the server as it is. Whoever is signed in next, nothing cached stays.
      event.waitUntil(forgetUsers());
      break;
    case 'pass':
      break;
  }
});

async function navigation(event: FetchEvent): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const cached = await shellPage();
    if (cached) return cached;
    throw error;
  }
  if (isGatewayFailure(response.status)) return (await shellPage()) ?? response;
  if (isCacheableAnswer(response) && response.headers.get('content-type')?.startsWith('text/html')) {
    const copy = response.clone();
    event.waitUntil(caches.open(SHELL).then((cache) => cache.put(SHELL_KEY, copy)));
  }
  return response;
}

async function shellPage(): Promise<Response | undefined> {
  return (await caches.open(SHELL)).match(SHELL_KEY);
}

async function asset(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(event.request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (isCacheableAnswer(response)) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function shellFile(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(event.request);
    if (isCacheableAnswer(response)) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (error) {
    const cached = await cache.match(event.request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

// ---- The API reads: one user's answers ----

/**
 * Cache changes run one after another, so a sign-out's drop cannot interleave with a store. `generation` counts the
 * session changes this worker has seen: an answer to a request sent before one is not kept.
 */
let queue: Promise<unknown> = Promise.resolve();
let generation = 0;
/** Settles once the session check in flight (if any) has been handled: the other reads wait for it to know the user. */
let statusHandled: Promise<unknown> = Promise.resolve();

function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** The user whose answers are cached (the one API cache there is), or null. Call inside `serially`. */
async function cachedUser(): Promise<string | null> {
  const users = (await caches.keys()).map(userOfApiCache).filter((user) => user !== null);
  return users.length === 1 ? (users[0] ?? null) : null;
}

function forgetUsers(): Promise<void> {
  generation += 1;
  return serially(async () => {
    for (const name of await caches.keys()) {
      if (userOfApiCache(name) !== null) await caches.delete(name);
    }
  });
}

async function apiRead(event: FetchEvent, key: string): Promise<Response> {
  const started = generation;
  let statusDone: ((value: Promise<unknown> | undefined) => void) | undefined;
  if (key === STATUS_KEY) {
    statusHandled = new Promise((resolve) => {
      statusDone = resolve;
    });
  }
  const statusBefore = statusHandled;
  try {
    let response: Response;
    try {
      response = await fetch(event.request);
    } catch {
      return (await offlineAnswer(key)) ?? Response.error();
    }
    if (isGatewayFailure(response.status)) return (await offlineAnswer(key)) ?? response;
    const copy = isCacheableAnswer(response) ? response.clone() : null;
    const handled = (async () => {
      if (response.status === 401) return forgetUsers();
      if (!copy) return;
      if (key === STATUS_KEY) return rememberStatus(copy, started);
      await statusBefore;
      return remember(key, copy, started);
    })().catch(() => undefined);
    statusDone?.(handled);
    event.waitUntil(handled);
    return response;
  } finally {
    statusDone?.(undefined);
  }
}

/** The session check answered: its user becomes the one whose answers are kept (anyone else's are dropped). */
async function rememberStatus(copy: Response, started: number): Promise<void> {
  const user = userOfStatus(await copy.clone().json());
  if (!user) return forgetUsers();
  return serially(async () => {
    if (generation !== started) return;
    for (const name of await caches.keys()) {
      const other = userOfApiCache(name);
      if (other !== null && other !== user) {
        generation += 1;
        await caches.delete(name);
      }
    }
    await (await caches.open(apiCacheName(user))).put(STATUS_KEY, await stamped(copy));
  });
}

/** Another read answered: kept for the user the session check named, unless the session changed meanwhile. */
function remember(key: string, copy: Response, started: number): Promise<void> {
  return serially(async () => {
    if (generation !== started) return;
    const user = await cachedUser();
    if (!user) return;
    await (await caches.open(apiCacheName(user))).put(key, await stamped(copy));
  });
}

/** The answer as kept: the same body and headers, and when it was received. */
async function stamped(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.set(OFFLINE_HEADER, new Date().toISOString());
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function offlineAnswer(key: string): Promise<Response | undefined> {
  return serially(async () => {
    const user = await cachedUser();
    if (!user) return undefined;
    return (await caches.open(apiCacheName(user))).match(key);
  });
}
