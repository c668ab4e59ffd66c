// The service worker's rules (web/src/sw/rules.ts): which requests it answers from its caches, which it leaves
// alone, and how one user's cached answers are kept apart from another's.
import { describe, expect, it } from 'vitest';
import {
  apiCacheName,
  apiReadKey,
  classify,
  isCacheableAnswer,
  isGatewayFailure,
  isShellCache,
  shellCacheName,
  userOfApiCache,
  userOfStatus,
} from '../../web/src/sw/rules.ts';

const ORIGIN = 'https://tierline.example';
const SHELL_FILES = new Set(['/intl-warmup.js']);
const kind = (method: string, path: string, mode = 'cors', origin = ORIGIN) =>
  classify({ method, url: `${origin}${path}`, mode }, ORIGIN, SHELL_FILES);

describe('service worker rules', () => {
  it("answers Today's reads from the cache, exactly as the web app asks for them", () => {
    for (const path of [
      '/api/auth/status',
      '/api/settings',
      '/api/agenda',
      '/api/goals?period=week',
      '/api/practice/due',
    ]) {
      expect(kind('GET', path), path).toBe('api-read');
    }
    // Another day, another period, or any other read: never cached.
    for (const path of [
      '/api/agenda?date=2026-11-27',
      '/api/goals?period=month',
      '/api/goals?period=week&date=2026-11-20',
      '/api/accounts',
      '/api/accounts/a1/touches',
      '/api/team/day',
      '/api/auth/status/',
      '/api/users/u1',
    ]) {
      expect(kind('GET', path), path).toBe('pass');
    }
  });

  it('never intercepts a write; a write under /api/auth/ drops the cached answers', () => {
    expect(kind('POST', '/api/accounts/a1/touches')).toBe('pass');
    expect(kind('PATCH', '/api/settings')).toBe('pass');
    expect(kind('DELETE', '/api/saved-views/v1')).toBe('pass');
    expect(kind('POST', '/api/agenda')).toBe('pass');
    for (const path of [
      '/api/auth/sign-in',
      '/api/auth/setup',
      '/api/auth/sign-out',
      '/api/auth/sign-out-everywhere',
    ]) {
      expect(kind('POST', path), path).toBe('auth-change');
    }
    expect(kind('HEAD', '/api/auth/status')).toBe('pass');
  });

  it('serves pages, hashed files and the fixed-name files of the shell; leaves other origins alone', () => {
    expect(kind('GET', '/today', 'navigate')).toBe('navigation');
    expect(kind('GET', '/accounts/a1?tab=touches', 'navigate')).toBe('navigation');
    expect(kind('GET', '/assets/TodayPage-DGXcsi_Y.js')).toBe('asset');
    expect(kind('GET', '/assets/app-HexK8Qk1.css', 'no-cors')).toBe('asset');
    expect(kind('GET', '/assets/TodayPage-DGXcsi_Y.js?v=2')).toBe('pass');
    expect(kind('GET', '/intl-warmup.js', 'no-cors')).toBe('shell-file');
    expect(kind('GET', '/sw.js')).toBe('pass');
    expect(kind('GET', '/docs/json')).toBe('pass');
    expect(kind('GET', '/api/agenda', 'cors', 'https://elsewhere.example')).toBe('pass');
    expect(kind('GET', '/today', 'navigate', 'https://elsewhere.example')).toBe('pass');
    expect(apiReadKey(new URL(`${ORIGIN}/api/goals?period=week`))).toBe('/api/goals?period=week');
  });

  it('keeps one cache per user and knows whose it is', () => {
    expect(apiCacheName('u-1')).not.toBe(apiCacheName('u-2'));
    expect(userOfApiCache(apiCacheName('u-1'))).toBe('u-1');
    // An id with characters a cache name would confuse still comes back as it was.
    expect(userOfApiCache(apiCacheName('a/b c%'))).toBe('a/b c%');
    expect(userOfApiCache(shellCacheName('abc123'))).toBeNull();
    expect(userOfApiCache('other-cache')).toBeNull();
    expect(userOfApiCache('tierline-api-')).toBeNull();
    expect(isShellCache(shellCacheName('abc123'))).toBe(true);
    expect(isShellCache(apiCacheName('u-1'))).toBe(false);
  });

  it('reads the signed-in user from a session check, and nobody from anything else', () => {
    expect(userOfStatus({ setupNeeded: false, user: { id: 'u-1', role: 'rep' }, csrfToken: 't' })).toBe(
      'u-1',
    );
    expect(userOfStatus({ setupNeeded: false, user: null, csrfToken: null })).toBeNull();
    expect(userOfStatus({ user: { id: '' } })).toBeNull();
    expect(userOfStatus({ user: { id: 7 } })).toBeNull();
    expect(userOfStatus(null)).toBeNull();
    expect(userOfStatus('u-1')).toBeNull();
  });

  it('keeps only 200 answers it can read, and takes a gateway error for an unreachable server', () => {
    expect(isCacheableAnswer({ status: 200, type: 'basic' })).toBe(true);
    expect(isCacheableAnswer({ status: 200, type: 'default' })).toBe(true);
    for (const status of [201, 204, 304, 401, 403, 404, 500, 502]) {
      expect(isCacheableAnswer({ status, type: 'basic' }), String(status)).toBe(false);
    }
    expect(isCacheableAnswer({ status: 200, type: 'opaque' })).toBe(false);
    expect(isCacheableAnswer({ status: 0, type: 'opaqueredirect' })).toBe(false);
    expect([502, 503, 504].every(isGatewayFailure)).toBe(true);
    expect([200, 401, 404, 500].some(isGatewayFailure)).toBe(false);
  });
});
