import { TextInput } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { formatDate } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import type { DateFieldProps, TimeFieldProps } from './date-fields.tsx';
import { isDay } from './date-text.ts';

export type { DateFieldProps, TimeFieldProps } from './date-fields.tsx';

const load = () => import('./date-fields.tsx');
const DateFieldChunk = lazy(() => load().then((module) => ({ default: module.DateField })));
const TimeFieldChunk = lazy(() => load().then((module) => ({ default: module.TimeField })));

/** Fetches the date fields' code ahead of their first use (a form that will show one soon). */
export function preloadDateFields(): void {
  void load().catch(() => undefined);
}

type PlaceholderProps = Pick<
  DateFieldProps,
  'label' | 'description' | 'error' | 'required' | 'style' | 'inputContainer'
> & {
  shown: string;
};

/** The field as it will look, read-only, while its code loads: the layout does not move when it arrives. */
function Placeholder({
  label,
  description,
  error,
  required,
  style,
  inputContainer,
  shown,
}: PlaceholderProps) {
  return (
    <TextInput
      {...(inputContainer ? { inputContainer } : {})}
      label={label}
      description={description}
      error={error}
      required={required}
      style={style}
      value={shown}
      readOnly
      aria-busy="true"
    />
  );
}

/**
 * A day ('YYYY-MM-DD') picked from a calendar or typed, in the app's language (date-fields.tsx). The picker's code
 * (@mantine/dates, dayjs) loads with the first field shown, not with the page.
 */
export function DateField(props: DateFieldProps) {
  const { language } = useFormat();
  return (
    <Suspense
      fallback={
        <Placeholder
          {...props}
          shown={isDay(props.value) ? formatDate(props.value, language) : props.value}
        />
      }
    >
      <DateFieldChunk {...props} />
    </Suspense>
  );
}

/** A time of day ('HH:MM', 24-hour) as hours and minutes (date-fields.tsx), loaded as DateField is. */
export function TimeField(props: TimeFieldProps) {
  return (
    <Suspense fallback={<Placeholder {...props} shown={props.value} />}>
      <TimeFieldChunk {...props} />
    </Suspense>
  );
}
