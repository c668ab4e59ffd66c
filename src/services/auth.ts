import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, notFound } from '../domain/errors.ts';
import { counted, msg } from '../domain/messages.ts';
import {
  type TApiToken,
  type TApiTokenCreate,
  type TApiTokenCreated,
  type TAuthStatus,
  type TPasswordChange,
  type TSessionUser,
  type TSetup,
  type TSignIn,
  ZApiTokenCreate,
} from '../schemas/auth.ts';
import type { Db } from '../storage/database.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import {
  apiTokenFromRow,
  chargeAttempt,
  clearThrottle,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  deleteStaleThrottles,
  findApiTokenRow,
  findLiveApiToken,
  findLiveSession,
  insertApiToken,
  insertSession,
  listApiTokenRows,
  markApiTokenUsed,
  refundAttempt,
  revokeApiTokenRow,
  type ThrottlePolicy,
  touchSession,
} from '../storage/repositories/auth.ts';
import {
  anyUserExists,
  findUserRow,
  findUserRowByEmail,
  userFromRow,
} from '../storage/repositories/people.ts';
import type { UserRow } from '../storage/tables.ts';
import { requireSignedIn } from './access.ts';
import { type Actor, makeContext, type ServiceContext } from './context.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from './demo-credentials.ts';
import {
  assertPasswordAcceptable,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  spendVerificationTime,
  verifyPassword,
} from './passwords.ts';

export interface AuthSettings {
  /** A session unused this long ends (default 8 hours). */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in whatever happens (default 7 days). */
  absoluteTimeoutMs: number;
  /** Per email address: 5 attempts, then waits of 30 s doubling up to 15 minutes. */
  emailThrottle: ThrottlePolicy;
  /** Per client address: 20 attempts, then waits of 30 s doubling up to 15 minutes. */
  ipThrottle: ThrottlePolicy;
}

const WAITS = [30, 60, 120, 240, 480, 900] as const;

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  idleTimeoutMs: 8 * 3600_000,
  absoluteTimeoutMs: 7 * 86_400_000,
  emailThrottle: { freeAttempts: 5, delaysSeconds: WAITS, forgetAfterSeconds: 3600 },
  ipThrottle: { freeAttempts: 20, delaysSeconds: WAITS, forgetAfterSeconds: 3600 },
};

// The last-seen time (and with it the idle expiry) is written at most once a minute per session.
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** A new session: the secret for the cookie (never stored) and the CSRF token for the header. */
export interface NewSession {
  token: string;
  csrfToken: string;
  user: TSessionUser;
  maxAgeSeconds: number;
}

/** How the current request is authenticated, as the server resolved it. */
export interface ResolvedAuth {
  kind: 'session' | 'token';
  actor: Actor;
  user: UserRow;
  sessionIdHash?: string;
  csrfSecret?: string;
  tokenId?: string;
  tokenAccess?: 'read' | 'write';
}

/** SHA-256 of a high-entropy secret: enough for random tokens (no slow hash needed), and not reversible. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time string comparison. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function actorOf(user: UserRow): Actor {
  return { userId: user.id, role: user.role, teamId: user.team_id };
}

export function sessionUserOf(user: UserRow): TSessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamId: user.team_id,
    locale: user.locale,
    localeChosen: user.locale_chosen_at !== null,
  };
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,200}$/;

async function startSession(
  trx: Executor,
  user: UserRow,
  client: ClientInfo,
  at: Date,
  settings: AuthSettings,
): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  await insertSession(trx, {
    idHash: hashSecret(token),
    userId: user.id,
    csrfSecret: csrfToken,
    at: at.toISOString(),
    idleExpiresAt: new Date(at.getTime() + settings.idleTimeoutMs).toISOString(),
    absoluteExpiresAt: new Date(at.getTime() + settings.absoluteTimeoutMs).toISOString(),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    ip: client.ip?.slice(0, 100) ?? null,
  });
  return {
    token,
    csrfToken,
    user: sessionUserOf(user),
    maxAgeSeconds: Math.floor(settings.absoluteTimeoutMs / 1000),
  };
}

/** Whether the first admin still has to be created (no user exists yet). */
export async function setupNeeded(ctx: ServiceContext): Promise<boolean> {
  return !(await anyUserExists(ctx.db.kysely));
}

/** Creates the first admin and signs them in; refused (409) as soon as any user exists. */
export async function setupFirstAdmin(
  ctx: ServiceContext,
  input: TSetup,
  client: ClientInfo,
  settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
): Promise<NewSession> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.now();
  const at = now.toISOString();
  const alreadyDone = () => new AppError('conflict', msg('auth.already_set_up'));
  try {
    return await ctx.db.kysely.transaction().execute(async (trx) => {
      if (await anyUserExists(trx)) throw alreadyDone();
      // A fixed key: two setups racing on two servers cannot both commit.
      await trx
        .insertInto('settings')
        .values({ key: 'auth.setup', value: JSON.stringify({ at }), updated_at: at })
        .execute();
      const id = newId(now.getTime());
      await trx
        .insertInto('users')
        .values({
          id,
          email: input.email.trim().toLowerCase(),
          name: input.name,
          role: 'admin',
          team_id: null,
          password_hash: passwordHash,
          locale: input.locale ?? 'zh-CN',
          locale_chosen_at: input.locale !== undefined ? at : null,
          calls_per_day: null,
          visits_per_day: null,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const user = await findUserRow(trx, id);
      if (!user) throw new AppError('internal', msg('server.not_stored', { what: msg('entity.admin') }));
      await recordAudit(trx, {
        at,
        userId: id,
        entity: 'user',
        entityId: id,
        action: 'setup',
        after: userFromRow(user),
      });
      return startSession(trx, user, client, now, settings);
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (await anyUserExists(ctx.db.kysely)) throw alreadyDone();
    throw error;
  }
}

function tooManyAttempts(lockedUntil: string, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 1000));
  const wait =
    seconds >= 120
      ? counted('auth.wait_minutes', Math.ceil(seconds / 60))
      : counted('auth.wait_seconds', seconds);
  return new AppError('rate_limited', msg('auth.too_many_attempts', { wait }), {
    retryAfterSeconds: seconds,
  });
}

const WRONG_CREDENTIALS = msg('auth.wrong_credentials');

/**
 * Checks email and password and starts a new session (a new id every time, so a session id planted before
 * sign-in is worthless). Attempts are counted per email and per client address in the database; past the
 * free attempts each one is followed by a growing wait, answered 429 with Retry-After.
 */
export async function signIn(
  ctx: ServiceContext,
  input: TSignIn,
  client: ClientInfo,
  settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
  previousSessionToken?: string,
): Promise<NewSession> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const email = input.email.trim().toLowerCase();
  const ipKey = `ip:${client.ip ?? 'unknown'}`;
  const emailKey = `email:${email}`;
  await deleteStaleThrottles(
    db,
    new Date(
      now.getTime() -
        Math.max(settings.emailThrottle.forgetAfterSeconds, settings.ipThrottle.forgetAfterSeconds) * 1000,
    ).toISOString(),
    now.toISOString(),
  );
  // The address first: a client locked out by address cannot keep raising a victim's email count.
  const byIp = await chargeAttempt(db, ipKey, now, settings.ipThrottle);
  if (!byIp.ok) throw tooManyAttempts(byIp.lockedUntil, now);
  const byEmail = await chargeAttempt(db, emailKey, now, settings.emailThrottle);
  if (!byEmail.ok) throw tooManyAttempts(byEmail.lockedUntil, now);

  const user = await findUserRowByEmail(db, email);
  if (!user?.password_hash) {
    await spendVerificationTime(input.password);
    throw new AppError('unauthenticated', WRONG_CREDENTIALS);
  }
  if (!(await verifyPassword(input.password, user.password_hash))) {
    throw new AppError('unauthenticated', WRONG_CREDENTIALS);
  }
  if (user.disabled_at) {
    throw new AppError('forbidden', msg('auth.disabled'));
  }
  await clearThrottle(db, emailKey);
  await refundAttempt(db, ipKey);
  const rehash = needsRehash(user.password_hash) ? await hashPassword(input.password) : null;
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    if (previousSessionToken && TOKEN_PATTERN.test(previousSessionToken)) {
      await deleteSession(trx, hashSecret(previousSessionToken));
    }
    await deleteExpiredSessions(trx, at);
    if (rehash)
      await trx.updateTable('users').set({ password_hash: rehash }).where('id', '=', user.id).execute();
    const session = await startSession(trx, user, client, now, settings);
    await recordAudit(trx, {
      at,
      userId: user.id,
      entity: 'session',
      entityId: user.id,
      action: 'sign_in',
      after: { ip: client.ip, userAgent: client.userAgent?.slice(0, 300) ?? null },
    });
    return session;
  });
}

/** The signed-in user behind a session cookie, or null when it is unknown, expired or the user is disabled. */
export async function resolveSessionToken(
  db: Db,
  token: string,
  now: Date,
  settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
): Promise<ResolvedAuth | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const idHash = hashSecret(token);
  const at = now.toISOString();
  const session = await findLiveSession(db.kysely, idHash, at);
  if (!session) return null;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + settings.idleTimeoutMs, Date.parse(session.absoluteExpiresAt));
    await touchSession(db.kysely, idHash, at, new Date(idle).toISOString());
  }
  return {
    kind: 'session',
    actor: actorOf(session.user),
    user: session.user,
    sessionIdHash: idHash,
    csrfSecret: session.csrfSecret,
  };
}

export const API_TOKEN_PREFIX = 'tl_';

/** The user behind `Authorization: Bearer <token>`, or null when it is unknown, revoked, expired or disabled. */
export async function resolveApiToken(db: Db, token: string, now: Date): Promise<ResolvedAuth | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || !TOKEN_PATTERN.test(token.slice(API_TOKEN_PREFIX.length))) {
    return null;
  }
  const at = now.toISOString();
  const found = await findLiveApiToken(db.kysely, hashSecret(token), at);
  if (!found) return null;
  const last = found.token.last_used_at ? Date.parse(found.token.last_used_at) : 0;
  if (now.getTime() - last >= TOUCH_INTERVAL_MS) await markApiTokenUsed(db.kysely, found.token.id, at);
  return {
    kind: 'token',
    actor: actorOf(found.user),
    user: found.user,
    tokenId: found.token.id,
    tokenAccess: found.token.access,
  };
}

/** Ends one session (the caller's). */
export async function signOut(ctx: ServiceContext, sessionIdHash: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionIdHash);
    if (ctx.actor.userId) {
      await recordAudit(trx, {
        at: ctx.now().toISOString(),
        userId: ctx.actor.userId,
        entity: 'session',
        entityId: ctx.actor.userId,
        action: 'sign_out',
      });
    }
  });
}

/** Ends every session of the signed-in user, on every device (API tokens stay; revoke them one by one). */
export async function signOutEverywhere(ctx: ServiceContext): Promise<{ sessions: number }> {
  requireSignedIn(ctx);
  const userId = ctx.actor.userId ?? '';
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const sessions = await deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, {
      at: ctx.now().toISOString(),
      userId,
      entity: 'session',
      entityId: userId,
      action: 'sign_out_everywhere',
      after: { sessions },
    });
    return { sessions };
  });
}

/** Changes the signed-in user's password after checking the current one; ends their other sessions. */
export async function changePassword(
  ctx: ServiceContext,
  input: TPasswordChange,
  keepSessionIdHash: string | undefined,
  settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
): Promise<void> {
  requireSignedIn(ctx);
  const db = ctx.db.kysely;
  const user = await findUserRow(db, ctx.actor.userId ?? '');
  if (!user) throw new AppError('unauthenticated', msg('auth.sign_in_first'));
  const now = ctx.now();
  const emailKey = `email:${user.email}`;
  const attempt = await chargeAttempt(db, emailKey, now, settings.emailThrottle);
  if (!attempt.ok) throw tooManyAttempts(attempt.lockedUntil, now);
  if (!user.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('validation_failed', msg('auth.wrong_current_password'), { field: 'currentPassword' });
  }
  await clearThrottle(db, emailKey);
  assertPasswordAcceptable(input.newPassword);
  const hash = await hashPassword(input.newPassword);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: at })
      .where('id', '=', user.id)
      .execute();
    const ended = await deleteSessionsOfUser(trx, user.id, keepSessionIdHash);
    await recordAudit(trx, {
      at,
      userId: user.id,
      entity: 'user',
      entityId: user.id,
      action: 'change_password',
      after: { endedSessions: ended },
    });
  });
}

// Personal API tokens

/** Creates a token for the signed-in user; the secret is in the answer only, the database keeps its hash. */
export async function createApiToken(ctx: ServiceContext, input: TApiTokenCreate): Promise<TApiTokenCreated> {
  requireSignedIn(ctx);
  const userId = ctx.actor.userId;
  if (!userId) throw new AppError('bad_request', msg('auth.tokens_need_user'));
  const parsed = ZApiTokenCreate.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
  const row = {
    id: newId(now.getTime()),
    user_id: userId,
    name: parsed.name,
    token_hash: hashSecret(token),
    prefix: token.slice(0, 10),
    access: parsed.access,
    created_at: at,
    last_used_at: null,
    expires_at: parsed.expiresInDays
      ? new Date(now.getTime() + parsed.expiresInDays * 86_400_000).toISOString()
      : null,
    revoked_at: null,
  };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await insertApiToken(trx, row);
    await recordAudit(trx, {
      at,
      userId,
      entity: 'api_token',
      entityId: row.id,
      action: 'create',
      after: apiTokenFromRow(row),
    });
  });
  return { ...apiTokenFromRow(row), token };
}

/** The signed-in user's tokens (admins: everyone's). */
export async function listApiTokens(ctx: ServiceContext): Promise<TApiToken[]> {
  requireSignedIn(ctx);
  const all = ctx.actor.role === 'admin' || ctx.actor.role === 'system';
  const rows = await listApiTokenRows(ctx.db.kysely, all ? null : (ctx.actor.userId ?? ''));
  return rows.map(apiTokenFromRow);
}

/** Revokes a token: the owner's own, or any for an admin; others answer 404. */
export async function revokeApiToken(ctx: ServiceContext, id: string): Promise<void> {
  requireSignedIn(ctx);
  const db = ctx.db.kysely;
  const row = await findApiTokenRow(db, id);
  const mayRevoke =
    row && (row.user_id === ctx.actor.userId || ctx.actor.role === 'admin' || ctx.actor.role === 'system');
  if (!row || !mayRevoke) throw notFound('API token', id);
  const at = ctx.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await revokeApiTokenRow(trx, id, at);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'api_token',
      entityId: id,
      action: 'revoke',
    });
  });
}

/** What the web app needs before anything else: set-up or not, demo hints, who is signed in. */
export async function getAuthStatus(ctx: ServiceContext, current: ResolvedAuth | null): Promise<TAuthStatus> {
  const db = ctx.db.kysely;
  const [needed, demo] = await Promise.all([setupNeeded(ctx), demoHint(db)]);
  return {
    setupNeeded: needed,
    demo,
    user: current ? sessionUserOf(current.user) : null,
    authenticatedBy: current?.kind ?? null,
    csrfToken: current?.csrfSecret ?? null,
    passwordMinLength: MIN_PASSWORD_LENGTH,
  };
}

async function demoHint(db: Executor): Promise<TAuthStatus['demo']> {
  const loaded = await db
    .selectFrom('settings')
    .select('key')
    .where('key', '=', 'demo.loaded')
    .executeTakeFirst();
  if (!loaded) return null;
  const users = await db
    .selectFrom('users')
    .select(['email', 'name', 'role'])
    .where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`)
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .orderBy('created_at')
    .orderBy('email')
    .execute();
  if (users.length === 0) return null;
  const rank = { admin: 0, manager: 1, rep: 2 } as const;
  users.sort((a, b) => rank[a.role] - rank[b.role]);
  return { password: DEMO_PASSWORD, users };
}

/**
 * A service context acting as a given user, for routes authenticated by something other than the session or
 * an API token (e.g. a calendar feed's secret URL): the feed resolves its own token to a user id, then calls
 * this. Disabled or unknown users answer 404.
 */
export async function contextForUser(db: Db, userId: string, now: () => Date): Promise<ServiceContext> {
  const user = await findUserRow(db.kysely, userId);
  if (!user || user.disabled_at) throw notFound('User', userId);
  return makeContext(db, actorOf(user), now);
}
