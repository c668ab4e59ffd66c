import { describe, expect, it } from 'vitest';
import { ZAccountListQuery } from '../../src/schemas/account.ts';
import { ACCOUNT_COLUMNS, ZAccountQueryJson } from '../../src/schemas/saved-view.ts';
import { DEFAULT_VIEW, parseView, updateView } from '../../web/src/features/accounts/account-view.ts';
import {
  isSameView,
  parseColumns,
  toFilter,
  toSavedQuery,
  viewFromSaved,
  writeColumns,
} from '../../web/src/features/accounts/saved-view-mapping.ts';

// Saved views and bulk selections carry the list request as JSON; the page keeps its view in the URL.
describe('saved views ↔ the Accounts view', () => {
  const view = parseView(
    new URLSearchParams(
      'search=晨光&tier=A,B&inMarket=true&province=广东省&stage=meeting&source=src-1&overdue=true&ownerId=u-1&sort=employees&order=asc&page=4&pageSize=100',
    ),
  );

  it('stores the list request without the page, in a form the list and the schema accept', () => {
    const query = toSavedQuery(view);
    expect(query).toEqual({
      search: '晨光',
      tier: ['A', 'B'],
      inMarket: true,
      province: ['广东省'],
      stage: ['meeting'],
      sourceId: 'src-1',
      overdue: true,
      ownerId: 'u-1',
      sort: 'employees',
      order: 'asc',
      pageSize: 100,
    });
    expect(ZAccountQueryJson.parse(query)).toEqual(query);
    expect(ZAccountListQuery.parse(query)).toMatchObject({ overdue: true, sourceId: 'src-1', page: 1 });
  });

  it('opens a saved query as the same view, on page 1', () => {
    expect(viewFromSaved(toSavedQuery(view))).toEqual({ ...view, page: 1 });
    expect(viewFromSaved({})).toEqual(DEFAULT_VIEW);
  });

  it('sends only the filters as a bulk selection', () => {
    const filter = toFilter(view);
    expect(filter).not.toHaveProperty('sort');
    expect(filter).not.toHaveProperty('pageSize');
    expect(filter).toMatchObject({ overdue: true, tier: ['A', 'B'] });
  });

  it('knows when the page shows a saved view, columns included', () => {
    const saved = { query: toSavedQuery(view), columns: ['tier', 'stage'] as const };
    expect(
      isSameView(updateView(view, { page: 2 }), ['tier', 'stage'], { ...saved, columns: [...saved.columns] }),
    ).toBe(true);
    expect(isSameView(view, [...ACCOUNT_COLUMNS], { ...saved, columns: [...saved.columns] })).toBe(false);
    expect(
      isSameView(updateView(view, { city: '深圳市' }), ['tier', 'stage'], {
        ...saved,
        columns: ['tier', 'stage'],
      }),
    ).toBe(false);
    expect(isSameView(DEFAULT_VIEW, [...ACCOUNT_COLUMNS], { query: {}, columns: null })).toBe(true);
  });

  it('keeps the columns in the URL, leaving the default out', () => {
    expect(parseColumns(new URLSearchParams())).toEqual([...ACCOUNT_COLUMNS]);
    const params = writeColumns(['stage', 'tier'], new URLSearchParams('tier=A'));
    expect(params.toString()).toBe('tier=A&columns=tier%2Cstage');
    expect(parseColumns(params)).toEqual(['tier', 'stage']);
    expect(parseColumns(new URLSearchParams('columns=bogus,tier'))).toEqual(['tier']);
    expect(writeColumns([...ACCOUNT_COLUMNS], params).has('columns')).toBe(false);
    expect(writeColumns(null, params).has('columns')).toBe(false);
  });
});
