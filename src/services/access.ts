import { AppError } from '../domain/errors.ts';
import { type Message, type MessageKey, type MessageParamValue, msg } from '../domain/messages.ts';
import type { TRole } from '../schemas/common.ts';
import type { Actor, ServiceContext } from './context.ts';

// Role checks shared by the services. The server resolves the actor from the session or API token; the CLI is
// the local system actor (whoever holds the database file can do anything) and passes every check.

export type Viewer = { userId: string; role: 'manager' | 'rep' };

const ROLE_NAMES: Record<TRole, Message> = {
  admin: msg('role.admin'),
  manager: msg('role.manager'),
  rep: msg('role.rep'),
};

/** What only some roles may do, as `requireRole` names it (the `action.*` messages of domain/messages.ts). */
export type RoleAction = MessageKey extends infer K ? (K extends `action.${infer A}` ? A : never) : never;

/** Admins and the local system see and may do everything. */
export function isUnrestrictedActor(actor: Actor): boolean {
  return actor.role === 'system' || actor.role === 'admin';
}

/** Throws 401 for an anonymous caller (or an actor without a user). */
export function requireSignedIn(ctx: ServiceContext): void {
  const { actor } = ctx;
  if (actor.role === 'system') return;
  if (actor.role === 'anonymous' || !actor.userId) {
    throw new AppError('unauthenticated', msg('auth.sign_in_first_token'));
  }
}

/** Throws 401 when nobody is signed in and 403 when the actor's role is not one of `roles`. */
export function requireRole(ctx: ServiceContext, roles: readonly TRole[], what: RoleAction): void {
  requireSignedIn(ctx);
  const role = ctx.actor.role;
  if (role === 'system' || (role !== 'anonymous' && roles.includes(role))) return;
  const names = roles.map((r) => ROLE_NAMES[r]);
  const who = names.slice(1).reduce<MessageParamValue>((a, b) => msg('role.or', { a, b }), names[0] ?? '');
  throw new AppError('forbidden', msg('access.only_roles', { who, what: msg(`action.${what}`) }), {
    requiredRoles: roles,
  });
}

/**
 * The manager or rep whose view limits what the actor sees, or null for admins and the system (everything).
 * An anonymous actor has no view at all: callers must have called `requireSignedIn`.
 */
export function viewerOf(ctx: ServiceContext): Viewer | null {
  const { actor } = ctx;
  if (isUnrestrictedActor(actor)) return null;
  if ((actor.role === 'manager' || actor.role === 'rep') && actor.userId) {
    return { userId: actor.userId, role: actor.role };
  }
  requireSignedIn(ctx);
  throw new AppError('forbidden', msg('access.nothing_visible'));
}
