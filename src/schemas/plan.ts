import { z } from 'zod';
import { ZIsoDate } from './common.ts';

/**
 * Official holiday schedules a workspace can plan on: 'CN', China's with 调休 make-up workdays (from the State
 * Council's yearly notice; a year not yet published is planned on weekends only), other countries' public
 * holidays computed from their rules (ISO 3166 codes), or 'none' for weekends only. The domain's holiday providers
 * implement each (src/domain/calendar/holiday-providers.ts).
 */
export const HOLIDAY_COUNTRIES = [
  'CN',
  'HK',
  'TW',
  'SG',
  'MY',
  'TH',
  'VN',
  'ID',
  'PH',
  'JP',
  'KR',
  'IN',
  'AE',
  'AU',
  'NZ',
  'US',
  'CA',
  'GB',
  'DE',
  'FR',
  'none',
] as const;
export const ZHolidayCountry = z
  .enum(HOLIDAY_COUNTRIES)
  .describe(
    "Official holiday schedule: 'CN' (China, with 调休 make-up workdays), another country's public holidays by its ISO code, or 'none' (weekends only)",
  );
export type THolidayCountry = z.infer<typeof ZHolidayCountry>;

/**
 * Why a day is or is not a working day on a rep's calendar (src/domain/calendar/working-calendar.ts, DayKind):
 * a working day, a weekend day, a public holiday, a weekend day worked to make up for a holiday (调休), or one of
 * the rep's own days off.
 */
export const ZDayKind = z.enum(['workday', 'weekend', 'holiday', 'make-up-workday', 'custom-day-off']);
export type TDayKind = z.infer<typeof ZDayKind>;

/** A rep's own calendar: days off (leave, training) and, when not the workspace's, their public holidays. */
export const ZRepDaysOff = z
  .object({
    repId: z.string(),
    dates: z.array(ZIsoDate),
    holidays: ZHolidayCountry.nullable().describe("The rep's public holidays; null: the workspace's"),
    version: z
      .number()
      .int()
      .describe(
        "The rep's version (User.version): send it back when replacing them; a stale one answers 409 version_conflict",
      ),
  })
  .meta({ id: 'RepDaysOff' });
export type TRepDaysOff = z.infer<typeof ZRepDaysOff>;

/** A rep's calendar as saved, with what the save did to the rep's plan. */
export const ZRepDaysOffSaved = ZRepDaysOff.extend({
  moved: z
    .number()
    .int()
    .describe(
      'The rep’s open planned touches due from today on a day that is no longer a working day for them (a day off added, another holiday schedule), moved to working days in the same save: each such series re-planned on its channel from the touch before, within its window and the rep’s daily capacity',
    ),
}).meta({ id: 'RepDaysOffSaved' });
export type TRepDaysOffSaved = z.infer<typeof ZRepDaysOffSaved>;

/** Working calendar of a rep: country schedule, time zone and own days off. */
export const ZCalendarSettings = z
  .object({
    country: ZHolidayCountry.default('CN'),
    timeZone: z.string().min(1).default('Asia/Shanghai'),
    customDaysOff: z.array(ZIsoDate).max(1000).default([]),
  })
  .meta({ id: 'CalendarSettings' });
export type TCalendarSettings = z.infer<typeof ZCalendarSettings>;

/**
 * The most calls (visits) a working day's capacity may hold: one limit for the workspace's default capacity, a
 * rep's own (users' callsPerDay, visitsPerDay) and a plan tried with other capacities, in the API, the CLI and the
 * web app alike.
 */
export const MAX_CALLS_PER_DAY = 1000;
export const MAX_VISITS_PER_DAY = 100;
export const ZCallsPerDay = z.number().int().min(0).max(MAX_CALLS_PER_DAY);
export const ZVisitsPerDay = z.number().int().min(0).max(MAX_VISITS_PER_DAY);

/** Daily capacity of one rep. */
export const ZCapacity = z
  .object({
    callsPerDay: ZCallsPerDay.default(40),
    visitsPerDay: ZVisitsPerDay.default(4),
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
