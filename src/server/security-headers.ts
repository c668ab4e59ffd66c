import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Response headers that make the browser refuse what Tierline never does: run script from anywhere but its own
 * files, be framed by another site, sniff a download into HTML, send the full address to other sites. Helmet
 * (@fastify/helmet) writes them; the policy is ours:
 *
 * - Content-Security-Policy: everything from this origin only. Scripts: our own files, no inline script or
 *   `on…=` attributes. Styles also inline, because Mantine sets its CSS variables and component styles in
 *   `<style>` elements and `style=` attributes. Images also `data:` (the favicon) and `blob:`. No plugins, no
 *   framing by anyone (`frame-ancestors 'none'`), forms post only here. No `upgrade-insecure-requests`: a server
 *   on a LAN address over plain http would otherwise have its own assets upgraded to https and fail to load.
 * - Strict-Transport-Security only for requests that came over https (directly or, with TRUST_PROXY, through
 *   the proxy), so a laptop on http://localhost is never pinned to https.
 * - X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy same-origin, Cross-Origin-Opener-Policy
 *   same-origin, Cross-Origin-Resource-Policy same-origin (helmet's defaults for the rest).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
  });
}
