import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  PostgresAdapter,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { Database } from '../tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * What the caller may see; `services/accounts.ts` `scopeFor(ctx)` builds it from the actor. Empty means
 * everything (admin, local CLI). Every field narrows further; several fields all apply.
 */
export interface AccountScope {
  /** Only accounts owned by these users or inside these territories (an empty list matches nothing). */
  ownerIds?: string[];
  territoryIds?: string[];
  /** Only what this manager or rep may see, worked out in SQL when the query runs (never a cached list). */
  viewer?: { userId: string; role: 'manager' | 'rep' };
}

/** Users in the teams `managerId` manages (teams.manager_id) or belongs to (users.team_id), and the manager. */
export function teamMemberIds(db: Executor, managerId: string) {
  return db
    .selectFrom('users as member')
    .select('member.id')
    .where((eb) =>
      eb.or([
        eb('member.id', '=', managerId),
        eb(
          'member.team_id',
          'in',
          db.selectFrom('teams as managed').select('managed.id').where('managed.manager_id', '=', managerId),
        ),
        eb(
          'member.team_id',
          'in',
          db.selectFrom('users as self').select('self.team_id').where('self.id', '=', managerId),
        ),
      ]),
    );
}

/** Teams `userId` manages or belongs to. */
export function teamIdsOf(db: Executor, userId: string) {
  return db
    .selectFrom('teams as t')
    .select('t.id')
    .where((eb) =>
      eb.or([
        eb('t.manager_id', '=', userId),
        eb('t.id', 'in', db.selectFrom('users as self').select('self.team_id').where('self.id', '=', userId)),
      ]),
    );
}

function territoriesOfReps(db: Executor, reps: string | ReturnType<typeof teamMemberIds>) {
  const q = db.selectFrom('territories as scope_t').select('scope_t.id');
  return typeof reps === 'string'
    ? q.where('scope_t.rep_id', '=', reps)
    : q.where('scope_t.rep_id', 'in', reps);
}

function listedInTerritoriesOfReps(db: Executor, reps: string | ReturnType<typeof teamMemberIds>) {
  return db
    .selectFrom('territory_accounts as scope_ta')
    .select('scope_ta.account_id')
    .where('scope_ta.territory_id', 'in', territoriesOfReps(db, reps));
}

/**
 * `column IN (subquery)`, written so that an OR of such conditions can be answered from indexes. SQLite does that
 * with `IN` itself (a MULTI-INDEX OR: each arm's index, the subquery's values looked up one by one). PostgreSQL
 * cannot use an index for an `IN (subquery)` inside an OR (it becomes a hashed subplan checked on every row, so
 * a rep's scope meant reading all accounts: ~70–290 ms for a search over 100,000), but it can for
 * `column = ANY(ARRAY(subquery))`: the subquery runs once, and the arms combine in a BitmapOr of index scans.
 * The same rows either way (the subqueries' columns are never NULL). When PostgreSQL prefers to check the
 * condition row by row instead (walking an index in list order), the array is searched linearly: cheap for a
 * rep's or team's ids and territories, noticeable for explicit territory lists of thousands of accounts.
 */
function inSubquery(
  db: Executor,
  eb: ExpressionBuilder<Database, 'accounts'>,
  column: 'accounts.owner_id' | 'accounts.territory_id' | 'accounts.id',
  subquery: ReturnType<typeof teamMemberIds | typeof territoriesOfReps | typeof listedInTerritoriesOfReps>,
): Expression<SqlBool> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return sql<SqlBool>`${sql.ref(column)} = any(array(${subquery}))`;
  }
  return eb(column, 'in', subquery);
}

/** The WHERE condition for `accounts` under a scope; use inside `.where((eb) => accountScopeCondition(…))`. */
export function accountScopeCondition(
  db: Executor,
  eb: ExpressionBuilder<Database, 'accounts'>,
  scope: AccountScope,
): Expression<SqlBool> {
  const ands: Expression<SqlBool>[] = [];
  if (scope.ownerIds || scope.territoryIds) {
    const ors: Expression<SqlBool>[] = [];
    if (scope.ownerIds?.length) ors.push(eb('accounts.owner_id', 'in', scope.ownerIds));
    if (scope.territoryIds?.length) ors.push(eb('accounts.territory_id', 'in', scope.territoryIds));
    ands.push(ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`);
  }
  const viewer = scope.viewer;
  if (viewer) {
    // A rep: accounts they own, or in their territories (by territory_id or the explicit list).
    // A manager: the same for everyone in their team(s), themselves included.
    const reps = viewer.role === 'rep' ? viewer.userId : teamMemberIds(db, viewer.userId);
    ands.push(
      eb.or([
        typeof reps === 'string'
          ? eb('accounts.owner_id', '=', reps)
          : inSubquery(db, eb, 'accounts.owner_id', reps),
        inSubquery(db, eb, 'accounts.territory_id', territoriesOfReps(db, reps)),
        inSubquery(db, eb, 'accounts.id', listedInTerritoriesOfReps(db, reps)),
      ]),
    );
  }
  // Literals, not bound booleans: SQLite cannot bind true/false.
  return ands.length ? eb.and(ands) : sql<SqlBool>`1 = 1`;
}

/** True when the scope limits nothing. */
export function isUnrestricted(scope: AccountScope): boolean {
  return !scope.viewer && !scope.ownerIds && !scope.territoryIds;
}

/**
 * A subquery of the account ids a scope allows, for other tables: e.g.
 * `.where('planned_touches.account_id', 'in', accountIdsInScope(db, scopeFor(ctx)))`.
 */
export function accountIdsInScope(db: Executor, scope: AccountScope) {
  return db
    .selectFrom('accounts')
    .select('accounts.id')
    .where((eb) => accountScopeCondition(db, eb, scope));
}
