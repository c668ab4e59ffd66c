import { type TAuditEntry, type TAuditPage, type TAuditQueryInput, ZAuditQuery } from '../schemas/audit.ts';
import { accountIdsInScope, teamMemberIds } from '../storage/repositories/account-scope.ts';
import { requireRole, viewerOf } from './access.ts';
import { scopeFor } from './accounts.ts';
import type { ServiceContext } from './context.ts';

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A date alone means the start of that day (UTC); `end` moves it to the start of the next day. */
function instant(value: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    if (end) day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString();
  }
  return new Date(value).toISOString();
}

/**
 * Who changed what and when, newest first, for managers and admins. A manager sees what the people of their
 * team(s) did, and every change to the users and accounts they may see.
 */
export async function listAudit(ctx: ServiceContext, input: TAuditQueryInput): Promise<TAuditPage> {
  requireRole(ctx, ['admin', 'manager'], 'read the audit log');
  const query = ZAuditQuery.parse(input);
  const db = ctx.db.kysely;
  const viewer = viewerOf(ctx);
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id');
  if (viewer) {
    const members = () => teamMemberIds(db, viewer.userId);
    q = q.where((eb) =>
      eb.or([
        eb('audit_log.user_id', 'in', members()),
        eb.and([eb('audit_log.entity', '=', 'user'), eb('audit_log.entity_id', 'in', members())]),
        eb.and([
          eb('audit_log.entity', '=', 'account'),
          eb('audit_log.entity_id', 'in', accountIdsInScope(db, scopeFor(ctx))),
        ]),
      ]),
    );
  }
  if (query.entity) q = q.where('audit_log.entity', '=', query.entity);
  if (query.entityId) q = q.where('audit_log.entity_id', '=', query.entityId);
  if (query.userId) q = q.where('audit_log.user_id', '=', query.userId);
  if (query.action) q = q.where('audit_log.action', '=', query.action);
  if (query.from) q = q.where('audit_log.at', '>=', instant(query.from, false));
  if (query.to) q = q.where('audit_log.at', '<', instant(query.to, true));
  const [rows, count] = await Promise.all([
    q
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.user_id',
        'users.name as user_name',
        'audit_log.entity',
        'audit_log.entity_id',
        'audit_log.action',
        'audit_log.before',
        'audit_log.after',
      ])
      .orderBy('audit_log.at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items: TAuditEntry[] = rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    userName: r.user_name ?? null,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    before: parseJson(r.before),
    after: parseJson(r.after),
  }));
  return { items, total: Number(count.n), page: query.page, pageSize: query.pageSize };
}
