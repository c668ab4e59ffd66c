import {
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Collapse,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback, useId, useMediaQuery } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccountFacets } from '../../../../src/schemas/account.ts';
import { useAccountFacets } from '../../api/accounts.ts';
import { useSourceOptions } from '../../api/market.ts';
import { usePlanReps } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import {
  type AccountView,
  clearFilters,
  countChoiceFilters,
  hasFilters,
  STAGES,
  TIER_FILTERS,
  updateView,
} from './account-view.ts';

const SEARCH_DELAY_MS = 300;
/** The Owner filter's choice "nobody" (`unassigned=true`). */
const UNASSIGNED = '__unassigned__';

type MarketChoice = 'all' | 'in' | 'out';

interface Props {
  view: AccountView;
  onChange: (next: AccountView) => void;
}

interface Option {
  value: string;
  label: string;
  count: number;
}

function cityOptions(facets: TAccountFacets | undefined, province: string | null): Option[] {
  const counts = new Map<string, number>();
  for (const city of facets?.cities ?? []) {
    if (province && city.province !== province) continue;
    counts.set(city.value, (counts.get(city.value) ?? 0) + city.count);
  }
  return [...counts].map(([value, count]) => ({ value, label: value, count }));
}

/** Search, tier, stage, place, industry and market filters; every change goes to the URL. */
export function AccountFiltersBar({ view, onChange }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const facets = useAccountFacets();
  const owners = usePlanReps();
  const sources = useSourceOptions();
  const marketLabelId = useId();
  const moreId = useId();
  // On a phone only the search box shows until the rest is asked for.
  const isWide = useMediaQuery('(min-width: 48em)', true);
  const [showMore, setShowMore] = useState(false);

  // The search box updates the URL after a pause in typing, not on every key.
  const [search, setSearch] = useState(view.search);
  // What this box last sent to the URL: when the URL comes back with it, that is our own change arriving (the
  // user may have typed on meanwhile, and those keys must stay), not someone else's.
  const committed = useRef(view.search);
  const latestView = useRef(view);
  latestView.current = view;
  const commitSearch = useDebouncedCallback((value: string) => {
    committed.current = value.trim();
    onChange(updateView(latestView.current, { search: committed.current }));
  }, SEARCH_DELAY_MS);
  // Back, forward or "clear filters" changed the search in the URL: show it in the box.
  useEffect(() => {
    if (view.search !== committed.current) {
      committed.current = view.search;
      commitSearch.cancel();
      setSearch(view.search);
    }
  }, [view.search, commitSearch]);

  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const option of cityOptions(facets.data, view.province))
      map.set(`city:${option.value}`, option.count);
    for (const p of facets.data?.provinces ?? []) map.set(`province:${p.value}`, p.count);
    for (const i of facets.data?.industries ?? []) map.set(`industry:${i.value}`, i.count);
    return map;
  }, [facets.data, view.province]);

  const renderFacetOption =
    (kind: string) =>
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
              <VisuallyHidden>{t('accounts.filters.accountCount', { count })}</VisuallyHidden>
            </>
          )}
        </Group>
      );
    };

  const provinceData = (facets.data?.provinces ?? []).map((p) => ({ value: p.value, label: p.value }));
  const cityData = cityOptions(facets.data, view.province).map(({ value, label }) => ({ value, label }));
  const industryData = (facets.data?.industries ?? []).map((i) => ({ value: i.value, label: i.value }));
  const tierData = TIER_FILTERS.map((tier) => ({
    value: tier,
    label: tier === 'none' ? t('tier.none') : t('tier.option', { tier, name: t(`tier.names.${tier}`) }),
  }));
  const stageData = STAGES.map((stage) => ({ value: stage, label: t(`stage.${stage}`) }));
  const market: MarketChoice = view.inMarket == null ? 'all' : view.inMarket ? 'in' : 'out';

  const onProvince = (province: string | null) => {
    // Keep the city only when it lies in the new province.
    const keepCity =
      view.city != null &&
      province != null &&
      (facets.data?.cities ?? []).some((c) => c.value === view.city && c.province === province);
    onChange(updateView(view, { province, city: keepCity ? view.city : null }));
  };

  const onCity = (city: string | null) => {
    // Choosing a city without a province fills in the province it belongs to.
    const province =
      view.province ?? (city ? (facets.data?.cities.find((c) => c.value === city)?.province ?? null) : null);
    onChange(updateView(view, { city, province }));
  };

  /** Sets one drill-down filter (owner, overdue), leaving the others. */
  const setDrill = <K extends keyof AccountView['drill']>(
    key: K,
    value: AccountView['drill'][K] | undefined,
  ) => {
    const drill = { ...view.drill };
    if (value === undefined) delete drill[key];
    else drill[key] = value;
    onChange(updateView(view, { drill }));
  };
  // Unassigned: the accounts nobody owns that the caller may see (`unassigned=true`), e.g. an admin's import.
  const ownerData = [
    { value: UNASSIGNED, label: t('account.unassigned') },
    ...(owners.data ?? []).map((user) => ({ value: user.id, label: user.name })),
  ];
  const setOwner = (choice: string | null) => {
    const drill = { ...view.drill };
    delete drill.ownerId;
    delete drill.unassigned;
    if (choice === UNASSIGNED) drill.unassigned = true;
    else if (choice) drill.ownerId = choice;
    onChange(updateView(view, { drill }));
  };
  if (view.drill.ownerId && !ownerData.some((o) => o.value === view.drill.ownerId)) {
    ownerData.push({ value: view.drill.ownerId, label: view.drill.ownerId });
  }
  const sourceData = (sources.data ?? []).map((source) => ({ value: source.id, label: source.name }));
  if (view.source && !sourceData.some((o) => o.value === view.source)) {
    sourceData.push({ value: view.source, label: view.source });
  }

  const common = {
    comboboxProps: { withinPortal: true },
    nothingFoundMessage: t('accounts.filters.nothingFound'),
  };

  const marketControl = (
    <Stack gap={4}>
      <Text id={marketLabelId} component="div" fz="sm" fw={500}>
        {t('accounts.filters.market')}
      </Text>
      <SegmentedControl
        aria-labelledby={marketLabelId}
        value={market}
        onChange={(value) =>
          onChange(updateView(view, { inMarket: value === 'all' ? null : value === 'in' }))
        }
        data={[
          { value: 'all', label: t('accounts.filters.marketAll') },
          { value: 'in', label: t('accounts.filters.marketIn') },
          { value: 'out', label: t('accounts.filters.marketOut') },
        ]}
      />
    </Stack>
  );

  const clearButton = (
    <Button
      variant="subtle"
      color="gray"
      c="gray.8"
      disabled={!hasFilters(view)}
      onClick={() => {
        commitSearch.cancel();
        setSearch('');
        onChange(clearFilters(view));
      }}
    >
      {t('accounts.filters.clear')}
    </Button>
  );

  const chosen = countChoiceFilters(view);

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="form"
      role="search"
      aria-label={t('accounts.filters.label')}
      onSubmit={(event) => {
        event.preventDefault();
        commitSearch.flush();
      }}
    >
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap={isWide ? 'wrap' : 'nowrap'}>
          <TextInput
            label={t('accounts.filters.search')}
            // On a phone the field shares its row with "More filters": a hint short enough to read whole.
            placeholder={
              isWide ? t('accounts.filters.searchPlaceholder') : t('accounts.filters.searchPlaceholderShort')
            }
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              commitSearch(event.currentTarget.value);
            }}
            leftSection={<Icon name="search" size={16} />}
            rightSection={
              search ? (
                <CloseButton
                  size="sm"
                  aria-label={t('accounts.filters.clearSearch')}
                  onClick={() => {
                    setSearch('');
                    commitSearch('');
                    commitSearch.flush();
                  }}
                />
              ) : null
            }
            style={{ flex: '1 1 280px' }}
          />
          {isWide ? (
            <>
              {marketControl}
              {clearButton}
            </>
          ) : (
            <Button
              variant="light"
              onClick={() => setShowMore((shown) => !shown)}
              aria-expanded={showMore}
              aria-controls={moreId}
              rightSection={
                chosen > 0 ? (
                  <Badge size="sm" circle variant="filled">
                    {chosen}
                  </Badge>
                ) : null
              }
              style={{ flex: 'none' }}
            >
              {showMore ? t('accounts.filters.less') : t('accounts.filters.more')}
            </Button>
          )}
        </Group>
        <Collapse expanded={isWide || showMore} id={moreId}>
          <Stack gap="sm">
            {!isWide && (
              <Group justify="space-between" align="flex-end" gap="sm">
                {marketControl}
                {clearButton}
              </Group>
            )}
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
              <MultiSelect
                {...common}
                label={t('accounts.filters.tier')}
                placeholder={view.tier.length ? undefined : t('accounts.filters.tierPlaceholder')}
                data={tierData}
                value={view.tier}
                onChange={(values) => onChange(updateView(view, { tier: values as AccountView['tier'] }))}
                clearable
              />
              <MultiSelect
                {...common}
                label={t('accounts.filters.stage')}
                placeholder={view.stage.length ? undefined : t('accounts.filters.stagePlaceholder')}
                data={stageData}
                value={view.stage}
                onChange={(values) => onChange(updateView(view, { stage: values as AccountView['stage'] }))}
                clearable
              />
              <Select
                {...common}
                label={t('accounts.filters.province')}
                placeholder={t('accounts.filters.provincePlaceholder')}
                data={provinceData}
                value={view.province}
                onChange={onProvince}
                renderOption={renderFacetOption('province')}
                searchable
                clearable
              />
              <Select
                {...common}
                label={t('accounts.filters.city')}
                placeholder={t('accounts.filters.cityPlaceholder')}
                data={cityData}
                value={view.city}
                onChange={onCity}
                renderOption={renderFacetOption('city')}
                searchable
                clearable
              />
              <Select
                {...common}
                label={t('accounts.filters.industry')}
                placeholder={t('accounts.filters.industryPlaceholder')}
                data={industryData}
                value={view.industry}
                onChange={(industry) => onChange(updateView(view, { industry }))}
                renderOption={renderFacetOption('industry')}
                searchable
                clearable
              />
              <Select
                {...common}
                label={t('accounts.filters.owner')}
                placeholder={t('accounts.filters.ownerPlaceholder')}
                data={ownerData}
                value={view.drill.unassigned ? UNASSIGNED : (view.drill.ownerId ?? null)}
                onChange={setOwner}
                data-testid="owner-filter"
                searchable
                clearable
              />
              <Select
                {...common}
                label={t('accounts.filters.source')}
                placeholder={t('accounts.filters.sourcePlaceholder')}
                data={sourceData}
                value={view.source}
                onChange={(source) => onChange(updateView(view, { source }))}
                searchable
                clearable
              />
              <Checkbox
                label={t('accounts.filters.overdue')}
                description={t('accounts.filters.overdueHint')}
                checked={view.drill.overdue === true}
                onChange={(event) => setDrill('overdue', event.currentTarget.checked ? true : undefined)}
                style={{ alignSelf: 'center' }}
              />
            </SimpleGrid>
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}
