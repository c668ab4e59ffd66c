import { z } from 'zod';
import { ZRole } from './common.ts';
import { ZCallsPerDay, ZHolidayCountry, ZVisitsPerDay } from './plan.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address like name@example.com');
const name = z.string().trim().min(1, 'a name is required').max(100);
const locale = z.enum(['zh-CN', 'en']);
const id = z.string().min(1).max(64);

/** A user as the API shows them: never the password hash, only whether one is set. */
export const ZUser = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: ZRole,
    teamId: z.string().nullable(),
    locale: z.string(),
    callsPerDay: z.number().int().nullable(),
    visitsPerDay: z.number().int().nullable(),
    hasPassword: z.boolean(),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z
      .number()
      .int()
      .describe(
        'Goes up by one with every change of the person or their working calendar (days off, holidays); send it back with an edit',
      ),
  })
  .meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

export const ZUserCreate = z
  .object({
    email,
    name,
    role: ZRole,
    teamId: id.nullish().describe("The user's team; a manager adding a rep may leave it out (their team)"),
    password: z
      .string()
      .max(1024)
      .optional()
      .describe('At least 10 characters; without it the user cannot sign in'),
    locale: locale.optional(),
    callsPerDay: ZCallsPerDay.nullish(),
    visitsPerDay: ZVisitsPerDay.nullish(),
  })
  .meta({ id: 'UserCreate' });
export type TUserCreate = z.infer<typeof ZUserCreate>;

export const ZUserUpdate = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'The version you read; a stale one answers 409 version_conflict with the person as they are now. Required for every change except your own language alone (the language switch), which needs none and leaves the version as it is',
      ),
    name: name.optional(),
    email: email.optional(),
    role: ZRole.optional(),
    teamId: id.nullish(),
    locale: locale.optional(),
    callsPerDay: ZCallsPerDay.nullish(),
    visitsPerDay: ZVisitsPerDay.nullish(),
    password: z.string().max(1024).optional().describe('Sets a new password and ends the user’s sessions'),
  })
  .meta({ id: 'UserUpdate' });
export type TUserUpdate = z.infer<typeof ZUserUpdate>;

export const ZUserList = z.object({ items: z.array(ZUser) }).meta({ id: 'UserList' });

export const ZTeam = z
  .object({
    id: z.string(),
    name: z.string(),
    managerId: z.string().nullable(),
    memberCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().describe('Goes up by one with every change; send it back with an edit'),
  })
  .meta({ id: 'Team' });
export type TTeam = z.infer<typeof ZTeam>;

export const ZTeamCreate = z.object({ name, managerId: id.nullish() }).meta({ id: 'TeamCreate' });
export type TTeamCreate = z.infer<typeof ZTeamCreate>;
const editedVersion = (what: string) =>
  z
    .number()
    .int()
    .min(1)
    .describe(`The version you read; a stale one answers 409 version_conflict with the ${what} as it is now`);

export const ZTeamUpdate = z
  .object({ version: editedVersion('team'), name: name.optional(), managerId: id.nullish() })
  .meta({ id: 'TeamUpdate' });
export type TTeamUpdate = z.infer<typeof ZTeamUpdate>;
export const ZTeamList = z.object({ items: z.array(ZTeam) }).meta({ id: 'TeamList' });

const places = z.array(z.string().trim().min(1).max(64)).max(500);

export const ZTerritory = z
  .object({
    id: z.string(),
    name: z.string(),
    repId: z.string().nullable(),
    provinces: z.array(z.string()),
    cities: z.array(z.string()),
    districts: z
      .array(z.string())
      .describe('District names; "城市/区县" (e.g. "南京市/鼓楼区") limits a district to one city'),
    accountIds: z.array(z.string()).describe('Accounts listed explicitly, wherever they are'),
    accountCount: z.number().int().describe('Accounts whose territory is this one'),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().describe('Goes up by one with every change; send it back with an edit'),
  })
  .meta({ id: 'Territory' });
export type TTerritory = z.infer<typeof ZTerritory>;

export const ZTerritoryCreate = z
  .object({
    name,
    repId: id.nullish(),
    provinces: places.default([]),
    cities: places.default([]),
    districts: places.default([]),
    accountIds: z.array(id).max(10_000).default([]),
  })
  .meta({ id: 'TerritoryCreate' });
export type TTerritoryCreate = z.input<typeof ZTerritoryCreate>;

export const ZTerritoryUpdate = z
  .object({
    version: editedVersion('territory'),
    name: name.optional(),
    repId: id.nullish(),
    provinces: places.optional(),
    cities: places.optional(),
    districts: places.optional(),
    accountIds: z.array(id).max(10_000).optional(),
  })
  .meta({ id: 'TerritoryUpdate' });
export type TTerritoryUpdate = z.infer<typeof ZTerritoryUpdate>;
export const ZTerritoryList = z.object({ items: z.array(ZTerritory) }).meta({ id: 'TerritoryList' });

export const ZAccountAssign = z
  .object({
    accountIds: z.array(id).min(1).max(10_000).optional().describe('These accounts…'),
    fromUserId: id.optional().describe('…or every account a user owns (a rep leaving)'),
    toUserId: id.describe('The rep (or manager) who takes them over'),
  })
  .refine((v) => (v.accountIds ? 1 : 0) + (v.fromUserId ? 1 : 0) === 1, {
    message: 'give either accountIds or fromUserId',
    path: ['accountIds'],
  })
  .meta({ id: 'AccountAssign' });
export type TAccountAssign = z.infer<typeof ZAccountAssign>;

export const ZAccountAssignResult = z
  .object({
    accounts: z.number().int().describe('Accounts handed over'),
    plannedTouches: z.number().int().describe('Planned calls and visits moved to the new rep'),
  })
  .meta({ id: 'AccountAssignResult' });
export type TAccountAssignResult = z.infer<typeof ZAccountAssignResult>;

/** One person on the Team page: the user, their team and territories, and (when you may see it) their work. */
export const ZPersonOverview = ZUser.extend({
  teamName: z.string().nullable(),
  territories: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe('Territories whose rep this person is (a rep sees only their own)'),
  capacity: z
    .object({
      callsPerDay: z.number().int(),
      visitsPerDay: z.number().int(),
      fromWorkspace: z.boolean().describe('No capacity of their own: the workspace default applies'),
    })
    .describe('Calls and visits per day the plan uses for this person'),
  work: z
    .object({
      accountCount: z.number().int().describe('Accounts this person owns'),
      plannedAhead: z.number().int().describe('Open planned calls and visits due today or later'),
      overdue: z.number().int().describe('Open planned calls and visits due before today'),
      daysOff: z.array(z.string()).describe('Their own days off from today on (YYYY-MM-DD)'),
      holidays: ZHolidayCountry.nullable().describe(
        "Their own public-holiday schedule, or null when the workspace's applies",
      ),
      lastPlan: z
        .object({
          id: z.string(),
          scope: z
            .enum(['rep', 'workspace'])
            .describe('Their own plan, or a plan of every account committed after it (which covers theirs)'),
          createdAt: z.string(),
          startsOn: z.string(),
          months: z.number().int(),
          acceptedOverload: z.boolean(),
        })
        .nullable()
        .describe(
          'The plan in force for them, as the Plan page shows it: their own latest plan, or the latest plan of every account when that is newer; null when none was ever committed',
        ),
    })
    .nullable()
    .describe("Null when you may not see this person's numbers (a rep looking at a team mate)"),
}).meta({ id: 'PersonOverview' });
export type TPersonOverview = z.infer<typeof ZPersonOverview>;

export const ZPeopleOverview = z
  .object({ today: z.string(), items: z.array(ZPersonOverview) })
  .meta({ id: 'PeopleOverview' });
export type TPeopleOverview = z.infer<typeof ZPeopleOverview>;

export const ZHandOverPreview = z
  .object({
    userId: z.string(),
    accounts: z.number().int().describe('Accounts a hand-over would move'),
    plannedTouches: z.number().int().describe('Open planned calls and visits that would move with them'),
    territories: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('Territories still assigned to this person (not moved by a hand-over)'),
  })
  .meta({ id: 'HandOverPreview' });
export type THandOverPreview = z.infer<typeof ZHandOverPreview>;
