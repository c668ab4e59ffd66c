import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { msg } from '../../domain/messages.ts';
import {
  ZApiTokenCreate,
  ZApiTokenCreated,
  ZApiTokenList,
  ZAuthStatus,
  ZPasswordChange,
  ZSetup,
  ZSignedIn,
  ZSignIn,
} from '../../schemas/auth.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  type ClientInfo,
  changePassword,
  createApiToken,
  getAuthStatus,
  listApiTokens,
  revokeApiToken,
  setupFirstAdmin,
  signIn,
  signOut,
  signOutEverywhere,
} from '../../services/auth.ts';
import type { AppInstance } from '../app.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../auth.ts';
import { documentedError } from '../openapi.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody };

function clientOf(request: {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
}): ClientInfo {
  const ua = request.headers['user-agent'];
  return { ip: request.ip || null, userAgent: typeof ua === 'string' ? ua : null };
}

export async function authRoutes(app: AppInstance) {
  app.get(
    '/api/auth/status',
    {
      config: { access: 'public', refusesUnknownToken: true },
      schema: {
        tags: ['auth'],
        summary: 'Whether setup is needed, whether the demo is loaded, who is signed in and the CSRF token',
        description:
          'Public: without credentials, or with a session cookie that has expired or ended (which the answer clears), it answers 200 with nobody signed in. An API token sent in `Authorization` that is unknown, revoked or expired answers 401, as on every other route.',
        security: [{}, { session: [] }, { apiToken: [] }],
        response: {
          200: ZAuthStatus,
          401: documentedError(
            401,
            'The API token sent as `Authorization: Bearer …` is unknown, revoked or expired (error code `unauthenticated`)',
          ),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return getAuthStatus(request.ctx, request.auth);
    },
  );

  app.post(
    '/api/auth/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin and sign them in (only while no user exists; 409 afterwards)',
        security: [],
        body: ZSetup,
        response: { 201: ZSignedIn, 400: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => {
      const session = await setupFirstAdmin(request.ctx, request.body, clientOf(request), app.authSettings);
      setSessionCookie(request, reply, session.token, session.maxAgeSeconds);
      return reply.code(201).send({ user: session.user, csrfToken: session.csrfToken });
    },
  );

  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with email and password: sets a new session cookie and returns the CSRF token. Repeated failures answer 429 with Retry-After',
        security: [],
        body: ZSignIn,
        response: { 200: ZSignedIn, 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      const session = await signIn(
        request.ctx,
        request.body,
        clientOf(request),
        app.authSettings,
        sessionTokenOf(request),
      );
      setSessionCookie(request, reply, session.token, session.maxAgeSeconds);
      reply.header('cache-control', 'no-store');
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const sessionIdHash = request.auth?.sessionIdHash;
      if (!sessionIdHash) {
        throw new AppError('bad_request', msg('auth.sign_out_token'));
      }
      await signOut(request.ctx, sessionIdHash);
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    {
      schema: {
        tags: ['auth'],
        summary: 'End every session of the signed-in user on every device (API tokens stay)',
        response: { 200: z.object({ sessions: z.number().int() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await signOutEverywhere(request.ctx);
      if (request.auth?.kind === 'session') clearSessionCookie(request, reply);
      return result;
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password (ends your other sessions)',
        body: ZPasswordChange,
        response: { 204: z.null(), ...errors, 422: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      await changePassword(request.ctx, request.body, request.auth?.sessionIdHash, app.authSettings);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your personal API tokens (an admin sees everyone’s); never the secrets',
        response: { 200: ZApiTokenList, ...errors },
      },
    },
    async (request) => ({ items: await listApiTokens(request.ctx) }),
  );

  app.post(
    '/api/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Create a personal API token; the secret is in this answer only. Send it as `Authorization: Bearer <token>`',
        body: ZApiTokenCreate,
        response: { 201: ZApiTokenCreated, ...errors },
      },
    },
    async (request, reply) => {
      // A token cannot mint tokens: a leaked token must not be able to outlive its revocation.
      if (request.auth?.kind !== 'session') {
        throw new AppError('forbidden', msg('auth.tokens_from_session'));
      }
      return reply.code(201).send(await createApiToken(request.ctx, request.body));
    },
  );

  app.delete(
    '/api/auth/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (yours; an admin may revoke anyone’s)',
        params: ZIdParams,
        response: { 204: z.null(), ...errors, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      await revokeApiToken(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
