import {
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccountFacets } from '../../../../src/schemas/account.ts';
import type { SourceOption } from '../../api/market.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { type CriteriaDraft, citiesWithin, invertedRanges, type RangeName } from './criteria.ts';
import { MoneyInput } from './MoneyInput.tsx';

interface Props {
  draft: CriteriaDraft;
  onChange: (next: CriteriaDraft) => void;
  facets: TAccountFacets | undefined;
  /** Import sources to choose from; null when there is no source list (the saved ones are kept). */
  sources: SourceOption[] | null | undefined;
}

type FacetKind = 'province' | 'city' | 'industry';

/** The target-market criteria (method §1): purchasing power by the numbers, then place and industry. */
export function CriteriaForm({ draft, onChange, facets, sources }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const set = (change: Partial<CriteriaDraft>) => onChange({ ...draft, ...change });
  const inverted = new Set<RangeName>(invertedRanges(draft));
  const rangeError = (range: RangeName) => (inverted.has(range) ? t('market.form.minAboveMax') : undefined);

  const provinceOfCity = useMemo(() => {
    const map = new Map<string, string | null>();
    for (const city of facets?.cities ?? []) if (!map.has(city.value)) map.set(city.value, city.province);
    return map;
  }, [facets]);

  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const p of facets?.provinces ?? []) map.set(`province:${p.value}`, p.count);
    for (const c of facets?.cities ?? [])
      map.set(`city:${c.value}`, (map.get(`city:${c.value}`) ?? 0) + c.count);
    for (const i of facets?.industries ?? []) map.set(`industry:${i.value}`, i.count);
    return map;
  }, [facets]);

  const renderOption =
    (kind: FacetKind) =>
    ({ option }: { option: { value: string; label: string } }) => {
      const count = counts.get(`${kind}:${option.value}`);
      return (
        <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
          <span>{option.label}</span>
          {count != null && (
            <>
              <Text span fz="xs" c="dimmed" aria-hidden="true">
                {format.number(count)}
              </Text>
              <VisuallyHidden>{t('market.form.accountCount', { count })}</VisuallyHidden>
            </>
          )}
        </Group>
      );
    };

  // Values already chosen stay selectable even when the facets no longer list them.
  const withChosen = (values: string[], chosen: string[]) =>
    [...new Set([...values, ...chosen])].map((value) => ({ value, label: value }));
  const provinceData = withChosen(
    (facets?.provinces ?? []).map((p) => p.value),
    draft.provinces,
  );
  const cityData = withChosen(
    [...new Set((facets?.cities ?? []).map((c) => c.value))].filter((city) =>
      draft.provinces.length ? draft.provinces.includes(provinceOfCity.get(city) ?? '') : true,
    ),
    draft.cities,
  );
  const industryData = withChosen(
    (facets?.industries ?? []).map((i) => i.value),
    draft.industries,
  );

  const common = {
    comboboxProps: { withinPortal: true },
    nothingFoundMessage: t('market.form.nothingFound'),
    searchable: true,
    clearable: true,
    hidePickedOptions: true,
  } as const;

  return (
    <Stack gap="md">
      <Fieldset legend={t('market.form.size')} radius="md">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <MoneyInput
              label={t('market.form.minAnnualSales')}
              placeholder={t('market.form.any')}
              value={draft.minAnnualSales}
              onChange={(minAnnualSales) => set({ minAnnualSales })}
              error={rangeError('annualSales')}
            />
            <MoneyInput
              label={t('market.form.maxAnnualSales')}
              placeholder={t('market.form.any')}
              value={draft.maxAnnualSales}
              onChange={(maxAnnualSales) => set({ maxAnnualSales })}
              error={Boolean(rangeError('annualSales'))}
            />
            <MoneyInput
              label={t('market.form.minNetAssets')}
              placeholder={t('market.form.any')}
              value={draft.minNetAssets}
              onChange={(minNetAssets) => set({ minNetAssets })}
              error={rangeError('netAssets')}
            />
            <MoneyInput
              label={t('market.form.maxNetAssets')}
              placeholder={t('market.form.any')}
              value={draft.maxNetAssets}
              onChange={(maxNetAssets) => set({ maxNetAssets })}
              error={Boolean(rangeError('netAssets'))}
            />
            <NumberInput
              label={t('market.form.minEmployees')}
              placeholder={t('market.form.any')}
              value={draft.minEmployees ?? ''}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={format.language === 'en' ? ',' : undefined}
              onChange={(value) => set({ minEmployees: typeof value === 'number' ? value : null })}
              error={rangeError('employees')}
              rightSection={
                <Text span fz="sm" c="dimmed" pr="xs" aria-hidden="true">
                  {t('market.form.people')}
                </Text>
              }
              rightSectionWidth={format.language === 'en' ? 64 : 36}
              rightSectionPointerEvents="none"
            />
            <NumberInput
              label={t('market.form.maxEmployees')}
              placeholder={t('market.form.any')}
              value={draft.maxEmployees ?? ''}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={format.language === 'en' ? ',' : undefined}
              onChange={(value) => set({ maxEmployees: typeof value === 'number' ? value : null })}
              error={Boolean(rangeError('employees'))}
              rightSection={
                <Text span fz="sm" c="dimmed" pr="xs" aria-hidden="true">
                  {t('market.form.people')}
                </Text>
              }
              rightSectionWidth={format.language === 'en' ? 64 : 36}
              rightSectionPointerEvents="none"
            />
          </SimpleGrid>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <Icon
              name="info"
              size={16}
              style={{ flex: 'none', marginTop: 2 }}
              color="var(--mantine-color-dimmed)"
            />
            <Text fz="xs" c="dimmed">
              {t('market.form.employeesNote')}
            </Text>
          </Group>
        </Stack>
      </Fieldset>

      <Fieldset legend={t('market.form.place')} radius="md">
        <Stack gap="sm">
          <MultiSelect
            {...common}
            label={t('market.form.provinces')}
            placeholder={draft.provinces.length ? undefined : t('market.form.anyProvince')}
            data={provinceData}
            value={draft.provinces}
            renderOption={renderOption('province')}
            onChange={(provinces) =>
              set({
                provinces,
                // A city outside every chosen province could never match: drop it with its province.
                cities: citiesWithin(draft.cities, provinces, (city) => provinceOfCity.get(city)),
              })
            }
          />
          <MultiSelect
            {...common}
            label={t('market.form.cities')}
            description={draft.provinces.length ? t('market.form.citiesNarrow') : undefined}
            placeholder={draft.cities.length ? undefined : t('market.form.anyCity')}
            data={cityData}
            value={draft.cities}
            renderOption={renderOption('city')}
            onChange={(cities) => set({ cities })}
          />
          <TagsInput
            label={t('market.form.districts')}
            description={t('market.form.districtsHint')}
            placeholder={draft.districts.length ? undefined : t('market.form.anyDistrict')}
            value={draft.districts}
            onChange={(districts) => set({ districts })}
            clearable
            splitChars={[',', '，', '、']}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend={t('market.form.industry')} radius="md">
        <Stack gap="sm">
          <MultiSelect
            {...common}
            label={t('market.form.industries')}
            placeholder={draft.industries.length ? undefined : t('market.form.anyIndustry')}
            data={industryData}
            value={draft.industries}
            renderOption={renderOption('industry')}
            onChange={(industries) => set({ industries })}
          />
          {sources && sources.length > 0 ? (
            <MultiSelect
              {...common}
              label={t('market.form.sources')}
              description={t('market.form.sourcesHint')}
              placeholder={draft.sourceIds.length ? undefined : t('market.form.anySource')}
              data={[
                ...sources.map((source) => ({
                  value: source.id,
                  label: t('market.form.sourceOption', {
                    name: source.name,
                    kind: t(`market.form.sourceKinds.${source.kind}`),
                    count: source.accounts,
                  }),
                })),
                // A saved source that is gone from the list stays visible, so it can be removed.
                ...draft.sourceIds
                  .filter((id) => !sources.some((source) => source.id === id))
                  .map((id) => ({ value: id, label: t('market.form.unknownSource') })),
              ]}
              value={draft.sourceIds}
              onChange={(sourceIds) => set({ sourceIds })}
            />
          ) : (
            draft.sourceIds.length > 0 && (
              <Text fz="sm" c="dimmed">
                {t('market.form.sourcesKept', { count: draft.sourceIds.length })}
              </Text>
            )
          )}
          {draft.territoryId && (
            <Text fz="sm" c="dimmed">
              {t('market.form.territoryKept')}
            </Text>
          )}
        </Stack>
      </Fieldset>
    </Stack>
  );
}
