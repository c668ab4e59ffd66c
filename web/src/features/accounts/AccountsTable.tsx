import { Anchor, Checkbox, Group, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TAccount } from '../../../../src/schemas/account.ts';
import type { TAccountColumn } from '../../../../src/schemas/saved-view.ts';
import type { AccountSort } from '../../api/accounts.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import type { AccountView } from './account-view.ts';
import { OPENED_FROM_LIST } from './use-account-view.ts';

type ColumnKey =
  | 'name'
  | 'tier'
  | 'location'
  | 'industry'
  | 'annualSales'
  | 'employees'
  | 'netAssets'
  | 'stage'
  | 'inMarket';

interface Column {
  key: ColumnKey;
  sort?: AccountSort;
  numeric?: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'name', sort: 'name' },
  { key: 'tier', sort: 'tier' },
  { key: 'location', sort: 'province' },
  { key: 'industry' },
  { key: 'annualSales', sort: 'annualSales', numeric: true },
  { key: 'employees', sort: 'employees', numeric: true },
  { key: 'netAssets', sort: 'netAssets', numeric: true },
  { key: 'stage', sort: 'stage' },
  { key: 'inMarket' },
];

/** Ticked rows: checkboxes per row and for the page. */
export interface RowSelection {
  isSelected: (id: string) => boolean;
  onToggle: (id: string, selected: boolean) => void;
  onTogglePage: (selected: boolean) => void;
}

interface Props {
  items: readonly TAccount[];
  view: AccountView;
  /** Visible columns besides the name (always shown). */
  columns: readonly TAccountColumn[];
  selection: RowSelection;
  busy: boolean;
  onSort: (column: AccountSort) => void;
  onOpen: (id: string) => void;
  accountHref: (id: string) => string;
}

function SortHeader({
  column,
  view,
  onSort,
}: {
  column: Column;
  view: AccountView;
  onSort: Props['onSort'];
}) {
  const { t } = useTranslation();
  const label = t(`accounts.columns.${column.key}`);
  if (!column.sort) {
    return (
      <Table.Th scope="col" className={column.numeric ? 'numeric' : 'nowrap'}>
        {label}
      </Table.Th>
    );
  }
  const sort = column.sort;
  const active = view.sort === sort;
  const icon = !active ? 'sortNone' : view.order === 'asc' ? 'sortAsc' : 'sortDesc';
  return (
    <Table.Th
      scope="col"
      aria-sort={active ? (view.order === 'asc' ? 'ascending' : 'descending') : undefined}
      className={column.numeric ? 'numeric' : 'nowrap'}
    >
      <UnstyledButton
        onClick={() => onSort(sort)}
        fw={700}
        fz="sm"
        c={active ? 'indigo.8' : 'inherit'}
        style={{ whiteSpace: 'nowrap' }}
      >
        <Group gap={4} wrap="nowrap" justify={column.numeric ? 'flex-end' : 'flex-start'}>
          <span>{label}</span>
          <Icon name={icon} size={14} strokeWidth={2.2} opacity={active ? 1 : 0.55} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** City and district, with the province beneath unless the city is the province (北京市). */
function Location({ account }: { account: TAccount }) {
  const place = [account.city, account.district].filter(Boolean).join(' ');
  const province = account.province && account.province !== account.city ? account.province : null;
  return (
    <>
      <div>{place || account.province || EMPTY_VALUE}</div>
      {place && province && (
        <Text fz="xs" c="dimmed">
          {province}
        </Text>
      )}
    </>
  );
}

/** The page of accounts: sortable headers, one row per account, a row opens its details. */
export function AccountsTable({ items, view, columns, selection, busy, onSort, onOpen, accountHref }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const shown = (key: ColumnKey) => key === 'name' || columns.includes(key);
  const visible = COLUMNS.filter((column) => shown(column.key));
  const ticked = items.filter((account) => selection.isSelected(account.id)).length;
  const allTicked = items.length > 0 && ticked === items.length;
  const sortColumn = t(`accounts.columns.${COLUMNS.find((c) => c.sort === view.sort)?.key ?? 'name'}`);

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, id: string) => {
    // The name link handles its own clicks (and modified clicks open a new tab).
    if ((event.target as HTMLElement).closest('a, button, input, label, [data-column="select"]')) return;
    onOpen(id);
  };

  return (
    <Table.ScrollContainer minWidth={Math.min(1080, 360 + visible.length * 90)} type="native">
      <Table
        stickyHeader
        highlightOnHover
        verticalSpacing="sm"
        horizontalSpacing="sm"
        aria-busy={busy}
        style={{ opacity: busy ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <caption className="visually-hidden">
          {t('accounts.sort.caption', { column: sortColumn, order: t(`accounts.sort.${view.order}`) })}
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={44}>
              <Checkbox
                aria-label={t('accounts.select.page')}
                checked={allTicked}
                indeterminate={ticked > 0 && !allTicked}
                onChange={(event) => selection.onTogglePage(event.currentTarget.checked)}
              />
            </Table.Th>
            {visible.map((column) => (
              <SortHeader key={column.key} column={column} view={view} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((account) => (
            <Table.Tr
              key={account.id}
              className="row-link"
              onClick={(event) => onRowClick(event, account.id)}
              aria-selected={selection.isSelected(account.id)}
              bg={selection.isSelected(account.id) ? 'var(--mantine-color-indigo-light)' : undefined}
            >
              <Table.Td data-column="select">
                <Checkbox
                  aria-label={t('accounts.select.row', { name: account.name })}
                  checked={selection.isSelected(account.id)}
                  onChange={(event) => selection.onToggle(account.id, event.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td data-column="name" miw={200} maw={340}>
                <Anchor
                  component={Link}
                  to={accountHref(account.id)}
                  state={OPENED_FROM_LIST}
                  c="dark.8"
                  fw={600}
                  underline="hover"
                >
                  {account.name}
                </Anchor>
                {(account.website || account.uscc) && (
                  <Text fz="xs" c="dimmed" truncate="end" visibleFrom="sm">
                    {account.website ?? account.uscc}
                  </Text>
                )}
                {/* On a phone the other columns are off to the side: where it is and how far along, under the name. */}
                <Text fz="xs" c="gray.7" hiddenFrom="sm" data-testid="account-summary-phone">
                  {[account.city ?? account.province, t(`stage.${account.stage}`)]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Table.Td>
              {shown('tier') && (
                <Table.Td data-column="tier">
                  {account.tier ? (
                    <TierBadge tier={account.tier} />
                  ) : (
                    <Text span c="dimmed" title={t('tier.none')}>
                      {EMPTY_VALUE}
                      <VisuallyHidden>{t('tier.none')}</VisuallyHidden>
                    </Text>
                  )}
                </Table.Td>
              )}
              {shown('location') && (
                <Table.Td data-column="location" className="nowrap">
                  <Location account={account} />
                </Table.Td>
              )}
              {shown('industry') && (
                <Table.Td data-column="industry" miw={120}>
                  <Text fz="sm" lineClamp={2}>
                    {account.industry ?? EMPTY_VALUE}
                  </Text>
                </Table.Td>
              )}
              {shown('annualSales') && (
                <Table.Td data-column="annualSales" className="numeric">
                  {format.money(account.annualSales)}
                </Table.Td>
              )}
              {shown('employees') && (
                <Table.Td data-column="employees" className="numeric">
                  {format.employees(account.employeesMin, account.employeesMax)}
                </Table.Td>
              )}
              {shown('netAssets') && (
                <Table.Td data-column="netAssets" className="numeric">
                  {format.money(account.netAssets)}
                </Table.Td>
              )}
              {shown('stage') && (
                <Table.Td data-column="stage" className="nowrap">
                  {t(`stage.${account.stage}`)}
                </Table.Td>
              )}
              {shown('inMarket') && (
                <Table.Td data-column="inMarket" className="nowrap">
                  {account.inMarket ? (
                    <Text span fz="sm" fw={600} c={STRONG_TEXT.teal}>
                      {t('accounts.inMarket.yes')}
                    </Text>
                  ) : (
                    <Text span fz="sm" c="dimmed">
                      {t('accounts.inMarket.no')}
                    </Text>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
