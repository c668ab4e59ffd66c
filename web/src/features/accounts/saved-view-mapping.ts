import type { TAccountColumn, TAccountQueryJson } from '../../../../src/schemas/saved-view.ts';
import { ACCOUNT_COLUMNS } from '../../../../src/schemas/saved-view.ts';
import { type AccountView, parseView, toListParams } from './account-view.ts';

// Saved views and bulk actions carry the list request as JSON (the API's names); the page keeps its view in the
// URL. These map one to the other through the URL form, so opening a saved view shows exactly what its link would.

/** The list request of a view, without the page: what a saved view stores and a bulk action's filter sends. */
export function toSavedQuery(view: AccountView): TAccountQueryJson {
  const { page: _page, ...params } = toListParams(view);
  return Object.fromEntries(
    Object.entries(params).filter(([, value]) => value !== undefined),
  ) as TAccountQueryJson;
}

/** The filters alone (no sort or page size): a bulk action's selection. */
export function toFilter(view: AccountView): TAccountQueryJson {
  const { sort: _sort, order: _order, pageSize: _size, ...filter } = toSavedQuery(view);
  return filter;
}

/** The URL parameters a saved query opens (the page's own names: `source` for sourceId). */
export function savedQueryParams(query: TAccountQueryJson): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(key === 'sourceId' ? 'source' : key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params;
}

export function viewFromSaved(query: TAccountQueryJson): AccountView {
  return { ...parseView(savedQueryParams(query)), page: 1 };
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

/** True when the page shows exactly what a saved view holds (same filters, sort, page size and columns). */
export function isSameView(
  view: AccountView,
  columns: readonly TAccountColumn[],
  saved: { query: TAccountQueryJson; columns: readonly TAccountColumn[] | null },
): boolean {
  return (
    canonical(toSavedQuery(view)) === canonical(toSavedQuery(viewFromSaved(saved.query))) &&
    canonical(columns) === canonical(saved.columns ?? ACCOUNT_COLUMNS)
  );
}

export const COLUMNS_PARAM = 'columns';

/** The visible columns from the URL (`columns=tier,stage`); all of them when absent or unreadable. */
export function parseColumns(params: URLSearchParams): TAccountColumn[] {
  const raw = params.get(COLUMNS_PARAM);
  if (raw === null) return [...ACCOUNT_COLUMNS];
  const wanted = new Set(raw.split(','));
  return ACCOUNT_COLUMNS.filter((column) => wanted.has(column));
}

/** Writes the visible columns into a copy of `base`, leaving the parameter out for the default (all). */
export function writeColumns(
  columns: readonly TAccountColumn[] | null,
  base: URLSearchParams,
): URLSearchParams {
  const params = new URLSearchParams(base);
  if (!columns || columns.length === ACCOUNT_COLUMNS.length) params.delete(COLUMNS_PARAM);
  else params.set(COLUMNS_PARAM, ACCOUNT_COLUMNS.filter((c) => columns.includes(c)).join(','));
  return params;
}
