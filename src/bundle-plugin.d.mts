import type { Plugin } from 'esbuild';

/** The esbuild plugin behind every in-process bundle of project TypeScript (src/bundle-plugin.mjs). */
export declare function projectBundlePlugin(): Plugin;
