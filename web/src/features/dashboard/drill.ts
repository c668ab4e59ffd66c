import type { TDashboard } from '../../api/dashboard.ts';
import { type AccountView, DEFAULT_VIEW, writeView } from '../accounts/account-view.ts';
import type { DrillFilters } from '../accounts/drill-filters.ts';

/** A link to the Accounts page showing exactly the accounts behind a figure (the list's URL filters). */
export function accountsHref(change: Partial<AccountView>): string {
  const query = writeView({ ...DEFAULT_VIEW, ...change }).toString();
  return query ? `/accounts?${query}` : '/accounts';
}

/**
 * The filters that keep a drill-down in the dashboard's scope: one rep's own accounts (`ownerId`) for account
 * figures, the touches they logged or hold (`byRep`) for touch figures. A manager's or admin's whole scope
 * needs nothing: the server limits the list to what the caller may see.
 */
export function scopeDrill(scope: TDashboard['scope'], kind: 'accounts' | 'touches'): DrillFilters {
  if (!scope.repId) return {};
  return kind === 'accounts' ? { ownerId: scope.repId } : { byRep: scope.repId };
}
