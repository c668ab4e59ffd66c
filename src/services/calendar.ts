import { createHash, randomBytes } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { addMonthsToDate, daysBetween, isLocalDate, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { fullAddress } from '../domain/text/full-address.ts';
import type { TChannel, TOutcome, TTier } from '../schemas/common.ts';
import {
  HOLIDAY_COUNTRIES,
  type THolidayCountry,
  type TRepDaysOff,
  type TRepDaysOffSaved,
  ZHolidayCountry,
} from '../schemas/plan.ts';
import type { TCommittedPlan, TCommittedPlanQuery } from '../schemas/plan-api.ts';
import { newId } from '../storage/ids.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { countOpenTouchesOfOwners } from '../storage/repositories/plan.ts';
import { inTransaction } from '../storage/transaction.ts';
import { ACCOUNT_EXPORT_HEADERS, type ExportLanguage } from './account-export.ts';
import type { ServiceContext } from './context.ts';
import { replanOffDays } from './days-off-replan.ts';
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
  /** The rep's name (null without a rep). */
  repName: string | null;
  channel: TChannel;
  dueOn: string;
  dueTime: string | null;
  status: 'planned' | 'done' | 'skipped' | 'cancelled';
}

/** An account's latest logged touch, as an event's description names it. */
export interface LastTouch {
  /** When it happened (ISO instant). */
  at: string;
  channel: TChannel;
  outcome: TOutcome;
  note: string | null;
}

export interface CalendarRange {
  from?: string;
  to?: string;
  repId?: string;
  /** Several reps (a manager's team feed). */
  repIds?: string[];
}

/**
 * The touches planned or done due from `from` up to `to`; with `openBefore` also every open touch due before `from`
 * (the feed's overdue ones, however old).
 */
async function loadTouches(
  db: Executor,
  range: Required<Pick<CalendarRange, 'from' | 'to'>> & CalendarRange & { openBefore?: boolean },
) {
  let q = db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .leftJoin('users as u', 'u.id', 't.rep_id')
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
      'u.name as repName',
      't.channel',
      't.due_on as dueOn',
      't.due_time as dueTime',
      't.status',
    ])
    .where('t.due_on', '<', range.to)
    .where((eb) => {
      const inRange = eb.and([eb('t.due_on', '>=', range.from), eb('t.status', 'in', ['planned', 'done'])]);
      return range.openBefore ? eb.or([inRange, eb('t.status', '=', 'planned')]) : inRange;
    });
  if (range.repId) q = q.where('t.rep_id', '=', range.repId);
  if (range.repIds) q = q.where('t.rep_id', 'in', range.repIds.length ? range.repIds : ['']);
  return (await q.orderBy('t.due_on').orderBy('a.name').orderBy('t.id').execute()) as CalendarTouch[];
}

/** Each account's latest logged touch (one indexed read per 500 accounts: activities_account_idx). */
async function lastTouchesOf(db: Executor, accountIds: readonly string[]): Promise<Map<string, LastTouch>> {
  const last = new Map<string, LastTouch>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom('activities as l')
      .select(['l.account_id as accountId', 'l.occurred_at as at', 'l.channel', 'l.outcome', 'l.note'])
      .where('l.account_id', 'in', accountIds.slice(i, i + 500))
      .where((eb) =>
        eb(
          'l.occurred_at',
          '=',
          eb
            .selectFrom('activities as m')
            .select((m) => m.fn.max('m.occurred_at').as('latest'))
            .whereRef('m.account_id', '=', 'l.account_id'),
        ),
      )
      .orderBy('l.account_id')
      .orderBy('l.created_at', 'desc')
      .orderBy('l.id', 'desc')
      .execute();
    for (const { accountId, ...touch } of rows) if (!last.has(accountId)) last.set(accountId, touch);
  }
  return last;
}

/** The words of the plan's calendar and CSV in each language of the exports (`ExportLanguage`). */
const PLAN_WORDS = {
  en: {
    plan: 'Tierline plan',
    channel: { call: 'Call', visit: 'Visit' },
    status: { planned: 'planned', done: 'done', skipped: 'skipped', cancelled: 'cancelled' },
    outcome: {
      call: {
        reached: 'Reached',
        no_answer: 'No answer',
        meeting_booked: 'Meeting booked',
        refused: 'Refused',
        other: 'Other',
      },
      visit: {
        reached: 'Met',
        no_answer: 'Not met',
        meeting_booked: 'Meeting booked',
        refused: 'Refused',
        other: 'Other',
      },
    },
    title: (channel: string, account: string) => `${channel}: ${account}`,
    overdueMark: 'Overdue · ',
    done: '✓ Done',
    overdueSince: (date: string) => `Overdue since ${date} (planned for that day, not logged yet)`,
    phone: (phone: string) => `Phone: ${phone}`,
    city: (city: string) => `City: ${city}`,
    rep: (name: string) => `Rep: ${name}`,
    lastTouch: (date: string, channel: string, outcome: string, note: string | null) =>
      `Last touch: ${date}, ${channel}, ${outcome}${note ? ` — ${note}` : ''}`,
    account: (id: string) => `Tierline account ${id}`,
    open: (url: string) => `Open in Tierline: ${url}`,
  },
  'zh-CN': {
    plan: 'Tierline 计划',
    channel: { call: '电话', visit: '拜访' },
    status: { planned: '待完成', done: '已完成', skipped: '已跳过', cancelled: '已取消' },
    outcome: {
      call: {
        reached: '接通',
        no_answer: '未接通',
        meeting_booked: '约到会面',
        refused: '拒绝',
        other: '其他',
      },
      visit: {
        reached: '见到了',
        no_answer: '没见到',
        meeting_booked: '约到会面',
        refused: '拒绝',
        other: '其他',
      },
    },
    title: (channel: string, account: string) => `${channel}：${account}`,
    overdueMark: '逾期 · ',
    done: '✓ 已完成',
    overdueSince: (date: string) => `已逾期：原定 ${date}，尚未记录`,
    phone: (phone: string) => `电话：${phone}`,
    city: (city: string) => `城市：${city}`,
    rep: (name: string) => `销售员：${name}`,
    lastTouch: (date: string, channel: string, outcome: string, note: string | null) =>
      `上次联系：${date} ${channel} ${outcome}${note ? `——${note}` : ''}`,
    account: (id: string) => `Tierline 客户 ${id}`,
    open: (url: string) => `在 Tierline 中打开：${url}`,
  },
} as const satisfies Record<ExportLanguage, unknown>;

/** A touch's state on a calendar: done, open, or open and due before today (overdue). */
type CalendarTouchState = 'planned' | 'done' | 'overdue';

export interface IcsOptions {
  /** The calendar's name (NAME, X-WR-CALNAME). */
  name: string;
  timeZone: string;
  now: Date;
  /** The language of titles and descriptions (default English). */
  lang?: ExportLanguage;
  /**
   * The live feed: open touches due before today are put on today (all-day), keeping their UID, so a subscribed
   * calendar moves them there. An export (a file, read once) leaves them on their day.
   */
  overdueOnToday?: boolean;
  /** The server's public origin (`https://crm.example.com`): each event links to its account page. */
  origin?: string | null;
  /** Each account's latest logged touch, named in the description. */
  lastTouches?: ReadonlyMap<string, LastTouch>;
}

/**
 * The plan as iCalendar (RFC 5545): stable UIDs (`<touch id>@tierline`), tier and account in SUMMARY, the channel in
 * CATEGORIES (`call`/`visit`), calls all-day and visits at their booked time. Every event is STATUS:CONFIRMED (VEVENT
 * has no "completed"); a done touch starts its SUMMARY with ✓ and adds the category `done`, an overdue one (open,
 * due before today) starts with "Overdue · " and adds `overdue`; X-TIERLINE-STATUS says planned, done or overdue
 * and X-TIERLINE-DUE the day it was planned for. The description names the phone, city, rep, the account's last
 * touch and, with `origin`, links to the account page (also as URL).
 */
export function touchesToIcs(touches: readonly CalendarTouch[], options: IcsOptions): string {
  const lang = options.lang ?? 'en';
  const words = PLAN_WORDS[lang];
  const today = todayIn(options.timeZone, options.now);
  const cal = ical({
    name: options.name,
    prodId: { company: 'Tierline', product: 'Tierline', language: lang === 'en' ? 'EN' : 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 3600,
  });
  for (const t of touches) {
    const state: CalendarTouchState =
      t.status === 'done' ? 'done' : t.status === 'planned' && t.dueOn < today ? 'overdue' : 'planned';
    const mark = state === 'done' ? '✓ ' : state === 'overdue' ? words.overdueMark : '';
    const summary = `${mark}[${t.tier ?? '-'}] ${words.title(words.channel[t.channel], t.accountName)}`;
    const location =
      fullAddress({ province: null, city: t.city, district: t.district, address: t.address }) || undefined;
    const url = options.origin ? `${options.origin}/accounts/${encodeURIComponent(t.accountId)}` : null;
    const last = options.lastTouches?.get(t.accountId);
    const place = [t.city, t.district].filter(Boolean).join(' ');
    const description = [
      state === 'done' ? words.done : state === 'overdue' ? words.overdueSince(t.dueOn) : null,
      t.phone ? words.phone(t.phone) : null,
      place ? words.city(place) : null,
      t.repName ? words.rep(t.repName) : null,
      last
        ? words.lastTouch(
            todayIn(options.timeZone, new Date(last.at)),
            words.channel[last.channel],
            words.outcome[last.channel][last.outcome],
            last.note?.trim() || null,
          )
        : null,
      url ? words.open(url) : words.account(t.accountId),
    ]
      .filter(Boolean)
      .join('\n');
    const base = {
      id: `${t.id}@tierline`,
      summary,
      location,
      description,
      url,
      status: ICalEventStatus.CONFIRMED,
      categories: [{ name: t.channel }, ...(state === 'planned' ? [] : [{ name: state }])],
      x: [
        ['X-TIERLINE-STATUS', state],
        ['X-TIERLINE-DUE', t.dueOn],
      ] as [string, string][],
      stamp: options.now,
    };
    const day = state === 'overdue' && options.overdueOnToday ? today : t.dueOn;
    if (t.channel === 'visit' && t.dueTime && day === t.dueOn) {
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
      cal.createEvent({ ...base, start: new Date(`${day}T12:00:00Z`), allDay: true });
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
  'repName',
] as const;

type PlanCsvColumn = (typeof PLAN_CSV_COLUMNS)[number];

/**
 * The plan CSV's header in each language of the accounts export (`ExportLanguage`): English keeps the column
 * keys, Chinese uses the accounts export's labels where the field is the same (企业名称, 分级, 城市, 区县).
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
    repName: 'repName',
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
    repName: '销售员',
  },
};

/**
 * The plan as CSV (UTF-8 with BOM, RFC 4180) in `lang` (default English). English keeps everything machine-readable
 * (the column keys; call/visit, planned/done); Chinese heads the columns in Chinese and says the channel and status
 * in words (电话/拜访, 待完成/已完成). `time` is a visit's booked time (HH:mm, set when a meeting is booked at a time);
 * calls and visits planned by the day have none.
 */
export function touchesToCsv(touches: readonly CalendarTouch[], lang: ExportLanguage = 'en'): string {
  const words = PLAN_WORDS[lang];
  const records = touches.map((t) =>
    csvRecord([
      t.dueOn,
      t.dueTime,
      lang === 'en' ? t.channel : words.channel[t.channel],
      t.accountId,
      t.accountName,
      t.tier,
      t.city,
      t.district,
      words.status[t.status],
      t.repId,
      t.repName,
    ]),
  );
  const header = PLAN_CSV_COLUMNS.map((c) => PLAN_CSV_HEADERS[lang][c]);
  return `${UTF8_BOM}${csvRecord(header)}${records.join('')}`;
}

/**
 * The plan between two dates (default: today to the end of the horizon) as iCalendar or CSV in `lang` (the
 * accounts export's `lang`: the CSV's header and values, the calendar's titles and descriptions). `origin` (the
 * server's public origin) links each event to its account page.
 */
export async function exportPlan(
  ctx: ServiceContext,
  format: 'ics' | 'csv',
  range: CalendarRange,
  lang: ExportLanguage = 'en',
  origin: string | null = null,
): Promise<{ body: string; contentType: string; fileName: string; count: number }> {
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const repId = await resolveRep(ctx, range.repId);
  const today = todayIn(settings.timeZone, ctx.now());
  const from = range.from ?? today;
  const to = range.to ?? addMonthsToDate(from, settings.horizonMonths);
  if (to <= from) throw new AppError('validation_failed', msg('calendar.empty_range', { to, from }));
  const touches = await loadTouches(db, { from, to, ...(repId ? { repId } : {}) });
  if (format === 'ics') {
    const rep = repId
      ? await db.selectFrom('users').select('name').where('id', '=', repId).executeTakeFirst()
      : undefined;
    const name = rep ? `${PLAN_WORDS[lang].plan} · ${rep.name}` : PLAN_WORDS[lang].plan;
    return {
      body: touchesToIcs(touches, {
        name,
        timeZone: settings.timeZone,
        now: ctx.now(),
        lang,
        origin,
        lastTouches: await lastTouchesOf(db, [...new Set(touches.map((t) => t.accountId))]),
      }),
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

/** What a feed's fetch tells about its reader: the server's public origin and the calendar app's language. */
export interface FeedRequest {
  /** `https://crm.example.com`: events link to their account page. */
  origin?: string | null;
  /** The language the calendar app asked for (Accept-Language), when it named Chinese or English. */
  language?: ExportLanguage | null;
}

const exportLanguageOf = (locale: string): ExportLanguage =>
  locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';

/**
 * The iCalendar behind a feed token: the user's touches (a manager's: the team's) from 30 days back to the end of
 * the horizon. A feed is live, so every open touch due before today (however old) is shown on today, marked overdue
 * with the day it was planned for, under its own UID: the calendar moves it there and back to its day never. Titles
 * and descriptions are in the owner's language as they chose it in Tierline; until they choose one, in the calendar
 * app's (Accept-Language), else in the user's stored default.
 */
export async function calendarFeed(
  ctx: ServiceContext,
  token: string,
  request: FeedRequest = {},
): Promise<string | null> {
  const db = ctx.db.kysely;
  const feed = await db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.id', 'u.id as userId', 'u.role', 'u.disabled_at', 'u.name', 'u.locale', 'u.locale_chosen_at'])
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
    openBefore: true,
    ...(repIds ? { repIds } : {}),
  });
  const lastTouches = await lastTouchesOf(db, [...new Set(touches.map((t) => t.accountId))]);
  await db
    .updateTable('calendar_feeds')
    .set({ last_used_at: ctx.now().toISOString() })
    .where('id', '=', feed.id)
    .execute();
  const lang =
    feed.locale_chosen_at === null && request.language ? request.language : exportLanguageOf(feed.locale);
  return touchesToIcs(touches, {
    name: `${PLAN_WORDS[lang].plan} · ${feed.name}`,
    timeZone: settings.timeZone,
    now: ctx.now(),
    lang,
    overdueOnToday: true,
    origin: request.origin ?? null,
    lastTouches,
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
 * answers 400 naming it, and nothing changes. In the same transaction the rep's open planned touches due from today
 * on a day that is no longer a working day for them are moved to working days (replanOffDays): `moved` says how many.
 */
export async function setDaysOff(
  ctx: ServiceContext,
  repId: string | undefined,
  { dates, holidays, version }: DaysOffChange,
): Promise<TRepDaysOffSaved> {
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
  // Retried when PostgreSQL breaks a deadlock with a logged touch re-planning the same rep's touches.
  return inTransaction(ctx.db.kysely, async (trx) => {
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
    const moved = await replanOffDays(ctx, trx, rep, at);
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'user',
      entityId: rep,
      action: 'days-off',
      before: { dates: JSON.parse(before.days_off), holidays: before.holiday_country },
      after: { dates: sorted, holidays: country, moved },
    });
    return { repId: rep, dates: sorted, holidays: country, version: version + 1, moved };
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
