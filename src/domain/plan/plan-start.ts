import { addMonthsToDate, type LocalDate } from '../calendar/local-date.ts';

/** How far ahead a plan may start: its first day is at most this many years after today. */
export const PLAN_START_MAX_YEARS = 2;

/**
 * The first days a plan may have, `today` being today in the workspace's time zone: from today (a commit replaces
 * the open touches from its first day, so a plan from a past day would cancel the plan in force) to
 * PLAN_START_MAX_YEARS later. The service refuses others (services/plan.ts, checkPlanStart); the Plan page's date
 * field offers only these.
 */
export function planStartLimits(today: LocalDate): { min: LocalDate; max: LocalDate } {
  return { min: today, max: addMonthsToDate(today, 12 * PLAN_START_MAX_YEARS) };
}
