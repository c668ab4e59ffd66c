import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TUser,
  type TUserCreate,
  type TUserUpdate,
  ZUserCreate,
  ZUserUpdate,
} from '../schemas/people.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { deleteSessionsOfUser } from '../storage/repositories/auth.ts';
import {
  countEnabledAdmins,
  findUserRow,
  findUserRowByEmail,
  findVisibleUserRow,
  listUserRows,
  teamIdsFor,
  userFromRow,
} from '../storage/repositories/people.ts';
import type { UserRow } from '../storage/tables.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn, viewerOf } from './access.ts';
import type { ServiceContext } from './context.ts';
import { assertPasswordAcceptable, hashPassword } from './passwords.ts';

// People: admins manage everyone; a manager adds, edits and disables the reps of the teams they manage or
// belong to; a rep sees their team and may change their own name and language.

/** Users the actor may see: admin all; manager their team(s); rep their own team and its manager. */
export async function listUsers(ctx: ServiceContext): Promise<TUser[]> {
  requireSignedIn(ctx);
  const rows = await listUserRows(ctx.db.kysely, viewerOf(ctx));
  return rows.map(userFromRow);
}

export async function getUser(ctx: ServiceContext, id: string): Promise<TUser> {
  return userFromRow(await visibleUser(ctx, ctx.db.kysely, id));
}

async function visibleUser(ctx: ServiceContext, db: Executor, id: string): Promise<UserRow> {
  requireSignedIn(ctx);
  const row = await findVisibleUserRow(db, id, viewerOf(ctx));
  if (!row) throw notFound('User', id);
  return row;
}

async function checkTeam(db: Executor, teamId: string): Promise<void> {
  const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (!team) {
    throw new AppError('validation_failed', msg('users.team_missing', { id: teamId }), { field: 'teamId' });
  }
}

/** A manager's teams; a manager may only place people in these. */
async function managerTeams(ctx: ServiceContext, db: Executor): Promise<string[]> {
  return teamIdsFor(db, ctx.actor.userId ?? '');
}

async function emailTaken(db: Executor, email: string, exceptId?: string): Promise<boolean> {
  const row = await findUserRowByEmail(db, email);
  return row !== undefined && row.id !== exceptId;
}

export async function createUser(ctx: ServiceContext, input: TUserCreate): Promise<TUser> {
  requireRole(ctx, ['admin', 'manager'], 'add people');
  const data = ZUserCreate.parse(input);
  const db = ctx.db.kysely;
  let teamId = data.teamId ?? null;
  if (ctx.actor.role === 'manager') {
    if (data.role !== 'rep') {
      throw new AppError('forbidden', msg('users.manager_adds_reps_only'), {
        field: 'role',
      });
    }
    const teams = await managerTeams(ctx, db);
    if (teamId === null) teamId = teams[0] ?? null;
    if (teamId === null || !teams.includes(teamId)) {
      throw new AppError('forbidden', msg('users.manager_own_team_only'), { field: 'teamId' });
    }
  }
  if (teamId) await checkTeam(db, teamId);
  if (data.password !== undefined) assertPasswordAcceptable(data.password);
  const passwordHash = data.password !== undefined ? await hashPassword(data.password) : null;
  const now = ctx.now();
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    if (await emailTaken(trx, data.email)) {
      throw new AppError('conflict', msg('users.email_taken', { email: data.email }), {
        field: 'email',
      });
    }
    const id = newId(now.getTime());
    await trx
      .insertInto('users')
      .values({
        id,
        email: data.email,
        name: data.name,
        role: data.role,
        team_id: teamId,
        password_hash: passwordHash,
        locale: data.locale ?? 'zh-CN',
        locale_chosen_at: data.locale !== undefined ? at : null,
        calls_per_day: data.callsPerDay ?? null,
        visits_per_day: data.visitsPerDay ?? null,
        disabled_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const row = await findUserRow(trx, id);
    if (!row) throw new AppError('internal', msg('server.not_stored', { what: msg('entity.user_lower') }));
    const user = userFromRow(row);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'user',
      entityId: id,
      action: 'create',
      after: user,
    });
    return user;
  });
}

/** True when the change would leave no enabled admin. */
async function removesLastAdmin(db: Executor, target: UserRow, stillAdmin: boolean): Promise<boolean> {
  if (target.role !== 'admin' || target.disabled_at || stillAdmin) return false;
  return (await countEnabledAdmins(db)) <= 1;
}

/** 409 for an edit of a version that is no longer the current one, carrying the person as they are now. */
function staleUser(current: UserRow, version: number): AppError {
  return new AppError(
    'version_conflict',
    msg('users.version_conflict', { name: current.name, version, current: current.version }),
    { current: userFromRow(current) },
  );
}

/**
 * Changes a person. `version` must be the one read (a stale one answers 409 with the person as they are now),
 * except for a change of your own language alone.
 */
export async function updateUser(ctx: ServiceContext, id: string, input: TUserUpdate): Promise<TUser> {
  requireSignedIn(ctx);
  const data = ZUserUpdate.parse(input);
  const { actor } = ctx;
  const db = ctx.db.kysely;
  let passwordHash: string | undefined;
  if (data.password !== undefined) {
    if (!isUnrestrictedActor(actor)) {
      throw new AppError('forbidden', msg('users.password_admin_only'), { field: 'password' });
    }
    assertPasswordAcceptable(data.password);
    // Hashed before the transaction: scrypt takes tens of milliseconds and must not hold the database.
    passwordHash = await hashPassword(data.password);
  }
  const at = ctx.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const before = await visibleUser(ctx, trx, id);
    const self = before.id === actor.userId;
    const personal = ['name', 'locale'] as const;
    const touched = (Object.keys(data) as (keyof TUserUpdate)[]).filter(
      (k) => k !== 'version' && data[k] !== undefined,
    );
    const onlyPersonal = touched.every((k) => (personal as readonly string[]).includes(k));
    if (!isUnrestrictedActor(actor) && !(self && onlyPersonal)) {
      if (actor.role !== 'manager') {
        throw new AppError('forbidden', msg('users.own_name_language_only'));
      }
      if (before.role !== 'rep') {
        throw new AppError('forbidden', msg('users.manager_team_reps_only'));
      }
      if (data.role !== undefined && data.role !== 'rep') {
        throw new AppError('forbidden', msg('users.admin_makes_managers'), {
          field: 'role',
        });
      }
      if (data.email !== undefined) {
        throw new AppError('forbidden', msg('users.admin_changes_email'), {
          field: 'email',
        });
      }
      if (data.teamId !== undefined) {
        const teams = await managerTeams(ctx, trx);
        if (data.teamId === null || !teams.includes(data.teamId)) {
          throw new AppError('forbidden', msg('users.manager_moves_own_teams'), {
            field: 'teamId',
          });
        }
      }
    }
    // Your own language is a preference of yours alone (the language switch sends it without a version, and it
    // leaves the version as it is); every other change names the version it was made on.
    const ownLanguageOnly = self && touched.length === 1 && touched[0] === 'locale';
    if (data.version === undefined && !ownLanguageOnly) {
      throw new AppError('validation_failed', msg('users.version_required', { name: before.name }), {
        field: 'version',
      });
    }
    if (data.version !== undefined && before.version !== data.version) {
      throw staleUser(before, data.version);
    }
    if (data.teamId) await checkTeam(trx, data.teamId);
    if (data.email !== undefined && (await emailTaken(trx, data.email, id))) {
      throw new AppError('conflict', msg('users.email_taken', { email: data.email }), {
        field: 'email',
      });
    }
    if (data.role !== undefined && (await removesLastAdmin(trx, before, data.role === 'admin'))) {
      throw new AppError('conflict', msg('users.last_admin'), {
        field: 'role',
      });
    }
    const updated = await trx
      .updateTable('users')
      .set({
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.email !== undefined ? { email: data.email } : {}),
        ...(data.role !== undefined ? { role: data.role } : {}),
        ...(data.teamId !== undefined ? { team_id: data.teamId } : {}),
        ...(data.locale !== undefined ? { locale: data.locale, locale_chosen_at: at } : {}),
        ...(data.callsPerDay !== undefined ? { calls_per_day: data.callsPerDay } : {}),
        ...(data.visitsPerDay !== undefined ? { visits_per_day: data.visitsPerDay } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        updated_at: at,
        ...(data.version !== undefined ? { version: data.version + 1 } : {}),
      })
      .where('id', '=', id)
      // PostgreSQL: another save that read the same version and committed first leaves no row to change here.
      .$if(data.version !== undefined, (q) => q.where('version', '=', data.version as number))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw staleUser((await findUserRow(trx, id)) ?? before, data.version ?? before.version);
    }
    // A new password set by an admin ends the user's sessions: whoever knew the old one is out.
    if (passwordHash !== undefined) await deleteSessionsOfUser(trx, id);
    const after = await findUserRow(trx, id);
    if (!after) throw notFound('User', id);
    const user = userFromRow(after);
    await recordAudit(trx, {
      at,
      userId: actor.userId,
      entity: 'user',
      entityId: id,
      action: passwordHash !== undefined ? 'update_with_password' : 'update',
      before: userFromRow(before),
      after: user,
    });
    return user;
  });
}

/**
 * Sets a user's password (the local CLI, or an admin); ends their sessions. A password is not something two
 * people edit from what they read: it is set on the version just read.
 */
export async function setUserPassword(ctx: ServiceContext, id: string, password: string): Promise<TUser> {
  requireRole(ctx, ['admin'], "set someone's password");
  const current = await findUserRow(ctx.db.kysely, id);
  if (!current) throw notFound('User', id);
  return updateUser(ctx, id, { password, version: current.version });
}

/**
 * Disables a user: they cannot sign in, their sessions end at once and their API tokens are revoked.
 * Their accounts stay theirs until handed over (`assignAccounts` with `fromUserId`).
 */
export async function disableUser(ctx: ServiceContext, id: string): Promise<TUser> {
  return setDisabled(ctx, id, true);
}

export async function enableUser(ctx: ServiceContext, id: string): Promise<TUser> {
  return setDisabled(ctx, id, false);
}

async function setDisabled(ctx: ServiceContext, id: string, disable: boolean): Promise<TUser> {
  requireRole(ctx, ['admin', 'manager'], disable ? 'disable people' : 'enable people');
  const { actor } = ctx;
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await visibleUser(ctx, trx, id);
    if (actor.role === 'manager' && before.role !== 'rep') {
      throw new AppError('forbidden', msg('users.manager_disables_team_reps'));
    }
    if (disable && before.id === actor.userId) {
      throw new AppError('unprocessable', msg('users.cannot_disable_self'));
    }
    if (disable && (await removesLastAdmin(trx, before, false))) {
      throw new AppError('conflict', msg('users.last_admin'));
    }
    if (disable === (before.disabled_at !== null)) return userFromRow(before);
    await trx
      .updateTable('users')
      .set((eb) => ({ disabled_at: disable ? at : null, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    let endedSessions = 0;
    let revokedTokens = 0;
    if (disable) {
      endedSessions = await deleteSessionsOfUser(trx, id);
      const revoked = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      revokedTokens = Number(revoked.numUpdatedRows);
    }
    const after = await findUserRow(trx, id);
    if (!after) throw notFound('User', id);
    const user = userFromRow(after);
    await recordAudit(trx, {
      at,
      userId: actor.userId,
      entity: 'user',
      entityId: id,
      action: disable ? 'disable' : 'enable',
      before: userFromRow(before),
      after: disable ? { ...user, endedSessions, revokedTokens } : user,
    });
    return user;
  });
}
