import { type Expression, sql } from 'kysely';
import type { TApiToken } from '../../schemas/auth.ts';
import { prepareQuery } from '../prepared-query.ts';
import type { ApiTokenRow, UserRow } from '../tables.ts';
import type { Executor } from './accounts.ts';

// Sessions

export interface NewSession {
  idHash: string;
  userId: string;
  csrfSecret: string;
  at: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export async function insertSession(db: Executor, s: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_secret: s.csrfSecret,
      created_at: s.at,
      last_seen_at: s.at,
      idle_expires_at: s.idleExpiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      user_agent: s.userAgent,
      ip: s.ip,
    })
    .execute();
}

export interface SessionWithUser {
  idHash: string;
  csrfSecret: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  user: UserRow;
}

// Read on every request authenticated by cookie: built and compiled once (prepared-query.ts).
const liveSession = prepareQuery(2, (db, [idHash, at]: [idHash: string, at: string]) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id_hash',
      'sessions.csrf_secret',
      'sessions.last_seen_at',
      'sessions.idle_expires_at',
      'sessions.absolute_expires_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.idle_expires_at', '>', at)
    .where('sessions.absolute_expires_at', '>', at)
    .where('users.disabled_at', 'is', null),
);

/** The session and its user, only while the session is alive at `at` and the user is not disabled. */
export async function findLiveSession(
  db: Executor,
  idHash: string,
  at: string,
): Promise<SessionWithUser | null> {
  const row = await liveSession.executeTakeFirst(db, [idHash, at]);
  if (!row) return null;
  const { id_hash, csrf_secret, last_seen_at, idle_expires_at, absolute_expires_at, ...user } = row;
  return {
    idHash: id_hash,
    csrfSecret: csrf_secret,
    lastSeenAt: last_seen_at,
    idleExpiresAt: idle_expires_at,
    absoluteExpiresAt: absolute_expires_at,
    user,
  };
}

/** Slides the idle expiry forward (never past the absolute one). */
export async function touchSession(
  db: Executor,
  idHash: string,
  at: string,
  idleExpiresAt: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at, idle_expires_at: idleExpiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfUser(
  db: Executor,
  userId: string,
  exceptIdHash?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Executor, at: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('idle_expires_at', '<=', at), eb('absolute_expires_at', '<=', at)]))
    .execute();
}

// API tokens

export function apiTokenFromRow(row: ApiTokenRow): TApiToken {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    prefix: row.prefix,
    access: row.access,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertApiToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function listApiTokenRows(db: Executor, userId: string | null): Promise<ApiTokenRow[]> {
  let q = db.selectFrom('api_tokens').selectAll();
  if (userId) q = q.where('user_id', '=', userId);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findApiTokenRow(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A usable token and its (enabled) user: not revoked, not expired at `at`. */
// Read on every request authenticated by API token: built and compiled once (prepared-query.ts).
const liveApiToken = prepareQuery(2, (db, [tokenHash, at]: [tokenHash: string, at: string]) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.user_id as token_user_id',
      'api_tokens.name as token_name',
      'api_tokens.token_hash as token_token_hash',
      'api_tokens.prefix as token_prefix',
      'api_tokens.access as token_access',
      'api_tokens.created_at as token_created_at',
      'api_tokens.last_used_at as token_last_used_at',
      'api_tokens.expires_at as token_expires_at',
      'api_tokens.revoked_at as token_revoked_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', at)]))
    .where('users.disabled_at', 'is', null),
);

export async function findLiveApiToken(
  db: Executor,
  tokenHash: string,
  at: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
  const row = await liveApiToken.executeTakeFirst(db, [tokenHash, at]);
  if (!row) return null;
  const {
    token_id,
    token_user_id,
    token_name,
    token_token_hash,
    token_prefix,
    token_access,
    token_created_at,
    token_last_used_at,
    token_expires_at,
    token_revoked_at,
    ...user
  } = row;
  return {
    token: {
      id: token_id,
      user_id: token_user_id,
      name: token_name,
      token_hash: token_token_hash,
      prefix: token_prefix,
      access: token_access,
      created_at: token_created_at,
      last_used_at: token_last_used_at,
      expires_at: token_expires_at,
      revoked_at: token_revoked_at,
    },
    user,
  };
}

export async function markApiTokenUsed(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiTokenRow(db: Executor, id: string, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

// Sign-in throttling

export interface ThrottlePolicy {
  /** Attempts allowed before the first wait. */
  freeAttempts: number;
  /** Waits after each further attempt, growing; the last one repeats. */
  delaysSeconds: readonly number[];
  /** A key whose last attempt is older than this starts counting again from zero. */
  forgetAfterSeconds: number;
}

export type ThrottleOutcome = { ok: true; attempts: number } | { ok: false; lockedUntil: string };

/**
 * Counts one attempt for `key` and sets the wait that follows it, in a single upsert that does nothing while
 * the key is locked: concurrent attempts on several servers can neither skip the count nor slip past a lock.
 */
export async function chargeAttempt(
  db: Executor,
  key: string,
  at: Date,
  policy: ThrottlePolicy,
): Promise<ThrottleOutcome> {
  const now = at.toISOString();
  const forgetBefore = new Date(at.getTime() - policy.forgetAfterSeconds * 1000).toISOString();
  const waits = policy.delaysSeconds.map((s) => new Date(at.getTime() + s * 1000).toISOString());
  const lockFor = (count: Expression<number>) =>
    sql<string | null>`(case when ${count} < ${sql.lit(policy.freeAttempts)} then null ${sql.join(
      waits
        .slice(0, -1)
        .map((until, i) => sql`when ${count} = ${sql.lit(policy.freeAttempts + i)} then ${until}`),
      sql` `,
    )} else ${waits.at(-1) ?? now} end)`;
  const stale = sql<boolean>`${sql.ref('sign_in_throttles.last_attempt_at')} < ${forgetBefore}`;
  const nextCount = sql<number>`(case when ${stale} then 1 else ${sql.ref('sign_in_throttles.attempts')} + 1 end)`;
  const result = await db
    .insertInto('sign_in_throttles')
    .values({
      key,
      attempts: 1,
      first_attempt_at: now,
      last_attempt_at: now,
      locked_until: lockFor(sql<number>`1`),
    })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          attempts: nextCount,
          first_attempt_at: sql<string>`(case when ${stale} then ${now} else ${sql.ref('sign_in_throttles.first_attempt_at')} end)`,
          last_attempt_at: now,
          locked_until: lockFor(nextCount),
        })
        .where((eb) =>
          eb.or([
            eb('sign_in_throttles.locked_until', 'is', null),
            eb('sign_in_throttles.locked_until', '<=', now),
          ]),
        ),
    )
    .executeTakeFirst();
  const row = await db
    .selectFrom('sign_in_throttles')
    .select(['attempts', 'locked_until'])
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
    return { ok: false, lockedUntil: row.locked_until ?? now };
  }
  return { ok: true, attempts: Number(row.attempts) };
}

/** Forgets a key's attempts (a successful sign-in for that email). */
export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('key', '=', key).execute();
}

/** Takes back one attempt and its wait (a successful sign-in from that address). */
export async function refundAttempt(db: Executor, key: string): Promise<void> {
  await db
    .updateTable('sign_in_throttles')
    .set((eb) => ({ attempts: eb('attempts', '-', 1), locked_until: null }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

export async function deleteStaleThrottles(
  db: Executor,
  lastAttemptBefore: string,
  at: string,
): Promise<void> {
  await db
    .deleteFrom('sign_in_throttles')
    .where('last_attempt_at', '<', lastAttemptBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .execute();
}
