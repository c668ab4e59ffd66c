import {
  Alert,
  Badge,
  Box,
  Button,
  Chip,
  Group,
  Kbd,
  Modal,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TChannel, TOutcome } from '../../../../src/schemas/common.ts';
import type { TLogTouch } from '../../api/agenda.ts';
import { useAuthStatus } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { type TPlaybookObjection, useObjections } from '../../api/objections.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { DateField, preloadDateFields, TimeField } from '../dates/LazyDateFields.tsx';
import { shiftDay } from './dates.ts';
import { dropLogDraft, keepLogDraft, logDraftKey, readLogDraft } from './log-draft.ts';
import { MeetingFields } from './MeetingFields.tsx';
import { checkMeeting, type MeetingValue, NO_MEETING } from './meeting.ts';
import { CHANNELS, OUTCOMES } from './outcomes.ts';
import { checkWhen, choiceForDay, earlierTime, type WallTime, type WhenChoice, wallTimeIn } from './when.ts';

export interface LogTouchTarget {
  accountId: string;
  accountName: string;
  channel: TChannel;
  outcome?: TOutcome;
}

export interface LogTouchModalProps {
  /** The account to log for; null keeps the form closed. */
  target: LogTouchTarget | null;
  onClose: () => void;
  /** Saves the touch; the form stays open with the error when this rejects. */
  onSubmit: (body: TLogTouch) => Promise<unknown>;
  /** Give focus back to what opened the form (default); off when the opener is gone after a log. */
  returnFocus?: boolean;
  /** The workspace's time zone (the agenda's `timeZone`): the "When" field's days and times are on its clock. */
  timeZone?: string;
}

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const WHEN_CHOICES: readonly WhenChoice[] = ['now', 'today', 'yesterday', 'other'];

type Lang = 'zh' | 'en';

function objectionTitle(objection: TPlaybookObjection, lang: Lang): string {
  return objection.label[lang] || objection[lang] || objection.title;
}

/** A radio group whose cards share one tab stop: arrows move between them, Tab leaves the group. */
function rovingTabIndex(values: readonly string[], checked: string) {
  const first = values.includes(checked) ? checked : values[0];
  return (value: string) => (value === first ? 0 : -1);
}

/**
 * When it happened: now (the default), earlier today, yesterday or another day, with the day and time on the
 * workspace's clock. Not later than the server accepts (a few minutes ahead of now).
 */
function WhenField({
  value,
  onChange,
  today,
  nowTime,
  timeZone,
  dateError,
  timeError,
}: {
  /** null: now. */
  value: WallTime | null;
  onChange: (value: WallTime | null) => void;
  today: string;
  nowTime: string;
  timeZone: string;
  /** Each under its own field: a date that is no day or after today is named by the date field itself. */
  dateError: string | null;
  timeError: string | null;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const yesterday = shiftDay(today, -1);
  const choice: WhenChoice = value ? choiceForDay(value.date, today, yesterday) : 'now';
  function choose(next: string) {
    if (next === 'now') return onChange(null);
    const time = value?.time ?? earlierTime(nowTime);
    const date =
      next === 'today'
        ? today
        : next === 'yesterday'
          ? yesterday
          : value && value.date < yesterday
            ? value.date
            : shiftDay(today, -2);
    onChange({ date, time });
  }
  return (
    <Stack gap={6}>
      <Text fz="sm" fw={500} id={`${ids}-when`}>
        {t('logForm.when.label')}
      </Text>
      <Chip.Group multiple={false} value={choice} onChange={choose}>
        <Group gap="xs" role="radiogroup" aria-labelledby={`${ids}-when`} data-testid="when-choices">
          {WHEN_CHOICES.map((option) => (
            <Chip key={option} value={option} type="radio" radius="md" variant="outline">
              {t(`logForm.when.${option}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {value && (
        <SimpleGrid cols={2} spacing="xs">
          <DateField
            label={t('logForm.when.date')}
            value={value.date}
            maxDate={today}
            required
            onChange={(date) => onChange({ ...value, date })}
            error={dateError}
            data-testid="when-date"
          />
          <TimeField
            label={t('logForm.when.time')}
            value={value.time}
            required
            onChange={(time) => onChange({ ...value, time })}
            error={timeError}
            description={timeZone !== BROWSER_ZONE ? t('logForm.when.zone', { zone: timeZone }) : undefined}
            data-testid="when-time"
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function LogTouchForm({
  target,
  onCancel,
  onSubmit,
  timeZone,
}: {
  target: LogTouchTarget;
  onCancel: () => void;
  onSubmit: (body: TLogTouch) => Promise<unknown>;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const lang: Lang = language === 'en' ? 'en' : 'zh';
  const objections = useObjections();
  const ids = useId();
  const [channel, setChannel] = useState<TChannel>(target.channel);
  const [outcome, setOutcome] = useState<TOutcome>(target.outcome ?? 'reached');
  const [objectionId, setObjectionId] = useState<string | null>(null);
  const [responseId, setResponseId] = useState<string>('');
  // What was typed and not saved when the form was last closed for this account comes back (log-draft.ts).
  const draftKey = logDraftKey(useAuthStatus().data?.user?.id, target.accountId);
  const [draft] = useState(() => readLogDraft(draftKey));
  const [note, setNote] = useState(draft?.note ?? '');
  const [nextStep, setNextStep] = useState(draft?.nextStep ?? '');
  useEffect(() => keepLogDraft(draftKey, { note, nextStep }), [draftKey, note, nextStep]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The clock when the form opened: "today" and "yesterday" of the choices, and the default earlier time.
  const [opened] = useState(() => wallTimeIn(timeZone, new Date()));
  const [when, setWhen] = useState<WallTime | null>(null);
  // The booked meeting's day and time (only sent with the outcome "meeting booked").
  const [meeting, setMeeting] = useState<MeetingValue>(NO_MEETING);
  // The date and time fields' code, so "Yesterday" shows them at once.
  useEffect(preloadDateFields, []);
  const whenCheck = checkWhen(when, opened.date, timeZone, new Date());
  const wrong = 'wrong' in whenCheck ? whenCheck : null;
  // A date that is no day (2026-02-30) or after today: the date field names it itself. An emptied one: said here.
  const dateError = wrong?.wrong === 'date' && when?.date === '' ? t('logForm.when.invalid') : null;
  const timeError = wrong?.wrong === 'time' ? t(`logForm.when.${wrong.error}`) : null;

  const objection = objections.data?.objections.find((o) => o.id === objectionId) ?? null;
  const responses = useMemo(
    () =>
      objection ? [...objection.responses].sort((a, b) => Number(b.preferred) - Number(a.preferred)) : [],
    [objection],
  );
  const outcomeTab = rovingTabIndex(OUTCOMES, outcome);
  const responseValues = useMemo(() => [...responses.map((r) => r.id), ''], [responses]);
  const responseTab = rovingTabIndex(responseValues, responseId);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (saving) return;
    const checked = checkWhen(when, opened.date, timeZone, new Date());
    if ('wrong' in checked) {
      setError(t(`logForm.when.${checked.error}`));
      return;
    }
    const clock = wallTimeIn(timeZone, new Date());
    const booked = outcome === 'meeting_booked' ? checkMeeting(meeting, clock.date, clock.time) : {};
    if ('wrong' in booked) {
      setError(t(`logForm.meeting.${booked.error}`));
      return;
    }
    setSaving(true);
    setError(null);
    const body: TLogTouch = { channel, outcome };
    if (checked.at) body.at = checked.at;
    if (booked.meetingAt) body.meetingAt = booked.meetingAt;
    if (objectionId) body.objectionId = objectionId;
    if (objectionId && responseId) body.responseId = responseId;
    if (note.trim()) body.note = note.trim();
    if (nextStep.trim()) body.nextStep = nextStep.trim();
    try {
      await onSubmit(body);
      dropLogDraft(draftKey);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.isNetworkError
          ? t('errors.network')
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
      setSaving(false);
    }
  }

  // Ctrl+Enter (⌘+Enter) saves from anywhere in the form, also from the note.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-busy={saving}>
      <Stack gap="md">
        <Stack gap={6}>
          <Text fz="sm" fw={500} id={`${ids}-channel`}>
            {t('logForm.channel')}
          </Text>
          <SegmentedControl
            aria-labelledby={`${ids}-channel`}
            fullWidth
            value={channel}
            onChange={(value) => setChannel(value as TChannel)}
            data={CHANNELS.map((value) => ({
              value,
              label: (
                <Group gap={6} justify="center" wrap="nowrap">
                  <Icon name={value === 'call' ? 'phone' : 'visit'} size={16} />
                  <span>{t(`logForm.channels.${value}`)}</span>
                </Group>
              ),
            }))}
          />
        </Stack>

        <Radio.Group
          label={t('logForm.outcome')}
          value={outcome}
          onChange={(value) => setOutcome(value as TOutcome)}
          name={`${ids}-outcome`}
        >
          <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" mt={6}>
            {OUTCOMES.map((value) => (
              <Radio.Card
                key={value}
                value={value}
                radius="md"
                p="sm"
                className="choice-card"
                tabIndex={outcomeTab(value)}
                data-autofocus={value === outcome ? true : undefined}
              >
                <Group gap="xs" wrap="nowrap">
                  <Radio.Indicator size="sm" />
                  <Text fz="sm" fw={500}>
                    {t(`logForm.outcomes.${channel}.${value}`)}
                  </Text>
                </Group>
              </Radio.Card>
            ))}
          </SimpleGrid>
        </Radio.Group>

        {outcome === 'meeting_booked' && (
          <MeetingFields
            value={meeting}
            onChange={(value) => {
              setMeeting(value);
              setError(null);
            }}
            today={opened.date}
            nowTime={opened.time}
            zoneHint={timeZone !== BROWSER_ZONE ? t('logForm.when.zone', { zone: timeZone }) : undefined}
          />
        )}

        <WhenField
          value={when}
          onChange={(value) => {
            setWhen(value);
            setError(null);
          }}
          today={opened.date}
          nowTime={opened.time}
          timeZone={timeZone}
          dateError={dateError}
          timeError={timeError}
        />

        {/* The picker appears once the playbook answers; without it a touch is logged without an objection. */}
        {objections.isSuccess && (
          <Select
            label={t('logForm.objection')}
            placeholder={t('logForm.objectionPlaceholder')}
            data={objections.data.objections.map((o) => ({ value: o.id, label: objectionTitle(o, lang) }))}
            value={objectionId}
            onChange={(value) => {
              setObjectionId(value);
              setResponseId('');
            }}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('logForm.objectionClear') }}
            nothingFoundMessage={t('logForm.objectionNothing')}
            comboboxProps={{ withinPortal: true }}
            data-testid="objection-select"
          />
        )}

        {objection && (
          <Box className="objection-panel" p="sm">
            <Text fz="sm" c="dimmed" mb="xs" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
              “{objection[lang] || objection.text}”
            </Text>
            <Radio.Group
              label={t('logForm.response')}
              value={responseId}
              onChange={setResponseId}
              name={`${ids}-response`}
            >
              <Stack gap="xs" mt={6}>
                {responses.map((response) => (
                  <Radio.Card
                    key={response.id}
                    value={response.id}
                    radius="md"
                    p="sm"
                    className="choice-card"
                    tabIndex={responseTab(response.id)}
                  >
                    <Group gap="sm" wrap="nowrap" align="flex-start">
                      <Radio.Indicator size="sm" mt={3} />
                      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                        {response.preferred && (
                          <Badge size="sm" variant="light" color="teal" c="#065f46" tt="none" radius="sm">
                            {t('logForm.preferred')}
                          </Badge>
                        )}
                        <Text fz="sm" lh={1.55}>
                          {response[lang] || response.text}
                        </Text>
                      </Stack>
                    </Group>
                  </Radio.Card>
                ))}
                <Radio.Card value="" radius="md" p="sm" className="choice-card" tabIndex={responseTab('')}>
                  <Group gap="sm" wrap="nowrap">
                    <Radio.Indicator size="sm" />
                    <Text fz="sm" c="dimmed">
                      {t('logForm.responseNone')}
                    </Text>
                  </Group>
                </Radio.Card>
              </Stack>
            </Radio.Group>
          </Box>
        )}

        <Textarea
          label={t('logForm.note')}
          placeholder={t('logForm.notePlaceholder')}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={4000}
          value={note}
          description={draft ? t('logForm.draftKept') : undefined}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <TextInput
          label={t('logForm.nextStep')}
          placeholder={t('logForm.nextStepPlaceholder')}
          maxLength={1000}
          value={nextStep}
          onChange={(event) => setNextStep(event.currentTarget.value)}
        />

        {error && (
          <Alert
            color="red"
            variant="light"
            icon={<Icon name="alert" />}
            title={t('logForm.failedShort')}
            role="alert"
          >
            {error}
          </Alert>
        )}

        <Group justify="space-between" gap="sm" className="log-form-actions">
          <Text fz="xs" c="dimmed" visibleFrom="sm" className="keyboard-hint">
            <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> {t('logForm.saveHint')}
          </Text>
          <Group gap="sm" wrap="nowrap" className="log-form-buttons">
            <Button variant="default" onClick={onCancel} size="md">
              {t('logForm.cancel')}
            </Button>
            <Button type="submit" loading={saving} size="md">
              {t('logForm.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** The full log form: channel, outcome, objection met and response used, note and next step. */
export function LogTouchModal({
  target,
  onClose,
  onSubmit,
  returnFocus = true,
  timeZone = BROWSER_ZONE,
}: LogTouchModalProps) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  // The last target stays rendered while the modal closes, so its content does not vanish mid-transition.
  const [shown, setShown] = useState<LogTouchTarget | null>(target);
  const [session, setSession] = useState(0);
  if (target && target !== shown) {
    setShown(target);
    setSession((n) => n + 1);
  }

  return (
    <Modal
      opened={target != null}
      onClose={onClose}
      fullScreen={isPhone}
      size="lg"
      radius={isPhone ? 0 : 'md'}
      returnFocus={returnFocus}
      title={
        <>
          <Text component="span" display="block" fw={700} fz="lg">
            {t('logForm.title')}
          </Text>
          <Text component="span" display="block" fz="sm" c="dimmed" lineClamp={1}>
            {shown?.accountName}
          </Text>
        </>
      }
      closeButtonProps={{ 'aria-label': t('logForm.close') }}
      classNames={{ body: 'log-form-body' }}
    >
      {shown && (
        <LogTouchForm
          key={session}
          target={shown}
          onCancel={onClose}
          onSubmit={onSubmit}
          timeZone={timeZone}
        />
      )}
    </Modal>
  );
}
