import type { Selectable, Updateable } from 'kysely';
import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { ZAccountListQuery } from '../schemas/account.ts';
import { issueInEachLocale } from '../schemas/issue-messages.ts';
import {
  type TAccountColumn,
  type TAccountQueryJson,
  type TSavedView,
  type TSavedViewCreate,
  type TSavedViewList,
  type TSavedViewUpdate,
  ZAccountColumn,
  ZAccountQueryJson,
  ZSavedViewCreate,
  ZSavedViewUpdate,
} from '../schemas/saved-view.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import type { SavedViewsTable } from '../storage/tables.ts';
import { requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';

// Saved views of the Accounts table: a person's named filters, sort and columns, kept on the server so they
// follow the person from browser to browser. Each view belongs to one user and only that user sees it (an
// admin too sees only their own: a view is a personal shortcut, not shared data); another user's view answers
// 404. What a view lists is still limited by the account scope of whoever opens it.

type Row = Selectable<SavedViewsTable>;

function ownerOf(ctx: ServiceContext): string {
  requireSignedIn(ctx);
  const userId = ctx.actor.userId;
  if (!userId) {
    throw new AppError('bad_request', msg('views.need_user'));
  }
  return userId;
}

/**
 * The query as the list would run it: checked by the list's own schema, so a view can never hold a query the
 * list refuses. Returns the JSON form to store (without the page: a view always opens on page 1).
 */
export function checkedQuery(query: TAccountQueryJson, where = 'query'): TAccountQueryJson {
  const known = ZAccountListQuery.shape;
  const unknown = Object.keys(query).filter((key) => key === 'page' || !Object.hasOwn(known, key));
  if (unknown.length) {
    throw new AppError(
      'validation_failed',
      msg('views.unknown_filter', {
        field: `${where}.${unknown[0]}`,
        known: Object.keys(known)
          .filter((k) => k !== 'page')
          .join(', '),
      }),
      { field: `${where}.${unknown[0]}` },
    );
  }
  const parsed = ZAccountListQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_failed',
      issue
        ? msg('views.invalid_query', {
            path: [where, ...issue.path].join('.'),
            reason: issueInEachLocale(issue),
          })
        : msg('views.invalid_query_plain'),
      {
        issues: parsed.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message })),
      },
    );
  }
  return query;
}

function fromRow(row: Row): TSavedView {
  // Stored JSON is read back through the schemas: a value an older version stored that no longer validates
  // (a sort that was removed, say) is dropped field by field rather than breaking the list of views.
  const query = ZAccountQueryJson.safeParse(JSON.parse(row.query));
  let stored: TAccountQueryJson = {};
  if (query.success) stored = query.data;
  else {
    const raw = JSON.parse(row.query) as Record<string, unknown>;
    for (const [key, value] of Object.entries(raw)) {
      const one = ZAccountQueryJson.safeParse({ [key]: value });
      if (one.success) Object.assign(stored, one.data);
    }
  }
  let columns: TAccountColumn[] | null = null;
  if (row.columns) {
    const list = JSON.parse(row.columns) as unknown;
    if (Array.isArray(list))
      columns = list.filter((c): c is TAccountColumn => ZAccountColumn.safeParse(c).success);
  }
  return {
    id: row.id,
    name: row.name,
    query: stored,
    columns,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function findOwnRow(db: Executor, userId: string, id: string): Promise<Row> {
  const row = await db
    .selectFrom('saved_views')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('Saved view', id);
  return row;
}

async function assertNameFree(db: Executor, userId: string, name: string, exceptId?: string) {
  let q = db.selectFrom('saved_views').select('id').where('user_id', '=', userId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) {
    throw new AppError('conflict', msg('views.name_taken', { name }), {
      field: 'name',
    });
  }
}

/** The caller's saved views, by name. */
export async function listSavedViews(ctx: ServiceContext): Promise<TSavedViewList> {
  const userId = ownerOf(ctx);
  const rows = await ctx.db.kysely
    .selectFrom('saved_views')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return { items: rows.map(fromRow) };
}

export async function getSavedView(ctx: ServiceContext, id: string): Promise<TSavedView> {
  const userId = ownerOf(ctx);
  return fromRow(await findOwnRow(ctx.db.kysely, userId, id));
}

export async function createSavedView(ctx: ServiceContext, input: TSavedViewCreate): Promise<TSavedView> {
  const userId = ownerOf(ctx);
  const { name, query, columns } = ZSavedViewCreate.parse(input);
  const stored = checkedQuery(query);
  const at = ctx.now().toISOString();
  const id = newId(ctx.now().getTime());
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await assertNameFree(trx, userId, name);
    await trx
      .insertInto('saved_views')
      .values({
        id,
        user_id: userId,
        name,
        query: JSON.stringify(stored),
        columns: columns ? JSON.stringify(columns) : null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const view = fromRow(await findOwnRow(trx, userId, id));
    await recordAudit(trx, { at, userId, entity: 'saved_view', entityId: id, action: 'create', after: view });
    return view;
  });
}

/** Renames a view or replaces its query or columns; `version` must be the one read (else 409 with the current). */
export async function updateSavedView(
  ctx: ServiceContext,
  id: string,
  input: TSavedViewUpdate,
): Promise<TSavedView> {
  const userId = ownerOf(ctx);
  const { version, name, query, columns } = ZSavedViewUpdate.parse(input);
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findOwnRow(trx, userId, id);
    if (before.version !== version) {
      throw new AppError(
        'version_conflict',
        msg('views.version_conflict', { name: before.name, version, current: before.version }),
        { current: fromRow(before) },
      );
    }
    if (name !== undefined && name !== before.name) await assertNameFree(trx, userId, name, id);
    const changes: Updateable<SavedViewsTable> = { updated_at: at, version: version + 1 };
    if (name !== undefined) changes.name = name;
    if (query !== undefined) changes.query = JSON.stringify(checkedQuery(query));
    if (columns !== undefined) changes.columns = columns ? JSON.stringify(columns) : null;
    const result = await trx
      .updateTable('saved_views')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new AppError('version_conflict', msg('views.changed_elsewhere', { name: before.name }), {
        current: fromRow(await findOwnRow(trx, userId, id)),
      });
    }
    const view = fromRow(await findOwnRow(trx, userId, id));
    await recordAudit(trx, {
      at,
      userId,
      entity: 'saved_view',
      entityId: id,
      action: 'update',
      before: fromRow(before),
      after: view,
    });
    return view;
  });
}

export async function deleteSavedView(ctx: ServiceContext, id: string): Promise<void> {
  const userId = ownerOf(ctx);
  const at = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findOwnRow(trx, userId, id);
    await trx.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', userId).execute();
    await recordAudit(trx, {
      at,
      userId,
      entity: 'saved_view',
      entityId: id,
      action: 'delete',
      before: fromRow(before),
    });
  });
}
