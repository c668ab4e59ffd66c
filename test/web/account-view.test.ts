import { describe, expect, it } from 'vitest';
import { toQueryString } from '../../web/src/api/client.ts';
import {
  clearFilters,
  DEFAULT_VIEW,
  hasFilters,
  parseView,
  toggleSort,
  toListParams,
  updateView,
  writeView,
} from '../../web/src/features/accounts/account-view.ts';

describe('the Accounts view in the URL', () => {
  it('reads a shared link', () => {
    const view = parseView(
      new URLSearchParams(
        'search=晨光&tier=A,none&inMarket=true&province=广东省&city=深圳市&industry=汽车制造业&stage=meeting,won&source=src-1&sort=employees&order=desc&page=3&pageSize=100',
      ),
    );
    expect(view).toEqual({
      search: '晨光',
      tier: ['A', 'none'],
      inMarket: true,
      province: '广东省',
      city: '深圳市',
      industry: '汽车制造业',
      stage: ['meeting', 'won'],
      source: 'src-1',
      drill: {},
      sort: 'employees',
      order: 'desc',
      page: 3,
      pageSize: 100,
    });
  });

  it('ignores what it does not understand instead of failing', () => {
    const view = parseView(
      new URLSearchParams('tier=A,Z,A&stage=nope&sort=password&order=up&page=-2&pageSize=7&inMarket=maybe'),
    );
    expect(view).toEqual({ ...DEFAULT_VIEW, tier: ['A'] });
  });

  it('writes only what differs from the defaults, and keeps other parameters', () => {
    const base = new URLSearchParams('account=abc&page=4');
    const written = writeView(updateView(DEFAULT_VIEW, { province: '上海市' }), base);
    expect(written.toString()).toBe(new URLSearchParams('account=abc&province=上海市').toString());
    expect(writeView(DEFAULT_VIEW).toString()).toBe('');
  });

  it('round-trips', () => {
    const view = {
      ...DEFAULT_VIEW,
      search: 'abc',
      tier: ['B' as const],
      inMarket: false,
      page: 2,
      sort: 'name' as const,
      order: 'asc' as const,
    };
    expect(parseView(writeView(view))).toEqual(view);
  });

  it('goes back to page 1 when a filter changes, not when the page does', () => {
    const onPage3 = { ...DEFAULT_VIEW, page: 3 };
    expect(updateView(onPage3, { tier: ['A'] }).page).toBe(1);
    expect(updateView(onPage3, { page: 4 }).page).toBe(4);
  });

  it('sorts a new column in its natural order and flips the same column', () => {
    const byName = toggleSort(DEFAULT_VIEW, 'name');
    expect([byName.sort, byName.order]).toEqual(['name', 'asc']);
    expect(toggleSort(byName, 'name').order).toBe('desc');
    const byEmployees = toggleSort(byName, 'employees');
    expect([byEmployees.sort, byEmployees.order]).toEqual(['employees', 'desc']);
  });

  it('clears filters but keeps sort and page size', () => {
    const view = { ...DEFAULT_VIEW, search: 'x', tier: ['A' as const], sort: 'name' as const, pageSize: 100 };
    expect(hasFilters(view)).toBe(true);
    const cleared = clearFilters(view);
    expect(hasFilters(cleared)).toBe(false);
    expect([cleared.sort, cleared.pageSize]).toEqual(['name', 100]);
  });

  it('asks the API with comma-separated lists and without empty filters', () => {
    const view = {
      ...DEFAULT_VIEW,
      tier: ['A' as const, 'none' as const],
      province: '广东省',
      inMarket: true,
    };
    expect(toQueryString({ ...toListParams(view) })).toBe(
      `?page=1&pageSize=50&tier=A%2Cnone&inMarket=true&province=${encodeURIComponent('广东省')}&sort=annualSales&order=desc`,
    );
  });
});
