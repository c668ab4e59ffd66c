import { fileURLToPath } from 'node:url';
import { projectBundlePlugin } from '../bundle-plugin.mjs';

/*
 * Worker threads (the parse worker, the SQLite import writer) as one plain-JavaScript module each, so that they
 * start without the parent's TypeScript loader. Started through tsx (worker-entry.mjs) a worker registers its own
 * loader and compiles every module it imports, which cost ~25 MiB of resident memory and ~1 s of CPU per import
 * (Node 20 runs loader hooks in an extra thread). esbuild (the compiler tsx itself runs on, installed with it)
 * bundles the worker's module and the project modules it imports once per process, in memory; packages
 * (papaparse, iconv-lite, better-sqlite3, kysely …) stay imports, rewritten to the absolute URLs this process
 * resolves them to, and `import.meta.url` in a project module becomes that module's own file URL, so the bundle
 * runs from a data: URL and loads the same files. When esbuild cannot be loaded or fails, the caller falls back
 * to worker-entry.mjs.
 */

const PARSE_ENTRY = fileURLToPath(new URL('./parse-worker.ts', import.meta.url));

const bundles = new Map<string, Promise<URL | null>>();

/** The bundled parse worker as a data: URL, or null when it cannot be built here (then use worker-entry.mjs). */
export function parseWorkerBundle(): Promise<URL | null> {
  return workerBundle(PARSE_ENTRY);
}

/**
 * Hands this thread the parse worker's bundle built by its parent (the SQLite import writer starts the parse
 * worker from a worker thread of its own, and need not load esbuild again for it).
 */
export function presetParseWorkerBundle(url: URL | null): void {
  bundles.set(PARSE_ENTRY, Promise.resolve(url));
}

/** The TypeScript module `entry` (an absolute path) bundled as a data: URL, or null when it cannot be built here. */
export function workerBundle(entry: string): Promise<URL | null> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    bundle = build(entry).catch(() => null);
    bundles.set(entry, bundle);
  }
  return bundle;
}

async function build(entry: string): Promise<URL | null> {
  // Built only from the TypeScript sources (a checkout or an npm install of this package).
  if (!entry.endsWith('.ts')) return null;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // Packages stay imports by absolute URL; `import.meta.url` stays each module's own file URL.
    plugins: [projectBundlePlugin()],
  });
  const code = result.outputFiles?.[0]?.text;
  if (!code) return null;
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
