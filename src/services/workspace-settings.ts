import { AppError } from '../domain/errors.ts';
import {
  type TWorkspaceSettings,
  type TWorkspaceSettingsPatch,
  ZWorkspaceSettings,
} from '../schemas/workspace.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { requireRole, requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';

const KEY = 'workspace';

export async function readWorkspaceSettings(db: Executor): Promise<TWorkspaceSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const parsed = ZWorkspaceSettings.safeParse(row ? JSON.parse(row.value) : {});
  // A stored value from an older version that no longer validates falls back to defaults field by field.
  return parsed.success ? parsed.data : ZWorkspaceSettings.parse({});
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
    throw new AppError(
      'validation_failed',
      `timeZone: "${patch.timeZone}" is not an IANA time zone such as Asia/Shanghai.`,
      {
        field: 'timeZone',
      },
    );
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
