import { z } from 'zod';
import { ZErrorBody } from '../../schemas/common.ts';
import { ZLang } from '../../schemas/objections.ts';
import {
  ZDrillAnswer,
  ZDrillQueue,
  ZDrillQueueQuery,
  ZDrillReviewInput,
  ZDrillReviewResult,
  ZDueCount,
  ZManagerAssessment,
  ZRepQuery,
  ZRepSkills,
  ZSelfAssessment,
  ZSkillCreate,
  ZSkillItem,
  ZStageChange,
  ZStageHistoryEntry,
  ZStageHistoryQuery,
  ZTeamSkills,
  ZTeamSkillsQuery,
} from '../../schemas/practice-api.ts';
import { getDrillAnswer, getDrillQueue, getDueCount, reviewDrill } from '../../services/practice.ts';
import {
  assessSkill,
  createSkill,
  getRepSkills,
  getTeamSkills,
  listSkills,
  selfAssess,
  stageHistory,
} from '../../services/skills.ts';
import type { AppInstance } from '../app.ts';

const ZSkillParams = z.object({
  skillId: z.string().min(1).max(80).describe('Skill id or code (objection:price-too-high)'),
});
const ZLangOnly = z.object({ lang: ZLang.optional() });
const ZUserOnly = z.object({ userId: z.string().min(1).max(254).optional() });

/** Skills and the four learning stages, practice drills and the manager's team view (method §6). */
export async function practiceRoutes(app: AppInstance) {
  app.get(
    '/api/skills',
    {
      schema: {
        tags: ['practice'],
        summary: 'Every skill: one per objection, plus those managers added',
        querystring: ZLangOnly,
        response: { 200: z.array(ZSkillItem), 401: ZErrorBody },
      },
    },
    async (request) => listSkills(request.ctx, request.query),
  );

  app.post(
    '/api/skills',
    {
      schema: {
        tags: ['practice'],
        summary: 'Add a skill (managers and admins)',
        body: ZSkillCreate,
        response: {
          201: ZSkillItem,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createSkill(request.ctx, request.body)),
  );

  app.get(
    '/api/skills/stages',
    {
      schema: {
        tags: ['practice'],
        summary:
          "A rep's stage (1–4) for every skill, with the evidence: yours, or a team member's for managers",
        querystring: ZRepQuery,
        response: { 200: ZRepSkills, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getRepSkills(request.ctx, request.query),
  );

  app.get(
    '/api/skills/history',
    {
      schema: {
        tags: ['practice'],
        summary: 'Every stage move of a rep, newest first, with the rule and who assessed',
        querystring: ZStageHistoryQuery,
        response: { 200: z.array(ZStageHistoryEntry), 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => stageHistory(request.ctx, request.query),
  );

  app.post(
    '/api/skills/:skillId/self-assessment',
    {
      schema: {
        tags: ['practice'],
        summary:
          'Assess your own stage for a skill (a first one moves 1→2; at most to 3; lower claims move down)',
        params: ZSkillParams,
        body: ZSelfAssessment,
        response: { 200: ZStageChange, 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => selfAssess(request.ctx, request.params.skillId, request.body),
  );

  app.post(
    '/api/skills/:skillId/assessment',
    {
      schema: {
        tags: ['practice'],
        summary: "A manager's assessment of a rep in their team: sets the stage (managers and admins)",
        params: ZSkillParams,
        body: ZManagerAssessment,
        response: { 200: ZStageChange, 400: ZErrorBody, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => assessSkill(request.ctx, request.params.skillId, request.body),
  );

  app.get(
    '/api/practice/queue',
    {
      schema: {
        tags: ['practice'],
        summary:
          'The next drills: due cards first, objections met often and stage-2 skills weighted up; each with the prompt in the customer’s words',
        querystring: ZDrillQueueQuery,
        response: { 200: ZDrillQueue, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getDrillQueue(request.ctx, request.query),
  );

  app.get(
    '/api/practice/due',
    {
      schema: {
        tags: ['practice'],
        summary: 'How many drills are due (for the Today page)',
        querystring: ZUserOnly,
        response: { 200: ZDueCount, 401: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getDueCount(request.ctx, request.query),
  );

  app.get(
    '/api/practice/answer/:objectionId',
    {
      schema: {
        tags: ['practice'],
        summary: 'Reveal the prepared response of a drill (the preferred one, then the alternatives)',
        params: z.object({ objectionId: z.string().min(1).max(64).describe('Objection id or code') }),
        querystring: ZLangOnly,
        response: { 200: ZDrillAnswer, 401: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => getDrillAnswer(request.ctx, request.params.objectionId, request.query),
  );

  app.post(
    '/api/practice/reviews',
    {
      schema: {
        tags: ['practice'],
        summary:
          'Rate your recall of a drill (again, hard, good, easy): schedules the card and may move the skill’s stage',
        body: ZDrillReviewInput,
        response: {
          200: ZDrillReviewResult,
          400: ZErrorBody,
          401: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
        },
      },
    },
    async (request) => reviewDrill(request.ctx, request.body),
  );

  app.get(
    '/api/practice/team',
    {
      schema: {
        tags: ['practice'],
        summary:
          'Manager view: reps × skills stage matrix, drill reviews per rep per week, objections the team met most',
        querystring: ZTeamSkillsQuery,
        response: { 200: ZTeamSkills, 401: ZErrorBody, 403: ZErrorBody },
      },
    },
    async (request) => getTeamSkills(request.ctx, request.query),
  );
}
