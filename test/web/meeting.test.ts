import { describe, expect, it } from 'vitest';
import { checkMeeting, latestMeetingDay, NO_MEETING } from '../../web/src/features/touches/meeting.ts';

// Friday 2026-11-27, 10:00 on the workspace's clock.
const TODAY = '2026-11-27';
const NOW = '10:00';

/*
 * The log form's "meeting booked" fields (web/src/features/touches/MeetingFields.tsx): optional, and what they send
 * is the `meetingAt` the server takes (services/touches.ts): a day from today to a year ahead, with a time if given,
 * not earlier today than now.
 */
describe('the booked meeting the log form sends', () => {
  it('sends nothing without a day, the day alone, or the day and time', () => {
    expect(checkMeeting(NO_MEETING, TODAY, NOW)).toEqual({});
    expect(checkMeeting({ date: '2026-12-02', time: '' }, TODAY, NOW)).toEqual({ meetingAt: '2026-12-02' });
    expect(checkMeeting({ date: '2026-12-02', time: '09:30' }, TODAY, NOW)).toEqual({
      meetingAt: '2026-12-02T09:30',
    });
    expect(checkMeeting({ date: TODAY, time: '16:00' }, TODAY, NOW)).toEqual({ meetingAt: `${TODAY}T16:00` });
  });

  it('refuses a time without a day, a time already past today, and a day outside today … a year ahead', () => {
    expect(checkMeeting({ date: '', time: '10:00' }, TODAY, NOW)).toEqual({
      wrong: 'date',
      error: 'needsDay',
    });
    expect(checkMeeting({ date: TODAY, time: '09:55' }, TODAY, NOW)).toEqual({
      wrong: 'time',
      error: 'past',
    });
    expect(latestMeetingDay(TODAY)).toBe('2027-11-27');
    for (const date of ['2026-11-26', '2027-11-28', '2026-02-30', '2026-12-0']) {
      expect(checkMeeting({ date, time: '' }, TODAY, NOW)).toEqual({ wrong: 'date', error: 'invalid' });
    }
    expect(checkMeeting({ date: '2027-11-27', time: '' }, TODAY, NOW)).toEqual({ meetingAt: '2027-11-27' });
  });
});
