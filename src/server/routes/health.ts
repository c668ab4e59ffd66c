import { sql } from 'kysely';
import { z } from 'zod';
import { ZErrorBody } from '../../schemas/common.ts';
import { pendingMigrations } from '../../storage/migrate.ts';
import type { AppInstance } from '../app.ts';
import { errorBody } from '../errors.ts';

/**
 * Health for people and load balancers: /api/health (database reachable; kept for existing checks),
 * /api/health/live (the process answers; no database: restart the process when this fails) and
 * /api/health/ready (database reachable, schema current, not shutting down: send traffic only while 200).
 */
export async function healthRoutes(app: AppInstance) {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      await sql`select 1`.execute(app.db.kysely);
      return { status: 'ok' as const, database: app.db.dialect };
    },
  );

  app.get(
    '/api/health/live',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process is up and answering (does not touch the database)',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' as const };
    },
  );

  // Once every migration this code knows is applied, that stays so for this process's lifetime.
  let migrationsCurrent = false;
  app.get(
    '/api/health/ready',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['system'],
        summary:
          'Readiness for a load balancer: 200 while the database answers, the schema is current and the server is not shutting down; 503 otherwise',
        response: {
          200: z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) }),
          503: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const unavailable = (reason: string, message: string) =>
        reply.code(503).send(errorBody('unavailable', message, { reason }));
      if (app.lifecycle.draining)
        return unavailable('shutting_down', 'The server is shutting down; send requests to another.');
      try {
        if (!migrationsCurrent) {
          const pending = await pendingMigrations(app.db);
          if (pending.length > 0)
            return unavailable(
              'migrations_pending',
              `The database schema is behind (${pending.join(', ')} not applied); run tierline migrate.`,
            );
          migrationsCurrent = true;
        } else await sql`select 1`.execute(app.db.kysely);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: the database did not answer');
        return unavailable('database_unreachable', 'The database does not answer.');
      }
      if (app.lifecycle.draining)
        return unavailable('shutting_down', 'The server is shutting down; send requests to another.');
      return { status: 'ready' as const, database: app.db.dialect };
    },
  );
}
