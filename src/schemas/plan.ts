import { z } from 'zod';
import { ZIsoDate } from './common.ts';

/** Working calendar of a rep: country schedule, time zone and own days off. */
export const ZCalendarSettings = z
  .object({
    country: z
      .enum(['CN', 'none'])
      .default('CN')
      .describe("'CN': China's official schedule with 调休; 'none': weekends only"),
    timeZone: z.string().min(1).default('Asia/Shanghai'),
    customDaysOff: z.array(ZIsoDate).max(1000).default([]),
  })
  .meta({ id: 'CalendarSettings' });
export type TCalendarSettings = z.infer<typeof ZCalendarSettings>;

/** Daily capacity of one rep. */
export const ZCapacity = z
  .object({
    callsPerDay: z.number().int().min(0).max(1000).default(40),
    visitsPerDay: z.number().int().min(0).max(100).default(4),
  })
  .meta({ id: 'Capacity' });
export type TCapacity = z.infer<typeof ZCapacity>;

/** Parameters of one plan generation. */
export const ZPlanSettings = z
  .object({
    from: ZIsoDate.describe('First day of the plan'),
    months: z.number().int().min(1).max(24).default(12),
    capacity: ZCapacity.default({ callsPerDay: 40, visitsPerDay: 4 }),
  })
  .meta({ id: 'PlanSettings' });
export type TPlanSettings = z.infer<typeof ZPlanSettings>;
