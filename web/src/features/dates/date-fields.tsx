import '@mantine/dates/styles.css';
import 'dayjs/locale/zh-cn';
import { DateInput, DatesProvider, type DatesProviderSettings, TimePicker } from '@mantine/dates';
import type { TFunction } from 'i18next';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTouchOnly } from '../../components/touch.ts';
import { formatDate } from '../../i18n/format.ts';
import { INTL_LOCALE, type Language } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { afterTyping, type DayProblem, dayProblem, isDayWithin } from './date-text.ts';
import { parseTypedDate } from './typed-date.ts';

/**
 * Date and time fields that follow the app's language, not the browser's: a native <input type="date"> shows
 * mm/dd/yyyy and "09:00 PM" in an English browser, whatever the interface says. Mantine's DateInput (a text field
 * with a calendar; a day can be typed, `typed-date.ts`) and TimePicker (hours and minutes, 24-hour, with lists to
 * pick from), with dayjs's locale and the calendar's words in the app's language and weeks from Monday. Values are
 * what the native inputs gave: 'YYYY-MM-DD' (or '' for none) and 'HH:MM' (or '' while incomplete), except that a
 * typed text that is no day (2026-02-30) is the date field's value as typed, named in its error (date-text.ts), so
 * no form sends the day last read on the way (2026-02-3, the 3rd), and a day typed outside `minDate`/`maxDate` is
 * the value too, named in the error ("Choose a day up to …"), where the picker alone would drop it silently.
 * Loaded on demand through LazyDateFields.tsx, so @mantine/dates and dayjs stay out of the first load.
 */

interface FieldProps {
  label: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  placeholder?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

export interface DateFieldProps extends FieldProps {
  /** 'YYYY-MM-DD', '' for none, or a typed text that is no day (as `onChange` gave it). */
  value: string;
  /**
   * 'YYYY-MM-DD', '' when cleared, or the text as typed (trimmed) when it is no whole, real day (2026-02-30,
   * 2026-13-01): the field shows it with an error naming it once the typing stops, and the form must not send it
   * (check the value is a day, e.g. `isDay` of date-text.ts). A day typed outside `minDate`/`maxDate` is given as
   * well, with an error saying the limit: a form with limits sends only a day within them (`isDayWithin`).
   */
  onChange: (value: string) => void;
  /** The earliest and latest days that may be picked or typed ('YYYY-MM-DD'). */
  minDate?: string;
  maxDate?: string;
  /**
   * For a field whose every change is acted on at once (the plan's "from": a preview each): a day typed is given
   * only once its text is written whole (2026-02-03, not 2026-02-3 on the way to 2026-02-30), or on leaving the
   * field or Enter. A day picked from the calendar, a text that is no day and an emptied field are given at once.
   */
  waitForWholeDay?: boolean;
  /** Wraps the input itself (not its label and error), e.g. to set a button beside it, aligned to the input. */
  inputContainer?: (input: ReactNode) => ReactNode;
  /** A button that empties the field. */
  clearable?: boolean;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
  autoFocus?: boolean;
  /**
   * The text as typed, at every change, and null when a day is picked from the calendar.
   */
  onTextChange?: (text: string | null) => void;
}

export interface TimeFieldProps extends FieldProps {
  /** 'HH:MM' (24-hour), or '' for none. */
  value: string;
  /** 'HH:MM', or '' while the hours or the minutes are missing. */
  onChange: (value: string) => void;
}

/** dayjs's name of each language's locale (dayjs/locale/zh-cn is loaded above; English is built in). */
const DAYJS_LOCALE: Record<Language, string> = { 'zh-CN': 'zh-cn', en: 'en' };

/** How the calendar writes its headings: 2026年10月 (not 十月 2026), 2026年; October 2026, 2026. */
const LABEL_FORMATS: Record<Language, { month: string; year: string; monthsList: string }> = {
  'zh-CN': { month: 'YYYY年M月', year: 'YYYY年', monthsList: 'MMM' },
  en: { month: 'MMMM YYYY', year: 'YYYY', monthsList: 'MMM' },
};

const dayLabels = new Map<Language, Intl.DateTimeFormat>();
/** A day's accessible name, as the app writes a day in full: 2026年10月5日星期一 / Monday, October 5, 2026. */
function dayLabel(day: string, language: Language): string {
  let format = dayLabels.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], { dateStyle: 'full', timeZone: 'UTC' });
    dayLabels.set(language, format);
  }
  return format.format(new Date(`${day.slice(0, 10)}T00:00:00Z`));
}

/** The calendar's settings for the language: dayjs's locale, weeks from Monday, Saturday and Sunday off. */
function useDatesSettings(language: Language): DatesProviderSettings {
  return useMemo(
    () => ({ locale: DAYJS_LOCALE[language], firstDayOfWeek: 1, weekendDays: [0, 6] }),
    [language],
  );
}

/**
 * Esc closes a field's open calendar or time list, not the dialog around it (a second Esc does): Mantine's Modal
 * listens for Escape on the window before the field sees it and lets it pass only when the key's target carries
 * `data-mantine-stop-propagation`, as its Select and Menu set while their lists are open; the dates fields do not.
 * So the field's input carries it while its popover is open.
 */
function useEscapeClosesPopoverFirst() {
  const [open, setOpen] = useState(false);
  return {
    open,
    inputProps: { 'data-mantine-stop-propagation': open || undefined },
    popoverProps: { onOpen: () => setOpen(true), onClose: () => setOpen(false) },
  };
}

/** The field's own error for what is wrong with its value (date-text.ts `dayProblem`). */
function problemMessage(problem: DayProblem, t: TFunction, language: Language): string {
  if (problem.problem === 'notADay') return t('dates.notADay', { value: problem.text });
  const date = formatDate(problem.limit, language);
  return problem.problem === 'afterMax' ? t('dates.afterMax', { date }) : t('dates.beforeMin', { date });
}

export function DateField({
  value,
  onChange,
  minDate,
  maxDate,
  waitForWholeDay = false,
  inputContainer,
  clearable = false,
  label,
  description,
  error,
  required,
  placeholder,
  style,
  onKeyDown,
  autoFocus,
  onTextChange,
  'data-testid': testId,
}: DateFieldProps) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const settings = useDatesSettings(language);
  // While a text is typed its error waits: 2026-0 is on its way to a day. Shown on leaving the field or on Enter.
  const [typing, setTyping] = useState(false);
  // A day read from a text not written whole yet (waitForWholeDay): shown, given when the typing stops, and shown
  // until the form's value is that day (a form may set it in a transition, the plan's URL).
  const [held, setHeldState] = useState<{ day: string; given: boolean } | null>(null);
  const setHeld = (day: string | null) => setHeldState(day === null ? null : { day, given: false });
  if (held?.given && held.day === value) setHeldState(null);
  // The picker sets a typed day within the limits itself, right after reading it: given (or held) already.
  const pickerEcho = useRef(false);
  const limits = { minDate, maxDate };
  const shown = held ? held.day : value;
  const problem = dayProblem(shown, limits);
  const giveHeld = () => {
    if (!held || held.given) return;
    setHeldState({ day: held.day, given: true });
    onChange(held.day);
  };
  // On a phone the calendar is the way to pick a day: no on-screen keyboard over it (a keyboard still types).
  const touchOnly = useTouchOnly();
  const escapeFirst = useEscapeClosesPopoverFirst();
  const formats = LABEL_FORMATS[language];
  return (
    <DatesProvider settings={settings}>
      <DateInput
        label={label}
        description={description}
        error={error ?? (problem && !typing ? problemMessage(problem, t, language) : undefined)}
        required={required}
        placeholder={placeholder}
        style={style}
        data-testid={testId}
        data-value={value}
        {...escapeFirst.inputProps}
        value={problem || !shown ? null : shown}
        onChange={(next) => {
          if (pickerEcho.current) {
            pickerEcho.current = false;
            return;
          }
          setHeld(null);
          onChange(next ? next.slice(0, 10) : '');
        }}
        valueFormat={(day) => formatDate(day.slice(0, 10), language)}
        dateParser={(text) => {
          // Called only as the text is typed.
          const day = parseTypedDate(text);
          onTextChange?.(text);
          setTyping(true);
          const typed = afterTyping(text, value, { clearable, waitForWholeDay });
          setHeld(typed.hold);
          if (typed.give !== undefined) onChange(typed.give);
          pickerEcho.current = day !== null && isDayWithin(day, limits);
          return day;
        }}
        // A text that is no day, or a day outside the limits, stays as typed on leaving the field, named in the error.
        fixOnBlur={!problem}
        onBlur={() => {
          setTyping(false);
          giveHeld();
        }}
        getDayProps={() => ({
          onClick: () => {
            pickerEcho.current = false;
            onTextChange?.(null);
          },
        })}
        minDate={minDate}
        maxDate={maxDate}
        clearable={clearable}
        allowDeselect={false}
        clearButtonProps={{ 'aria-label': t('dates.clear') }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            setTyping(false);
            giveHeld();
          }
          onKeyDown?.(event);
        }}
        autoFocus={autoFocus}
        inputMode={touchOnly ? 'none' : undefined}
        monthLabelFormat={formats.month}
        yearLabelFormat={formats.year}
        monthsListFormat={formats.monthsList}
        getDayAriaLabel={(day) => dayLabel(day, language)}
        ariaLabels={{
          previousMonth: t('dates.previousMonth'),
          nextMonth: t('dates.nextMonth'),
          previousYear: t('dates.previousYear'),
          nextYear: t('dates.nextYear'),
          previousDecade: t('dates.previousDecade'),
          nextDecade: t('dates.nextDecade'),
          // The month and year headings are named by what they show (2026年10月), read aloud as such.
        }}
        popoverProps={{ withinPortal: true, ...escapeFirst.popoverProps }}
        {...(inputContainer ? { inputContainer } : {})}
      />
    </DatesProvider>
  );
}

export function TimeField({
  value,
  onChange,
  label,
  description,
  error,
  required,
  style,
  'data-testid': testId,
}: TimeFieldProps) {
  const { t } = useTranslation();
  const escapeFirst = useEscapeClosesPopoverFirst();
  // The list of hours and minutes closes on Esc (TimePicker itself closes it only when the field loses focus) and
  // opens again on a click or when the field is entered anew.
  const [dismissed, setDismissed] = useState(false);
  const spinInputProps = {
    ...escapeFirst.inputProps,
    onKeyDownCapture: (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Escape' && escapeFirst.open) setDismissed(true);
    },
  };
  return (
    <TimePicker
      label={label}
      description={description}
      error={error}
      required={required}
      style={style}
      data-testid={testId}
      data-value={value}
      value={value}
      onChange={onChange}
      format="24h"
      withDropdown
      // The list to pick from in steps of five minutes (twelve rows, not sixty); any minute can still be typed.
      minutesStep={5}
      hoursInputLabel={t('dates.hours')}
      minutesInputLabel={t('dates.minutes')}
      hoursInputProps={spinInputProps}
      minutesInputProps={spinInputProps}
      onClick={() => setDismissed(false)}
      onFocusCapture={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDismissed(false);
      }}
      popoverProps={{
        withinPortal: true,
        ...escapeFirst.popoverProps,
        ...(dismissed ? { opened: false } : {}),
      }}
    />
  );
}
