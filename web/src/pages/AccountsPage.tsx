import { Alert, Box, Button, Group, Pagination, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { TAccountColumn, TSavedView } from '../../../src/schemas/saved-view.ts';
import { useAccounts } from '../api/accounts.ts';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { AccountDrawer } from '../features/accounts/AccountDrawer.tsx';
import { AccountFiltersBar } from '../features/accounts/AccountFiltersBar.tsx';
import { AccountsTable, type RowSelection } from '../features/accounts/AccountsTable.tsx';
import {
  clearFilters,
  hasFilters,
  PAGE_SIZES,
  toggleSort,
  toListParams,
  updateView,
  writeView,
} from '../features/accounts/account-view.ts';
import { BulkActionsBar, type Selection } from '../features/accounts/BulkActionsBar.tsx';
import { ColumnsMenu } from '../features/accounts/ColumnsMenu.tsx';
import { ExportMenu } from '../features/accounts/ExportMenu.tsx';
import { SavedViewsMenu } from '../features/accounts/SavedViewsMenu.tsx';
import {
  parseColumns,
  toFilter,
  viewFromSaved,
  writeColumns,
} from '../features/accounts/saved-view-mapping.ts';
import { useAccountView } from '../features/accounts/use-account-view.ts';
import { DrillFilterChips } from '../features/dashboard/DrillFilterChips.tsx';

const NO_SELECTION: Selection = { mode: 'ids', ids: new Set() };

/** Accounts: filter, sort and page through every account on the server; open one to see its details. */
export function AccountsPage() {
  const { t } = useTranslation();
  const { view, setView, openId, openAccount, closeAccount, accountHref } = useAccountView();
  const params = useMemo(() => toListParams(view), [view]);
  const query = useAccounts(params);
  const data = query.data;
  const [searchParams, setSearchParams] = useSearchParams();
  const columns = useMemo(() => parseColumns(searchParams), [searchParams]);
  const role = useAuthStatus().data?.user?.role;
  const filter = useMemo(() => toFilter(view), [view]);
  const filterKey = JSON.stringify(filter);

  // Ticked rows belong to one filter: a new filter starts with nothing ticked.
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter (by its key) is what resets the selection
  useEffect(() => setSelection(NO_SELECTION), [filterKey]);
  const rowSelection: RowSelection = {
    isSelected: (id) => selection.mode === 'all' || selection.ids.has(id),
    onToggle: (id, selected) =>
      setSelection((current) => {
        const ids = new Set(current.mode === 'ids' ? current.ids : (data?.items ?? []).map((a) => a.id));
        if (selected) ids.add(id);
        else ids.delete(id);
        return { mode: 'ids', ids };
      }),
    onTogglePage: (selected) =>
      setSelection((current) => {
        const ids = new Set(current.mode === 'ids' ? current.ids : []);
        for (const account of data?.items ?? []) {
          if (selected) ids.add(account.id);
          else ids.delete(account.id);
        }
        return { mode: 'ids', ids };
      }),
  };
  const pageTicked =
    data != null &&
    data.items.length > 0 &&
    data.items.every((account) => rowSelection.isSelected(account.id));

  const setColumns = (next: TAccountColumn[]) =>
    setSearchParams((current) => writeColumns(next, current), { replace: true });
  const openSaved = useCallback(
    (saved: TSavedView) =>
      setSearchParams((current) => {
        const base = new URLSearchParams(current);
        base.delete('account');
        return writeColumns(saved.columns, writeView(viewFromSaved(saved.query), base));
      }),
    [setSearchParams],
  );
  const { page: _page, pageSize: _pageSize, ...exportParams } = params;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  // A shared link or a narrower filter can point past the last page: go to the last one that exists.
  useEffect(() => {
    if (data && !query.isPlaceholderData && view.page > pages) {
      setView(updateView(view, { page: pages }), { replace: true });
    }
  }, [data, query.isPlaceholderData, view, pages, setView]);

  const from = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const to = data ? Math.min(data.total, data.page * data.pageSize) : 0;
  const filtered = hasFilters(view);

  let body: React.ReactNode;
  if (query.isError && !data) {
    const error = query.error;
    const signedOut = error instanceof ApiError && error.status === 401;
    body = (
      <Alert
        color="red"
        variant="light"
        m="md"
        icon={<Icon name="alert" />}
        title={signedOut ? t('errors.unauthenticated') : t('errors.unknown')}
        role="alert"
      >
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!data) {
    body = <PageLoader label={t('accounts.loading')} minHeight={200} />;
  } else if (data.items.length === 0) {
    body = (
      <Stack align="center" gap="xs" py={56} px="md" ta="center">
        <Text fw={600} fz="lg">
          {filtered ? t('accounts.empty.filteredTitle') : t('accounts.empty.title')}
        </Text>
        <Text c="dimmed" fz="sm" maw={460}>
          {filtered ? t('accounts.empty.filteredBody') : t('accounts.empty.body')}
        </Text>
        {filtered && (
          <Button variant="light" mt="xs" onClick={() => setView(clearFilters(view))}>
            {t('accounts.filters.clear')}
          </Button>
        )}
      </Stack>
    );
  } else {
    body = (
      <AccountsTable
        items={data.items}
        view={view}
        columns={columns}
        selection={rowSelection}
        busy={query.isFetching && query.isPlaceholderData}
        onSort={(column) => setView(toggleSort(view, column))}
        onOpen={openAccount}
        accountHref={accountHref}
      />
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <Title order={1} fz="h2">
          {t('accounts.title')}
        </Title>
        <Text c="dimmed" fz="sm" aria-live="polite" data-testid="accounts-total">
          {data ? t('accounts.total', { count: data.total }) : t('accounts.loading')}
        </Text>
      </Group>

      <AccountFiltersBar view={view} onChange={setView} />

      <Group justify="space-between" gap="xs" wrap="wrap">
        <SavedViewsMenu view={view} columns={columns} onOpen={openSaved} />
        <Group gap="xs" wrap="wrap">
          <ColumnsMenu columns={columns} onChange={setColumns} />
          <ExportMenu params={exportParams} total={data?.total ?? null} />
        </Group>
      </Group>

      <BulkActionsBar
        selection={selection}
        filter={filter}
        total={data?.total ?? 0}
        pageTicked={pageTicked}
        canAssign={role === 'admin' || role === 'manager'}
        onSelectAll={() => setSelection({ mode: 'all', total: data?.total ?? 0 })}
        onClear={() => setSelection(NO_SELECTION)}
      />

      <DrillFilterChips drill={view.drill} onChange={(drill) => setView(updateView(view, { drill }))} />

      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {body}
      </Paper>

      {data && data.total > 0 && (
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text fz="sm" c="dimmed">
            {t('accounts.pagination.range', { from, to, total: data.total })}
          </Text>
          <Group gap="md" wrap="wrap">
            <Select
              aria-label={t('accounts.pagination.pageSize')}
              size="xs"
              w={132}
              allowDeselect={false}
              data={PAGE_SIZES.map((size) => ({
                value: String(size),
                label: t('accounts.pagination.pageSizeOption', { count: size }),
              }))}
              value={String(view.pageSize)}
              onChange={(value) => value && setView(updateView(view, { pageSize: Number(value) }))}
            />
            <Box component="nav" aria-label={t('accounts.pagination.label')}>
              <Pagination
                size="sm"
                total={pages}
                value={Math.min(view.page, pages)}
                onChange={(page) => setView(updateView(view, { page }))}
                getItemProps={(page) => ({ 'aria-label': t('accounts.pagination.page', { page }) })}
                getControlProps={(control) => ({
                  'aria-label': t(`accounts.pagination.${control}`),
                })}
                withEdges={pages > 5}
              />
            </Box>
          </Group>
        </Group>
      )}

      <AccountDrawer
        id={openId}
        initial={data?.items.find((account) => account.id === openId)}
        onClose={closeAccount}
      />
    </Stack>
  );
}
