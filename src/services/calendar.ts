import { createHash, randomBytes } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { addMonthsToDate, daysBetween, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError } from '../domain/errors.ts';
import type { TChannel, TTier } from '../schemas/common.ts';
import {
  HOLIDAY_COUNTRIES,
  type THolidayCountry,
  type TRepDaysOff,
  ZHolidayCountry,
} from '../schemas/plan.ts';
import { newId } from '../storage/ids.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import type { ServiceContext } from './context.ts';
import { csvRecord, UTF8_BOM } from './export-format.ts';
import { calendarFor, storedHolidays } from './plan.ts';
import { resolveRep } from './rep-scope.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

export interface CalendarTouch {
  id: string;
  accountId: string;
  accountName: string;
  tier: TTier | null;
  city: string | null;
  district: string | null;
  address: string | null;
  phone: string | null;
  repId: string | null;
  channel: TChannel;
  dueOn: string;
  dueTime: string | null;
  status: 'planned' | 'done' | 'skipped' | 'cancelled';
}

export interface CalendarRange {
  from?: string;
  to?: string;
  repId?: string;
  /** Several reps (a manager's team feed). */
  repIds?: string[];
}

async function loadTouches(
  db: Executor,
  range: Required<Pick<CalendarRange, 'from' | 'to'>> & CalendarRange,
) {
  let q = db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select([
      't.id',
      't.account_id as accountId',
      'a.name as accountName',
      'a.tier',
      'a.city',
      'a.district',
      'a.address',
      'a.phone',
      't.rep_id as repId',
      't.channel',
      't.due_on as dueOn',
      't.due_time as dueTime',
      't.status',
    ])
    .where('t.due_on', '>=', range.from)
    .where('t.due_on', '<', range.to)
    .where('t.status', 'in', ['planned', 'done']);
  if (range.repId) q = q.where('t.rep_id', '=', range.repId);
  if (range.repIds) q = q.where('t.rep_id', 'in', range.repIds.length ? range.repIds : ['']);
  return (await q.orderBy('t.due_on').orderBy('a.name').execute()) as CalendarTouch[];
}

const CHANNEL_LABEL: Record<TChannel, { zh: string; en: string }> = {
  call: { zh: '电话', en: 'Call' },
  visit: { zh: '拜访', en: 'Visit' },
};

/** The plan as iCalendar: stable UIDs, tier and account in SUMMARY, channel in CATEGORIES, calls all-day. */
export function touchesToIcs(
  touches: readonly CalendarTouch[],
  options: { name: string; timeZone: string; now: Date },
): string {
  const cal = ical({
    name: options.name,
    prodId: { company: 'Tierline', product: 'Tierline', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 3600,
  });
  for (const t of touches) {
    const label = CHANNEL_LABEL[t.channel];
    const summary = `[${t.tier ?? '-'}] ${label.zh}/${label.en}: ${t.accountName}`;
    const location = [t.city, t.district, t.address].filter(Boolean).join(' ') || undefined;
    const description = [t.phone ? `电话 Phone: ${t.phone}` : null, `Tierline account ${t.accountId}`]
      .filter(Boolean)
      .join('\n');
    const base = {
      id: `${t.id}@tierline`,
      summary,
      location,
      description,
      categories: [{ name: t.channel }],
      stamp: options.now,
    };
    if (t.channel === 'visit' && t.dueTime) {
      const [y, m, d] = t.dueOn.split('-').map(Number) as [number, number, number];
      const [hh, mm] = t.dueTime.split(':').map(Number) as [number, number];
      const start = new TZDate(y, m - 1, d, hh, mm, options.timeZone);
      cal.createEvent({
        ...base,
        start: new Date(start.getTime()),
        end: new Date(start.getTime() + 3_600_000),
      });
    } else {
      // All-day: the date itself, independent of time zones (noon UTC lands on the same calendar day).
      cal.createEvent({ ...base, start: new Date(`${t.dueOn}T12:00:00Z`), allDay: true });
    }
  }
  return cal.toString();
}

export const PLAN_CSV_COLUMNS = [
  'date',
  'time',
  'channel',
  'accountId',
  'accountName',
  'tier',
  'city',
  'district',
  'status',
  'repId',
] as const;

export function touchesToCsv(touches: readonly CalendarTouch[]): string {
  const records = touches.map((t) =>
    csvRecord([
      t.dueOn,
      t.dueTime,
      t.channel,
      t.accountId,
      t.accountName,
      t.tier,
      t.city,
      t.district,
      t.status,
      t.repId,
    ]),
  );
  return `${UTF8_BOM}${csvRecord(PLAN_CSV_COLUMNS)}${records.join('')}`;
}

/** The plan between two dates (default: today to the end of the horizon) as iCalendar or CSV. */
export async function exportPlan(
  ctx: ServiceContext,
  format: 'ics' | 'csv',
  range: CalendarRange,
): Promise<{ body: string; contentType: string; fileName: string; count: number }> {
  const settings = await readWorkspaceSettings(ctx.db.kysely);
  const repId = await resolveRep(ctx, range.repId);
  const today = todayIn(settings.timeZone, ctx.now());
  const from = range.from ?? today;
  const to = range.to ?? addMonthsToDate(from, settings.horizonMonths);
  if (to <= from)
    throw new AppError(
      'validation_failed',
      `The range is empty: "to" (${to}) must be after "from" (${from}).`,
    );
  const touches = await loadTouches(ctx.db.kysely, { from, to, ...(repId ? { repId } : {}) });
  if (format === 'ics') {
    return {
      body: touchesToIcs(touches, { name: 'Tierline plan', timeZone: settings.timeZone, now: ctx.now() }),
      contentType: 'text/calendar; charset=utf-8',
      fileName: `tierline-plan-${from}.ics`,
      count: touches.length,
    };
  }
  return {
    body: touchesToCsv(touches),
    contentType: 'text/csv; charset=utf-8',
    fileName: `tierline-plan-${from}.csv`,
    count: touches.length,
  };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret feed URL for a user; older feeds keep working until revoked. The token is shown once. */
export async function createCalendarFeed(
  ctx: ServiceContext,
  userId: string,
): Promise<{ id: string; token: string; path: string }> {
  const token = randomBytes(24).toString('base64url');
  const id = newId();
  const at = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('calendar_feeds')
      .values({
        id,
        user_id: userId,
        token_hash: hashToken(token),
        created_at: at,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'calendar-feed',
      entityId: id,
      action: 'create',
      after: { userId },
    });
  });
  return { id, token, path: `/cal/${token}.ics` };
}

export async function listCalendarFeeds(ctx: ServiceContext, userId: string) {
  const rows = await ctx.db.kysely
    .selectFrom('calendar_feeds')
    .select(['id', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one feed (or all of a user's feeds when feedId is omitted). */
export async function revokeCalendarFeeds(
  ctx: ServiceContext,
  userId: string,
  feedId?: string,
): Promise<number> {
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('calendar_feeds')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (feedId) q = q.where('id', '=', feedId);
    const result = await q.executeTakeFirst();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'calendar-feed',
      entityId: feedId ?? null,
      action: 'revoke',
      after: { userId },
    });
    return Number(result.numUpdatedRows);
  });
}

/** The iCalendar behind a feed token: the user's touches (a manager's: the team's) from 30 days back. */
export async function calendarFeed(ctx: ServiceContext, token: string): Promise<string | null> {
  const db = ctx.db.kysely;
  const feed = await db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.id', 'u.id as userId', 'u.role', 'u.disabled_at', 'u.name'])
    .where('f.token_hash', '=', hashToken(token))
    .where('f.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!feed || feed.disabled_at) return null;
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  // A rep's feed holds their own touches; a manager's their team's (as scopeFor sees it); an admin's everyone's.
  let repIds: string[] | undefined = [feed.userId];
  if (feed.role === 'manager') repIds = (await teamMemberIds(db, feed.userId).execute()).map((u) => u.id);
  if (feed.role === 'admin') repIds = undefined;
  const touches = await loadTouches(db, {
    from: shiftDate(today, -30),
    to: addMonthsToDate(today, settings.horizonMonths),
    ...(repIds ? { repIds } : {}),
  });
  await db
    .updateTable('calendar_feeds')
    .set({ last_used_at: ctx.now().toISOString() })
    .where('id', '=', feed.id)
    .execute();
  return touchesToIcs(touches, {
    name: `Tierline · ${feed.name}`,
    timeZone: settings.timeZone,
    now: ctx.now(),
  });
}

/** A rep's own days off (leave, training): planned around like holidays. */
export async function getDaysOff(ctx: ServiceContext, repId: string | undefined): Promise<TRepDaysOff> {
  const rep = await resolveRep(ctx, repId);
  if (!rep) throw new AppError('validation_failed', 'repId: say whose days off to read.');
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select(['days_off', 'holiday_country'])
    .where('id', '=', rep)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `User ${rep} does not exist.`);
  return {
    repId: rep,
    dates: JSON.parse(row.days_off) as string[],
    holidays: storedHolidays(row.holiday_country),
  };
}

/**
 * Replaces a rep's own days off and, when `holidays` is given, their public-holiday schedule (null: back to the
 * workspace's); undefined keeps the schedule as it is.
 */
export async function setDaysOff(
  ctx: ServiceContext,
  repId: string | undefined,
  dates: readonly string[],
  holidays?: THolidayCountry | null,
): Promise<TRepDaysOff> {
  const rep = await resolveRep(ctx, repId);
  if (!rep) throw new AppError('validation_failed', 'repId: say whose days off to set.');
  if (holidays !== undefined && holidays !== null && !ZHolidayCountry.safeParse(holidays).success) {
    throw new AppError(
      'validation_failed',
      `holidays: "${holidays}" is not a schedule Tierline has; use one of ${HOLIDAY_COUNTRIES.join(', ')}, or null for the workspace's.`,
      { field: 'holidays' },
    );
  }
  const sorted = [...new Set(dates)].sort();
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select(['days_off', 'holiday_country'])
      .where('id', '=', rep)
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', `User ${rep} does not exist.`);
    const country = holidays === undefined ? storedHolidays(before.holiday_country) : holidays;
    await trx
      .updateTable('users')
      .set({ days_off: JSON.stringify(sorted), holiday_country: country, updated_at: at })
      .where('id', '=', rep)
      .execute();
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'user',
      entityId: rep,
      action: 'days-off',
      before: { dates: JSON.parse(before.days_off), holidays: before.holiday_country },
      after: { dates: sorted, holidays: country },
    });
    return { repId: rep, dates: sorted, holidays: country };
  });
}

/** Every day between two dates for a rep: working or not, and why (weekend, holiday, 调休 make-up day, day off). */
export async function calendarDays(ctx: ServiceContext, query: { from: string; to: string; repId?: string }) {
  const rep = await resolveRep(ctx, query.repId);
  if (query.to <= query.from)
    throw new AppError('validation_failed', `"to" (${query.to}) must be after "from" (${query.from}).`);
  if (daysBetween(query.from, query.to) > 800)
    throw new AppError('validation_failed', 'Ask for at most 800 days at a time.');
  const settings = await readWorkspaceSettings(ctx.db.kysely);
  const calendar = await calendarFor(ctx.db.kysely, settings, rep);
  const days = [];
  for (let d = query.from; d < query.to; d = shiftDate(d, 1)) days.push(calendar.dayInfo(d));
  return {
    country: calendar.country,
    unpublishedYears: calendar.unpublishedYears(query.from, shiftDate(query.to, -1)),
    days,
  };
}
