import './scroll-table.css';
import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { scrollEdges } from './scroll-edges.ts';

interface Props {
  /** The table's least width: narrower screens scroll it sideways. */
  minWidth: number;
  /** The id of the heading that names the table (the scrolling region is named after it). */
  labelledBy?: string;
  children: ReactNode;
}

/**
 * A table wider than a phone, scrolling sideways with a visible hint: a shadow on each edge that has more columns
 * beyond it (the last one cut at the screen's edge otherwise looks like the end of the table). The edges are set
 * as attributes on scroll and resize, without re-rendering the table; while it overflows, the region takes the
 * keyboard's focus so that arrow keys scroll it. Wide tables use this, not a page's own wrapper.
 */
export function ScrollTable({ minWidth, labelledBy, children }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const viewport = useRef<HTMLDivElement>(null);

  const update = useCallback(() => {
    const box = viewport.current;
    const outer = frame.current;
    if (!box || !outer) return;
    const edges = scrollEdges(box.scrollLeft, box.scrollWidth, box.clientWidth);
    outer.toggleAttribute('data-more-start', edges.start);
    outer.toggleAttribute('data-more-end', edges.end);
    const overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows) box.setAttribute('tabindex', '0');
    else box.removeAttribute('tabindex');
  }, []);

  useEffect(() => {
    update();
    const box = viewport.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, [update]);

  return (
    <div ref={frame} className="scroll-table" data-testid="scroll-table">
      <div
        ref={viewport}
        className="scroll-table-viewport"
        onScroll={update}
        {...(labelledBy ? { role: 'region', 'aria-labelledby': labelledBy } : {})}
      >
        <div style={{ minWidth }}>{children}</div>
      </div>
    </div>
  );
}
