import { z } from 'zod';
import { pageOf, ZId, ZPageQuery } from './common.ts';

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'expected a date (YYYY-MM-DD) or an ISO-8601 time with its offset',
  );

export const ZAuditQuery = ZPageQuery.extend({
  entity: z.string().max(64).optional().describe('e.g. account, user, team, territory, session, api_token'),
  entityId: ZId.optional(),
  userId: ZId.optional().describe('Who made the change'),
  action: z.string().max(64).optional(),
  from: instant.optional().describe('From this time (inclusive); a date means its start, in UTC'),
  to: instant.optional().describe('Until this time (exclusive); a date means the whole day, in UTC'),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;
export type TAuditQueryInput = z.input<typeof ZAuditQuery>;

export const ZAuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    userId: z.string().nullable(),
    userName: z.string().nullable(),
    entity: z.string(),
    entityId: z.string().nullable(),
    action: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditPage = pageOf(ZAuditEntry).meta({ id: 'AuditPage' });
export type TAuditPage = z.infer<typeof ZAuditPage>;
