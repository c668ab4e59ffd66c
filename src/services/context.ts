import type { TRole } from '../schemas/common.ts';
import type { Db } from '../storage/database.ts';

/**
 * Who is acting. The CLI acts as the local system user (whoever holds the database file may do anything);
 * the server fills this from the session cookie or API token, and uses `anonymous` when there is neither.
 */
export interface Actor {
  userId: string | null;
  role: TRole | 'system' | 'anonymous';
  /** The user's own team (users.team_id); a manager may also manage other teams (teams.manager_id). */
  teamId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system', teamId: null };
export const ANONYMOUS_ACTOR: Actor = { userId: null, role: 'anonymous', teamId: null };

/** Everything a use case needs: the database, a clock (pinned in tests) and the actor. */
export interface ServiceContext {
  db: Db;
  now: () => Date;
  actor: Actor;
}

export function makeContext(
  db: Db,
  actor: Actor = SYSTEM_ACTOR,
  now: () => Date = () => new Date(),
): ServiceContext {
  return { db, now, actor };
}
