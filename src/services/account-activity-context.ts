import { intervalDays, toCadenceTable } from '../domain/cadence/cadence-rules.ts';
import { shiftDate } from '../domain/calendar/local-date.ts';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import type { TCadenceRule } from '../schemas/cadence.ts';
import {
  type ActivityFilter,
  type ActivityFilterContext,
  type CoverageWindow,
  hasActivityFilter,
} from '../storage/repositories/account-activity.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { readCadenceRules } from './plan.ts';
import { startOfLocalDay } from './playbook.ts';

/**
 * Coverage as of `today`: a touch counts from the day one cadence interval back (the same bound as
 * coverageByTier in domain/plan/goals.ts: today − that day ≤ interval months × 365/12 days) to the end of today.
 */
export function coverageWindow(
  today: string,
  timeZone: string,
  cadence: readonly TCadenceRule[],
): CoverageWindow {
  const table = toCadenceTable(cadence);
  const since = (months: number | null) =>
    months ? startOfLocalDay(shiftDate(today, -Math.floor(intervalDays(months))), timeZone) : null;
  return {
    since: {
      A: { call: since(table.A.call), visit: since(table.A.visit) },
      B: { call: since(table.B.call), visit: since(table.B.visit) },
      C: { call: since(table.C.call), visit: since(table.C.visit) },
    },
    until: startOfLocalDay(shiftDate(today, 1), timeZone),
  };
}

/** What the accounts list's activity filters need (nothing is read unless one is set). */
export async function activityFilterContext(
  db: Executor,
  query: Partial<ActivityFilter>,
  settings: { timeZone: string; today: string },
): Promise<ActivityFilterContext> {
  if (!hasActivityFilter(query)) return {};
  if (query.touchedFrom && query.touchedTo && query.touchedFrom > query.touchedTo) {
    throw new AppError('validation_failed', msg('accounts.touched_range'), {
      field: 'touchedFrom',
      touchedFrom: query.touchedFrom,
      touchedTo: query.touchedTo,
    });
  }
  if (query.plannedFrom && query.plannedTo && query.plannedFrom > query.plannedTo) {
    throw new AppError('validation_failed', msg('accounts.planned_range'), {
      field: 'plannedFrom',
      plannedFrom: query.plannedFrom,
      plannedTo: query.plannedTo,
    });
  }
  const context: ActivityFilterContext = {
    startOfDay: (date) => startOfLocalDay(date, settings.timeZone),
  };
  if (query.covered || query.uncovered) {
    context.coverage = coverageWindow(settings.today, settings.timeZone, await readCadenceRules(db));
  }
  return context;
}
