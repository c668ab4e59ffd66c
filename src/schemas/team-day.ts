import { z } from 'zod';
import { ZLocalDate } from './common.ts';

export const ZTeamDayQuery = z.object({
  date: ZLocalDate.optional().describe('The day, YYYY-MM-DD in the workspace time zone; default today'),
});
export type TTeamDayQuery = z.infer<typeof ZTeamDayQuery>;

const count = z.number().int().min(0);
const perChannel = z.object({ calls: count, visits: count });

/**
 * How far a rep is with the day: `not_started` (something planned, nothing logged), `under_way` (something
 * logged, something planned still to do), `complete` (at least as many calls and visits logged as planned),
 * `nothing_planned`, `upcoming` (a day after today: nothing can be logged yet).
 */
export const ZTeamDayStatus = z.enum(['not_started', 'under_way', 'complete', 'nothing_planned', 'upcoming']);
export type TTeamDayStatus = z.infer<typeof ZTeamDayStatus>;

export const ZTeamDayRep = z.object({
  repId: z.string(),
  name: z.string(),
  planned: perChannel.describe('Planned touches due that day (open or done), as on the rep’s agenda'),
  done: perChannel.describe('Calls and visits the rep logged that day (workspace time zone)'),
  remaining: count.describe('Planned calls and visits of the day not matched by logged ones'),
  overdue: count.describe('Open planned touches due before the day'),
  lastLoggedAt: z
    .string()
    .nullable()
    .describe('The rep’s last logged call or visit up to the end of the day (ISO instant); null if none'),
  lastLoggedOn: z.string().nullable().describe('…its day in the workspace time zone'),
  status: ZTeamDayStatus,
});
export type TTeamDayRep = z.infer<typeof ZTeamDayRep>;

export const ZTeamDay = z
  .object({
    date: z.string().describe('The day shown'),
    today: z.string().describe('Today in the workspace time zone'),
    timeZone: z.string(),
    scope: z
      .enum(['workspace', 'team', 'rep'])
      .describe('Every rep (admins), the caller’s team (managers) or the caller alone (reps)'),
    reps: z
      .array(ZTeamDayRep)
      .describe('Active reps in the scope, furthest behind first (remaining, then overdue, then name)'),
    totals: z.object({ planned: perChannel, done: perChannel, remaining: count, overdue: count }),
  })
  .meta({ id: 'TeamDay' });
export type TTeamDay = z.infer<typeof ZTeamDay>;
