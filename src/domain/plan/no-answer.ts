import type { LocalDate } from '../calendar/local-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';

/*
 * Method §4: volume counts, and a call nobody answered is effort, not a contact. It is a call made (the headline,
 * the goals) but it covers nothing (coverage, docs/figures.md), and the account's next call is a retry a couple of
 * working days on instead of the cadence's next call a whole interval later. A visit that met someone, any outcome
 * but no answer, also keeps the call cadence: it covers the calls already due (services/touches.ts).
 */

/** Whether a logged outcome is a contact (someone was reached): every outcome but `no_answer`. */
export function isContact(outcome: string): boolean {
  return outcome !== 'no_answer';
}

/** A call nobody answered is tried again this many working days later (on the rep's calendar). */
export const NO_ANSWER_RETRY_WORKING_DAYS = 2;

/**
 * Unanswered calls in a row (since the last contact) that make one round of tries: the first call and its retries.
 * After the last call of a round the next call is a whole interval later, as after a contact, so that an account
 * that never answers does not take a call slot every other day; the next round starts there. Coverage still counts
 * the account as not reached.
 */
export const NO_ANSWER_ROUND = 3;

/** Working days after the retry's day searched for one with room, before the least loaded of them is taken. */
const RETRY_SEARCH_WORKING_DAYS = 3;

/**
 * Whether the unanswered call that was logged last is followed by a retry: `unanswered` counts the calls without
 * an answer in a row since the last contact on the channel, that one included.
 */
export function retriesAfter(unanswered: number): boolean {
  return unanswered > 0 && unanswered % NO_ANSWER_ROUND !== 0;
}

/**
 * The day of the retry of a call nobody answered on `loggedOn`: the second working day after it (nothing before
 * today: a back-dated log's retry already due is due on the first working day from today), or the first working day
 * after that with room (`load` below `capacity`) within three more, else the least loaded of those (the earliest on
 * a tie), as the re-plan overbooks the least loaded day when none has room.
 */
export function retryDay(input: {
  loggedOn: LocalDate;
  today: LocalDate;
  calendar: WorkingCalendar;
  /** The rep's other open touches on the channel on a day. */
  load: (day: LocalDate) => number;
  capacity: number;
}): LocalDate {
  const { calendar } = input;
  let day = input.loggedOn;
  for (let k = 0; k < NO_ANSWER_RETRY_WORKING_DAYS; k++) day = calendar.nextWorkingDay(day);
  if (day < input.today) day = calendar.workingDayOnOrAfter(input.today);
  let best = day;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= RETRY_SEARCH_WORKING_DAYS; k++) {
    const load = input.load(day);
    if (load < input.capacity) return day;
    if (load < bestLoad) {
      best = day;
      bestLoad = load;
    }
    day = calendar.nextWorkingDay(day);
  }
  return best;
}
