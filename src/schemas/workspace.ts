import { z } from 'zod';
import { ZCapacity, ZHolidayCountry } from './plan.ts';
import { ZTieringSettings } from './tiering.ts';

/** Workspace-wide settings: calendar, default capacity, plan horizon and tiering. */
export const ZWorkspaceSettings = z
  .object({
    timeZone: z.string().min(1).default('Asia/Shanghai'),
    country: ZHolidayCountry.default('CN'),
    capacity: ZCapacity.default({ callsPerDay: 40, visitsPerDay: 4 }),
    horizonMonths: z.number().int().min(1).max(24).default(12),
    tiering: ZTieringSettings.default(ZTieringSettings.parse({})),
  })
  .meta({ id: 'WorkspaceSettings' });
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;

/** The settings as the API answers them: with the version an edit sends back. */
export const ZWorkspaceSettingsVersioned = ZWorkspaceSettings.extend({
  version: z
    .number()
    .int()
    .min(0)
    .describe(
      'Goes up by one with every change of the workspace settings (0: never saved, the defaults apply); send it back with a change',
    ),
}).meta({ id: 'WorkspaceSettingsVersioned' });
export type TWorkspaceSettingsVersioned = z.infer<typeof ZWorkspaceSettingsVersioned>;

export const ZWorkspaceSettingsPatch = z
  .object({
    version: z
      .number()
      .int()
      .min(0)
      .describe(
        'The version you read (WorkspaceSettingsVersioned.version); a stale one answers 409 version_conflict with the settings as they are now',
      ),
    timeZone: z.string().min(1).optional(),
    country: ZHolidayCountry.optional(),
    capacity: ZCapacity.partial().optional(),
    horizonMonths: z.number().int().min(1).max(24).optional(),
    tiering: ZTieringSettings.optional(),
  })
  .meta({ id: 'WorkspaceSettingsPatch' });
export type TWorkspaceSettingsPatch = z.infer<typeof ZWorkspaceSettingsPatch>;
