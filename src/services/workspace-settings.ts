import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TWorkspaceSettings,
  type TWorkspaceSettingsPatch,
  ZWorkspaceSettings,
} from '../schemas/workspace.ts';
import { prepareQuery } from '../storage/prepared-query.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { requireRole, requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';

const KEY = 'workspace';

// Read on every agenda request: built and compiled once (storage/prepared-query.ts).
const storedSettings = prepareQuery(1, (db, [key]: [key: string]) =>
  db.selectFrom('settings').select('value').where('key', '=', key),
);
/** The last stored text parsed, and what it gave: the row is read every time, only the parsing is kept. */
let lastParsed: { text: string | undefined; settings: TWorkspaceSettings } | undefined;

export async function readWorkspaceSettings(db: Executor): Promise<TWorkspaceSettings> {
  const row = await storedSettings.executeTakeFirst(db, [KEY]);
  const text = row?.value;
  if (lastParsed && lastParsed.text === text) return structuredClone(lastParsed.settings);
  const parsed = ZWorkspaceSettings.safeParse(text !== undefined ? JSON.parse(text) : {});
  // A stored value from an older version that no longer validates falls back to defaults field by field.
  const settings = parsed.success ? parsed.data : ZWorkspaceSettings.parse({});
  lastParsed = { text, settings: structuredClone(settings) };
  return settings;
}

export async function getWorkspaceSettings(ctx: ServiceContext): Promise<TWorkspaceSettings> {
  requireSignedIn(ctx);
  return readWorkspaceSettings(ctx.db.kysely);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export async function updateWorkspaceSettings(
  ctx: ServiceContext,
  patch: TWorkspaceSettingsPatch,
): Promise<TWorkspaceSettings> {
  requireRole(ctx, ['admin', 'manager'], 'change workspace settings');
  if (patch.timeZone && !isValidTimeZone(patch.timeZone)) {
    throw new AppError('validation_failed', msg('settings.time_zone_invalid', { timeZone: patch.timeZone }), {
      field: 'timeZone',
    });
  }
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await readWorkspaceSettings(trx);
    const after = ZWorkspaceSettings.parse({
      ...before,
      ...patch,
      capacity: { ...before.capacity, ...patch.capacity },
    });
    const value = JSON.stringify(after);
    const exists = await trx.selectFrom('settings').select('key').where('key', '=', KEY).executeTakeFirst();
    if (exists)
      await trx.updateTable('settings').set({ value, updated_at: at }).where('key', '=', KEY).execute();
    else await trx.insertInto('settings').values({ key: KEY, value, updated_at: at }).execute();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'settings',
      entityId: KEY,
      action: 'update',
      before,
      after,
    });
    return after;
  });
}
