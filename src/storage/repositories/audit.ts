import { newId } from '../ids.ts';
import type { Executor } from './accounts.ts';

export interface AuditEntry {
  userId: string | null;
  entity: string;
  entityId: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
  at: string;
}

/** Appends to the audit log in the caller's transaction, so the record and its audit entry commit together. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: entry.at,
      user_id: entry.userId,
      entity: entry.entity,
      entity_id: entry.entityId,
      action: entry.action,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/** Appends many entries at once (bulk hand-overs), in the caller's transaction. */
export async function recordAudits(db: Executor, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    await db
      .insertInto('audit_log')
      .values(
        entries.slice(i, i + 500).map((entry) => ({
          id: newId(),
          at: entry.at,
          user_id: entry.userId,
          entity: entry.entity,
          entity_id: entry.entityId,
          action: entry.action,
          before: entry.before === undefined ? null : JSON.stringify(entry.before),
          after: entry.after === undefined ? null : JSON.stringify(entry.after),
        })),
      )
      .execute();
  }
}
