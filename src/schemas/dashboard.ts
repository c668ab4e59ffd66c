import { z } from 'zod';
import { ZChannel, ZLocalDate, ZPipelineStage, ZRepId, ZTier } from './common.ts';

export const DASHBOARD_MAX_WEEKS = 26;

export const ZDashboardQuery = z.object({
  repId: ZRepId.optional().describe(
    'One rep (a manager: a member of their team; admins: anyone). Without it: the team for a manager, everything for an admin, yourself for a rep',
  ),
  weeks: z.coerce
    .number()
    .int()
    .min(1)
    .max(DASHBOARD_MAX_WEEKS)
    .default(8)
    .describe('How many weeks (Monday to Sunday) the weekly figures cover'),
  to: ZLocalDate.optional().describe('A day in the last week of the period; default today'),
});
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;
export type TDashboardInput = z.input<typeof ZDashboardQuery>;

const count = z.number().int().min(0);
const perChannel = z.object({ calls: count, visits: count });

export const ZDashboard = z
  .object({
    scope: z.object({
      kind: z.enum(['workspace', 'team', 'rep']),
      repId: z.string().nullable(),
      repName: z.string().nullable(),
    }),
    today: z
      .string()
      .describe('Today in the workspace time zone: coverage, overdue and the funnel are as of it'),
    timeZone: z.string(),
    from: z.string().describe('Monday of the first week'),
    to: z.string().describe('Sunday of the last week (inclusive)'),
    reps: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('The reps the caller may choose (empty for a rep)'),
    weeks: z
      .array(
        z.object({
          from: z.string().describe('Monday'),
          to: z.string().describe('Sunday (inclusive)'),
          planned: perChannel.describe('Planned touches due that week (open or done)'),
          done: perChannel.describe('Calls and visits logged that week'),
        }),
      )
      .describe('Oldest first'),
    coverage: z
      .array(
        z.object({
          tier: ZTier,
          channel: ZChannel,
          intervalMonths: z.number().nullable(),
          accounts: count.describe('In-market accounts of the tier'),
          covered: count.describe('…touched on the channel within the tier’s cadence interval'),
          share: z.number().nullable().describe('covered ÷ accounts; null without accounts or cadence'),
        }),
      )
      .describe('Per tier and channel, as of today'),
    overdue: z.object({
      accounts: count.describe('Accounts with a planned call or visit due before today and not done'),
      byRep: z.array(
        z.object({ repId: z.string(), name: z.string(), accounts: count }).describe('By account owner'),
      ),
    }),
    funnel: z.array(z.object({ stage: ZPipelineStage, accounts: count })).describe('Every stage, in order'),
    objections: z
      .array(
        z.object({
          objectionId: z.string(),
          code: z.string(),
          label: z.object({ zh: z.string(), en: z.string() }),
          met: count.describe('Logged touches that met it in the period'),
          accounts: count.describe('Distinct accounts where it was met'),
        }),
      )
      .describe('Most met first'),
    skills: z.object({
      reps: count,
      skills: count,
      stages: z
        .array(z.object({ stage: z.number().int().min(1).max(4), count }))
        .describe('Rep × skill pairs per learning stage 1–4 (no record yet counts as stage 1)'),
    }),
  })
  .meta({ id: 'Dashboard' });
export type TDashboard = z.infer<typeof ZDashboard>;
