import { ApiError } from './client.ts';

/**
 * The record as it is now, carried by a 409 `version_conflict` answer (someone else saved it since it was read:
 * the edit was not saved); null for any other failure. Every edit of a versioned record (an account, an objection,
 * a saved view, the workspace settings, the cadence, a territory, a team, a person and their days off, the target
 * market) answers so: the form shows the current record and lets the user apply their change on top of it.
 */
export function conflictCurrent<T>(error: unknown): T | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'version_conflict') return null;
  const details = error.details as { current?: T | null } | undefined;
  return details?.current ?? null;
}
