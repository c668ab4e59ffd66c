import { describe, expect, it } from 'vitest';
import {
  clearFilters,
  DEFAULT_VIEW,
  hasFilters,
  parseView,
  toListParams,
  writeView,
} from '../../web/src/features/accounts/account-view.ts';
import { accountsHref } from '../../web/src/features/dashboard/drill.ts';

describe('dashboard drill-downs in the Accounts URL', () => {
  it('round-trips through the URL into the list request', () => {
    const href = accountsHref({
      tier: ['A'],
      inMarket: true,
      drill: { uncovered: 'call', ownerId: 'u1', touchedFrom: '2026-11-23', touchedTo: '2026-11-29' },
    });
    expect(href).toBe(
      '/accounts?tier=A&inMarket=true&ownerId=u1&uncovered=call&touchedFrom=2026-11-23&touchedTo=2026-11-29',
    );
    const view = parseView(new URLSearchParams(href.split('?')[1]));
    expect(hasFilters(view)).toBe(true);
    expect(toListParams(view)).toMatchObject({
      tier: ['A'],
      inMarket: true,
      ownerId: 'u1',
      uncovered: 'call',
      touchedFrom: '2026-11-23',
      touchedTo: '2026-11-29',
    });
    expect(clearFilters(view).drill).toEqual({});
  });

  it('drops values the API would refuse', () => {
    const view = parseView(
      new URLSearchParams('covered=fax&touchedFrom=yesterday&overdue=maybe&objectionId=%20'),
    );
    expect(view.drill).toEqual({});
    expect(writeView(DEFAULT_VIEW).toString()).toBe('');
    expect(accountsHref({ stage: ['prospect'], drill: { overdue: true } })).toBe(
      '/accounts?stage=prospect&overdue=true',
    );
  });
});
