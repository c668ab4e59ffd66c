import { DEFAULT_TIME_ZONE } from '../calendar/time-zone.ts';
import { isoWeekKey, monthKey } from './periods.ts';

/**
 * What works (issue 5, point 4): per objection and per response, how often it is met and the share
 * of touches followed by a booked meeting or a next step, per rep, per team, per week or month.
 *
 * Small samples: a response used once with success has a 100 % raw rate, which says little.
 * Responses are therefore ordered by the lower bound of the 95 % Wilson score interval of their
 * success rate (z = 1.96): 1 of 1 -> 0.21, 5 of 10 -> 0.24, 30 of 60 -> 0.38, 0 uses -> 0. It
 * rewards both a good rate and enough uses to trust it, with no arbitrary minimum count.
 */

export interface ObjectionTouch {
  objectionId: string;
  /** The prepared response the rep used, or null when none was recorded. */
  responseId: string | null;
  /** The touch's outcome code; 'meeting_booked' counts as a success. */
  outcome: string | null;
  /** A non-empty next step also counts as a success. */
  nextStep?: string | null;
  userId: string;
  teamId: string | null;
  /** ISO-8601 instant. */
  occurredAt: string;
}

/** Success = a meeting was booked or a next step was agreed. */
export const isTouchSuccess = (t: Pick<ObjectionTouch, 'outcome' | 'nextStep'>): boolean =>
  t.outcome === 'meeting_booked' || (t.nextStep ?? '').trim() !== '';

const Z_95 = 1.96;

/** Lower bound of the Wilson score interval for `successes` out of `n`; 0 when n = 0. */
export function wilsonLowerBound(successes: number, n: number, z: number = Z_95): number {
  if (n <= 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

export interface SuccessStats {
  /** Touches counted (times met for an objection, uses for a response). */
  count: number;
  successes: number;
  /** successes / count, or null when count = 0. */
  successRate: number | null;
  /** Wilson lower bound, see the file comment. */
  wilsonLower: number;
}

export interface ResponseEffectiveness extends SuccessStats {
  responseId: string;
}

export type EffectivenessGroupBy = 'all' | 'user' | 'team';
export type EffectivenessPeriod = 'all' | 'week' | 'month';

export interface ObjectionEffectiveness extends SuccessStats {
  objectionId: string;
  groupBy: EffectivenessGroupBy;
  /** userId or teamId for those groupings; null for 'all' and for touches without a team. */
  groupId: string | null;
  /** `2024-W05` or `2024-05`; null for 'all'. */
  period: string | null;
  /** Responses used for this objection, best first (Wilson lower bound, then uses, then id). */
  responses: ResponseEffectiveness[];
  /** Touches where the objection was met but no response was recorded. */
  noResponse: SuccessStats;
}

export interface EffectivenessOptions {
  groupBy?: EffectivenessGroupBy;
  period?: EffectivenessPeriod;
  /** Time zone for week/month boundaries; default the workspace default (Asia/Shanghai). */
  timeZone?: string;
  /** Only touches with from <= occurredAt < to (ISO instants, compared as instants). */
  from?: string;
  to?: string;
}

function stats(count: number, successes: number): SuccessStats {
  return {
    count,
    successes,
    successRate: count === 0 ? null : successes / count,
    wilsonLower: wilsonLowerBound(successes, count),
  };
}

interface Tally {
  objectionId: string;
  groupId: string | null;
  period: string | null;
  met: number;
  successes: number;
  responses: Map<string, { uses: number; successes: number }>;
  none: { uses: number; successes: number };
}

/**
 * Counts per objection (and per response within it), grouped by rep or team and by period.
 * Rows are ordered by period, then group, then most met first, then objection id.
 */
export function summarizeObjectionEffectiveness(
  touches: readonly ObjectionTouch[],
  options: EffectivenessOptions = {},
): ObjectionEffectiveness[] {
  const groupBy = options.groupBy ?? 'all';
  const period = options.period ?? 'all';
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const from = options.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.from);
  const to = options.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.to);

  const tallies = new Map<string, Tally>();
  for (const t of touches) {
    const at = Date.parse(t.occurredAt);
    if (!(at >= from && at < to)) continue;
    const groupId = groupBy === 'user' ? t.userId : groupBy === 'team' ? t.teamId : null;
    const periodKey =
      period === 'week'
        ? isoWeekKey(t.occurredAt, timeZone)
        : period === 'month'
          ? monthKey(t.occurredAt, timeZone)
          : null;
    const key = JSON.stringify([t.objectionId, groupId, periodKey]);
    let tally = tallies.get(key);
    if (!tally) {
      tally = {
        objectionId: t.objectionId,
        groupId,
        period: periodKey,
        met: 0,
        successes: 0,
        responses: new Map(),
        none: { uses: 0, successes: 0 },
      };
      tallies.set(key, tally);
    }
    const ok = isTouchSuccess(t) ? 1 : 0;
    tally.met += 1;
    tally.successes += ok;
    let bucket = tally.none;
    if (t.responseId !== null) {
      bucket = tally.responses.get(t.responseId) ?? { uses: 0, successes: 0 };
      tally.responses.set(t.responseId, bucket);
    }
    bucket.uses += 1;
    bucket.successes += ok;
  }

  const rows: ObjectionEffectiveness[] = [...tallies.values()].map((t) => ({
    objectionId: t.objectionId,
    groupBy,
    groupId: t.groupId,
    period: t.period,
    ...stats(t.met, t.successes),
    responses: [...t.responses.entries()]
      .map(([responseId, r]) => ({ responseId, ...stats(r.uses, r.successes) }))
      .sort(
        (a, b) =>
          b.wilsonLower - a.wilsonLower || b.count - a.count || compareText(a.responseId, b.responseId),
      ),
    noResponse: stats(t.none.uses, t.none.successes),
  }));

  return rows.sort(
    (a, b) =>
      compareText(a.period ?? '', b.period ?? '') ||
      compareText(a.groupId ?? '', b.groupId ?? '') ||
      b.count - a.count ||
      compareText(a.objectionId, b.objectionId),
  );
}

// Code-unit order, independent of the runtime's locale.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ResponseUseStats {
  uses: number;
  successes: number;
}

export interface RankedResponse<T> {
  response: T;
  uses: number;
  successes: number;
  successRate: number | null;
  /** Wilson lower bound: the sort key. */
  score: number;
}

/**
 * Orders a playbook's responses by how well they work: Wilson lower bound of the success rate
 * (see file comment), then the preferred response, then more uses, then the given order. With no
 * data at all this is "preferred first, then as written".
 */
export function sortResponsesByEffectiveness<T extends { id: string; preferred?: boolean }>(
  responses: readonly T[],
  statsById: ReadonlyMap<string, ResponseUseStats> | Readonly<Record<string, ResponseUseStats>>,
): RankedResponse<T>[] {
  const lookup = (id: string): ResponseUseStats | undefined =>
    statsById instanceof Map
      ? statsById.get(id)
      : Object.hasOwn(statsById, id)
        ? (statsById as Readonly<Record<string, ResponseUseStats>>)[id]
        : undefined;
  return responses
    .map((response, index) => {
      const s = lookup(response.id) ?? { uses: 0, successes: 0 };
      return {
        index,
        ranked: {
          response,
          uses: s.uses,
          successes: s.successes,
          successRate: s.uses === 0 ? null : s.successes / s.uses,
          score: wilsonLowerBound(s.successes, s.uses),
        },
      };
    })
    .sort(
      (a, b) =>
        b.ranked.score - a.ranked.score ||
        Number(b.ranked.response.preferred === true) - Number(a.ranked.response.preferred === true) ||
        b.ranked.uses - a.ranked.uses ||
        a.index - b.index,
    )
    .map((r) => r.ranked);
}

/** Per-response use counts from the summary rows of one objection, for `sortResponsesByEffectiveness`. */
export function responseStatsFrom(rows: readonly ObjectionEffectiveness[]): Map<string, ResponseUseStats> {
  const out = new Map<string, ResponseUseStats>();
  for (const row of rows) {
    for (const r of row.responses) {
      const prev = out.get(r.responseId) ?? { uses: 0, successes: 0 };
      out.set(r.responseId, { uses: prev.uses + r.count, successes: prev.successes + r.successes });
    }
  }
  return out;
}
