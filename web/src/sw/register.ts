/// <reference types="vite/client" />

/**
 * Registers the service worker (/sw.js, web/src/sw/worker.ts) in production builds, once the page has loaded, so
 * its precache does not compete with the first load. Vite's dev server has no /sw.js and nothing to cache.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      // Not fatal: the app works online as before, only not offline.
      console.warn('Could not register the service worker', error);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
