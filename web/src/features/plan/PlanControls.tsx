import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Text } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { planStartLimits } from '../../../../src/domain/plan/plan-start.ts';
import type { TRole } from '../../../../src/schemas/common.ts';
import type { TUser } from '../../../../src/schemas/people.ts';
import { isDayWithin } from '../dates/date-text.ts';
import { DateField } from '../dates/LazyDateFields.tsx';
import { LIMITS, type PlanView } from './plan-view.ts';

const NUMBER_DELAY_MS = 450;
/** The empty choice: no repId, so the server plans the default workload (everyone for an admin, else your own). */
const DEFAULT_WORKLOAD = '';

interface Props {
  view: PlanView;
  onChange: (change: Partial<PlanView>) => void;
  /** null: no users API (or not allowed): the whole workload is planned. undefined: still loading. */
  reps: TUser[] | null | undefined;
  /** Who is signed in: an admin's default is every account, a manager's their own; a rep has no choice. */
  me: { id: string; role: TRole } | null | undefined;
  /** What the server used where the view leaves a value to it. */
  effective: { from?: string; months?: number; callsPerDay?: number; visitsPerDay?: number };
  /** Previewing a new plan: every field. Otherwise (the committed plan on screen) only whose plan. */
  replanning: boolean;
  /** Today in the workspace's time zone (once known): a plan starts from today to two years on (planStartLimits). */
  today?: string;
}

/** A number typed freely, sent after a pause (or on Enter or leaving the box), never mid-number. */
function DebouncedNumber({
  label,
  value,
  fallback,
  limits,
  onCommit,
  description,
}: {
  label: string;
  value: number | null;
  fallback: number | undefined;
  limits: { min: number; max: number };
  onCommit: (value: number | null) => void;
  description?: string;
}) {
  const shown = value ?? fallback ?? '';
  const [text, setText] = useState<number | string>(shown);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(shown);
  }, [shown]);
  const commit = useDebouncedCallback((next: number | string) => {
    if (typeof next !== 'number' || !Number.isInteger(next) || next < limits.min || next > limits.max) return;
    onCommit(next === fallback && value == null ? null : next);
  }, NUMBER_DELAY_MS);
  return (
    <NumberInput
      label={label}
      description={description}
      value={text}
      min={limits.min}
      max={limits.max}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="blur"
      onChange={(next) => {
        setText(next);
        commit(next);
      }}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        commit.flush();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit.flush();
      }}
    />
  );
}

/** Whose plan, from when, for how long, and with what daily capacity. */
export function PlanControls({ view, onChange, reps, me, effective, replanning, today }: Props) {
  const { t } = useTranslation();
  const isRep = me?.role === 'rep';
  const picker = reps !== null && !isRep;
  const others = (reps ?? []).filter((user) => user.id !== me?.id);
  const overridden =
    view.from != null || view.months != null || view.callsPerDay != null || view.visitsPerDay != null;
  // A manager's own accounts are picked by their id: no rep in the view means "not picked yet" (PlanPage opens on a
  // rep of the team); an admin's empty choice is every account.
  const own = me?.role === 'manager' ? me.id : DEFAULT_WORKLOAD;
  // A typed "from" that is no day (2026-02-30), or a day outside the days a plan may start on (one in the past
  // would cancel the plan in force): shown in the field with its error, never planned from.
  const [fromText, setFromText] = useState<string | null>(null);
  const limits = today ? planStartLimits(today) : undefined;
  const fromLimits = { minDate: limits?.min, maxDate: limits?.max };
  if (!replanning && !picker) return null;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="form"
      aria-label={t('plan.controls.label')}
      onSubmit={(e) => e.preventDefault()}
    >
      <SimpleGrid
        cols={replanning ? { base: 1, xs: 2, md: picker ? 5 : 4 } : { base: 1, xs: 2, md: 3 }}
        spacing="sm"
      >
        {picker && (
          <Select
            label={t('plan.controls.rep')}
            data={[
              {
                value: own,
                label: me?.role === 'admin' ? t('plan.controls.wholeWorkload') : t('plan.controls.mine'),
              },
              ...others.map((rep) => ({
                value: rep.id,
                label:
                  rep.role === 'rep'
                    ? rep.name
                    : t('plan.controls.repWithRole', {
                        name: rep.name,
                        role: t(`plan.controls.roles.${rep.role}`),
                      }),
              })),
            ]}
            value={view.rep ?? (me?.role === 'manager' ? null : DEFAULT_WORKLOAD)}
            onChange={(value) => onChange({ rep: value || null, callsPerDay: null, visitsPerDay: null })}
            allowDeselect={false}
            disabled={reps === undefined}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        {replanning && (
          <>
            <DateField
              label={t('plan.controls.from')}
              value={fromText ?? view.from ?? effective.from ?? ''}
              minDate={fromLimits.minDate}
              maxDate={fromLimits.maxDate}
              onChange={(value) => {
                const day = value === '' || isDayWithin(value, fromLimits);
                setFromText(day ? null : value);
                if (day) onChange({ from: value || null });
              }}
              clearable={view.from != null}
              // Each day given is previewed: not the days read on the way (2026-02-3 while 2026-02-30 is typed).
              waitForWholeDay
              data-testid="plan-from"
            />
            <DebouncedNumber
              label={t('plan.controls.months')}
              value={view.months}
              fallback={effective.months}
              limits={LIMITS.months}
              onCommit={(months) => onChange({ months })}
            />
            <DebouncedNumber
              label={t('plan.controls.callsPerDay')}
              value={view.callsPerDay}
              fallback={effective.callsPerDay}
              limits={LIMITS.callsPerDay}
              onCommit={(callsPerDay) => onChange({ callsPerDay })}
            />
            <DebouncedNumber
              label={t('plan.controls.visitsPerDay')}
              value={view.visitsPerDay}
              fallback={effective.visitsPerDay}
              limits={LIMITS.visitsPerDay}
              onCommit={(visitsPerDay) => onChange({ visitsPerDay })}
            />
          </>
        )}
      </SimpleGrid>
      <Group justify="space-between" mt="sm" gap="xs" wrap="wrap">
        <Text fz="xs" c="dimmed">
          {!replanning
            ? t('plan.controls.committedHint')
            : isRep
              ? t('plan.controls.ownPlan')
              : reps === null
                ? t('plan.controls.noReps')
                : t('plan.controls.hint')}
        </Text>
        {replanning && overridden && (
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => {
              setFromText(null);
              onChange({ from: null, months: null, callsPerDay: null, visitsPerDay: null });
            }}
          >
            {t('plan.controls.reset')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
