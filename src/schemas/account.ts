import { z } from 'zod';
import {
  pageOf,
  ZChannel,
  ZId,
  ZLocalDate,
  ZPageQuery,
  ZPipelineStage,
  ZQueryBool,
  ZTier,
} from './common.ts';

const yuan = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().max(max);

export const ZAccount = z
  .object({
    id: z.string(),
    name: z.string(),
    normalizedName: z.string(),
    uscc: z.string().nullable().describe('Unified social credit code (统一社会信用代码), 18 characters'),
    registrationId: z.string().nullable().describe('Other registration id when there is no USCC'),
    website: z.string().nullable().describe('Website reduced to its domain'),
    province: z.string().nullable(),
    city: z.string().nullable(),
    district: z.string().nullable(),
    address: z.string().nullable(),
    industry: z.string().nullable(),
    annualSales: z.number().nullable().describe('Annual sales in yuan'),
    employeesMin: z.number().int().nullable(),
    employeesMax: z.number().int().nullable(),
    netAssets: z.number().nullable().describe('Net assets in yuan'),
    registeredCapital: z.number().nullable().describe('Registered capital in yuan'),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    customFields: z.record(z.string(), z.string()),
    potentialScore: z.number().nullable(),
    inMarket: z.boolean(),
    marketVersion: z.number().int().nullable(),
    tier: ZTier.nullable().describe('Effective tier: the override when set, else the computed tier'),
    tierOverride: ZTier.nullable(),
    tierOverrideReason: z.string().nullable(),
    stage: ZPipelineStage,
    ownerId: z.string().nullable(),
    territoryId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Account' });
export type TAccount = z.infer<typeof ZAccount>;

const accountFields = {
  uscc: text(18).toUpperCase().nullish(),
  registrationId: text(64).nullish(),
  website: text(253).nullish(),
  province: text(64).nullish(),
  city: text(64).nullish(),
  district: text(64).nullish(),
  address: text(500).nullish(),
  industry: text(128).nullish(),
  annualSales: yuan.nullish(),
  employeesMin: z.number().int().min(0).nullish(),
  employeesMax: z.number().int().min(0).nullish(),
  netAssets: z.number().int().max(Number.MAX_SAFE_INTEGER).nullish(),
  registeredCapital: yuan.nullish(),
  phone: text(64).nullish(),
  email: text(254).nullish(),
  customFields: z.record(z.string().max(128), z.string().max(2000)).optional(),
  stage: ZPipelineStage.optional(),
  ownerId: z.string().nullish(),
  territoryId: z.string().nullish(),
};

export const ZAccountCreate = z
  .object({
    name: text(300).min(1, 'company name is required'),
    ...accountFields,
    allowSimilarName: z
      .boolean()
      .optional()
      .describe(
        'Add it even though an account with the same normalised name in the same city exists (a different company). A matching credit code or website domain is always refused (409 duplicate_account)',
      ),
  })
  .refine((a) => a.employeesMin == null || a.employeesMax == null || a.employeesMin <= a.employeesMax, {
    message: 'employeesMin must not exceed employeesMax',
    path: ['employeesMax'],
  })
  .meta({ id: 'AccountCreate' });
export type TAccountCreate = z.infer<typeof ZAccountCreate>;

export const ZAccountUpdate = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale version answers 409'),
    name: text(300).min(1).optional(),
    ...accountFields,
    allowSimilarName: z
      .boolean()
      .optional()
      .describe(
        'Save a changed name or city even though another account has the same normalised name in the same city (a different company). A credit code or website domain another account has is always refused (409 duplicate_account)',
      ),
  })
  .meta({ id: 'AccountUpdate' });
export type TAccountUpdate = z.infer<typeof ZAccountUpdate>;

export const ACCOUNT_SORTS = [
  'name',
  'annualSales',
  'employees',
  'netAssets',
  'tier',
  'province',
  'city',
  'stage',
  'createdAt',
  'updatedAt',
] as const;

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

export const ZAccountListQuery = ZPageQuery.extend({
  search: z
    .string()
    .trim()
    .max(200)
    // SQLite's LIKE ends a pattern at a NUL (so "\0" would match every account); no text holds one anyway.
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character (\\u0000)')
    .optional()
    .describe('Fragment of the name, USCC, phone or website'),
  tier: csv.pipe(z.array(z.enum([...ZTier.options, 'none']))).optional(),
  inMarket: ZQueryBool.optional(),
  province: csv.optional(),
  city: csv.optional(),
  district: csv.optional(),
  industry: csv.optional(),
  stage: csv.pipe(z.array(ZPipelineStage)).optional(),
  ownerId: ZId.optional(),
  unassigned: ZQueryBool.optional().describe(
    "true: only accounts nobody owns (e.g. imported by an admin without an owner; a manager sees those in the team's territories); false: only owned ones",
  ),
  sourceId: ZId.optional(),
  overdue: ZQueryBool.optional().describe(
    'true: only accounts with a planned call or visit due before today (workspace time zone) still open; false: only those without',
  ),
  // Drill-downs from the dashboard (services/dashboard.ts, storage/repositories/account-activity.ts).
  covered: ZChannel.optional().describe(
    "Only in-market accounts touched on this channel within their tier's cadence interval (as of today)",
  ),
  uncovered: ZChannel.optional().describe(
    "Only in-market accounts not touched on this channel within their tier's cadence interval (as of today)",
  ),
  touchedFrom: ZLocalDate.optional().describe(
    'Only accounts with a call or visit logged on or after this day',
  ),
  touchedTo: ZLocalDate.optional().describe('…on or before this day'),
  objectionId: ZId.optional().describe('Only accounts where a logged touch met this objection (id)'),
  plannedFrom: ZLocalDate.optional().describe(
    'Only accounts with a call or visit planned (open or done) from this day',
  ),
  plannedTo: ZLocalDate.optional().describe('…to this day'),
  channel: ZChannel.optional().describe(
    'Narrows touchedFrom/To, objectionId and plannedFrom/To to calls or visits',
  ),
  byRep: ZId.optional().describe(
    'Narrows touchedFrom/To and objectionId to touches logged by this user, plannedFrom/To to theirs',
  ),
  sort: z.enum(ACCOUNT_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type TAccountListQuery = z.infer<typeof ZAccountListQuery>;
export type TAccountListInput = z.input<typeof ZAccountListQuery>;

export const ZAccountPage = pageOf(ZAccount).meta({ id: 'AccountPage' });
export type TAccountPage = z.infer<typeof ZAccountPage>;

export const ZAccountFacets = z.object({
  provinces: z.array(z.object({ value: z.string(), count: z.number().int() })),
  cities: z.array(z.object({ value: z.string(), province: z.string().nullable(), count: z.number().int() })),
  industries: z.array(z.object({ value: z.string(), count: z.number().int() })),
});
export type TAccountFacets = z.infer<typeof ZAccountFacets>;
