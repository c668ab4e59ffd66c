import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { createApiToken } from '../../src/services/auth.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { createObjection } from '../../src/services/playbook.ts';
import { createTerritory } from '../../src/services/territories.ts';
import { createUser } from '../../src/services/users.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The authorization matrix: every API route the app registers, called as an admin, the manager of team A,
// the rep of team A who owns the target (ownRep), a rep of team B (otherRep) and an anonymous client, with
// the status each must get. Routes are enumerated from the app itself (its onRoute catalog), so a route added
// later without an entry here fails the first test below: add the route's row and decide who may call it.

type Who = 'admin' | 'manager' | 'ownRep' | 'otherRep' | 'anon';
const WHO: Who[] = ['admin', 'manager', 'ownRep', 'otherRep', 'anon'];
type Expect = Record<Who, number>;

interface Fixture {
  app: AppInstance;
  tdb: TestDatabase;
  people: People;
  /** An account owned by ownRep, in team A's territory (广东省). */
  accountA: string;
  /** An account owned by otherRep, in team B's territory (江苏省). */
  accountB: string;
  /** A fresh account owned by ownRep (for calls that change it). */
  newAccountOfRep(): Promise<{ id: string; version: number }>;
  /** A fresh rep in team A (for calls that change or disable a user). */
  newRepInTeamA(): Promise<string>;
  newTerritoryOfRep(): Promise<string>;
  newTokenOfRep(): Promise<string>;
  unique(): string;
}

interface Case {
  request(f: Fixture, who: Who): Promise<InjectOptions> | InjectOptions;
  expect: Expect;
  /** The call ends or replaces sessions: make it with a session of its own, then sign the role in again. */
  fresh?: boolean;
}

/**
 * The version an edit of a record sends (0 for workspace settings never saved): read afresh for every call, since
 * each allowed call changes the record.
 */
async function versionOf(f: Fixture, table: 'teams' | 'users' | 'settings', id: string): Promise<number> {
  const db = f.tdb.db.kysely;
  const row =
    table === 'settings'
      ? await db.selectFrom('settings').select('version').where('key', '=', id).executeTakeFirst()
      : await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  return row?.version ?? 0;
}

async function cadenceVersion(f: Fixture, tier: 'A' | 'B' | 'C', channel: 'call' | 'visit'): Promise<number> {
  const row = await f.tdb.db.kysely
    .selectFrom('cadence_rules')
    .select('version')
    .where('tier', '=', tier)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row?.version ?? 0;
}

async function accountVersion(f: Fixture, id: string): Promise<number> {
  const row = await f.tdb.db.kysely
    .selectFrom('accounts')
    .select('version')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.version;
}

async function marketVersion(f: Fixture): Promise<number | null> {
  const row = await f.tdb.db.kysely
    .selectFrom('market_definitions')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Public routes: every caller, signed in or not, gets `status`. */
const everyone = (status: number): Expect => ({
  admin: status,
  manager: status,
  ownRep: status,
  otherRep: status,
  anon: status,
});
/** Any signed-in user; anonymous 401. */
const signedIn = (status: number): Expect => ({ ...everyone(status), anon: 401 });
/** Admins and managers (over their team); reps 403. */
const managers = (status: number): Expect => ({
  admin: status,
  manager: status,
  ownRep: 403,
  otherRep: 403,
  anon: 401,
});
/** Admins only. */
const admins = (status: number): Expect => ({
  admin: status,
  manager: 403,
  ownRep: 403,
  otherRep: 403,
  anon: 401,
});
/** Team A's data: admin, its manager and its rep; another team's rep gets 404 (ids do not leak). */
const teamA = (status: number): Expect => ({
  admin: status,
  manager: status,
  ownRep: status,
  otherRep: 404,
  anon: 401,
});

const MATRIX: Record<string, Case> = {
  'GET /api/health': { request: () => ({ method: 'GET', url: '/api/health' }), expect: everyone(200) },

  // Sign-in and sessions
  'GET /api/auth/status': {
    request: () => ({ method: 'GET', url: '/api/auth/status' }),
    expect: everyone(200),
  },
  'POST /api/auth/setup': {
    request: (f) => ({
      method: 'POST',
      url: '/api/auth/setup',
      payload: {
        email: `setup-${f.unique()}@test.local`,
        name: 'Late admin',
        password: 'long enough password',
      },
    }),
    expect: everyone(409),
  },
  'POST /api/auth/sign-in': {
    request: (f) => ({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: f.people.mate.email, password: f.people.password },
    }),
    expect: everyone(200),
    fresh: true,
  },
  'POST /api/auth/sign-out': {
    request: () => ({ method: 'POST', url: '/api/auth/sign-out' }),
    expect: signedIn(204),
    fresh: true,
  },
  'POST /api/auth/sign-out-everywhere': {
    request: () => ({ method: 'POST', url: '/api/auth/sign-out-everywhere' }),
    expect: signedIn(200),
    fresh: true,
  },
  'POST /api/auth/password': {
    request: (f) => ({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: f.people.password, newPassword: f.people.password },
    }),
    expect: signedIn(204),
    fresh: true,
  },
  'GET /api/auth/tokens': {
    request: () => ({ method: 'GET', url: '/api/auth/tokens' }),
    expect: signedIn(200),
  },
  'POST /api/auth/tokens': {
    request: () => ({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'script', access: 'read' } }),
    expect: signedIn(201),
  },
  'DELETE /api/auth/tokens/:id': {
    request: async (f) => ({ method: 'DELETE', url: `/api/auth/tokens/${await f.newTokenOfRep()}` }),
    // The owner and admins; nobody else learns the token exists.
    expect: { admin: 204, manager: 404, ownRep: 204, otherRep: 404, anon: 401 },
  },

  // People
  'GET /api/users': { request: () => ({ method: 'GET', url: '/api/users' }), expect: signedIn(200) },
  'GET /api/users/:id': {
    request: (f) => ({ method: 'GET', url: `/api/users/${f.people.rep.id}` }),
    expect: teamA(200),
  },
  'POST /api/users': {
    request: (f) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        email: `new-${f.unique()}@test.local`,
        name: 'New rep',
        role: 'rep',
        teamId: f.people.teamA,
      },
    }),
    expect: managers(201),
  },
  'PATCH /api/users/:id': {
    request: async (f) => ({
      method: 'PATCH',
      url: `/api/users/${await f.newRepInTeamA()}`,
      payload: { name: 'Renamed rep', version: 1 },
    }),
    // A rep sees their team mates but may not change them; another team's rep does not see them at all.
    expect: { admin: 200, manager: 200, ownRep: 403, otherRep: 404, anon: 401 },
  },
  'POST /api/users/:id/disable': {
    request: async (f) => ({ method: 'POST', url: `/api/users/${await f.newRepInTeamA()}/disable` }),
    expect: managers(200),
  },
  'POST /api/users/:id/enable': {
    request: async (f) => ({ method: 'POST', url: `/api/users/${await f.newRepInTeamA()}/enable` }),
    expect: managers(200),
  },
  'GET /api/teams': { request: () => ({ method: 'GET', url: '/api/teams' }), expect: signedIn(200) },
  'POST /api/teams': {
    request: (f) => ({ method: 'POST', url: '/api/teams', payload: { name: `Team ${f.unique()}` } }),
    expect: admins(201),
  },
  'PATCH /api/teams/:id': {
    request: async (f) => ({
      method: 'PATCH',
      url: `/api/teams/${f.people.teamA}`,
      payload: { name: 'Team A', version: await versionOf(f, 'teams', f.people.teamA) },
    }),
    expect: admins(200),
  },
  'GET /api/territories': {
    request: () => ({ method: 'GET', url: '/api/territories' }),
    expect: signedIn(200),
  },
  'POST /api/territories': {
    request: (f) => ({
      method: 'POST',
      url: '/api/territories',
      payload: { name: `海南 ${f.unique()}`, repId: f.people.rep.id, provinces: ['海南省'] },
    }),
    expect: managers(201),
  },
  'PATCH /api/territories/:id': {
    request: async (f) => ({
      method: 'PATCH',
      url: `/api/territories/${await f.newTerritoryOfRep()}`,
      payload: { cities: ['三亚市'], version: 1 },
    }),
    expect: managers(200),
  },
  'DELETE /api/territories/:id': {
    // A territory just made is at version 1.
    request: async (f) => ({
      method: 'DELETE',
      url: `/api/territories/${await f.newTerritoryOfRep()}?version=1`,
    }),
    expect: managers(204),
  },
  'GET /api/audit': { request: () => ({ method: 'GET', url: '/api/audit' }), expect: managers(200) },

  // Accounts
  'GET /api/accounts': { request: () => ({ method: 'GET', url: '/api/accounts' }), expect: signedIn(200) },
  'GET /api/accounts/facets': {
    request: () => ({ method: 'GET', url: '/api/accounts/facets' }),
    expect: signedIn(200),
  },
  'GET /api/accounts/export': {
    request: () => ({ method: 'GET', url: '/api/accounts/export?format=csv' }),
    expect: signedIn(200),
  },
  'GET /api/accounts/:id': {
    request: (f) => ({ method: 'GET', url: `/api/accounts/${f.accountA}` }),
    expect: teamA(200),
  },
  'GET /api/accounts/:id/profile': {
    request: (f) => ({ method: 'GET', url: `/api/accounts/${f.accountA}/profile` }),
    expect: teamA(200),
  },
  'GET /api/accounts/:id/planned-touches': {
    request: (f) => ({ method: 'GET', url: `/api/accounts/${f.accountA}/planned-touches` }),
    expect: teamA(200),
  },
  'POST /api/accounts': {
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: makeAccountInput({ province: '广东省' }),
    }),
    expect: signedIn(201),
  },
  'PATCH /api/accounts/:id': {
    request: async (f) => {
      const account = await f.newAccountOfRep();
      return {
        method: 'PATCH',
        url: `/api/accounts/${account.id}`,
        payload: { version: account.version, phone: '020-12345678' },
      };
    },
    expect: teamA(200),
  },
  'POST /api/accounts/assign': {
    request: async (f) => ({
      method: 'POST',
      url: '/api/accounts/assign',
      payload: { accountIds: [(await f.newAccountOfRep()).id], toUserId: f.people.mate.id },
    }),
    expect: managers(200),
  },

  // Objection playbook (issue 5): one per workspace, read by everyone signed in, edited by managers.
  ...playbookMatrix(),

  // Prospect-list imports (issue 3): a job is seen by its creator, their manager and admins.
  ...importMatrix(),

  // Market, tiers, cadence, settings, plan, agenda, goals and calendar (issue 4).
  ...planMatrix(),
  ...healthMatrix(),

  // Saved views of the Accounts table (issue 7): each user's own.
  ...savedViewsMatrix(),

  // Bulk actions of the Accounts table (issue 7).
  ...accountBulkMatrix(),

  // The Team page (issue 7): the people overview and the hand-over preview.
  ...teamPageMatrix(),

  // The dashboard (issue 7).
  ...dashboardMatrix(),
};

/** Matrix rows of the dashboard (routes/dashboard.ts): a rep's figures for the rep, their manager and admins. */
function dashboardMatrix(): Record<string, Case> {
  return {
    'GET /api/dashboard': {
      request: (f) => ({ method: 'GET', url: `/api/dashboard?repId=${f.people.rep.id}` }),
      // Another team's rep asking for this rep: 403 (a rep sees only their own figures).
      expect: { admin: 200, manager: 200, ownRep: 200, otherRep: 403, anon: 401 },
    },
    // Each rep's day: everyone signed in, over what they may see (admins all, a manager the team, a rep
    // only themselves; test/services/team-day.test.ts checks the rows).
    'GET /api/team/day': {
      request: () => ({ method: 'GET', url: '/api/team/day?date=2026-11-27' }),
      expect: signedIn(200),
    },
  };
}

/** Matrix rows of the Team page's own routes (routes/people.ts: overview and hand-over preview). */
function teamPageMatrix(): Record<string, Case> {
  return {
    // Everyone signed in sees the people of their team (reps: names and roles, their own numbers only).
    'GET /api/people': { request: () => ({ method: 'GET', url: '/api/people' }), expect: signedIn(200) },
    'GET /api/users/:id/hand-over': {
      request: (f) => ({ method: 'GET', url: `/api/users/${f.people.rep.id}/hand-over` }),
      expect: managers(200),
    },
  };
}

/** Matrix rows of the saved views (routes/saved-views.ts): only the view's owner sees it, admins included. */
function savedViewsMatrix(): Record<string, Case> {
  const ownersOnly = (status: number): Expect => ({
    admin: 404,
    manager: 404,
    ownRep: status,
    otherRep: 404,
    anon: 401,
  });
  /** A fresh view saved by ownRep. */
  const viewOfRep = async (f: Fixture) => {
    const { createSavedView } = await import('../../src/services/saved-views.ts');
    const rep = makeContext(
      f.tdb.db,
      { userId: f.people.rep.id, role: 'rep', teamId: f.people.teamA },
      fixedClock,
    );
    return createSavedView(rep, { name: `Matrix ${f.unique()}`, query: { tier: ['A'] } });
  };
  return {
    'GET /api/saved-views': {
      request: () => ({ method: 'GET', url: '/api/saved-views' }),
      expect: signedIn(200),
    },
    'GET /api/saved-views/:id': {
      request: async (f) => ({ method: 'GET', url: `/api/saved-views/${(await viewOfRep(f)).id}` }),
      expect: ownersOnly(200),
    },
    'POST /api/saved-views': {
      request: (f) => ({
        method: 'POST',
        url: '/api/saved-views',
        payload: { name: `View ${f.unique()}`, query: { inMarket: true, sort: 'name', order: 'asc' } },
      }),
      expect: signedIn(201),
    },
    'PATCH /api/saved-views/:id': {
      request: async (f) => ({
        method: 'PATCH',
        url: `/api/saved-views/${(await viewOfRep(f)).id}`,
        payload: { version: 1, name: `Renamed ${f.unique()}` },
      }),
      expect: ownersOnly(200),
    },
    'DELETE /api/saved-views/:id': {
      request: async (f) => ({ method: 'DELETE', url: `/api/saved-views/${(await viewOfRep(f)).id}` }),
      expect: ownersOnly(204),
    },
  };
}

/** Matrix rows of the Accounts bulk actions (routes/account-bulk.ts), on accounts of ownRep picked by id. */
function accountBulkMatrix(): Record<string, Case> {
  return {
    'POST /api/accounts/bulk/assign': {
      request: async (f) => ({
        method: 'POST',
        url: '/api/accounts/bulk/assign',
        payload: { ids: [(await f.newAccountOfRep()).id], toUserId: f.people.mate.id },
      }),
      // A rep may not hand accounts over, not even their own.
      expect: managers(200),
    },
    'POST /api/accounts/bulk/tier-override': {
      request: (f) => ({
        method: 'POST',
        url: '/api/accounts/bulk/tier-override',
        payload: { ids: [f.accountA], tier: null, reason: 'matrix' },
      }),
      // Another team's rep does not see the account: 404, nothing changed.
      expect: teamA(200),
    },
    'POST /api/accounts/bulk/stage': {
      request: async (f) => ({
        method: 'POST',
        url: '/api/accounts/bulk/stage',
        payload: { ids: [(await f.newAccountOfRep()).id], stage: 'contacted' },
      }),
      expect: teamA(200),
    },
  };
}

/** Matrix rows of the playbook and practice routes (routes/playbook.ts, routes/practice.ts). */
function playbookMatrix(): Record<string, Case> {
  // A fresh objection (version 1) with responses `a` (preferred) and `b`, made by the system.
  const freshObjection = async (f: Fixture) =>
    (
      await createObjection(makeContext(f.tdb.db, SYSTEM_ACTOR, fixedClock), {
        code: `matrix-${f.unique()}`,
        zh: '矩阵测试',
        en: 'Matrix test',
        responses: [
          { code: 'a', en: 'First answer' },
          { code: 'b', en: 'Second answer' },
        ],
      })
    ).code;
  return {
    'GET /api/objections': {
      request: () => ({ method: 'GET', url: '/api/objections' }),
      expect: signedIn(200),
    },
    'GET /api/objections/search': {
      request: () => ({ method: 'GET', url: `/api/objections/search?q=${encodeURIComponent('预算')}` }),
      expect: signedIn(200),
    },
    'GET /api/objections/effectiveness': {
      request: () => ({ method: 'GET', url: '/api/objections/effectiveness?groupBy=user' }),
      expect: signedIn(200),
    },
    'GET /api/objections/:id': {
      request: () => ({ method: 'GET', url: '/api/objections/no-budget' }),
      expect: signedIn(200),
    },
    'POST /api/objections': {
      request: (f) => ({
        method: 'POST',
        url: '/api/objections',
        payload: { code: `new-${f.unique()}`, zh: '新的异议', en: 'A new objection' },
      }),
      expect: managers(201),
    },
    'PATCH /api/objections/:id': {
      request: async (f) => ({
        method: 'PATCH',
        url: `/api/objections/${await freshObjection(f)}`,
        payload: { version: 1, en: 'Edited' },
      }),
      expect: managers(200),
    },
    'POST /api/objections/:id/responses': {
      // Anyone signed in may add an alternative response.
      request: () => ({
        method: 'POST',
        url: '/api/objections/no-budget/responses',
        payload: { en: 'Another way' },
      }),
      expect: signedIn(201),
    },
    'PATCH /api/objections/:id/responses/:responseId': {
      // Managers, admins and the response's author (here: the system, so no rep).
      request: async (f) => ({
        method: 'PATCH',
        url: `/api/objections/${await freshObjection(f)}/responses/b`,
        payload: { version: 1, en: 'Reworded' },
      }),
      expect: managers(200),
    },
    'POST /api/objections/:id/preferred': {
      request: async (f) => ({
        method: 'POST',
        url: `/api/objections/${await freshObjection(f)}/preferred`,
        payload: { responseId: 'b', version: 1 },
      }),
      expect: managers(200),
    },

    // Skills, stages and practice: your own; managers see and assess their team's reps.
    'GET /api/skills': { request: () => ({ method: 'GET', url: '/api/skills' }), expect: signedIn(200) },
    'POST /api/skills': {
      request: (f) => ({
        method: 'POST',
        url: '/api/skills',
        payload: { code: `s-${f.unique()}`, en: 'A skill' },
      }),
      expect: managers(201),
    },
    'GET /api/skills/stages': {
      request: (f) => ({ method: 'GET', url: `/api/skills/stages?userId=${f.people.rep.id}` }),
      expect: teamA(200),
    },
    'GET /api/skills/history': {
      request: (f) => ({ method: 'GET', url: `/api/skills/history?userId=${f.people.rep.id}` }),
      expect: teamA(200),
    },
    'POST /api/skills/:skillId/self-assessment': {
      request: () => ({
        method: 'POST',
        url: '/api/skills/objection:no-budget/self-assessment',
        payload: { stage: 2 },
      }),
      expect: signedIn(200),
    },
    'POST /api/skills/:skillId/assessment': {
      request: (f) => ({
        method: 'POST',
        url: '/api/skills/objection:no-budget/assessment',
        payload: { userId: f.people.rep.id, stage: 2 },
      }),
      // The role decides first: reps never assess, so another team's rep learns nothing about the target.
      expect: managers(200),
    },
    'GET /api/practice/queue': {
      request: () => ({ method: 'GET', url: '/api/practice/queue' }),
      expect: signedIn(200),
    },
    'GET /api/practice/due': {
      request: () => ({ method: 'GET', url: '/api/practice/due' }),
      expect: signedIn(200),
    },
    'GET /api/practice/answer/:objectionId': {
      request: () => ({ method: 'GET', url: '/api/practice/answer/no-budget' }),
      expect: signedIn(200),
    },
    'POST /api/practice/reviews': {
      request: () => ({
        method: 'POST',
        url: '/api/practice/reviews',
        payload: { objectionId: 'no-budget', rating: 'good' },
      }),
      expect: signedIn(200),
    },
    'GET /api/practice/team': {
      request: () => ({ method: 'GET', url: '/api/practice/team' }),
      expect: managers(200),
    },
  };
}

const SECRET_PATTERNS = [/\$scrypt\$/, /password_?hash/i, /csrf_secret/i, /token_hash/i];

for (const dialect of DIALECTS) {
  describe(`authorization matrix on ${dialect.name}`, () => {
    const f = {} as Fixture;
    const sessions = {} as Record<Exclude<Who, 'anon'>, Session>;
    const userOf = (who: Exclude<Who, 'anon'>) =>
      ({
        admin: f.people.admin,
        manager: f.people.manager,
        ownRep: f.people.rep,
        otherRep: f.people.otherRep,
      })[who];
    let counter = 0;

    beforeAll(async () => {
      const tdb = await dialect.open();
      const app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      const people = await seedPeople(tdb.db);
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      const repCtx = makeContext(
        tdb.db,
        { userId: people.rep.id, role: 'rep', teamId: people.teamA },
        fixedClock,
      );
      const a = await createAccount(system, makeAccountInput({ province: '广东省', ownerId: people.rep.id }));
      const b = await createAccount(
        system,
        makeAccountInput({ province: '江苏省', ownerId: people.otherRep.id }),
      );
      Object.assign(f, {
        app,
        tdb,
        people,
        accountA: a.id,
        accountB: b.id,
        unique: () => {
          counter += 1;
          return `${Date.now().toString(36)}${counter}`;
        },
        async newAccountOfRep() {
          const account = await createAccount(
            system,
            makeAccountInput({ province: '广东省', ownerId: people.rep.id }),
          );
          return { id: account.id, version: account.version };
        },
        async newRepInTeamA() {
          const user = await createUser(system, {
            email: `rep-${f.unique()}@test.local`,
            name: 'Fixture rep',
            role: 'rep',
            teamId: people.teamA,
          });
          return user.id;
        },
        async newTerritoryOfRep() {
          const territory = await createTerritory(system, {
            name: `Fixture ${f.unique()}`,
            repId: people.rep.id,
            cities: ['海口市'],
          });
          return territory.id;
        },
        async newTokenOfRep() {
          return (await createApiToken(repCtx, { name: 'fixture', access: 'read' })).id;
        },
      } satisfies Fixture);
      for (const who of ['admin', 'manager', 'ownRep', 'otherRep'] as const) {
        sessions[who] = await signIn(app, userOf(who));
      }
    });
    afterAll(async () => {
      await f.app.close();
      await f.tdb.cleanup();
    });

    const apiRoutes = () =>
      f.app.routeCatalog.filter(
        (r) => r.method !== 'HEAD' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
      );

    it('has an entry for every API route the app registers', () => {
      const missing = apiRoutes()
        .map((r) => `${r.method} ${r.url}`)
        .filter((key) => !(key in MATRIX));
      expect(missing, 'routes without an authorization matrix entry').toEqual([]);
      const stale = Object.keys(MATRIX).filter(
        (key) => !apiRoutes().some((r) => `${r.method} ${r.url}` === key),
      );
      expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
    });

    it('answers 401 to an anonymous client on every route that is not public', async () => {
      for (const route of apiRoutes().filter((r) => r.access === 'user')) {
        const url = route.url.replace(/:[A-Za-z]+/g, 'x');
        const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const res = await f.app.inject({
          method: route.method as 'GET',
          url,
          ...(withBody ? { payload: {} } : {}),
        });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(res.json().error.code).toBe('unauthenticated');
      }
    });

    it('serves the API documentation to everyone', async () => {
      const docs = f.app.routeCatalog.filter((r) => r.url.startsWith('/api/docs'));
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.every((r) => r.access === 'public')).toBe(true);
      const res = await f.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
    });

    for (const [key, entry] of Object.entries(MATRIX)) {
      it(`${key}: ${WHO.map((w) => `${w} ${entry.expect[w]}`).join(', ')}`, async () => {
        for (const who of WHO) {
          const request = await entry.request(f, who);
          let session: Session | undefined;
          if (who !== 'anon') session = entry.fresh ? await signIn(f.app, userOf(who)) : sessions[who];
          const res: LightMyRequestResponse = await f.app.inject({
            ...request,
            headers: { ...(session?.headers ?? {}), ...(request.headers ?? {}) },
          });
          expect(res.statusCode, `${key} as ${who}: ${res.body.slice(0, 300)}`).toBe(entry.expect[who]);
          for (const pattern of SECRET_PATTERNS) {
            expect(res.body, `${key} as ${who} leaks ${pattern}`).not.toMatch(pattern);
          }
          if (res.statusCode >= 400) {
            expect(res.json().error, `${key} as ${who}: error shape`).toMatchObject({
              code: expect.any(String),
              message: expect.any(String),
            });
          }
          if (entry.fresh && who !== 'anon') sessions[who] = await signIn(f.app, userOf(who));
        }
      });
    }
  });
}

/** Matrix rows of the import routes (routes/imports.ts); the jobs are uploaded by ownRep. */
function importMatrix(): Record<string, Case> {
  const csv = Buffer.from('企业名称,所属城市\r\n矩阵测试有限公司,深圳市\r\n');
  const boundary = '----tierline-matrix';
  const multipart = {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      csv,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
  const uploadedByRep = async (f: Fixture): Promise<string> => {
    const { createUploadJob, newUploadTarget } = await import('../../src/services/import-prospects.ts');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const target = newUploadTarget(f.tdb.db, new Date());
    mkdirSync(dirname(target.path), { recursive: true });
    writeFileSync(target.path, csv);
    const ctx = makeContext(
      f.tdb.db,
      { userId: f.people.rep.id, role: 'rep', teamId: f.people.teamA },
      fixedClock,
    );
    const job = await createUploadJob(ctx, {
      id: target.id,
      fileName: 'm.csv',
      path: target.path,
      size: csv.length,
      sha256: 'x',
    });
    return job.id;
  };
  return {
    'POST /api/imports': {
      request: () => ({ method: 'POST', url: '/api/imports', ...multipart }),
      expect: signedIn(201),
    },
    'GET /api/imports': { request: () => ({ method: 'GET', url: '/api/imports' }), expect: signedIn(200) },
    'GET /api/imports/:id': {
      request: async (f) => ({ method: 'GET', url: `/api/imports/${await uploadedByRep(f)}` }),
      expect: teamA(200),
    },
    'DELETE /api/imports/:id': {
      request: async (f) => ({ method: 'DELETE', url: `/api/imports/${await uploadedByRep(f)}` }),
      expect: teamA(204),
    },
    'GET /api/imports/:id/preview': {
      request: async (f) => ({ method: 'GET', url: `/api/imports/${await uploadedByRep(f)}/preview` }),
      expect: teamA(200),
    },
    'POST /api/imports/:id/start': {
      request: async (f) => ({
        method: 'POST',
        url: `/api/imports/${await uploadedByRep(f)}/start`,
        payload: { source: { name: `matrix ${f.unique()}`, kind: 'free' } },
      }),
      expect: { ...teamA(202), anon: 401 },
    },
    'GET /api/imports/:id/rejects': {
      request: async (f) => ({ method: 'GET', url: `/api/imports/${await uploadedByRep(f)}/rejects` }),
      expect: teamA(200),
    },
    'GET /api/imports/:id/warnings': {
      request: async (f) => ({ method: 'GET', url: `/api/imports/${await uploadedByRep(f)}/warnings` }),
      expect: teamA(200),
    },
    'GET /api/sources': { request: () => ({ method: 'GET', url: '/api/sources' }), expect: signedIn(200) },
  };
}

/** Health endpoints for load balancers (routes/health.ts): public, no database for live. */
function healthMatrix(): Record<string, Case> {
  return {
    'GET /api/health/live': {
      request: () => ({ method: 'GET', url: '/api/health/live' }),
      expect: everyone(200),
    },
    'GET /api/health/ready': {
      request: () => ({ method: 'GET', url: '/api/health/ready' }),
      expect: everyone(200),
    },
  };
}

function planMatrix(): Record<string, Case> {
  /** A rep's own plan, agenda and goals: the rep, their manager and admins; another rep 403. */
  const repsOwn = (status: number): Expect => ({
    admin: status,
    manager: status,
    ownRep: status,
    otherRep: 403,
    anon: 401,
  });
  return {
    'GET /api/market': { request: () => ({ method: 'GET', url: '/api/market' }), expect: signedIn(200) },
    'POST /api/market/preview': {
      request: () => ({ method: 'POST', url: '/api/market/preview', payload: { minEmployees: 1 } }),
      expect: managers(200),
    },
    'POST /api/market': {
      request: async (f) => ({
        method: 'POST',
        url: '/api/market',
        payload: { criteria: { minEmployees: 0 }, widen: true, version: await marketVersion(f) },
      }),
      expect: managers(200),
    },
    'GET /api/tiers': { request: () => ({ method: 'GET', url: '/api/tiers' }), expect: signedIn(200) },
    'POST /api/tiers/retier': {
      request: () => ({ method: 'POST', url: '/api/tiers/retier' }),
      expect: managers(200),
    },
    'PUT /api/accounts/:id/tier-override': {
      request: async (f) => ({
        method: 'PUT',
        url: `/api/accounts/${f.accountA}/tier-override`,
        payload: { tier: null, reason: 'matrix', version: await accountVersion(f, f.accountA) },
      }),
      expect: teamA(200),
    },
    'GET /api/cadence': { request: () => ({ method: 'GET', url: '/api/cadence' }), expect: signedIn(200) },
    'PUT /api/cadence': {
      request: async (f) => ({
        method: 'PUT',
        url: '/api/cadence',
        payload: [
          { tier: 'A', channel: 'call', intervalMonths: 1, version: await cadenceVersion(f, 'A', 'call') },
        ],
      }),
      expect: managers(200),
    },
    'GET /api/settings': { request: () => ({ method: 'GET', url: '/api/settings' }), expect: signedIn(200) },
    'PATCH /api/settings': {
      request: async (f) => ({
        method: 'PATCH',
        url: '/api/settings',
        payload: { horizonMonths: 12, version: await versionOf(f, 'settings', 'workspace') },
      }),
      expect: managers(200),
    },
    'POST /api/plan/preview': {
      request: (f) => ({ method: 'POST', url: '/api/plan/preview', payload: { repId: f.people.rep.id } }),
      expect: repsOwn(200),
    },
    'POST /api/plan/commit': {
      request: (f) => ({
        method: 'POST',
        url: '/api/plan/commit',
        payload: { repId: f.people.rep.id, acceptOverload: true },
      }),
      expect: repsOwn(200),
    },
    // Several reps' plans at once: managers (reps of their team) and admins; test/server/team-plan-api.test.ts
    // checks a manager naming another team's rep (404).
    'POST /api/plan/team/preview': {
      request: (f) => ({
        method: 'POST',
        url: '/api/plan/team/preview',
        payload: { repIds: [f.people.rep.id] },
      }),
      expect: managers(200),
    },
    'POST /api/plan/team/commit': {
      request: (f) => ({
        method: 'POST',
        url: '/api/plan/team/commit',
        payload: { repIds: [f.people.rep.id], acceptOverloadFor: [f.people.rep.id] },
      }),
      expect: managers(200),
    },
    'GET /api/agenda': {
      request: (f) => ({ method: 'GET', url: `/api/agenda?repId=${f.people.rep.id}` }),
      expect: repsOwn(200),
    },
    'GET /api/goals': {
      request: (f) => ({ method: 'GET', url: `/api/goals?repId=${f.people.rep.id}` }),
      expect: repsOwn(200),
    },
    'GET /api/plan/export': {
      request: (f) => ({ method: 'GET', url: `/api/plan/export?format=csv&repId=${f.people.rep.id}` }),
      expect: repsOwn(200),
    },
    'GET /api/plan/committed': {
      request: (f) => ({
        method: 'GET',
        url: `/api/plan/committed?repId=${f.people.rep.id}&from=2026-11-23&to=2026-11-30&replanFrom=2026-11-27`,
      }),
      expect: repsOwn(200),
    },
    'GET /api/plan/health': {
      request: (f) => ({ method: 'GET', url: `/api/plan/health?repId=${f.people.rep.id}` }),
      expect: repsOwn(200),
    },
    // Each rep's plan health: managers (their team) and admins (every rep); a rep has GET /api/plan/health
    // (test/services/team-plan-health.test.ts checks the rows).
    'GET /api/plan/health/team': {
      request: () => ({ method: 'GET', url: '/api/plan/health/team' }),
      expect: managers(200),
    },
    'POST /api/accounts/:id/touches': {
      request: (f) => ({
        method: 'POST',
        url: `/api/accounts/${f.accountA}/touches`,
        payload: { channel: 'call', outcome: 'reached' },
      }),
      expect: teamA(201),
    },
    'GET /api/accounts/:id/touches': {
      request: (f) => ({ method: 'GET', url: `/api/accounts/${f.accountA}/touches` }),
      expect: teamA(200),
    },
    'GET /api/calendar/days-off': {
      request: (f) => ({ method: 'GET', url: `/api/calendar/days-off?repId=${f.people.rep.id}` }),
      expect: repsOwn(200),
    },
    'PUT /api/calendar/days-off': {
      request: async (f) => ({
        method: 'PUT',
        url: '/api/calendar/days-off',
        payload: {
          repId: f.people.rep.id,
          dates: ['2026-12-24'],
          version: await versionOf(f, 'users', f.people.rep.id),
        },
      }),
      expect: repsOwn(200),
    },
    'GET /api/calendar/days': {
      request: (f) => ({
        method: 'GET',
        url: `/api/calendar/days?from=2026-09-28&to=2026-10-09&repId=${f.people.rep.id}`,
      }),
      expect: repsOwn(200),
    },
    'GET /api/calendar-feeds': {
      request: () => ({ method: 'GET', url: '/api/calendar-feeds' }),
      expect: signedIn(200),
    },
    'POST /api/calendar-feeds': {
      request: () => ({ method: 'POST', url: '/api/calendar-feeds' }),
      expect: signedIn(201),
    },
    'DELETE /api/calendar-feeds/:id': {
      request: async (f) => {
        const { createCalendarFeed } = await import('../../src/services/calendar.ts');
        const ctx = makeContext(f.tdb.db, SYSTEM_ACTOR, fixedClock);
        const feed = await createCalendarFeed(ctx, f.people.rep.id);
        return { method: 'DELETE', url: `/api/calendar-feeds/${feed.id}` };
      },
      // Only the feed's owner; for anyone else it does not exist.
      expect: { admin: 404, manager: 404, ownRep: 200, otherRep: 404, anon: 401 },
    },
  };
}
