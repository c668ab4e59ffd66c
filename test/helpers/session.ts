import type { AppInstance } from '../../src/server/app.ts';
import { hashPassword } from '../../src/services/passwords.ts';
import type { Db } from '../../src/storage/database.ts';
import { newId } from '../../src/storage/ids.ts';
import { FIXED_NOW } from './databases.ts';

export const TEST_PASSWORD = 'correct horse battery';

export interface SeededUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'rep';
  teamId: string | null;
}

export interface People {
  admin: SeededUser;
  /** Manages team A. */
  manager: SeededUser;
  /** A rep in team A (owns accounts, has territory A: 广东省). */
  rep: SeededUser;
  /** A second rep in team A, with no territory. */
  mate: SeededUser;
  /** Manages team B. */
  otherManager: SeededUser;
  /** A rep in team B (territory B: 江苏省). */
  otherRep: SeededUser;
  teamA: string;
  teamB: string;
  territoryA: string;
  territoryB: string;
  password: string;
}

let seq = 0;

/**
 * Builds two teams: A (manager, rep, mate) and B (otherManager, otherRep), an admin, and a territory for each
 * team's rep (A: 广东省, B: 江苏省). Every user's password is TEST_PASSWORD. Emails are unique per call.
 */
export async function seedPeople(db: Db, options: { password?: string } = {}): Promise<People> {
  seq += 1;
  const password = options.password ?? TEST_PASSWORD;
  const at = FIXED_NOW.toISOString();
  const tag = `${seq}-${Math.random().toString(36).slice(2, 8)}`;
  const teamA = newId();
  const teamB = newId();
  await db.kysely
    .insertInto('teams')
    .values([
      { id: teamA, name: `Team A ${tag}`, manager_id: null, created_at: at, updated_at: at },
      { id: teamB, name: `Team B ${tag}`, manager_id: null, created_at: at, updated_at: at },
    ])
    .execute();
  const specs: [keyof People, SeededUser['role'], string | null][] = [
    ['admin', 'admin', null],
    ['manager', 'manager', teamA],
    ['rep', 'rep', teamA],
    ['mate', 'rep', teamA],
    ['otherManager', 'manager', teamB],
    ['otherRep', 'rep', teamB],
  ];
  const hashes = await Promise.all(specs.map(() => hashPassword(password)));
  const users: Record<string, SeededUser> = {};
  for (const [i, [key, role, teamId]] of specs.entries()) {
    const user: SeededUser = {
      id: newId(),
      email: `${key.toLowerCase()}-${tag}@test.local`,
      name: `${key} ${tag}`,
      role,
      teamId,
    };
    users[key] = user;
    await db.kysely
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        name: user.name,
        role,
        team_id: teamId,
        password_hash: hashes[i] ?? null,
        locale: 'en',
        calls_per_day: null,
        visits_per_day: null,
        disabled_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  const get = (k: string) => users[k] as SeededUser;
  await db.kysely
    .updateTable('teams')
    .set({ manager_id: get('manager').id })
    .where('id', '=', teamA)
    .execute();
  await db.kysely
    .updateTable('teams')
    .set({ manager_id: get('otherManager').id })
    .where('id', '=', teamB)
    .execute();
  const territoryA = newId();
  const territoryB = newId();
  await db.kysely
    .insertInto('territories')
    .values([
      {
        id: territoryA,
        name: `广东 ${tag}`,
        rep_id: get('rep').id,
        provinces: JSON.stringify(['广东省']),
        cities: '[]',
        districts: '[]',
        created_at: at,
        updated_at: at,
      },
      {
        id: territoryB,
        name: `江苏 ${tag}`,
        rep_id: get('otherRep').id,
        provinces: JSON.stringify(['江苏省']),
        cities: '[]',
        districts: '[]',
        created_at: at,
        updated_at: at,
      },
    ])
    .execute();
  return {
    admin: get('admin'),
    manager: get('manager'),
    rep: get('rep'),
    mate: get('mate'),
    otherManager: get('otherManager'),
    otherRep: get('otherRep'),
    teamA,
    teamB,
    territoryA,
    territoryB,
    password,
  };
}

export interface Session {
  /** `cookie` and `x-csrf-token` headers to pass to `app.inject`. */
  headers: { cookie: string; 'x-csrf-token': string };
  cookie: string;
  token: string;
  csrf: string;
  userId: string;
}

/** Signs in through the API, as the web app does, and returns the headers for later requests. */
export async function signIn(
  app: AppInstance,
  who: { email: string } | string,
  password = TEST_PASSWORD,
  extraHeaders: Record<string, string> = {},
): Promise<Session> {
  const email = typeof who === 'string' ? who : who.email;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password },
    headers: extraHeaders,
  });
  if (res.statusCode !== 200) {
    throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  }
  const cookie = res.cookies.find(
    (c) => c.name === 'tierline_session' || c.name === '__Host-tierline_session',
  );
  if (!cookie) throw new Error(`sign-in as ${email} set no session cookie`);
  const body = res.json() as { csrfToken: string; user: { id: string } };
  const header = `${cookie.name}=${cookie.value}`;
  return {
    headers: { cookie: header, 'x-csrf-token': body.csrfToken },
    cookie: header,
    token: cookie.value,
    csrf: body.csrfToken,
    userId: body.user.id,
  };
}
