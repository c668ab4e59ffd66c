import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for this run's demo database, made once by the real binary and copied by e2e/support.ts. */
    e2eDemoCache: string;
  }
}

const ROOT = join(import.meta.dirname, '..');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Builds the web app once before any test file runs, when web/dist is missing or older than its sources, so the
 * browser tests (which run in parallel) never race each other building it. Gives the run a folder for the demo
 * database the browser tests copy (e2e/support.ts makeDemoDatabase), removed when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const demoCache = mkdtempSync(join(tmpdir(), 'tierline-e2e-demo-'));
  project.provide('e2eDemoCache', demoCache);
  const teardown = () => rmSync(demoCache, { recursive: true, force: true });
  // The CLI's bundle (bin/cli-bundle.mjs) too, once, before the CLI and server-process tests start it in parallel.
  const { cliBundle } = await import('../bin/cli-bundle.mjs');
  await cliBundle();
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'web', 'src')),
    newestMtime(join(ROOT, 'web', 'index.html')),
    newestMtime(join(ROOT, 'vite.config.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return teardown;
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return teardown;
}
