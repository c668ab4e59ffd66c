import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accountKeys, fetchAccount, fetchAccounts } from '../../api/accounts.ts';

/** Named up front (when editing); more listed accounts still count, they only show by id. */
const NAMED = 50;

/** Picks accounts by name (searching the accounts the viewer may see) for a territory's explicit list. */
export function AccountPicker({
  value,
  onChange,
  label,
  description,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  label: string;
  description?: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const params = { page: 1, pageSize: 20, search: debounced };
  const found = useQuery({
    queryKey: accountKeys.list(params),
    queryFn: ({ signal }) => fetchAccounts(params, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
  });
  const named = useQueries({
    queries: value.slice(0, NAMED).map((id) => ({
      queryKey: accountKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchAccount(id, signal),
      staleTime: 5 * 60_000,
    })),
  });
  const data = useMemo(() => {
    const labels = new Map<string, string>();
    for (const q of named) if (q.data) labels.set(q.data.id, accountLabel(q.data));
    for (const account of found.data?.items ?? []) labels.set(account.id, accountLabel(account));
    for (const id of value) if (!labels.has(id)) labels.set(id, id);
    return [...labels].map(([id, text]) => ({ value: id, label: text }));
  }, [named, found.data, value]);

  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={t('people.territories.searchAccounts')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={
        debounced ? t('people.territories.noAccounts') : t('people.territories.typeToSearch')
      }
      hidePickedOptions
      error={error}
      maxDropdownHeight={260}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function accountLabel(account: { name: string; city: string | null }): string {
  return account.city ? `${account.name} · ${account.city}` : account.name;
}
