import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));

/**
 * web/dist/sw.js, the service worker (web/src/sw/worker.ts, bundled by esbuild into one classic script), with the
 * files it precaches: index.html, every file of this build under assets/ and web/public's files. Its cache is named
 * after that list, so a build with other files replaces it (and the worker's bytes change, so browsers update it).
 */
function serviceWorker(): Plugin {
  return {
    name: 'tierline-service-worker',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const publicDir = join(webRoot, 'public');
      const files = [
        ...Object.keys(bundle).filter((file) => file.startsWith('assets/')),
        ...(existsSync(publicDir) ? readdirSync(publicDir) : []),
      ]
        .map((file) => `/${file}`)
        .sort();
      const precache = ['/index.html', ...files];
      const build = createHash('sha256').update(JSON.stringify(precache)).digest('hex').slice(0, 12);
      const result = await esbuild({
        entryPoints: [join(webRoot, 'src', 'sw', 'worker.ts')],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'es2022',
        minify: true,
        legalComments: 'none',
        define: {
          __TIERLINE_PRECACHE__: JSON.stringify(precache),
          __TIERLINE_BUILD__: JSON.stringify(build),
        },
      });
      const source = result.outputFiles[0]?.text;
      if (!source) throw new Error('esbuild produced no service worker');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

/**
 * Mantine components of the first load (the frame, sign-in, setup and Today; not its log form, which loads on
 * demand) and every component they import. A component missing here still works: it lands in `mantine-pages`,
 * which Today then loads too.
 */
const FIRST_LOAD_MANTINE = [
  'Accordion',
  'ActionIcon',
  'Alert',
  'Anchor',
  'AppShell',
  'Badge',
  'Burger',
  'Button',
  'Center',
  'Checkbox',
  'CloseButton',
  'Collapse',
  'Container',
  'Divider',
  'FocusTrap',
  'Grid',
  'Group',
  'Input',
  'InputBase',
  'Kbd',
  'Loader',
  'Menu',
  'NavLink',
  'Notification',
  'Overlay',
  'Paper',
  'PasswordInput',
  'Popover',
  'Portal',
  'Progress',
  'Radio',
  'ScrollArea',
  'Skeleton',
  'Stack',
  'Table',
  'Text',
  'TextInput',
  'ThemeIcon',
  'Title',
  'Tooltip',
  'Transition',
  'UnstyledButton',
  'VisuallyHidden',
];

// The web app lives in web/ and builds into web/dist, which the Fastify server serves at /.
// Pages are split by React.lazy in web/src/App.tsx, so each page is its own chunk.
export default defineConfig({
  root: webRoot,
  plugins: [react(), serviceWorker()],
  build: {
    outDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // web/dist/.vite/manifest.json: the server hints each route's chunks from it (src/server/web-app.ts).
    manifest: true,
    rolldownOptions: {
      output: {
        // Libraries every page needs get stable, named chunks that stay cached across releases;
        // everything else is split by page automatically.
        codeSplitting: {
          groups: [
            // Few, larger chunks for the first load: a browser opens six connections to a host over HTTP/1.1,
            // so 30 small files arrived in five waves, each behind the server's other answers.
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next)[\\/]/,
              priority: 4,
            },
            // Mantine's core and the components the frame, sign-in and Today use (with what they use: the
            // closure of their imports), evaluated on every first load; the rest, in a chunk of its own, only when a
            // page that needs it opens. One chunk for all of Mantine cost ~0.1 s of module evaluation on Today.
            {
              name: 'mantine',
              test: new RegExp(
                String.raw`node_modules[\/]@mantine[\/](hooks|core[\/]styles|core[\/]esm[\/](core|utils|index)|core[\/]esm[\/]components[\/](${FIRST_LOAD_MANTINE.join('|')})[\/])`,
              ),
              priority: 2,
            },
            { name: 'mantine-pages', test: /node_modules[\\/]@mantine[\\/]core[\\/]/, priority: 1 },
            // The app's own shared code (API client and hooks, components, formatting, the touch helpers Today and
            // the account page share), except the language catalogs and the log form (with its meeting fields),
            // which load on demand.
            {
              name: 'app',
              test: /web[\\/]src[\\/](api[\\/]|components[\\/]|i18n[\\/][\w-]+\.ts|features[\\/]auth[\\/]|features[\\/]touches[\\/](?!LogTouchModal|MeetingFields|meeting\.ts)|navigation|theme|page-chunks)/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
