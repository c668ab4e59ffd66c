import { NumberInput, SimpleGrid, Skeleton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { LIMITS } from '../plan/plan-view.ts';
import { ReadOnlyField, ReadOnlyFields, SaveBar, SettingsSection } from './SettingsSection.tsx';
import { useSettingsDraft } from './use-settings-draft.ts';

interface Defaults {
  callsPerDay: number;
  visitsPerDay: number;
  horizonMonths: number;
}

/** Daily capacity of a rep (when the rep has none of their own) and how far ahead plans reach. */
export function PlanDefaultsSettings({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const form = useSettingsDraft<Defaults>((s) => ({
    callsPerDay: s.capacity.callsPerDay,
    visitsPerDay: s.capacity.visitsPerDay,
    horizonMonths: s.horizonMonths,
  }));
  const draft = form.draft;
  const valid = (value: number, { min, max }: { min: number; max: number }) =>
    Number.isInteger(value) && value >= min && value <= max;
  const ok =
    draft != null &&
    valid(draft.callsPerDay, LIMITS.callsPerDay) &&
    valid(draft.visitsPerDay, LIMITS.visitsPerDay) &&
    valid(draft.horizonMonths, LIMITS.months);

  const save = () => {
    if (!ok) return;
    form.save(() => ({
      capacity: { callsPerDay: draft.callsPerDay, visitsPerDay: draft.visitsPerDay },
      horizonMonths: draft.horizonMonths,
    }));
  };

  return (
    <SettingsSection
      id="capacity"
      title={t('settings.capacity.title')}
      description={t('settings.capacity.description')}
      readOnly={readOnly}
    >
      {!draft ? (
        <Skeleton h={90} />
      ) : readOnly ? (
        <ReadOnlyFields>
          <ReadOnlyField label={t('settings.capacity.callsPerDay')}>
            {format.number(draft.callsPerDay)}
          </ReadOnlyField>
          <ReadOnlyField label={t('settings.capacity.visitsPerDay')}>
            {format.number(draft.visitsPerDay)}
          </ReadOnlyField>
          <ReadOnlyField label={t('settings.capacity.horizon')}>
            {format.number(draft.horizonMonths)}
          </ReadOnlyField>
        </ReadOnlyFields>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" mb="md">
            <NumberInput
              label={t('settings.capacity.callsPerDay')}
              value={draft.callsPerDay}
              min={LIMITS.callsPerDay.min}
              max={LIMITS.callsPerDay.max}
              allowDecimal={false}
              allowNegative={false}
              onChange={(value) => form.setDraft({ ...draft, callsPerDay: Number(value) })}
            />
            <NumberInput
              label={t('settings.capacity.visitsPerDay')}
              value={draft.visitsPerDay}
              min={LIMITS.visitsPerDay.min}
              max={LIMITS.visitsPerDay.max}
              allowDecimal={false}
              allowNegative={false}
              onChange={(value) => form.setDraft({ ...draft, visitsPerDay: Number(value) })}
            />
            <NumberInput
              label={t('settings.capacity.horizon')}
              value={draft.horizonMonths}
              min={LIMITS.months.min}
              max={LIMITS.months.max}
              allowDecimal={false}
              allowNegative={false}
              onChange={(value) => form.setDraft({ ...draft, horizonMonths: Number(value) })}
            />
          </SimpleGrid>
          <SaveBar
            dirty={form.dirty && ok}
            saving={form.update.isPending}
            saved={form.update.isSuccess}
            error={form.error}
            conflict={
              form.conflict && (
                <VersionConflictAlert
                  record="settings"
                  onRetry={save}
                  onDiscard={form.reset}
                  retrying={form.update.isPending}
                />
              )
            }
            onReset={form.reset}
          />
        </form>
      )}
    </SettingsSection>
  );
}
