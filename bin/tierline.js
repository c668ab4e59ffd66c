#!/usr/bin/env node
// Runs the TypeScript CLI, so `npx tierline` and `npm run cli --` work right after `npm install`: as one bundled
// module built by esbuild and cached (bin/cli-bundle.mjs; starts in a fraction of the time), or, when that cannot
// be built here or TIERLINE_CLI_TSX is set, from the sources through tsx.
import { cliBundle } from './cli-bundle.mjs';

const bundle = await cliBundle();
if (bundle) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
