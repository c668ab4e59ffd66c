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

export const ZWorkspaceSettingsPatch = z
  .object({
    timeZone: z.string().min(1).optional(),
    country: ZHolidayCountry.optional(),
    capacity: ZCapacity.partial().optional(),
    horizonMonths: z.number().int().min(1).max(24).optional(),
    tiering: ZTieringSettings.optional(),
  })
  .meta({ id: 'WorkspaceSettingsPatch' });
export type TWorkspaceSettingsPatch = z.infer<typeof ZWorkspaceSettingsPatch>;
