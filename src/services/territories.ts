import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TTerritory,
  type TTerritoryCreate,
  type TTerritoryUpdate,
  ZTerritoryCreate,
  ZTerritoryUpdate,
} from '../schemas/people.ts';
import { newId } from '../storage/ids.ts';
import { accountScopeCondition } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import {
  findTerritoryRow,
  findUserRow,
  isTeamMember,
  listTerritoryRows,
  placeCondition,
  placeSpellings,
  type TerritoryRule,
  territoryDetails,
  territoryFromRow,
} from '../storage/repositories/people.ts';
import type { TerritoryRow } from '../storage/tables.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn, viewerOf } from './access.ts';
import { scopeFor } from './accounts.ts';
import type { ServiceContext } from './context.ts';

// Territories: provinces, cities and districts (a district may be written "城市/区县" to mean one city's
// district), plus an explicit list of accounts wherever they are. Admins and managers (for their team's reps)
// define them; a rep sees their own.

async function withDetails(db: Executor, rows: TerritoryRow[]): Promise<TTerritory[]> {
  const details = await territoryDetails(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const d = details.get(r.id) ?? { accountIds: [], accountCount: 0 };
    return territoryFromRow(r, d.accountIds, d.accountCount);
  });
}

export async function listTerritories(ctx: ServiceContext): Promise<TTerritory[]> {
  requireSignedIn(ctx);
  const db = ctx.db.kysely;
  return withDetails(db, await listTerritoryRows(db, viewerOf(ctx)));
}

/** The territory when the actor may manage it (admin: any; manager: their team's reps'), else 404. */
async function manageableTerritory(ctx: ServiceContext, db: Executor, id: string): Promise<TerritoryRow> {
  const row = await findTerritoryRow(db, id);
  const visible =
    row &&
    (isUnrestrictedActor(ctx.actor) ||
      (row.rep_id !== null && (await isTeamMember(db, ctx.actor.userId ?? '', row.rep_id))));
  if (!row || !visible) throw notFound('Territory', id);
  return row;
}

async function checkRep(ctx: ServiceContext, db: Executor, repId: string | null | undefined): Promise<void> {
  if (repId === undefined) return;
  if (repId === null) {
    if (ctx.actor.role === 'manager') {
      throw new AppError('validation_failed', msg('territories.manager_needs_rep'), {
        field: 'repId',
      });
    }
    return;
  }
  const user = await findUserRow(db, repId);
  if (!user)
    throw new AppError('validation_failed', msg('territories.rep_missing', { id: repId }), {
      field: 'repId',
    });
  if (ctx.actor.role === 'manager' && !(await isTeamMember(db, ctx.actor.userId ?? '', repId))) {
    throw new AppError('forbidden', msg('territories.rep_not_in_team', { name: user.name }), {
      field: 'repId',
    });
  }
}

async function checkListedAccounts(ctx: ServiceContext, db: Executor, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const scope = scopeFor(ctx);
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('accounts')
      .select('id')
      .where('id', 'in', unique.slice(i, i + 500))
      .where((eb) => accountScopeCondition(db, eb, scope))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw new AppError('not_found', msg('accounts.missing', { id: missing[0] ?? '' }), {
      ids: missing.slice(0, 100),
    });
  }
  return unique;
}

async function replaceListedAccounts(db: Executor, territoryId: string, accountIds: string[]): Promise<void> {
  await db.deleteFrom('territory_accounts').where('territory_id', '=', territoryId).execute();
  for (let i = 0; i < accountIds.length; i += 500) {
    await db
      .insertInto('territory_accounts')
      .values(accountIds.slice(i, i + 500).map((account_id) => ({ territory_id: territoryId, account_id })))
      .execute();
  }
}

/**
 * Puts accounts without a territory into this one when they lie in its places or are on its list. Accounts
 * owned by someone outside the rep's team stay out, so a territory never opens another team's accounts.
 */
async function claimUnassignedAccounts(
  db: Executor,
  territory: { id: string; repId: string | null; rule: TerritoryRule },
  at: string,
): Promise<number> {
  const places = await placeSpellings(db, territory.rule);
  const result = await db
    .updateTable('accounts')
    .set((eb) => ({ territory_id: territory.id, updated_at: at, version: eb('version', '+', 1) }))
    .where('territory_id', 'is', null)
    .where((eb) =>
      eb.or([
        placeCondition(eb, places),
        eb(
          'id',
          'in',
          db.selectFrom('territory_accounts').select('account_id').where('territory_id', '=', territory.id),
        ),
      ]),
    )
    .where((eb) => {
      const unowned = eb('owner_id', 'is', null);
      if (!territory.repId) return unowned;
      const repId = territory.repId;
      return eb.or([
        unowned,
        eb('owner_id', '=', repId),
        eb(
          'owner_id',
          'in',
          db
            .selectFrom('users as mate')
            .select('mate.id')
            .where(
              'mate.team_id',
              'in',
              db.selectFrom('users as rep').select('rep.team_id').where('rep.id', '=', repId),
            ),
        ),
      ]);
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function ruleOf(row: TerritoryRow): TerritoryRule {
  const list = (json: string) => {
    try {
      const v: unknown = JSON.parse(json);
      return Array.isArray(v) ? v.map(String) : [];
    } catch {
      return [];
    }
  };
  return { provinces: list(row.provinces), cities: list(row.cities), districts: list(row.districts) };
}

const uniq = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))];

export async function createTerritory(
  ctx: ServiceContext,
  input: TTerritoryCreate,
): Promise<TTerritory & { claimedAccounts: number }> {
  requireRole(ctx, ['admin', 'manager'], 'define territories');
  const data = ZTerritoryCreate.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await checkRep(ctx, trx, data.repId ?? (ctx.actor.role === 'manager' ? null : undefined));
    const accountIds = await checkListedAccounts(ctx, trx, data.accountIds);
    const id = newId(now.getTime());
    const rule = {
      provinces: uniq(data.provinces),
      cities: uniq(data.cities),
      districts: uniq(data.districts),
    };
    await trx
      .insertInto('territories')
      .values({
        id,
        name: data.name,
        rep_id: data.repId ?? null,
        provinces: JSON.stringify(rule.provinces),
        cities: JSON.stringify(rule.cities),
        districts: JSON.stringify(rule.districts),
        created_at: at,
        updated_at: at,
      })
      .execute();
    await replaceListedAccounts(trx, id, accountIds);
    const claimedAccounts = await claimUnassignedAccounts(trx, { id, repId: data.repId ?? null, rule }, at);
    const row = await findTerritoryRow(trx, id);
    if (!row)
      throw new AppError('internal', msg('server.not_stored', { what: msg('entity.territory_lower') }));
    const [territory] = await withDetails(trx, [row]);
    if (!territory)
      throw new AppError('internal', msg('server.not_stored', { what: msg('entity.territory_lower') }));
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'territory',
      entityId: id,
      action: 'create',
      after: { ...territory, claimedAccounts },
    });
    return { ...territory, claimedAccounts };
  });
}

/** 409 for an edit of a version that is no longer the current one, carrying the territory as it is now. */
function staleTerritory(current: TTerritory, version: number): AppError {
  return new AppError(
    'version_conflict',
    msg('territories.version_conflict', { name: current.name, version, current: current.version }),
    { current },
  );
}

/** Changes a territory; `version` must be the one read (a stale one answers 409 with the territory as it is now). */
export async function updateTerritory(
  ctx: ServiceContext,
  id: string,
  input: TTerritoryUpdate,
): Promise<TTerritory & { claimedAccounts: number }> {
  requireRole(ctx, ['admin', 'manager'], 'change territories');
  const data = ZTerritoryUpdate.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const beforeRow = await manageableTerritory(ctx, trx, id);
    const [before] = await withDetails(trx, [beforeRow]);
    if (!before) throw notFound('Territory', id);
    if (beforeRow.version !== data.version) throw staleTerritory(before, data.version);
    await checkRep(ctx, trx, data.repId);
    const accountIds = data.accountIds ? await checkListedAccounts(ctx, trx, data.accountIds) : undefined;
    const old = ruleOf(beforeRow);
    const rule = {
      provinces: data.provinces ? uniq(data.provinces) : old.provinces,
      cities: data.cities ? uniq(data.cities) : old.cities,
      districts: data.districts ? uniq(data.districts) : old.districts,
    };
    const updated = await trx
      .updateTable('territories')
      .set({
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.repId !== undefined ? { rep_id: data.repId } : {}),
        provinces: JSON.stringify(rule.provinces),
        cities: JSON.stringify(rule.cities),
        districts: JSON.stringify(rule.districts),
        updated_at: at,
        version: data.version + 1,
      })
      .where('id', '=', id)
      // PostgreSQL: another save that read the same version and committed first leaves no row to change here.
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const nowRow = await findTerritoryRow(trx, id);
      const [current] = nowRow ? await withDetails(trx, [nowRow]) : [];
      throw staleTerritory(current ?? before, data.version);
    }
    if (accountIds) await replaceListedAccounts(trx, id, accountIds);
    const repId = data.repId !== undefined ? data.repId : beforeRow.rep_id;
    const claimedAccounts = await claimUnassignedAccounts(trx, { id, repId, rule }, at);
    const row = await findTerritoryRow(trx, id);
    if (!row) throw notFound('Territory', id);
    const [territory] = await withDetails(trx, [row]);
    if (!territory) throw notFound('Territory', id);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'territory',
      entityId: id,
      action: 'update',
      before,
      after: { ...territory, claimedAccounts },
    });
    return { ...territory, claimedAccounts };
  });
}

/**
 * Deletes a territory; its accounts keep their owners and lose the territory. `version` must be the one read: a
 * territory changed since (someone else's edit: its places, rep or accounts) is not deleted, and a stale version
 * answers 409 with the territory as it is now, as an edit does.
 */
export async function deleteTerritory(ctx: ServiceContext, id: string, version: number): Promise<void> {
  requireRole(ctx, ['admin', 'manager'], 'delete territories');
  const at = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await manageableTerritory(ctx, trx, id);
    const [before] = await withDetails(trx, [row]);
    if (!before) throw notFound('Territory', id);
    if (row.version !== version) throw staleTerritory(before, version);
    // Takes the row on the version read: on PostgreSQL another save that read the same version and committed first
    // leaves no row to take here.
    const taken = await trx
      .updateTable('territories')
      .set({ updated_at: at })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      // Deleted meanwhile: gone, as for a delete that comes after; changed: 409 with it as it is now.
      const nowRow = await findTerritoryRow(trx, id);
      if (!nowRow) throw notFound('Territory', id);
      const [current] = await withDetails(trx, [nowRow]);
      throw staleTerritory(current ?? before, version);
    }
    await trx
      .updateTable('accounts')
      .set((eb) => ({ territory_id: null, updated_at: at, version: eb('version', '+', 1) }))
      .where('territory_id', '=', id)
      .execute();
    await trx.deleteFrom('territories').where('id', '=', id).execute();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'territory',
      entityId: id,
      action: 'delete',
      before,
    });
  });
}
