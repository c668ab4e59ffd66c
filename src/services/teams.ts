import { sql } from 'kysely';
import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TTeam,
  type TTeamCreate,
  type TTeamUpdate,
  ZTeamCreate,
  ZTeamUpdate,
} from '../schemas/people.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { findTeam, findUserRow, listTeams as listTeamRows } from '../storage/repositories/people.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';

/** Teams the actor may see: admins all, everyone else the teams they manage or belong to. */
export async function listTeams(ctx: ServiceContext): Promise<TTeam[]> {
  requireSignedIn(ctx);
  return listTeamRows(ctx.db.kysely, isUnrestrictedActor(ctx.actor) ? null : (ctx.actor.userId ?? ''));
}

async function checkManager(db: Executor, managerId: string): Promise<void> {
  const user = await findUserRow(db, managerId);
  if (!user) {
    throw new AppError('validation_failed', msg('teams.manager_missing', { id: managerId }), {
      field: 'managerId',
    });
  }
  if (user.role === 'rep') {
    throw new AppError('validation_failed', msg('teams.manager_is_rep', { name: user.name, id: user.id }), {
      field: 'managerId',
    });
  }
}

/** A team's name as names are compared: full-width folded (NFKC), spaces collapsed, case ignored. */
export function teamNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** See refuseTakenName: team names of one workspace (schema) are claimed one at a time on PostgreSQL. */
const TEAM_NAME_LOCK_SQL = 'select pg_advisory_xact_lock(7322, hashtext(current_schema()))';

/**
 * 409 `conflict` when another team already has this name as teamNameKey compares names (ＡＢ组, AB组 and ab组 are one
 * name): two teams of one name cannot be told apart in a list or a picker. Inside the
 * save's transaction; on PostgreSQL behind a lock, so two saves of the same new name cannot both pass the check.
 */
async function refuseTakenName(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  name: string,
  exceptId: string | null,
): Promise<void> {
  if (dialect === 'postgres') await sql.raw(TEAM_NAME_LOCK_SQL).execute(db);
  const key = teamNameKey(name);
  const rows = await db.selectFrom('teams').select(['id', 'name']).execute();
  const taken = rows.find((row) => row.id !== exceptId && teamNameKey(row.name) === key);
  if (taken) {
    throw new AppError('conflict', msg('teams.name_taken', { name: taken.name, id: taken.id }), {
      field: 'name',
      existing: { id: taken.id, name: taken.name },
    });
  }
}

export async function createTeam(ctx: ServiceContext, input: TTeamCreate): Promise<TTeam> {
  requireRole(ctx, ['admin'], 'add teams');
  const data = ZTeamCreate.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await refuseTakenName(trx, ctx.db.dialect, data.name, null);
    if (data.managerId) await checkManager(trx, data.managerId);
    const id = newId(now.getTime());
    await trx
      .insertInto('teams')
      .values({ id, name: data.name, manager_id: data.managerId ?? null, created_at: at, updated_at: at })
      .execute();
    const team = await findTeam(trx, id);
    if (!team) throw new AppError('internal', msg('server.not_stored', { what: msg('entity.team_lower') }));
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'team',
      entityId: id,
      action: 'create',
      after: team,
    });
    return team;
  });
}

/** 409 for an edit of a version that is no longer the current one, carrying the team as it is now. */
function staleTeam(current: TTeam, version: number): AppError {
  return new AppError(
    'version_conflict',
    msg('teams.version_conflict', { name: current.name, version, current: current.version }),
    { current },
  );
}

/**
 * Renames a team or sets its manager (admins only); `version` must be the one read (a stale one answers 409 with
 * the team as it is now).
 */
export async function updateTeam(ctx: ServiceContext, id: string, input: TTeamUpdate): Promise<TTeam> {
  requireRole(ctx, ['admin'], 'change teams');
  const data = ZTeamUpdate.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findTeam(trx, id);
    if (!before) throw notFound('Team', id);
    if (before.version !== data.version) throw staleTeam(before, data.version);
    if (data.name !== undefined && teamNameKey(data.name) !== teamNameKey(before.name))
      await refuseTakenName(trx, ctx.db.dialect, data.name, id);
    if (data.managerId) await checkManager(trx, data.managerId);
    const updated = await trx
      .updateTable('teams')
      .set({
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.managerId !== undefined ? { manager_id: data.managerId } : {}),
        updated_at: at,
        version: data.version + 1,
      })
      .where('id', '=', id)
      // PostgreSQL: another save that read the same version and committed first leaves no row to change here.
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw staleTeam((await findTeam(trx, id)) ?? before, data.version);
    const after = await findTeam(trx, id);
    if (!after) throw notFound('Team', id);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'team',
      entityId: id,
      action: 'update',
      before,
      after,
    });
    return after;
  });
}
