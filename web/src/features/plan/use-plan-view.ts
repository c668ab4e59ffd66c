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
      setParams((current) => writePlanView(updatePlanView(parsePlanView(current), next), current), {
        replace: replace || calendarOnly,
      });
    },
    [setParams],
  );
  return { view, change };
}
