// The esbuild plugin behind every in-process bundle of project TypeScript (the CLI, bin/cli-bundle.mjs; the import's
// worker threads, src/import/parse-worker-bundle.ts). Plain JavaScript: bin/tierline.js loads it before any
// TypeScript can be.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Packages and node: built-ins stay imports, rewritten to the absolute URLs this process resolves them to, so the
 * bundle loads the same files from wherever it runs (a data: URL, a cache folder). JSON from packages is bundled: an
 * external JSON import would lose its `with { type: 'json' }`. `import.meta.url` in a project module becomes that
 * module's own file URL (files next to it: workers, web/dist).
 */
export function projectBundlePlugin() {
  return {
    name: 'packages-by-url',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.endsWith('.json')
          ? { path: fileURLToPath(import.meta.resolve(args.path)) }
          : {
              path: args.path.startsWith('node:') ? args.path : import.meta.resolve(args.path),
              external: true,
            },
      );
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        return {
          contents: source.includes('import.meta.url')
            ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
            : source,
          loader: 'ts',
        };
      });
    },
  };
}
