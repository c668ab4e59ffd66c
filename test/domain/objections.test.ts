import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OBJECTION_CODES,
  DEFAULT_OBJECTIONS,
  DEFAULT_SKILLS,
  skillForObjection,
} from '../../src/domain/objections/default-playbook.ts';
import {
  isTouchSuccess,
  type ObjectionTouch,
  responseStatsFrom,
  sortResponsesByEffectiveness,
  summarizeObjectionEffectiveness,
  wilsonLowerBound,
} from '../../src/domain/objections/effectiveness.ts';
import { isoWeekKey, localDateKey, monthKey } from '../../src/domain/objections/periods.ts';
import {
  gramsForQuery,
  matchesQuery,
  objectionSearchText,
  rankMatches,
  responseSearchText,
  searchTerms,
  toSearchGrams,
} from '../../src/domain/objections/search-text.ts';
import { LEARNING_STAGES, ZObjection, ZSkill } from '../../src/schemas/objections.ts';

const HAN = /\p{Script=Han}/u;

describe('default playbook', () => {
  it('ships the seven objections of method §5 with their stable codes, in order', () => {
    expect(DEFAULT_OBJECTIONS.map((o) => o.code)).toEqual([
      'send-material',
      'in-house',
      'have-supplier',
      'not-responsible',
      'no-budget',
      'price-too-high',
      'bad-experience',
    ]);
    expect([...DEFAULT_OBJECTION_CODES]).toEqual(DEFAULT_OBJECTIONS.map((o) => o.code));
  });

  it.each(DEFAULT_OBJECTIONS.map((o) => [o.code, o] as const))('%s is complete and bilingual', (_code, o) => {
    expect(() => ZObjection.parse(o)).not.toThrow();
    expect(o.zh).toMatch(HAN);
    expect(o.en).toMatch(/^[\x20-\x7e]+$/);
    expect(o.variants.zh.length).toBeGreaterThanOrEqual(2);
    expect(o.variants.en.length).toBeGreaterThanOrEqual(2);
    expect(o.variants.zh.length).toBeLessThanOrEqual(3);
    expect(o.variants.en.length).toBeLessThanOrEqual(3);
    for (const v of o.variants.zh) expect(v).toMatch(HAN);
    expect(o.responses.length).toBeGreaterThanOrEqual(2);
    for (const r of o.responses) {
      expect(r.zh).toMatch(HAN);
      expect(r.en.length).toBeGreaterThan(20);
      expect(r.en).not.toMatch(HAN);
    }
    expect(o.responses.filter((r) => r.preferred)).toHaveLength(1);
    expect(new Set(o.responses.map((r) => r.code)).size).toBe(o.responses.length);
  });

  it('keeps the seed wording of the objections', () => {
    const zh = Object.fromEntries(DEFAULT_OBJECTIONS.map((o) => [o.code, o.zh]));
    expect(zh['send-material']).toContain('请寄书面资料给我');
    expect(zh['have-supplier']).toContain('供应商');
    expect(zh['not-responsible']).toContain('我不是这项工作的负责人');
    expect(zh['no-budget']).toContain('预算');
    expect(zh['price-too-high']).toContain('你们的价格太高了');
  });

  it('answers "send me material" with an offer to bring it to a short meeting and a question', () => {
    const preferred = DEFAULT_OBJECTIONS[0]?.responses.find((r) => r.preferred);
    expect(preferred?.zh).toContain('带过来');
    expect(preferred?.en).toMatch(/bring it over/);
    const ask = DEFAULT_OBJECTIONS[0]?.responses.find((r) => r.code === 'ask-what-matters');
    expect(ask?.zh).toContain('最关心');
    expect(ask?.en).toContain('what matters most');
  });

  it('has one default skill per objection, coded objection:<code>', () => {
    expect(DEFAULT_SKILLS.map((s) => s.code)).toEqual(DEFAULT_OBJECTIONS.map((o) => `objection:${o.code}`));
    for (const s of DEFAULT_SKILLS) {
      expect(() => ZSkill.parse(s)).not.toThrow();
      expect(s.zh).toMatch(HAN);
      expect(s.en.length).toBeGreaterThan(0);
    }
  });

  it('names the skill of a team-added objection from its text', () => {
    expect(
      skillForObjection({ code: 'need-approval', zh: '需要老板批准。', en: 'I need approval.' }),
    ).toEqual({
      code: 'objection:need-approval',
      objectionCode: 'need-approval',
      zh: '应对「需要老板批准」',
      en: 'Answering "I need approval"',
    });
  });

  it('rejects objections without exactly one preferred response or with a bad code', () => {
    const base = DEFAULT_OBJECTIONS[0];
    if (!base) throw new Error('no default');
    const twoPreferred = { ...base, responses: base.responses.map((r) => ({ ...r, preferred: true })) };
    expect(ZObjection.safeParse(twoPreferred).success).toBe(false);
    const nonePreferred = { ...base, responses: base.responses.map((r) => ({ ...r, preferred: false })) };
    expect(ZObjection.safeParse(nonePreferred).success).toBe(false);
    expect(ZObjection.safeParse({ ...base, code: 'Send Material' }).success).toBe(false);
    expect(ZObjection.safeParse({ ...base, zh: '', en: '' }).success).toBe(false);
    expect(ZObjection.safeParse({ ...base, zh: '' }).success).toBe(true);
    expect(ZObjection.safeParse({ ...base, responses: [] }).success).toBe(true);
  });

  it('names the four learning stages with the seed wording', () => {
    expect(LEARNING_STAGES.map((s) => [s.stage, s.zh, s.zhShort])).toEqual([
      [1, '意识不到自己的无能', '无意识的无能'],
      [2, '意识到自己的无能', '有意识的无能'],
      [3, '意识到自己的能力', '有意识的有能'],
      [4, '对自己能力的不加意识', '无意识的有能'],
    ]);
  });
});

/** What storage does with the grams, in memory: equality lookups, intersect, verify, rank. */
function makeIndex(entries: readonly { id: string; text: string }[]) {
  const byGram = new Map<string, Set<string>>();
  for (const e of entries) {
    for (const g of toSearchGrams(e.text)) {
      const ids = byGram.get(g) ?? new Set<string>();
      ids.add(e.id);
      byGram.set(g, ids);
    }
  }
  return (query: string): string[] => {
    const grams = gramsForQuery(query);
    if (grams.length === 0) return [];
    const candidates = entries.filter((e) => grams.every((g) => byGram.get(g)?.has(e.id)));
    return rankMatches(query, candidates)
      .filter((m) => m.allTerms)
      .map((m) => m.item.id);
  };
}

const searchObjections = makeIndex(
  DEFAULT_OBJECTIONS.map((o) => ({ id: o.code, text: objectionSearchText(o) })),
);
const searchResponses = makeIndex(
  DEFAULT_OBJECTIONS.flatMap((o) =>
    o.responses.map((r) => ({ id: `${o.code}/${r.code}`, text: responseSearchText(r) })),
  ),
);

describe('search grams', () => {
  it.each([
    ['预算', 'no-budget'],
    ['价格太高', 'price-too-high'],
    ['供应商', 'have-supplier'],
    ['负责人', 'not-responsible'],
    ['书面资料', 'send-material'],
    ['贵', 'price-too-high'],
    ['supplier', 'have-supplier'],
    ['Suppliers', 'have-supplier'],
    ['price too high', 'price-too-high'],
    ['ＢＵＤＧＥＴ', 'no-budget'],
    ['in-house', 'in-house'],
    ['brochure', 'send-material'],
  ])('%s finds %s first', (query, code) => {
    expect(searchObjections(query)[0]).toBe(code);
  });

  it('finds exactly the objections holding every term', () => {
    expect(searchObjections('预算')).toEqual(['no-budget']);
    expect(searchObjections('供应商')).toEqual(['have-supplier']);
    expect(searchObjections('价格 budget')).toEqual([]);
    expect(searchObjections('   。，!  ')).toEqual([]);
  });

  it('finds prepared responses by a Chinese fragment or English words', () => {
    expect(searchResponses('带过来')).toContain('send-material/bring-and-walk-through');
    expect(searchResponses('walk you through')).toContain('send-material/bring-and-walk-through');
    expect(searchResponses('总成本')).toEqual(['price-too-high/total-cost']);
  });

  it('normalises query terms: full-width to half-width, lowercase, CJK runs whole', () => {
    expect(searchTerms('ＡＢＣ　价格太高 Foo-bar')).toEqual(['abc', '价格太高', 'foo', 'bar']);
    expect(searchTerms('Don’t  ERP系统')).toEqual(['dont', 'erp', '系统']);
    expect(searchTerms('')).toEqual([]);
  });

  it('indexes CJK unigrams and bigrams and folded words', () => {
    expect(toSearchGrams('价格太高')).toEqual(['价', '格', '太', '高', '价格', '格太', '太高']);
    expect(toSearchGrams('Our Companies, our suppliers')).toEqual(['our', 'company', 'supplier']);
    expect(toSearchGrams('价格，太高')).toEqual(['价', '格', '价格', '太', '高', '太高']);
  });

  it('asks for bigrams of CJK runs, the unigram of a single CJK character, and words', () => {
    expect(gramsForQuery('价格太高')).toEqual(['价格', '格太', '太高']);
    expect(gramsForQuery('贵')).toEqual(['贵']);
    expect(gramsForQuery('预算 budget')).toEqual(['预算', 'budget']);
    expect(gramsForQuery('!?。')).toEqual([]);
  });

  it('verifies over-matches: all bigrams present but not adjacent', () => {
    const scattered = '价格不变，格太小，太高了';
    const grams = new Set(toSearchGrams(scattered));
    expect(gramsForQuery('价格太高').every((g) => grams.has(g))).toBe(true);
    expect(matchesQuery('价格太高', scattered)).toBe(false);
    expect(matchesQuery('价格太高', '你们的价格太高了')).toBe(true);
  });

  it('matches English on whole words, folding plurals the same way on both sides', () => {
    expect(matchesQuery('company', 'Two companies called')).toBe(true);
    expect(matchesQuery('companies', 'our company')).toBe(true);
    expect(matchesQuery('Suppliers', 'a supplier.')).toBe(true);
    expect(matchesQuery('price', 'a pricey offer')).toBe(false);
    expect(matchesQuery('price', 'superprice')).toBe(false);
    expect(matchesQuery('price', '价格price高')).toBe(true);
  });

  it('verification agrees with the stored grams for single words', () => {
    const vocab = ['price', 'prices', 'pricey', 'company', 'companies', 'buy', 'buys', 'boss', 'a', 'xprice'];
    const word = fc.constantFrom(...vocab);
    const sep = fc.constantFrom(' ', ', ', '-', '价', "'", '\n');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 8 }).map((parts) => parts.flat().join(''));
    fc.assert(
      fc.property(text, word, (t, q) => {
        const stored = new Set(toSearchGrams(t));
        return matchesQuery(q, t) === gramsForQuery(q).every((g) => stored.has(g));
      }),
    );
  });

  it('ranks exact phrases before term matches before partial overlap', () => {
    const ranked = rankMatches('price too high', [
      { id: 'partial', text: 'the price is fine' },
      { id: 'terms', text: 'too high, that price' },
      { id: 'exact-late', text: 'they said the price too high' },
      { id: 'exact', text: 'price too high' },
      { id: 'none', text: '价格' },
    ]);
    expect(ranked.map((m) => m.item.id)).toEqual(['exact', 'exact-late', 'terms', 'partial']);
    expect(ranked[3]?.overlap).toBeCloseTo(1 / 3);
  });

  it('toSearchGrams and gramsForQuery never throw, on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const grams = toSearchGrams(s);
        gramsForQuery(s);
        searchTerms(s);
        return grams.every((g) => g.length > 0 && Array.from(g).length <= 64);
      }),
    );
  });

  it('never misses: every substring of a CJK text is found by its grams', () => {
    const cjk = fc.string({
      unit: fc.constantFrom(...'价格太高预算供应商我们的了资料'),
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(cjk, fc.nat(), fc.nat(), (text, a, b) => {
        const from = a % text.length;
        const query = text.slice(from, from + 1 + (b % (text.length - from)));
        const grams = new Set(toSearchGrams(`Prefix ${text} suffix`));
        return gramsForQuery(query).every((g) => grams.has(g)) && matchesQuery(query, text);
      }),
    );
  });
});

describe('periods', () => {
  it('keys local dates, ISO weeks and months in a time zone', () => {
    expect(localDateKey('2024-03-31T17:00:00Z', 'Asia/Shanghai')).toBe('2024-04-01');
    expect(monthKey('2024-03-31T17:00:00Z', 'Asia/Shanghai')).toBe('2024-04');
    expect(monthKey('2024-03-31T17:00:00Z', 'UTC')).toBe('2024-03');
    expect(isoWeekKey('2021-01-03T12:00:00Z', 'UTC')).toBe('2020-W53');
    expect(isoWeekKey('2024-12-30T12:00:00Z', 'UTC')).toBe('2025-W01');
    expect(isoWeekKey('2024-06-12T12:00:00Z', 'UTC')).toBe('2024-W24');
  });
});

describe('effectiveness', () => {
  const touch = (over: Partial<ObjectionTouch>): ObjectionTouch => ({
    objectionId: 'price',
    responseId: 'r1',
    outcome: 'no_answer',
    nextStep: null,
    userId: 'u1',
    teamId: 't1',
    occurredAt: '2024-06-03T09:00:00Z',
    ...over,
  });

  // price: met 6 (r1: 3 uses, 2 ok; r2: 2 uses, 0 ok; none: 1, ok); budget: met 1, ok.
  const touches: ObjectionTouch[] = [
    touch({ outcome: 'meeting_booked' }),
    touch({ nextStep: 'send quote Friday' }),
    touch({ userId: 'u2', occurredAt: '2024-06-11T09:00:00Z' }),
    touch({ responseId: 'r2', occurredAt: '2024-06-11T09:00:00Z' }),
    touch({
      responseId: 'r2',
      userId: 'u2',
      teamId: 't2',
      nextStep: '   ',
      occurredAt: '2024-07-01T09:00:00Z',
    }),
    touch({ responseId: null, outcome: 'meeting_booked', occurredAt: '2024-07-02T09:00:00Z' }),
    touch({ objectionId: 'budget', responseId: 'b1', outcome: 'meeting_booked', teamId: null }),
  ];

  it('counts success as a booked meeting or a non-empty next step', () => {
    expect(isTouchSuccess({ outcome: 'meeting_booked' })).toBe(true);
    expect(isTouchSuccess({ outcome: 'reached', nextStep: 'call back Monday' })).toBe(true);
    expect(isTouchSuccess({ outcome: 'reached', nextStep: '  ' })).toBe(false);
    expect(isTouchSuccess({ outcome: null })).toBe(false);
  });

  it('summarises per objection and response over everything', () => {
    const rows = summarizeObjectionEffectiveness(touches);
    expect(rows.map((r) => [r.objectionId, r.count, r.successes])).toEqual([
      ['price', 6, 3],
      ['budget', 1, 1],
    ]);
    const price = rows[0];
    expect(price?.successRate).toBe(0.5);
    expect(price?.responses.map((r) => [r.responseId, r.count, r.successes, r.successRate])).toEqual([
      ['r1', 3, 2, 2 / 3],
      ['r2', 2, 0, 0],
    ]);
    expect(price?.noResponse).toMatchObject({ count: 1, successes: 1, successRate: 1 });
    expect(price?.wilsonLower).toBeCloseTo(wilsonLowerBound(3, 6), 10);
  });

  it('groups by rep and by month', () => {
    const rows = summarizeObjectionEffectiveness(touches, { groupBy: 'user', period: 'month' });
    expect(rows.map((r) => [r.period, r.groupId, r.objectionId, r.count, r.successes])).toEqual([
      ['2024-06', 'u1', 'price', 3, 2],
      ['2024-06', 'u1', 'budget', 1, 1],
      ['2024-06', 'u2', 'price', 1, 0],
      ['2024-07', 'u1', 'price', 1, 1],
      ['2024-07', 'u2', 'price', 1, 0],
    ]);
  });

  it('groups by team and ISO week, within a date range', () => {
    const rows = summarizeObjectionEffectiveness(touches, {
      groupBy: 'team',
      period: 'week',
      from: '2024-06-01T00:00:00Z',
      to: '2024-07-01T00:00:00Z',
    });
    expect(rows.map((r) => [r.period, r.groupId, r.objectionId, r.count, r.successes])).toEqual([
      ['2024-W23', null, 'budget', 1, 1],
      ['2024-W23', 't1', 'price', 2, 2],
      ['2024-W24', 't1', 'price', 2, 0],
    ]);
  });

  it('computes the Wilson lower bound', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(5, 10)).toBeCloseTo(0.2366, 4);
    expect(wilsonLowerBound(30, 60)).toBeCloseTo(0.3773, 4);
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 4);
  });

  it('sorts responses by Wilson lower bound; with no data, preferred first then as written', () => {
    const responses = [
      { id: 'a', preferred: false },
      { id: 'b', preferred: true },
      { id: 'c', preferred: false },
    ];
    expect(sortResponsesByEffectiveness(responses, {}).map((r) => r.response.id)).toEqual(['b', 'a', 'c']);
    // a: 1 of 1 (0.21) loses to c: 6 of 10 (0.31); b unused.
    const ranked = sortResponsesByEffectiveness(
      responses,
      new Map([
        ['a', { uses: 1, successes: 1 }],
        ['c', { uses: 10, successes: 6 }],
      ]),
    );
    expect(ranked.map((r) => r.response.id)).toEqual(['c', 'a', 'b']);
    expect(ranked[0]).toMatchObject({ uses: 10, successes: 6, successRate: 0.6 });
    expect(ranked[2]).toMatchObject({ uses: 0, successRate: null, score: 0 });
  });

  it('feeds summary rows into the sort', () => {
    const rows = summarizeObjectionEffectiveness(touches, { groupBy: 'user' }).filter(
      (r) => r.objectionId === 'price',
    );
    const stats = responseStatsFrom(rows);
    expect(stats.get('r1')).toEqual({ uses: 3, successes: 2 });
    expect(stats.get('r2')).toEqual({ uses: 2, successes: 0 });
    expect(
      sortResponsesByEffectiveness(
        [
          { id: 'r2', preferred: true },
          { id: 'r1', preferred: false },
        ],
        stats,
      ).map((r) => r.response.id),
    ).toEqual(['r1', 'r2']);
  });
});
