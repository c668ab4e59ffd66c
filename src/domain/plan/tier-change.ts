import { fromDayNumber, type LocalDate, shiftDate, toDayNumber } from '../calendar/local-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { replanFrame } from './build-plan.ts';

/** One channel of an account whose tier was changed by hand, as tierChangeStart needs it. */
export interface TierChangeChannel {
  /** Local date of the last logged touch on the channel; null when none. */
  lastLogged: LocalDate | null;
  /** The channel's current next open touch (the earliest, overdue or not); null when none. */
  next: LocalDate | null;
  /** Today in the workspace's time zone: nothing is planned before it. */
  today: LocalDate;
  /** Exclusive end of the rep's plan horizon. */
  until: LocalDate;
  /** The new tier's interval on the channel, in days. */
  interval: number;
  /** The new interval is shorter than the old one (or the old tier had none): the next touch must not move later. */
  promotion: boolean;
  calendar: WorkingCalendar;
}

/**
 * How the channel's new series starts: `keep` (the first touch stays on that day, the series continues from it one
 * new interval at a time), or a re-plan from `loggedOn` as from a last touch (replanAccount with `from` today),
 * its first touch no later than `firstBy` when given.
 */
export type TierChangeStart = { keep: LocalDate } | { loggedOn: LocalDate; firstBy?: LocalDate };

/**
 * Where the series of a channel whose cadence changed with a tier set or removed by hand starts, so that a
 * promotion never delays the next touch and a demotion of an account never touched keeps its date.
 *
 * - The anchor (the "last touch" the new series continues from): the last logged touch on the channel; without one,
 *   today or, when earlier, the current next open touch's date minus the new interval. The first target is then
 *   min(next, today + interval): never later than the touch already planned (its day).
 * - When the current next touch lies in the new series' first window (the anchor + interval, ±20%, from today on) on
 *   a working day, it stays there (no change a rep would have to notice; a demotion keeps the next date).
 * - Otherwise the new series is planned from the anchor (the planner picks the first day in that window, as a
 *   logged touch's re-plan does), except on a promotion whose window ends after the current next touch: there the
 *   first touch falls no later than that touch (with a logged touch whose window starts after it, on it; a touch
 *   already overdue, as early as possible from today).
 */
export function tierChangeStart(input: TierChangeChannel): TierChangeStart {
  const { next, today, until, interval, calendar } = input;
  // next − interval as a date: the whole days of the interval back, so the first target (that date + interval) falls
  // on next's day (within the day after it starts: never before it, so a next touch due today is not overdue).
  const before = next === null ? null : shiftDate(next, -Math.floor(interval));
  const anchor = input.lastLogged ?? (before !== null && before < today ? before : today);
  if (next === null || before === null) return { loggedOn: anchor };
  const frame = replanFrame(anchor, today, until, interval);
  if (!frame) return { loggedOn: anchor };
  const n = toDayNumber(next) - frame.firstDay;
  const keepable = n >= 0 && n < frame.days && calendar.isWorkingDay(next);
  const overdue = frame.start.overdue;
  if (!overdue && keepable && n >= frame.firstReachable && n <= frame.hi) return { keep: next };
  // A demotion, or a window that ends before the next touch: the series from the anchor.
  if (!input.promotion || (!overdue && n > frame.hi)) return { loggedOn: anchor };
  // A promotion whose window starts after the next touch (only with a logged touch): it stays.
  if (!overdue && keepable) return { keep: next };
  // The rest of the promotions: the first target no later than next (an overdue series stays overdue), and the first
  // touch on or before it when a working day from today allows; a next touch already overdue gives way to the first
  // working day from today with room.
  const loggedOn = fromDayNumber(Math.min(toDayNumber(before), toDayNumber(anchor)));
  if (next < today) return { loggedOn };
  const capped = replanFrame(loggedOn, today, until, interval, next);
  if (!capped) return { loggedOn };
  for (let d = capped.firstReachable; d <= capped.hi; d++) {
    if (calendar.isWorkingDayNumber(capped.firstDay + d)) return { loggedOn, firstBy: next };
  }
  return { loggedOn };
}
