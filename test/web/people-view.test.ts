// The Team page as each role reads it: a rep was told "显示你本人及你所管理成员的…" though a rep manages no one, and
// an admin saw capacity, "尚未提交计划 · 待完成 0 次" and days off on manager and admin cards, where they mean nothing.
import { describe, expect, it } from 'vitest';
import type { TPersonOverview } from '../../src/schemas/people.ts';
import { peopleHintKey, showsPlanning, type Viewer } from '../../web/src/features/team/people-view.ts';
import en from '../../web/src/i18n/en.json';
import zh from '../../web/src/i18n/zh-CN.json';

type Work = NonNullable<TPersonOverview['work']>;
const NO_WORK: Work = {
  accountCount: 0,
  plannedAhead: 0,
  overdue: 0,
  daysOff: [],
  holidays: null,
  lastPlan: null,
};

function person(role: TPersonOverview['role'], work: Partial<Work> | null): TPersonOverview {
  return {
    id: `${role}-1`,
    email: `${role}@example.test`,
    name: role,
    role,
    teamId: null,
    locale: 'zh-CN',
    callsPerDay: null,
    visitsPerDay: null,
    hasPassword: true,
    disabledAt: null,
    createdAt: '2026-01-05T01:00:00.000Z',
    updatedAt: '2026-01-05T01:00:00.000Z',
    version: 1,
    teamName: null,
    territories: [],
    capacity: { callsPerDay: 40, visitsPerDay: 4, fromWorkspace: true },
    work: work && { ...NO_WORK, ...work },
  };
}

const viewer = (role: Viewer['role']): Viewer => ({ id: 'viewer', role, teamId: null });

describe('what a person card shows', () => {
  it("shows a rep's capacity, plan and days off, with or without a plan yet (and a team mate's capacity)", () => {
    expect(showsPlanning(person('rep', {}))).toBe(true);
    expect(showsPlanning(person('rep', { accountCount: 120, plannedAhead: 300 }))).toBe(true);
    expect(showsPlanning(person('rep', null))).toBe(true);
  });

  it('leaves them off a manager or an admin who holds nothing to plan', () => {
    expect(showsPlanning(person('manager', {}))).toBe(false);
    expect(showsPlanning(person('admin', {}))).toBe(false);
    expect(showsPlanning(person('admin', null))).toBe(false);
  });

  it('shows them for a manager who does hold accounts or planned touches', () => {
    expect(showsPlanning(person('manager', { accountCount: 3 }))).toBe(true);
    expect(showsPlanning(person('manager', { overdue: 2 }))).toBe(true);
  });
});

describe('the hint over the people, per role', () => {
  it('gives each role its own hint, in both languages', () => {
    const keys = (['rep', 'manager', 'admin'] as const).map((role) => peopleHintKey(viewer(role)));
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) {
      const name = key.split('.').pop() as keyof typeof zh.people.people;
      expect(zh.people.people[name]).toBeTruthy();
      expect(en.people.people[name]).toBeTruthy();
    }
  });

  it('does not tell a rep about people they manage', () => {
    const name = peopleHintKey(viewer('rep')).split('.').pop() as keyof typeof zh.people.people;
    expect(zh.people.people[name]).not.toMatch(/你所?管理/);
    expect(en.people.people[name]).not.toMatch(/you manage/i);
  });
});
