import { describe, expect, it } from 'vitest';
import { scrollEdges } from '../../web/src/components/scroll-edges.ts';

// components/ScrollTable.tsx shades each edge of a wide table that has more columns beyond it.
describe('the edges of a sideways-scrolling table', () => {
  it('shows more at the end before it is scrolled, at both ends midway, at the start at the end', () => {
    // A 720 px table in a 358 px phone column.
    expect(scrollEdges(0, 720, 358)).toEqual({ start: false, end: true });
    expect(scrollEdges(180, 720, 358)).toEqual({ start: true, end: true });
    expect(scrollEdges(362, 720, 358)).toEqual({ start: true, end: false });
  });

  it('shows nothing for a table that fits, and ignores a fraction of a pixel left by zoom', () => {
    expect(scrollEdges(0, 600, 600)).toEqual({ start: false, end: false });
    expect(scrollEdges(361.5, 720, 358)).toEqual({ start: true, end: false });
    expect(scrollEdges(0.5, 720, 358)).toEqual({ start: false, end: true });
  });

  it('counts a right-to-left box scrolled with a negative offset', () => {
    expect(scrollEdges(-180, 720, 358)).toEqual({ start: true, end: true });
  });
});
