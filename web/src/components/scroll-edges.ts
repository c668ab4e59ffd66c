/**
 * Which edges of a sideways-scrolling box have more content beyond them: at the start once it is scrolled, at the
 * end until its last column is in view. A pixel of slack absorbs fractional scroll positions (zoom, high-DPI
 * screens); `scrollLeft` is taken by size, as right-to-left boxes count it negative.
 */
export function scrollEdges(
  scrollLeft: number,
  scrollWidth: number,
  clientWidth: number,
): { start: boolean; end: boolean } {
  const scrolled = Math.abs(scrollLeft);
  return { start: scrolled > 1, end: scrolled + clientWidth < scrollWidth - 1 };
}
