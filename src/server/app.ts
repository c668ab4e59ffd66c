import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import { errorBody, handleError } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { healthRoutes } from './routes/health.ts';

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
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  bodyLimit?: number;
}

export const DEFAULT_WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The whole HTTP app over one database, without listening: tests call `inject`, `serve` calls `listen`. */
export async function buildApp(db: Db, options: AppOptions = {}): Promise<AppInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.decorate('db', db);
  const now = options.now ?? (() => new Date());
  app.decorateRequest('ctx', null as unknown as ServiceContext);
  app.addHook('onRequest', async (request) => {
    request.ctx = makeContext(db, SYSTEM_ACTOR, now);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tierline API',
        description:
          'Target market, tiers, contact plans, agenda, objections and practice for field sales. Errors are `{ "error": { "code", "message", "details" } }`.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes);
  await app.register(accountRoutes);

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (hasWeb && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('.')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${path}.`));
  });
  return app;
}
