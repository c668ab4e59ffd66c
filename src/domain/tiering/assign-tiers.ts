import type { TTier } from '../../schemas/common.ts';
import type { TTieringSettings } from '../../schemas/tiering.ts';
import { DEFAULT_TIERING_SETTINGS, potentialScore, type TieringAccount } from './potential-score.ts';

/** The tiering result for one account. */
export interface TierAssignment {
  id: string;
  /** Potential score in sales-equivalent yuan (also for out-of-market accounts); null without statistics. */
  score: number | null;
  inMarket: boolean;
  /** The tier the score gives; null out of market. */
  computedTier: TTier | null;
  /** The effective tier: the manual override when set, else computedTier; null out of market. */
  tier: TTier | null;
}

export interface TierCounts {
  A: number;
  B: number;
  C: number;
  outOfMarket: number;
  /** In-market accounts whose tier comes from a manual override. */
  overridden: number;
}

export interface TieringResult {
  /** One entry per input account, in input order. */
  assignments: TierAssignment[];
  counts: TierCounts;
}

/** The tier of each code computedTierCodes gives. */
export const TIER_CODES: readonly TTier[] = ['A', 'B', 'C'];

/**
 * Ranks in-market accounts by (score desc, id asc) — accounts without a score last — and marks the
 * top `count` of them with `code` in `tierCode`. Uses a native numeric sort to find the score at the cut and
 * sorts only the accounts tied at that score, so 600,000 accounts take tens of milliseconds.
 */
function markTop(
  count: number,
  code: number,
  members: Int32Array,
  scores: Float64Array,
  sortedDesc: Float64Array,
  ids: readonly string[],
  tierCode: Uint8Array,
): void {
  if (count <= 0) return;
  if (count >= members.length) {
    for (const i of members) tierCode[i] = code;
    return;
  }
  const cutScore = sortedDesc[count - 1] as number;
  const tied: number[] = [];
  let above = 0;
  for (const i of members) {
    const s = scores[i] as number;
    if (s > cutScore) {
      tierCode[i] = code;
      above++;
    } else if (s === cutScore) tied.push(i);
  }
  tied.sort((a, b) => {
    const ia = ids[a] as string;
    const ib = ids[b] as string;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  for (let k = 0; k < count - above; k++) tierCode[tied[k] as number] = code;
}

/**
 * Scores every account and tiers the in-market ones (method §2): by rank (top aPercent A, next bPercent B,
 * the rest C; counts rounded, ties broken by id) or by score thresholds. A manual override sets the
 * effective tier and survives re-tiering; it does not change the others' computed tiers. Out-of-market
 * accounts get no tier. `inMarket` defaults to "every account".
 */
export function assignTiers<T extends TieringAccount>(
  accounts: readonly T[],
  settings: TTieringSettings = DEFAULT_TIERING_SETTINGS,
  inMarket: (account: T) => boolean = () => true,
): TieringResult {
  const n = accounts.length;
  const scores = new Float64Array(n);
  const rawScores: (number | null)[] = new Array(n);
  const market = new Uint8Array(n);
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const account = accounts[i] as T;
    const score = potentialScore(account, settings);
    rawScores[i] = score;
    scores[i] = score ?? Number.NEGATIVE_INFINITY;
    ids[i] = account.id;
    if (inMarket(account)) market[i] = 1;
  }
  const tierCode = computedTierCodes(scores, market, ids, settings.cut);

  let marketCount = 0;
  for (let i = 0; i < n; i++) marketCount += market[i] as number;
  const counts: TierCounts = { A: 0, B: 0, C: 0, outOfMarket: n - marketCount, overridden: 0 };
  const assignments: TierAssignment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const account = accounts[i] as T;
    if (!market[i]) {
      assignments[i] = {
        id: account.id,
        score: rawScores[i] ?? null,
        inMarket: false,
        computedTier: null,
        tier: null,
      };
      continue;
    }
    const computedTier = TIER_CODES[tierCode[i] as number] as TTier;
    const tier = account.tierOverride ?? computedTier;
    if (account.tierOverride) counts.overridden++;
    counts[tier]++;
    assignments[i] = { id: account.id, score: rawScores[i] ?? null, inMarket: true, computedTier, tier };
  }
  return { assignments, counts };
}

/**
 * The tiers assignTiers computes, as codes (0 A, 1 B, 2 C; see TIER_CODES), from columns: each account's score
 * (NEGATIVE_INFINITY when it has none), whether it is in market (1) and its id. Entries of out-of-market
 * accounts are 2 and mean nothing. For callers that hold accounts as columns rather than objects (saveMarket).
 */
export function computedTierCodes(
  scores: Float64Array,
  market: Uint8Array,
  ids: readonly string[],
  cut: TTieringSettings['cut'],
): Uint8Array {
  const n = scores.length;
  let marketCount = 0;
  for (let i = 0; i < n; i++) marketCount += market[i] as number;
  const members = new Int32Array(marketCount);
  for (let i = 0, k = 0; i < n; i++) if (market[i]) members[k++] = i;

  const tierCode = new Uint8Array(n).fill(2);
  if (cut.method === 'rank') {
    const sortedDesc = new Float64Array(marketCount);
    for (let k = 0; k < marketCount; k++) sortedDesc[k] = scores[members[k] as number] as number;
    sortedDesc.sort().reverse();
    const aCount = Math.round((marketCount * cut.aPercent) / 100 + 1e-9);
    const abCount = Math.round((marketCount * (cut.aPercent + cut.bPercent)) / 100 + 1e-9);
    markTop(abCount, 1, members, scores, sortedDesc, ids, tierCode);
    markTop(aCount, 0, members, scores, sortedDesc, ids, tierCode);
  } else {
    for (const i of members) {
      const s = scores[i] as number;
      tierCode[i] = s >= cut.aMinScore ? 0 : s >= cut.bMinScore ? 1 : 2;
    }
  }
  return tierCode;
}

/** Orders accounts from lowest to highest potential: the reverse of the tiering rank (score asc, id desc). */
export function compareLowestPotentialFirst(
  a: { id: string; score: number | null },
  b: { id: string; score: number | null },
): number {
  const sa = a.score ?? Number.NEGATIVE_INFINITY;
  const sb = b.score ?? Number.NEGATIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
