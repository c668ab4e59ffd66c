import '@mantine/core/styles.css';
import './global.css';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { config as zodConfig } from 'zod';
import { App } from './App.tsx';
import { startEarlyRequests } from './api/early-requests.ts';
import { createQueryClient } from './api/query-client.ts';
import { initI18n } from './i18n/index.ts';
import { registerServiceWorker } from './sw/register.ts';
import { cssVariablesResolver, theme } from './theme.ts';

// Zod compiles fast object parsers with new Function() when it may; our Content-Security-Policy forbids eval
// (src/server/security-headers.ts), and even zod's probe for it is reported as a violation. Parse without it.
zodConfig({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// The catalog for the chosen language is loaded before the first render, so no untranslated text flashes.
// If it cannot load, render anyway: keys on screen beat a blank page. Asked for first: the first render needs it.
const i18nReady = initI18n().catch((error: unknown) =>
  console.error('Could not load the language catalog', error),
);

const queryClient = createQueryClient();
// The session check and the first page's code and data load while the catalog does (api/early-requests.ts).
const firstPageReady = startEarlyRequests(queryClient, window.location);
await Promise.all([i18nReady, firstPageReady]);

createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

// Works offline from the second visit on (web/src/sw/worker.ts); production builds only.
registerServiceWorker();
