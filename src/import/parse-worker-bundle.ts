import { fileURLToPath } from 'node:url';

/*
 * The parse worker as one plain-JavaScript module, so that it starts without the parent's TypeScript loader.
 * Started through tsx (worker-entry.mjs) a worker registers its own loader and compiles every module it imports,
 * which cost ~25 MiB of resident memory and ~1 s of CPU per import (Node 20 runs loader hooks in an extra
 * thread). esbuild (the compiler tsx itself runs on, installed with it) bundles parse-worker.ts and the project
 * modules it imports once per process, in memory; packages (papaparse, iconv-lite, exceljs, zod) stay imports,
 * rewritten to the absolute URLs this process resolves them to, so the bundle runs from a data: URL and loads
 * the same package files. When esbuild cannot be loaded or fails, the caller falls back to worker-entry.mjs.
 */

const ENTRY = fileURLToPath(new URL('./parse-worker.ts', import.meta.url));

let bundle: Promise<URL | null> | undefined;

/** The bundled parse worker as a data: URL, or null when it cannot be built here (then use worker-entry.mjs). */
export function parseWorkerBundle(): Promise<URL | null> {
  bundle ??= build().catch(() => null);
  return bundle;
}

async function build(): Promise<URL | null> {
  // Built only from the TypeScript sources (a checkout or an npm install of this package).
  if (!ENTRY.endsWith('.ts')) return null;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-by-url',
        setup(build) {
          // Bare specifiers (packages and node: built-ins) stay imports, resolved here as Node resolves them.
          build.onResolve({ filter: /^[^./]/ }, (args) => ({
            path: args.path.startsWith('node:') ? args.path : import.meta.resolve(args.path),
            external: true,
          }));
        },
      },
    ],
  });
  const code = result.outputFiles?.[0]?.text;
  if (!code) return null;
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
