import { z } from 'zod';

export const ZTier = z.enum(['A', 'B', 'C']);
export type TTier = z.infer<typeof ZTier>;

export const ZChannel = z.enum(['call', 'visit']);
export type TChannel = z.infer<typeof ZChannel>;

export const ZPipelineStage = z.enum([
  'prospect',
  'contacted',
  'meeting',
  'proposal',
  'won',
  'lost',
  'dormant',
]);
export type TPipelineStage = z.infer<typeof ZPipelineStage>;

export const ZOutcome = z.enum(['reached', 'no_answer', 'meeting_booked', 'refused', 'other']);
export type TOutcome = z.infer<typeof ZOutcome>;

export const ZRole = z.enum(['admin', 'manager', 'rep']);
export type TRole = z.infer<typeof ZRole>;

/**
 * An id a request names (of a record, or where the field says so its code or e-mail, hence `maxChars`): never
 * empty. An empty value is refused (400 naming the field) rather than read as "not given", which would widen the
 * request: `ownerId=` would list every owner's accounts, `repId=` commit every rep's plan. Every optional id of a
 * query string (and of a body) is one of these; `test/server/openapi-contract.test.ts` sends each of them empty.
 */
export const idOf = (maxChars = 64) => z.string().min(1).max(maxChars);

/** A record's id as a request names it (see `idOf`). */
export const ZId = idOf();

/** The id of the rep whose plan, agenda, goals or calendar a request is about (see `idOf`). */
export const ZRepId = ZId;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' as the server writes dates (responses); requests take ZLocalDate, which also checks the day. */
export const ZIsoDate = z.string().regex(DATE_PATTERN, 'expected a date as YYYY-MM-DD');

/**
 * 'YYYY-MM-DD' naming a day that exists (not 2026-02-30): every date a request gives. One refusal per value
 * (a value that is not YYYY-MM-DD at all is not also said not to exist).
 */
export const ZLocalDate = z
  .string()
  .regex(DATE_PATTERN, { error: 'expected a date as YYYY-MM-DD', abort: true })
  .refine((value) => {
    const at = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
  }, 'expected an existing calendar date as YYYY-MM-DD');

export const ZErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .record(z.string(), z.unknown())
        .default({})
        .describe(
          'What the refusal is about: `issues` (each refused value by its path), `field`, `current`, … (`{}` when the message says it all); always present',
        ),
    }),
  })
  .meta({ id: 'Error' });
export type TErrorBody = z.infer<typeof ZErrorBody>;

/** Query-string booleans: "true"/"1" and "false"/"0". */
export const ZQueryBool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
