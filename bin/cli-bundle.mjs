// The CLI as one plain-JavaScript module, so that `tierline` starts without compiling TypeScript through tsx's
// loader: Node 20 runs loader hooks in a thread of their own and resolves every one of the ~200 project modules
// through them, ~1.6 s of CPU before a command runs. esbuild (installed with tsx, a declared dependency) bundles
// src/cli/main.ts and the project modules it imports; packages stay imports, rewritten to the absolute URLs this
// process resolves them to; `import.meta.url` in a project module becomes that module's own file URL (files next
// to it: workers, web/dist). The bundle is kept in node_modules/.cache/tierline with the size and modification
// time of every file it was built from, and rebuilt when one of them changes (or when it was built for another
// copy of the project that links this node_modules). Any failure to build or cache it returns null and
// bin/tierline.js runs the sources through tsx instead (so does TIERLINE_CLI_TSX=1).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectBundlePlugin } from '../src/bundle-plugin.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'src', 'cli', 'main.ts');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'tierline');
const BUNDLE = join(CACHE_DIR, 'cli.mjs');
const INPUTS = join(CACHE_DIR, 'cli-inputs.json');

function fingerprint(file) {
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

/** The cached bundle when every file it was built from is unchanged. */
function cachedBundle() {
  try {
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    // Built by another copy of the project that links this node_modules: its files, not ours.
    if (inputs.node !== process.version || inputs.root !== ROOT) return null;
    for (const [file, print] of Object.entries(inputs.files)) {
      if (fingerprint(file) !== print) return null;
    }
    statSync(BUNDLE);
    return pathToFileURL(BUNDLE);
  } catch {
    return null;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [projectBundlePlugin()],
  });
  const code = result.outputFiles?.[0]?.text;
  if (!code) return null;
  try {
    const files = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const file = resolve(ROOT, input);
      files[file] = fingerprint(file);
    }
    // Packages are imported by the file they resolved to: an install that changes them builds again; so does a
    // change to how the bundle is made.
    for (const file of [
      join(ROOT, 'node_modules', '.package-lock.json'),
      fileURLToPath(import.meta.url),
      join(ROOT, 'src', 'bundle-plugin.mjs'),
    ]) {
      files[file] = fingerprint(file);
    }
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under temporary names and renamed, the bundle first: a CLI started meanwhile sees the old pair, or
    // the new bundle with the old list (which no longer matches the files, so it builds again), or the new pair.
    const suffix = `.${process.pid}.tmp`;
    writeFileSync(BUNDLE + suffix, code);
    writeFileSync(INPUTS + suffix, JSON.stringify({ node: process.version, root: ROOT, files }));
    renameSync(BUNDLE + suffix, BUNDLE);
    renameSync(INPUTS + suffix, INPUTS);
    return pathToFileURL(BUNDLE);
  } catch {
    // A read-only install: run this build from memory (package imports are absolute URLs already).
    return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  }
}

/** The URL of the bundled CLI, built or taken from the cache; null when it cannot be had here. */
export async function cliBundle() {
  if (process.env.TIERLINE_CLI_TSX) return null;
  const cached = cachedBundle();
  if (cached) return cached;
  try {
    return await build();
  } catch (error) {
    if (process.env.TIERLINE_DEBUG)
      console.error('tierline: running from the sources, the bundle failed:', error);
    return null;
  }
}
