import { describe, expect, it } from 'vitest';
import {
  type DrillItem,
  drillPrompt,
  drillWeight,
  dueCards,
  learningEventForReview,
  newCard,
  pickDrillQueue,
  reviewCard,
} from '../../src/domain/learning/drill.ts';
import {
  applyLearningEvent,
  DEFAULT_LEARNING_RULES,
  initialLearningState,
  LEARNING_RULE_LABELS,
  replayLearningEvents,
} from '../../src/domain/learning/stage-rules.ts';
import { DEFAULT_OBJECTIONS } from '../../src/domain/objections/default-playbook.ts';
import {
  type TDrillCard,
  type TDrillRating,
  type TLearningEvent,
  type TLearningState,
  ZDrillCard,
  ZDrillReviewLog,
  ZLearningRuleCode,
  ZLearningState,
  ZLearningTransition,
} from '../../src/schemas/learning.ts';
import type { TLearningStage } from '../../src/schemas/objections.ts';

const NOW = new Date('2024-06-30T12:00:00Z');
const day = (d: number, hour = 9) => new Date(Date.UTC(2024, 5, d, hour)).toISOString(); // June 2024

const self = (d: number, stage: TLearningStage): TLearningEvent => ({
  kind: 'self_assessment',
  at: day(d),
  stage,
});
const manager = (d: number, stage: TLearningStage): TLearningEvent => ({
  kind: 'manager_assessment',
  at: day(d),
  stage,
  managerId: 'm1',
});
const review = (at: string, rating: TDrillRating, stability = 1): TLearningEvent => ({
  kind: 'practice_review',
  at,
  rating,
  stability,
});
const real = (at: string, success: boolean): TLearningEvent => ({ kind: 'real_outcome', at, success });

type Case = {
  name: string;
  start: TLearningStage;
  events: TLearningEvent[];
  stage: TLearningStage;
  /** Rule of the last transition, or null when nothing moved. */
  rule: string | null;
};

const CASES: Case[] = [
  // self-assessment
  {
    name: 'first self-assessment moves 1 -> 2',
    start: 1,
    events: [self(1, 2)],
    stage: 2,
    rule: 'self-assessment-aware',
  },
  {
    name: 'a claim of 1 still means awareness',
    start: 1,
    events: [self(1, 1)],
    stage: 2,
    rule: 'self-assessment-aware',
  },
  {
    name: 'from 1, a claim of 4 moves only to 2',
    start: 1,
    events: [self(1, 4)],
    stage: 2,
    rule: 'self-assessment-aware',
  },
  {
    name: 'at 2, a claim of 3 moves to 3',
    start: 2,
    events: [self(1, 3)],
    stage: 3,
    rule: 'self-assessment-up',
  },
  {
    name: 'at 2, a claim of 4 stops at 3',
    start: 2,
    events: [self(1, 4)],
    stage: 3,
    rule: 'self-assessment-up',
  },
  { name: 'at 3, a claim of 4 changes nothing', start: 3, events: [self(1, 4)], stage: 3, rule: null },
  { name: 'at 4, a claim of 4 changes nothing', start: 4, events: [self(1, 4)], stage: 4, rule: null },
  {
    name: 'at 4, a claim of 2 moves down to 2',
    start: 4,
    events: [self(1, 2)],
    stage: 2,
    rule: 'self-assessment-down',
  },
  {
    name: 'at 3, a claim of 1 moves down to 2',
    start: 3,
    events: [self(1, 1)],
    stage: 2,
    rule: 'self-assessment-down',
  },
  { name: 'at 2, a claim of 1 changes nothing', start: 2, events: [self(1, 1)], stage: 2, rule: null },
  // manager
  {
    name: 'a manager sets 1 -> 4 directly',
    start: 1,
    events: [manager(1, 4)],
    stage: 4,
    rule: 'manager-assessment',
  },
  {
    name: 'a manager sets 3 -> 1 directly',
    start: 3,
    events: [manager(1, 1)],
    stage: 1,
    rule: 'manager-assessment',
  },
  {
    name: 'a manager confirming the stage moves nothing',
    start: 3,
    events: [manager(1, 3)],
    stage: 3,
    rule: null,
  },
  // practice 1 -> 2 and 2 -> 3
  {
    name: 'a practice review at 1 moves to 2',
    start: 1,
    events: [review(day(1), 'again')],
    stage: 2,
    rule: 'practice-aware',
  },
  {
    name: '3 Good on one day is not enough for 2 -> 3',
    start: 2,
    events: [review(day(1, 9), 'good'), review(day(1, 10), 'good'), review(day(1, 11), 'easy')],
    stage: 2,
    rule: null,
  },
  {
    name: '3 Good/Easy over 2 days move 2 -> 3',
    start: 2,
    events: [review(day(1, 9), 'good'), review(day(1, 10), 'easy'), review(day(2), 'good')],
    stage: 3,
    rule: 'practice-steady',
  },
  {
    name: 'Hard breaks the streak',
    start: 2,
    events: [review(day(1), 'good'), review(day(2), 'hard'), review(day(3), 'good'), review(day(4), 'good')],
    stage: 2,
    rule: null,
  },
  {
    name: 'Again breaks the streak',
    start: 2,
    events: [review(day(1), 'good'), review(day(2), 'good'), review(day(3), 'again'), review(day(4), 'good')],
    stage: 2,
    rule: null,
  },
  // 3 -> 4
  {
    name: 'stability >= 21 days and 2 of 3 real successes move 3 -> 4',
    start: 3,
    events: [real(day(10), true), real(day(11), false), review(day(12), 'good', 25), real(day(13), true)],
    stage: 4,
    rule: 'fluent-and-effective',
  },
  {
    name: 'the practice review can be the event that completes 3 -> 4',
    start: 3,
    events: [real(day(10), true), real(day(11), false), real(day(13), true), review(day(14), 'easy', 30)],
    stage: 4,
    rule: 'fluent-and-effective',
  },
  {
    name: 'fluent but 1 of 3 real successes stays at 3',
    start: 3,
    events: [review(day(1), 'good', 40), real(day(10), true), real(day(11), false), real(day(12), false)],
    stage: 3,
    rule: null,
  },
  {
    name: 'good outcomes but not fluent stays at 3',
    start: 3,
    events: [review(day(1), 'good', 10), real(day(10), true), real(day(11), true), real(day(12), true)],
    stage: 3,
    rule: null,
  },
  {
    name: '3 Good reviews each >= 7 days apart count as fluent',
    start: 3,
    events: [
      review('2024-05-01T09:00:00Z', 'good', 3),
      review('2024-05-09T09:00:00Z', 'good', 8),
      review('2024-05-20T09:00:00Z', 'good', 15),
      review('2024-06-05T09:00:00Z', 'good', 18),
      real(day(20), true),
      real(day(21), true),
      real(day(22), false),
    ],
    stage: 4,
    rule: 'fluent-and-effective',
  },
  {
    name: 'real uses older than 90 days do not count',
    start: 3,
    events: [
      review(day(1), 'good', 40),
      real('2024-03-01T09:00:00Z', true),
      real('2024-03-02T09:00:00Z', true),
      real(day(12), true),
    ],
    stage: 3,
    rule: null,
  },
  // moving back
  {
    name: '3 Again in a row move 3 -> 2',
    start: 3,
    events: [review(day(1), 'again'), review(day(1, 10), 'again'), review(day(2), 'again')],
    stage: 2,
    rule: 'practice-failures',
  },
  {
    name: '3 Again in a row move 4 -> 3',
    start: 4,
    events: [review(day(1), 'again'), review(day(2), 'again'), review(day(3), 'again')],
    stage: 3,
    rule: 'practice-failures',
  },
  {
    name: 'Again, Hard, Again, Again is not 3 in a row',
    start: 3,
    events: [
      review(day(1), 'again'),
      review(day(2), 'hard'),
      review(day(3), 'again'),
      review(day(4), 'again'),
    ],
    stage: 3,
    rule: null,
  },
  {
    name: 'demotions stop at 2',
    start: 2,
    events: [review(day(1), 'again'), review(day(2), 'again'), review(day(3), 'again')],
    stage: 2,
    rule: null,
  },
  {
    name: '4 real failures in 30 days move 4 -> 3',
    start: 4,
    events: [real(day(10), false), real(day(12), false), real(day(14), false), real(day(16), false)],
    stage: 3,
    rule: 'real-failures',
  },
  {
    name: '3 real failures are not enough',
    start: 4,
    events: [real(day(10), false), real(day(12), false), real(day(14), false)],
    stage: 4,
    rule: null,
  },
  {
    name: 'one success among 4 real uses prevents moving back',
    start: 4,
    events: [real(day(10), false), real(day(12), true), real(day(14), false), real(day(16), false)],
    stage: 4,
    rule: null,
  },
  {
    name: 'failures more than 30 days ago do not count',
    start: 4,
    events: [
      real('2024-05-10T09:00:00Z', false),
      real(day(12), false),
      real(day(14), false),
      real(day(16), false),
    ],
    stage: 4,
    rule: null,
  },
  {
    name: 'after moving back, the next failure needs fresh evidence',
    start: 4,
    events: [
      real(day(10), false),
      real(day(12), false),
      real(day(14), false),
      real(day(16), false),
      real(day(18), false),
    ],
    stage: 3,
    rule: 'real-failures',
  },
];

describe('learning-stage rules', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { state, transitions } = replayLearningEvents(c.events, initialLearningState(c.start));
    expect(state.stage).toBe(c.stage);
    expect(transitions.at(-1)?.rule ?? null).toBe(c.rule);
    for (const t of transitions) expect(() => ZLearningTransition.parse(t)).not.toThrow();
  });

  it('moves one stage per event and records from, to, rule, reason and time', () => {
    const events = [
      self(1, 2),
      review(day(2, 9), 'good'),
      review(day(2, 10), 'good'),
      review(day(3), 'good', 25),
      real(day(10), true),
      real(day(11), true),
      real(day(12), false),
    ];
    const { state, transitions } = replayLearningEvents(events);
    expect(transitions.map((t) => [t.from, t.to, t.rule, t.at])).toEqual([
      [1, 2, 'self-assessment-aware', day(1)],
      [2, 3, 'practice-steady', day(3)],
      [3, 4, 'fluent-and-effective', day(12)],
    ]);
    expect(transitions[2]?.reason).toBe(
      'Fluent in practice (recall stability 25 days) and 2 of 3 real uses in 90 days led to a meeting or next step.',
    );
    expect(state.stageSince).toBe(day(12));
  });

  it('counts distinct days in the given time zone', () => {
    // 23:30 and 00:30 in Shanghai: two days there, one day in UTC.
    const events = [
      review('2024-06-01T15:00:00Z', 'good'),
      review('2024-06-01T15:30:00Z', 'good'),
      review('2024-06-01T16:30:00Z', 'good'),
    ];
    const start = initialLearningState(2);
    const utc = { ...DEFAULT_LEARNING_RULES, timeZone: 'UTC' };
    expect(replayLearningEvents(events, start, utc).state.stage).toBe(2);
    const shanghai = { ...DEFAULT_LEARNING_RULES, timeZone: 'Asia/Shanghai' };
    expect(replayLearningEvents(events, start, shanghai).state.stage).toBe(3);
    expect(DEFAULT_LEARNING_RULES.timeZone).toBe('Asia/Shanghai');
  });

  it('a demotion clears the practice streaks', () => {
    const { state } = replayLearningEvents(
      [review(day(1), 'again'), review(day(2), 'again'), review(day(3), 'again')],
      initialLearningState(3),
    );
    expect(state.practice).toMatchObject({ againStreak: 0, goodStreak: 0, spacedGood: 0, reviews: 3 });
  });

  it('is pure: same input, same output, input untouched', () => {
    const state = initialLearningState(2);
    const before = structuredClone(state);
    const event = review(day(1), 'good', 2);
    const a = applyLearningEvent(state, event, NOW);
    const b = applyLearningEvent(state, event, NOW);
    expect(a).toEqual(b);
    expect(state).toEqual(before);
  });

  it('state survives JSON and the schema', () => {
    const { state } = replayLearningEvents([
      self(1, 2),
      review(day(2), 'good', 3.5),
      real(day(3), true),
      manager(4, 3),
    ]);
    const parsed: TLearningState = ZLearningState.parse(JSON.parse(JSON.stringify(state)));
    expect(parsed).toEqual(state);
    expect(parsed.lastManagerAssessment).toEqual({ at: day(4), stage: 3, managerId: 'm1' });
    expect(parsed.realUses).toEqual([{ at: day(3), success: true }]);
  });

  it('prunes real uses older than the longest window', () => {
    const { state } = replayLearningEvents(
      [real('2024-01-01T00:00:00Z', true), real(day(1), false)],
      initialLearningState(2),
    );
    expect(state.realUses).toEqual([{ at: day(1), success: false }]);
  });

  it('labels every rule in both languages', () => {
    for (const code of ZLearningRuleCode.options) {
      expect(LEARNING_RULE_LABELS[code].zh.length).toBeGreaterThan(0);
      expect(LEARNING_RULE_LABELS[code].en.length).toBeGreaterThan(0);
    }
  });
});

describe('drill cards (ts-fsrs)', () => {
  const T0 = new Date('2024-06-01T09:00:00Z');

  it('a new card is due now and is plain JSON', () => {
    const card = newCard(T0);
    expect(card).toMatchObject({ due: T0.toISOString(), state: 'new', reps: 0, lapses: 0, lastReview: null });
    expect(ZDrillCard.parse(JSON.parse(JSON.stringify(card)))).toEqual(card);
  });

  it('reviews schedule the next due date and return a JSON log, deterministically', () => {
    const first = reviewCard(newCard(T0), 'good', T0);
    expect(first.card.state).toBe('learning');
    expect(Date.parse(first.card.due)).toBeGreaterThan(T0.getTime());
    expect(first.card.lastReview).toBe(T0.toISOString());
    expect(first.log).toMatchObject({ rating: 'good', review: T0.toISOString() });
    expect(ZDrillReviewLog.parse(JSON.parse(JSON.stringify(first.log)))).toEqual(first.log);
    expect(reviewCard(newCard(T0), 'good', T0)).toEqual(first);

    const second = reviewCard(first.card, 'good', new Date(first.card.due));
    expect(second.card.state).toBe('review');
    expect(second.card.scheduledDays).toBeGreaterThanOrEqual(1);
    const third = reviewCard(second.card, 'good', new Date(second.card.due));
    expect(third.card.stability).toBeGreaterThan(second.card.stability);
    expect(Date.parse(third.card.due) - Date.parse(third.log.review)).toBeGreaterThan(
      Date.parse(second.card.due) - Date.parse(second.log.review),
    );
  });

  it('Again on a review card counts a lapse', () => {
    let card: TDrillCard = newCard(T0);
    let at = T0;
    for (const rating of ['good', 'good', 'good'] as const) {
      card = reviewCard(card, rating, at).card;
      at = new Date(card.due);
    }
    expect(card.state).toBe('review');
    const lapsed = reviewCard(card, 'again', at).card;
    expect(lapsed.lapses).toBe(1);
    expect(lapsed.state).toBe('relearning');
  });

  it('turns a review into the learning event the stage rules expect', () => {
    const result = reviewCard(newCard(T0), 'easy', T0);
    const event = learningEventForReview(result);
    expect(event).toEqual({
      kind: 'practice_review',
      at: T0.toISOString(),
      rating: 'easy',
      stability: result.card.stability,
    });
    expect(applyLearningEvent(initialLearningState(), event, T0).transition?.rule).toBe('practice-aware');
  });

  it('spaced Good reviews with real successes carry a rep from 2 to 4', () => {
    let card = newCard(T0);
    let at = T0;
    let state = initialLearningState(2);
    const rules = DEFAULT_LEARNING_RULES;
    for (let i = 0; i < 8; i++) {
      const result = reviewCard(card, 'good', at);
      state = applyLearningEvent(state, learningEventForReview(result), at, rules).state;
      card = result.card;
      at = new Date(card.due);
    }
    expect(state.stage).toBe(3);
    expect(state.practice.lastStability).toBeGreaterThanOrEqual(21);
    for (const [i, success] of [true, false, true].entries()) {
      const when = new Date(at.getTime() + i * 86_400_000);
      state = applyLearningEvent(state, real(when.toISOString(), success), when, rules).state;
    }
    expect(state.stage).toBe(4);
  });
});

describe('drill queue', () => {
  const NOW_Q = new Date('2024-06-10T09:00:00Z');
  const item = (objectionId: string, due: string): DrillItem => ({
    objectionId,
    card: { ...newCard(new Date('2024-06-01T00:00:00Z')), due },
  });

  it('weights by real meets (log2) and stage', () => {
    const ctx = { meetCounts: { a: 3, b: 15, c: 0 }, stages: { a: 2, b: 4, c: 3 } as const };
    expect(drillWeight('a', ctx)).toBe(5); // 1 + 2 + 2
    expect(drillWeight('b', ctx)).toBe(5); // 1 + 4 + 0
    expect(drillWeight('c', ctx)).toBe(1.5); // 1 + 0 + 0.5
    expect(drillWeight('unknown', ctx)).toBe(2); // 1 + 0 + 1
  });

  it('lists due cards, earliest first', () => {
    const items = [
      item('late', '2024-06-11T00:00:00Z'),
      item('b', '2024-06-09T00:00:00Z'),
      item('a', '2024-06-09T00:00:00Z'),
      item('first', '2024-06-01T00:00:00Z'),
    ];
    expect(dueCards(items, NOW_Q).map((i) => i.objectionId)).toEqual(['first', 'a', 'b']);
  });

  it('puts due cards first, then by weight, due date and id; respects the limit', () => {
    const items = [
      item('not-due-stage2', '2024-06-20T00:00:00Z'),
      item('due-stage4', '2024-06-01T00:00:00Z'),
      item('due-stage2', '2024-06-09T00:00:00Z'),
      item('due-often-met', '2024-06-08T00:00:00Z'),
      item('not-due-stage3', '2024-06-12T00:00:00Z'),
    ];
    const context = {
      meetCounts: { 'due-often-met': 7 },
      stages: {
        'not-due-stage2': 2,
        'due-stage4': 4,
        'due-stage2': 2,
        'due-often-met': 3,
        'not-due-stage3': 3,
      } as const,
    };
    const queue = pickDrillQueue(items, context, NOW_Q, 10);
    expect(queue.map((e) => [e.item.objectionId, e.due, e.weight])).toEqual([
      ['due-often-met', true, 4.5], // 1 + 3 + 0.5
      ['due-stage2', true, 3],
      ['due-stage4', true, 1],
      ['not-due-stage2', false, 3],
      ['not-due-stage3', false, 1.5],
    ]);
    expect(pickDrillQueue(items, context, NOW_Q, 2).map((e) => e.item.objectionId)).toEqual([
      'due-often-met',
      'due-stage2',
    ]);
    expect(pickDrillQueue(items, context, NOW_Q, 0)).toEqual([]);
    expect(pickDrillQueue([...items].reverse(), context, NOW_Q, 10)).toEqual(queue);
  });
});

describe('drill prompt', () => {
  const objection = DEFAULT_OBJECTIONS.find((o) => o.code === 'price-too-high');
  if (!objection) throw new Error('missing default');

  it('picks an "as the customer says it" variant in the language, the same for the same seed', () => {
    const zh = drillPrompt(objection, 'zh', 42);
    expect(objection.variants.zh).toContain(zh);
    expect(drillPrompt(objection, 'zh', 42)).toBe(zh);
    expect(objection.variants.en).toContain(drillPrompt(objection, 'en', 'session-7'));
    const seen = new Set(Array.from({ length: 30 }, (_, i) => drillPrompt(objection, 'zh', i)));
    expect(seen.size).toBe(objection.variants.zh.length);
  });

  it('falls back to the objection text, then to the other language', () => {
    const noVariants = { zh: '需要老板批准。', en: 'I need approval.', variants: { zh: [], en: [] } };
    expect(drillPrompt(noVariants, 'en', 1)).toBe('I need approval.');
    expect(drillPrompt({ ...noVariants, en: '' }, 'en', 1)).toBe('需要老板批准。');
  });
});
