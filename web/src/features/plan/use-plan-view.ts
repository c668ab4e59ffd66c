import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { type PlanView, parsePlanView, updatePlanView, writePlanView } from './plan-view.ts';

/**
 * The Plan page's state in the URL; calendar paging (or `replace`) replaces the history entry, plan changes add
 * one.
 */
export function usePlanView() {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parsePlanView(params), [params]);
  const change = useCallback(
    (next: Partial<PlanView>, replace = false) => {
      const calendarOnly = Object.keys(next).every((key) => key === 'mode' || key === 'at');
      // Built on the address as it is now, not on the params of the last render: a navigation renders as a
      // transition, so a change made a moment earlier (the calls box, left for the visits box) may not be drawn
      // yet, and building on what was drawn would drop it.
      const current = new URLSearchParams(window.location.search);
      setParams(writePlanView(updatePlanView(parsePlanView(current), next), current), {
        replace: replace || calendarOnly,
      });
    },
    [setParams],
  );
  return { view, change };
}
