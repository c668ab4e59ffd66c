import { addMonthsToDate } from '../../../../src/domain/calendar/local-date.ts';
import { isDayWithin } from '../dates/date-text.ts';

/**
 * The meeting a "meeting booked" log may carry: its day and, if known, its time, on the workspace's clock. The
 * server plans a visit then for the account in place of its next one (`meetingAt` of the log, services/touches.ts).
 * Optional: without a day the log books nothing.
 */
export interface MeetingValue {
  /** 'YYYY-MM-DD', '' for none, or a typed text that is no day (the date field names it). */
  date: string;
  /** 'HH:MM' (24-hour), or '' for none. */
  time: string;
}

export const NO_MEETING: MeetingValue = { date: '', time: '' };

/** The latest day a meeting may be booked for: a year after `today`, as the server allows. */
export function latestMeetingDay(today: string): string {
  return addMonthsToDate(today, 12);
}

/**
 * Whether a meeting can be sent: `meetingAt` to send (none when no day is given), or the field that is wrong and
 * why. A day that is no day or outside today … a year ahead is the date field's: it names it itself; a time without
 * a day, or earlier today than `nowTime` (the workspace's clock), is said here.
 */
export type MeetingCheck =
  | { meetingAt?: string }
  | { wrong: 'date' | 'time'; error: 'invalid' | 'needsDay' | 'past' };

const TIME = /^\d{2}:\d{2}$/;

export function checkMeeting(value: MeetingValue, today: string, nowTime: string): MeetingCheck {
  if (value.date === '') return value.time === '' ? {} : { wrong: 'date', error: 'needsDay' };
  if (!isDayWithin(value.date, { minDate: today, maxDate: latestMeetingDay(today) }))
    return { wrong: 'date', error: 'invalid' };
  if (value.time === '') return { meetingAt: value.date };
  if (!TIME.test(value.time)) return { wrong: 'time', error: 'invalid' };
  if (value.date === today && value.time < nowTime) return { wrong: 'time', error: 'past' };
  return { meetingAt: `${value.date}T${value.time}` };
}
