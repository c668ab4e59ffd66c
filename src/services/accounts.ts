import { todayIn } from '../domain/calendar/time-zone.ts';
import { normalizeCompanyName } from '../domain/dedupe/normalize-name.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { validateUscc } from '../domain/registration/uscc.ts';
import { accountKeyStrings } from '../import/prepare-rows.ts';
import { reasonInChinese, usccReasonInChinese } from '../import/reason-zh.ts';
import { type ParseResult, parseEmail, parsePhone, parseWebsite } from '../import/value-parsers.ts';
import {
  type TAccount,
  type TAccountCreate,
  type TAccountFacets,
  type TAccountListInput,
  type TAccountListQuery,
  type TAccountPage,
  type TAccountUpdate,
  ZAccountListQuery,
} from '../schemas/account.ts';
import { newId } from '../storage/ids.ts';
import { type ActivityFilter, hasActivityFilter } from '../storage/repositories/account-activity.ts';
import {
  type AccountIdentityRow,
  type AccountListContext,
  type AccountScope,
  accountFacets,
  accountFromRow,
  type Executor,
  findAccountRow,
  findAccountsSharingIdentity,
  insertAccountRow,
  iterateAccounts,
  listAccounts,
  lockAccountMerge,
  updateAccountRow,
} from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import type { AccountRow, NewAccountRow } from '../storage/tables.ts';
import { activityFilterContext } from './account-activity-context.ts';
import { checkOwnership } from './account-assignment.ts';
import type { ServiceContext } from './context.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/**
 * The accounts the actor may see and change: the single place every service (lists, single records, search,
 * exports, plans, agenda, analytics, import results) takes its account scope from. Admins and the local
 * system see everything; a manager sees accounts owned by anyone in the teams they manage or belong to, or
 * lying in those people's territories; a rep sees accounts they own or that lie in their territories
 * (accounts.territory_id, or the territory's explicit list); an anonymous caller sees nothing.
 * The scope is evaluated in SQL when the query runs, so it is never stale.
 */
export function scopeFor(ctx: ServiceContext): AccountScope {
  const { actor } = ctx;
  if (actor.role === 'system' || actor.role === 'admin') return {};
  if ((actor.role === 'manager' || actor.role === 'rep') && actor.userId) {
    return { viewer: { userId: actor.userId, role: actor.role } };
  }
  return { ownerIds: [] };
}

/**
 * The account when the actor may see it; otherwise 404 (never 403, so ids of other teams' accounts do not
 * leak). Pass the transaction when checking inside one.
 */
export async function assertCanSeeAccount(
  ctx: ServiceContext,
  accountId: string,
  db: Executor = ctx.db.kysely,
): Promise<AccountRow> {
  const row = await findAccountRow(db, accountId, scopeFor(ctx));
  if (!row) throw notFound('Account', accountId);
  return row;
}

/**
 * What a list query needs besides its filters: today in the workspace time zone when it filters on `overdue`
 * (due before today and still open, as in the goals and the agenda). Read only when needed.
 */
export async function listContext(
  ctx: ServiceContext,
  query: { overdue?: boolean | undefined } & Partial<ActivityFilter>,
  db: Executor = ctx.db.kysely,
): Promise<AccountListContext> {
  if (query.overdue === undefined && !hasActivityFilter(query)) return {};
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  // The dashboard's drill-down filters (coverage, touch and plan windows): see account-activity-context.ts.
  return { today, ...(await activityFilterContext(db, query, { timeZone: settings.timeZone, today })) };
}

export async function findAccounts(ctx: ServiceContext, input: TAccountListInput): Promise<TAccountPage> {
  const query = ZAccountListQuery.parse(input);
  const context = await listContext(ctx, query);
  const { items, total } = await listAccounts(ctx.db.kysely, query, scopeFor(ctx), context);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export async function* streamAccounts(
  ctx: ServiceContext,
  input: Omit<TAccountListInput, 'page' | 'pageSize'>,
): AsyncGenerator<TAccount[]> {
  const { page: _p, pageSize: _s, ...query } = ZAccountListQuery.parse(input);
  const context = await listContext(ctx, query);
  yield* iterateAccounts(
    ctx.db.kysely,
    query as Omit<TAccountListQuery, 'page' | 'pageSize'>,
    scopeFor(ctx),
    5000,
    context,
  );
}

export async function getAccount(ctx: ServiceContext, id: string): Promise<TAccount> {
  return accountFromRow(await assertCanSeeAccount(ctx, id));
}

export async function getAccountFacets(ctx: ServiceContext): Promise<TAccountFacets> {
  return accountFacets(ctx.db.kysely, scopeFor(ctx));
}

type AccountFields = Omit<TAccountUpdate, 'version' | 'allowSimilarName'>;

// Shared by create and update: checks what zod cannot (USCC check character) and derives stored columns.
/**
 * A contact field as the import reads it (import/value-parsers.ts): the normalised value (a phone as 0512-66881234,
 * an e-mail lower-cased, a website as its domain), null for an empty one; a value the import would refuse answers
 * 400 naming the field, with the parser's reason (in Chinese too).
 */
function contactField(
  field: 'website' | 'phone' | 'email',
  value: string | null,
  parse: (input: string) => ParseResult<string>,
): string | null {
  if (!value) return null;
  const parsed = parse(value);
  if (!parsed.ok) {
    const reason = { en: parsed.reason, 'zh-CN': reasonInChinese(parsed.reason) };
    throw new AppError('bad_request', msg(`accounts.${field}_invalid`, { reason }), { field, value });
  }
  return parsed.value;
}

/**
 * The columns of an account's fields, checked and normalised as the import does: a website, phone, e-mail or
 * unified social credit code it would refuse answers 400 `bad_request` naming the field and why (details: field,
 * value), as a value the schema refuses does. (In an import such a credit code rejects the row instead.)
 */
function toColumns(fields: AccountFields): Partial<NewAccountRow> {
  const row: Partial<NewAccountRow> = {};
  if (fields.name !== undefined) {
    row.name = fields.name;
    row.normalized_name = normalizeCompanyName(fields.name);
  }
  if (fields.uscc !== undefined) {
    if (fields.uscc) {
      const check = validateUscc(fields.uscc);
      if (!check.ok) {
        const reason = { en: check.reason, 'zh-CN': usccReasonInChinese(check.reason) };
        throw new AppError('bad_request', msg('accounts.uscc_invalid', { reason }), {
          field: 'uscc',
          value: fields.uscc,
        });
      }
      row.uscc = check.value;
    } else row.uscc = null;
  }
  if (fields.website !== undefined)
    row.website_domain = contactField('website', fields.website, parseWebsite);
  if (fields.phone !== undefined) row.phone = contactField('phone', fields.phone, parsePhone);
  if (fields.email !== undefined) row.email = contactField('email', fields.email, parseEmail);
  const plain = {
    registrationId: 'registration_id',
    province: 'province',
    city: 'city',
    district: 'district',
    address: 'address',
    industry: 'industry',
    annualSales: 'annual_sales',
    employeesMin: 'employees_min',
    employeesMax: 'employees_max',
    netAssets: 'net_assets',
    registeredCapital: 'registered_capital',
    stage: 'stage',
    ownerId: 'owner_id',
    territoryId: 'territory_id',
  } as const;
  for (const [key, column] of Object.entries(plain) as [
    keyof typeof plain,
    (typeof plain)[keyof typeof plain],
  ][]) {
    const value = fields[key];
    if (value !== undefined) (row as Record<string, unknown>)[column] = value === '' ? null : value;
  }
  if (fields.customFields !== undefined) row.custom_fields = JSON.stringify(fields.customFields);
  return row;
}

/** The import's de-duplication keys, strongest first: the same company by credit code, website domain, name + city. */
export type DuplicateKey = 'uscc' | 'domain' | 'name';
const DUPLICATE_KEYS = ['uscc', 'domain', 'name'] as const;

interface AccountIdentity {
  uscc: string | null;
  websiteDomain: string | null;
  normalizedName: string | null;
  city: string | null;
}

/**
 * The existing account (anywhere in the workspace, whoever may see it) that is the same company as `identity` by
 * the import's rules (services/import-pipeline.ts, matchExisting, over import/prepare-rows.ts's key strings): the
 * strongest of the `keys` two accounts share, where a shared domain or name does not count when both have credit
 * codes and they differ (two companies of one group may share a website). Null when none.
 */
async function findDuplicate(
  db: Executor,
  identity: AccountIdentity,
  exceptId: string | null,
  keys: readonly DuplicateKey[],
): Promise<{ row: AccountIdentityRow; key: DuplicateKey } | null> {
  const mine = accountKeyStrings(identity);
  const wanted = (k: number) => mine[k] !== null && keys.includes(DUPLICATE_KEYS[k] as DuplicateKey);
  const rows = await findAccountsSharingIdentity(
    db,
    {
      uscc: wanted(0) ? identity.uscc : null,
      websiteDomain: wanted(1) ? identity.websiteDomain : null,
      normalizedName: wanted(2) ? identity.normalizedName : null,
    },
    exceptId,
  );
  let best: { row: AccountIdentityRow; k: number } | null = null;
  for (const row of rows) {
    const theirs = accountKeyStrings({
      uscc: row.uscc,
      websiteDomain: row.website_domain,
      normalizedName: row.normalized_name,
      city: row.city,
    });
    for (let k = 0; k < 3 && (best === null || k < best.k); k++) {
      if (!wanted(k) || mine[k] !== theirs[k]) continue;
      if (k > 0 && mine[0] && theirs[0] && mine[0] !== theirs[0]) continue;
      best = { row, k };
      break;
    }
  }
  return best ? { row: best.row, key: DUPLICATE_KEYS[best.k] as DuplicateKey } : null;
}

const DUPLICATE_KEY_LABELS = {
  uscc: msg('accounts.duplicate_key_uscc'),
  domain: msg('accounts.duplicate_key_domain'),
  name: msg('accounts.duplicate_key_name'),
} as const;

/**
 * 409 `duplicate_account`: which key matched and, when the actor may see the existing account, its id and name (so
 * a client can offer to open it); otherwise only that one exists and whom to ask, nothing of its data.
 */
async function duplicateError(
  ctx: ServiceContext,
  db: Executor,
  match: { row: AccountIdentityRow; key: DuplicateKey },
  on: 'create' | 'update' = 'create',
): Promise<AppError> {
  const { row, key } = match;
  const visible = (await findAccountRow(db, row.id, scopeFor(ctx))) !== undefined;
  const similarName = key === 'name';
  const existing = { name: row.name, id: row.id };
  const label = { key: DUPLICATE_KEY_LABELS[key] };
  const message =
    on === 'create'
      ? visible
        ? similarName
          ? msg('accounts.duplicate_name', existing)
          : msg('accounts.duplicate', { ...label, ...existing })
        : similarName
          ? msg('accounts.duplicate_hidden_name')
          : msg('accounts.duplicate_hidden', label)
      : visible
        ? similarName
          ? msg('accounts.duplicate_name_on_update', existing)
          : msg('accounts.duplicate_on_update', { ...label, ...existing })
        : similarName
          ? msg('accounts.duplicate_hidden_name_on_update')
          : msg('accounts.duplicate_hidden_on_update', label);
  return new AppError('duplicate_account', message, {
    key,
    existing: visible ? { id: row.id, name: row.name } : null,
    allowSimilarName: similarName,
  });
}

/**
 * Adds one account. One that is the same company as an existing account (a matching credit code or website
 * domain; or the same normalised name in the same city, unless `allowSimilarName`) is refused with 409
 * `duplicate_account`, as an import would have merged it; a retried request is refused the same way.
 */
export async function createAccount(ctx: ServiceContext, input: TAccountCreate): Promise<TAccount> {
  const at = ctx.now().toISOString();
  const { allowSimilarName, ...fields } = input;
  const columns = toColumns(fields);
  const id = newId(ctx.now().getTime());
  const normalizedName = columns.normalized_name ?? normalizeCompanyName(input.name);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    // First, so that two creates of one company (or a create and an import) cannot both pass the check.
    await lockAccountMerge(trx, ctx.db.dialect);
    const duplicate = await findDuplicate(
      trx,
      {
        uscc: columns.uscc ?? null,
        websiteDomain: columns.website_domain ?? null,
        normalizedName,
        city: columns.city ?? null,
      },
      null,
      allowSimilarName ? ['uscc', 'domain'] : DUPLICATE_KEYS,
    );
    if (duplicate) throw await duplicateError(ctx, trx, duplicate);
    const ownership = await checkOwnership(ctx, trx, columns, null);
    await insertAccountRow(trx, {
      ...columns,
      ...ownership,
      id,
      name: input.name,
      normalized_name: normalizedName,
      created_at: at,
      updated_at: at,
    } as NewAccountRow);
    const row = await findAccountRow(trx, id);
    if (!row) throw new AppError('internal', msg('server.not_stored', { what: msg('entity.account_lower') }));
    const account = accountFromRow(row);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'account',
      entityId: id,
      action: 'create',
      after: account,
    });
    return account;
  });
}

/** The duplicate keys (as the import compares them) that `after` has and `before` did not: what a PATCH changes. */
function changedDuplicateKeys(
  before: AccountRow,
  after: AccountIdentity,
  allowSimilarName: boolean,
): DuplicateKey[] {
  const was = accountKeyStrings({
    uscc: before.uscc,
    websiteDomain: before.website_domain,
    normalizedName: before.normalized_name,
    city: before.city,
  });
  const now = accountKeyStrings(after);
  return DUPLICATE_KEYS.filter(
    (key, k) => now[k] !== null && now[k] !== was[k] && !(key === 'name' && allowSimilarName),
  );
}

/**
 * Changes an account. A change that makes it the same company as another account by the create's rules (a credit
 * code or website domain another account has; a normalised name + city another account has, unless
 * `allowSimilarName`) answers 409 `duplicate_account`. Only the keys the change alters are checked, so an account
 * that already matched another before stays editable in its other fields.
 */
export async function updateAccount(
  ctx: ServiceContext,
  id: string,
  input: TAccountUpdate,
): Promise<TAccount> {
  const { version, allowSimilarName, ...fields } = input;
  const at = ctx.now().toISOString();
  const columns = toColumns(fields);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await assertCanSeeAccount(ctx, id, trx);
    if (before.version !== version) {
      throw new AppError(
        'version_conflict',
        msg('accounts.version_conflict', { id, version, current: before.version }),
        { current: accountFromRow(before) },
      );
    }
    const identity: AccountIdentity = {
      uscc: columns.uscc !== undefined ? columns.uscc : before.uscc,
      websiteDomain: columns.website_domain !== undefined ? columns.website_domain : before.website_domain,
      normalizedName: columns.normalized_name ?? before.normalized_name,
      city: columns.city !== undefined ? columns.city : before.city,
    };
    const keys = changedDuplicateKeys(before, identity, allowSimilarName === true);
    if (keys.length > 0) {
      // Before the check, as on create: two changes (or a change and an import) cannot both pass it. Taken only
      // when a key changes, so everyday edits never wait for an import's merge.
      await lockAccountMerge(trx, ctx.db.dialect);
      const duplicate = await findDuplicate(trx, identity, id, keys);
      if (duplicate) throw await duplicateError(ctx, trx, duplicate, 'update');
    }
    const ownership = await checkOwnership(ctx, trx, columns, before);
    const ok = await updateAccountRow(trx, id, version, { ...columns, ...ownership, updated_at: at });
    const after = await findAccountRow(trx, id);
    if (!ok || !after) {
      throw new AppError('version_conflict', msg('accounts.changed_meanwhile', { id }), {
        current: after ? accountFromRow(after) : null,
      });
    }
    const account = accountFromRow(after);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'account',
      entityId: id,
      action: 'update',
      before: accountFromRow(before),
      after: account,
    });
    return account;
  });
}
