import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type TWorkspaceSettings,
  type TWorkspaceSettingsPatch,
  type TWorkspaceSettingsVersioned,
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

/** The stored settings' version; 0 while they were never saved (the defaults apply). */
async function settingsVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom('settings').select('version').where('key', '=', KEY).executeTakeFirst();
  return row?.version ?? 0;
}

async function readVersioned(db: Executor): Promise<TWorkspaceSettingsVersioned> {
  const [settings, version] = await Promise.all([readWorkspaceSettings(db), settingsVersion(db)]);
  return { ...settings, version };
}

export async function getWorkspaceSettings(ctx: ServiceContext): Promise<TWorkspaceSettingsVersioned> {
  requireSignedIn(ctx);
  return readVersioned(ctx.db.kysely);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Changes the workspace settings; `version` must be the one read (a stale one, someone having saved the settings
 * since, answers 409 version_conflict with the settings as they are now and saves nothing).
 */
export async function updateWorkspaceSettings(
  ctx: ServiceContext,
  patch: TWorkspaceSettingsPatch,
): Promise<TWorkspaceSettingsVersioned> {
  const { version, ...change } = patch;
  return saveWorkspaceSettings(ctx, change, version);
}

/**
 * The same change on whatever the settings are at the time, for a step that decides its change itself (a capacity
 * option applied at plan commit): it reads nothing a person could have seen go stale.
 */
export async function applyWorkspaceSettings(
  ctx: ServiceContext,
  change: Omit<TWorkspaceSettingsPatch, 'version'>,
): Promise<TWorkspaceSettingsVersioned> {
  return saveWorkspaceSettings(ctx, change, undefined);
}

async function saveWorkspaceSettings(
  ctx: ServiceContext,
  patch: Omit<TWorkspaceSettingsPatch, 'version'>,
  version: number | undefined,
): Promise<TWorkspaceSettingsVersioned> {
  requireRole(ctx, ['admin', 'manager'], 'change workspace settings');
  if (patch.timeZone && !isValidTimeZone(patch.timeZone)) {
    throw new AppError('validation_failed', msg('settings.time_zone_invalid', { timeZone: patch.timeZone }), {
      field: 'timeZone',
    });
  }
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const stale = async (read: number) => {
      const current = await readVersioned(trx);
      return new AppError(
        'version_conflict',
        msg('settings.version_conflict', { version: read, current: current.version }),
        { current },
      );
    };
    const before = await readWorkspaceSettings(trx);
    const stored = await settingsVersion(trx);
    if (version !== undefined && version !== stored) throw await stale(version);
    const after = ZWorkspaceSettings.parse({
      ...before,
      ...patch,
      capacity: { ...before.capacity, ...patch.capacity },
    });
    const value = JSON.stringify(after);
    // Conditional on the version read, so that of two saves that read it (PostgreSQL lets both read before either
    // commits) the second changes nothing and is refused.
    const written =
      stored === 0
        ? (
            await trx
              .insertInto('settings')
              .values({ key: KEY, value, updated_at: at, version: 1 })
              .onConflict((oc) => oc.column('key').doNothing())
              .executeTakeFirst()
          ).numInsertedOrUpdatedRows
        : (
            await trx
              .updateTable('settings')
              .set({ value, updated_at: at, version: stored + 1 })
              .where('key', '=', KEY)
              .where('version', '=', stored)
              .executeTakeFirst()
          ).numUpdatedRows;
    if (Number(written ?? 0) !== 1) throw await stale(version ?? stored);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'settings',
      entityId: KEY,
      action: 'update',
      before,
      after,
    });
    return { ...after, version: stored + 1 };
  });
}
