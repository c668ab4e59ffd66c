import { tzOffset } from '@date-fns/tz';
import { intervalDays, resolveCadence } from '../domain/cadence/cadence-rules.ts';
import { daysBetween, type LocalDate, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError } from '../domain/errors.ts';
import { type BookedTouch, replanAccount } from '../domain/plan/build-plan.ts';
import { SPACING_TOLERANCE } from '../domain/plan/series.ts';
import type { TChannel, TOutcome, TPipelineStage } from '../schemas/common.ts';
import type {
  TActivity,
  TAgenda,
  TAgendaItem,
  TLogTouch,
  TLogTouchResult,
  TPlannedTouch,
} from '../schemas/plan-api.ts';
import type { TWorkspaceSettings } from '../schemas/workspace.ts';
import type { Db } from '../storage/database.ts';
import { newId } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import type { ActivitiesTable } from '../storage/tables.ts';
import { inTransaction } from '../storage/transaction.ts';
import { assertCanSeeAccount } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { calendarFor, planHorizonEnd, readCadenceRules } from './plan.ts';
import { resolveRep } from './rep-scope.ts';
import { recordRealOutcome } from './skills.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

const TIER_ORDER: Record<string, number> = { A: 0, B: 1, C: 2 };
/** A booked call, for the planner's day load (only visits are grouped by place). */
const NO_PLACE: BookedTouch = { city: null, district: null };

/** The day's calls and visits: overdue first, then A, B, C; each with its last touch and note. */
export async function getAgenda(
  ctx: ServiceContext,
  query: { date?: string; repId?: string },
): Promise<TAgenda> {
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const date = query.date ?? todayIn(settings.timeZone, ctx.now());
  const repId = await resolveRep(ctx, query.repId, db);
  let q = db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select([
      't.id as touchId',
      't.account_id as accountId',
      'a.name as accountName',
      'a.tier',
      'a.city',
      'a.district',
      'a.phone',
      'a.stage',
      't.channel',
      't.due_on as dueOn',
      't.due_time as dueTime',
      't.rep_id as repId',
    ])
    .where('t.status', '=', 'planned')
    .where('t.due_on', '<=', date);
  if (repId) q = q.where('t.rep_id', '=', repId);
  const rows = await q.orderBy('t.due_on').limit(5000).execute();

  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const last = await lastActivities(db, accountIds);
  const items: TAgendaItem[] = rows.map((r) => {
    const overdueDays = r.dueOn < date ? daysBetween(r.dueOn, date) : 0;
    const l = last.get(r.accountId);
    return {
      ...r,
      overdue: overdueDays > 0,
      overdueDays,
      lastTouch: l ? { at: l.occurred_at, channel: l.channel, outcome: l.outcome, note: l.note } : null,
    };
  });
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (TIER_ORDER[a.tier ?? ''] ?? 3) - (TIER_ORDER[b.tier ?? ''] ?? 3) ||
      (a.channel === b.channel ? 0 : a.channel === 'visit' ? -1 : 1) ||
      (a.city ?? '').localeCompare(b.city ?? '') ||
      a.dueOn.localeCompare(b.dueOn) ||
      a.accountName.localeCompare(b.accountName),
  );

  const [done, goal] = await Promise.all([
    touchesLoggedOn(db, repId, date, settings.timeZone),
    plannedFor(db, repId, date),
  ]);
  return {
    date,
    repId,
    items,
    counts: {
      overdue: items.filter((i) => i.overdue).length,
      calls: items.filter((i) => i.channel === 'call').length,
      visits: items.filter((i) => i.channel === 'visit').length,
    },
    done,
    goal,
  };
}

async function lastActivities(db: Executor, accountIds: string[]) {
  const map = new Map<string, Pick<ActivitiesTable, 'occurred_at' | 'channel' | 'outcome' | 'note'>>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const ids = accountIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('activities')
      .select(['account_id', 'occurred_at', 'channel', 'outcome', 'note'])
      .where('account_id', 'in', ids)
      .orderBy('occurred_at', 'desc')
      .execute();
    for (const r of rows) if (!map.has(r.account_id)) map.set(r.account_id, r);
  }
  return map;
}

/** UTC instants bounding a local date in a time zone (the date's first instant and the next date's). */
function utcBounds(date: LocalDate, timeZone: string): { from: string; to: string } {
  // The zone's offset at the date's UTC midnight. tzOffset keeps one Intl formatter per zone; toLocaleString
  // made a new one per call, ~1 ms each on this 2-core box and four per agenda.
  const offsetAt = (d: LocalDate) => tzOffset(timeZone, new Date(`${d}T00:00:00Z`)) * 60_000;
  const start = Date.parse(`${date}T00:00:00Z`) - offsetAt(date);
  const next = shiftDate(date, 1);
  const end = Date.parse(`${next}T00:00:00Z`) - offsetAt(next);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

async function touchesLoggedOn(db: Executor, repId: string | null, date: LocalDate, timeZone: string) {
  const { from, to } = utcBounds(date, timeZone);
  let q = db
    .selectFrom('activities')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .groupBy('channel');
  if (repId) q = q.where('user_id', '=', repId);
  const rows = await q.execute();
  return {
    calls: Number(rows.find((r) => r.channel === 'call')?.n ?? 0),
    visits: Number(rows.find((r) => r.channel === 'visit')?.n ?? 0),
  };
}

async function plannedFor(db: Executor, repId: string | null, date: LocalDate) {
  let q = db
    .selectFrom('planned_touches')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('due_on', '=', date)
    .where('status', 'in', ['planned', 'done'])
    .groupBy('channel');
  if (repId) q = q.where('rep_id', '=', repId);
  const rows = await q.execute();
  return {
    calls: Number(rows.find((r) => r.channel === 'call')?.n ?? 0),
    visits: Number(rows.find((r) => r.channel === 'visit')?.n ?? 0),
  };
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
      throw new AppError('validation_failed', 'responseId needs the objection it answers (objectionId).');
    return { objectionId: null, responseId: null };
  }
  const objection = await db
    .selectFrom('objections')
    .select(['id', 'code'])
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
  if (!objection)
    throw new AppError(
      'validation_failed',
      `objection "${idOrCode}" is not in the playbook (give its id or code).`,
    );
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
      `response "${responseIdOrCode}" is not a response to objection ${objection.code}.`,
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
 * first), re-plans that channel from the log date, and moves the pipeline stage. One transaction.
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
    throw new AppError('validation_failed', 'at: a touch cannot be logged in the future.', { at: input.at });
  }
  const loggedOn = todayIn(settings.timeZone, new Date(occurredAt));
  const at = ctx.now().toISOString();

  // Retried when PostgreSQL breaks a deadlock with a plan being saved for the same account at the same moment.
  return inTransaction(db, async (trx) => {
    const account = await assertCanSeeAccount(ctx, accountId, trx);
    const { objectionId, responseId } = await resolveObjection(trx, input.objectionId, input.responseId);
    const openQuery = trx
      .selectFrom('planned_touches')
      .select(['id', 'due_on', 'rep_id'])
      .where('account_id', '=', accountId)
      .where('channel', '=', input.channel)
      .where('status', '=', 'planned')
      .orderBy('due_on')
      .limit(1);
    // PostgreSQL: lock the touch being completed, so that a plan committed meanwhile cannot delete it between this
    // read and its update (the touch would point at a planned touch that no longer exists). SQLite runs one write
    // transaction at a time.
    const open = await (ctx.db.dialect === 'postgres' ? openQuery.forUpdate() : openQuery).executeTakeFirst();
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
    await trx.insertInto('activities').values(activity).execute();
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
    const nextTouches = await replanChannel(trx, {
      accountId,
      repId,
      channel: input.channel,
      loggedOn,
      tier: account.in_market === 1 ? account.tier : null,
      city: account.city,
      district: account.district,
      score: account.potential_score,
      at,
      settings,
      dialect: ctx.db.dialect,
    });
    return { activity: toActivity(activity), completedTouchId: open?.id ?? null, nextTouches, stage };
  });
}

/** An open planned touch of the account being re-planned. */
interface OwnTouch {
  id: string;
  due_on: string;
  rep_id: string | null;
}

async function replanChannel(
  trx: Executor,
  a: {
    accountId: string;
    repId: string | null;
    channel: TChannel;
    loggedOn: LocalDate;
    tier: 'A' | 'B' | 'C' | null;
    city: string | null;
    district: string | null;
    score: number | null;
    at: string;
    settings: TWorkspaceSettings;
    dialect: Db['dialect'];
  },
): Promise<{ id: string; channel: TChannel; dueOn: string }[]> {
  // The account's open touches on this channel (the one just completed is done by now) give way to the re-planned
  // series. They are read first and rewritten in place at the end (see saveReplanned), instead of being deleted up
  // front and the series inserted anew: each delete and insert goes through every index of planned_touches.
  const ownQuery = trx
    .selectFrom('planned_touches')
    .select(['id', 'due_on', 'rep_id'])
    .where('account_id', '=', a.accountId)
    .where('channel', '=', a.channel)
    .where('status', '=', 'planned')
    .orderBy('due_on')
    .orderBy('id');
  // PostgreSQL: lock them as the old delete did, so that a plan committed meanwhile either replaced them before
  // this read (they are not seen) or waits for this transaction.
  const own = await (a.dialect === 'postgres' ? ownQuery.forUpdate() : ownQuery).execute();
  const touches = await replannedSeries(trx, a, own);
  return saveReplanned(trx, a, own, touches);
}

/** The channel's new series from the log date (none when there is no plan, tier or cadence for it). */
async function replannedSeries(
  trx: Executor,
  a: Parameters<typeof replanChannel>[1],
  own: readonly OwnTouch[],
): Promise<{ channel: TChannel; dueOn: string }[]> {
  const until = await planHorizonEnd(trx, a.repId);
  if (!until || !a.tier || until <= a.loggedOn) return [];
  const settings = a.settings;
  const cadence = await readCadenceRules(trx);
  const months = resolveCadence(cadence)[a.tier][a.channel];
  if (!months) return [];
  const calendar = await calendarFor(trx, settings, a.repId);
  // The next touch lands 0.8 to 1.2 intervals after the log (replanAccount does not look at earlier days), so
  // the other touches booked before that are not read: with 1M accounts a rep has ~10,000 touches a year.
  const windowFrom = shiftDate(a.loggedOn, Math.floor(intervalDays(months) * (1 - SPACING_TOLERANCE)) - 1);
  const windowTo = shiftDate(a.loggedOn, Math.ceil(intervalDays(months) * 1.25) + 1);
  let booked = trx
    .selectFrom('planned_touches as t')
    .where('t.channel', '=', a.channel)
    .where('t.status', '=', 'planned')
    .where('t.due_on', '>', windowFrom)
    .where('t.due_on', '<=', windowTo);
  booked = a.repId ? booked.where('t.rep_id', '=', a.repId) : booked.where('t.rep_id', 'is', null);
  // The account's own old touches are still stored: the same query counts them, and they are taken off again
  // below, one per own touch and day, so that the planner sees the other accounts' touches only.
  const ownOn = new Map<string, number>();
  for (const t of own) {
    if (t.rep_id === a.repId && t.due_on > windowFrom && t.due_on <= windowTo)
      ownOn.set(t.due_on, (ownOn.get(t.due_on) ?? 0) + 1);
  }
  const byDay = new Map<string, BookedTouch[]>();
  if (a.channel === 'visit') {
    // Visits are grouped by place, so the planner needs the city and district of the others' visits.
    const rows = await booked
      .innerJoin('accounts as acc', 'acc.id', 't.account_id')
      .select(['t.due_on', 'acc.city', 'acc.district'])
      .execute();
    for (const r of rows) {
      const list = byDay.get(r.due_on) ?? [];
      list.push({ city: r.city, district: r.district });
      byDay.set(r.due_on, list);
    }
    // An own visit is listed with the account's place: take off that many entries with the same place.
    for (const [day, count] of ownOn) {
      const list = byDay.get(day) ?? [];
      for (let k = 0; k < count; k++) {
        const i = list.findIndex((b) => b.city === a.city && b.district === a.district);
        if (i >= 0) list.splice(i, 1);
      }
    }
  } else {
    // Calls are only counted per day: no need to read each booked call's account (thousands with 1M accounts).
    const rows = await booked
      .select(['t.due_on', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('t.due_on')
      .execute();
    for (const r of rows) {
      const n = Math.max(0, Number(r.n) - (ownOn.get(r.due_on) ?? 0));
      byDay.set(r.due_on, new Array<BookedTouch>(n).fill(NO_PLACE));
    }
  }
  let capacityPerDay = a.channel === 'call' ? settings.capacity.callsPerDay : settings.capacity.visitsPerDay;
  if (a.repId) {
    const rep = await trx
      .selectFrom('users')
      .select(['calls_per_day', 'visits_per_day'])
      .where('id', '=', a.repId)
      .executeTakeFirst();
    const own = a.channel === 'call' ? rep?.calls_per_day : rep?.visits_per_day;
    if (own != null) capacityPerDay = own;
  }
  const { touches } = replanAccount({
    account: { id: a.accountId, tier: a.tier, city: a.city, district: a.district, score: a.score },
    channel: a.channel,
    loggedOn: a.loggedOn,
    until,
    calendar,
    cadence,
    capacityPerDay,
    bookedOn: (date) => byDay.get(date) ?? [],
    overflow: 'overbook',
  });
  return touches;
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
