import { randomUUID } from 'node:crypto';

// Time-ordered ids (UUIDv7 layout): generated in the app so both databases get identical keys,
// and sortable so new rows cluster at the end of indexes.
// The 74 random bits come from randomUUID, whose entropy is drawn from a pooled CSPRNG buffer: a plan commit
// makes millions of ids and one randomBytes call per id cost more than the row insert itself.
export function newId(now: number = Date.now()): string {
  const stamp = Math.floor(now).toString(16).padStart(12, '0');
  // randomUUID: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its random "xxx-Vxxx-xxxxxxxxxxxx" (V: RFC 4122 variant).
  return `${stamp.slice(0, 8)}-${stamp.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
