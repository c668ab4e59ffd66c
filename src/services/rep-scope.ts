import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';

/**
 * Whose plan, agenda, goals or calendar the actor may work with. A rep: only their own (asking for another
 * rep is 403). A manager: themselves or anyone in their team (anyone else answers 404, so ids do not leak).
 * Admins and the local system: anyone (a user that exists: else 404), or everyone when `repId` is omitted (null).
 */
export async function resolveRep(
  ctx: ServiceContext,
  repId: string | undefined,
  db: Executor = ctx.db.kysely,
): Promise<string | null> {
  requireSignedIn(ctx);
  const { actor } = ctx;
  if (actor.role === 'system' || actor.role === 'admin') {
    // Someone nobody is: refused, not answered as an agenda or plan with nothing in it.
    if (repId && !(await db.selectFrom('users').select('id').where('id', '=', repId).executeTakeFirst())) {
      throw notFound('User', repId);
    }
    return repId ?? null;
  }
  const self = actor.userId as string;
  if (!repId || repId === self) return self;
  if (actor.role === 'rep') {
    throw new AppError('forbidden', msg('access.own_plan_only'), { repId });
  }
  const member = await teamMemberIds(db, self).where('member.id', '=', repId).executeTakeFirst();
  if (!member) throw new AppError('not_found', msg('access.user_not_in_team', { id: repId }), { repId });
  return repId;
}
