import { createHash, randomBytes } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { addMonthsToDate, daysBetween, isLocalDate, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { fullAddress } from '../domain/text/full-address.ts';
import type { TChannel, TTier } from '../schemas/common.ts';
import {
  HOLIDAY_COUNTRIES,
  type THolidayCountry,
  type TRepDaysOff,
  ZHolidayCountry,
} from '../schemas/plan.ts';
import type { TCommittedPlan, TCommittedPlanQuery } from '../schemas/plan-api.ts';
import { newId } from '../storage/ids.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { countOpenTouchesOfOwners } from '../storage/repositories/plan.ts';
import { ACCOUNT_EXPORT_HEADERS, type ExportLanguage } from './account-export.ts';
import type { ServiceContext } from './context.ts';
import { csvRecord, UTF8_BOM } from './export-format.ts';
import { calendarFor, planInForce, storedHolidays } from './plan.ts';
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
    const location =
      fullAddress({ province: null, city: t.city, district: t.district, address: t.address }) || undefined;
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

type PlanCsvColumn = (typeof PLAN_CSV_COLUMNS)[number];

/**
 * The plan CSV's header in each language of the accounts export (`ExportLanguage`): English keeps the column
 * keys, Chinese uses the accounts export's labels where the field is the same (企业名称, 分级, 城市, 区县).
 * Values stay machine-readable in both, as the accounts export's tier and stage do (call/visit, planned/done).
 */
const PLAN_CSV_HEADERS: Record<ExportLanguage, Record<PlanCsvColumn, string>> = {
  en: {
    date: 'date',
    time: 'time',
    channel: 'channel',
    accountId: 'accountId',
    accountName: 'accountName',
    tier: 'tier',
    city: 'city',
    district: 'district',
    status: 'status',
    repId: 'repId',
  },
  'zh-CN': {
    date: '日期',
    time: '时间',
    channel: '方式',
    accountId: '客户ID',
    accountName: ACCOUNT_EXPORT_HEADERS.name[0],
    tier: ACCOUNT_EXPORT_HEADERS.tier[0],
    city: ACCOUNT_EXPORT_HEADERS.city[0],
    district: ACCOUNT_EXPORT_HEADERS.district[0],
    status: '状态',
    repId: '销售员ID',
  },
};

/** The plan as CSV (UTF-8 with BOM, RFC 4180), the header in `lang` (default English: the column keys). */
export function touchesToCsv(touches: readonly CalendarTouch[], lang: ExportLanguage = 'en'): string {
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
  const header = PLAN_CSV_COLUMNS.map((c) => PLAN_CSV_HEADERS[lang][c]);
  return `${UTF8_BOM}${csvRecord(header)}${records.join('')}`;
}

/**
 * The plan between two dates (default: today to the end of the horizon) as iCalendar or CSV; `lang` is the
 * language of the CSV's header (the accounts export's `lang`; iCalendar names each channel in both languages).
 */
export async function exportPlan(
  ctx: ServiceContext,
  format: 'ics' | 'csv',
  range: CalendarRange,
  lang: ExportLanguage = 'en',
): Promise<{ body: string; contentType: string; fileName: string; count: number }> {
  const settings = await readWorkspaceSettings(ctx.db.kysely);
  const repId = await resolveRep(ctx, range.repId);
  const today = todayIn(settings.timeZone, ctx.now());
  const from = range.from ?? today;
  const to = range.to ?? addMonthsToDate(from, settings.horizonMonths);
  if (to <= from) throw new AppError('validation_failed', msg('calendar.empty_range', { to, from }));
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
    body: touchesToCsv(touches, lang),
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
  if (!rep) throw new AppError('validation_failed', msg('calendar.days_off_whose_read'));
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select(['days_off', 'holiday_country', 'version'])
    .where('id', '=', rep)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', msg('calendar.user_missing', { id: rep }));
  return daysOffFromRow(rep, row);
}

function daysOffFromRow(
  repId: string,
  row: { days_off: string; holiday_country: string | null; version: number },
): TRepDaysOff {
  return {
    repId,
    dates: JSON.parse(row.days_off) as string[],
    holidays: storedHolidays(row.holiday_country),
    version: row.version,
  };
}

/** What replaces a rep's own calendar: `version` is the rep's as read (User.version, TRepDaysOff.version). */
export interface DaysOffChange {
  dates: readonly string[];
  /** A country code, null for the workspace's, undefined to keep the schedule as it is. */
  holidays?: THolidayCountry | null;
  version: number;
}

/**
 * The days off a change lists, as every caller (API, CLI, the demo, tests) must give them: a list of existing
 * calendar dates as YYYY-MM-DD, each once. The first one that is not answers 400 naming it (details: the field, the
 * value and its index).
 */
function checkDaysOff(dates: unknown): asserts dates is readonly string[] {
  if (!Array.isArray(dates))
    throw new AppError('bad_request', msg('calendar.days_off_not_list'), { field: 'dates' });
  const seen = new Set<string>();
  dates.forEach((date: unknown, index) => {
    if (typeof date !== 'string' || !isLocalDate(date)) {
      throw new AppError('bad_request', msg('calendar.day_off_invalid', { date: String(date) }), {
        field: 'dates',
        index,
        value: date,
      });
    }
    if (seen.has(date)) {
      throw new AppError('bad_request', msg('calendar.day_off_twice', { date }), {
        field: 'dates',
        index,
        value: date,
      });
    }
    seen.add(date);
  });
}

/**
 * Replaces a rep's own days off and, when `holidays` is given, their public-holiday schedule (null: back to the
 * workspace's); undefined keeps the schedule as it is. They are the rep's record (users), so `version` is the
 * rep's: a stale one (someone changed the days off or the person since) answers 409 with the calendar as it is now.
 * The dates are checked first (checkDaysOff): a date that does not exist, is not YYYY-MM-DD or is listed twice
 * answers 400 naming it, and nothing changes.
 */
export async function setDaysOff(
  ctx: ServiceContext,
  repId: string | undefined,
  { dates, holidays, version }: DaysOffChange,
): Promise<TRepDaysOff> {
  checkDaysOff(dates);
  const rep = await resolveRep(ctx, repId);
  if (!rep) throw new AppError('validation_failed', msg('calendar.days_off_whose_set'));
  if (holidays !== undefined && holidays !== null && !ZHolidayCountry.safeParse(holidays).success) {
    throw new AppError(
      'validation_failed',
      msg('calendar.unknown_holidays', { holidays, known: HOLIDAY_COUNTRIES.join(', ') }),
      { field: 'holidays' },
    );
  }
  const sorted = [...dates].sort();
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const read = () =>
      trx
        .selectFrom('users')
        .select(['name', 'days_off', 'holiday_country', 'version'])
        .where('id', '=', rep)
        .executeTakeFirst();
    const before = await read();
    if (!before) throw new AppError('not_found', msg('calendar.user_missing', { id: rep }));
    const stale = (current: NonNullable<typeof before>) =>
      new AppError(
        'version_conflict',
        msg('calendar.days_off_version_conflict', { name: current.name, version, current: current.version }),
        { current: daysOffFromRow(rep, current) },
      );
    if (before.version !== version) throw stale(before);
    const country = holidays === undefined ? storedHolidays(before.holiday_country) : holidays;
    const updated = await trx
      .updateTable('users')
      .set({
        days_off: JSON.stringify(sorted),
        holiday_country: country,
        updated_at: at,
        version: version + 1,
      })
      .where('id', '=', rep)
      // PostgreSQL: another save that read the same version and committed first leaves no row to change here.
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw stale((await read()) ?? before);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'user',
      entityId: rep,
      action: 'days-off',
      before: { dates: JSON.parse(before.days_off), holidays: before.holiday_country },
      after: { dates: sorted, holidays: country },
    });
    return { repId: rep, dates: sorted, holidays: country, version: version + 1 };
  });
}

/** Every day between two dates for a rep: working or not, and why (weekend, holiday, 调休 make-up day, day off). */
export async function calendarDays(ctx: ServiceContext, query: { from: string; to: string; repId?: string }) {
  const rep = await resolveRep(ctx, query.repId);
  if (query.to <= query.from)
    throw new AppError(
      'validation_failed',
      msg('calendar.to_after_from', { to: query.to, from: query.from }),
    );
  if (daysBetween(query.from, query.to) > 800)
    throw new AppError('validation_failed', msg('calendar.max_800_days'));
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

/** The longest range of touches committedPlan lists at once (a month view and a bit). */
export const COMMITTED_TOUCHES_MAX_DAYS = 62;

type LatestPlanRow = {
  id: string;
  rep_id: string | null;
  starts_on: string;
  months: number;
  settings: string;
  summary: string;
  accepted_overload: number | boolean;
  created_by: string | null;
  created_at: string;
  created_by_name: string | null;
};

function parseObject(json: string | null | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = typeof json === 'string' ? JSON.parse(json) : json;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

const intOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;

/**
 * The latest committed plan covering a rep: their own or a plan of every account, whichever is newer (as
 * planHorizonEnd reads it). Without a rep (every account as one workload): the latest plan of every account; the
 * reps' own plans are theirs, not the workload's.
 */
async function latestPlanFor(db: Executor, repId: string | null): Promise<LatestPlanRow | null> {
  const latest = (rep: string | null) => {
    const q = db
      .selectFrom('plans as p')
      .leftJoin('users as u', 'u.id', 'p.created_by')
      .select([
        'p.id',
        'p.rep_id',
        'p.starts_on',
        'p.months',
        'p.settings',
        'p.summary',
        'p.accepted_overload',
        'p.created_by',
        'p.created_at',
        'u.name as created_by_name',
      ])
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(1);
    return (
      rep === null ? q.where('p.rep_id', 'is', null) : q.where('p.rep_id', '=', rep)
    ).executeTakeFirst() as Promise<LatestPlanRow | undefined>;
  };
  const everyone = await latest(null);
  if (!repId) return everyone ?? null;
  const own = await latest(repId);
  return planInForce(own, everyone) ?? null;
}

/**
 * The committed plan of a rep (or, for an admin without a rep, of every account) as the Plan page shows it: the
 * latest plan covering them with who committed it and when, the open touches ahead and overdue, each day of its
 * horizon with touches planned, done and overdue, the touches between `from` and `to`, and with `replanFrom`
 * how many open touches a new plan from that day would replace. The same access as the agenda (resolveRep).
 */
export async function committedPlan(
  ctx: ServiceContext,
  query: TCommittedPlanQuery,
): Promise<TCommittedPlan> {
  const db = ctx.db.kysely;
  const repId = await resolveRep(ctx, query.repId, db);
  if ((query.from === undefined) !== (query.to === undefined)) {
    throw new AppError('validation_failed', msg('calendar.from_and_to'));
  }
  if (query.from !== undefined && query.to !== undefined) {
    if (query.to <= query.from)
      throw new AppError(
        'validation_failed',
        msg('calendar.to_after_from', { to: query.to, from: query.from }),
      );
    if (daysBetween(query.from, query.to) > COMMITTED_TOUCHES_MAX_DAYS)
      throw new AppError(
        'validation_failed',
        msg('calendar.max_touch_days', { days: COMMITTED_TOUCHES_MAX_DAYS }),
      );
  }
  const settings = await readWorkspaceSettings(db);
  const today = todayIn(settings.timeZone, ctx.now());
  const row = await latestPlanFor(db, repId);

  // Open touches ahead and overdue: the agenda's (planned touches assigned to the rep).
  let openQuery = db
    .selectFrom('planned_touches')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('total'),
      eb.fn
        .sum<number | string | null>(eb.case().when('due_on', '<', today).then(1).else(0).end())
        .as('overdue'),
    ])
    .where('status', '=', 'planned');
  if (repId) openQuery = openQuery.where('rep_id', '=', repId);
  const openRow = await openQuery.executeTakeFirst();
  const overdue = Number(openRow?.overdue ?? 0);
  const open = { ahead: Number(openRow?.total ?? 0) - overdue, overdue };

  let plan: TCommittedPlan['plan'] = null;
  const days: TCommittedPlan['days'] = [];
  const byMonth: TCommittedPlan['byMonth'] = [];
  if (row) {
    const to = addMonthsToDate(row.starts_on, Number(row.months));
    const summary = parseObject(row.summary);
    const stored = parseObject(row.settings);
    const capacity =
      stored.capacity && typeof stored.capacity === 'object'
        ? (stored.capacity as Record<string, unknown>)
        : {};
    const callsPerDay = intOrNull(capacity.callsPerDay);
    const visitsPerDay = intOrNull(capacity.visitsPerDay);
    plan = {
      id: row.id,
      from: row.starts_on,
      to,
      months: Number(row.months),
      committedAt: row.created_at,
      committedBy:
        row.created_by && row.created_by_name ? { id: row.created_by, name: row.created_by_name } : null,
      scope: row.rep_id ? 'rep' : 'workspace',
      acceptedOverload: Boolean(Number(row.accepted_overload)),
      accounts: intOrNull(summary.accounts),
      touches: intOrNull(summary.touches),
      option: typeof summary.option === 'string' ? summary.option : null,
      capacity: callsPerDay != null && visitsPerDay != null ? { callsPerDay, visitsPerDay } : null,
    };

    let perDay = db
      .selectFrom('planned_touches')
      .select((eb) => ['due_on', 'channel', 'status', eb.fn.countAll<number | string>().as('n')])
      .where('due_on', '>=', row.starts_on)
      .where('due_on', '<', to)
      .where('status', 'in', ['planned', 'done'])
      .groupBy(['due_on', 'channel', 'status']);
    if (repId) perDay = perDay.where('rep_id', '=', repId);
    const counts = new Map<string, { calls: number; visits: number; done: number; overdue: number }>();
    for (const r of await perDay.execute()) {
      const n = Number(r.n);
      const day = counts.get(r.due_on) ?? { calls: 0, visits: 0, done: 0, overdue: 0 };
      if (r.channel === 'call') day.calls += n;
      else day.visits += n;
      if (r.status === 'done') day.done += n;
      else if (r.due_on < today) day.overdue += n;
      counts.set(r.due_on, day);
    }
    const calendar = await calendarFor(db, settings, repId);
    const months = new Map<string, { month: string; calls: number; visits: number }>();
    for (let d = row.starts_on; d < to; d = shiftDate(d, 1)) {
      const day = counts.get(d) ?? { calls: 0, visits: 0, done: 0, overdue: 0 };
      days.push({ date: d, working: calendar.dayInfo(d).working, ...day });
      const key = d.slice(0, 7);
      const month = months.get(key) ?? { month: key, calls: 0, visits: 0 };
      month.calls += day.calls;
      month.visits += day.visits;
      months.set(key, month);
    }
    byMonth.push(...months.values());
  }

  const touches: TCommittedPlan['touches'] = [];
  if (query.from !== undefined && query.to !== undefined) {
    const rows = await loadTouches(db, { from: query.from, to: query.to, ...(repId ? { repId } : {}) });
    for (const t of rows) {
      const status = t.status === 'done' ? 'done' : 'planned';
      touches.push({
        id: t.id,
        accountId: t.accountId,
        accountName: t.accountName,
        tier: t.tier,
        city: t.city,
        repId: t.repId,
        channel: t.channel,
        dueOn: t.dueOn,
        dueTime: t.dueTime,
        status,
        overdue: status === 'planned' && t.dueOn < today,
      });
    }
  }

  // What a commit from that day removes (deleteOpenTouchesFrom): the open touches of the rep's accounts.
  let replaces: TCommittedPlan['replaces'] = null;
  if (query.replanFrom !== undefined) {
    let n: number;
    if (repId) {
      n = (await countOpenTouchesOfOwners(db, [repId], query.replanFrom)).get(repId) ?? 0;
    } else {
      const all = await db
        .selectFrom('planned_touches')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('status', '=', 'planned')
        .where('due_on', '>=', query.replanFrom)
        .executeTakeFirst();
      n = Number(all?.n ?? 0);
    }
    replaces = { from: query.replanFrom, open: n };
  }

  return { repId, timeZone: settings.timeZone, today, plan, open, byMonth, days, touches, replaces };
}
