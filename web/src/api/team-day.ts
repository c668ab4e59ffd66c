import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TTeamDay, TTeamDayRep, TTeamDayStatus } from '../../../src/schemas/team-day.ts';
import { apiRequest } from './client.ts';

export type { TTeamDay, TTeamDayRep, TTeamDayStatus };

export function fetchTeamDay(date: string, signal?: AbortSignal): Promise<TTeamDay> {
  return apiRequest<TTeamDay>('/team/day', { query: { date }, signal });
}

export const teamDayKeys = {
  all: ['team-day'] as const,
  day: (date: string) => [...teamDayKeys.all, date] as const,
};

/** Each rep's day in the caller's scope; keeps the previous day on screen while the next one loads. */
export function useTeamDay(date: string) {
  return useQuery({
    queryKey: teamDayKeys.day(date),
    queryFn: ({ signal }) => fetchTeamDay(date, signal),
    placeholderData: keepPreviousData,
  });
}
