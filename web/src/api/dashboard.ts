import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TDashboard, TDashboardQuery } from '../../../src/schemas/dashboard.ts';
import { apiRequest } from './client.ts';

export type { TDashboard };
export type DashboardParams = Partial<Pick<TDashboardQuery, 'repId' | 'weeks' | 'to'>>;

export function fetchDashboard(params: DashboardParams, signal?: AbortSignal): Promise<TDashboard> {
  return apiRequest<TDashboard>('/dashboard', { query: { ...params }, signal });
}

export const dashboardKeys = {
  all: ['dashboard'] as const,
  figures: (params: DashboardParams) => [...dashboardKeys.all, params] as const,
};

/** The dashboard's figures for a scope and period; keeps the previous figures on screen while the next load. */
export function useDashboard(params: DashboardParams) {
  return useQuery({
    queryKey: dashboardKeys.figures(params),
    queryFn: ({ signal }) => fetchDashboard(params, signal),
    placeholderData: keepPreviousData,
  });
}
