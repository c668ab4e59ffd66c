import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { ZAccountListQuery } from '../schemas/account.ts';
import {
  MAX_BULK_ACCOUNTS,
  type TBulkAssign,
  type TBulkResult,
  type TBulkSkipReason,
  type TBulkStage,
  type TBulkTierOverride,
  ZBulkAssign,
  ZBulkStage,
  ZBulkTierOverride,
} from '../schemas/account-bulk.ts';
import type { TAccountQueryJson } from '../schemas/saved-view.ts';
import { accountScopeCondition } from '../storage/repositories/account-scope.ts';
import { countAccounts, type Executor, filtered } from '../storage/repositories/accounts.ts';
import { recordAudit, recordAudits } from '../storage/repositories/audit.ts';
import { inTransaction } from '../storage/transaction.ts';
import { requireRole, requireSignedIn } from './access.ts';
import { checkAssignee, moveAccounts } from './account-assignment.ts';
import { listContext, scopeFor } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { applyTierOverrides } from './market.ts';
import { checkedQuery } from './saved-views.ts';

// Bulk actions of the Accounts table: one request changes the selected accounts, named by id (the rows ticked
// on a page) or by the list's filter (every account it matches), in one transaction with one audit entry per
// account and one for the action. Every account must lie in the caller's scope: a listed id the caller may not
// see answers 404 and changes nothing; a filter only ever matches what the caller may see. The answer says how
// many were changed and which were skipped, and why.

const COLUMNS = [
  'id',
  'owner_id',
  'version',
  'in_market',
  'tier',
  'tier_override',
  'tier_override_reason',
  'stage',
] as const;
type Target = {
  id: string;
  owner_id: string | null;
  version: number;
  in_market: number;
  tier: 'A' | 'B' | 'C' | null;
  tier_override: 'A' | 'B' | 'C' | null;
  tier_override_reason: string | null;
  stage: string;
};

export interface BulkOptions {
  /** The most accounts one action may change (default MAX_BULK_ACCOUNTS). */
  maxAccounts?: number;
}

interface Selection {
  ids?: string[] | undefined;
  filter?: TAccountQueryJson | undefined;
  expectedCount?: number | undefined;
}

/** The selected accounts, read in the action's transaction; refuses ids out of scope and oversized selections. */
async function selectTargets(
  ctx: ServiceContext,
  trx: Executor,
  selection: Selection,
  maxAccounts: number,
): Promise<Target[]> {
  const scope = scopeFor(ctx);
  if (selection.ids) {
    const ids = [...new Set(selection.ids)];
    const rows: Target[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(
        ...(await trx
          .selectFrom('accounts')
          .select([...COLUMNS])
          .where('id', 'in', ids.slice(i, i + 500))
          .where((eb) => accountScopeCondition(trx, eb, scope))
          .execute()),
      );
    }
    const seen = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !seen.has(id));
    if (missing.length) {
      throw new AppError(
        'not_found',
        missing.length > 1
          ? msg('accounts.missing_more_unchanged', { id: missing[0] ?? '', more: missing.length - 1 })
          : msg('accounts.missing_unchanged', { id: missing[0] ?? '' }),
        { ids: missing.slice(0, 100) },
      );
    }
    return rows;
  }
  const {
    page: _page,
    pageSize: _size,
    sort: _sort,
    order: _order,
    ...query
  } = ZAccountListQuery.parse(checkedQuery(selection.filter ?? {}, 'filter'));
  const context = await listContext(ctx, query, trx);
  const matched = await countAccounts(trx, query, scope, context);
  if (matched > maxAccounts) {
    throw new AppError(
      'unprocessable',
      msg('accounts.bulk_too_many', {
        matched: matched.toLocaleString('en'),
        max: maxAccounts.toLocaleString('en'),
      }),
      { matched, max: maxAccounts },
    );
  }
  if (selection.expectedCount !== undefined && selection.expectedCount !== matched) {
    throw new AppError(
      'conflict',
      msg('accounts.bulk_count_changed', { matched, expected: selection.expectedCount }),
      { matched, expectedCount: selection.expectedCount },
    );
  }
  return (await filtered(trx, query, scope, context)
    .select(COLUMNS.map((c) => `accounts.${c}` as const))
    .orderBy('accounts.id')
    .execute()) as Target[];
}

/** The request checked by its schema; a bad one (from a direct caller: routes check first) says where and why. */
function parseBody<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw new AppError('validation_failed', `${first?.path || 'body'}: ${first?.message ?? 'invalid'}`, {
    issues,
  });
}

function result(matched: number, changed: number, skips: Map<TBulkSkipReason, string[]>): TBulkResult {
  return {
    matched,
    changed,
    skipped: [...skips].map(([reason, ids]) => ({ reason, count: ids.length, ids: ids.slice(0, 20) })),
  };
}

function skip(skips: Map<TBulkSkipReason, string[]>, reason: TBulkSkipReason, id: string) {
  const ids = skips.get(reason) ?? [];
  ids.push(id);
  skips.set(reason, ids);
}

async function auditAction(
  ctx: ServiceContext,
  trx: Executor,
  at: string,
  action: string,
  selection: Selection,
  outcome: TBulkResult,
  details: Record<string, unknown>,
) {
  await recordAudit(trx, {
    at,
    userId: ctx.actor.userId,
    entity: 'account',
    entityId: null,
    action,
    after: {
      ...details,
      selection: selection.ids ? { ids: selection.ids.length } : { filter: selection.filter },
      matched: outcome.matched,
      changed: outcome.changed,
      skipped: outcome.skipped.map(({ reason, count }) => ({ reason, count })),
    },
  });
}

/** Hands the selected accounts to another person, with their open planned touches (managers and admins). */
export async function bulkAssign(
  ctx: ServiceContext,
  input: TBulkAssign,
  options: BulkOptions = {},
): Promise<TBulkResult> {
  requireRole(ctx, ['admin', 'manager'], 'hand accounts to another person');
  const body = parseBody(ZBulkAssign, input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const to = await checkAssignee(ctx, trx, body.toUserId, 'toUserId');
    const targets = await selectTargets(ctx, trx, body, options.maxAccounts ?? MAX_BULK_ACCOUNTS);
    const skips = new Map<TBulkSkipReason, string[]>();
    const moving = targets.filter((t) => {
      if (t.owner_id !== to.id) return true;
      skip(skips, 'already_owner', t.id);
      return false;
    });
    const plannedTouches = await moveAccounts(ctx, trx, moving, to.id, at);
    const outcome = { ...result(targets.length, moving.length, skips), plannedTouches };
    await auditAction(ctx, trx, at, 'bulk-assign', body, outcome, { toUserId: to.id, plannedTouches });
    return outcome;
  });
}

/**
 * Sets (or removes) a manual tier with a reason on the selected accounts; accounts outside the target market
 * have no tier and are skipped. The same rules as the single override (services/market.ts), re-plan of the open
 * touches of accounts whose tier changes included.
 */
export async function bulkOverrideTier(
  ctx: ServiceContext,
  input: TBulkTierOverride,
  options: BulkOptions = {},
): Promise<TBulkResult> {
  requireSignedIn(ctx);
  const body = parseBody(ZBulkTierOverride, input);
  const at = ctx.now().toISOString();
  // Retried on a PostgreSQL deadlock: the accounts' open touches are re-planned (see applyTierOverrides).
  return inTransaction(ctx.db.kysely, async (trx) => {
    const targets = await selectTargets(ctx, trx, body, options.maxAccounts ?? MAX_BULK_ACCOUNTS);
    const skips = new Map<TBulkSkipReason, string[]>();
    const changing = targets.filter((t) => {
      if (body.tier && t.in_market !== 1) skip(skips, 'out_of_market', t.id);
      else if (!body.tier && t.tier_override === null) skip(skips, 'no_override', t.id);
      else if (body.tier && t.tier_override === body.tier && t.tier_override_reason === body.reason)
        skip(skips, 'unchanged', t.id);
      else return true;
      return false;
    });
    await applyTierOverrides(ctx, trx, changing, { tier: body.tier, reason: body.reason }, at);
    const outcome = result(targets.length, changing.length, skips);
    await auditAction(ctx, trx, at, 'bulk-tier-override', body, outcome, {
      tier: body.tier,
      reason: body.reason,
    });
    return outcome;
  });
}

/** Moves the selected accounts to a pipeline stage (anyone, on the accounts they may change). */
export async function bulkChangeStage(
  ctx: ServiceContext,
  input: TBulkStage,
  options: BulkOptions = {},
): Promise<TBulkResult> {
  requireSignedIn(ctx);
  const body = parseBody(ZBulkStage, input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const targets = await selectTargets(ctx, trx, body, options.maxAccounts ?? MAX_BULK_ACCOUNTS);
    const skips = new Map<TBulkSkipReason, string[]>();
    const changing = targets.filter((t) => {
      if (t.stage !== body.stage) return true;
      skip(skips, 'unchanged', t.id);
      return false;
    });
    const ids = changing.map((t) => t.id);
    for (let i = 0; i < ids.length; i += 500) {
      await trx
        .updateTable('accounts')
        .set((eb) => ({ stage: body.stage, updated_at: at, version: eb('version', '+', 1) }))
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
    }
    await recordAudits(
      trx,
      changing.map((t) => ({
        at,
        userId: ctx.actor.userId,
        entity: 'account',
        entityId: t.id,
        action: 'update',
        before: { stage: t.stage, version: t.version },
        after: { stage: body.stage, version: t.version + 1 },
      })),
    );
    const outcome = result(targets.length, changing.length, skips);
    await auditAction(ctx, trx, at, 'bulk-stage', body, outcome, { stage: body.stage });
    return outcome;
  });
}
