import { intervalDays, resolveCadence } from '../domain/cadence/cadence-rules.ts';
import { type LocalDate, shiftDate, toDayNumber } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { replanFrame } from '../domain/plan/build-plan.ts';
import { SPACING_TOLERANCE } from '../domain/plan/series.ts';
import type { TChannel, TTier } from '../schemas/common.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { loadLastTouchesOf } from '../storage/repositories/plan.ts';
import type { ServiceContext } from './context.ts';
import type { OwnTouch } from './replan-store.ts';
import { type ReplanTarget, replannedSeries, replanReads } from './touches.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

const TIER_ORDER: Record<string, number> = { A: 0, B: 1, C: 2 };

/**
 * After a rep's calendar changed (days off added, another public-holiday schedule), in the caller's transaction and
 * with the rep's new calendar already stored: moves each of the rep's open planned touches due from today on a day
 * that is no longer a working day to a working day, so that nothing stays planned on a day off (README, "Working
 * days"). The day is the planner's own choice for that touch (a logged touch's re-plan, replannedSeries: the
 * planner's replanAccount with the rep's other touches, daily capacity and weekly share of visits, and for visits
 * their districts), in the touch's window: ±20% of the interval after the touch before it (or the last logged touch),
 * taken no more than one interval before the touch so that the window lies around the day it had, and no later than
 * the next touch of the series allows (at least interval × 0.8 before it). Every other touch stays where it is. A
 * touch the planner has no window for (no plan in force running past it, an account outside the market, a channel
 * its tier's cadence does not have, a window without a working day) goes to the first working day after it with room
 * on the channel (within a month), else the first working day after it. Accounts go in planning order (tier A first,
 * higher score first), each seeing the touches moved before it. Touches due before today are overdue and stay.
 * Returns how many touches were moved.
 */
export async function replanOffDays(
  ctx: ServiceContext,
  trx: Executor,
  repId: string,
  at: string,
): Promise<number> {
  const settings = await readWorkspaceSettings(trx);
  const today = todayIn(settings.timeZone, ctx.now());
  const reads = replanReads(trx, settings);
  const { rep, calendar } = await reads.rep(repId);
  // The days the rep has open touches on from today (a few hundred at most), and those now off.
  const days = await trx
    .selectFrom('planned_touches')
    .select('due_on')
    .distinct()
    .where('rep_id', '=', repId)
    .where('status', '=', 'planned')
    .where('due_on', '>=', today)
    .where('due_time', 'is', null)
    .execute();
  const off = days.map((d) => d.due_on).filter((day) => !calendar.isWorkingDay(day));
  if (off.length === 0) return 0;
  // A booked meeting (a time set) stays on its day, a day off too (the customer chose it).
  const offDay = (t: OwnTouch & { due_time?: string | null }) =>
    t.rep_id === repId && t.due_on >= today && t.due_time == null && !calendar.isWorkingDay(t.due_on);
  const series = new Map<string, Set<TChannel>>();
  for (let i = 0; i < off.length; i += 500) {
    const rows = await trx
      .selectFrom('planned_touches')
      .select(['account_id', 'channel'])
      .distinct()
      .where('rep_id', '=', repId)
      .where('status', '=', 'planned')
      .where('due_on', 'in', off.slice(i, i + 500))
      .where('due_time', 'is', null)
      .execute();
    for (const r of rows) series.set(r.account_id, (series.get(r.account_id) ?? new Set()).add(r.channel));
  }
  const ids = [...series.keys()];
  // Every open touch of those accounts, earliest first per channel; PostgreSQL locks them, as logTouch does.
  const open = new Map<string, (OwnTouch & { due_time: string | null })[]>();
  const accounts: {
    id: string;
    tier: TTier | null;
    city: string | null;
    district: string | null;
    score: number | null;
  }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const query = trx
      .selectFrom('planned_touches')
      .select(['id', 'account_id', 'channel', 'due_on', 'rep_id', 'due_time'])
      .where('account_id', 'in', batch)
      .where('status', '=', 'planned')
      .orderBy('account_id')
      .orderBy('channel')
      .orderBy('due_on')
      .orderBy('id');
    for (const t of await (ctx.db.dialect === 'postgres' ? query.forUpdate() : query).execute()) {
      const key = `${t.account_id} ${t.channel}`;
      const list = open.get(key) ?? [];
      list.push({ id: t.id, due_on: t.due_on, rep_id: t.rep_id, due_time: t.due_time });
      open.set(key, list);
    }
    for (const a of await trx
      .selectFrom('accounts')
      .select(['id', 'tier', 'in_market', 'city', 'district', 'potential_score'])
      .where('id', 'in', batch)
      .execute()) {
      accounts.push({
        id: a.id,
        tier: a.in_market === 1 ? a.tier : null,
        city: a.city,
        district: a.district,
        score: a.potential_score,
      });
    }
  }
  accounts.sort(
    (x, y) =>
      (TIER_ORDER[x.tier ?? ''] ?? 3) - (TIER_ORDER[y.tier ?? ''] ?? 3) ||
      (y.score ?? Number.NEGATIVE_INFINITY) - (x.score ?? Number.NEGATIVE_INFINITY) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
  const last = await loadLastTouchesOf(trx, ids);
  const cadence = resolveCadence(await reads.cadence());
  const until = await reads.until(repId);
  const capacityOf = (channel: TChannel) =>
    (channel === 'call' ? rep?.calls_per_day : rep?.visits_per_day) ??
    (channel === 'call' ? settings.capacity.callsPerDay : settings.capacity.visitsPerDay);
  let moved = 0;
  for (const account of accounts) {
    for (const channel of ['call', 'visit'] as const) {
      if (!series.get(account.id)?.has(channel)) continue;
      const own = open.get(`${account.id} ${channel}`) ?? [];
      const months = account.tier ? cadence[account.tier][channel] : null;
      const interval = months ? intervalDays(months) : null;
      const lastAt = last.get(account.id)?.[channel];
      // The day the series stands on before each touch: the touch before it, else the last logged touch.
      let previous: LocalDate | null = lastAt ? todayIn(settings.timeZone, new Date(lastAt)) : null;
      for (let i = 0; i < own.length; i++) {
        const t = own[i] as OwnTouch;
        if (!offDay(t)) {
          previous = t.due_on;
          continue;
        }
        moved++;
        let day: LocalDate | null = null;
        if (interval !== null && until !== null && account.tier) {
          // The planner's choice in the touch's window: from the touch before (but no more than one interval
          // before this one: the window lies around the day it had), and no later than the next touch staying put
          // allows (its gap at least interval × 0.8).
          const before = shiftDate(t.due_on, -Math.floor(interval));
          const anchor = previous !== null && previous > before ? previous : before;
          const next = own.slice(i + 1).find((o) => !offDay(o));
          const firstBy = next
            ? shiftDate(next.due_on, -Math.ceil((1 - SPACING_TOLERANCE) * interval - 1e-9))
            : undefined;
          const target: ReplanTarget = {
            accountId: account.id,
            repId,
            channel,
            loggedOn: anchor,
            from: today,
            ...(firstBy ? { firstBy } : {}),
            tier: account.tier,
            city: account.city,
            district: account.district,
            score: account.score,
            at,
            settings,
          };
          const first = (await replannedSeries(trx, target, [t], reads))[0]?.dueOn;
          const frame = replanFrame(anchor, today, until, interval, firstBy);
          if (first && frame) {
            const d = toDayNumber(first) - frame.firstDay;
            if (d >= frame.firstReachable && d <= frame.hi && calendar.isWorkingDay(first)) day = first;
          }
        }
        // No window the planner can use (no plan in force running past it, an account outside the market, a
        // channel its tier's cadence no longer has, a window without a working day): the first working day after
        // with room on the channel, else the first working day after.
        if (day === null) {
          const first = calendar.nextWorkingDay(t.due_on);
          const end = shiftDate(first, 30);
          const load = new Map(
            (await reads.store.dayCounts(repId, channel, first, end)).map((r) => [r.due_on, r.n]),
          );
          day = first;
          while (day <= end && (load.get(day) ?? 0) >= capacityOf(channel))
            day = calendar.nextWorkingDay(day);
          if (day > end) day = first;
        }
        await trx
          .updateTable('planned_touches')
          .set({ due_on: day, updated_at: at })
          .where('id', '=', t.id)
          .execute();
        t.due_on = day;
        previous = day;
      }
    }
  }
  return moved;
}
