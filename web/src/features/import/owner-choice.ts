import type { TRole } from '../../../../src/schemas/common.ts';

// Who owns the accounts an import creates (POST /api/imports/:id/start `ownerId`, services/import-prospects.ts
// resolveImportOwner): a rep's are the rep's, no choice; a manager gives them to themselves (the default) or to
// someone of the team, never to nobody, so that what they import stays in their sight; an admin leaves them without
// an owner (the default, found on Accounts under Owner: Unassigned) or gives them to anyone.

/** The choice "nobody" (an admin's default). */
export const OWNER_NONE = '__none__';

export interface Importer {
  id: string;
  role: TRole;
}

/** The choice the wizard starts with: the importer when a rep or a manager, nobody for an admin. */
export function defaultOwnerChoice(importer: Importer): string {
  return importer.role === 'admin' ? OWNER_NONE : importer.id;
}

/** Whether the importer chooses at all (a rep's new accounts are always the rep's). */
export function choosesOwner(importer: Importer): boolean {
  return importer.role !== 'rep';
}

/** What …/start is sent: nothing for a rep (the server's default), null for nobody, else the person's id. */
export function ownerIdToSend(importer: Importer, choice: string | null): string | null | undefined {
  if (!choosesOwner(importer) || choice === null) return undefined;
  return choice === OWNER_NONE ? null : choice;
}

/**
 * The people offered, first the importer ("you"), then the others by name as given; "nobody" only for an admin.
 * `people` are the users the importer may see (GET /api/users: a manager's team, everyone for an admin).
 */
export function ownerOptions(
  importer: Importer,
  people: readonly { id: string; name: string; role: TRole; disabledAt?: string | null }[],
  labels: { me: (name: string) => string; none: string },
  myName: string,
): { value: string; label: string }[] {
  const options: { value: string; label: string }[] = [];
  if (importer.role === 'admin') options.push({ value: OWNER_NONE, label: labels.none });
  else options.push({ value: importer.id, label: labels.me(myName) });
  for (const person of people) {
    if (person.id === importer.id || person.role === 'admin' || person.disabledAt) continue;
    options.push({ value: person.id, label: person.name });
  }
  return options;
}
