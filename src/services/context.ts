import type { TRole } from '../schemas/common.ts';
import type { Db } from '../storage/database.ts';

/** Who is acting. The CLI acts as the local system user; the server fills this from the session. */
export interface Actor {
  userId: string | null;
  role: TRole | 'system';
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system' };

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
