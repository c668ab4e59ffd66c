import { describe, expect, it } from 'vitest';
import { LEARNING_STAGES } from '../../src/schemas/objections.ts';
import { highlightTerms, sortResponses, splitForHighlight } from '../../web/src/features/playbook/text.ts';
import { shortSkillName } from '../../web/src/features/skills/TeamMatrix.tsx';
import en from '../../web/src/i18n/en.json';
import zh from '../../web/src/i18n/zh-CN.json';

describe('stage names in the catalogs', () => {
  it('are the names of LEARNING_STAGES (English, and the short Chinese term)', () => {
    for (const info of LEARNING_STAGES) {
      const key = String(info.stage) as '1' | '2' | '3' | '4';
      expect(en.skills.stages[key].name).toBe(info.en);
      expect(zh.skills.stages[key].name).toBe(info.zhShort);
    }
  });
});

describe('search highlighting', () => {
  it('marks a Chinese fragment where it occurs as typed', () => {
    expect(splitForHighlight('我们没有预算。', '预算')).toEqual([
      { text: '我们没有', mark: false },
      { text: '预算', mark: true },
      { text: '。', mark: false },
    ]);
  });

  it('falls back to character pairs when a longer fragment does not occur as typed', () => {
    expect(highlightTerms('价格太高', '你们的价格太贵了')).toEqual(['价格', '格太', '太高']);
    expect(highlightTerms('价格太高', '价格太高了')).toEqual(['价格太高']);
  });

  it('marks English words case-insensitively and escapes the query', () => {
    const parts = splitForHighlight('We already have a Supplier (a good one).', 'supplier (a');
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(['Supplier', '(a']);
  });
});

describe('response order', () => {
  const stats = (count: number, successes: number, wilsonLower: number) => ({
    count,
    successes,
    successRate: count ? successes / count : null,
    wilsonLower,
  });
  const base = {
    objectionId: 'o',
    zh: '',
    en: '',
    text: '',
    createdBy: null,
    createdAt: '',
    updatedAt: '',
    version: 1,
  };
  const responses = [
    { ...base, id: 'a', code: 'a', preferred: false, stats: stats(2, 2, 0.34) },
    { ...base, id: 'b', code: 'b', preferred: true, stats: stats(60, 30, 0.38) },
    { ...base, id: 'c', code: 'c', preferred: false, stats: stats(0, 0, 0) },
  ];

  it('puts the preferred response first, or the best working one by the Wilson lower bound', () => {
    expect(sortResponses(responses, 'preferred').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortResponses(responses, 'effectiveness').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    const swapped = responses.map((r) => (r.id === 'a' ? { ...r, stats: stats(40, 30, 0.6) } : r));
    expect(sortResponses(swapped, 'effectiveness').map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('matrix headers', () => {
  it('shorten the default skill names to the objection', () => {
    expect(shortSkillName('应对「没有预算」')).toBe('没有预算');
    expect(shortSkillName('Answering "No budget"')).toBe('No budget');
    expect(shortSkillName('Cold-call opening')).toBe('Cold-call opening');
  });
});
