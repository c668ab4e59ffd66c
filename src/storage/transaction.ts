import type { Kysely, Transaction } from 'kysely';
import { isTransientConflict } from './db-errors.ts';
import type { Database } from './tables.ts';

const ATTEMPTS = 4;

/**
 * Runs `work` in one transaction; when PostgreSQL aborts it to break a deadlock or a serialization conflict with
 * another transaction, runs it again (up to 4 attempts, with a short random pause), so the client never sees an
 * error that only means "two writers met". `work` must have no effects outside the transaction (it may run more
 * than once). Used where concurrent writers on the same rows are expected: logging touches while plans are saved.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
