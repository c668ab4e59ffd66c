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

/**
 * Ids for many rows made at once (a plan's touches): the layout of newId, one random prefix for the batch and a
 * counter in the last 48 bits, so the ids ascend in the order they are made. Inserted in that order they append to
 * the primary key index instead of landing on random pages of it (~1 µs less CPU per planned touch on SQLite).
 * The counter starts at a random value below 2^47, so a batch never wraps; two batches of the same millisecond
 * collide only if their 26 random prefix bits agree and their counter ranges overlap.
 */
export function newIdSequence(now: number = Date.now()): () => string {
  const stamp = Math.floor(now).toString(16).padStart(12, '0');
  const random = randomUUID();
  // random: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep "xxx-Vxxx-" and count on from its last 12 digits.
  const prefix = `${stamp.slice(0, 8)}-${stamp.slice(8, 12)}-7${random.slice(15, 24)}`;
  let counter = Number.parseInt(random.slice(24, 36), 16) % 2 ** 47;
  return () => prefix + (counter++).toString(16).padStart(12, '0');
}
