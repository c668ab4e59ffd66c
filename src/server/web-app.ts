import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionTokenOf } from './auth.ts';

/**
 * Serves the built web app (web/dist): the hashed files under /assets/ cached for a year (their names change with
 * their content), and index.html, never cached, for every route of the app.
 *
 * index.html gets preload hints for what the route's first screen needs, so the browser asks for all of it while
 * it still parses the main script instead of one step after another (main script → session check → the page's
 * code → its data): the session check, the page's chunk with the chunks it imports, the language catalog the
 * browser's languages point to, and on Today its agenda. Issue 7 asks for Today interactive in 1.5 s.
 *
 * The agenda is hinted only when the request carries a session cookie: without one it could only answer 401 (a
 * failed request in the console of every signed-out visit). A `tierline-session` meta tag tells the web app the
 * same (web/src/api/early-requests.ts), since the session cookie itself is out of the page's reach (HttpOnly).
 */

/** One chunk of Vite's build manifest (web/dist/.vite/manifest.json, `build.manifest` in vite.config.ts). */
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The page component each route renders (web/src/App.tsx): its first path segment names it, with two exceptions. */
export function pageModuleFor(pathname: string): string | null {
  if (/^\/accounts\/[^/]+\/?$/.test(pathname)) return 'src/pages/AccountPage.tsx';
  if (/^\/team\/skills\/?$/.test(pathname)) return 'src/pages/TeamSkillsPage.tsx';
  const segment = /^\/([a-z-]+)/.exec(pathname)?.[1];
  if (!segment) return null;
  const name = segment
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `src/pages/${name}Page.tsx`;
}

/** The catalog the web app will load (web/src/i18n/languages.ts picks the same from navigator.languages). */
export function catalogModuleFor(acceptLanguage: string | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'src/i18n/zh-CN.json';
    if (tag.startsWith('en')) return 'src/i18n/en.json';
  }
  return 'src/i18n/zh-CN.json';
}

/** Data the route's first screen asks for at once (web/src/api/early-requests.ts). */
function dataFor(pathname: string, search: string): string[] {
  const onToday = pathname === '/today' || pathname === '/today/';
  return onToday && !new URLSearchParams(search).has('date') ? ['/api/agenda'] : [];
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export class WebAppShell {
  private readonly html: string;
  private readonly manifest: Manifest;
  /** Files index.html loads already (the entry and its preloads): not hinted twice. */
  private readonly inHtml: Set<string>;

  constructor(webRoot: string) {
    this.html = readFileSync(join(webRoot, 'index.html'), 'utf8');
    const manifestPath = join(webRoot, '.vite', 'manifest.json');
    // A build without a manifest (an older web/dist) still works, with only the session and data hints.
    this.manifest = existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)
      : {};
    this.inHtml = new Set([...this.html.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1] as string));
  }

  /** index.html for a route, with its preload hints in <head>; `hasSession`: the request has a session cookie. */
  render(pathname: string, search: string, acceptLanguage: string | undefined, hasSession = false): string {
    const links: string[] = [`<meta name="tierline-session" content="${hasSession ? '1' : '0'}">`];
    for (const url of ['/api/auth/status', ...(hasSession ? dataFor(pathname, search) : [])]) {
      // crossorigin (anonymous) gives the same-origin credentials mode the app's fetch() uses, so it is reused.
      links.push(`<link rel="preload" href="${escapeAttribute(url)}" as="fetch" crossorigin>`);
    }
    const scripts = new Set<string>();
    const styles = new Set<string>();
    const page = pageModuleFor(pathname);
    for (const key of [catalogModuleFor(acceptLanguage), ...(page ? [page] : [])]) {
      this.collect(key, scripts, styles, new Set());
    }
    for (const file of scripts) {
      if (!this.inHtml.has(file))
        links.push(`<link rel="modulepreload" crossorigin href="/${escapeAttribute(file)}">`);
    }
    for (const file of styles) {
      if (!this.inHtml.has(file))
        links.push(`<link rel="preload" href="/${escapeAttribute(file)}" as="style" crossorigin>`);
    }
    return this.html.replace(
      /(\s*)<\/head>/,
      (_, space: string) => `${links.map((link) => `\n    ${link}`).join('')}${space}</head>`,
    );
  }

  /** A chunk's file and CSS with those of every chunk it imports statically. */
  private collect(key: string, scripts: Set<string>, styles: Set<string>, seen: Set<string>): void {
    const chunk = this.manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    scripts.add(chunk.file);
    for (const css of chunk.css ?? []) styles.add(css);
    for (const imported of chunk.imports ?? []) this.collect(imported, scripts, styles, seen);
  }
}

/** Registers the static files and the app's routes; `notFound` answers what is neither. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  body: Buffer;
  /** gzip of the body when that is smaller (text files). */
  gzip: Buffer | null;
}

/**
 * The built files, read once: their names carry their content's hash, so they never change under a running
 * server. Served from memory, a first load's ~25 files never wait on the disk or on Node's file thread pool (on
 * a busy machine that pool made them arrive in a second instead of milliseconds), gzipped for remote browsers.
 */
function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const type = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    const body = readFileSync(path);
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
    const gzip = compressible ? gzipSync(body, { level: 6 }) : null;
    assets.set(name, { type, body, gzip: gzip && gzip.length < body.length ? gzip : null });
  }
  return assets;
}

/** Registers the static files and the app's routes; `notFound` answers what is neither. */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<WebAppShell> {
  const shell = new WebAppShell(webRoot);
  const assets = readAssets(join(webRoot, 'assets'));
  app.get<{ Params: { file: string } }>('/assets/:file', (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.callNotFound();
    // Hashed names: a new build gives new names, so a browser may keep these for a year without asking again.
    reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type);
    if (asset.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('vary', 'accept-encoding').header('content-encoding', 'gzip').send(asset.gzip);
    }
    if (asset.gzip) reply.header('vary', 'accept-encoding');
    return reply.send(asset.body);
  });
  // The one script outside assets/ (web/public/intl-warmup.js): a fixed name, so asked again on each load.
  const warmup = join(webRoot, 'intl-warmup.js');
  if (existsSync(warmup)) {
    const body = readFileSync(warmup, 'utf8');
    app.get('/intl-warmup.js', (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(body),
    );
  }
  // The service worker (web/src/sw/worker.ts, built by vite.config.ts): at the root so its scope is the whole app,
  // and never cached, so a browser checking for a new release always asks this server.
  const serviceWorker = join(webRoot, 'sw.js');
  if (existsSync(serviceWorker)) {
    const body = readFileSync(serviceWorker, 'utf8');
    app.get('/sw.js', (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(body),
    );
  }
  app.get('/', (request, reply) => sendWebApp(shell, request, reply));
  app.get('/index.html', (request, reply) => sendWebApp(shell, request, reply));
  return shell;
}

/** index.html for the request's route. */
export function sendWebApp(shell: WebAppShell, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const [pathname = '/', query = ''] = request.url.split('?');
  // Always asked again: it names the current build's files.
  reply.header('cache-control', 'no-cache');
  return reply
    .type('text/html; charset=utf-8')
    .send(
      shell.render(pathname, query, request.headers['accept-language'], Boolean(sessionTokenOf(request))),
    );
}

/** Whether a request that matched no route is one of the web app's own routes (served index.html). */
export function isWebAppRoute(method: string, pathname: string): boolean {
  return (
    method === 'GET' &&
    !pathname.startsWith('/api/') &&
    !pathname.startsWith('/assets/') &&
    !pathname.includes('.')
  );
}
