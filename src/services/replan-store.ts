import { fromDayNumber, type LocalDate, toDayNumber } from '../domain/calendar/local-date.ts';
import type { TChannel } from '../schemas/common.ts';
import type { Db } from '../storage/database.ts';
import { newIdSequence } from '../storage/ids.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import {
  loadOpenTouchDays,
  type ReplannedWrites,
  writeReplannedTouches,
} from '../storage/repositories/plan.ts';

/** An open planned touch of the account being re-planned. */
export interface OwnTouch {
  id: string;
  due_on: string;
  rep_id: string | null;
}

/** What storing a re-planned series needs to know of the re-plan (a ReplanTarget in services/touches.ts). */
export interface ReplanSaveTarget {
  accountId: string;
  repId: string | null;
  channel: TChannel;
  city: string | null;
  district: string | null;
  at: string;
}

/** A touch of a stored series. */
export interface SavedTouch {
  id: string;
  channel: TChannel;
  dueOn: string;
}

/** How many open touches a rep has on a channel on a day. */
export interface DayCount {
  due_on: LocalDate;
  n: number;
}

/** How many of them lie in one place (their accounts' city and district). */
export interface DayPlaces extends DayCount {
  city: string | null;
  district: string | null;
}

/**
 * Where a re-plan reads the rep's open touches and stores the re-planned series (services/touches.ts: bookedInWindow
 * and replanChannel). The reads count every open touch, the re-planned account's own included, as the database holds
 * them at that moment; `save` rewrites the account's old touches as the new series (saveReplanned's rule).
 */
export interface ReplanStore {
  /** The rep's open touches on the channel per day of [from, to] (days without any left out). */
  dayCounts(
    repId: string | null,
    channel: TChannel,
    from: LocalDate,
    to: LocalDate,
  ): Promise<readonly DayCount[]>;
  /** The same touches on the given days, per place (visits: only their places are compared). */
  dayPlaces(
    repId: string | null,
    channel: TChannel,
    days: readonly LocalDate[],
  ): Promise<readonly DayPlaces[]>;
  /** Stores `touches` over `own` (the k-th old row by date becomes the k-th touch; rows left over go, missing ones come). */
  save(
    a: ReplanSaveTarget,
    own: readonly OwnTouch[],
    touches: readonly { channel: TChannel; dueOn: string }[],
  ): Promise<SavedTouch[]>;
}

/** One rep's open touches on one channel, by day number. */
interface RepDays {
  /** Days read from the database, [lo, hi] (none while lo > hi). */
  lo: number;
  hi: number;
  /**
   * Open touches a day from day number `first` on: as read for the days read, plus the changes saved since (for every
   * day; the array grows to the days met).
   */
  first: number;
  count: Int32Array;
  /** Visits: the same per place (placeKey). */
  places: Map<number, Map<string, DayPlace>> | undefined;
}

interface DayPlace {
  city: string | null;
  district: string | null;
  n: number;
}

const placeKey = (city: string | null, district: string | null) =>
  `${city === null ? '\u0000' : `=${city}`}\u0001${district === null ? '\u0000' : `=${district}`}`;

/**
 * The re-plan store of a bulk re-plan (replanTierChanges over many accounts): instead of two or three queries and a
 * write per touch for every account, the reps' open touches are read once per rep and channel (prefetch: counts per
 * day, and per place for visits; any rep or day not read yet is read on first use), each stored series changes that
 * copy in memory as its writes would change the table, and the writes are made in batches at the end (flush). Until
 * then the database is not written, so what it answers for a day not read yet is the state before the re-plan, to
 * which the copy adds the changes: every re-plan sees exactly what it would read from the table had each series
 * before it been written at once (test/services/tier-override-bulk.test.ts).
 */
export class BulkReplanStore implements ReplanStore {
  private readonly reps: Record<TChannel, Map<string | null, RepDays>> = {
    call: new Map(),
    visit: new Map(),
  };
  /** The days read for a rep first met outside prefetch (prefetch's range). */
  private rangeLo = Number.POSITIVE_INFINITY;
  private rangeHi = Number.NEGATIVE_INFINITY;
  private readonly writes: ReplannedWrites;
  /** Ids of new touches, ascending in the order they are made (appended to the primary key index). */
  private readonly newId: () => string;
  /** Day numbers of the dates met (toDayNumber checks each date it is given; a batch meets a few hundred). */
  private readonly dayNumbers = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly trx: Executor,
    /** When the series are written (every re-plan of the batch stores its touches as created and updated then). */
    at: string,
  ) {
    this.newId = newIdSequence(Date.parse(at));
    this.writes = {
      at,
      rewriteIds: [],
      rewriteDueOn: [],
      rewriteRepId: [],
      rewriteDate: [],
      rewriteRep: [],
      insertIds: [],
      insertAccountIds: [],
      insertRepIds: [],
      insertChannels: [],
      insertDueOn: [],
      deletes: [],
    };
  }

  /** Reads the open touches of the reps on both channels due in [from, to], in one query per channel and 500 reps. */
  async prefetch(repIds: Iterable<string | null>, from: LocalDate, to: LocalDate): Promise<void> {
    const lo = this.day(from);
    const hi = this.day(to);
    this.rangeLo = Math.min(this.rangeLo, lo);
    this.rangeHi = Math.max(this.rangeHi, hi);
    const reps = [...new Set(repIds)];
    for (const channel of ['call', 'visit'] as const) {
      const fresh = reps.filter((rep) => {
        const days = this.repDays(rep, channel);
        return days.lo > days.hi;
      });
      if (fresh.length === 0) continue;
      for (const rep of fresh) {
        const days = this.repDays(rep, channel);
        days.lo = lo;
        days.hi = hi;
      }
      for (const r of await loadOpenTouchDays(this.trx, channel, fresh, from, to)) {
        this.add(this.repDays(r.rep_id, channel), this.day(r.due_on), r.city, r.district, r.n);
      }
    }
  }

  async dayCounts(
    repId: string | null,
    channel: TChannel,
    from: LocalDate,
    to: LocalDate,
  ): Promise<readonly DayCount[]> {
    const lo = this.day(from);
    const hi = this.day(to);
    const days = await this.read(repId, channel, lo, hi);
    const out: DayCount[] = [];
    const { first, count } = days;
    for (let d = Math.max(lo, first); d <= hi && d - first < count.length; d++) {
      const n = count[d - first] as number;
      if (n > 0) out.push({ due_on: fromDayNumber(d), n });
    }
    return out;
  }

  async dayPlaces(
    repId: string | null,
    channel: TChannel,
    dates: readonly LocalDate[],
  ): Promise<readonly DayPlaces[]> {
    // Only visits are compared by place (bookedInWindow), so only theirs are kept.
    if (channel !== 'visit') throw new Error('a bulk re-plan keeps the places of visits only');
    if (dates.length === 0) return [];
    const numbers = dates.map((date) => this.day(date));
    const days = await this.read(repId, channel, Math.min(...numbers), Math.max(...numbers));
    const out: DayPlaces[] = [];
    for (const [k, d] of numbers.entries()) {
      const places = days.places?.get(d);
      if (!places) continue;
      const due_on = dates[k] as LocalDate;
      for (const p of places.values()) {
        if (p.n > 0) out.push({ due_on, city: p.city, district: p.district, n: p.n });
      }
    }
    return out;
  }

  async save(
    a: ReplanSaveTarget,
    own: readonly OwnTouch[],
    touches: readonly { channel: TChannel; dueOn: string }[],
  ): Promise<SavedTouch[]> {
    const w = this.writes;
    if (a.at !== w.at) throw new Error('a bulk re-plan writes its series at one time');
    const saved: SavedTouch[] = [];
    for (let k = 0; k < touches.length; k++) {
      const t = touches[k] as { channel: TChannel; dueOn: string };
      const old = own[k];
      if (old) {
        const date = old.due_on !== t.dueOn;
        const rep = old.rep_id !== a.repId;
        w.rewriteIds.push(old.id);
        w.rewriteDueOn.push(t.dueOn);
        w.rewriteRepId.push(a.repId);
        w.rewriteDate.push(date);
        w.rewriteRep.push(rep);
        if (date || rep) {
          this.change(old.rep_id, a.channel, old.due_on, a, -1);
          this.change(a.repId, t.channel, t.dueOn, a, 1);
        }
        saved.push({ id: old.id, channel: t.channel, dueOn: t.dueOn });
        continue;
      }
      const id = this.newId();
      w.insertIds.push(id);
      w.insertAccountIds.push(a.accountId);
      w.insertRepIds.push(a.repId);
      w.insertChannels.push(t.channel);
      w.insertDueOn.push(t.dueOn);
      this.change(a.repId, t.channel, t.dueOn, a, 1);
      saved.push({ id, channel: t.channel, dueOn: t.dueOn });
    }
    for (const old of own.slice(touches.length)) {
      w.deletes.push(old.id);
      this.change(old.rep_id, a.channel, old.due_on, a, -1);
    }
    return saved;
  }

  /** Writes every series saved so far. */
  async flush(): Promise<void> {
    await writeReplannedTouches(this.db, this.trx, this.writes);
  }

  private day(date: LocalDate): number {
    let day = this.dayNumbers.get(date);
    if (day === undefined) {
      day = toDayNumber(date);
      this.dayNumbers.set(date, day);
    }
    return day;
  }

  private repDays(repId: string | null, channel: TChannel): RepDays {
    const reps = this.reps[channel];
    let days = reps.get(repId);
    if (!days) {
      days = {
        lo: Number.POSITIVE_INFINITY,
        hi: Number.NEGATIVE_INFINITY,
        first: 0,
        count: new Int32Array(0),
        places: channel === 'visit' ? new Map() : undefined,
      };
      reps.set(repId, days);
    }
    return days;
  }

  /** The rep's days with [lo, hi] read (a rep first met: prefetch's range too; so, rarely, days beyond it). */
  private async read(repId: string | null, channel: TChannel, lo: number, hi: number): Promise<RepDays> {
    const days = this.repDays(repId, channel);
    if (days.lo > days.hi) {
      await this.load(days, repId, channel, Math.min(lo, this.rangeLo), Math.max(hi, this.rangeHi));
      days.lo = Math.min(lo, this.rangeLo);
      days.hi = Math.max(hi, this.rangeHi);
      return days;
    }
    if (lo < days.lo) {
      await this.load(days, repId, channel, lo, days.lo - 1);
      days.lo = lo;
    }
    if (hi > days.hi) {
      await this.load(days, repId, channel, days.hi + 1, hi);
      days.hi = hi;
    }
    return days;
  }

  private async load(days: RepDays, repId: string | null, channel: TChannel, lo: number, hi: number) {
    const rows = await loadOpenTouchDays(this.trx, channel, [repId], fromDayNumber(lo), fromDayNumber(hi));
    for (const r of rows) this.add(days, this.day(r.due_on), r.city, r.district, r.n);
  }

  /** A stored series moves one touch of the account (its place) onto or off a day of a rep. */
  private change(
    repId: string | null,
    channel: TChannel,
    dueOn: LocalDate,
    account: { city: string | null; district: string | null },
    n: number,
  ) {
    this.add(this.repDays(repId, channel), this.day(dueOn), account.city, account.district, n);
  }

  private add(days: RepDays, day: number, city: string | null, district: string | null, n: number) {
    if (day < days.first || day >= days.first + days.count.length) {
      // Grown to cover the day, with a month of room on either side (the days met lie within a year or so).
      const first = days.count.length === 0 ? day - 31 : Math.min(days.first, day - 31);
      const end = days.count.length === 0 ? day + 32 : Math.max(days.first + days.count.length, day + 32);
      const count = new Int32Array(end - first);
      if (days.count.length > 0) count.set(days.count, days.first - first);
      days.first = first;
      days.count = count;
    }
    const i = day - days.first;
    days.count[i] = (days.count[i] ?? 0) + n;
    if (!days.places) return;
    let places = days.places.get(day);
    if (!places) {
      places = new Map();
      days.places.set(day, places);
    }
    const key = placeKey(city, district);
    const place = places.get(key);
    if (place) place.n += n;
    else places.set(key, { city, district, n });
  }
}
