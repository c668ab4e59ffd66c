import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { msg, renderMessage } from '../domain/messages.ts';
import type { AuthSettings } from '../services/auth.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import { installAuth, routeAccess, trustProxyFromEnv } from './auth.ts';
import { answerClientError, errorBody, frameworkErrorHandler, handleError } from './errors.ts';
import { installJsonBodies } from './json-body.ts';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './lifecycle.ts';
import { requestLocale } from './locale.ts';
import { type LogOptions, loggerOptions, requestIdFor } from './logging.ts';
import { documentStandardErrors } from './openapi.ts';
import { accountBulkRoutes } from './routes/account-bulk.ts';
import { accountExportRoutes } from './routes/account-export.ts';
import { accountOwnershipRoutes } from './routes/account-ownership.ts';
import { accountProfileRoutes } from './routes/account-profile.ts';
import { accountRoutes } from './routes/accounts.ts';
import { authRoutes } from './routes/auth.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/imports.ts';
import { marketRoutes } from './routes/market.ts';
import { peopleRoutes } from './routes/people.ts';
import { planRoutes } from './routes/plan.ts';
import { playbookRoutes } from './routes/playbook.ts';
import { practiceRoutes } from './routes/practice.ts';
import { savedViewRoutes } from './routes/saved-views.ts';
import { teamDayRoutes } from './routes/team-day.ts';
import { registerSecurityHeaders, securityHeaders } from './security-headers.ts';
import { closeRequestBodies, declareNoBody, strictRequestValidatorCompiler } from './strict-requests.ts';
import { RequestTurns } from './turns.ts';
import { isWebAppRoute, registerWebApp, sendWebApp } from './web-app.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
  interface FastifyRequest {
    ctx: ServiceContext;
  }
}

export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AppOptions {
  /** Folder with the built web app; served at / when it exists. */
  webRoot?: string;
  /** JSON request logs (server/logging.ts); off unless given (tests stay quiet). */
  logger?: LogOptions | false;
  /** How long requests in flight and a running import get at shutdown (default 10 s; see server/lifecycle.ts). */
  shutdownTimeoutMs?: number;
  now?: () => Date;
  bodyLimit?: number;
  /** Session timeouts and sign-in throttling; defaults in services/auth.ts. */
  auth?: Partial<AuthSettings>;
  /** Trust X-Forwarded-* (client address, https) from a reverse proxy; default from $TRUST_PROXY. */
  trustProxy?: FastifyServerOptions['trustProxy'];
}

export const DEFAULT_WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The whole HTTP app over one database, without listening: tests call `inject`, `serve` calls `listen`. */
export async function buildApp(db: Db, options: AppOptions = {}): Promise<AppInstance> {
  const app = Fastify({
    logger: options.logger ? loggerOptions(options.logger) : false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // An incoming x-request-id is used when sane (see logging.ts), else one is made; echoed in the response.
    requestIdHeader: false,
    genReqId: requestIdFor,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy: options.trustProxy ?? trustProxyFromEnv(process.env.TRUST_PROXY),
    clientErrorHandler: answerClientError,
    frameworkErrors: frameworkErrorHandler(securityHeaders()),
  }).withTypeProvider<ZodTypeProvider>();
  // Bodies and query strings refuse keys their schema does not declare (strict-requests.ts).
  app.setValidatorCompiler(strictRequestValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // Bodies are JSON: no text/plain (415 like any type a route does not read); a broken one says where.
  installJsonBodies(app);
  app.decorate('db', db);
  app.decorate('lifecycle', {
    draining: false,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
  });
  // First of all hooks: each request starts in its own event-loop turn, so that new connections are accepted
  // while the server is busy (turns.ts).
  const turns = new RequestTurns();
  // Hooks that do not wait for anything take Fastify's callback rather than returning a promise (cheaper, and
  // they run on every request).
  app.addHook('onRequest', (_request, _reply, done) => turns.enqueue(done));
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // While shutting down, a response ends its connection, so kept-alive clients reconnect to another server and
  // this one is not held open until their keep-alive timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (app.lifecycle.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  const now = options.now ?? (() => new Date());
  app.decorateRequest('ctx', null as unknown as ServiceContext);
  // Before auth's hooks, so answers that auth ends early (401, 403) carry the headers too.
  await registerSecurityHeaders(app);
  // Access control for every route registered below: the actor in request.ctx comes from the session or token.
  installAuth(app, db, { now, ...(options.auth ? { settings: options.auth } : {}) });

  // Every route's response schema gets the error answers it can give (401, 403, 400, …), so the OpenAPI document
  // lists them (openapi.ts); before swagger's own hook, which reads the schemas.
  app.addHook('onRoute', (route) => {
    // A change that declares no body takes none: a body with keys is refused, not ignored (strict-requests.ts).
    declareNoBody(route);
    documentStandardErrors(route, routeAccess(route.url, route.config?.access));
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tierline API',
        description: [
          'Target market, tiers, contact plans, agenda, objections and practice for field sales.',
          'Sign in with `POST /api/auth/sign-in` (session cookie; send the returned `csrfToken` as `x-csrf-token` on every POST, PUT, PATCH and DELETE), or send a personal API token as `Authorization: Bearer tl_…` (no CSRF token needed; read-only tokens can only GET).',
          'Errors are always `{ "error": { "code", "message", "details" } }`, the message in the language of `Accept-Language` (Chinese for `zh…`, else English), `details` an object (`{}` when the message says it all); a refused value names its field in `details.issues` (`[{ "path": "body.repId", "message" }]`), a value a rule refuses (422) in `details.field`, a body that is not JSON where it stops being JSON (`details.position`, `line`, `column`). Every status a route answers is listed under it.',
          'Bodies are JSON (`Content-Type: application/json`; the upload multipart/form-data): any other type, `text/plain` included, answers 415. An empty id (`ownerId=`, `repId=`) is refused (400), never read as "not given".',
          'A key a request does not take is refused (400), not ignored: each key of a JSON body that its schema does not declare, at any depth (request bodies have `additionalProperties: false`; a change that takes no body has `NoBody`: send none, or `{}`), and each query parameter a route with parameters does not take, named in `details.issues` (`body.capacity.callsPerDy`, `querystring.tierr`).',
          'Timestamps are ISO 8601 in UTC (`2026-11-28T14:49:12.389Z`). Calendar dates (`YYYY-MM-DD`) are days in the workspace time zone (`timeZone` of `GET /api/settings`; answers about days, such as the agenda, goals, the committed plan, the dashboard and the team day, name it in `timeZone`); dates sent must exist (not 2026-02-30).',
          'Lists that page (`GET /api/accounts`, `/api/audit`, `/api/imports/{id}/warnings`) take `page` (from 1) and `pageSize` (at most 500) and answer `{ "items", "total", "page", "pageSize" }`; a page past the end has no items. Other lists answer all their items (or the latest `limit`).',
          'Records that several people edit carry a `version` (accounts, objections and their responses, saved views): send the version you read; a stale one answers 409 `version_conflict` with the record as it is now in `error.details.current`.',
        ].join('\n\n'),
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tierline_session' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'Personal API token (tl_…)' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    // The document says what the validator does: a request body's objects take no other keys.
    transformObject: (document) => closeRequestBodies(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(peopleRoutes);
  await app.register(accountExportRoutes);
  await app.register(accountBulkRoutes);
  await app.register(savedViewRoutes);
  await app.register(accountOwnershipRoutes);
  await app.register(accountProfileRoutes);
  await app.register(accountRoutes);
  await app.register(marketRoutes);
  await app.register(planRoutes);
  await app.register(calendarRoutes);
  await app.register(playbookRoutes);
  await app.register(practiceRoutes);
  await app.register(importRoutes, { now });
  await app.register(dashboardRoutes);
  await app.register(teamDayRoutes);

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const webApp = existsSync(join(webRoot, 'index.html')) ? await registerWebApp(app, webRoot) : null;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (webApp && isWebAppRoute(request.method, path)) return sendWebApp(webApp, request, reply);
    const message = msg('request.no_route', { method: request.method, path });
    return reply.code(404).send(errorBody('not_found', renderMessage(message, requestLocale(request))));
  });
  return app;
}
