import type { TSessionUser } from '../../../../src/schemas/auth.ts';
import type { TPersonOverview } from '../../../../src/schemas/people.ts';
import { ApiError } from '../../api/client.ts';

// Who may do what on the Team page, mirroring the services (the server checks every step anyway): admins
// everything; a manager adds, edits, disables and hands over the reps of their team and keeps its
// territories; a rep reads their team and sets their own days off.

export type Viewer = Pick<TSessionUser, 'id' | 'role' | 'teamId'>;

export const canAddPeople = (viewer: Viewer) => viewer.role === 'admin' || viewer.role === 'manager';
export const canManageTeams = (viewer: Viewer) => viewer.role === 'admin';
export const canManageTerritories = (viewer: Viewer) => viewer.role === 'admin' || viewer.role === 'manager';

/** Edit, disable and hand over: admins anyone; managers the reps of their team. */
export function canManagePerson(viewer: Viewer, person: TPersonOverview): boolean {
  if (viewer.role === 'admin') return true;
  return viewer.role === 'manager' && person.role === 'rep';
}

/** Days off: the person themselves, their manager, admins. */
export function canSetDaysOff(viewer: Viewer, person: TPersonOverview): boolean {
  return person.id === viewer.id || canManagePerson(viewer, person);
}

/**
 * Whether a person's card shows capacity, plan and days off: the figures of someone planned. Reps are; a manager
 * or an admin only when they hold accounts or touches of their own (plans are made for reps), so a manager's card
 * does not read "no plan committed · 0 touches ahead".
 */
export function showsPlanning(person: TPersonOverview): boolean {
  if (person.role === 'rep') return true;
  const work = person.work;
  return (
    work != null && (work.accountCount > 0 || work.lastPlan != null || work.plannedAhead + work.overdue > 0)
  );
}

/**
 * The hint over the people, as it is for the viewer: a rep sees their own figures only, a manager their reps',
 * an admin everyone's.
 */
export function peopleHintKey(
  viewer: Viewer,
): 'people.people.hintRep' | 'people.people.hintManager' | 'people.people.hintAdmin' {
  if (viewer.role === 'rep') return 'people.people.hintRep';
  return viewer.role === 'manager' ? 'people.people.hintManager' : 'people.people.hintAdmin';
}

/** The form field an API error names (details.field), to show the message beside that field. */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { field?: unknown; issues?: { path?: unknown }[] } | undefined;
  if (typeof details?.field === 'string') return details.field;
  // A request the schema refused: "body.email" names the field.
  const path = details?.issues?.[0]?.path;
  return typeof path === 'string' ? (path.split('.')[1] ?? null) : null;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** People first by role (managers, reps, admins), then by name; disabled people last. */
export function sortPeople(people: readonly TPersonOverview[]): TPersonOverview[] {
  const order = { manager: 0, rep: 1, admin: 2 } as const;
  return [...people].sort(
    (a, b) =>
      Number(a.disabledAt !== null) - Number(b.disabledAt !== null) ||
      order[a.role] - order[b.role] ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
}
