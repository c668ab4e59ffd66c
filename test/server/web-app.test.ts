import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { catalogModuleFor, pageModuleFor } from '../../src/server/web-app.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { fixedClock } from '../helpers/databases.ts';

// src/server/web-app.ts: index.html for every route of the web app with preload hints for that route's first
// screen, hashed assets cached for a year. A web root laid out as `vite build` lays it out (index.html with the
// entry and its preloads, assets/, .vite/manifest.json); the real build is exercised by the browser tests.
const INDEX_HTML = `<!doctype html>
<html lang="zh-CN">
  <head>
    <title>Tierline</title>
    <script type="module" crossorigin src="/assets/index-AAAA.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/react-BBBB.js">
    <link rel="stylesheet" crossorigin href="/assets/index-CCCC.css">
  </head>
  <body><div id="root"></div></body>
</html>
`;

const MANIFEST = {
  'index.html': {
    file: 'assets/index-AAAA.js',
    isEntry: true,
    imports: ['_react-BBBB.js'],
    css: ['assets/index-CCCC.css'],
  },
  '_react-BBBB.js': { file: 'assets/react-BBBB.js' },
  '_shared-DDDD.js': { file: 'assets/shared-DDDD.js', imports: ['_react-BBBB.js'] },
  'src/pages/TodayPage.tsx': {
    file: 'assets/TodayPage-EEEE.js',
    isDynamicEntry: true,
    imports: ['_react-BBBB.js', '_shared-DDDD.js'],
    css: ['assets/touches-FFFF.css'],
  },
  'src/pages/AccountPage.tsx': {
    file: 'assets/AccountPage-GGGG.js',
    isDynamicEntry: true,
    imports: ['_shared-DDDD.js'],
  },
  'src/pages/AccountsPage.tsx': { file: 'assets/AccountsPage-HHHH.js', isDynamicEntry: true },
  'src/i18n/zh-CN.json': { file: 'assets/zh-CN-IIII.js', isDynamicEntry: true },
  'src/i18n/en.json': { file: 'assets/en-JJJJ.js', isDynamicEntry: true },
};

const BIG_CHUNK = `export const rows = [${Array.from({ length: 400 }, (_, i) => `'row ${i}'`).join(', ')}];\n`;

describe('web app serving', () => {
  let root: string;
  let db: Db;
  let app: AppInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tierline-web-'));
    mkdirSync(join(root, 'assets'));
    mkdirSync(join(root, '.vite'));
    writeFileSync(join(root, 'index.html'), INDEX_HTML);
    writeFileSync(join(root, '.vite', 'manifest.json'), JSON.stringify(MANIFEST));
    for (const chunk of Object.values(MANIFEST)) writeFileSync(join(root, chunk.file), '// chunk\n');
    writeFileSync(join(root, 'intl-warmup.js'), '// warm-up\n');
    writeFileSync(join(root, 'sw.js'), '// service worker\n');
    writeFileSync(join(root, 'assets', 'big-KKKK.js'), BIG_CHUNK);
    db = await createDb(':memory:');
    await migrateToLatest(db);
    app = await buildApp(db, { now: fixedClock, webRoot: root });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  const hrefs = (html: string, rel: string) =>
    [...html.matchAll(new RegExp(`<link rel="${rel}"[^>]*href="([^"]+)"`, 'g'))].map((m) => m[1]);

  it("hints Today's session check, agenda, catalog, code and styles, each file once", async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/today',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9', cookie: 'tierline_session=some-token' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(hrefs(res.body, 'preload')).toEqual([
      '/api/auth/status',
      '/api/agenda',
      '/assets/touches-FFFF.css',
    ]);
    // The entry's own preloads stay as they were; the page adds its chunk and the chunks it imports, not react twice.
    expect(hrefs(res.body, 'modulepreload')).toEqual([
      '/assets/react-BBBB.js',
      '/assets/zh-CN-IIII.js',
      '/assets/TodayPage-EEEE.js',
      '/assets/shared-DDDD.js',
    ]);
    expect(res.body).toMatch(/as="fetch" crossorigin>/);
    // Hints go in <head>, before the body.
    expect(res.body.indexOf('/api/agenda')).toBeLessThan(res.body.indexOf('</head>'));
    expect(res.body).toContain('<meta name="tierline-session" content="1">');
  });

  it('leaves the agenda out without a session cookie (it could only answer 401), and says so to the app', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/today',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9', cookie: 'other=1' },
    });
    expect(hrefs(res.body, 'preload')).toEqual(['/api/auth/status', '/assets/touches-FFFF.css']);
    expect(hrefs(res.body, 'modulepreload')).toContain('/assets/TodayPage-EEEE.js');
    expect(res.body).toContain('<meta name="tierline-session" content="0">');
    expect(res.body.indexOf('tierline-session')).toBeLessThan(res.body.indexOf('</head>'));
  });

  it('leaves the agenda out for another day, and picks the page and catalog by route and language', async () => {
    const otherDay = await app.inject({ method: 'GET', url: '/today?date=2026-12-01' });
    expect(hrefs(otherDay.body, 'preload')).not.toContain('/api/agenda');

    const account = await app.inject({
      method: 'GET',
      url: '/accounts/abc',
      headers: { 'accept-language': 'en-GB,en;q=0.8' },
    });
    expect(hrefs(account.body, 'modulepreload')).toEqual([
      '/assets/react-BBBB.js',
      '/assets/en-JJJJ.js',
      '/assets/AccountPage-GGGG.js',
      '/assets/shared-DDDD.js',
    ]);
    const list = await app.inject({ method: 'GET', url: '/accounts' });
    expect(hrefs(list.body, 'modulepreload')).toContain('/assets/AccountsPage-HHHH.js');
    // A route without a page of its own (the home redirect, an unknown page) gets the session check and catalog only.
    for (const url of ['/', '/no-such-page']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(hrefs(res.body, 'preload'), url).toEqual(['/api/auth/status']);
    }
  });

  it('caches hashed assets for a year and answers a missing one with 404, not the app', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/TodayPage-EEEE.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.body).toBe('// chunk\n');
    // Text worth compressing goes gzipped to a browser that takes it.
    const big = await app.inject({
      method: 'GET',
      url: '/assets/big-KKKK.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(big.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(big.rawPayload).toString()).toBe(BIG_CHUNK);
    const plainBig = await app.inject({ method: 'GET', url: '/assets/big-KKKK.js' });
    expect(plainBig.headers['content-encoding']).toBeUndefined();
    expect(plainBig.body).toBe(BIG_CHUNK);
    const missing = await app.inject({ method: 'GET', url: '/assets/TodayPage-OLD.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const api = await app.inject({ method: 'GET', url: '/api/no-such-route' });
    expect(api.statusCode).toBe(404);
    // The Intl warm-up keeps its name across builds: asked again on every load.
    const warmup = await app.inject({ method: 'GET', url: '/intl-warmup.js' });
    expect(warmup.statusCode).toBe(200);
    expect(warmup.headers['content-type']).toContain('text/javascript');
    expect(warmup.headers['cache-control']).toBe('no-cache');
    expect(warmup.body).toBe('// warm-up\n');
    // The service worker: at the root (its scope is the whole app), and never kept, so a new release is found.
    const worker = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['content-type']).toContain('text/javascript');
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.headers['content-security-policy']).toContain("worker-src 'self'");
    expect(worker.body).toBe('// service worker\n');
    // The manifest is the server's, not the public's.
    expect((await app.inject({ method: 'GET', url: '/.vite/manifest.json' })).statusCode).toBe(404);
  });

  it('maps routes to page modules and languages to catalogs like the web app does', () => {
    expect(pageModuleFor('/today')).toBe('src/pages/TodayPage.tsx');
    expect(pageModuleFor('/team/skills')).toBe('src/pages/TeamSkillsPage.tsx');
    expect(pageModuleFor('/team')).toBe('src/pages/TeamPage.tsx');
    expect(pageModuleFor('/accounts/x1')).toBe('src/pages/AccountPage.tsx');
    expect(pageModuleFor('/')).toBeNull();
    expect(catalogModuleFor(undefined)).toBe('src/i18n/zh-CN.json');
    expect(catalogModuleFor('fr-FR,en-US;q=0.7')).toBe('src/i18n/en.json');
    expect(catalogModuleFor('zh-TW')).toBe('src/i18n/zh-CN.json');
  });
});
