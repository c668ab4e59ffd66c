/*
 * Database errors that are the request's fault, not the server's. PostgreSQL refuses some values SQLite takes
 * (SQLSTATE class 22, "data exception"): text with a NUL character (22021), a number beyond its column's type
 * (22003), a malformed date or number literal (22007, 22008, 22P02). The server answers those with 400 and a
 * message saying what to change, instead of a 500 (server/errors.ts).
 */

import { type Message, msg } from '../domain/messages.ts';

interface PgErrorLike {
  code: string;
  severity: string;
  message: string;
}

function isPgError(error: unknown): error is PgErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { severity?: unknown }).severity === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** A user-facing message when `error` is a database refusal of a value in the request; null otherwise. */
export function invalidValueMessage(error: unknown): Message | null {
  if (!isPgError(error) || !error.code.startsWith('22')) return null;
  switch (error.code) {
    case '22021':
    case '22P05':
      return msg('request.value_not_text');
    case '22003':
      return msg('request.number_out_of_range');
    default:
      // PostgreSQL's own words (English) for what it refused.
      return msg('request.value_refused', { reason: error.message });
  }
}

/**
 * PostgreSQL gave up one of two transactions to let the other finish: a deadlock (40P01) or a serialization
 * failure (40001). The loser rolled back entirely, so running it again is safe.
 */
export function isTransientConflict(error: unknown): boolean {
  return isPgError(error) && (error.code === '40P01' || error.code === '40001');
}

/**
 * A row refused because `table.column` must be unique: PostgreSQL's 23505 on that table and key, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE naming that column. A service that checked first still meets it when another
 * transaction inserted the same value and committed between its check and its insert (PostgreSQL lets both check
 * before either commits); it answers the same conflict as its check would.
 */
export function isUniqueViolation(error: unknown, table: string, column: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, detail } = error as { code?: unknown; message?: unknown; detail?: unknown };
  if (code === '23505') {
    return (
      (error as { table?: unknown }).table === table &&
      typeof detail === 'string' &&
      detail.startsWith(`Key (${column})=`)
    );
  }
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof message === 'string' &&
    message.includes(`${table}.${column}`)
  );
}
