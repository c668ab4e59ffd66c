import { ActionIcon, Alert, Box, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { THolidayCountry, TRepDaysOff } from '../../../../src/schemas/plan.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { type TPersonOverview, useDaysOff, useSetDaysOff } from '../../api/people.ts';
import { Icon } from '../../components/icons.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { DateField } from '../dates/LazyDateFields.tsx';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { countryOptions, holidayScheduleName } from '../settings/holiday-countries.ts';
import { readDayOff } from './day-off-input.ts';
import { FormFooter } from './FormFooter.tsx';

/** A person's own days off (leave, training): plans place no calls or visits on them. */
export function DaysOffModal({ person, onClose }: { person: TPersonOverview | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('people.close') }}
      opened={person !== null}
      onClose={onClose}
      title={person ? t('people.daysOff.title', { name: person.name }) : ''}
    >
      {person && <DaysOffForm person={person} onDone={onClose} />}
    </Modal>
  );
}

/** The rep's public holidays: the workspace's (the empty value) or a schedule of their own. */
const WORKSPACE = 'workspace';

function DaysOffForm({ person, onDone }: { person: TPersonOverview; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const format = usePlanFormat();
  const stored = useDaysOff(person.id);
  const save = useSetDaysOff();
  const [dates, setDates] = useState<string[] | null>(null);
  const [holidays, setHolidays] = useState<string | null>(null);
  const cn = t('settings.calendar.cn');
  const none = t('settings.calendar.none');
  const others = t('settings.calendar.otherCountries');
  const workspace = t('people.daysOff.workspaceHolidays');
  const schedules = useMemo(
    () => [{ value: WORKSPACE, label: workspace }, ...countryOptions(i18n.language, { cn, none, others })],
    [i18n.language, cn, none, others, workspace],
  );
  const [input, setInput] = useState('');
  // The text typed into the field (null after a pick): checked on "Add" (a text that is no day, 2026-02-30, is
  // also the field's value as typed, which it names in its error on leaving it).
  const [typed, setTyped] = useState<string | null>(null);
  const [added, setAdded] = useState(0);
  const [inputError, setInputError] = useState<string | null>(null);
  // The calendar this edit is made on: as first read, or as someone else saved it meanwhile (409). A later read
  // (the Team page refreshing) does not move it, so a change made elsewhere in between is refused, not lost.
  const [read, setRead] = useState<TRepDaysOff | null>(null);
  const [conflict, setConflict] = useState<TRepDaysOff | null>(null);
  // Saved, and touches planned on the days now off were moved to working days: how many, until closed.
  const [moved, setMoved] = useState<number | null>(null);
  useEffect(() => {
    if (stored.data && !read) setRead(stored.data);
  }, [stored.data, read]);
  const base = read ?? stored.data;
  if (moved !== null)
    return (
      <Stack gap="sm">
        <Alert
          {...toneAlert('teal')}
          icon={<Icon name="check" />}
          role="status"
          title={t('people.daysOff.saved')}
          data-testid="days-off-moved"
        >
          {t('people.daysOff.moved', { count: moved })}
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onDone} data-testid="days-off-done">
            {t('people.close')}
          </Button>
        </Group>
      </Stack>
    );
  if (!base) return <PageLoader minHeight={120} />;
  const current = dates ?? base.dates;
  const schedule = holidays ?? base.holidays ?? WORKSPACE;

  /** Adds the day in the field to the list; false (with a message) when there is none. */
  const add = (): boolean => {
    const read = readDayOff(typed, input);
    if ('error' in read) {
      setInputError(
        read.error === 'notADay' ? t('dates.notADay', { value: read.text }) : t('people.daysOff.invalid'),
      );
      return false;
    }
    setInputError(null);
    setDates([...new Set([...current, read.day])].sort());
    setInput('');
    setTyped(null);
    return true;
  };
  const send = () => {
    setConflict(null);
    save.mutate(
      {
        repId: person.id,
        dates: current,
        holidays: schedule === WORKSPACE ? null : (schedule as THolidayCountry),
        version: base.version,
      },
      {
        // Touches moved off the days now off are said before the modal closes; otherwise it closes at once.
        onSuccess: (saved) => (saved.moved > 0 ? setMoved(saved.moved) : onDone()),
        onError: (error) => {
          const now = conflictCurrent<TRepDaysOff>(error);
          setConflict(now);
          if (now) setRead(now);
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const scheduleName = (holidays: THolidayCountry | null) =>
    holidays === null ? workspace : holidayScheduleName(holidays, i18n.language, { cn, none });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Select
          label={t('people.daysOff.holidays')}
          description={t('people.daysOff.holidaysHint')}
          data={schedules}
          value={schedule}
          onChange={(value) => value && setHolidays(value)}
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('market.form.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          data-testid="rep-holidays"
        />
        <Text fz="sm" c="dimmed">
          {t('people.daysOff.hint')}
        </Text>
        <DateField
          // A new field after each day added by Enter: its text empties and it keeps the focus for the next.
          key={added}
          autoFocus={added > 0}
          label={t('people.daysOff.date')}
          placeholder={t('people.daysOff.datePlaceholder')}
          value={input}
          onChange={(date) => {
            setInput(date);
            setInputError(null);
          }}
          onTextChange={(text) => {
            setTyped(text);
            setInputError(null);
          }}
          error={inputError}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (add()) setAdded((n) => n + 1);
            }
          }}
          // "Add" beside the input itself, level with it whichever error shows below (the field's own or ours).
          inputContainer={(input) => (
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Box style={{ flex: 1, minWidth: 0 }}>{input}</Box>
              <Button variant="light" onClick={add}>
                {t('people.daysOff.add')}
              </Button>
            </Group>
          )}
          data-testid="day-off-date"
        />
        {current.length === 0 ? (
          <Text fz="sm">{t('people.daysOff.none')}</Text>
        ) : (
          <Stack
            component="ul"
            gap={4}
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            aria-label={t('people.daysOff.label')}
          >
            {current.map((date) => (
              <Group component="li" key={date} justify="space-between" gap="xs">
                <Text fz="sm">{format.day(date)}</Text>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('people.daysOff.remove', { date: format.day(date) })}
                  onClick={() => setDates(current.filter((d) => d !== date))}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        {conflict && (
          <VersionConflictAlert
            record="daysOff"
            onRetry={send}
            onDiscard={() => {
              setDates(null);
              setHolidays(null);
              setConflict(null);
              save.reset();
            }}
            retrying={save.isPending}
          >
            <Text fz="sm" data-testid="conflict-current">
              {scheduleName(conflict.holidays)} ·{' '}
              {conflict.dates.length === 0
                ? t('people.daysOff.none')
                : conflict.dates.map((date) => format.day(date)).join(', ')}
            </Text>
          </VersionConflictAlert>
        )}
        <FormFooter error={!conflict && save.error} onCancel={onDone}>
          <Button type="submit" loading={save.isPending} disabled={dates === null && holidays === null}>
            {t('people.form.save')}
          </Button>
        </FormFooter>
      </Stack>
    </form>
  );
}
