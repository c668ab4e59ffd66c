import { isValidElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { keepValuesTogether } from '../../web/src/components/keep-together.tsx';

type Span = ReactElement<{ className: string; children: string }>;

/** The parts as text, each kept-together value in brackets with its class. */
function describeParts(parts: unknown): string {
  return (parts as unknown[])
    .map((part) => {
      if (typeof part === 'string') return part;
      if (!isValidElement(part)) throw new Error(`unexpected part ${String(part)}`);
      const span = part as Span;
      return `[${span.props.className}:${span.props.children}]`;
    })
    .join('');
}

describe('keepValuesTogether', () => {
  it("draws each value in a no-wrap span, in the sentence's own order", () => {
    const zh = (v: Record<'from' | 'to', string>) => `从 ${v.from} 起，为期 12 个月（至 ${v.to}）`;
    const parts = keepValuesTogether(zh, { from: '2026年10月31日', to: '2027年10月30日' });
    expect(describeParts(parts)).toBe(
      '从 [nowrap:2026年10月31日] 起，为期 12 个月（至 [nowrap:2027年10月30日]）',
    );
  });

  it('follows a language that puts the values the other way round', () => {
    const reversed = (v: Record<'from' | 'to', string>) => `${v.to} ← ${v.from}`;
    expect(describeParts(keepValuesTogether(reversed, { from: 'A', to: 'B' }))).toBe(
      '[nowrap:B] ← [nowrap:A]',
    );
  });

  it('keeps a Chinese count with its measure word and the word naming it, when asked: 容量 260 次', () => {
    const zh = (v: Record<'required' | 'capacity', string>) =>
      `每个工作日需 ${v.required} 次 · 容量 ${v.capacity} 次`;
    // Not 容量 260 / 次, nor 容量 / 260 次; a longer clause (每个工作日需) may still wrap before its count.
    expect(describeParts(keepValuesTogether(zh, { required: '0.8', capacity: '260' }, { units: true }))).toBe(
      '每个工作日需 [nowrap:0.8 次] · [nowrap:容量 260 次]',
    );
    const total = (v: Record<'required' | 'capacity', string>) =>
      `合计 ${v.required} 次 · 容量 ${v.capacity} 次`;
    expect(
      describeParts(keepValuesTogether(total, { required: '1,134', capacity: '10,400' }, { units: true })),
    ).toBe('[nowrap:合计 1,134 次] · [nowrap:容量 10,400 次]');
    const months = (v: Record<'n', string>) => `计划期为 ${v.n} 个月（含节假日）`;
    expect(describeParts(keepValuesTogether(months, { n: '12' }, { units: true }))).toBe(
      '[nowrap:计划期为 12 个月]（含节假日）',
    );
    // Words that go on are not a measure word; English has neither; without the option nothing moves.
    const accounts = (v: Record<'n', string>) => `其中有 ${v.n} 家客户`;
    expect(describeParts(keepValuesTogether(accounts, { n: '3' }, { units: true }))).toBe(
      '[nowrap:其中有 3] 家客户',
    );
    const en = (v: Record<'required' | 'capacity', string>) =>
      `${v.required} per working day needed · capacity ${v.capacity}`;
    expect(describeParts(keepValuesTogether(en, { required: '0.8', capacity: '260' }, { units: true }))).toBe(
      '[nowrap:0.8] per working day needed · capacity [nowrap:260]',
    );
    expect(describeParts(keepValuesTogether(zh, { required: '0.8', capacity: '260' }))).toBe(
      '每个工作日需 [nowrap:0.8] 次 · 容量 [nowrap:260] 次',
    );
  });
});
