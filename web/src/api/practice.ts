import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TDrillRating } from '../../../src/schemas/learning.ts';
import type { TLang, TLearningStage } from '../../../src/schemas/objections.ts';
import type {
  TDrillAnswer,
  TDrillItem,
  TDrillQueue,
  TDrillReviewResult,
  TRepSkills,
  TSkillCreate,
  TSkillItem,
  TSkillStage,
  TStageChange,
  TStageHistoryEntry,
  TTeamSkills,
} from '../../../src/schemas/practice-api.ts';
import { toLanguage } from '../i18n/languages.ts';
import { agendaKeys } from './agenda.ts';
import { apiRequest } from './client.ts';

export type {
  TDrillAnswer,
  TDrillItem,
  TDrillQueue,
  TDrillRating,
  TDrillReviewResult,
  TLearningStage,
  TRepSkills,
  TSkillStage,
  TStageChange,
  TStageHistoryEntry,
  TTeamSkills,
};

export const practiceKeys = {
  all: ['practice'] as const,
  queue: (lang: TLang) => [...practiceKeys.all, 'queue', lang] as const,
  answer: (objectionId: string) => [...practiceKeys.all, 'answer', objectionId] as const,
  team: () => [...practiceKeys.all, 'team'] as const,
  skills: ['skills'] as const,
  stages: (userId: string | null) => [...practiceKeys.skills, 'stages', userId ?? 'me'] as const,
  history: (userId: string | null) => [...practiceKeys.skills, 'history', userId ?? 'me'] as const,
};

/**
 * The next drills for the signed-in rep. Read once per session: the session keeps its own copy, so cards
 * rated on the way do not reshuffle the cards still to come.
 */
export function useDrillQueue(lang: TLang, limit = 10) {
  return useQuery({
    queryKey: practiceKeys.queue(lang),
    queryFn: ({ signal }) => apiRequest<TDrillQueue>('/practice/queue', { query: { lang, limit }, signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: 'always',
  });
}

/** The prepared response for a drill, both languages; fetched as the card appears so revealing is instant. */
export function useDrillAnswer(objectionId: string | null) {
  return useQuery({
    queryKey: practiceKeys.answer(objectionId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<TDrillAnswer>(`/practice/answer/${encodeURIComponent(objectionId ?? '')}`, { signal }),
    enabled: objectionId != null,
    staleTime: 10 * 60_000,
  });
}

export function useReviewDrill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      objectionId: string;
      rating: TDrillRating;
      prompt?: string;
      answer?: string;
      lang?: TLang;
    }) => apiRequest<TDrillReviewResult>('/practice/reviews', { method: 'POST', body }),
    onSuccess: (result) => {
      client.setQueryData(agendaKeys.practiceDue(), result.counts);
      void client.invalidateQueries({ queryKey: practiceKeys.skills });
    },
  });
}

/**
 * The page's language as the API names it. Skill names come in the language asked for; without one the server
 * answers in the user's saved language, which is not the page's until they choose one with the switch.
 */
function usePageLang(): TLang {
  const { i18n } = useTranslation();
  return toLanguage(i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en' : 'zh';
}

/** A rep's stage per skill, skill names in `lang`. */
export function repSkillsQuery(userId: string | null, lang: TLang) {
  return {
    queryKey: [...practiceKeys.stages(userId), lang] as const,
    queryFn: ({ signal }: { signal?: AbortSignal }) =>
      apiRequest<TRepSkills>('/skills/stages', { query: { userId, lang }, signal }),
  };
}

/** A rep's stage per skill: the signed-in user's, or (managers) a team member's. */
export function useRepSkills(userId: string | null = null) {
  return useQuery({ ...repSkillsQuery(userId, usePageLang()), placeholderData: keepPreviousData });
}

export function useStageHistory(userId: string | null = null, enabled = true) {
  return useQuery({
    queryKey: practiceKeys.history(userId),
    queryFn: ({ signal }) =>
      apiRequest<TStageHistoryEntry[]>('/skills/history', { query: { userId, limit: 50 }, signal }),
    enabled,
  });
}

export function useSelfAssess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ skillId, stage }: { skillId: string; stage: TLearningStage }) =>
      apiRequest<TStageChange>(`/skills/${encodeURIComponent(skillId)}/self-assessment`, {
        method: 'POST',
        body: { stage },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: practiceKeys.skills }),
  });
}

/** Reps × skills over the last 8 weeks, skill and objection names in `lang`. */
export function teamSkillsQuery(lang: TLang) {
  return {
    queryKey: [...practiceKeys.team(), lang] as const,
    queryFn: ({ signal }: { signal?: AbortSignal }) =>
      apiRequest<TTeamSkills>('/practice/team', { query: { weeks: 8, lang }, signal }),
  };
}

/** Manager view: reps × skills, practice per week, objections met most. */
export function useTeamSkills(enabled: boolean) {
  return useQuery({ ...teamSkillsQuery(usePageLang()), enabled, placeholderData: keepPreviousData });
}

export function useAssessSkill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      skillId,
      userId,
      stage,
      note,
    }: {
      skillId: string;
      userId: string;
      stage: TLearningStage;
      note: string;
    }) =>
      apiRequest<TStageChange>(`/skills/${encodeURIComponent(skillId)}/assessment`, {
        method: 'POST',
        body: { userId, stage, note },
      }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: practiceKeys.team() }),
        client.invalidateQueries({ queryKey: practiceKeys.skills }),
      ]),
  });
}

/** A manager adds a skill; the team matrix and every skill list show it. */
export function useCreateSkill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TSkillCreate) => apiRequest<TSkillItem>('/skills', { method: 'POST', body }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: practiceKeys.team() }),
        client.invalidateQueries({ queryKey: practiceKeys.skills }),
      ]),
  });
}
