/**
 * The dashboard's query parameter that opens "Re-plan…" on its plan health per rep (the Market page links to it
 * after a save); a module of its own, so that a page linking to it does not load the dashboard's parts.
 */
export const REPLAN_PARAM = 'replan';

/** The dashboard with "Re-plan…" open. */
export const REPLAN_HREF = `/dashboard?${REPLAN_PARAM}=1`;
