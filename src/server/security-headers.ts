import { createRequire } from 'node:module';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

type HelmetOptions = Omit<FastifyHelmetOptions, 'global' | 'enableCSPNonces'>;
interface HeaderSink {
  setHeader(name: string, value: string | number | readonly string[]): void;
  removeHeader(name: string): void;
}
type HelmetMiddleware = (req: unknown, res: HeaderSink, next: (error?: unknown) => void) => void;
// Helmet itself, the very one @fastify/helmet wraps (its dependency, so no second copy or version to keep in step).
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
  options: HelmetOptions,
) => HelmetMiddleware;

/**
 * Response headers that make the browser refuse what Tierline never does: run script from anywhere but its own
 * files, be framed by another site, sniff a download into HTML, send the full address to other sites. Helmet
 * (the one @fastify/helmet wraps) works them out once at start, an onRequest hook adds them to every answer;
 * the policy is ours:
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
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
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
};

/**
 * The headers helmet writes with these options, worked out once. They depend on nothing in the request (no
 * nonces, no directive computed per request), and @fastify/helmet's global hook built helmet's middleware
 * anew for every request (parsing the policy each time, ~3% of an agenda request's CPU).
 */
export function securityHeaders(options: HelmetOptions = SECURITY_HEADER_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const sink: HeaderSink = {
    setHeader(name, value) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name) {
      // X-Powered-By: Fastify never sets it.
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({}, sink, (error) => {
    if (error) throw error;
  });
  return headers;
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    done(null, payload);
  });
}
