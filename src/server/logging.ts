import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest, FastifyServerOptions, LogLevel } from 'fastify';

/*
 * Server logs: one JSON object a line on stdout (pino, through Fastify), each request's lines carrying its
 * `requestId`. The id comes from an incoming `x-request-id` when it is sane (a load balancer's or a client's),
 * else it is made here, and it is sent back in the response's `x-request-id` header. Nothing secret is
 * logged: requests are logged as method, path, address and user agent only (no headers, no bodies), secrets in
 * URLs (calendar feed tokens, token-like query parameters) are masked, and if a header object is ever logged its
 * authorization, cookie, set-cookie and CSRF values are redacted.
 */

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LogOptions {
  /** fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Where the JSON lines go (default stdout). */
  stream?: { write(line: string): void };
}

/** The log level from `--log-level`, else $LOG_LEVEL, else info; a clear error for an unknown one. */
export function resolveLogLevel(flag?: string, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = (flag ?? env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) {
    const from = flag !== undefined ? '--log-level' : 'LOG_LEVEL';
    throw new Error(`${from}: unknown log level "${raw}"; use one of ${LOG_LEVELS.join(', ')}.`);
  }
  return level;
}

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** An incoming x-request-id when it is one plain token of at most 128 characters, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  if (typeof incoming === 'string' && REQUEST_ID.test(incoming)) return incoming;
  return randomUUID();
}

const SECRET_QUERY = /^(token|access_token|api_key|apikey|key|secret|password|signature|sig|code)$/i;

/** The URL as it may be logged: calendar feed tokens and token-like query values masked. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  path = path.replace(/^\/cal\/[^/]+$/, '/cal/[redacted]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return eq >= 0 && SECRET_QUERY.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

const REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'proxy-authorization'];

/** Fastify's logger options for the server (see the comment at the top). */
export function loggerOptions(options: LogOptions = {}): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    redact: {
      paths: REDACTED_HEADERS.flatMap((h) => [
        `req.headers["${h}"]`,
        `res.headers["${h}"]`,
        `headers["${h}"]`,
        `request.headers["${h}"]`,
      ]),
      censor: '[redacted]',
    },
    serializers: {
      req(request: FastifyRequest) {
        const agent = request.headers['user-agent'];
        return {
          method: request.method,
          url: loggableUrl(request.url),
          remoteAddress: request.ip,
          ...(typeof agent === 'string' ? { userAgent: agent.slice(0, 200) } : {}),
        };
      },
    },
  };
}
