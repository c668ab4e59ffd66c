import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type AuthSettings,
  DEFAULT_AUTH_SETTINGS,
  type ResolvedAuth,
  resolveApiToken,
  resolveSessionToken,
  secretsEqual,
} from '../services/auth.ts';
import { ANONYMOUS_ACTOR, makeContext } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import type { AppInstance } from './app.ts';

/**
 * Who may call a route, declared in its `config.access`:
 * - `user` (the default for every /api route): a signed-in user, by session cookie or API token;
 * - `public`: anyone (health, setup, sign-in, status, the docs, the web app's files);
 * - `feed`: no session; the route authenticates by a secret in its URL (calendar feeds, `/cal/<token>.ics`)
 *   and builds its context with `contextForUser` from services/auth.ts.
 * What a signed-in user may do is decided by the services (roles, `scopeFor`), never by the route alone.
 */
export type RouteAccess = 'user' | 'public' | 'feed';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * A public route that still refuses an `Authorization` header it cannot resolve (an unknown, revoked or
     * expired API token) with the 401 every `user` route gives, instead of answering as anonymous: the session
     * check, so a script learns its token no longer works. Without credentials it stays public.
     */
    refusesUnknownToken?: boolean;
  }
  interface FastifyRequest {
    /** How the request is authenticated (null: anonymous). */
    auth: ResolvedAuth | null;
  }
  interface FastifyInstance {
    /** Every route registered on the app, with its access; the authorization matrix test walks it. */
    routeCatalog: RouteInfo[];
    authSettings: AuthSettings;
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess;
}

export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_NAME = 'tierline_session';
// Under https the cookie takes the __Host- prefix: browsers then insist on Secure, Path=/ and no Domain.
const SECURE_COOKIE_NAME = `__Host-${COOKIE_NAME}`;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function sessionCookieName(request: FastifyRequest): string {
  return isHttps(request) ? SECURE_COOKIE_NAME : COOKIE_NAME;
}

/** The value of one cookie from the Cookie header (no dependency needed for this). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function cookieHeader(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${sessionCookieName(request)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (isHttps(request)) parts.push('Secure');
  return parts.join('; ');
}

/** Sets the session cookie (replacing any cookie header set earlier in this reply). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
) {
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', cookieHeader(request, token, maxAgeSeconds));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', cookieHeader(request, '', 0));
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return readCookie(request, sessionCookieName(request));
}

/**
 * TRUST_PROXY: "true"/"1" (trust X-Forwarded-* from any proxy), a hop count, or addresses/CIDRs, comma-separated.
 * Anything else throws, naming the setting, so `serve` stops at the start instead of failing inside Fastify.
 */
export function trustProxyFromEnv(value: string | undefined): FastifyServerOptions['trustProxy'] {
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address: string, hop: number) => hop < hops;
  }
  const entries = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined)
    throw new Error(
      `TRUST_PROXY: "${bad}" is not an IP address or range; use 1 (any proxy), a hop count, or addresses and CIDR ranges such as 10.0.0.0/8, comma-separated.`,
    );
  return entries;
}

/** What proxy-addr (Fastify's trustProxy) accepts: an IP, IP/prefix, IPv4/netmask, or a named range. */
function isProxyAddress(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  const [address = '', range, ...rest] = entry.split('/');
  const kind = isIP(address);
  if (kind === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d+$/.test(range)) return Number(range) <= (kind === 4 ? 32 : 128);
  return kind === 4 && isIP(range) === 4;
}

/** A route's access: as declared in `config.access`, else `user` under /api and `public` elsewhere. */
export function routeAccess(url: string, declared: RouteAccess | undefined): RouteAccess {
  return declared ?? (url.startsWith('/api/') ? 'user' : 'public');
}

export interface AuthHookOptions {
  now: () => Date;
  settings?: Partial<AuthSettings>;
}

/**
 * Installs access control on the root app (before any route is registered): every request gets its actor in
 * `request.ctx` from the session cookie or `Authorization: Bearer <token>`; routes that are not public answer
 * 401 without one; a state-changing request authenticated by cookie must carry the session's CSRF token in
 * `x-csrf-token`; a read-only API token can only read. Nothing here keeps state in memory.
 */
export function installAuth(app: AppInstance, db: Db, options: AuthHookOptions): void {
  const settings: AuthSettings = { ...DEFAULT_AUTH_SETTINGS, ...options.settings };
  const { now } = options;
  app.decorate('authSettings', settings);
  app.decorate('routeCatalog', [] as RouteInfo[]);
  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    // The docs (swagger-ui's own routes) are public: the API's description is no secret.
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, access: 'public' };
    const access = routeAccess(route.url, route.config?.access);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) app.routeCatalog.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const routeUrl = request.routeOptions.url;
    const access = routeAccess(routeUrl ?? '', request.routeOptions.config?.access);
    request.ctx = makeContext(db, ANONYMOUS_ACTOR, now);
    request.auth = null;
    if (access === 'feed') return;
    // The web app's files and pages (src/server/web-app.ts) are the same for everyone: no session lookup for
    // each of the ~25 files of a first load.
    if (access === 'public' && !request.url.startsWith('/api/')) return;

    const at = now();
    const authorization = request.headers.authorization;
    let auth: ResolvedAuth | null = null;
    if (authorization !== undefined) {
      const bearer = /^Bearer +([^\s]+)$/i.exec(authorization)?.[1];
      auth = bearer ? await resolveApiToken(db, bearer, at) : null;
      if (!auth && (access === 'user' || request.routeOptions.config?.refusesUnknownToken === true)) {
        throw new AppError('unauthenticated', msg('auth.token_unknown'));
      }
    } else {
      const token = sessionTokenOf(request);
      if (token) {
        auth = await resolveSessionToken(db, token, at, settings);
        // An expired or ended session: tell the browser to drop the cookie.
        if (!auth) clearSessionCookie(request, reply);
      }
    }
    if (auth) {
      request.auth = auth;
      request.ctx = makeContext(db, auth.actor, now);
    }
    if (access !== 'user') return;
    if (!auth) throw new AppError('unauthenticated', msg('auth.sign_in_first_session'));
    if (SAFE_METHODS.has(request.method)) return;
    if (auth.kind === 'token') {
      if (auth.tokenAccess !== 'write') {
        throw new AppError('forbidden', msg('auth.token_read_only'));
      }
      return;
    }
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !auth.csrfSecret || !secretsEqual(sent, auth.csrfSecret)) {
      throw new AppError('forbidden', msg('auth.csrf', { header: CSRF_HEADER }), { reason: 'csrf' });
    }
  });
}
