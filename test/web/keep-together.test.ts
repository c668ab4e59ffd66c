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
});
