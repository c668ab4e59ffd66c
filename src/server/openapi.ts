import type { RouteOptions } from 'fastify';
import { ZErrorBody } from '../schemas/common.ts';

/**
 * The error answers every route can give, written into each route's response schema as it is registered, so the
 * OpenAPI document (`/api/docs/json`) lists them with the error schema and a description: a route declares only
 * the answers that are its own (its 200, a 404 of a lookup, a 409 of a version, a 422 of a rule). What is added:
 *
 * - every API route: 500 (a bug, logged with the request id) and 503 (the database busy or unreachable);
 * - a route for signed-in users (`config.access` `user`, the default under /api): 401;
 *   and when it changes something (not GET/HEAD): 403 (read-only API token, or a cookie session without the
 *   `x-csrf-token` header; also a role that may not do it);
 * - a route with parameters, a query or a body, and every route that takes a body: 400 (a value that fails its
 *   schema, names the field in `error.details.issues`; a body that is not valid JSON);
 * - a route with path parameters: 404 (no such record, or one outside your scope);
 * - a route that takes a body: 413 (larger than the server accepts) and 415 (a Content-Type it does not read).
 *
 * A route's own entry for a code wins; one given as the bare error schema gets the description below.
 * `test/server/openapi-contract.test.ts` checks the document against what the routes answer.
 */

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: a parameter or the body fails its schema (`error.details.issues` names each field and why), or the body is not valid JSON (`error.details` says where: `position`, `line`, `column`)',
  401: 'Not signed in: no session cookie or API token, or it has expired or been revoked',
  403: 'Not allowed: your role or scope may not do this; on a change, also a read-only API token or a cookie session without the x-csrf-token header',
  404: 'Not found: no such record, or one you may not see',
  409: 'Conflict: the record changed since you read it (`error.details.current` holds it now where the route keeps versions), or the request clashes with its current state',
  413: 'The request body is larger than this server accepts',
  415: 'The body is in a format this route does not read (Content-Type; text/plain too): send JSON with `Content-Type: application/json` (an upload: multipart/form-data); `error.details` has `contentType` and `accepted`',
  422: 'Well-formed but refused by a rule; the message says which and why',
  429: 'Too many attempts; wait for the seconds in Retry-After',
  500: 'Unexpected server error; it is logged with the request id (x-request-id)',
  503: 'The database is busy or unavailable, or the server is shutting down; try again after Retry-After seconds',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function errorResponse(status: number) {
  return {
    description: ERROR_DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/json': { schema: ZErrorBody } },
  };
}

/** A route's own error answer with its own description (the error schema, as every error answer has). */
export function documentedError(status: number, description: string) {
  return { ...errorResponse(status), description };
}

/** The error statuses a route can answer whatever its own code does (see above). */
export function standardErrorStatuses(route: {
  method: string;
  url: string;
  access: 'user' | 'public' | 'feed';
  hasParams: boolean;
  hasQuery: boolean;
  hasBody: boolean;
}): number[] {
  const statuses = new Set<number>([500, 503]);
  const changes = !SAFE_METHODS.has(route.method);
  if (route.access === 'user') {
    statuses.add(401);
    if (changes) statuses.add(403);
  }
  if (route.hasParams || route.hasQuery || route.hasBody || changes) statuses.add(400);
  if (route.hasParams) statuses.add(404);
  if (changes || route.hasBody) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

type RouteSchema = NonNullable<RouteOptions['schema']> & {
  response?: Record<string, unknown>;
  hide?: boolean;
};

/**
 * Adds the standard error answers to one route's response schema (an `onRoute` hook; `access` as auth.ts resolves
 * it). Routes outside /api and /cal (the web app's pages and files) are hidden from the document; hidden routes
 * are left alone.
 */
export function documentStandardErrors(route: RouteOptions, access: 'user' | 'public' | 'feed'): void {
  const url = route.url;
  const schema = (route.schema ?? {}) as RouteSchema;
  if (url.startsWith('/api/docs')) return;
  if (!(url.startsWith('/api/') || url.startsWith('/cal/'))) {
    // The web app's pages and files (web-app.ts) are not part of the API.
    route.schema = { ...schema, hide: true };
    return;
  }
  if (schema.hide) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const own = schema.response ?? {};
  const response: Record<string, unknown> = {};
  for (const method of methods) {
    for (const status of standardErrorStatuses({
      method,
      url,
      access,
      hasParams: url.includes(':'),
      hasQuery: schema.querystring !== undefined,
      hasBody: schema.body !== undefined || (schema as { consumes?: unknown }).consumes !== undefined,
    }))
      response[status] = errorResponse(status);
  }
  for (const [status, entry] of Object.entries(own))
    response[status] = entry === ZErrorBody ? errorResponse(Number(status)) : entry;
  route.schema = { ...schema, response };
}
