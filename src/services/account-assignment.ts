import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TAccountAssign,
  type TAccountAssignResult,
  type THandOverPreview,
  ZAccountAssign,
} from '../schemas/people.ts';
import { accountScopeCondition } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudits } from '../storage/repositories/audit.ts';
import {
  findTerritoryRow,
  findUserRow,
  isTeamMember,
  territoryForPlace,
} from '../storage/repositories/people.ts';
import type { AccountRow, NewAccountRow } from '../storage/tables.ts';
import { isUnrestrictedActor, requireRole, requireSignedIn } from './access.ts';
import { scopeFor } from './accounts.ts';
import type { ServiceContext } from './context.ts';

type Ownership = Pick<NewAccountRow, 'owner_id' | 'territory_id'>;

/**
 * For a new account (`current` null) or a change: checks that the actor may give the account this owner and
 * territory, and fills the defaults of a new one (a manager's or rep's new account is theirs; its territory is
 * the one its place lies in). Returns only the columns to write.
 */
export async function checkOwnership(
  ctx: ServiceContext,
  trx: Executor,
  wanted: Partial<NewAccountRow>,
  current: AccountRow | null,
): Promise<Partial<Ownership>> {
  requireSignedIn(ctx);
  const out: Partial<Ownership> = {};
  const { actor } = ctx;
  const ownerChanges =
    wanted.owner_id !== undefined && (current === null || wanted.owner_id !== current.owner_id);
  const territoryChanges =
    wanted.territory_id !== undefined && (current === null || wanted.territory_id !== current.territory_id);

  if (ownerChanges) {
    const ownerId = wanted.owner_id ?? null;
    if (actor.role === 'rep' && ownerId !== actor.userId) {
      throw new AppError(
        'forbidden',
        current ? msg('accounts.handover_managers_only') : msg('accounts.rep_owns_new'),
        { field: 'ownerId' },
      );
    }
    if (ownerId !== null) await checkAssignee(ctx, trx, ownerId, 'ownerId');
    out.owner_id = ownerId;
  } else if (current === null && !isUnrestrictedActor(actor)) {
    out.owner_id = actor.userId;
  }

  if (territoryChanges) {
    const territoryId = wanted.territory_id ?? null;
    if (territoryId !== null) {
      const territory = await findTerritoryRow(trx, territoryId);
      if (!territory) {
        throw new AppError('validation_failed', msg('accounts.territory_missing', { id: territoryId }), {
          field: 'territoryId',
        });
      }
      const allowed =
        isUnrestrictedActor(actor) ||
        (actor.role === 'rep' && territory.rep_id === actor.userId && current === null) ||
        (actor.role === 'manager' &&
          territory.rep_id !== null &&
          (await isTeamMember(trx, actor.userId ?? '', territory.rep_id)));
      if (!allowed) {
        throw new AppError(
          'forbidden',
          actor.role === 'rep'
            ? msg('accounts.move_territory_managers_only')
            : msg('accounts.territory_not_in_team', { id: territoryId }),
          { field: 'territoryId' },
        );
      }
    } else if (actor.role === 'rep') {
      throw new AppError('forbidden', msg('accounts.remove_territory_managers_only'), {
        field: 'territoryId',
      });
    }
    out.territory_id = territoryId;
  } else if (current === null && wanted.territory_id === undefined) {
    out.territory_id = await territoryForPlace(trx, {
      province: wanted.province ?? null,
      city: wanted.city ?? null,
      district: wanted.district ?? null,
    });
  }
  return out;
}

/** A user may receive accounts from the actor: exists, enabled, and (for a manager) in their team. */
export async function checkAssignee(ctx: ServiceContext, trx: Executor, userId: string, field: string) {
  const { actor } = ctx;
  const user = await findUserRow(trx, userId);
  const visible =
    user &&
    (isUnrestrictedActor(actor) ||
      user.id === actor.userId ||
      (actor.role === 'manager' && (await isTeamMember(trx, actor.userId ?? '', user.id))));
  if (!user || !visible) {
    if (actor.role === 'manager' && user) {
      throw new AppError('forbidden', msg('accounts.user_not_in_team', { field, id: userId }), { field });
    }
    throw new AppError('validation_failed', msg('accounts.user_missing', { field, id: userId }), { field });
  }
  if (user.disabled_at) {
    throw new AppError('validation_failed', msg('accounts.user_disabled', { field, name: user.name }), {
      field,
    });
  }
  return user;
}

/**
 * Hands accounts to another person: the listed accounts, or every account a (leaving) user owns, together
 * with their planned calls and visits. Managers within their team, admins anywhere; one audit entry per account.
 */
export async function assignAccounts(
  ctx: ServiceContext,
  input: TAccountAssign,
): Promise<TAccountAssignResult> {
  requireRole(ctx, ['admin', 'manager'], 'hand accounts to another person');
  const { accountIds, fromUserId, toUserId } = ZAccountAssign.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const to = await checkAssignee(ctx, trx, toUserId, 'toUserId');
    let rows: { id: string; owner_id: string | null; version: number }[];
    if (fromUserId) {
      const from = await findUserRow(trx, fromUserId);
      const visible =
        from &&
        (isUnrestrictedActor(ctx.actor) || (await isTeamMember(trx, ctx.actor.userId ?? '', from.id)));
      if (!from || !visible) throw notFound('User', fromUserId);
      rows = await trx
        .selectFrom('accounts')
        .select(['id', 'owner_id', 'version'])
        .where('owner_id', '=', fromUserId)
        .execute();
    } else {
      const ids = [...new Set(accountIds ?? [])];
      rows = [];
      const scope = scopeFor(ctx);
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const found = await trx
          .selectFrom('accounts')
          .select(['id', 'owner_id', 'version'])
          .where('id', 'in', chunk)
          .where((eb) => accountScopeCondition(trx, eb, scope))
          .execute();
        rows.push(...found);
      }
      const seen = new Set(rows.map((r) => r.id));
      const missing = ids.filter((id) => !seen.has(id));
      if (missing.length) {
        throw new AppError(
          'not_found',
          missing.length > 1
            ? msg('accounts.missing_more', { id: missing[0] ?? '', more: missing.length - 1 })
            : msg('accounts.missing', { id: missing[0] ?? '' }),
          { ids: missing.slice(0, 100) },
        );
      }
    }
    const moving = rows.filter((r) => r.owner_id !== to.id);
    const plannedTouches = await moveAccounts(ctx, trx, moving, to.id, at, fromUserId ?? null);
    if (fromUserId) {
      await recordAudits(trx, [
        {
          at,
          userId: ctx.actor.userId,
          entity: 'user',
          entityId: fromUserId,
          action: 'hand_over',
          after: { toUserId: to.id, accounts: moving.length, plannedTouches },
        },
      ]);
    }
    return { accounts: moving.length, plannedTouches };
  });
}

/**
 * Gives accounts (already checked: in the caller's scope, and not owned by `toUserId`) to `toUserId` in the
 * caller's transaction, with their open planned calls and visits (all of `fromUserId`'s when handing over a
 * leaving rep's accounts); one audit entry per account. Returns how many planned touches moved. Used by
 * assignAccounts and by the Accounts bulk action.
 */
export async function moveAccounts(
  ctx: ServiceContext,
  trx: Executor,
  moving: readonly { id: string; owner_id: string | null; version: number }[],
  toUserId: string,
  at: string,
  fromUserId: string | null = null,
): Promise<number> {
  const to = { id: toUserId };
  const ids = moving.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable('accounts')
      .set((eb) => ({ owner_id: to.id, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
  let plannedTouches = 0;
  if (fromUserId) {
    const result = await trx
      .updateTable('planned_touches')
      .set({ rep_id: to.id, updated_at: at })
      .where('rep_id', '=', fromUserId)
      .where('status', '=', 'planned')
      .executeTakeFirst();
    plannedTouches = Number(result.numUpdatedRows);
  } else {
    for (let i = 0; i < ids.length; i += 500) {
      const result = await trx
        .updateTable('planned_touches')
        .set({ rep_id: to.id, updated_at: at })
        .where('account_id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'planned')
        .where((eb) => eb.or([eb('rep_id', 'is', null), eb('rep_id', '!=', to.id)]))
        .executeTakeFirst();
      plannedTouches += Number(result.numUpdatedRows);
    }
  }
  await recordAudits(
    trx,
    moving.map((r) => ({
      at,
      userId: ctx.actor.userId,
      entity: 'account',
      entityId: r.id,
      action: 'assign',
      before: { ownerId: r.owner_id, version: r.version },
      after: { ownerId: to.id, version: r.version + 1 },
    })),
  );
  return plannedTouches;
}

/**
 * What handing over every account of `fromUserId` would move (the same rows `assignAccounts` with
 * `fromUserId` moves), so a manager can confirm the counts first; and the territories that stay with them.
 */
export async function previewHandOver(ctx: ServiceContext, fromUserId: string): Promise<THandOverPreview> {
  requireRole(ctx, ['admin', 'manager'], 'hand accounts to another person');
  const db = ctx.db.kysely;
  const from = await findUserRow(db, fromUserId);
  const visible =
    from && (isUnrestrictedActor(ctx.actor) || (await isTeamMember(db, ctx.actor.userId ?? '', from.id)));
  if (!from || !visible) throw notFound('User', fromUserId);
  const accounts = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('owner_id', '=', fromUserId)
    .executeTakeFirstOrThrow();
  const touches = await db
    .selectFrom('planned_touches')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('rep_id', '=', fromUserId)
    .where('status', '=', 'planned')
    .executeTakeFirstOrThrow();
  const territories = await db
    .selectFrom('territories')
    .select(['id', 'name'])
    .where('rep_id', '=', fromUserId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return {
    userId: fromUserId,
    accounts: Number(accounts.n),
    plannedTouches: Number(touches.n),
    territories,
  };
}
