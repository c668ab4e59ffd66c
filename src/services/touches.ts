import { tzOffset } from '@date-fns/tz';
import { intervalDays, resolveCadence } from '../domain/cadence/cadence-rules.ts';
import {
  addMonthsToDate,
  daysBetween,
  fromDayNumber,
  type LocalDate,
  shiftDate,
  toDayNumber,
} from '../domain/calendar/local-date.ts';
import { todayIn, utcOffsetAt } from '../domain/calendar/time-zone.ts';
import type { WorkingCalendar } from '../domain/calendar/working-calendar.ts';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { type BookedTouch, replanAccount, replanFrame } from '../domain/plan/build-plan.ts';
import { weekdayOf } from '../domain/plan/day-grid.ts';
import { isContact, retriesAfter, retryDay } from '../domain/plan/no-answer.ts';
import { PREFERRED_TOLERANCE } from '../domain/plan/series.ts';
import { type TierChangeStart, tierChangeStart } from '../domain/plan/tier-change.ts';
import type { TCadenceRule } from '../schemas/cadence.ts';
import type { TChannel, TOutcome, TPipelineStage, TTier } from '../schemas/common.ts';
import type {
  TActivity,
  TAgenda,
  TAgendaItem,
  TLogTouch,
  TLogTouchResult,
  TPlannedTouch,
} from '../schemas/plan-api.ts';
import type { TWorkspaceSettings } from '../schemas/workspace.ts';
import type { DialectName } from '../storage/database.ts';
import { isUniqueViolation } from '../storage/db-errors.ts';
import { newId } from '../storage/ids.ts';
import { preparedByLength, prepareQuery } from '../storage/prepared-query.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { loadLastTouchesOf } from '../storage/repositories/plan.ts';
import type { ActivitiesTable } from '../storage/tables.ts';
import { inTransaction } from '../storage/transaction.ts';
import { assertCanSeeAccount } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { calendarFor, calendarWithDaysOff, planHorizonEnd, readCadenceRules } from './plan.ts';
import { resolveRep } from './rep-scope.ts';
import {
  BulkReplanStore,
  type DayCount,
  type DayPlaces,
  type OwnTouch,
  type ReplanStore,
  type SavedTouch,
} from './replan-store.ts';
import { recordRealOutcome } from './skills.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

const TIER_ORDER: Record<string, number> = { A: 0, B: 1, C: 2 };
/** A booked call, for the planner's day load (only visits are grouped by place). */
const NO_PLACE: BookedTouch = { city: null, district: null };
/** A day without other touches (the planner only reads the lists it is given). */
const NO_TOUCHES: readonly BookedTouch[] = Object.freeze([]);
/** `n` calls, shared by every day with as many (calls are only counted, never compared by place). */
const callLists: (readonly BookedTouch[])[] = [];
function callsOn(n: number): readonly BookedTouch[] {
  let list = callLists[n];
  if (!list) {
    list = Object.freeze(new Array<BookedTouch>(n).fill(NO_PLACE));
    if (n < 1000) callLists[n] = list;
  }
  return list;
}

/** The day's calls and visits: overdue first, then A, B, C; each with its last touch and note. */
export async function getAgenda(
  ctx: ServiceContext,
  query: { date?: string; repId?: string },
): Promise<TAgenda> {
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const date = query.date ?? todayIn(settings.timeZone, ctx.now());
  const repId = await resolveRep(ctx, query.repId, db);
  const rows = await openTouchesDue(ctx.db.dialect, db, repId, date);
  const last = await lastActivities(db, [...new Set(rows.map((r) => r.accountId))]);
  const items: TAgendaItem[] = [];
  for (const r of rows) {
    const overdueDays = r.dueOn < date ? daysBetween(r.dueOn, date) : 0;
    const l = last.get(r.accountId);
    items.push({
      touchId: r.touchId,
      accountId: r.accountId,
      accountName: r.accountName,
      tier: r.tier,
      city: r.city,
      district: r.district,
      phone: r.phone,
      stage: r.stage,
      channel: r.channel,
      dueOn: r.dueOn,
      dueTime: r.dueTime,
      repId: r.repId,
      overdue: overdueDays > 0,
      overdueDays,
      lastTouch: l ? { at: l.occurred_at, channel: l.channel, outcome: l.outcome, note: l.note } : null,
    });
  }
  items.sort(compareAgendaItems);

  // The list stops at AGENDA_ITEM_LIMIT touches (the oldest due first); the counts are of every open touch, from
  // SQL when the list may have been cut.
  const listed = {
    overdue: items.filter((i) => i.overdue).length,
    calls: items.filter((i) => i.channel === 'call').length,
    visits: items.filter((i) => i.channel === 'visit').length,
  };
  const [done, goal, next, counts, calendar] = await Promise.all([
    touchesLoggedOn(db, repId, date, settings.timeZone),
    plannedFor(db, repId, date),
    items.length === 0 ? nextPlannedDay(db, repId, date) : null,
    rows.length >= AGENDA_ITEM_LIMIT ? countOpenTouchesDue(db, repId, date) : listed,
    calendarFor(db, settings, repId),
  ]);
  // The day on the rep's calendar (everyone's agenda: the workspace's), so a weekend, a holiday or a day off is
  // said as such rather than as a day with nothing planned.
  const info = calendar.dayInfo(date);
  return {
    date,
    timeZone: settings.timeZone,
    repId,
    items,
    counts,
    truncated: counts.calls + counts.visits > items.length,
    done,
    goal,
    next,
    day: { working: info.working, kind: info.kind, name: info.name ?? null },
  };
}

type AgendaOrderFields = Pick<TAgendaItem, 'overdue' | 'channel' | 'city' | 'dueOn' | 'accountName'> & {
  tier: string | null;
};

/** The agenda's order: overdue first, then A, B, C; visits before calls; by city, due date and account name. */
export function compareAgendaItems(a: AgendaOrderFields, b: AgendaOrderFields): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    (TIER_ORDER[a.tier ?? ''] ?? 3) - (TIER_ORDER[b.tier ?? ''] ?? 3) ||
    (a.channel === b.channel ? 0 : a.channel === 'visit' ? -1 : 1) ||
    (a.city ?? '').localeCompare(b.city ?? '') ||
    a.dueOn.localeCompare(b.dueOn) ||
    a.accountName.localeCompare(b.accountName)
  );
}

/** The most open touches the agenda lists (the oldest due first); its counts are of all of them. */
export const AGENDA_ITEM_LIMIT = 5000;

/** Every open touch due by the date (of the rep, or everyone's): overdue ones, calls and visits, counted in SQL. */
async function countOpenTouchesDue(
  db: Executor,
  repId: string | null,
  date: string,
): Promise<TAgenda['counts']> {
  let query = db
    .selectFrom('planned_touches')
    .select((eb) => [
      'channel',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn
        .sum<number | string | null>(eb.case().when('due_on', '<', date).then(1).else(0).end())
        .as('overdue'),
    ])
    .where('status', '=', 'planned')
    .where('due_on', '<=', date);
  if (repId) query = query.where('rep_id', '=', repId);
  const counts = { overdue: 0, calls: 0, visits: 0 };
  for (const row of await query.groupBy('channel').execute()) {
    counts.overdue += Number(row.overdue ?? 0);
    if (row.channel === 'call') counts.calls += Number(row.n);
    else counts.visits += Number(row.n);
  }
  return counts;
}

// The agenda's statements are built and compiled once (storage/prepared-query.ts): it is the most requested
// read, and Kysely's building and compiling cost more CPU than SQLite takes to run them.
const TOUCH_COLUMNS = [
  't.id as touchId',
  't.account_id as accountId',
  't.channel',
  't.due_on as dueOn',
  't.due_time as dueTime',
  't.rep_id as repId',
] as const;
const openTouchesQuery = (db: Executor, date: string) =>
  db
    .selectFrom('planned_touches as t')
    .select(TOUCH_COLUMNS)
    .where('t.status', '=', 'planned')
    .where('t.due_on', '<=', date);
const openTouchesOfRep = prepareQuery(2, (db, [date, repId]: [string, string]) =>
  openTouchesQuery(db, date).where('t.rep_id', '=', repId).orderBy('t.due_on').limit(AGENDA_ITEM_LIMIT),
);
const openTouchesOfAll = prepareQuery(1, (db, [date]: [string]) =>
  openTouchesQuery(db, date).orderBy('t.due_on').limit(AGENDA_ITEM_LIMIT),
);
const agendaAccountsByIds = preparedByLength((db, ids) =>
  db
    .selectFrom('accounts')
    .select(['id', 'name', 'tier', 'city', 'district', 'phone', 'stage'])
    .where('id', 'in', ids),
);
// The same rows in one statement (bench/agenda-server.ts runs it verbatim as the bare handler's).
const joinedTouchesQuery = (db: Executor, date: string) =>
  db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select([
      ...TOUCH_COLUMNS,
      'a.name as accountName',
      'a.tier',
      'a.city',
      'a.district',
      'a.phone',
      'a.stage',
    ])
    .where('t.status', '=', 'planned')
    .where('t.due_on', '<=', date);
const joinedTouchesOfRep = prepareQuery(2, (db, [date, repId]: [string, string]) =>
  joinedTouchesQuery(db, date).where('t.rep_id', '=', repId).orderBy('t.due_on').limit(AGENDA_ITEM_LIMIT),
);
const joinedTouchesOfAll = prepareQuery(1, (db, [date]: [string]) =>
  joinedTouchesQuery(db, date).orderBy('t.due_on').limit(AGENDA_ITEM_LIMIT),
);
type AgendaRow = Awaited<ReturnType<typeof joinedTouchesOfAll.execute>>[number];

/**
 * The open touches due by the date (AGENDA_ITEM_LIMIT at most, by due date) with what the agenda shows of their
 * accounts.
 * SQLite: one join, the open touches from their index and each account by primary key. PostgreSQL misjudged how
 * many of a rep's touches are open and due in that join (status and date are correlated) and hashed the whole
 * accounts table, ~100 ms a request instead of ~2 (docs/reliability.md, "Load"): there the touches come first,
 * then their accounts by primary key, 500 ids a query.
 */
async function openTouchesDue(
  dialect: DialectName,
  db: Executor,
  repId: string | null,
  date: string,
): Promise<AgendaRow[]> {
  if (dialect === 'sqlite') {
    return repId ? joinedTouchesOfRep.execute(db, [date, repId]) : joinedTouchesOfAll.execute(db, [date]);
  }
  const touches = repId
    ? await openTouchesOfRep.execute(db, [date, repId])
    : await openTouchesOfAll.execute(db, [date]);
  const ids = [...new Set(touches.map((r) => r.accountId))];
  const accounts = new Map<string, Awaited<ReturnType<typeof agendaAccountsByIds>>[number]>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const a of await agendaAccountsByIds(db, ids.slice(i, i + 500))) accounts.set(a.id, a);
  }
  const rows: AgendaRow[] = [];
  for (const t of touches) {
    // Every touch has its account (a foreign key that cascades on delete); skipped as the join would.
    const a = accounts.get(t.accountId);
    if (!a) continue;
    rows.push({
      touchId: t.touchId,
      accountId: t.accountId,
      accountName: a.name,
      tier: a.tier,
      city: a.city,
      district: a.district,
      phone: a.phone,
      stage: a.stage,
      channel: t.channel,
      dueOn: t.dueOn,
      dueTime: t.dueTime,
      repId: t.repId,
    });
  }
  return rows;
}

const lastActivitiesByIds = preparedByLength((db, ids) =>
  db
    .selectFrom('activities')
    .select(['account_id', 'occurred_at', 'channel', 'outcome', 'note'])
    .where('account_id', 'in', ids)
    .orderBy('occurred_at', 'desc'),
);

async function lastActivities(db: Executor, accountIds: string[]) {
  const map = new Map<string, Pick<ActivitiesTable, 'occurred_at' | 'channel' | 'outcome' | 'note'>>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await lastActivitiesByIds(db, accountIds.slice(i, i + 500));
    for (const r of rows) if (!map.has(r.account_id)) map.set(r.account_id, r);
  }
  return map;
}

/** utcBounds' answers by zone and date: every agenda request asks for one of a few dates (tzOffset ≈ 10 µs). */
const boundsCache = new Map<string, { from: string; to: string }>();

/** UTC instants bounding a local date in a time zone (the date's first instant and the next date's). */
function utcBounds(date: LocalDate, timeZone: string): { from: string; to: string } {
  const key = `${timeZone} ${date}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    if (boundsCache.size >= 1000) boundsCache.clear();
    bounds = computeUtcBounds(date, timeZone);
    boundsCache.set(key, bounds);
  }
  return bounds;
}

function computeUtcBounds(date: LocalDate, timeZone: string): { from: string; to: string } {
  // The zone's offset at the date's UTC midnight. tzOffset keeps one Intl formatter per zone; toLocaleString
  // made a new one per call, ~1 ms each on this 2-core box and four per agenda.
  const offsetAt = (d: LocalDate) => tzOffset(timeZone, new Date(`${d}T00:00:00Z`)) * 60_000;
  const start = Date.parse(`${date}T00:00:00Z`) - offsetAt(date);
  const next = shiftDate(date, 1);
  const end = Date.parse(`${next}T00:00:00Z`) - offsetAt(next);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

const countChannels = (rows: { channel: TChannel; n: number | string | bigint }[]) => ({
  calls: Number(rows.find((r) => r.channel === 'call')?.n ?? 0),
  visits: Number(rows.find((r) => r.channel === 'visit')?.n ?? 0),
});

const loggedQuery = (db: Executor, from: string, to: string) =>
  db
    .selectFrom('activities')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .groupBy('channel');
const loggedByRep = prepareQuery(3, (db, [from, to, repId]: [string, string, string]) =>
  loggedQuery(db, from, to).where('user_id', '=', repId),
);
const loggedByAll = prepareQuery(2, (db, [from, to]: [string, string]) => loggedQuery(db, from, to));

async function touchesLoggedOn(db: Executor, repId: string | null, date: LocalDate, timeZone: string) {
  const { from, to } = utcBounds(date, timeZone);
  return countChannels(
    repId ? await loggedByRep.execute(db, [from, to, repId]) : await loggedByAll.execute(db, [from, to]),
  );
}

/** Calls and visits due on a date whose status is one of `statuses`, for one rep or everyone (prepared once). */
function touchCountsOn(statuses: readonly ('planned' | 'done')[]) {
  const query = (db: Executor, date: string) =>
    db
      .selectFrom('planned_touches')
      .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
      .where('due_on', '=', date)
      .where('status', 'in', statuses)
      .groupBy('channel');
  const ofRep = prepareQuery(2, (db, [date, repId]: [string, string]) =>
    query(db, date).where('rep_id', '=', repId),
  );
  const ofAll = prepareQuery(1, (db, [date]: [string]) => query(db, date));
  return async (db: Executor, repId: string | null, date: LocalDate) =>
    countChannels(repId ? await ofRep.execute(db, [date, repId]) : await ofAll.execute(db, [date]));
}
/** The day's goal: everything planned for it, open or done. */
const plannedFor = touchCountsOn(['planned', 'done']);
/** What is still open on a day. */
const openOn = touchCountsOn(['planned']);

const nextOpenQuery = (db: Executor, date: string) =>
  db
    .selectFrom('planned_touches')
    .select((eb) => eb.fn.min<string>('due_on').as('dueOn'))
    .where('status', '=', 'planned')
    .where('due_on', '>', date);
const nextOpenOfRep = prepareQuery(2, (db, [date, repId]: [string, string]) =>
  nextOpenQuery(db, date).where('rep_id', '=', repId),
);
const nextOpenOfAll = prepareQuery(1, (db, [date]: [string]) => nextOpenQuery(db, date));

/** The first date after `date` with open planned touches, and how many calls and visits are open on it. */
async function nextPlannedDay(db: Executor, repId: string | null, date: LocalDate) {
  const row = repId
    ? await nextOpenOfRep.executeTakeFirst(db, [date, repId])
    : await nextOpenOfAll.executeTakeFirst(db, [date]);
  const next = row?.dueOn ?? null;
  if (!next) return null;
  return { date: next, ...(await openOn(db, repId, next)) };
}

// Method §8: logged outcomes move the pipeline forward, never backward.
const STAGE_RANK: Record<TPipelineStage, number> = {
  prospect: 0,
  contacted: 1,
  meeting: 2,
  proposal: 3,
  won: 4,
  lost: 4,
  dormant: 0,
};
function stageAfter(stage: TPipelineStage, outcome: TOutcome): TPipelineStage {
  const target: TPipelineStage | null =
    outcome === 'meeting_booked'
      ? 'meeting'
      : outcome === 'reached' || outcome === 'refused' || outcome === 'other'
        ? 'contacted'
        : null;
  if (!target) return stage;
  if (stage === 'dormant') return target;
  return STAGE_RANK[target] > STAGE_RANK[stage] ? target : stage;
}

async function resolveObjection(
  db: Executor,
  idOrCode: string | undefined,
  responseIdOrCode: string | undefined,
) {
  if (!idOrCode) {
    if (responseIdOrCode)
      throw new AppError('validation_failed', msg('touches.response_needs_objection'), {
        field: 'objectionId',
      });
    return { objectionId: null, responseId: null };
  }
  const objection = await db
    .selectFrom('objections')
    .select(['id', 'code'])
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
  if (!objection)
    throw new AppError('validation_failed', msg('touches.objection_unknown', { id: idOrCode }), {
      field: 'objectionId',
      value: idOrCode,
    });
  if (!responseIdOrCode) return { objectionId: objection.id, responseId: null };
  const response = await db
    .selectFrom('objection_responses')
    .select('id')
    .where('objection_id', '=', objection.id)
    .where((eb) => eb.or([eb('id', '=', responseIdOrCode), eb('code', '=', responseIdOrCode)]))
    .executeTakeFirst();
  if (!response) {
    throw new AppError(
      'validation_failed',
      msg('touches.response_not_of_objection', { id: responseIdOrCode, code: objection.code }),
      { field: 'responseId', value: responseIdOrCode },
    );
  }
  return { objectionId: objection.id, responseId: response.id };
}

function toActivity(row: ActivitiesTable): TActivity {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    channel: row.channel,
    occurredAt: row.occurred_at,
    outcome: row.outcome,
    objectionId: row.objection_id,
    responseId: row.response_id,
    note: row.note,
    nextStep: row.next_step,
    plannedTouchId: row.planned_touch_id,
  };
}

/**
 * Logs a call or visit: completes the account's next open planned touch on that channel (an overdue one
 * first), re-plans that channel from the log date, or from the latest touch already logged on it when that is later
 * (nothing before today: a back-dated log's next touch already due goes to the first working day from today with
 * room), and moves the pipeline stage. One transaction. Besides (docs/figures.md, "Contacts"):
 *
 * - a call nobody answered is retried two working days on (retrySeries), within a round of tries (NO_ANSWER_ROUND);
 * - a meeting booked with `meetingAt` puts a visit on that day and time in place of the account's open visits, the
 *   visit cadence continuing from it (bookMeeting); a visit booked with a time for a later day is not completed by a
 *   visit logged before it, and the series around it goes on from it;
 * - a visit that reached someone covers the account's calls due by its day (coverCalls).
 */
export async function logTouch(
  ctx: ServiceContext,
  accountId: string,
  input: TLogTouch,
): Promise<TLogTouchResult> {
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  // A date without a time means noon of that day in the workspace's time zone.
  const occurredAt = input.at
    ? input.at.length === 10
      ? new Date(Date.parse(utcBounds(input.at, settings.timeZone).from) + 12 * 3_600_000).toISOString()
      : new Date(input.at).toISOString()
    : ctx.now().toISOString();
  if (Date.parse(occurredAt) > ctx.now().getTime() + 5 * 60_000) {
    throw new AppError('validation_failed', msg('touches.in_future'), { field: 'at', at: input.at });
  }
  const loggedOn = todayIn(settings.timeZone, new Date(occurredAt));
  const today = todayIn(settings.timeZone, ctx.now());
  const meeting = meetingOf(input, settings.timeZone, ctx.now());
  const at = ctx.now().toISOString();
  const clientId = input.clientId ?? null;

  // Retried when PostgreSQL breaks a deadlock with a plan being saved for the same account at the same moment.
  const logOnce = () =>
    inTransaction(db, async (trx) => {
      const account = await assertCanSeeAccount(ctx, accountId, trx);
      // Sent before (the answer was lost, or an outbox sends again what it kept): the first log's answer, nothing new.
      if (clientId) {
        const earlier = await trx
          .selectFrom('activities')
          .selectAll()
          .where('client_id', '=', clientId)
          .executeTakeFirst();
        if (earlier) return replayedLog(ctx, trx, earlier, accountId, input, account.stage);
      }
      const { objectionId, responseId } = await resolveObjection(trx, input.objectionId, input.responseId);
      // The account's open touches on the channel, earliest first: the first is the one this log completes, the
      // others give way to the re-planned series (rewritten in place, see replanChannel). Read once for both.
      const openQuery = trx
        .selectFrom('planned_touches')
        .select(['id', 'due_on', 'rep_id', 'due_time'])
        .where('account_id', '=', accountId)
        .where('channel', '=', input.channel)
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .orderBy('id');
      // PostgreSQL: lock them, so that a plan committed meanwhile cannot delete the touch being completed between
      // this read and its update (the log would point at a planned touch that no longer exists), and either replaced
      // the others before this read (they are not seen) or waits for this transaction. SQLite runs one write
      // transaction at a time.
      const openTouches = await (ctx.db.dialect === 'postgres' ? openQuery.forUpdate() : openQuery).execute();
      // A log back-dated before one already logged on the channel (last week's paper notes entered after today's
      // call) is history: the series already continues from the later log, so it completes no planned touch (the
      // earliest open one was planned after that log, for later) and re-plans nothing.
      const latest = await trx
        .selectFrom('activities')
        .select((eb) => eb.fn.max('occurred_at').as('last'))
        .where('account_id', '=', accountId)
        .where('channel', '=', input.channel)
        .executeTakeFirst();
      const history = latest?.last != null && Date.parse(String(latest.last)) > Date.parse(occurredAt);
      let [open, ...own] = history ? [] : openTouches;
      // A visit booked for a later day with its time (a meeting: only a booking gives a touch a time) is not the one
      // a visit logged before that day completes.
      if (open && booked(open, loggedOn)) {
        own = openTouches;
        open = undefined;
      }
      const activity: ActivitiesTable = {
        id: newId(),
        account_id: accountId,
        user_id: ctx.actor.userId,
        channel: input.channel,
        occurred_at: occurredAt,
        outcome: input.outcome,
        objection_id: objectionId,
        response_id: responseId,
        note: input.note || null,
        next_step: input.nextStep || null,
        planned_touch_id: open?.id ?? null,
        created_at: at,
      };
      await trx
        .insertInto('activities')
        .values(clientId ? { ...activity, client_id: clientId } : activity)
        .execute();
      if (open) {
        await trx
          .updateTable('planned_touches')
          .set({ status: 'done', activity_id: activity.id, updated_at: at })
          .where('id', '=', open.id)
          .execute();
      }
      const stage = stageAfter(account.stage, input.outcome);
      if (stage !== account.stage) {
        await trx
          .updateTable('accounts')
          .set((eb) => ({ stage, updated_at: at, version: eb('version', '+', 1) }))
          .where('id', '=', accountId)
          .execute();
      }
      const repId = open?.rep_id ?? account.owner_id;
      // The objection met is a real use of the rep's skill for it (learning stages, issue 5).
      await recordRealOutcome(
        trx,
        {
          userId: activity.user_id ?? repId,
          objectionId,
          occurredAt,
          outcome: activity.outcome,
          nextStep: activity.next_step,
        },
        ctx.now(),
      );
      const reads = replanReads(trx, settings);
      const target = (channel: TChannel, rep: string | null, from: LocalDate): ReplanTarget => ({
        accountId,
        repId: rep,
        channel,
        loggedOn: from,
        // A back-dated log: the series continues from its date, but nothing is planned before today (a touch it makes
        // due in the past is due as early as possible from today), as a tier change's re-plan.
        from: today,
        tier: account.in_market === 1 ? account.tier : null,
        city: account.city,
        district: account.district,
        score: account.potential_score,
        at,
        settings,
      });
      let nextTouches: SavedTouch[] = history
        ? openTouches.map((t) => ({ id: t.id, channel: input.channel, dueOn: t.due_on }))
        : [];
      let retry = false;
      if (!history && !(meeting && input.channel === 'visit')) {
        // Visits booked for later days stay as they are; the series goes on from the last of them.
        const kept = own.filter((t) => booked(t, loggedOn));
        const rest = own.filter((t) => !booked(t, loggedOn));
        const series = target(input.channel, repId, kept.at(-1)?.due_on ?? loggedOn);
        const retried =
          input.channel === 'call' &&
          !isContact(input.outcome) &&
          retriesAfter(await unansweredInARow(trx, accountId, input.channel))
            ? await retrySeries(trx, series, rest, reads, today)
            : null;
        retry = retried !== null;
        const saved = retried
          ? await reads.store.save(series, rest, retried)
          : await replanChannel(trx, rest, series, reads);
        nextTouches = [...kept.map((t) => ({ id: t.id, channel: input.channel, dueOn: t.due_on })), ...saved];
      }
      let booking: TLogTouchResult['meeting'] = null;
      if (meeting) {
        // The account's open visits give way to the meeting (a visit logged now has completed its own already).
        const visits =
          input.channel === 'visit'
            ? history
              ? openTouches
              : own
            : await openTouchesOf(ctx, trx, accountId, 'visit');
        const made = await bookMeeting(
          trx,
          meeting,
          visits,
          reads,
          target('visit', visits[0]?.rep_id ?? account.owner_id, meeting.day),
        );
        booking = made.meeting;
        if (input.channel === 'visit') nextTouches = made.series;
      }
      const coveredCalls =
        input.channel === 'visit' && isContact(input.outcome) && !history
          ? await coverCalls(ctx, trx, activity, loggedOn, reads, (rep) =>
              target('call', rep ?? account.owner_id, loggedOn),
            )
          : [];
      return {
        activity: toActivity(activity),
        completedTouchId: open?.id ?? null,
        nextTouches,
        stage,
        replayed: false,
        retry,
        meeting: booking,
        coveredCalls,
      };
    });
  try {
    return await logOnce();
  } catch (error) {
    // PostgreSQL: the same log sent twice at once, both read no earlier one; the second insert meets the first's
    // unique client id after it committed. Run again, it finds that log and answers it.
    if (clientId && isUniqueViolation(error, 'activities', 'client_id')) return logOnce();
    throw error;
  }
}

/**
 * The answer to a log sent again with the same client id: the first log, the touch it completed, the channel's
 * open touches as they are now and the account's stage. The same id on a different log (another account, channel,
 * outcome or person) is a client's mistake, refused rather than answered with someone else's log.
 */
async function replayedLog(
  ctx: ServiceContext,
  trx: Executor,
  earlier: ActivitiesTable,
  accountId: string,
  input: TLogTouch,
  stage: string,
): Promise<TLogTouchResult> {
  if (
    earlier.account_id !== accountId ||
    earlier.user_id !== ctx.actor.userId ||
    earlier.channel !== input.channel ||
    earlier.outcome !== input.outcome
  ) {
    throw new AppError('conflict', msg('touches.client_id_reused', { clientId: input.clientId ?? '' }), {
      field: 'clientId',
    });
  }
  const open = await trx
    .selectFrom('planned_touches')
    .select(['id', 'due_on'])
    .where('account_id', '=', accountId)
    .where('channel', '=', earlier.channel)
    .where('status', '=', 'planned')
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  // The meeting it booked, while its visit is still as booked (a re-plan since gives the row another time and date).
  const visit =
    earlier.outcome === 'meeting_booked'
      ? await trx
          .selectFrom('planned_touches')
          .select(['id', 'due_on', 'due_time', 'rep_id'])
          .where('account_id', '=', accountId)
          .where('channel', '=', 'visit')
          .where('status', 'in', ['planned', 'done'])
          .where('due_time', 'is not', null)
          .where('created_at', '=', earlier.created_at)
          .executeTakeFirst()
      : undefined;
  let meeting: TLogTouchResult['meeting'] = null;
  if (visit) {
    const settings = await readWorkspaceSettings(trx);
    const info = (await calendarFor(trx, settings, visit.rep_id)).dayInfo(visit.due_on);
    meeting = {
      id: visit.id,
      dueOn: visit.due_on,
      dueTime: visit.due_time,
      day: { working: info.working, kind: info.kind, name: info.name ?? null },
    };
  }
  const covered = await trx
    .selectFrom('planned_touches')
    .select(['id', 'due_on'])
    .where('activity_id', '=', earlier.id)
    .where('status', '=', 'skipped')
    .orderBy('due_on')
    .execute();
  return {
    activity: toActivity(earlier),
    completedTouchId: earlier.planned_touch_id,
    nextTouches: open.map((t) => ({ id: t.id, channel: earlier.channel, dueOn: t.due_on })),
    stage,
    replayed: true,
    retry: false,
    meeting,
    coveredCalls: covered.map((t) => ({ id: t.id, dueOn: t.due_on })),
  };
}

/** A visit booked for a later day than `loggedOn` with its time: a meeting (bookMeeting), kept by re-plans. */
function booked(touch: { due_on: string; due_time?: string | null }, loggedOn: LocalDate): boolean {
  return touch.due_time != null && touch.due_on > loggedOn;
}

/** A booked meeting (`meetingAt`): its day, and its time when given. */
interface Meeting {
  day: LocalDate;
  time: string | null;
}

/**
 * The meeting a log books (`meetingAt`, on the workspace's clock), checked: only with the outcome meeting_booked,
 * not in the past (today at a later time is fine), at most a year ahead. A day off for the rep is allowed: the
 * customer chose the day, and the answer says what day it is.
 */
function meetingOf(input: TLogTouch, timeZone: string, now: Date): Meeting | null {
  if (input.meetingAt === undefined) return null;
  if (input.outcome !== 'meeting_booked') {
    throw new AppError('validation_failed', msg('touches.meeting_needs_booking'), { field: 'meetingAt' });
  }
  const day = input.meetingAt.slice(0, 10);
  const time = input.meetingAt.length > 10 ? input.meetingAt.slice(11, 16) : null;
  // Now on the workspace's clock, as YYYY-MM-DDTHH:MM.
  const wall = new Date(now.getTime() + utcOffsetAt(timeZone, now.getTime())).toISOString().slice(0, 16);
  const today = wall.slice(0, 10);
  if (day < today || (time !== null && `${day}T${time}` < wall)) {
    throw new AppError(
      'validation_failed',
      msg('touches.meeting_in_past', { meetingAt: input.meetingAt, now: wall.replace('T', ' '), timeZone }),
      { field: 'meetingAt', value: input.meetingAt },
    );
  }
  const latest = addMonthsToDate(today, 12);
  if (day > latest) {
    throw new AppError(
      'validation_failed',
      msg('touches.meeting_too_far', { meetingAt: input.meetingAt, latest }),
      {
        field: 'meetingAt',
        value: input.meetingAt,
      },
    );
  }
  return { day, time };
}

/** The account's open touches on a channel, earliest first (locked on PostgreSQL, as logTouch locks its own). */
async function openTouchesOf(ctx: ServiceContext, trx: Executor, accountId: string, channel: TChannel) {
  const query = trx
    .selectFrom('planned_touches')
    .select(['id', 'due_on', 'rep_id', 'due_time'])
    .where('account_id', '=', accountId)
    .where('channel', '=', channel)
    .where('status', '=', 'planned')
    .orderBy('due_on')
    .orderBy('id');
  return (ctx.db.dialect === 'postgres' ? query.forUpdate() : query).execute();
}

/** Logs on the channel without an answer in a row since its last contact, the latest (just logged) included. */
async function unansweredInARow(trx: Executor, accountId: string, channel: TChannel): Promise<number> {
  const rows = await trx
    .selectFrom('activities')
    .select('outcome')
    .where('account_id', '=', accountId)
    .where('channel', '=', channel)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1000)
    .execute();
  let n = 0;
  while (n < rows.length && !isContact((rows[n] as { outcome: string }).outcome)) n++;
  return n;
}

/**
 * The series after a call nobody answered on `a.loggedOn`: its retry two working days on, on the rep's calendar and
 * within the rep's daily capacity (retryDay, domain/plan/no-answer.ts), then the cadence's series from the retry as
 * from a call made that day. Null when the re-plan would plan nothing (no plan running past the retry, no tier or
 * cadence on the channel): the usual re-plan then.
 */
async function retrySeries(
  trx: Executor,
  a: ReplanTarget,
  own: readonly OwnTouch[],
  reads: ReplanReads,
  today: LocalDate,
): Promise<{ channel: TChannel; dueOn: string }[] | null> {
  const until = await reads.until(a.repId);
  if (!until || !a.tier || !resolveCadence(await reads.cadence())[a.tier][a.channel]) return null;
  const { rep, calendar } = await reads.rep(a.repId);
  const capacity =
    (a.channel === 'call' ? rep?.calls_per_day : rep?.visits_per_day) ??
    (a.channel === 'call' ? a.settings.capacity.callsPerDay : a.settings.capacity.visitsPerDay);
  // The rep's other touches on the channel over the next weeks (the account's own still stored are taken off).
  const first = a.loggedOn > today ? a.loggedOn : today;
  const ownOn = new Map<string, number>();
  for (const t of own) if (t.rep_id === a.repId) ownOn.set(t.due_on, (ownOn.get(t.due_on) ?? 0) + 1);
  const loads = new Map<string, number>();
  for (const r of await reads.store.dayCounts(a.repId, a.channel, first, shiftDate(first, 40))) {
    loads.set(r.due_on, r.n - (ownOn.get(r.due_on) ?? 0));
  }
  const day = retryDay({
    loggedOn: a.loggedOn,
    today,
    calendar,
    load: (d) => loads.get(d) ?? 0,
    capacity,
  });
  if (day >= until) return null;
  const series = await replannedSeries(trx, { ...a, keep: day }, own, reads);
  return series.length > 0 ? series : null;
}

/**
 * Puts a booked meeting on the account's visits: the meeting's day (and time) first, then the visit cadence's series
 * from it as from a visit made that day (the tier's cadence, within the plan's horizon), over the account's open
 * visits (`own`, rewritten in place: the next open visit becomes the meeting, so there is no second visit beside it).
 * The meeting is planned whatever the capacity and the calendar say (the customer chose the day), without a plan or
 * a tier too; its day on the rep's calendar is answered.
 */
async function bookMeeting(
  trx: Executor,
  meeting: Meeting,
  own: readonly OwnTouch[],
  reads: ReplanReads,
  a: ReplanTarget,
): Promise<{ series: SavedTouch[]; meeting: NonNullable<TLogTouchResult['meeting']> }> {
  const after = await replannedSeries(trx, a, own, reads);
  const series = await reads.store.save(a, own, [{ channel: 'visit', dueOn: meeting.day }, ...after]);
  const visit = series[0] as SavedTouch;
  if (meeting.time !== null) {
    await trx
      .updateTable('planned_touches')
      .set({ due_time: meeting.time })
      .where('id', '=', visit.id)
      .execute();
  }
  const info = (await reads.rep(a.repId)).calendar.dayInfo(meeting.day);
  return {
    series,
    meeting: {
      id: visit.id,
      dueOn: meeting.day,
      dueTime: meeting.time,
      day: { working: info.working, kind: info.kind, name: info.name ?? null },
    },
  };
}

/**
 * A visit that reached someone keeps the call cadence too (it is about keeping in contact): the account's open calls
 * due on or before the visit's day are covered by it, stored as `skipped` with the visit's activity (not done: no call
 * was made, and calls made count logged calls only), and the call series is re-planned from the visit's day. Nothing
 * when a call was logged after the visit (the series already runs from that call).
 */
async function coverCalls(
  ctx: ServiceContext,
  trx: Executor,
  visit: ActivitiesTable,
  visitedOn: LocalDate,
  reads: ReplanReads,
  target: (repId: string | null) => ReplanTarget,
): Promise<{ id: string; dueOn: string }[]> {
  const calls = await openTouchesOf(ctx, trx, visit.account_id, 'call');
  const covered = calls.filter((t) => t.due_on <= visitedOn);
  if (covered.length === 0) return [];
  const later = await trx
    .selectFrom('activities')
    .select('id')
    .where('account_id', '=', visit.account_id)
    .where('channel', '=', 'call')
    .where('occurred_at', '>', visit.occurred_at)
    .limit(1)
    .executeTakeFirst();
  if (later) return [];
  const ids = covered.map((t) => t.id);
  await trx
    .updateTable('planned_touches')
    .set({ status: 'skipped', activity_id: visit.id, updated_at: visit.created_at })
    .where('id', 'in', ids)
    .execute();
  await replanChannel(
    trx,
    calls.filter((t) => t.due_on > visitedOn),
    target((covered[0] as OwnTouch).rep_id),
    reads,
  );
  return covered.map((t) => ({ id: t.id, dueOn: t.due_on }));
}

export interface ReplanTarget {
  accountId: string;
  repId: string | null;
  channel: TChannel;
  /** The last logged touch on the channel (or a tier change's anchor), from which the series continues. */
  loggedOn: LocalDate;
  /** First day a touch may take, when later than the day after the log (replanAccount's `from`): today. */
  from?: LocalDate;
  /** Last day the first touch may take (replanAccount's `firstBy`: a promotion does not delay the next touch). */
  firstBy?: LocalDate;
  /** The first touch stays on this day and the series continues from it (tierChangeStart's `keep`). */
  keep?: LocalDate;
  tier: 'A' | 'B' | 'C' | null;
  city: string | null;
  district: string | null;
  score: number | null;
  at: string;
  settings: TWorkspaceSettings;
}

/** What a rep's re-plans read besides the account: the rep's days off and capacity. */
interface ReplanRep {
  days_off: string | null;
  holiday_country: string | null;
  calls_per_day: number | null;
  visits_per_day: number | null;
}

const REP_COLUMNS = ['days_off', 'holiday_country', 'calls_per_day', 'visits_per_day'] as const;

/**
 * The reads a re-plan shares with the next ones in the same transaction (cadence rules, each rep's plan horizon,
 * row and working calendar), made once: re-planning many accounts (a bulk tier override) does not read or build
 * them again for each. Made per transaction: the cadence and the reps' rows do not change within it. `store` is
 * where the rep's other touches are read and the series written: the database itself (one re-plan), or a bulk
 * re-plan's BulkReplanStore.
 */
export function replanReads(
  trx: Executor,
  settings: TWorkspaceSettings,
  store: ReplanStore = databaseStore(trx),
) {
  let cadence: Promise<TCadenceRule[]> | undefined;
  const until = new Map<string | null, Promise<LocalDate | null>>();
  const reps = new Map<string | null, Promise<{ rep: ReplanRep | undefined; calendar: WorkingCalendar }>>();
  const withCalendar = (rep: ReplanRep | undefined) => ({
    rep,
    calendar: calendarWithDaysOff(settings, rep?.days_off ?? null, rep?.holiday_country ?? null),
  });
  return {
    store,
    /** Reads the rows of these reps at once (rep reads them one by one otherwise). */
    prefetchReps: async (repIds: readonly (string | null)[]) => {
      const ids = repIds.filter((id): id is string => id !== null && !reps.has(id));
      for (let i = 0; i < ids.length; i += 500) {
        const batch = ids.slice(i, i + 500);
        const rows = await trx
          .selectFrom('users')
          .select(['id', ...REP_COLUMNS])
          .where('id', 'in', batch)
          .execute();
        const byId = new Map(rows.map(({ id, ...rep }) => [id, rep]));
        for (const id of batch) reps.set(id, Promise.resolve(withCalendar(byId.get(id))));
      }
    },
    cadence: () => {
      cadence ??= readCadenceRules(trx);
      return cadence;
    },
    until: (repId: string | null) => {
      let p = until.get(repId);
      if (!p) {
        p = planHorizonEnd(trx, repId);
        until.set(repId, p);
      }
      return p;
    },
    /** The rep's days off and own capacity, and the working calendar they give (calendarFor's). */
    rep: (repId: string | null) => {
      let p = reps.get(repId);
      if (!p) {
        p = (async () =>
          withCalendar(
            repId
              ? await trx.selectFrom('users').select(REP_COLUMNS).where('id', '=', repId).executeTakeFirst()
              : undefined,
          ))();
        reps.set(repId, p);
      }
      return p;
    },
  };
}
type ReplanReads = ReturnType<typeof replanReads>;

/**
 * Re-plans the channel from the log date over the account's other open touches on it (`own`, still stored):
 * they give way to the new series and are rewritten in place (see saveReplanned) instead of being deleted up
 * front and the series inserted anew, since each delete and insert goes through every index of planned_touches.
 */
async function replanChannel(
  trx: Executor,
  own: readonly OwnTouch[],
  a: ReplanTarget,
  reads: ReplanReads = replanReads(trx, a.settings),
): Promise<SavedTouch[]> {
  const touches = await replannedSeries(trx, a, own, reads);
  return reads.store.save(a, own, touches);
}

/** An account whose tier was changed by hand (see replanTierChanges): its tier before and after (null: none). */
export interface TierChange {
  id: string;
  before: TTier | null;
  after: TTier | null;
}

/** What replanTierChanges did to one account: per channel re-planned, its open touches now and the next one. */
export type TierReplan = Partial<Record<TChannel, { touches: number; next: LocalDate | null }>>;

/**
 * Re-plans, in the caller's transaction, the open touches of accounts whose tier was changed by hand (an override
 * set or removed), so that their next calls and visits follow the new tier's cadence at once instead of at the next
 * plan commit. The same re-plan as a logged touch's (replanChannel: the planner's replanAccount seeing the rep's
 * other touches, the old rows rewritten in place), on each channel whose cadence differs between the two tiers,
 * with nothing before today (a series already due is placed as early as possible, as the planner places an overdue
 * one). The series starts where tierChangeStart (domain/plan/tier-change.ts) says: from the last logged touch on the
 * channel, without one from today or, if earlier, the next open touch minus the new interval; the next open touch
 * stays when it fits the new series' first window, and a promotion never moves it later. Only accounts with open
 * planned touches (in a plan) are re-planned, and only where their rep's plan still runs past today; the others keep
 * what they have.
 * Accounts go in planning order (new tier A first, higher score first), each seeing the touches re-planned before.
 */
export async function replanTierChanges(
  ctx: ServiceContext,
  trx: Executor,
  changes: readonly TierChange[],
  at: string,
): Promise<Map<string, TierReplan>> {
  const done = new Map<string, TierReplan>();
  const changed = new Map(changes.filter((c) => c.before !== c.after).map((c) => [c.id, c]));
  if (changed.size === 0) return done;
  const ids = [...changed.keys()];
  // The open touches, earliest first per account and channel; PostgreSQL locks them, as logTouch does, so that a plan
  // committed meanwhile either replaced them before this read or waits for this transaction.
  const open = new Map<string, (OwnTouch & { channel: TChannel; due_time: string | null })[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const query = trx
      .selectFrom('planned_touches')
      .select(['id', 'account_id', 'channel', 'due_on', 'rep_id', 'due_time'])
      .where('account_id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'planned')
      .orderBy('account_id')
      .orderBy('due_on')
      .orderBy('id');
    for (const t of await (ctx.db.dialect === 'postgres' ? query.forUpdate() : query).execute()) {
      const list = open.get(t.account_id) ?? [];
      list.push(t);
      open.set(t.account_id, list);
    }
  }
  if (open.size === 0) return done;
  const planned = [...open.keys()];
  const accounts: {
    id: string;
    city: string | null;
    district: string | null;
    score: number | null;
    owner: string | null;
  }[] = [];
  for (let i = 0; i < planned.length; i += 500) {
    for (const a of await trx
      .selectFrom('accounts')
      .select(['id', 'city', 'district', 'potential_score', 'owner_id'])
      .where('id', 'in', planned.slice(i, i + 500))
      .execute()) {
      accounts.push({
        id: a.id,
        city: a.city,
        district: a.district,
        score: a.potential_score,
        owner: a.owner_id,
      });
    }
  }
  const last = await loadLastTouchesOf(trx, planned);
  const tierOf = (id: string) => changed.get(id)?.after ?? null;
  accounts.sort(
    (x, y) =>
      (TIER_ORDER[tierOf(x.id) ?? ''] ?? 3) - (TIER_ORDER[tierOf(y.id) ?? ''] ?? 3) ||
      (y.score ?? Number.NEGATIVE_INFINITY) - (x.score ?? Number.NEGATIVE_INFINITY) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
  const settings = await readWorkspaceSettings(trx);
  const today = todayIn(settings.timeZone, ctx.now());
  // Many accounts: the reps' open touches are read once and kept in memory, the series written in batches at the end
  // (BulkReplanStore, services/replan-store.ts); the same re-plans, account by account, as the single path's.
  const bulk = accounts.length >= BULK_REPLAN_FROM ? new BulkReplanStore(ctx.db, trx, at) : undefined;
  const reads = replanReads(trx, settings, bulk);
  const cadence = resolveCadence(await reads.cadence());
  if (bulk) await prefetchBulkReplan(bulk, reads, open, accounts, today);
  for (const account of accounts) {
    const change = changed.get(account.id) as TierChange;
    const touches = open.get(account.id) ?? [];
    const replan: TierReplan = {};
    for (const channel of ['call', 'visit'] as const) {
      const before = change.before ? cadence[change.before][channel] : null;
      const after = change.after ? cadence[change.after][channel] : null;
      if (before === after) continue;
      const all = touches.filter((t) => t.channel === channel);
      // Booked meetings (a time set) stay as they are, and the new series goes on from the last of them.
      const kept = all.filter((t) => t.due_time != null);
      const own = all.filter((t) => t.due_time == null);
      const repId = all[0]?.rep_id ?? touches[0]?.rep_id ?? account.owner;
      // A rep without a plan running past today: nothing to re-plan into (replanChannel would only delete).
      const until = await reads.until(repId);
      if (!until || until <= today) continue;
      const lastOn = last.get(account.id)?.[channel];
      const lastKept = kept.at(-1)?.due_on;
      // Where the new series starts (domain/plan/tier-change.ts): a promotion never delays the next touch, a
      // demotion of an account never touched on the channel keeps its date.
      const start: TierChangeStart = lastKept
        ? { loggedOn: lastKept }
        : after
          ? tierChangeStart({
              lastLogged: lastOn ? todayIn(settings.timeZone, new Date(lastOn)) : null,
              next: own[0]?.due_on ?? null,
              today,
              until,
              interval: intervalDays(after),
              promotion: before === null || after < before,
              calendar: (await reads.rep(repId)).calendar,
            })
          : { loggedOn: today };
      const saved = await replanChannel(
        trx,
        own,
        {
          accountId: account.id,
          repId,
          channel,
          ...('keep' in start ? { loggedOn: start.keep, keep: start.keep } : start),
          from: today,
          tier: change.after,
          city: account.city,
          district: account.district,
          score: account.score,
          at,
          settings,
        },
        reads,
      );
      const next = [kept[0]?.due_on, saved[0]?.dueOn].filter((d): d is string => d !== undefined).sort()[0];
      replan[channel] = { touches: kept.length + saved.length, next: next ?? null };
    }
    if (replan.call || replan.visit) done.set(account.id, replan);
  }
  await bulk?.flush();
  return done;
}

/**
 * From how many accounts with open touches replanTierChanges re-plans through a BulkReplanStore. It reads each rep's
 * open touches from today to the end of the plan (a few hundred grouped rows a rep, about what one account's re-plan
 * costs through the database), so it pays off once the accounts outnumber their reps; a single override (one
 * account) goes through the database as a logged touch's re-plan does.
 */
const BULK_REPLAN_FROM = 50;

/**
 * A bulk re-plan's reads made before the first account: the rows of the reps the accounts' series may go to (the reps
 * of their open touches and their owners) and, for those with a plan running past today, their open touches from a
 * week before today (visits count whole weeks) to a week after the last plan's end, one query per channel.
 */
async function prefetchBulkReplan(
  store: BulkReplanStore,
  reads: ReplanReads,
  open: ReadonlyMap<string, readonly OwnTouch[]>,
  accounts: readonly { owner: string | null }[],
  today: LocalDate,
): Promise<void> {
  const reps = new Set<string | null>();
  for (const touches of open.values()) for (const t of touches) reps.add(t.rep_id);
  for (const a of accounts) reps.add(a.owner);
  await reads.prefetchReps([...reps]);
  const running: (string | null)[] = [];
  let end: LocalDate | null = null;
  for (const rep of reps) {
    const until = await reads.until(rep);
    if (!until || until <= today) continue;
    running.push(rep);
    if (end === null || until > end) end = until;
  }
  if (end !== null) await store.prefetch(running, shiftDate(today, -7), shiftDate(end, 7));
}

/** The channel's new series from the log date (none when there is no plan, tier or cadence for it). */
export async function replannedSeries(
  trx: Executor,
  a: ReplanTarget,
  own: readonly OwnTouch[],
  reads: ReplanReads,
): Promise<{ channel: TChannel; dueOn: string }[]> {
  const until = await reads.until(a.repId);
  if (!until || !a.tier) return [];
  const settings = a.settings;
  const cadence = await reads.cadence();
  const months = resolveCadence(cadence)[a.tier][a.channel];
  if (!months) return [];
  // The first touch's window (replanAccount's: 0.8 to 1.2 intervals after the log, or with `from` as buildPlan
  // starts a series from its last touch), within the horizon. Without a target before the horizon, no series.
  const interval = intervalDays(months);
  if (a.keep) {
    // The kept touch, then the series from it as from a touch logged that day.
    const { keep, from, firstBy, ...rest } = a;
    const after = await replannedSeries(trx, { ...rest, loggedOn: keep }, own, reads);
    return [{ channel: a.channel, dueOn: keep }, ...after];
  }
  const frame = replanFrame(a.loggedOn, a.from, until, interval, a.firstBy);
  if (!frame) return [];
  const { lo, hi } = frame;
  const day0 = fromDayNumber(frame.firstDay);
  // The rep's days off and own capacity (calendarFor and the capacity in one read).
  const { rep, calendar } = await reads.rep(a.repId);
  const capacityPerDay =
    (a.channel === 'call' ? rep?.calls_per_day : rep?.visits_per_day) ??
    (a.channel === 'call' ? settings.capacity.callsPerDay : settings.capacity.visitsPerDay);
  const booked =
    lo <= hi
      ? await bookedInWindow(reads.store, a, own, {
          from: shiftDate(day0, lo),
          to: shiftDate(day0, hi),
          target: frame.firstDay + frame.target,
          interval,
          calendar,
          capacityPerDay,
        })
      : undefined;
  const plan = () =>
    replanAccount({
      account: { id: a.accountId, tier: a.tier, city: a.city, district: a.district, score: a.score },
      channel: a.channel,
      loggedOn: a.loggedOn,
      ...(a.from ? { from: a.from } : {}),
      ...(a.firstBy ? { firstBy: a.firstBy } : {}),
      until,
      calendar,
      cadence,
      capacityPerDay,
      bookedOn: booked ? booked.on : () => NO_TOUCHES,
      overflow: 'overbook',
    }).touches;
  // Visits: plan with the places read so far and the best case assumed for the others; while a touch lands on a
  // day whose places were assumed, read that day's and the next likely days' places (twice as many each round) and
  // plan again (see bookedInWindow). Usually only the first touch can: the later ones land after the window, but an
  // overdue series' window spans a whole interval, so its second touch may land in it too.
  for (let batch = FIRST_PLACE_BATCH; ; batch *= 2) {
    const touches = plan();
    const hit = booked ? touches.find((t) => booked.assumed(t.dueOn)) : undefined;
    if (!booked || !hit) return touches;
    await booked.readPlaces(hit.dueOn, batch);
  }
}

/** Days whose visits' places the first read covers (the planner's pick and the next likely ones). */
const FIRST_PLACE_BATCH = 4;

/**
 * The other accounts' open touches of the rep on the channel for each day of the first touch's window [from, to],
 * as replanAccount takes them (`on`); for visits the day counts of the whole calendar weeks the window overlaps too
 * (replanAccount levels visits by week). Only that window is read (a rep has ~10,000 touches a year with 1M
 * accounts); the series' later touches land after it and are placed without the others' touches, as they were
 * since the first version of the re-plan.
 *
 * The day loads are counted from planned_touches_rep_status_due_channel_idx alone (GROUP BY due_on, no table
 * row). Visits are grouped by place, so the planner also compares the city and district of each visit with the
 * account's; reading them takes a table row and an account per visit (10–20 µs each; with 1M accounts a rep has
 * ~11 visits a working day, 300–600 in a window). They are read only where they can change the choice:
 *
 * - a day the planner cannot pick (a day off, or full: the overbooking fallback compares loads alone) or with no
 *   other visit (nothing to compare) never needs them: its visits are listed without a place;
 * - on the other days, until read, one visit is listed in the account's own city and district (`assumed`): the
 *   best a day's places can give the planner (its best grouping, chooseDay's areaClass 0; the places count for
 *   nothing else), so the real ones can only make such a day less preferred. While the planner picks an assumed
 *   day for a touch (the first; an overdue series' second touch may land in the window too), `readPlaces` reads
 *   it (with the next likely assumed days) and the planner runs again. Once every touch is on a day whose places
 *   are read, or one that needs none, no assumed day can beat those days with its real places (touch by touch, in
 *   order), and the later touches land after the window: the series is the one planned with every place read
 *   (test/services/replan-places.test.ts, test/services/tier-override-replan.test.ts for an overdue series).
 *
 * The account's own old touches are still stored, so the queries count them: they are taken off again, one per
 * own touch and day (from the load, and for visits from the account's own place), so that the planner sees the
 * other accounts' touches only (test/services/replan-in-place.test.ts).
 */
async function bookedInWindow(
  store: ReplanStore,
  a: ReplanTarget,
  own: readonly OwnTouch[],
  w: {
    from: LocalDate;
    to: LocalDate;
    /** The first touch's target (a day number) and the interval. */
    target: number;
    interval: number;
    calendar: WorkingCalendar;
    capacityPerDay: number;
  },
) {
  // Visits are levelled by week: their loads are counted over the whole calendar weeks around the window.
  const from = a.channel === 'visit' ? shiftDate(w.from, -weekdayOf(toDayNumber(w.from))) : w.from;
  const to = a.channel === 'visit' ? shiftDate(w.to, 6 - weekdayOf(toDayNumber(w.to))) : w.to;
  const ownOn = new Map<string, number>();
  for (const t of own) {
    if (t.rep_id === a.repId && t.due_on >= from && t.due_on <= to)
      ownOn.set(t.due_on, (ownOn.get(t.due_on) ?? 0) + 1);
  }
  const byDay = new Map<string, readonly BookedTouch[]>();
  const assumed = new Set<string>();
  const ownPlace: BookedTouch = { city: a.city, district: a.district };
  for (const r of await store.dayCounts(a.repId, a.channel, from, to)) {
    const n = r.n - (ownOn.get(r.due_on) ?? 0);
    if (n <= 0) continue;
    if (a.channel === 'call') {
      byDay.set(r.due_on, callsOn(n));
      continue;
    }
    const list = new Array<BookedTouch>(n).fill(NO_PLACE);
    // With no city of its own the account's visits are not grouped: no place is compared.
    if (
      a.channel === 'visit' &&
      a.city &&
      n < w.capacityPerDay &&
      r.due_on >= w.from &&
      r.due_on <= w.to &&
      w.calendar.isWorkingDay(r.due_on)
    ) {
      list[0] = ownPlace;
      assumed.add(r.due_on);
    }
    byDay.set(r.due_on, list);
  }
  // The order in which the planner is likely to pick the assumed days (the ±10% band around the target first,
  // then the least loaded, the nearest): only how many rounds the reads take depends on it, not the result.
  const offsets = new Map<LocalDate, number>();
  for (const day of assumed) offsets.set(day, Math.abs(toDayNumber(day) - w.target));
  const offset = (day: LocalDate) => offsets.get(day) as number;
  const outsideBand = (day: LocalDate) => (offset(day) <= PREFERRED_TOLERANCE * w.interval ? 0 : 1);
  const likely = [...assumed].sort(
    (x, y) =>
      outsideBand(x) - outsideBand(y) ||
      (byDay.get(x)?.length ?? 0) - (byDay.get(y)?.length ?? 0) ||
      offset(x) - offset(y) ||
      (x < y ? -1 : 1),
  );
  return {
    // The planner asks for every working day to the horizon; only the window's are listed.
    on: (date: LocalDate): readonly BookedTouch[] =>
      date < from || date > to ? NO_TOUCHES : (byDay.get(date) ?? NO_TOUCHES),
    assumed: (date: LocalDate) => assumed.has(date),
    /** Replaces the assumed places of `day` and of the next `count - 1` likely assumed days with the real ones. */
    async readPlaces(day: LocalDate, count: number): Promise<void> {
      const days = [day];
      for (const d of likely) {
        if (days.length >= count) break;
        if (d !== day && assumed.has(d)) days.push(d);
      }
      const lists = new Map<string, BookedTouch[]>();
      for (const r of await store.dayPlaces(a.repId, a.channel, days)) {
        let n = r.n;
        // The own touches are listed with the account's place: take them off there.
        if (r.city === a.city && r.district === a.district) n -= ownOn.get(r.due_on) ?? 0;
        const list = lists.get(r.due_on) ?? [];
        const place: BookedTouch = { city: r.city, district: r.district };
        for (let k = 0; k < n; k++) list.push(place);
        lists.set(r.due_on, list);
      }
      for (const d of days) {
        byDay.set(d, lists.get(d) ?? []);
        assumed.delete(d);
      }
    },
  };
}

/**
 * The re-plan store of a single re-plan (a logged touch, one account's tier): the rep's other touches are read from
 * the table for the days the re-plan asks (a GROUP BY on planned_touches_rep_status_due_channel_idx for the day
 * loads; the visits' places, with their accounts, for a few days), and the series written at once (saveReplanned).
 */
function databaseStore(trx: Executor): ReplanStore {
  return {
    async dayCounts(repId, channel, from, to): Promise<DayCount[]> {
      let counted = trx
        .selectFrom('planned_touches as t')
        .select(['t.due_on', (eb) => eb.fn.countAll<number>().as('n')])
        .where('t.status', '=', 'planned')
        .where('t.channel', '=', channel)
        .where('t.due_on', '>=', from)
        .where('t.due_on', '<=', to);
      counted = repId ? counted.where('t.rep_id', '=', repId) : counted.where('t.rep_id', 'is', null);
      const rows = await counted.groupBy('t.due_on').execute();
      return rows.map((r) => ({ due_on: r.due_on, n: Number(r.n) }));
    },
    async dayPlaces(repId, channel, days): Promise<DayPlaces[]> {
      let places = trx
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as acc', 'acc.id', 't.account_id')
        .select(['t.due_on', 'acc.city', 'acc.district', (eb) => eb.fn.countAll<number>().as('n')])
        .where('t.status', '=', 'planned')
        .where('t.channel', '=', channel)
        .where('t.due_on', 'in', days);
      places = repId ? places.where('t.rep_id', '=', repId) : places.where('t.rep_id', 'is', null);
      const rows = await places.groupBy(['t.due_on', 'acc.city', 'acc.district']).execute();
      return rows.map((r) => ({ due_on: r.due_on, city: r.city, district: r.district, n: Number(r.n) }));
    },
    save: (a, own, touches) => saveReplanned(trx, a, own, touches),
  };
}

/**
 * Stores the re-planned series over the account's old open touches: the k-th old row (by date) becomes the k-th
 * new touch, written as a new one would be (this rep, no plan, no time, created now), with only the columns that
 * change in the UPDATE so that a date that stays put rewrites no index entry; old rows left over are deleted and
 * new touches left over inserted. A re-plan thus keeps the touch ids of the series (calendar events keep theirs).
 */
async function saveReplanned(
  trx: Executor,
  a: { accountId: string; repId: string | null; at: string },
  own: readonly OwnTouch[],
  touches: readonly { channel: TChannel; dueOn: string }[],
): Promise<{ id: string; channel: TChannel; dueOn: string }[]> {
  const saved: { id: string; channel: TChannel; dueOn: string }[] = [];
  for (let k = 0; k < touches.length; k++) {
    const t = touches[k] as { channel: TChannel; dueOn: string };
    const old = own[k];
    if (old) {
      await trx
        .updateTable('planned_touches')
        .set({
          ...(old.due_on !== t.dueOn ? { due_on: t.dueOn } : {}),
          ...(old.rep_id !== a.repId ? { rep_id: a.repId } : {}),
          plan_id: null,
          due_time: null,
          created_at: a.at,
          updated_at: a.at,
        })
        .where('id', '=', old.id)
        .execute();
      saved.push({ id: old.id, channel: t.channel, dueOn: t.dueOn });
      continue;
    }
    const id = newId();
    await trx
      .insertInto('planned_touches')
      .values({
        id,
        account_id: a.accountId,
        rep_id: a.repId,
        plan_id: null,
        channel: t.channel,
        due_on: t.dueOn,
        due_time: null,
        status: 'planned',
        activity_id: null,
        created_at: a.at,
        updated_at: a.at,
      })
      .execute();
    saved.push({ id, channel: t.channel, dueOn: t.dueOn });
  }
  const extra = own.slice(touches.length).map((t) => t.id);
  for (let i = 0; i < extra.length; i += 500) {
    await trx
      .deleteFrom('planned_touches')
      .where('id', 'in', extra.slice(i, i + 500))
      .execute();
  }
  return saved;
}

/** Logged touches of an account, newest first. */
export async function accountTimeline(ctx: ServiceContext, accountId: string): Promise<TActivity[]> {
  await assertCanSeeAccount(ctx, accountId);
  const rows = await ctx.db.kysely
    .selectFrom('activities')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('occurred_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(toActivity);
}

/**
 * The account's open planned touches (the next calls and visits, overdue ones first), for the account page.
 * 404 when the actor may not see the account.
 */
export async function plannedTouchesOf(
  ctx: ServiceContext,
  accountId: string,
  options: { limit?: number } = {},
): Promise<TPlannedTouch[]> {
  const account = await assertCanSeeAccount(ctx, accountId);
  const rows = await ctx.db.kysely
    .selectFrom('planned_touches')
    .select(['id', 'rep_id', 'channel', 'due_on', 'due_time', 'status'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'planned')
    .orderBy('due_on')
    .orderBy('channel')
    .limit(options.limit ?? 20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId,
    accountName: account.name,
    tier: account.tier,
    city: account.city,
    repId: r.rep_id,
    channel: r.channel,
    dueOn: r.due_on,
    dueTime: r.due_time,
    status: r.status,
  }));
}
