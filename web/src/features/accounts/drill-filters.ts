import type { TAccountListQuery } from '../../../../src/schemas/account.ts';

/**
 * The accounts list's drill-down filters (from the dashboard): who owns the account, what was logged, planned
 * or is due. Kept in the URL under the API's own parameter names, so a drill-down link is the list request.
 */
export type DrillFilters = Partial<
  Pick<
    TAccountListQuery,
    | 'ownerId'
    | 'unassigned'
    | 'overdue'
    | 'covered'
    | 'uncovered'
    | 'touchedFrom'
    | 'touchedTo'
    | 'objectionId'
    | 'plannedFrom'
    | 'plannedTo'
    | 'channel'
    | 'byRep'
  >
>;

export const DRILL_PARAMS = [
  'ownerId',
  'unassigned',
  'overdue',
  'covered',
  'uncovered',
  'touchedFrom',
  'touchedTo',
  'objectionId',
  'plannedFrom',
  'plannedTo',
  'channel',
  'byRep',
] as const satisfies readonly (keyof DrillFilters)[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const channel = (raw: string | null) => (raw === 'call' || raw === 'visit' ? raw : undefined);
const date = (raw: string | null) => (raw && DATE.test(raw) ? raw : undefined);
const id = (raw: string | null) => raw?.trim() || undefined;

/** Reads the drill-down filters from the URL, dropping values the API would refuse. */
export function parseDrill(params: URLSearchParams): DrillFilters {
  const overdue = params.get('overdue');
  const drill: DrillFilters = {
    ownerId: id(params.get('ownerId')),
    // Only "nobody owns it" is offered (the Owner filter's Unassigned); an owner named wins over it.
    unassigned: params.get('unassigned') === 'true' && !id(params.get('ownerId')) ? true : undefined,
    overdue: overdue === 'true' ? true : overdue === 'false' ? false : undefined,
    covered: channel(params.get('covered')),
    uncovered: channel(params.get('uncovered')),
    touchedFrom: date(params.get('touchedFrom')),
    touchedTo: date(params.get('touchedTo')),
    objectionId: id(params.get('objectionId')),
    plannedFrom: date(params.get('plannedFrom')),
    plannedTo: date(params.get('plannedTo')),
    channel: channel(params.get('channel')),
    byRep: id(params.get('byRep')),
  };
  return Object.fromEntries(Object.entries(drill).filter(([, v]) => v !== undefined)) as DrillFilters;
}

/** Writes the drill-down filters into `params` (which the caller has cleared of DRILL_PARAMS). */
export function writeDrill(drill: DrillFilters, params: URLSearchParams): void {
  for (const key of DRILL_PARAMS) {
    const value = drill[key];
    if (value !== undefined) params.set(key, String(value));
  }
}

export function hasDrill(drill: DrillFilters): boolean {
  return DRILL_PARAMS.some((key) => drill[key] !== undefined);
}
