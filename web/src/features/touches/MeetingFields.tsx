import { Box, SimpleGrid, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField, TimeField } from '../dates/LazyDateFields.tsx';
import { checkMeeting, latestMeetingDay, type MeetingValue } from './meeting.ts';

/**
 * The booked meeting's day and time, shown in the log form while the outcome is "meeting booked": optional, but
 * right under the outcome, so that the meeting lands on the agenda, the plan and the calendar feed as a visit
 * instead of only in the note.
 */
export function MeetingFields({
  value,
  onChange,
  today,
  nowTime,
  zoneHint,
}: {
  value: MeetingValue;
  onChange: (value: MeetingValue) => void;
  /** Today and now on the workspace's clock. */
  today: string;
  nowTime: string;
  /** Said under the time when the workspace's clock is not the browser's. */
  zoneHint?: string | undefined;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const check = checkMeeting(value, today, nowTime);
  const wrong = 'wrong' in check ? check : null;
  // A day that is no day or outside today … a year ahead is named by the date field itself.
  const dateError =
    wrong?.wrong === 'date' && wrong.error === 'needsDay' ? t('logForm.meeting.needsDay') : null;
  const timeError = wrong?.wrong === 'time' ? t(`logForm.meeting.${wrong.error}`) : null;
  return (
    <Box
      className="objection-panel"
      p="sm"
      role="group"
      aria-labelledby={`${ids}-meeting`}
      data-testid="meeting-fields"
    >
      <Text fz="sm" fw={600} id={`${ids}-meeting`}>
        {t('logForm.meeting.label')}
      </Text>
      <Text fz="xs" c="dimmed" mb="xs">
        {t('logForm.meeting.hint')}
      </Text>
      <SimpleGrid cols={2} spacing="xs">
        <DateField
          label={t('logForm.meeting.date')}
          value={value.date}
          minDate={today}
          maxDate={latestMeetingDay(today)}
          clearable
          onChange={(date) => onChange({ ...value, date })}
          error={dateError}
          data-testid="meeting-date"
        />
        <TimeField
          label={t('logForm.meeting.time')}
          value={value.time}
          onChange={(time) => onChange({ ...value, time })}
          error={timeError}
          description={zoneHint}
          data-testid="meeting-time"
        />
      </SimpleGrid>
    </Box>
  );
}
