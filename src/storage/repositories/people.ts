import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { isSamePlace } from '../../domain/market/normalize-place.ts';
import type { TTeam, TTerritory, TUser } from '../../schemas/people.ts';
import type { Database, TeamRow, TerritoryRow, UserRow } from '../tables.ts';
import { teamMemberIds } from './account-scope.ts';
import type { Executor } from './accounts.ts';

export function userFromRow(row: UserRow): TUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    teamId: row.team_id,
    locale: row.locale,
    callsPerDay: row.calls_per_day,
    visitsPerDay: row.visits_per_day,
    hasPassword: row.password_hash !== null,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function findUserRow(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserRowByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function anyUserExists(db: Executor): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Who a user may see in people lists: admin everyone; a manager their team(s); a rep their own team. */
export type PeopleViewer = { userId: string; role: 'manager' | 'rep' } | null;

export async function listUserRows(db: Executor, viewer: PeopleViewer): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll();
  if (viewer) q = q.where((eb) => userVisibleCondition(db, eb, viewer));
  return q.orderBy('name').orderBy('id').execute();
}

export async function findVisibleUserRow(
  db: Executor,
  id: string,
  viewer: PeopleViewer,
): Promise<UserRow | undefined> {
  let q = db.selectFrom('users').selectAll().where('users.id', '=', id);
  if (viewer) q = q.where((eb) => userVisibleCondition(db, eb, viewer));
  return q.executeTakeFirst();
}

function userVisibleCondition(
  db: Executor,
  eb: ExpressionBuilder<Database, 'users'>,
  viewer: NonNullable<PeopleViewer>,
): Expression<SqlBool> {
  if (viewer.role === 'manager') return eb('users.id', 'in', teamMemberIds(db, viewer.userId));
  return eb.or([
    eb('users.id', '=', viewer.userId),
    eb(
      'users.team_id',
      'in',
      db.selectFrom('users as self').select('self.team_id').where('self.id', '=', viewer.userId),
    ),
    eb(
      'users.id',
      'in',
      db
        .selectFrom('teams as own')
        .select('own.manager_id')
        .where(
          'own.id',
          'in',
          db.selectFrom('users as self2').select('self2.team_id').where('self2.id', '=', viewer.userId),
        ),
    ),
  ]);
}

/** True when `userId` is in a team `managerId` manages or belongs to (or is the manager). */
export async function isTeamMember(db: Executor, managerId: string, userId: string): Promise<boolean> {
  const row = await teamMemberIds(db, managerId).where('member.id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function countEnabledAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Teams

export function teamFromRow(row: TeamRow & { member_count: number | string }): TTeam {
  return {
    id: row.id,
    name: row.name,
    managerId: row.manager_id,
    memberCount: Number(row.member_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function teamsWithCounts(db: Executor) {
  return db
    .selectFrom('teams')
    .selectAll('teams')
    .select((eb) =>
      eb
        .selectFrom('users')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('users.team_id', '=', 'teams.id')
        .as('member_count'),
    );
}

/** Teams a user may see: admin all; others the teams they manage or belong to. */
export async function listTeams(db: Executor, viewerId: string | null): Promise<TTeam[]> {
  let q = teamsWithCounts(db);
  if (viewerId) q = q.where('teams.id', 'in', teamIdsSubquery(db, viewerId));
  const rows = await q.orderBy('teams.name').orderBy('teams.id').execute();
  return rows.map((r) => teamFromRow({ ...r, member_count: r.member_count ?? 0 }));
}

export async function findTeam(db: Executor, id: string): Promise<TTeam | undefined> {
  const row = await teamsWithCounts(db).where('teams.id', '=', id).executeTakeFirst();
  return row ? teamFromRow({ ...row, member_count: row.member_count ?? 0 }) : undefined;
}

function teamIdsSubquery(db: Executor, userId: string) {
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

/** Ids of the teams a user manages or belongs to. */
export async function teamIdsFor(db: Executor, userId: string): Promise<string[]> {
  const rows = await teamIdsSubquery(db, userId).execute();
  return rows.map((r) => r.id);
}

// Territories

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

export function territoryFromRow(row: TerritoryRow, accountIds: string[], accountCount: number): TTerritory {
  return {
    id: row.id,
    name: row.name,
    repId: row.rep_id,
    provinces: parseList(row.provinces),
    cities: parseList(row.cities),
    districts: parseList(row.districts),
    accountIds,
    accountCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function findTerritoryRow(db: Executor, id: string): Promise<TerritoryRow | undefined> {
  return db.selectFrom('territories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Territories whose rep is in `repIds` (all when null). */
export async function listTerritoryRows(
  db: Executor,
  viewer: { userId: string; role: 'manager' | 'rep' } | null,
): Promise<TerritoryRow[]> {
  let q = db.selectFrom('territories').selectAll();
  if (viewer?.role === 'rep') q = q.where('rep_id', '=', viewer.userId);
  else if (viewer) q = q.where('rep_id', 'in', teamMemberIds(db, viewer.userId));
  return q.orderBy('name').orderBy('id').execute();
}

export async function territoryDetails(
  db: Executor,
  ids: string[],
): Promise<Map<string, { accountIds: string[]; accountCount: number }>> {
  const out = new Map<string, { accountIds: string[]; accountCount: number }>();
  for (const id of ids) out.set(id, { accountIds: [], accountCount: 0 });
  if (ids.length === 0) return out;
  const [listed, counts] = await Promise.all([
    db
      .selectFrom('territory_accounts')
      .select(['territory_id', 'account_id'])
      .where('territory_id', 'in', ids)
      .orderBy('account_id')
      .execute(),
    db
      .selectFrom('accounts')
      .select(['territory_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('territory_id', 'in', ids)
      .groupBy('territory_id')
      .execute(),
  ]);
  for (const row of listed) out.get(row.territory_id)?.accountIds.push(row.account_id);
  for (const row of counts) {
    const entry = row.territory_id ? out.get(row.territory_id) : undefined;
    if (entry) entry.accountCount = Number(row.n);
  }
  return out;
}

export interface Place {
  province?: string | null;
  city?: string | null;
  district?: string | null;
}

export interface TerritoryRule {
  provinces: string[];
  cities: string[];
  districts: string[];
}

/**
 * How specifically a territory's rule covers a place: 3 by district, 2 by city, 1 by province, 0 not at all. Places
 * compare as the target market compares them (normalize-place.ts: 江苏 = 江苏省 = Jiangsu), so an account the market
 * finds in 江苏省 lies in a territory of 江苏省 however the list spelled it.
 */
export function placeMatch(rule: TerritoryRule, place: Place): number {
  const same = (wanted: string, value: string | null | undefined) => !!value && isSamePlace(wanted, value);
  for (const entry of rule.districts) {
    const [city, district] = entry.includes('/') ? entry.split('/', 2) : [null, entry];
    if (same(district ?? '', place.district) && (!city || same(city, place.city))) return 3;
  }
  if (rule.cities.some((city) => same(city, place.city))) return 2;
  if (rule.provinces.some((province) => same(province, place.province))) return 1;
  return 0;
}

/** The territory a new account lies in: the most specific match (district, then city, then province), oldest first. */
export async function territoryForPlace(db: Executor, place: Place): Promise<string | null> {
  if (!place.province && !place.city && !place.district) return null;
  const rows = await db
    .selectFrom('territories')
    .select(['id', 'provinces', 'cities', 'districts'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  let best: { id: string; score: number } | null = null;
  for (const row of rows) {
    const score = placeMatch(
      {
        provinces: parseList(row.provinces),
        cities: parseList(row.cities),
        districts: parseList(row.districts),
      },
      place,
    );
    if (score > (best?.score ?? 0)) best = { id: row.id, score };
  }
  return best?.id ?? null;
}

/**
 * SQL condition: the account lies in the rule's provinces, cities or districts, written exactly as `rule` has them;
 * give it `placeSpellings`' rule to match every spelling of those places.
 */
export function placeCondition(
  eb: ExpressionBuilder<Database, 'accounts'>,
  rule: TerritoryRule,
): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  if (rule.provinces.length) ors.push(eb('province', 'in', rule.provinces));
  if (rule.cities.length) ors.push(eb('city', 'in', rule.cities));
  const bare = rule.districts.filter((d) => !d.includes('/'));
  if (bare.length) ors.push(eb('district', 'in', bare));
  for (const entry of rule.districts.filter((d) => d.includes('/'))) {
    const [city, district] = entry.split('/', 2);
    ors.push(eb.and([eb('city', '=', city ?? ''), eb('district', '=', district ?? '')]));
  }
  return ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`;
}

/**
 * The rule with every spelling of its places that accounts hold (江苏, 江苏省, Jiangsu for 江苏省: placeMatch's
 * comparison), for placeCondition: read from the distinct places of the accounts, which are few.
 */
export async function placeSpellings(db: Executor, rule: TerritoryRule): Promise<TerritoryRule> {
  const distinct = async (column: 'province' | 'city' | 'district') =>
    (await db.selectFrom('accounts').select(column).distinct().where(column, 'is not', null).execute())
      .map((row) => row[column])
      .filter((value): value is string => !!value);
  const spelled = (wanted: readonly string[], stored: readonly string[]) => [
    ...new Set([...wanted, ...stored.filter((value) => wanted.some((w) => isSamePlace(w, value)))]),
  ];
  const bare = rule.districts.filter((d) => !d.includes('/'));
  const inCity = rule.districts.filter((d) => d.includes('/'));
  const districts = bare.length ? spelled(bare, await distinct('district')) : [];
  if (inCity.length) {
    const pairs = await db
      .selectFrom('accounts')
      .select(['city', 'district'])
      .distinct()
      .where('city', 'is not', null)
      .where('district', 'is not', null)
      .execute();
    const entries = new Set(inCity);
    for (const entry of inCity) {
      const [city = '', district = ''] = entry.split('/', 2);
      for (const pair of pairs) {
        if (
          pair.city &&
          pair.district &&
          isSamePlace(city, pair.city) &&
          isSamePlace(district, pair.district)
        )
          entries.add(`${pair.city}/${pair.district}`);
      }
    }
    districts.push(...entries);
  }
  return {
    provinces: rule.provinces.length ? spelled(rule.provinces, await distinct('province')) : [],
    cities: rule.cities.length ? spelled(rule.cities, await distinct('city')) : [],
    districts,
  };
}
