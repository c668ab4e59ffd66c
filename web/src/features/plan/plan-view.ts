import { type IsoDate, type IsoMonth, isIsoDate, isIsoMonth } from './calendar.ts';

export type CalendarMode = 'month' | 'week';

/** The Plan page's state, kept in the URL: a link shows the same workload, numbers and calendar page. */
export interface PlanView {
  /** A rep's own accounts; null plans every in-market account as one workload. */
  rep: string | null;
  /** null: today in the workspace time zone (the server decides). */
  from: IsoDate | null;
  /** null: the workspace's plan horizon. */
  months: number | null;
  /** null: the rep's or the workspace's capacity. */
  callsPerDay: number | null;
  visitsPerDay: number | null;
  mode: CalendarMode;
  /** The month (YYYY-MM) or the week's Monday (YYYY-MM-DD) on screen; null: where the plan starts. */
  at: string | null;
  /** Re-planning: the preview of a new plan instead of the committed one (always so when none is committed). */
  replan: boolean;
}

export const DEFAULT_PLAN_VIEW: PlanView = {
  rep: null,
  from: null,
  months: null,
  callsPerDay: null,
  visitsPerDay: null,
  mode: 'month',
  at: null,
  replan: false,
};

export const LIMITS = {
  months: { min: 1, max: 24 },
  callsPerDay: { min: 0, max: 1000 },
  visitsPerDay: { min: 0, max: 100 },
} as const;

const PARAMS = ['rep', 'from', 'months', 'calls', 'visits', 'view', 'at', 'replan'] as const;

function integer(raw: string | null, { min, max }: { min: number; max: number }): number | null {
  if (raw == null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : null;
}

export function parsePlanView(params: URLSearchParams): PlanView {
  const mode = params.get('view') === 'week' ? 'week' : 'month';
  const at = params.get('at');
  const from = params.get('from');
  return {
    rep: params.get('rep')?.trim() || null,
    from: isIsoDate(from) ? from : null,
    months: integer(params.get('months'), LIMITS.months),
    callsPerDay: integer(params.get('calls'), LIMITS.callsPerDay),
    visitsPerDay: integer(params.get('visits'), LIMITS.visitsPerDay),
    mode,
    at: (mode === 'week' ? isIsoDate(at) : isIsoMonth(at)) ? at : null,
    replan: params.get('replan') === '1',
  };
}

export function writePlanView(view: PlanView, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of PARAMS) params.delete(key);
  if (view.rep) params.set('rep', view.rep);
  if (view.from) params.set('from', view.from);
  if (view.months != null) params.set('months', String(view.months));
  if (view.callsPerDay != null) params.set('calls', String(view.callsPerDay));
  if (view.visitsPerDay != null) params.set('visits', String(view.visitsPerDay));
  if (view.mode !== 'month') params.set('view', view.mode);
  if (view.at) params.set('at', view.at);
  if (view.replan) params.set('replan', '1');
  return params;
}

/** The request for the capacity check; only what the user chose, so the server's defaults apply. */
export function toPlanRequest(view: PlanView) {
  return {
    ...(view.rep ? { repId: view.rep } : {}),
    ...(view.from ? { from: view.from } : {}),
    ...(view.months != null ? { months: view.months } : {}),
    ...(view.callsPerDay != null ? { callsPerDay: view.callsPerDay } : {}),
    ...(view.visitsPerDay != null ? { visitsPerDay: view.visitsPerDay } : {}),
  };
}

/** Changing what is planned keeps the calendar mode but starts the calendar again where the plan starts. */
export function updatePlanView(view: PlanView, change: Partial<PlanView>): PlanView {
  const next = { ...view, ...change };
  const planChanged = (['rep', 'from', 'months', 'replan'] as const).some((key) => key in change);
  if (planChanged && !('at' in change)) next.at = null;
  // Another rep: their committed plan first.
  if ('rep' in change && change.rep !== view.rep && !('replan' in change)) next.replan = false;
  return next;
}

export type { IsoMonth };
