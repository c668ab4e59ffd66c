import { Select, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { THolidayCountry } from '../../../../src/schemas/plan.ts';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { countryOptions, holidayScheduleName } from './holiday-countries.ts';
import { ReadOnlyField, ReadOnlyFields, SaveBar, SettingsSection } from './SettingsSection.tsx';
import { useSettingsDraft } from './use-settings-draft.ts';

/** Every IANA zone the browser knows, the workspace's own first if the browser lacks it. */
function timeZones(current: string): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone')
      : ['Asia/Shanghai', 'UTC'];
  return known.includes(current) ? known : [current, ...known];
}

/** Which days are working days: China's official schedule with 调休, or weekends only; and the time zone. */
export function WorkingCalendarSettings({ readOnly = false }: { readOnly?: boolean }) {
  const { t, i18n } = useTranslation();
  const form = useSettingsDraft<{ country: THolidayCountry; timeZone: string }>((s) => ({
    country: s.country,
    timeZone: s.timeZone,
  }));
  const draft = form.draft;
  const format = useFormat();
  // Named in the page's language (中国标准时间 · Asia/Shanghai): the ids alone are English city names.
  const zones = useMemo(
    () =>
      timeZones(draft?.timeZone ?? 'Asia/Shanghai').map((zone) => ({
        value: zone,
        label: format.timeZoneName(zone),
      })),
    [draft?.timeZone, format],
  );
  const cn = t('settings.calendar.cn');
  const none = t('settings.calendar.none');
  const others = t('settings.calendar.otherCountries');
  const countryHint = (country: THolidayCountry) =>
    country === 'CN'
      ? t('settings.calendar.cnHint')
      : country === 'none'
        ? t('settings.calendar.noneHint')
        : t('settings.calendar.rulesHint');
  const countries = useMemo(
    () => countryOptions(i18n.language, { cn, none, others }),
    [i18n.language, cn, none, others],
  );

  const save = () => {
    if (draft) form.save(() => draft);
  };

  return (
    <SettingsSection
      id="calendar"
      title={t('settings.calendar.title')}
      description={t('settings.calendar.description')}
      readOnly={readOnly}
    >
      {!draft ? (
        <Skeleton h={120} />
      ) : readOnly ? (
        <ReadOnlyFields cols={2}>
          <ReadOnlyField label={t('settings.calendar.country')} hint={countryHint(draft.country)}>
            {holidayScheduleName(draft.country, i18n.language, { cn, none })}
          </ReadOnlyField>
          <ReadOnlyField label={t('settings.calendar.timeZone')} hint={t('settings.calendar.daysOff')}>
            {format.timeZoneName(draft.timeZone)}
          </ReadOnlyField>
        </ReadOnlyFields>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mb="md">
            <Select
              label={t('settings.calendar.country')}
              description={countryHint(draft.country)}
              data={countries}
              value={draft.country}
              onChange={(value) => value && form.setDraft({ ...draft, country: value as THolidayCountry })}
              searchable
              allowDeselect={false}
              nothingFoundMessage={t('market.form.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              data-testid="holiday-country"
            />
            <Stack gap={6}>
              <Select
                label={t('settings.calendar.timeZone')}
                description={t('settings.calendar.timeZoneHint')}
                data={zones}
                value={draft.timeZone}
                onChange={(value) => value && form.setDraft({ ...draft, timeZone: value })}
                searchable
                allowDeselect={false}
                limit={50}
                nothingFoundMessage={t('market.form.nothingFound')}
                comboboxProps={{ withinPortal: true }}
              />
              <Text fz="xs" c="dimmed">
                {t('settings.calendar.daysOff')}
              </Text>
            </Stack>
          </SimpleGrid>
          <SaveBar
            dirty={form.dirty}
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
