import { type Selectable, sql } from 'kysely';
import { AppError, notFound } from '../domain/errors.ts';
import {
  compileMarketCriteria,
  diffCriteria,
  marketCriteriaFields,
  summarizeMatch,
  unknownValueTracker,
} from '../domain/market/market-criteria.ts';
import { msg } from '../domain/messages.ts';
import { assignTiers, computedTierCodes, TIER_CODES } from '../domain/tiering/assign-tiers.ts';
import { potentialScore } from '../domain/tiering/potential-score.ts';
import type { TAccount } from '../schemas/account.ts';
import type { TTier } from '../schemas/common.ts';
import type { TMarketCriteria } from '../schemas/market.ts';
import { ZMarketCriteria, ZStoredMarketCriteria } from '../schemas/market.ts';
import type {
  TMarketDefinition,
  TMarketPreview,
  TMarketSaveInput,
  TMarketSaveResult,
  TMarketState,
  TTierCounts,
  TTierOverride,
} from '../schemas/market-api.ts';
import { newId } from '../storage/ids.ts';
import { accountFromRow, type Executor, findAccountRow } from '../storage/repositories/accounts.ts';
import { recordAudit, recordAudits } from '../storage/repositories/audit.ts';
import {
  eachMarketRow,
  loadMarketRows,
  type TieringUpdate,
  touchedAccountIds,
  writeTiering,
} from '../storage/repositories/market.ts';
import type { AccountRow, MarketDefinitionsTable } from '../storage/tables.ts';
import { inTransaction } from '../storage/transaction.ts';
import { requireRole, requireSignedIn } from './access.ts';
import { assertCanSeeAccount } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { replanTierChanges } from './touches.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

function definitionFromRow(row: Selectable<MarketDefinitionsTable>): TMarketDefinition {
  return {
    id: row.id,
    version: row.version,
    criteria: ZStoredMarketCriteria.parse(JSON.parse(row.criteria)),
    isWidening: row.is_widening === 1,
    note: row.note,
    matching: row.matching,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** See saveMarket: market saves of one workspace (schema) wait for each other on PostgreSQL. */
const MARKET_SAVE_LOCK_SQL = 'select pg_advisory_xact_lock(7321, hashtext(current_schema()))';

async function lockMarketSave(db: Executor, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql.raw(MARKET_SAVE_LOCK_SQL).execute(db);
}

async function readCurrent(db: Executor): Promise<TMarketDefinition | null> {
  const row = await db
    .selectFrom('market_definitions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? definitionFromRow(row) : null;
}

export async function getCurrentMarket(ctx: ServiceContext): Promise<TMarketDefinition | null> {
  requireSignedIn(ctx);
  return readCurrent(ctx.db.kysely);
}

/**
 * The current definition, every version, and how many accounts are in the current market now (the whole
 * workspace, as the tiers count them): a version's `matching` is its count when it was saved, which imports,
 * edits and re-tiering since have moved.
 */
export async function getMarketState(ctx: ServiceContext): Promise<TMarketState> {
  requireSignedIn(ctx);
  const [versions, inMarket] = await Promise.all([listMarketVersions(ctx), countInMarket(ctx.db.kysely)]);
  return { current: versions[0] ?? null, versions, inMarket };
}

/** Accounts in the current market now (every account, whoever may see it). */
export async function countInMarket(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('in_market', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listMarketVersions(ctx: ServiceContext): Promise<TMarketDefinition[]> {
  requireSignedIn(ctx);
  const rows = await ctx.db.kysely
    .selectFrom('market_definitions')
    .selectAll()
    .orderBy('version', 'desc')
    .execute();
  return rows.map(definitionFromRow);
}

/**
 * What saving `criteria` would give: how many accounts match, how many already have a relationship, where, and what
 * the save would do to the plan (as `applyMarketAndTiers` does it): accounts in the market now that the criteria
 * leave out, their open planned touches that would be cancelled, and accounts that would come in.
 */
export async function previewMarket(ctx: ServiceContext, input: TMarketCriteria): Promise<TMarketPreview> {
  requireRole(ctx, ['admin', 'manager'], 'define the target market');
  // Checked whoever calls (the API has, the CLI and scripts have not): a minimum above its maximum is refused.
  const criteria = ZMarketCriteria.parse(input);
  const db = ctx.db.kysely;
  const [rows, touched, current] = await Promise.all([
    loadMarketRows(db, { withSources: (criteria.sourceIds?.length ?? 0) > 0 }),
    touchedAccountIds(db),
    readCurrent(db),
  ]);
  // One pass: the match summary, the current market's coverage, who would leave or come in, and the criteria's
  // places and industries no account has.
  const values = unknownValueTracker(criteria);
  let inCurrent = 0;
  let inCurrentWithRelationship = 0;
  const leaving: string[] = [];
  let entering = 0;
  const summary = summarizeMatch(rows, criteria, touched, (row, matched) => {
    values.visit(row);
    if (row.inMarket) {
      inCurrent++;
      if (touched.has(row.id)) inCurrentWithRelationship++;
      if (!matched) leaving.push(row.id);
    } else if (matched) entering++;
  });
  const plan: TMarketPreview['plan'] = {
    leaving: leaving.length,
    openTouches: await countOpenTouches(db, leaving),
    entering,
  };
  const diff = current ? diffCriteria(current.criteria, criteria) : { widened: [], narrowed: [] };
  const currentCoverage: TMarketPreview['currentCoverage'] = current
    ? { matching: inCurrent, withRelationship: inCurrentWithRelationship }
    : null;
  return {
    total: summary.total,
    matching: summary.matching,
    withRelationship: summary.withRelationship ?? 0,
    byProvince: summary.byProvince,
    byCity: summary.byCity,
    unknownValues: values.unknown(),
    currentVersion: current?.version ?? null,
    isWidening: diff.widened.length > 0,
    widened: diff.widened,
    currentCoverage,
    plan,
  };
}

/**
 * The open planned touches of `accountIds` (the ones a save cancels when they leave the market), read by account
 * through its index, in slices: only the leaving accounts' touches are read, not every plan's.
 */
async function countOpenTouches(db: Executor, accountIds: readonly string[]): Promise<number> {
  let total = 0;
  for (let from = 0; from < accountIds.length; from += 5000) {
    const row = await db
      .selectFrom('planned_touches')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'planned')
      .where('account_id', 'in', accountIds.slice(from, from + 5000))
      .executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/**
 * Saves a new market version, marks every account in or out of it and re-tiers. Widening the current market
 * must be confirmed (`widen: true`): method §1 widens only after the first definition has been worked.
 */
export async function saveMarket(ctx: ServiceContext, input: TMarketSaveInput): Promise<TMarketSaveResult> {
  requireRole(ctx, ['admin', 'manager'], 'define the target market');
  ZMarketCriteria.parse(input.criteria);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    // One save at a time (PostgreSQL; SQLite's transactions already are), so that the version read below is the
    // one this save replaces: two editors who started from the same version cannot both save.
    await lockMarketSave(trx, ctx.db.dialect);
    const current = await readCurrent(trx);
    if (input.version !== undefined && input.version !== (current?.version ?? null)) {
      if (current === null)
        throw new AppError('validation_failed', msg('market.version_none'), { field: 'version' });
      throw new AppError(
        'version_conflict',
        input.version === null
          ? msg('market.version_conflict_first', { current: current.version })
          : msg('market.version_conflict', { version: input.version, current: current.version }),
        { current },
      );
    }
    const diff = current ? diffCriteria(current.criteria, input.criteria) : { widened: [], narrowed: [] };
    const widening = diff.widened.length > 0;
    if (widening && !input.widen) {
      const rows = await loadMarketRows(trx, { withSources: false });
      const touched = await touchedAccountIds(trx);
      const inMarket = rows.filter((r) => r.inMarket);
      const covered = inMarket.filter((r) => touched.has(r.id)).length;
      throw new AppError(
        'conflict',
        msg('market.widens', {
          relaxed: diff.widened.join(', '),
          covered,
          total: inMarket.length,
          version: String(current?.version),
        }),
        { widened: diff.widened, coverage: { matching: inMarket.length, withRelationship: covered } },
      );
    }
    const version = (current?.version ?? 0) + 1;
    const { counts: tiers, plan } = await applyMarketAndTiers(ctx, trx, input.criteria, version, at);
    const matching = tiers.A + tiers.B + tiers.C;
    await trx
      .insertInto('market_definitions')
      .values({
        id: newId(),
        version,
        criteria: JSON.stringify(input.criteria),
        territory_id: input.criteria.territoryId ?? null,
        is_widening: widening ? 1 : 0,
        note: input.note ?? null,
        matching,
        created_by: ctx.actor.userId,
        created_at: at,
      })
      .execute();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'market',
      entityId: String(version),
      action: widening ? 'widen' : 'save',
      before: current,
      after: { version, criteria: input.criteria, matching, tiers, plan },
    });
    return { version, matching, isWidening: widening, tiers, plan };
  });
}

/** Re-scores and re-tiers every account under the current market and tiering settings. */
export async function retier(ctx: ServiceContext): Promise<TTierCounts> {
  requireRole(ctx, ['admin', 'manager'], 're-tier the accounts');
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const current = await readCurrent(trx);
    const { counts: tiers, plan } = await applyMarketAndTiers(
      ctx,
      trx,
      current?.criteria ?? null,
      current?.version ?? null,
      at,
    );
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'tiers',
      entityId: null,
      action: 'retier',
      after: plan.leftMarket > 0 ? { ...tiers, plan } : tiers,
    });
    return tiers;
  });
}

/**
 * Marks every account in or out of the market and tiers those in it. Without a market definition nobody is in
 * market: the method starts by defining it. An account that leaves the market leaves the plan too: its open planned
 * touches are cancelled (method §2: out-of-market accounts have no tier and no plan), in the same transaction.
 */
async function applyMarketAndTiers(
  ctx: ServiceContext,
  trx: Executor,
  criteria: TMarketCriteria | null,
  version: number | null,
  at: string,
): Promise<{ counts: TTierCounts; plan: TMarketSaveResult['plan'] }> {
  const settings = await readWorkspaceSettings(trx);
  const matches = criteria ? compileMarketCriteria(criteria) : () => false;
  // assignTiers over columns: the rows are visited one by one (on SQLite one reused object, see eachMarketRow)
  // and only what tiering and the comparison with the stored values need is kept, in arrays.
  const ids: string[] = [];
  const rowids: (number | null)[] = [];
  const scores: number[] = [];
  const scored: number[] = [];
  const market: number[] = [];
  const overrides: (TTier | null)[] = [];
  const storedInMarket: boolean[] = [];
  const storedVersion: (number | null)[] = [];
  const storedTier: (TTier | null)[] = [];
  const storedScore: (number | null)[] = [];
  await eachMarketRow(
    trx,
    {
      withSources: (criteria?.sourceIds?.length ?? 0) > 0,
      raw: ctx.db,
      fields: criteria ? marketCriteriaFields(criteria) : new Set(),
    },
    (row, rowid) => {
      const score = potentialScore(row, settings.tiering);
      ids.push(row.id);
      rowids.push(rowid);
      scores.push(score ?? 0);
      scored.push(score === null ? 0 : 1);
      market.push(matches(row) ? 1 : 0);
      overrides.push(row.tierOverride);
      storedInMarket.push(row.inMarket);
      storedVersion.push(row.marketVersion);
      storedTier.push(row.storedTier);
      storedScore.push(row.storedScore);
    },
  );
  const n = ids.length;
  const rankScores = new Float64Array(n);
  for (let i = 0; i < n; i++) rankScores[i] = scored[i] ? (scores[i] as number) : Number.NEGATIVE_INFINITY;
  const inMarket = Uint8Array.from(market);
  const codes = computedTierCodes(rankScores, inMarket, ids, settings.tiering.cut);
  // As assignTiers counts and assigns: the override, else the computed tier, in market; no tier out of it.
  const counts: TTierCounts = { A: 0, B: 0, C: 0, outOfMarket: 0, overridden: 0 };
  const updates: TieringUpdate[] = [];
  const leftMarket: string[] = [];
  let entered = 0;
  for (let i = 0; i < n; i++) {
    const isIn = inMarket[i] === 1;
    if (storedInMarket[i] && !isIn) leftMarket.push(ids[i] as string);
    else if (!storedInMarket[i] && isIn) entered++;
    let tier: TTier | null = null;
    if (isIn) {
      const override = overrides[i] ?? null;
      tier = override ?? (TIER_CODES[codes[i] as number] as TTier);
      if (override) counts.overridden++;
      counts[tier]++;
    } else counts.outOfMarket++;
    const score = scored[i] ? (scores[i] as number) : null;
    const marketVersion = isIn ? version : null;
    if (
      storedInMarket[i] !== isIn ||
      storedVersion[i] !== marketVersion ||
      storedTier[i] !== tier ||
      !sameScore(storedScore[i] ?? null, score)
    ) {
      updates.push({ id: ids[i] as string, rowid: rowids[i], inMarket: isIn, marketVersion, score, tier });
    }
  }
  await writeTiering(ctx.db, trx, updates, at);
  const cancelledTouches = await cancelOpenTouches(trx, leftMarket, at);
  return { counts, plan: { leftMarket: leftMarket.length, cancelledTouches, entered } };
}

/** Cancels the open planned touches of `accountIds` (done ones stay: they are history); how many. */
async function cancelOpenTouches(trx: Executor, accountIds: readonly string[], at: string): Promise<number> {
  let cancelled = 0;
  // In slices: SQLite takes at most 32,766 parameters a statement.
  for (let from = 0; from < accountIds.length; from += 5000) {
    const result = await trx
      .updateTable('planned_touches')
      .set({ status: 'cancelled', updated_at: at })
      .where('status', '=', 'planned')
      .where('account_id', 'in', accountIds.slice(from, from + 5000))
      .executeTakeFirst();
    cancelled += Number(result.numUpdatedRows);
  }
  return cancelled;
}

function sameScore(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.abs(a) * 1e-12;
}

/** Tier counts as stored. */
export async function tierCounts(ctx: ServiceContext): Promise<TTierCounts> {
  requireSignedIn(ctx);
  const rows = await ctx.db.kysely
    .selectFrom('accounts')
    .select(['tier', 'in_market', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['tier', 'in_market'])
    .execute();
  const overridden = await ctx.db.kysely
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tier_override', 'is not', null)
    .where('in_market', '=', 1)
    .executeTakeFirstOrThrow();
  const counts: TTierCounts = { A: 0, B: 0, C: 0, outOfMarket: 0, overridden: Number(overridden.n) };
  for (const r of rows) {
    if (r.in_market === 1 && r.tier) counts[r.tier] += Number(r.n);
    else counts.outOfMarket += Number(r.n);
  }
  return counts;
}

/**
 * Sets or removes a manual tier; recorded with who and why, and kept across re-tiering. The account's open planned
 * touches follow the new tier's cadence in the same transaction (see applyTierOverrides). `version` is the account's
 * as read: a stale one (another manager overrode the tier, or anyone changed the account, since) answers 409
 * version_conflict with the account as it is now, and nothing changes.
 */
export async function overrideTier(
  ctx: ServiceContext,
  accountId: string,
  input: TTierOverride,
): Promise<TAccount> {
  const { version, ...change } = input;
  const at = ctx.now().toISOString();
  const stale = (current: AccountRow) =>
    new AppError(
      'version_conflict',
      msg('accounts.version_conflict', { id: accountId, version, current: current.version }),
      { current: accountFromRow(current) },
    );
  // Retried when PostgreSQL breaks a deadlock with a plan being saved or a touch logged for the account (the re-plan
  // writes its planned touches).
  return inTransaction(ctx.db.kysely, async (trx) => {
    const before = await assertCanSeeAccount(ctx, accountId, trx);
    if (before.version !== version) throw stale(before);
    // Takes the row on the version read: on PostgreSQL another save that read the same version and committed first
    // leaves no row to take here (applyTierOverrides then moves the version on by one).
    const taken = await trx
      .updateTable('accounts')
      .set({ updated_at: at })
      .where('id', '=', accountId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      const current = await findAccountRow(trx, accountId);
      if (!current) throw notFound('Account', accountId);
      throw stale(current);
    }
    if (change.tier && before.in_market !== 1) {
      throw new AppError('unprocessable', msg('market.override_outside', { name: before.name }), {
        accountId,
      });
    }
    await applyTierOverrides(ctx, trx, [before], change, at);
    const after = await findAccountRow(trx, accountId);
    if (!after) throw notFound('Account', accountId);
    return accountFromRow(after);
  });
}

/** What applyTierOverrides reads of an account. */
export type TierOverrideTarget = Pick<
  AccountRow,
  'id' | 'in_market' | 'tier' | 'tier_override' | 'tier_override_reason'
>;

/**
 * Sets (or with `tier: null` removes) the manual tier of accounts the caller has already been checked to see,
 * in the caller's transaction: one audit entry per account. Setting gives in-market accounts the tier (the
 * caller leaves out-of-market ones out: they have no tier); removing gives back the tier the market's tiering
 * computes, worked out once for all of them. Where the tier changes, the account's open planned touches are
 * re-planned on the new tier's cadence (replanTierChanges in services/touches.ts, as a logged touch re-plans its
 * channel), noted in the audit entry. Used by the single override and by the Accounts bulk action.
 */
export async function applyTierOverrides(
  ctx: ServiceContext,
  trx: Executor,
  targets: readonly TierOverrideTarget[],
  input: Omit<TTierOverride, 'version'>,
  at: string,
): Promise<void> {
  if (targets.length === 0) return;
  const tierOf = new Map<string, TTier | null>();
  if (input.tier) {
    for (const t of targets) tierOf.set(t.id, t.in_market === 1 ? input.tier : null);
  } else {
    // Removing overrides: the computed tiers come back from one re-tier of the market without them.
    const settings = await readWorkspaceSettings(trx);
    const removing = new Set(targets.map((t) => t.id));
    const rows = await loadMarketRows(trx, { withSources: false });
    for (const row of rows) if (removing.has(row.id)) row.tierOverride = null;
    const { assignments } = assignTiers(rows, settings.tiering, (r) => r.inMarket);
    const computed = new Map(assignments.map((a) => [a.id, a.tier]));
    for (const t of targets) tierOf.set(t.id, t.in_market === 1 ? (computed.get(t.id) ?? null) : null);
  }
  const byTier = new Map<TTier | null, string[]>();
  for (const t of targets) {
    const tier = tierOf.get(t.id) ?? null;
    const ids = byTier.get(tier) ?? [];
    ids.push(t.id);
    byTier.set(tier, ids);
  }
  for (const [tier, ids] of byTier) {
    for (let i = 0; i < ids.length; i += 500) {
      await trx
        .updateTable('accounts')
        .set((eb) => ({
          tier_override: input.tier,
          tier_override_reason: input.tier ? input.reason : null,
          tier_override_by: input.tier ? ctx.actor.userId : null,
          tier_override_at: input.tier ? at : null,
          tier,
          updated_at: at,
          version: eb('version', '+', 1),
        }))
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }
  // A changed tier changes the cadence: the open touches of the accounts in a plan follow it at once.
  const replanned = await replanTierChanges(
    ctx,
    trx,
    targets.map((t) => ({ id: t.id, before: t.tier, after: tierOf.get(t.id) ?? null })),
    at,
  );
  await recordAudits(
    trx,
    targets.map((t) => {
      const replan = replanned.get(t.id);
      return {
        at,
        userId: ctx.actor.userId,
        entity: 'account',
        entityId: t.id,
        action: input.tier ? 'tier-override' : 'tier-override-removed',
        before: { tier: t.tier, tierOverride: t.tier_override, reason: t.tier_override_reason },
        after: {
          tier: tierOf.get(t.id) ?? null,
          tierOverride: input.tier,
          reason: input.reason,
          // Per channel re-planned: how many open touches it has now and the next one's date.
          ...(replan ? { replanned: replan } : {}),
        },
      };
    }),
  );
}
