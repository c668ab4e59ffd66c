import type {
  TLearningEvent,
  TLearningRuleCode,
  TLearningState,
  TLearningTransition,
} from '../../schemas/learning.ts';
import type { TLearningStage } from '../../schemas/objections.ts';
import { DEFAULT_TIME_ZONE } from '../calendar/time-zone.ts';
import { localDateKey } from '../objections/periods.ts';

/*
 * Learning-stage rules (method §6), per rep and skill. Deterministic: the result depends only on
 * (state, event, now, rules). Numbers below are the defaults in DEFAULT_LEARNING_RULES.
 *
 * Stages: 1 unconscious incompetence, 2 conscious incompetence, 3 conscious competence,
 * 4 unconscious competence. Every state starts at 1.
 *
 * Evidence kept in the state (JSON):
 *  - practice: goodStreak (consecutive Good/Easy), the distinct local days of that streak,
 *    againStreak (consecutive Again), spacedGood (Good/Easy given >= 7 days after the previous
 *    review, counted since the last Again), the latest FSRS stability;
 *    Again resets goodStreak and spacedGood; Hard resets goodStreak and againStreak and leaves
 *    spacedGood as it is; Good/Easy resets againStreak.
 *  - real uses: {at, success} of logged touches where the skill's objection was met, success being a
 *    booked meeting or a next step; pruned to the last 90 days before `now`.
 *
 * Rules, checked in this order; at most one stage change per event:
 *
 *  manager-assessment      A manager assessment sets the stage to the assessed stage, up or down.
 *  self-assessment-aware   Any self-assessment at stage 1 moves 1 -> 2: assessing oneself is
 *                          becoming aware of what one lacks (a claim of "1" is therefore read as 2).
 *  self-assessment-up      At stage 2, a self-assessment claiming 3 or 4 moves 2 -> 3. A
 *                          self-assessment never moves a rep above 3 (a claim of 4 counts as 3).
 *  self-assessment-down    A self-assessment below the current stage (claims of 1 read as 2) moves
 *                          the rep down to it: an honest admission is taken at its word.
 *  practice-failures       3 Again in a row in practice move back one stage (never below 2).
 *  real-failures           >= 4 real uses, all failures, within the last 30 days and after the
 *                          latest stage change, move back one stage (never below 2).
 *  practice-aware          A practice review at stage 1 moves 1 -> 2 (rating one's recall against
 *                          the prepared answer is an honest self-assessment).
 *  practice-steady         At stage 2, >= 3 consecutive Good/Easy reviews spread over >= 2 distinct
 *                          local days move 2 -> 3.
 *  fluent-and-effective    At stage 3, fluent recall (latest FSRS stability >= 21 days, or >= 3
 *                          Good/Easy reviews each >= 7 days after the previous one since the last
 *                          Again) AND good real outcomes (>= 3 real uses in the last 90 days with
 *                          >= 50 % success) move 3 -> 4. Checked on practice reviews and real outcomes.
 *
 * Demotions floor at 2: failing shows what one lacks, it does not make one unaware of it. A
 * change downwards (any rule) or by a manager clears the practice streaks, so the next demotion
 * or promotion needs fresh evidence; promotions keep the evidence gathered so far.
 * `stageSince` is set to the event's time on every change. Windows are measured back from `now`;
 * day boundaries use `rules.timeZone` (default: the workspace zone, Asia/Shanghai).
 */

export interface LearningRules {
  /** IANA zone for "distinct days"; default the workspace default (Asia/Shanghai). */
  timeZone: string;
  steadyStreak: number;
  steadyDistinctDays: number;
  fluentStabilityDays: number;
  spacedGoodCount: number;
  spacedGapDays: number;
  realWindowDays: number;
  realMinUses: number;
  realMinSuccessRate: number;
  againStreakToDemote: number;
  failWindowDays: number;
  failMinUses: number;
  /** Lowest stage a demotion can reach. */
  demotionFloor: TLearningStage;
}

export const DEFAULT_LEARNING_RULES: LearningRules = {
  timeZone: DEFAULT_TIME_ZONE,
  steadyStreak: 3,
  steadyDistinctDays: 2,
  fluentStabilityDays: 21,
  spacedGoodCount: 3,
  spacedGapDays: 7,
  realWindowDays: 90,
  realMinUses: 3,
  realMinSuccessRate: 0.5,
  againStreakToDemote: 3,
  failWindowDays: 30,
  failMinUses: 4,
  demotionFloor: 2,
};

/** Labels for the rule codes, for history views. */
export const LEARNING_RULE_LABELS: Readonly<Record<TLearningRuleCode, { zh: string; en: string }>> = {
  'self-assessment-aware': { zh: '首次自我评估：意识到不足', en: 'First self-assessment: aware of the gap' },
  'self-assessment-up': { zh: '自我评估：能做到，但需要思考', en: 'Self-assessment: can do it with thought' },
  'self-assessment-down': { zh: '自我评估：主动下调', en: 'Self-assessment: lowered by the rep' },
  'practice-aware': { zh: '开始练习：意识到不足', en: 'Started practising: aware of the gap' },
  'practice-steady': { zh: '练习中连续稳定回答', en: 'Steady recall in practice' },
  'fluent-and-effective': {
    zh: '间隔练习熟练且实战效果好',
    en: 'Fluent over spaced practice and works in real calls',
  },
  'practice-failures': { zh: '练习中连续答不上来', en: 'Repeated failures in practice' },
  'real-failures': { zh: '实战中多次未取得进展', en: 'Repeated failures in real calls' },
  'manager-assessment': { zh: '经理评估', en: 'Manager assessment' },
};

const DAY_MS = 86_400_000;
const MAX_REAL_USES = 500;
const MAX_STREAK_DAYS = 14;

export function initialLearningState(stage: TLearningStage = 1): TLearningState {
  return {
    stage,
    stageSince: null,
    lastSelfAssessment: null,
    lastManagerAssessment: null,
    practice: {
      reviews: 0,
      goodStreak: 0,
      goodStreakDays: [],
      againStreak: 0,
      spacedGood: 0,
      lastReviewAt: null,
      lastStability: null,
    },
    realUses: [],
  };
}

export interface LearningEventResult {
  state: TLearningState;
  transition?: TLearningTransition;
}

type Change = { to: TLearningStage; rule: TLearningRuleCode; reason: string };

/** Applies one event to a rep's state for one skill; returns the new state and the stage change, if any. */
export function applyLearningEvent(
  state: TLearningState,
  event: TLearningEvent,
  now: Date,
  rules: LearningRules = DEFAULT_LEARNING_RULES,
): LearningEventResult {
  const next: TLearningState = structuredClone(state);
  let change: Change | null = null;

  switch (event.kind) {
    case 'manager_assessment':
      next.lastManagerAssessment = { at: event.at, stage: event.stage, managerId: event.managerId };
      if (event.stage !== state.stage) {
        change = {
          to: event.stage,
          rule: 'manager-assessment',
          reason: `Manager ${event.managerId} assessed stage ${event.stage}.`,
        };
      }
      break;

    case 'self_assessment':
      next.lastSelfAssessment = { at: event.at, stage: event.stage };
      change = selfAssessmentChange(state.stage, event.stage);
      break;

    case 'practice_review':
      recordReview(next, event, rules);
      change = practiceDemotion(next, rules) ?? practicePromotion(next, now, rules);
      break;

    case 'real_outcome':
      next.realUses.push({ at: event.at, success: event.success });
      next.realUses.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      change =
        realDemotion(next, now, rules) ?? (next.stage === 3 ? fluentAndEffective(next, now, rules) : null);
      break;
  }

  pruneRealUses(next, now, rules);
  if (!change || change.to === state.stage) return { state: next };

  const from = state.stage;
  next.stage = change.to;
  next.stageSince = event.at;
  if (change.to < from || change.rule === 'manager-assessment') clearStreaks(next);
  return {
    state: next,
    transition: { from, to: change.to, rule: change.rule, reason: change.reason, at: event.at },
  };
}

/**
 * Folds events in order from `initial` (default: stage 1), each evaluated at its own time
 * (now = event.at), as if processed live. Returns the final state and every transition.
 */
export function replayLearningEvents(
  events: readonly TLearningEvent[],
  initial: TLearningState = initialLearningState(),
  rules: LearningRules = DEFAULT_LEARNING_RULES,
): { state: TLearningState; transitions: TLearningTransition[] } {
  let state = initial;
  const transitions: TLearningTransition[] = [];
  for (const event of events) {
    const result = applyLearningEvent(state, event, new Date(event.at), rules);
    state = result.state;
    if (result.transition) transitions.push(result.transition);
  }
  return { state, transitions };
}

function selfAssessmentChange(stage: TLearningStage, claimed: TLearningStage): Change | null {
  if (stage === 1) {
    return {
      to: 2,
      rule: 'self-assessment-aware',
      reason: `First self-assessment (claimed stage ${claimed}): the rep now sees what to learn.`,
    };
  }
  const up: TLearningStage = claimed >= 3 ? 3 : 2;
  if (claimed > stage && up > stage) {
    return {
      to: up,
      rule: 'self-assessment-up',
      reason: `Self-assessed stage ${claimed}; a self-assessment moves a rep at most to stage 3.`,
    };
  }
  const down: TLearningStage = claimed <= 2 ? 2 : claimed;
  if (claimed < stage && down < stage) {
    return { to: down, rule: 'self-assessment-down', reason: `Self-assessed stage ${claimed}.` };
  }
  return null;
}

function recordReview(
  s: TLearningState,
  event: Extract<TLearningEvent, { kind: 'practice_review' }>,
  rules: LearningRules,
): void {
  const p = s.practice;
  const at = Date.parse(event.at);
  const last = p.lastReviewAt === null ? null : Date.parse(p.lastReviewAt);
  const gapDays = last === null ? null : Math.max(0, at - last) / DAY_MS;
  p.reviews += 1;
  switch (event.rating) {
    case 'again':
      p.againStreak += 1;
      p.goodStreak = 0;
      p.goodStreakDays = [];
      p.spacedGood = 0;
      break;
    case 'hard':
      p.againStreak = 0;
      p.goodStreak = 0;
      p.goodStreakDays = [];
      break;
    case 'good':
    case 'easy': {
      p.againStreak = 0;
      p.goodStreak += 1;
      const day = localDateKey(event.at, rules.timeZone);
      if (!p.goodStreakDays.includes(day))
        p.goodStreakDays = [...p.goodStreakDays, day].slice(-MAX_STREAK_DAYS);
      if (gapDays !== null && gapDays >= rules.spacedGapDays) p.spacedGood += 1;
      break;
    }
  }
  // A late-arriving older review counts in the streaks but does not replace the latest memory state.
  if (last === null || at >= last) {
    p.lastReviewAt = event.at;
    p.lastStability = event.stability;
  }
}

function practiceDemotion(s: TLearningState, rules: LearningRules): Change | null {
  if (s.stage <= rules.demotionFloor || s.practice.againStreak < rules.againStreakToDemote) return null;
  return {
    to: stepDown(s.stage),
    rule: 'practice-failures',
    reason: `${s.practice.againStreak} Again ratings in a row in practice.`,
  };
}

function practicePromotion(s: TLearningState, now: Date, rules: LearningRules): Change | null {
  const p = s.practice;
  if (s.stage === 1) {
    return {
      to: 2,
      rule: 'practice-aware',
      reason: 'First practice review: the rep now sees what to learn.',
    };
  }
  if (
    s.stage === 2 &&
    p.goodStreak >= rules.steadyStreak &&
    p.goodStreakDays.length >= rules.steadyDistinctDays
  ) {
    return {
      to: 3,
      rule: 'practice-steady',
      reason: `${p.goodStreak} Good/Easy reviews in a row over ${p.goodStreakDays.length} days.`,
    };
  }
  if (s.stage === 3) return fluentAndEffective(s, now, rules);
  return null;
}

function fluentAndEffective(s: TLearningState, now: Date, rules: LearningRules): Change | null {
  const p = s.practice;
  const byStability = p.lastStability !== null && p.lastStability >= rules.fluentStabilityDays;
  const bySpacing = p.spacedGood >= rules.spacedGoodCount;
  if (!byStability && !bySpacing) return null;
  const since = now.getTime() - rules.realWindowDays * DAY_MS;
  const uses = s.realUses.filter((u) => Date.parse(u.at) >= since);
  const successes = uses.filter((u) => u.success).length;
  if (uses.length < rules.realMinUses || successes / uses.length < rules.realMinSuccessRate) return null;
  const fluency = byStability
    ? `recall stability ${round1(p.lastStability ?? 0)} days`
    : `${p.spacedGood} Good/Easy reviews at least ${rules.spacedGapDays} days apart`;
  return {
    to: 4,
    rule: 'fluent-and-effective',
    reason: `Fluent in practice (${fluency}) and ${successes} of ${uses.length} real uses in ${rules.realWindowDays} days led to a meeting or next step.`,
  };
}

function realDemotion(s: TLearningState, now: Date, rules: LearningRules): Change | null {
  if (s.stage <= rules.demotionFloor) return null;
  const windowStart = now.getTime() - rules.failWindowDays * DAY_MS;
  const stageSince = s.stageSince === null ? Number.NEGATIVE_INFINITY : Date.parse(s.stageSince);
  const uses = s.realUses.filter((u) => {
    const at = Date.parse(u.at);
    return at >= windowStart && at > stageSince;
  });
  if (uses.length < rules.failMinUses || uses.some((u) => u.success)) return null;
  return {
    to: stepDown(s.stage),
    rule: 'real-failures',
    reason: `${uses.length} real uses in ${rules.failWindowDays} days, none led to a meeting or next step.`,
  };
}

function pruneRealUses(s: TLearningState, now: Date, rules: LearningRules): void {
  const keepFrom = now.getTime() - Math.max(rules.realWindowDays, rules.failWindowDays) * DAY_MS;
  s.realUses = s.realUses.filter((u) => Date.parse(u.at) >= keepFrom).slice(-MAX_REAL_USES);
}

function clearStreaks(s: TLearningState): void {
  s.practice.goodStreak = 0;
  s.practice.goodStreakDays = [];
  s.practice.againStreak = 0;
  s.practice.spacedGood = 0;
}

const stepDown = (stage: TLearningStage): TLearningStage => (stage === 4 ? 3 : stage === 3 ? 2 : 1);
const round1 = (n: number): number => Math.round(n * 10) / 10;
