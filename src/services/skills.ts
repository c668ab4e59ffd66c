import type { Selectable } from 'kysely';
import { shiftDate, startOfWeek } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { AppError, notFound } from '../domain/errors.ts';
import {
  applyLearningEvent,
  DEFAULT_LEARNING_RULES,
  initialLearningState,
  LEARNING_RULE_LABELS,
} from '../domain/learning/stage-rules.ts';
import { msg } from '../domain/messages.ts';
import { DEFAULT_OBJECTION_CODES, skillCodeForObjection } from '../domain/objections/default-playbook.ts';
import { isTouchSuccess } from '../domain/objections/effectiveness.ts';
import { isoWeekKey } from '../domain/objections/periods.ts';
import {
  type TLearningEvent,
  type TLearningState,
  type TLearningTransition,
  ZLearningRuleCode,
  ZLearningState,
} from '../schemas/learning.ts';
import type { TLang, TLearningStage } from '../schemas/objections.ts';
import {
  type TManagerAssessment,
  type TRepQuery,
  type TRepSkills,
  type TSelfAssessment,
  type TSkillCreate,
  type TSkillItem,
  type TSkillStage,
  type TStageChange,
  type TStageHistoryEntry,
  type TStageHistoryQuery,
  type TTeamSkills,
  type TTeamSkillsQuery,
  ZManagerAssessment,
  ZRepQuery,
  ZSelfAssessment,
  ZSkillCreate,
  ZStageHistoryQuery,
  ZTeamSkillsQuery,
} from '../schemas/practice-api.ts';
import { isUniqueViolation } from '../storage/db-errors.ts';
import { newId } from '../storage/ids.ts';
import { teamIdsOf, teamMemberIds } from '../storage/repositories/account-scope.ts';
import type { Executor } from '../storage/repositories/accounts.ts';
import { recordAudit } from '../storage/repositories/audit.ts';
import { findVisibleUserRow, isTeamMember } from '../storage/repositories/people.ts';
import type { SkillsTable, UserRow } from '../storage/tables.ts';
import { requireRole, requireSignedIn, viewerOf } from './access.ts';
import type { ServiceContext } from './context.ts';
import { findObjectionRow, resolveLang, startOfLocalDay, touchSuccessSql } from './playbook.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/*
 * Skills and the four learning stages (method §6, issue 5). Each rep has a stage 1–4 per skill, kept with its
 * evidence as JSON in skill_stages.state and moved only by `applyLearningEvent` (domain/learning/stage-rules.ts):
 * self-assessments, manager assessments, practice reviews (practice.ts) and real outcomes (logged touches,
 * `recordRealOutcome`). Every move is appended to skill_stage_history.
 *
 * Who may do what: a rep reads, self-assesses and practises their own skills only; a manager reads and assesses
 * the reps of the teams they manage or belong to (not themselves: that is a self-assessment); an admin reads and
 * assesses everyone. The local CLI (system actor) names the rep explicitly. A user the actor may not see at all
 * answers not_found (as everywhere: ids do not leak); one they see but may not act for answers forbidden.
 */

type SkillRow = Selectable<SkillsTable>;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Whose skills

export async function findUserByIdOrEmail(db: Executor, who: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', who), eb('email', '=', who.trim().toLowerCase())]))
    .executeTakeFirst();
}

/**
 * The rep a request is about. `read`: yourself, or (managers) a member of your teams, or (admins) anyone.
 * `act` (self-assess, practise): only yourself. The system actor must name the rep.
 */
export async function resolveSubject(
  ctx: ServiceContext,
  db: Executor,
  who: string | undefined,
  mode: 'read' | 'act',
): Promise<UserRow> {
  requireSignedIn(ctx);
  const actor = ctx.actor;
  if (actor.role === 'system') {
    if (!who) {
      throw new AppError('bad_request', msg('skills.whose'));
    }
    const user = await findUserByIdOrEmail(db, who);
    if (!user) throw notFound('User', who);
    return user;
  }
  const selfId = actor.userId ?? '';
  if (!who || who === selfId) {
    const self = await findUserByIdOrEmail(db, selfId);
    if (!self) throw new AppError('unauthenticated', msg('skills.user_gone'));
    return self;
  }
  const target = await findUserByIdOrEmail(db, who);
  if (!target) throw notFound('User', who);
  if (target.id === selfId) return target;
  // Someone you may not see at all does not exist for you (ids do not leak); someone you see, you may not act for.
  if (actor.role !== 'admin' && !(await canSeeUser(ctx, db, target.id))) throw notFound('User', who);
  if (mode === 'act') {
    throw new AppError('forbidden', msg('skills.own_practice_only'));
  }
  if (actor.role === 'admin') return target;
  if (actor.role === 'manager' && (await isTeamMember(db, selfId, target.id))) return target;
  throw new AppError('forbidden', msg('skills.own_only'));
}

/** Whether the (manager or rep) actor may see this user at all: the people rules of repositories/people.ts. */
async function canSeeUser(ctx: ServiceContext, db: Executor, userId: string): Promise<boolean> {
  const viewer = viewerOf(ctx);
  return (await findVisibleUserRow(db, userId, viewer)) !== undefined;
}

/** The language to show a user: the requested one, else their locale. */
export async function langFor(db: Executor, userId: string, requested?: TLang): Promise<TLang> {
  return resolveLang(db, { userId, role: 'rep' }, requested);
}

// ---------------------------------------------------------------------------------------------------------
// Skills

async function skillObjectionCodes(db: Executor, skills: SkillRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(skills.map((s) => s.objection_id).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('objections').select(['id', 'code']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

function toSkillItem(s: SkillRow, lang: TLang, objectionCodes: Map<string, string>): TSkillItem {
  return {
    id: s.id,
    code: s.code,
    zh: s.name_zh,
    en: s.name_en,
    name: (lang === 'zh' ? s.name_zh || s.name_en : s.name_en || s.name_zh) || s.code,
    objectionId: s.objection_id,
    objectionCode: s.objection_id ? (objectionCodes.get(s.objection_id) ?? null) : null,
    description: s.description,
    createdBy: s.created_by,
    createdAt: s.created_at,
  };
}

const DEFAULT_ORDER = new Map<string, number>(
  DEFAULT_OBJECTION_CODES.map((code, i) => [skillCodeForObjection(code), i]),
);

/** Every skill: the defaults in playbook order, then other objection skills, then custom skills, by code. */
async function loadSkills(db: Executor, lang: TLang): Promise<TSkillItem[]> {
  const rows = await db.selectFrom('skills').selectAll().execute();
  const codes = await skillObjectionCodes(db, rows);
  const rank = (s: SkillRow) =>
    DEFAULT_ORDER.get(s.code) ??
    (s.code.startsWith('objection:') ? DEFAULT_ORDER.size : DEFAULT_ORDER.size + 1);
  return rows
    .sort((a, b) => rank(a) - rank(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((s) => toSkillItem(s, lang, codes));
}

export async function listSkills(ctx: ServiceContext, input: { lang?: TLang } = {}): Promise<TSkillItem[]> {
  requireSignedIn(ctx);
  const db = ctx.db.kysely;
  return loadSkills(db, await resolveLang(db, ctx.actor, input.lang));
}

async function requireSkill(db: Executor, idOrCode: string): Promise<SkillRow> {
  const row = await db
    .selectFrom('skills')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
  if (!row) throw notFound('Skill', idOrCode);
  return row;
}

const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/**
 * The code of a skill named without a code and without English (only in Chinese): `skill-N`, the smallest N ≥ 1
 * no skill of the workspace has, in the form the web form offers (web/src/components/unique-code.ts). Read inside
 * the creating transaction; two managers taking the same number at once meet the unique index (code_taken).
 */
async function numberedSkillCode(trx: Executor): Promise<string> {
  const rows = await trx
    .selectFrom('skills')
    .select('code')
    .where('code', 'like', 'custom:skill-%')
    .execute();
  const taken = new Set(rows.map((r) => r.code));
  for (let n = 1; ; n++) if (!taken.has(`custom:skill-${n}`)) return `skill-${n}`;
}

/** Adds a skill beyond the one-per-objection defaults (managers and admins). */
export async function createSkill(ctx: ServiceContext, input: TSkillCreate): Promise<TSkillItem> {
  requireRole(ctx, ['admin', 'manager'], 'add skills');
  const data = ZSkillCreate.parse(input);
  const at = ctx.now().toISOString();
  const db = ctx.db.kysely;
  const lang = await resolveLang(db, ctx.actor);
  return db.transaction().execute(async (trx) => {
    const base = data.code
      ? data.code.replace(/^custom:/, '')
      : slug(data.en) || (await numberedSkillCode(trx));
    const code = `custom:${base}`;
    const codeTaken = () => new AppError('conflict', msg('skills.code_taken', { code }), { field: 'code' });
    if (await trx.selectFrom('skills').select('id').where('code', '=', code).executeTakeFirst()) {
      throw codeTaken();
    }
    let objectionId: string | null = null;
    if (data.objectionId) {
      const objection = await findObjectionRow(trx, data.objectionId);
      if (!objection) {
        throw new AppError('validation_failed', msg('skills.objection_unknown', { id: data.objectionId }), {
          field: 'objectionId',
        });
      }
      objectionId = objection.id;
    }
    const row: SkillRow = {
      id: newId(ctx.now().getTime()),
      code,
      name_zh: data.zh,
      name_en: data.en,
      objection_id: objectionId,
      created_by: ctx.actor.userId,
      created_at: at,
      description: data.description,
    };
    // Another manager may have added the same code since the check (PostgreSQL lets both check before either
    // commits); the unique index refuses the second, which answers as the check would.
    await trx
      .insertInto('skills')
      .values(row)
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error, 'skills', 'code') ? codeTaken() : error;
      });
    const skill = toSkillItem(row, lang, await skillObjectionCodes(trx, [row]));
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'skill',
      entityId: row.id,
      action: 'create',
      after: skill,
    });
    return skill;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Stages

function readState(row: { stage: number; state: string } | undefined): TLearningState {
  const stage = (row?.stage ?? 1) as TLearningStage;
  if (!row) return initialLearningState();
  try {
    const parsed = ZLearningState.safeParse(JSON.parse(row.state));
    if (parsed.success) return parsed.data.stage === stage ? parsed.data : { ...parsed.data, stage };
  } catch {
    // fall through: an unreadable state starts over at the stored stage
  }
  return initialLearningState(stage);
}

// History ids are time-ordered; moves recorded within the same millisecond (a pinned clock, a batch) keep the
// order they were made in, since the history is read newest first by (created_at, id).
let lastHistoryMs = 0;
function historyId(atMs: number): string {
  lastHistoryMs = Math.max(atMs, lastHistoryMs + 1);
  return newId(lastHistoryMs);
}

export interface StageEventResult {
  before: TLearningStage;
  stage: TLearningStage;
  transition: TLearningTransition | null;
}

/**
 * Applies one learning event to a rep's skill, in the caller's transaction: creates the row at stage 1 when
 * missing, locks it (so concurrent events apply one after the other on PostgreSQL too), saves the new state and
 * appends a transition to the history.
 */
export async function applyStageEvent(
  db: Executor,
  a: {
    userId: string;
    skillId: string;
    event: TLearningEvent;
    now: Date;
    assessedBy: string | null;
    note?: string | undefined;
  },
): Promise<StageEventResult> {
  const at = a.now.toISOString();
  await db
    .insertInto('skill_stages')
    .values({
      user_id: a.userId,
      skill_id: a.skillId,
      stage: 1,
      state: JSON.stringify(initialLearningState()),
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['user_id', 'skill_id']).doNothing())
    .execute();
  // A no-op update takes the row lock (PostgreSQL) or the write lock (SQLite) before the read.
  await db
    .updateTable('skill_stages')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('user_id', '=', a.userId)
    .where('skill_id', '=', a.skillId)
    .execute();
  const row = await db
    .selectFrom('skill_stages')
    .select(['stage', 'state'])
    .where('user_id', '=', a.userId)
    .where('skill_id', '=', a.skillId)
    .executeTakeFirstOrThrow();
  const state = readState(row);
  const result = applyLearningEvent(state, a.event, a.now, DEFAULT_LEARNING_RULES);
  await db
    .updateTable('skill_stages')
    .set({ stage: result.state.stage, state: JSON.stringify(result.state), updated_at: at })
    .where('user_id', '=', a.userId)
    .where('skill_id', '=', a.skillId)
    .execute();
  const transition = result.transition ?? null;
  if (transition) {
    await db
      .insertInto('skill_stage_history')
      .values({
        id: historyId(Date.parse(transition.at) || a.now.getTime()),
        user_id: a.userId,
        skill_id: a.skillId,
        from_stage: transition.from,
        to_stage: transition.to,
        rule: transition.rule,
        reason: a.note ? `${transition.reason} ${a.note}` : transition.reason,
        assessed_by: a.assessedBy,
        created_at: transition.at,
      })
      .execute();
  }
  return { before: state.stage, stage: result.state.stage, transition };
}

/**
 * A logged touch where `objectionId` was met counts as a real use of every skill about that objection for the
 * rep who logged it: call from `logTouch`, in its transaction. Success: a booked meeting or a next step.
 */
export async function recordRealOutcome(
  db: Executor,
  touch: {
    userId: string | null;
    objectionId: string | null;
    occurredAt: string;
    outcome: string | null;
    nextStep?: string | null;
  },
  now: Date,
): Promise<StageEventResult[]> {
  if (!touch.userId || !touch.objectionId) return [];
  const skills = await db
    .selectFrom('skills')
    .select('id')
    .where('objection_id', '=', touch.objectionId)
    .execute();
  const results: StageEventResult[] = [];
  for (const skill of skills) {
    results.push(
      await applyStageEvent(db, {
        userId: touch.userId,
        skillId: skill.id,
        event: { kind: 'real_outcome', at: touch.occurredAt, success: isTouchSuccess(touch) },
        now,
        assessedBy: null,
      }),
    );
  }
  return results;
}

function toSkillStage(
  skill: TSkillItem,
  row: { stage: number; state: string; updated_at: string } | undefined,
  now: Date,
): TSkillStage {
  const state = readState(row);
  const since = now.getTime() - DEFAULT_LEARNING_RULES.realWindowDays * DAY_MS;
  const uses = state.realUses.filter((u) => Date.parse(u.at) >= since);
  return {
    skill,
    stage: state.stage,
    stageSince: state.stageSince,
    updatedAt: row?.updated_at ?? null,
    lastSelfAssessment: state.lastSelfAssessment,
    lastManagerAssessment: state.lastManagerAssessment,
    practice: {
      reviews: state.practice.reviews,
      goodStreak: state.practice.goodStreak,
      againStreak: state.practice.againStreak,
      lastReviewAt: state.practice.lastReviewAt,
      lastStability: state.practice.lastStability,
    },
    realUses: { count: uses.length, successes: uses.filter((u) => u.success).length },
  };
}

const emptyCounts = () => ({ 1: 0, 2: 0, 3: 0, 4: 0 });

/** A rep's stage for every skill (stage 1 where nothing happened yet). */
export async function getRepSkills(ctx: ServiceContext, input: TRepQuery = {}): Promise<TRepSkills> {
  const query = ZRepQuery.parse(input);
  const db = ctx.db.kysely;
  const subject = await resolveSubject(ctx, db, query.userId, 'read');
  // In the language of whoever looks (the rep, or their manager); the CLI, which is nobody, shows the rep's, as
  // the drill queue does.
  const lang = await langFor(db, ctx.actor.userId ?? subject.id, query.lang);
  const skills = await loadSkills(db, lang);
  const rows = await db
    .selectFrom('skill_stages')
    .select(['skill_id', 'stage', 'state', 'updated_at'])
    .where('user_id', '=', subject.id)
    .execute();
  const bySkill = new Map(rows.map((r) => [r.skill_id, r]));
  const now = ctx.now();
  const stages = skills.map((s) => toSkillStage(s, bySkill.get(s.id), now));
  const counts = emptyCounts();
  for (const s of stages) counts[s.stage] += 1;
  return { userId: subject.id, name: subject.name, lang, counts, skills: stages };
}

/** The rep's own assessment of a skill; moves stages by the rules (1→2 on the first, at most to 3, down when lower). */
export async function selfAssess(
  ctx: ServiceContext,
  skillIdOrCode: string,
  input: TSelfAssessment,
): Promise<TStageChange> {
  const data = ZSelfAssessment.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const subject = await resolveSubject(ctx, trx, data.userId, 'act');
    const skill = await requireSkill(trx, skillIdOrCode);
    const result = await applyStageEvent(trx, {
      userId: subject.id,
      skillId: skill.id,
      event: { kind: 'self_assessment', at, stage: data.stage },
      now,
      assessedBy: subject.id,
    });
    await recordAudit(trx, {
      at,
      userId: ctx.actor.userId,
      entity: 'skill_stage',
      entityId: `${subject.id}:${skill.id}`,
      action: 'self_assessment',
      before: { stage: result.before },
      after: { claimed: data.stage, stage: result.stage },
    });
    return { userId: subject.id, skillId: skill.id, stage: result.stage, transition: result.transition };
  });
}

/** A manager's (or admin's) assessment of a rep in their team: sets the stage, up or down. */
export async function assessSkill(
  ctx: ServiceContext,
  skillIdOrCode: string,
  input: TManagerAssessment,
): Promise<TStageChange> {
  requireRole(ctx, ['admin', 'manager'], "assess a rep's skills (reps self-assess)");
  const data = ZManagerAssessment.parse(input);
  const now = ctx.now();
  const at = now.toISOString();
  const actor = ctx.actor;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const target = await findUserByIdOrEmail(trx, data.userId);
    if (!target) throw notFound('User', data.userId);
    if (actor.role === 'manager') {
      const self = actor.userId ?? '';
      if (target.id === self) {
        throw new AppError('forbidden', msg('skills.assess_self'));
      }
      if (!(await isTeamMember(trx, self, target.id))) throw notFound('User', data.userId);
    }
    const skill = await requireSkill(trx, skillIdOrCode);
    const result = await applyStageEvent(trx, {
      userId: target.id,
      skillId: skill.id,
      event: { kind: 'manager_assessment', at, stage: data.stage, managerId: actor.userId ?? 'system' },
      now,
      assessedBy: actor.userId,
      note: data.note,
    });
    await recordAudit(trx, {
      at,
      userId: actor.userId,
      entity: 'skill_stage',
      entityId: `${target.id}:${skill.id}`,
      action: 'manager_assessment',
      before: { stage: result.before },
      after: { stage: result.stage, note: data.note ?? null },
    });
    return { userId: target.id, skillId: skill.id, stage: result.stage, transition: result.transition };
  });
}

/** Every stage move of a rep (optionally one skill), newest first. */
export async function stageHistory(
  ctx: ServiceContext,
  input: TStageHistoryQuery = {},
): Promise<TStageHistoryEntry[]> {
  const query = ZStageHistoryQuery.parse(input);
  const db = ctx.db.kysely;
  const subject = await resolveSubject(ctx, db, query.userId, 'read');
  let q = db
    .selectFrom('skill_stage_history as h')
    .innerJoin('skills as s', 's.id', 'h.skill_id')
    .leftJoin('users as by', 'by.id', 'h.assessed_by')
    .select([
      'h.id',
      'h.user_id',
      'h.skill_id',
      's.code as skill_code',
      's.name_zh',
      's.name_en',
      'h.from_stage',
      'h.to_stage',
      'h.rule',
      'h.reason',
      'h.assessed_by',
      'by.name as assessed_by_name',
      'h.created_at',
    ])
    .where('h.user_id', '=', subject.id);
  if (query.skillId) q = q.where('h.skill_id', '=', (await requireSkill(db, query.skillId)).id);
  const rows = await q.orderBy('h.created_at', 'desc').orderBy('h.id', 'desc').limit(query.limit).execute();
  return rows.map((r) => {
    const rule = ZLearningRuleCode.safeParse(r.rule);
    return {
      id: r.id,
      userId: r.user_id,
      skillId: r.skill_id,
      skillCode: r.skill_code,
      skill: { zh: r.name_zh, en: r.name_en },
      from: clampStage(r.from_stage),
      to: clampStage(r.to_stage),
      rule: r.rule,
      ruleLabel: rule.success ? LEARNING_RULE_LABELS[rule.data] : null,
      reason: r.reason,
      assessedBy: r.assessed_by,
      assessedByName: r.assessed_by_name ?? null,
      at: r.created_at,
    };
  });
}

const clampStage = (n: number): TLearningStage => Math.min(4, Math.max(1, Math.round(n))) as TLearningStage;

// ---------------------------------------------------------------------------------------------------------
// Manager view

/**
 * The team at a glance: reps × skills stage matrix, drill reviews per rep per week, and the objections the
 * team met most (with the share followed by a meeting or next step) over the same weeks.
 */
export async function getTeamSkills(ctx: ServiceContext, input: TTeamSkillsQuery = {}): Promise<TTeamSkills> {
  requireRole(ctx, ['admin', 'manager'], "see the team's skills");
  const query = ZTeamSkillsQuery.parse(input);
  const db = ctx.db.kysely;
  const actor = ctx.actor;
  const lang = await resolveLang(db, actor, query.lang);
  const { timeZone } = await readWorkspaceSettings(db);
  const now = ctx.now();

  if (query.teamId && actor.role === 'manager') {
    const mine = await teamIdsOf(db, actor.userId ?? '')
      .where('t.id', '=', query.teamId)
      .executeTakeFirst();
    if (!mine) throw new AppError('forbidden', msg('skills.own_teams_only'));
  }
  let members = db
    .selectFrom('users')
    .select(['id', 'name', 'team_id'])
    .where('role', '=', 'rep')
    .where('disabled_at', 'is', null);
  if (actor.role === 'manager') members = members.where('id', 'in', teamMemberIds(db, actor.userId ?? ''));
  if (query.teamId) members = members.where('team_id', '=', query.teamId);
  const reps = await members.orderBy('name').orderBy('id').execute();
  const repIds = reps.map((r) => r.id);

  const today = todayIn(timeZone, now);
  const firstMonday = startOfWeek(shiftDate(today, -7 * (query.weeks - 1)), 1);
  const from = startOfLocalDay(firstMonday, timeZone);
  const weeks = Array.from({ length: query.weeks }, (_, i) =>
    isoWeekKey(startOfLocalDay(shiftDate(firstMonday, 7 * i + 3), timeZone), timeZone),
  );
  const weekIndex = new Map(weeks.map((w, i) => [w, i]));

  const skills = await loadSkills(db, lang);
  const stageRows = repIds.length
    ? await db
        .selectFrom('skill_stages')
        .select(['user_id', 'skill_id', 'stage', 'state', 'updated_at'])
        .where('user_id', 'in', repIds)
        .execute()
    : [];
  const stageOf = new Map(stageRows.map((r) => [`${r.user_id}:${r.skill_id}`, r]));
  const matrix = reps.map((rep) => {
    const counts = emptyCounts();
    const stages = skills.map((skill) => {
      const state = readState(stageOf.get(`${rep.id}:${skill.id}`));
      counts[state.stage] += 1;
      return { skillId: skill.id, stage: state.stage, stageSince: state.stageSince };
    });
    return { userId: rep.id, name: rep.name, teamId: rep.team_id, stages, counts };
  });

  const reviews = repIds.length
    ? await db
        .selectFrom('drill_reviews')
        .select(['user_id', 'reviewed_at'])
        .where('user_id', 'in', repIds)
        .where('reviewed_at', '>=', from)
        .execute()
    : [];
  const perRep = new Map(reps.map((r) => [r.id, weeks.map(() => 0)]));
  for (const r of reviews) {
    const i = weekIndex.get(isoWeekKey(r.reviewed_at, timeZone));
    const row = perRep.get(r.user_id);
    if (i !== undefined && row) row[i] = (row[i] ?? 0) + 1;
  }

  const met = repIds.length
    ? await db
        .selectFrom('activities')
        .select(['objection_id', (eb) => eb.fn.countAll<number>().as('n'), touchSuccessSql.as('ok')])
        .where('user_id', 'in', repIds)
        .where('objection_id', 'is not', null)
        .where('occurred_at', '>=', from)
        .groupBy('objection_id')
        .execute()
    : [];
  const objectionIds = met.map((m) => m.objection_id).filter((id): id is string => !!id);
  const objections = new Map(
    (objectionIds.length
      ? await db
          .selectFrom('objections')
          .select(['id', 'code', 'label_zh', 'label_en', 'zh', 'en'])
          .where('id', 'in', objectionIds)
          .execute()
      : []
    ).map((o) => [o.id, o]),
  );
  const objectionsMet = met
    .filter((m) => m.objection_id)
    .map((m) => {
      const o = objections.get(m.objection_id ?? '');
      const n = Number(m.n);
      const ok = Number(m.ok ?? 0);
      const title = o
        ? lang === 'zh'
          ? o.label_zh || o.zh || o.label_en || o.en
          : o.label_en || o.en || o.label_zh || o.zh
        : (m.objection_id ?? '');
      return {
        objectionId: m.objection_id ?? '',
        code: o?.code ?? null,
        title,
        met: n,
        successes: ok,
        successRate: n === 0 ? null : ok / n,
      };
    })
    .sort((a, b) => b.met - a.met || (a.objectionId < b.objectionId ? -1 : 1));

  return {
    teamId: query.teamId ?? null,
    lang,
    weeks,
    from,
    skills,
    members: matrix,
    practice: reps.map((r) => {
      const perWeek = perRep.get(r.id) ?? [];
      return { userId: r.id, name: r.name, perWeek, total: perWeek.reduce((a, b) => a + b, 0) };
    }),
    objectionsMet,
  };
}
