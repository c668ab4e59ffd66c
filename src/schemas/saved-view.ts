import { z } from 'zod';
import { ACCOUNT_SORTS } from './account.ts';
import { ZId, ZPipelineStage, ZTier } from './common.ts';

const values = (max: number) => z.array(z.string().trim().min(1).max(max)).max(200);

/**
 * The Accounts list request as JSON (what the web app sends to GET /api/accounts, without the page): the
 * filters of a saved view or a bulk action. Other filters the list accepts (ZAccountListQuery) may be given too,
 * as plain values; every key is checked against ZAccountListQuery before use, and one it does not know is refused.
 */
export const ZAccountQueryJson = z
  .object({
    search: z.string().trim().max(200).optional(),
    tier: z
      .array(z.union([ZTier, z.literal('none')]))
      .max(4)
      .optional(),
    inMarket: z.boolean().optional(),
    province: values(64).optional(),
    city: values(64).optional(),
    district: values(64).optional(),
    industry: values(128).optional(),
    stage: z.array(ZPipelineStage).max(7).optional(),
    ownerId: ZId.optional(),
    sourceId: ZId.optional(),
    overdue: z.boolean().optional(),
    sort: z.enum(ACCOUNT_SORTS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    pageSize: z.number().int().min(1).max(500).optional(),
  })
  .catchall(z.union([z.string().max(200), z.boolean(), z.number(), z.array(z.string().max(200)).max(200)]))
  .meta({ id: 'AccountQueryJson' });
export type TAccountQueryJson = z.infer<typeof ZAccountQueryJson>;

/** The Accounts table's columns a view can show or hide (the company name is always shown). */
export const ACCOUNT_COLUMNS = [
  'tier',
  'location',
  'industry',
  'annualSales',
  'employees',
  'netAssets',
  'stage',
  'inMarket',
] as const;
export const ZAccountColumn = z.enum(ACCOUNT_COLUMNS);
export type TAccountColumn = z.infer<typeof ZAccountColumn>;

const ZColumns = z
  .array(ZAccountColumn)
  .max(ACCOUNT_COLUMNS.length)
  .refine((columns) => new Set(columns).size === columns.length, 'a column is listed twice')
  .nullable()
  .describe('Visible columns in order; null shows the default columns');

const ZViewName = z
  .string()
  .trim()
  .min(1, 'give the view a name')
  .max(80, 'a view name has at most 80 characters');

export const ZSavedView = z
  .object({
    id: z.string(),
    name: z.string(),
    query: ZAccountQueryJson,
    columns: z.array(ZAccountColumn).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'SavedView' });
export type TSavedView = z.infer<typeof ZSavedView>;

export const ZSavedViewList = z.object({ items: z.array(ZSavedView) }).meta({ id: 'SavedViewList' });
export type TSavedViewList = z.infer<typeof ZSavedViewList>;

export const ZSavedViewCreate = z
  .object({ name: ZViewName, query: ZAccountQueryJson, columns: ZColumns.optional() })
  .meta({ id: 'SavedViewCreate' });
export type TSavedViewCreate = z.infer<typeof ZSavedViewCreate>;

export const ZSavedViewUpdate = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale version answers 409'),
    name: ZViewName.optional(),
    query: ZAccountQueryJson.optional(),
    columns: ZColumns.optional(),
  })
  .meta({ id: 'SavedViewUpdate' });
export type TSavedViewUpdate = z.infer<typeof ZSavedViewUpdate>;
