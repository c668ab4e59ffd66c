import { z } from 'zod';
import { ZChannel, ZId, ZIsoDate, ZLocalDate, ZOutcome, ZRepId, ZTier } from './common.ts';
import { ZCallsPerDay, ZDayKind, ZVisitsPerDay } from './plan.ts';

export const ZPlanRequest = z
  .object({
    repId: ZRepId.optional().describe(
      'Plan this rep’s accounts; without it all in-market accounts form one workload',
    ),
    from: ZLocalDate.optional().describe(
      'First day (default: today in the workspace time zone): today or later, at most two years ahead (else 400 naming `from`)',
    ),
    months: z.number().int().min(1).max(24).optional(),
    callsPerDay: ZCallsPerDay.optional(),
    visitsPerDay: ZVisitsPerDay.optional(),
  })
  .meta({ id: 'PlanRequest' });
export type TPlanRequest = z.infer<typeof ZPlanRequest>;

export const ZPlanCommit = ZPlanRequest.extend({
  option: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Index of the capacity option to apply before committing'),
  acceptOverload: z.boolean().optional().describe('Commit although the plan exceeds capacity'),
}).meta({ id: 'PlanCommit' });
export type TPlanCommit = z.infer<typeof ZPlanCommit>;

const ZLoad = z.object({ total: z.number(), perWorkingDay: z.number(), perWeek: z.number() });
const ZRequiredLoad = ZLoad.extend({ byTier: z.record(ZTier, ZLoad) });
const ZChannelCapacity = z.object({ perDay: z.number(), perWeek: z.number(), total: z.number() });
const ZOptionResult = z.object({
  fits: z.boolean(),
  unplaced: z
    .number()
    .int()
    .optional()
    .describe('Touches that found no day within ±20% of their interval with this option applied, when any'),
  required: z.record(ZChannel, ZLoad),
  capacity: z.record(ZChannel, ZChannelCapacity),
});

export const ZCapacityOption = z.union([
  z.object({
    kind: z.enum(['demote-a-to-b', 'demote-b-to-c']),
    count: z.number().int(),
    accountIds: z.array(z.string()),
    result: ZOptionResult,
  }),
  z.object({
    kind: z.literal('stretch-interval'),
    tier: ZTier,
    channel: ZChannel,
    fromMonths: z.number(),
    intervalMonths: z.number(),
    result: ZOptionResult,
  }),
  z.object({
    kind: z.literal('raise-capacity'),
    channel: ZChannel,
    perDay: z.number(),
    result: ZOptionResult,
  }),
]);
export type TCapacityOption = z.infer<typeof ZCapacityOption>;

export const ZPlanResult = z
  .object({
    fits: z.boolean(),
    from: ZIsoDate,
    to: ZIsoDate.describe('Exclusive end of the horizon'),
    workingDays: z.number().int(),
    unpublishedYears: z
      .array(z.number().int())
      .describe('Years whose official holiday schedule is not published yet: planned on weekends only'),
    required: z.record(ZChannel, ZRequiredLoad),
    capacity: z.record(ZChannel, ZChannelCapacity),
    utilization: z
      .record(ZChannel, z.number().nullable())
      .describe('Required over capacity (1 = full); null where the capacity is 0 and touches are needed'),
    options: z.array(ZCapacityOption),
    overdue: z
      .object({ call: z.number().int(), visit: z.number().int() })
      .describe(
        "Overdue open touches of the plan's accounts (due before today), per channel: kept on Today, not replaced and not counted in required; each account's series goes on about one interval after the first day (a plan starting later also keeps, without counting them here, the touches due between today and its first day)",
      ),
    touches: z.number().int().describe('Touches placed'),
    unplaced: z.number().int().describe('Touches that found no room within ±20% of their interval'),
    accounts: z.number().int(),
    byMonth: z.array(z.object({ month: z.string(), calls: z.number().int(), visits: z.number().int() })),
    days: z.array(
      z.object({ date: ZIsoDate, working: z.boolean(), calls: z.number().int(), visits: z.number().int() }),
    ),
    committed: z.boolean(),
    planId: z.string().nullable(),
    appliedOption: ZCapacityOption.nullable(),
  })
  .meta({ id: 'PlanResult' });
export type TPlanResult = z.infer<typeof ZPlanResult>;

export const ZAgendaItem = z
  .object({
    touchId: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    tier: ZTier.nullable(),
    city: z.string().nullable(),
    district: z.string().nullable(),
    phone: z.string().nullable(),
    channel: ZChannel,
    dueOn: ZIsoDate,
    dueTime: z.string().nullable(),
    overdue: z.boolean(),
    overdueDays: z.number().int(),
    repId: z.string().nullable(),
    stage: z.string(),
    lastTouch: z
      .object({ at: z.string(), channel: ZChannel, outcome: ZOutcome, note: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: 'AgendaItem' });
export type TAgendaItem = z.infer<typeof ZAgendaItem>;

export const ZAgenda = z
  .object({
    date: ZIsoDate,
    timeZone: z
      .string()
      .describe(
        "The workspace's time zone (IANA name): dates are its days, and lastTouch.at falls on its day there",
      ),
    repId: z.string().nullable(),
    items: z.array(ZAgendaItem),
    counts: z
      .object({ overdue: z.number().int(), calls: z.number().int(), visits: z.number().int() })
      .describe('Every open touch due by this date, also those the list leaves out (see truncated)'),
    truncated: z
      .boolean()
      .describe(
        'True when more touches are open than the 5,000 items listed (the oldest due first): the list was cut, the counts were not',
      ),
    done: z
      .object({ calls: z.number().int(), visits: z.number().int() })
      .describe('Touches logged on this date'),
    goal: z.object({ calls: z.number().int(), visits: z.number().int() }).describe('Planned for this date'),
    next: z
      .object({ date: ZIsoDate, calls: z.number().int(), visits: z.number().int() })
      .nullable()
      .describe(
        'When nothing is open on this date: the next date with open planned touches and their number (a weekend, a holiday or a day off shows where the plan goes on); null otherwise or when no touch is planned after it',
      ),
    day: z
      .object({
        working: z
          .boolean()
          .describe('Whether the date is a working day (nothing new is planned on a day off)'),
        kind: ZDayKind,
        name: z
          .string()
          .nullable()
          .describe(
            'The holiday’s name (or the holiday a make-up workday is for), as the schedule gives it: Chinese and English, e.g. "国庆节 National Day"; null when it gives none',
          ),
      })
      .describe(
        "The date on the rep's working calendar (their public holidays and own days off; everyone's agenda: the workspace's holidays): working or not, and why",
      ),
  })
  .meta({ id: 'Agenda' });
export type TAgenda = z.infer<typeof ZAgenda>;

export const ZAgendaQuery = z.object({
  date: ZLocalDate.optional(),
  repId: ZRepId.optional(),
});

// Said whichever form was meant: zod reports a union's failure as the one branch not aborted ("yesterday" fails the
// date's pattern, so only the date-time's refusal would be said) or as the union's when both went further.
const TOUCH_AT_FORMS =
  'expected a date as YYYY-MM-DD or an ISO date-time with offset (e.g. 2026-10-05T14:30:00+08:00)';

/** A booked meeting's day, or day and time (24-hour), on the workspace's clock: 2026-12-02 or 2026-12-02T10:00. */
export const ZMeetingAt = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/, {
    error: 'expected a date as YYYY-MM-DD or a date and time as YYYY-MM-DDTHH:MM (e.g. 2026-12-02T10:00)',
    abort: true,
  })
  .refine((value) => ZLocalDate.safeParse(value.slice(0, 10)).success, 'expected an existing calendar date');

export const ZLogTouch = z
  .object({
    channel: ZChannel,
    outcome: ZOutcome,
    at: z
      .union([z.iso.datetime({ offset: true, error: TOUCH_AT_FORMS }), ZLocalDate], { error: TOUCH_AT_FORMS })
      .optional()
      .describe(
        'When it happened (default now): a date as YYYY-MM-DD (noon that day) or an ISO date-time with offset',
      ),
    objectionId: ZId.optional().describe('Objection met (id or code)'),
    responseId: ZId.optional().describe('Response used (id or code)'),
    note: z.string().trim().max(4000).optional(),
    nextStep: z.string().trim().max(1000).optional(),
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, "-" or "_" (a UUID, for example)')
      .optional()
      .describe(
        'An id the client makes for this log (a UUID). Sending the same log again with it (a retry after a lost answer, an offline outbox) answers the first log with 200 and `replayed: true` instead of logging the touch twice',
      ),
    meetingAt: ZMeetingAt.optional().describe(
      "With outcome `meeting_booked`: when the meeting is, on the workspace's clock, as YYYY-MM-DD or YYYY-MM-DDTHH:MM (today or later, at most a year ahead). A planned visit is put on that day (at that time) in place of the account's open visits, and the visit cadence continues from it; a day off for the rep is allowed (the answer's `meeting.day` says so)",
    ),
  })
  .meta({ id: 'LogTouch' });
export type TLogTouch = z.infer<typeof ZLogTouch>;

export const ZActivity = z
  .object({
    id: z.string(),
    accountId: z.string(),
    userId: z.string().nullable(),
    channel: ZChannel,
    occurredAt: z.string(),
    outcome: ZOutcome,
    objectionId: z.string().nullable(),
    responseId: z.string().nullable(),
    note: z.string().nullable(),
    nextStep: z.string().nullable(),
    plannedTouchId: z.string().nullable(),
  })
  .meta({ id: 'Activity' });
export type TActivity = z.infer<typeof ZActivity>;

export const ZLogTouchResult = z
  .object({
    activity: ZActivity,
    completedTouchId: z.string().nullable(),
    nextTouches: z.array(z.object({ id: z.string(), channel: ZChannel, dueOn: ZIsoDate })),
    stage: z.string(),
    replayed: z
      .boolean()
      .describe(
        'True when this log was sent before (same `clientId`): nothing new was logged, this is the first answer',
      ),
    retry: z
      .boolean()
      .describe(
        'A call nobody answered: the first of `nextTouches` is its retry, two working days on, not the next call of the cadence (false on a replay)',
      ),
    meeting: z
      .object({
        id: z.string().describe('The planned visit'),
        dueOn: ZIsoDate,
        dueTime: z
          .string()
          .nullable()
          .describe("HH:MM on the workspace's clock; null when only the day was given"),
        day: z
          .object({ working: z.boolean(), kind: ZDayKind, name: z.string().nullable() })
          .describe("The day on the rep's calendar: a meeting on a day off is booked all the same"),
      })
      .nullable()
      .describe(
        'The visit planned for the meeting (`meetingAt`); null without one (and on a replay, once the visit is no longer as booked)',
      ),
    coveredCalls: z
      .array(z.object({ id: z.string(), dueOn: ZIsoDate }))
      .describe(
        "A visit that reached someone: the account's open calls due by its day, covered by it (stored as skipped with the visit, not as calls made); the call cadence continues from the visit",
      ),
  })
  .meta({ id: 'LogTouchResult' });
export type TLogTouchResult = z.infer<typeof ZLogTouchResult>;

export const ZPlannedTouch = z
  .object({
    id: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    tier: ZTier.nullable(),
    city: z.string().nullable(),
    repId: z.string().nullable(),
    channel: ZChannel,
    dueOn: ZIsoDate,
    dueTime: z.string().nullable(),
    status: z.enum(['planned', 'done', 'skipped', 'cancelled']),
  })
  .meta({ id: 'PlannedTouch' });
export type TPlannedTouch = z.infer<typeof ZPlannedTouch>;

const ZCoverage = z.object({
  accounts: z.number().int(),
  covered: z.number().int(),
  share: z.number().nullable(),
  neverTouched: z.number().int(),
});

export const ZGoals = z
  .object({
    period: z.enum(['week', 'month']),
    timeZone: z.string().describe("The workspace's time zone (IANA name): the periods' dates are its days"),
    from: ZIsoDate,
    to: ZIsoDate.describe('Exclusive end'),
    repId: z.string().nullable(),
    goal: z
      .object({ calls: z.number().int(), visits: z.number().int() })
      .describe('Touches the plan holds in the period'),
    actual: z
      .object({ calls: z.number().int(), visits: z.number().int() })
      .describe('Touches logged in the period'),
    ratio: z.object({ calls: z.number().nullable(), visits: z.number().nullable() }),
    coverage: z
      .record(ZTier, z.record(ZChannel, ZCoverage))
      .describe('Share of each tier touched within its cadence'),
    overdue: z
      .object({
        total: z
          .number()
          .int()
          .describe('Open planned touches due before the day (as the agenda counts them)'),
        byTier: z.record(ZTier, z.record(ZChannel, z.number().int())),
        outOfMarket: z
          .record(ZChannel, z.number().int())
          .describe('Those of accounts outside the target market (no tier), also in total'),
      })
      .describe('Open planned touches due before the day'),
    history: z
      .array(
        z.object({
          key: z.string(),
          from: ZIsoDate,
          goal: z.object({ calls: z.number().int(), visits: z.number().int() }),
          actual: z.object({ calls: z.number().int(), visits: z.number().int() }),
        }),
      )
      .describe('The previous periods, oldest first, with the current one last'),
  })
  .meta({ id: 'Goals' });
export type TGoals = z.infer<typeof ZGoals>;

export const ZGoalsQuery = z.object({
  period: z.enum(['week', 'month']).default('week'),
  date: ZLocalDate.optional(),
  repId: ZRepId.optional(),
});

export const ZCommittedPlanQuery = z.object({
  repId: ZRepId.optional().describe(
    'Whose plan (default: your own; an admin without it: every account’s touches)',
  ),
  from: ZLocalDate.optional().describe('First day of the touches to list (with `to`)'),
  to: ZLocalDate.optional().describe('Exclusive end of the touches to list: at most 62 days after `from`'),
  replanFrom: ZLocalDate.optional().describe(
    'Also count the open touches a plan committed from this day would replace',
  ),
});
export type TCommittedPlanQuery = z.infer<typeof ZCommittedPlanQuery>;

/** A planned touch as the committed plan lists it: open or done, and whether an open one is overdue. */
export const ZCommittedTouch = ZPlannedTouch.extend({
  status: z.enum(['planned', 'done']),
  overdue: z.boolean().describe('Still open and due before today'),
}).meta({ id: 'CommittedTouch' });
export type TCommittedTouch = z.infer<typeof ZCommittedTouch>;

/** A committed plan's id, horizon and commit time: what every answer naming a plan carries. */
const ZPlanEdges = z.object({
  id: z.string(),
  from: ZIsoDate,
  to: ZIsoDate.describe('Exclusive end of the horizon'),
  committedAt: z.string(),
});

export const ZCommittedPlan = z
  .object({
    repId: z.string().nullable(),
    timeZone: z
      .string()
      .describe(
        "The workspace's time zone (IANA name): today, the plan's and the touches' dates are its days",
      ),
    today: ZIsoDate.describe('Today in the workspace time zone'),
    plan: ZPlanEdges.extend({
      months: z.number().int(),
      committedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
      scope: z
        .enum(['rep', 'workspace'])
        .describe('The rep’s own plan, or a plan of every account that covers theirs'),
      acceptedOverload: z.boolean(),
      accounts: z.number().int().nullable(),
      touches: z.number().int().nullable().describe('Touches placed when it was committed'),
      option: z.string().nullable().describe('The capacity option applied at commit, if any'),
      capacity: z.object({ callsPerDay: z.number(), visitsPerDay: z.number() }).nullable(),
    })
      .nullable()
      .describe('The latest committed plan covering the rep; null when none was ever committed'),
    open: z
      .object({ ahead: z.number().int(), overdue: z.number().int() })
      .describe('Open planned touches due today or later, and due before today'),
    byMonth: z.array(z.object({ month: z.string(), calls: z.number().int(), visits: z.number().int() })),
    days: z
      .array(
        z.object({
          date: ZIsoDate,
          working: z.boolean(),
          calls: z.number().int(),
          visits: z.number().int(),
          done: z.number().int(),
          overdue: z.number().int(),
        }),
      )
      .describe('Each day of the plan’s horizon: touches planned (open or done), done, and open overdue'),
    touches: z.array(ZCommittedTouch).describe('The touches from `from` to `to`, by day then account'),
    replaces: z
      .object({ from: ZIsoDate, open: z.number().int() })
      .nullable()
      .describe('With replanFrom: the open touches a plan committed from that day replaces'),
  })
  .meta({ id: 'CommittedPlan' });
export type TCommittedPlan = z.infer<typeof ZCommittedPlan>;

export const ZPlanHealthQuery = z.object({
  repId: ZRepId.optional().describe(
    'Whose plan (default: your own; an admin without it: every account in the market against the latest plan of every account)',
  ),
});
export type TPlanHealthQuery = z.infer<typeof ZPlanHealthQuery>;

const ZTierCounts = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });
const ZChannelTierCounts = z.object({ call: ZTierCounts, visit: ZTierCounts });

export const ZPlanHealthReason = z.enum(['unplanned', 'behind', 'ahead', 'outOfMarket']);

export const ZPlanHealth = z
  .object({
    repId: z.string().nullable(),
    today: ZIsoDate.describe('Today in the workspace time zone'),
    plan: ZPlanEdges.nullable().describe(
      'The plan in force; null when none was committed (then nothing is counted)',
    ),
    expired: z
      .boolean()
      .describe(
        'The plan’s horizon has ended (`to` is today or earlier): it plans nothing from today on, so it is not in step, and every in-market account without an open touch due from today on counts as unplanned',
      ),
    inStep: z.boolean().describe('Nothing below is counted and the plan has not expired'),
    affected: z.number().int().describe('Accounts with at least one finding, each counted once'),
    counts: z
      .object({
        unplanned: ZChannelTierCounts.describe(
          'In-market accounts per channel and tier without an open touch on the channel whose next due day falls before the plan’s end (a plan that has expired: without an open touch due from today on)',
        ),
        behind: ZChannelTierCounts.describe(
          'Accounts whose first open touch on the channel is due more than interval × 1.2 after the later of the last touch and the plan’s start',
        ),
        ahead: ZChannelTierCounts.describe(
          'Accounts whose open touches on the channel due from today on (two or more) lie closer together than interval × 0.8 on average',
        ),
        outOfMarket: z
          .object({ call: z.number().int(), visit: z.number().int() })
          .describe('Accounts outside the market with open touches on the channel'),
      })
      .describe('Accounts per finding, channel and tier (docs/figures.md, "Plan health")'),
    accounts: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          tier: ZTier.nullable(),
          city: z.string().nullable(),
          channel: ZChannel,
          reason: ZPlanHealthReason,
          nextDue: ZIsoDate.describe('Computed for `unplanned`; else the first open touch’s day'),
        }),
      )
      .describe('The first 50 findings: tier A first, then reason, channel, account id'),
  })
  .meta({ id: 'PlanHealth' });
export type TPlanHealth = z.infer<typeof ZPlanHealth>;

export const ZTeamPlanHealthRep = z.object({
  repId: z.string(),
  name: z.string(),
  plan: ZPlanEdges.extend({
    scope: z.enum(['rep', 'workspace']).describe('The rep’s own plan, or the latest plan of every account'),
  })
    .nullable()
    .describe(
      'The plan in force for this rep (as GET /api/plan/health?repId reads it); null: none, nothing counted',
    ),
  expired: z
    .boolean()
    .describe(
      'The plan’s horizon has ended: not in step, its accounts counted as GET /api/plan/health counts them',
    ),
  inStep: z.boolean(),
  affected: z
    .number()
    .int()
    .describe('Accounts with at least one finding, each counted once (as GET /api/plan/health)'),
  accounts: z
    .object({
      unplanned: z.number().int(),
      behind: z.number().int(),
      ahead: z.number().int(),
      outOfMarket: z.number().int(),
    })
    .describe('Accounts with each finding on either channel, each counted once per finding'),
  counts: ZPlanHealth.shape.counts.describe('The same counts as GET /api/plan/health?repId for this rep'),
});
export type TTeamPlanHealthRep = z.infer<typeof ZTeamPlanHealthRep>;

export const ZTeamPlanHealth = z
  .object({
    today: ZIsoDate.describe('Today in the workspace time zone'),
    scope: z.enum(['workspace', 'team']).describe('Every active rep (admin), or the manager’s team'),
    reps: z
      .array(ZTeamPlanHealthRep)
      .describe('Each active rep in scope, the most accounts out of step first, then by name'),
  })
  .meta({ id: 'TeamPlanHealth' });
export type TTeamPlanHealth = z.infer<typeof ZTeamPlanHealth>;

export const ZTeamPlanRequest = z
  .object({
    repIds: z
      .array(ZRepId)
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'The reps to plan: active reps of your team (a manager) or any active reps (an admin); without it every rep you may plan',
      ),
    from: ZLocalDate.optional().describe(
      'First day (default: today in the workspace time zone): today or later, at most two years ahead (else 400 naming `from`)',
    ),
    months: z
      .number()
      .int()
      .min(1)
      .max(24)
      .optional()
      .describe("Horizon in months (default: the workspace's plan horizon)"),
  })
  .meta({ id: 'TeamPlanRequest' });
export type TTeamPlanRequest = z.infer<typeof ZTeamPlanRequest>;

export const ZTeamPlanCommit = ZTeamPlanRequest.extend({
  acceptOverloadFor: z
    .array(ZRepId)
    .max(1000)
    .optional()
    .describe(
      'Reps whose plan may be committed although it does not fit their capacity (placed over capacity); any other rep whose plan does not fit refuses the whole commit (409)',
    ),
}).meta({ id: 'TeamPlanCommit' });
export type TTeamPlanCommit = z.infer<typeof ZTeamPlanCommit>;

export const ZTeamPlanRep = z
  .object({
    repId: z.string(),
    name: z.string(),
    fits: z
      .boolean()
      .describe(
        'The capacity check fits and every touch found a day (as POST /api/plan/preview says for the rep)',
      ),
    accounts: z.number().int().describe("The rep's accounts in the market"),
    touches: z.number().int().describe('Touches placed'),
    unplaced: z
      .number()
      .int()
      .describe('Touches that found no room within ±20% of their interval (0 once an overload is accepted)'),
    overbooked: z
      .number()
      .int()
      .describe('Touches placed over capacity: only in a plan committed with its overload accepted'),
    overdue: z
      .object({ call: z.number().int(), visit: z.number().int() })
      .describe('Overdue open touches of the rep’s accounts, kept by a commit (as PlanResult.overdue)'),
    required: z
      .object({ call: z.number(), visit: z.number() })
      .describe('Calls and visits required per working day (as PlanResult.required[channel].perWorkingDay)'),
    capacity: z
      .object({ callsPerDay: z.number(), visitsPerDay: z.number() })
      .describe('The rep’s daily capacity (their own, else the workspace default)'),
    acceptedOverload: z.boolean().describe('Committed although it does not fit (acceptOverloadFor)'),
    planId: z.string().nullable().describe('The plan saved for the rep; null in a preview'),
  })
  .meta({ id: 'TeamPlanRep' });
export type TTeamPlanRep = z.infer<typeof ZTeamPlanRep>;

export const ZTeamPlanResult = z
  .object({
    from: ZIsoDate,
    to: ZIsoDate.describe('Exclusive end of the horizon'),
    months: z.number().int(),
    committed: z.boolean(),
    reps: z.array(ZTeamPlanRep).describe('One row per rep planned, by name'),
  })
  .meta({ id: 'TeamPlanResult' });
export type TTeamPlanResult = z.infer<typeof ZTeamPlanResult>;
