import { DEFAULT_CADENCE } from '../domain/cadence/cadence-rules.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import { normalizeCompanyName } from '../domain/dedupe/normalize-name.ts';
// Seeded, so screenshots, tests and docs show the same workspace every time.
import { mulberry32 as prng } from '../domain/random.ts';
import { makeUscc } from '../domain/registration/uscc.ts';
import { newId } from '../storage/ids.ts';
import type { Channel, NewAccountRow, Outcome, PipelineStage } from '../storage/tables.ts';
import { makeContext, type ServiceContext } from './context.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from './demo-credentials.ts';
import { getCurrentMarket, saveMarket } from './market.ts';
import { hashPassword } from './passwords.ts';
import { commitPlan } from './plan.ts';
import { ensureDefaultPlaybook } from './playbook.ts';
import { reviewDrill } from './practice.ts';
import { assessSkill, selfAssess } from './skills.ts';
import { logTouch } from './touches.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

export { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD };

/** What the demo workspace holds (as stored in the `demo.loaded` setting when it was loaded). */
interface DemoCounts {
  users: number;
  accounts: number;
  sources: number;
  activities: number;
}

export interface DemoSummary extends DemoCounts {
  /** True when the demo workspace was loaded before and this run changed nothing. */
  alreadyLoaded: boolean;
}

/** Picks one of `items` with the given random source. */
function picker(random: () => number) {
  return <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
}

/**
 * How a met objection went in the demo, from a generator of its own (the rest of the demo stays as it was): the
 * rep answers with the playbook's preferred response (listed first) three times in five, which leads to a meeting
 * or an agreed next step half the time against one in five for the others, so the playbook's figures show the
 * preferred responses working (method §5) instead of 0% everywhere.
 */
function objectionOutcomes(seed: number) {
  const random = prng(seed);
  return (
    responseIds: readonly string[],
  ): { responseId: string | null; success: 'meeting' | 'next_step' | null } => {
    if (responseIds.length === 0) return { responseId: null, success: null };
    const preferred = responseIds.length === 1 || random() < 0.6;
    const responseId = preferred
      ? (responseIds[0] as string)
      : (responseIds[1 + Math.floor(random() * (responseIds.length - 1))] as string);
    const succeeded = random() < (preferred ? 0.5 : 0.2);
    return { responseId, success: succeeded ? (random() < 0.6 ? 'meeting' : 'next_step') : null };
  };
}

interface Place {
  province: string;
  city: string;
  cityEn: string;
  districts: string[];
  areaCode: string;
  regionCode: string;
}

const PLACES: Place[] = [
  {
    province: '上海市',
    city: '上海市',
    cityEn: 'Shanghai',
    districts: ['浦东新区', '闵行区', '嘉定区', '松江区'],
    areaCode: '021',
    regionCode: '310115',
  },
  {
    province: '江苏省',
    city: '苏州市',
    cityEn: 'Suzhou',
    districts: ['工业园区', '吴中区', '昆山市', '相城区'],
    areaCode: '0512',
    regionCode: '320505',
  },
  {
    province: '江苏省',
    city: '南京市',
    cityEn: 'Nanjing',
    districts: ['江宁区', '鼓楼区', '浦口区'],
    areaCode: '025',
    regionCode: '320115',
  },
  {
    province: '江苏省',
    city: '无锡市',
    cityEn: 'Wuxi',
    districts: ['新吴区', '滨湖区', '江阴市'],
    areaCode: '0510',
    regionCode: '320214',
  },
  {
    province: '浙江省',
    city: '杭州市',
    cityEn: 'Hangzhou',
    districts: ['滨江区', '余杭区', '萧山区', '西湖区'],
    areaCode: '0571',
    regionCode: '330108',
  },
  {
    province: '浙江省',
    city: '宁波市',
    cityEn: 'Ningbo',
    districts: ['北仑区', '鄞州区', '慈溪市'],
    areaCode: '0574',
    regionCode: '330206',
  },
  {
    province: '广东省',
    city: '深圳市',
    cityEn: 'Shenzhen',
    districts: ['南山区', '宝安区', '龙岗区', '福田区'],
    areaCode: '0755',
    regionCode: '440305',
  },
  {
    province: '广东省',
    city: '广州市',
    cityEn: 'Guangzhou',
    districts: ['天河区', '黄埔区', '番禺区'],
    areaCode: '020',
    regionCode: '440106',
  },
  {
    province: '广东省',
    city: '东莞市',
    cityEn: 'Dongguan',
    districts: ['松山湖', '长安镇', '虎门镇'],
    areaCode: '0769',
    regionCode: '441900',
  },
  {
    province: '北京市',
    city: '北京市',
    cityEn: 'Beijing',
    districts: ['海淀区', '朝阳区', '大兴区'],
    areaCode: '010',
    regionCode: '110108',
  },
  {
    province: '四川省',
    city: '成都市',
    cityEn: 'Chengdu',
    districts: ['高新区', '武侯区', '双流区'],
    areaCode: '028',
    regionCode: '510107',
  },
];

const INDUSTRIES: { zh: string; en: string; words: string[]; enWords: string[] }[] = [
  {
    zh: '通用设备制造业',
    en: 'Machinery',
    words: ['精密机械', '自动化设备', '机电', '重工'],
    enWords: ['Precision Machinery', 'Automation', 'Heavy Industries'],
  },
  {
    zh: '计算机、通信和其他电子设备制造业',
    en: 'Electronics',
    words: ['电子科技', '微电子', '光电', '智能科技'],
    enWords: ['Electronics', 'Microsystems', 'Optoelectronics'],
  },
  {
    zh: '化学原料和化学制品制造业',
    en: 'Chemicals',
    words: ['化工', '新材料', '精细化学'],
    enWords: ['Chemicals', 'Advanced Materials'],
  },
  {
    zh: '医药制造业',
    en: 'Pharmaceuticals',
    words: ['生物医药', '医疗器械', '制药'],
    enWords: ['Biopharma', 'Medical Devices'],
  },
  {
    zh: '道路运输业',
    en: 'Logistics',
    words: ['物流', '供应链', '运输'],
    enWords: ['Logistics', 'Supply Chain'],
  },
  { zh: '食品制造业', en: 'Food', words: ['食品', '乳业', '饮料'], enWords: ['Foods', 'Beverages'] },
  {
    zh: '软件和信息技术服务业',
    en: 'Software',
    words: ['软件', '信息技术', '数据科技'],
    enWords: ['Software', 'Information Systems'],
  },
  {
    zh: '汽车制造业',
    en: 'Automotive',
    words: ['汽车零部件', '汽配', '动力系统'],
    enWords: ['Auto Parts', 'Powertrain'],
  },
];

const BRANDS = [
  '恒瑞',
  '华信',
  '博远',
  '金鼎',
  '天成',
  '中科',
  '瑞丰',
  '鼎盛',
  '东方',
  '卓越',
  '宏达',
  '新时代',
  '汇川',
  '明阳',
  '长江',
  '海纳',
  '联创',
  '晨光',
  '永兴',
  '国泰',
  '嘉禾',
  '盛世',
  '德力',
  '安达',
  '星辰',
  '光华',
  '正泰',
  '万通',
  '启明',
  '和信',
];
const EN_BRANDS = [
  'Bright Star',
  'Pacific',
  'Evergreen',
  'Golden Bridge',
  'Sino-Euro',
  'Harbor',
  'Summit',
  'Bluewater',
  'Orient',
  'Crestline',
];
const SUFFIXES = ['有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '涛', '明'];
const TITLES = ['采购经理', '总经理', '设备部主管', '运营总监', '技术负责人'];

/** True when the database has neither users nor accounts: the moment to offer the demo workspace. */
export async function workspaceIsEmpty(ctx: ServiceContext): Promise<boolean> {
  const db = ctx.db.kysely;
  const [users, accounts] = await Promise.all([
    db.selectFrom('users').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('accounts').select('id').limit(1).executeTakeFirst(),
  ]);
  return !users && !accounts;
}

/**
 * Loads the demo workspace (people, accounts, sources, playbook, history) in one transaction, then defines the
 * target market, commits each rep's plan from four weeks back and works it: most touches due before today are
 * logged through logTouch, about one in eight is left overdue. Running it again on a loaded workspace changes
 * nothing and says so (`alreadyLoaded`); a run stopped after the data (before the market or the plans) is
 * finished by the next one.
 */
export async function loadDemoWorkspace(ctx: ServiceContext): Promise<DemoSummary> {
  const { counts, existed } = await loadDemoData(ctx);
  let changed = !existed;
  if (!(await getCurrentMarket(ctx))) {
    changed = true;
    await saveMarket(ctx, {
      criteria: { minEmployees: 50 },
      // In the workspace's language, as a manager of this Chinese team would write it (user text is not translated).
      note: '演示：员工 50 人以上的企业',
    });
  }
  const planned = await ctx.db.kysely.selectFrom('plans').select('id').limit(1).executeTakeFirst();
  if (!planned) {
    changed = true;
    const reps = await ctx.db.kysely
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'rep')
      .where('email', 'like', '%@demo.tierline.local')
      .execute();
    // The plans start four weeks back and the reps have worked them since: most touches due before today are
    // logged (so the dashboard's planned against done, the goals and coverage have a story to tell) and a few were
    // missed, overdue now (method §7: a missed touch is never lost).
    // Days are the workspace's (Asia/Shanghai by default), as the agenda counts them: by UTC, a demo loaded in
    // Shanghai's evening would leave that whole day's touches open and overdue the next morning.
    const { timeZone } = await readWorkspaceSettings(ctx.db.kysely);
    const today = todayIn(timeZone, ctx.now());
    const from = nextDay(today, -DEMO_PLAN_DAYS_BACK);
    for (const rep of reps)
      await commitPlan(ctx, { repId: rep.id, from, acceptOverload: true }, { backdated: true });
    await workThePlans(
      ctx,
      reps.map((r) => r.id),
      from,
      today,
    );
    await practiseSkills(ctx);
  }
  return { ...counts, alreadyLoaded: !changed };
}

/**
 * Method §6, the four stages of learning: the second demo rep has been through some of them, in order of time —
 * drills twice a week for eight weeks (the team's "drills per week"), then self-assessments, and the manager's
 * assessments after riding along — so the dashboard's and the team's skill stages show a spread. The first demo rep
 * starts every skill at stage 1, to practise from the beginning.
 */
async function practiseSkills(ctx: ServiceContext): Promise<void> {
  const db = ctx.db.kysely;
  const rep = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO_SECOND_REP)
    .executeTakeFirst();
  const manager = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO_MANAGER)
    .executeTakeFirst();
  if (!rep || !manager) return;
  const skills = await db
    .selectFrom('skills')
    .innerJoin('objections', 'objections.id', 'skills.objection_id')
    .select(['skills.code as skill', 'objections.code as objection'])
    .orderBy('skills.code')
    .execute();
  const daysAgo = (days: number) => () => addDays(ctx.now(), -days);
  const asRep = (days: number) => makeContext(ctx.db, { userId: rep.id, role: 'rep' }, daysAgo(days));
  const asManager = (days: number) =>
    makeContext(ctx.db, { userId: manager.id, role: 'manager' }, daysAgo(days));
  const random = prng(20261128);
  const pick = picker(random);
  const drilled = skills.slice(0, 5);
  const [first, second, third, fourth, fifth] = skills.map((s) => s.skill);
  // What happened on which day (days ago), replayed oldest first: the stage rules read events in time order.
  const events = new Map<number, (() => Promise<unknown>)[]>();
  const on = (day: number, event: () => Promise<unknown>) =>
    events.set(day, [...(events.get(day) ?? []), event]);
  for (let day = 55; day >= 3; day--) {
    if (day % 7 !== 2 && day % 7 !== 5) continue; // two days a week
    for (let n = 2 + Math.floor(random() * 2); n > 0; n--) {
      const card = pick(drilled);
      const rating = pick(['good', 'good', 'easy', 'hard', 'again'] as const);
      on(day, () => reviewDrill(asRep(day), { objectionId: card.objection, rating }));
    }
  }
  if (first) on(12, () => selfAssess(asRep(12), first, { stage: 3 }));
  if (second) on(11, () => selfAssess(asRep(11), second, { stage: 2 }));
  for (const code of [third, fourth]) if (code) on(10, () => selfAssess(asRep(10), code, { stage: 2 }));
  if (second) {
    on(5, () =>
      assessSkill(asManager(5), second, { userId: rep.id, stage: 3, note: '准备充分 / Well prepared' }),
    );
  }
  if (fifth) on(3, () => selfAssess(asRep(3), fifth, { stage: 3 }));
  if (first) {
    on(2, () =>
      assessSkill(asManager(2), first, {
        userId: rep.id,
        stage: 4,
        note: '陪访时应对自然，不用想就能答 / Answered without thinking on a ride-along',
      }),
    );
  }
  for (const day of [...events.keys()].sort((a, b) => b - a)) {
    for (const event of events.get(day) ?? []) await event();
  }
}

const DEMO_PLAN_DAYS_BACK = 28;
const DEMO_MANAGER = `manager@${DEMO_EMAIL_DOMAIN}`;
const DEMO_SECOND_REP = `david.zhang@${DEMO_EMAIL_DOMAIN}`;

/** Logs the planned touches due from `from` to yesterday, day by day as a rep would, leaving about one in eight. */
async function workThePlans(
  ctx: ServiceContext,
  repIds: string[],
  from: string,
  today: string,
): Promise<void> {
  const random = prng(20261127);
  const pick = picker(random);
  const objections = await ctx.db.kysely.selectFrom('objections').select('code').orderBy('code').execute();
  const codes = objections.map((o) => o.code);
  // Each objection's responses, the preferred one first (objectionOutcomes answers with it most).
  const responses = await ctx.db.kysely
    .selectFrom('objection_responses as r')
    .innerJoin('objections as o', 'o.id', 'r.objection_id')
    .select(['o.code as objection', 'r.id', 'r.is_preferred'])
    .orderBy('o.code')
    .orderBy('r.is_preferred', 'desc')
    .orderBy('r.code')
    .execute();
  const responsesOf = new Map<string, string[]>();
  for (const r of responses) responsesOf.set(r.objection, [...(responsesOf.get(r.objection) ?? []), r.id]);
  const answer = objectionOutcomes(20261130);
  // Method §4, more calls: besides the plan, each rep calls one or two of their out-of-market companies (prospects
  // to widen the market with later) on most weekdays, so the weeks' calls done run ahead of those planned.
  const prospects = new Map<string, string[]>();
  for (const repId of repIds) {
    const rows = await ctx.db.kysely
      .selectFrom('accounts')
      .select('id')
      .where('owner_id', '=', repId)
      .where('in_market', '=', 0)
      .orderBy('id')
      .execute();
    prospects.set(
      repId,
      rows.map((r) => r.id),
    );
  }
  for (let day = from; day < today; day = nextDay(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      for (const repId of repIds) {
        const own = prospects.get(repId) ?? [];
        const calls = own.length ? Math.floor(random() * 3) : 0;
        const rep = makeContext(ctx.db, { userId: repId, role: 'rep' }, ctx.now);
        for (let c = 0; c < calls; c++) {
          await logTouch(rep, pick(own), {
            channel: 'call',
            outcome: pick(['reached', 'no_answer', 'no_answer', 'refused', 'other']),
            at: day,
          });
        }
      }
    }
    const due = await ctx.db.kysely
      .selectFrom('planned_touches')
      .select(['id', 'account_id', 'channel', 'rep_id'])
      .where('status', '=', 'planned')
      .where('due_on', '=', day)
      .where('rep_id', 'in', repIds)
      .orderBy('id')
      .execute();
    for (const touch of due) {
      if (random() < 0.12 || !touch.rep_id) continue;
      const outcome: Outcome = pick([
        'reached',
        'reached',
        'reached',
        'no_answer',
        'meeting_booked',
        'refused',
      ]);
      const objection = outcome !== 'no_answer' && random() < 0.35 && codes.length ? pick(codes) : undefined;
      const answered = objection ? answer(responsesOf.get(objection) ?? []) : null;
      const logged: Outcome =
        answered?.success === 'meeting'
          ? 'meeting_booked'
          : answered?.success === 'next_step' || (answered && outcome === 'meeting_booked')
            ? 'reached'
            : outcome;
      // A call the day's visit to the account stood in for is done with: not called as well (logging it would complete
      // the account's next call, due later).
      const still = await ctx.db.kysely
        .selectFrom('planned_touches')
        .select('status')
        .where('id', '=', touch.id)
        .executeTakeFirst();
      if (still?.status !== 'planned') continue;
      const rep = makeContext(ctx.db, { userId: touch.rep_id, role: 'rep' }, ctx.now);
      await logTouch(rep, touch.account_id, {
        channel: touch.channel,
        outcome: logged,
        at: day,
        ...(objection ? { objectionId: objection } : {}),
        ...(answered?.responseId ? { responseId: answered.responseId } : {}),
        ...(logged === 'meeting_booked' ? { note: '约了当面演示', nextStep: '准备方案和报价' } : {}),
        ...(answered?.success === 'next_step'
          ? { note: '愿意先看看同行的案例', nextStep: '发送案例，下周电话跟进' }
          : {}),
      });
    }
  }
}

/** The demo's people, accounts, sources and history in one transaction; `existed` when they were there already. */
async function loadDemoData(ctx: ServiceContext): Promise<{ counts: DemoCounts; existed: boolean }> {
  const now = ctx.now();
  const at = now.toISOString();
  const random = prng(20261127);
  const pick = picker(random);

  return ctx.db.kysely.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'demo.loaded')
      .executeTakeFirst();
    if (existing) {
      const { users, accounts, sources, activities } = JSON.parse(existing.value) as DemoCounts;
      return { counts: { users, accounts, sources, activities }, existed: true };
    }

    // People: an admin, and a manager and two reps in one team, each rep with a territory.
    const [adminHash, managerHash, liNaHash, davidHash] = await Promise.all(
      [0, 1, 2, 3].map(() => hashPassword(DEMO_PASSWORD)),
    );
    const teamId = newId();
    const managerId = newId();
    const repIds = [newId(), newId()] as const;
    await trx
      .insertInto('teams')
      .values({ id: teamId, name: '华东华南销售一组', manager_id: null, created_at: at, updated_at: at })
      .execute();
    await trx
      .insertInto('users')
      .values([
        {
          id: newId(),
          email: `admin@${DEMO_EMAIL_DOMAIN}`,
          name: '系统管理员 Admin',
          role: 'admin',
          team_id: null,
          password_hash: adminHash ?? null,
          locale: 'zh-CN',
          calls_per_day: null,
          visits_per_day: null,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        },
        {
          id: managerId,
          email: 'manager@demo.tierline.local',
          name: '王海涛',
          role: 'manager',
          team_id: teamId,
          password_hash: managerHash ?? null,
          locale: 'zh-CN',
          calls_per_day: null,
          visits_per_day: null,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        },
        {
          id: repIds[0],
          email: 'li.na@demo.tierline.local',
          name: '李娜',
          role: 'rep',
          team_id: teamId,
          password_hash: liNaHash ?? null,
          locale: 'zh-CN',
          calls_per_day: 40,
          visits_per_day: 4,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        },
        {
          id: repIds[1],
          email: 'david.zhang@demo.tierline.local',
          name: 'David Zhang 张伟',
          role: 'rep',
          team_id: teamId,
          password_hash: davidHash ?? null,
          locale: 'en',
          calls_per_day: 40,
          visits_per_day: 4,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        },
      ])
      .execute();
    await trx.updateTable('teams').set({ manager_id: managerId }).where('id', '=', teamId).execute();
    const territoryIds = [newId(), newId()] as const;
    await trx
      .insertInto('territories')
      .values([
        {
          id: territoryIds[0],
          name: '华东（沪苏浙）',
          rep_id: repIds[0],
          provinces: JSON.stringify(['上海市', '江苏省', '浙江省']),
          cities: '[]',
          districts: '[]',
          created_at: at,
          updated_at: at,
        },
        {
          id: territoryIds[1],
          name: '华南、华北及西南',
          rep_id: repIds[1],
          provinces: JSON.stringify(['广东省', '北京市', '四川省']),
          cities: '[]',
          districts: '[]',
          created_at: at,
          updated_at: at,
        },
      ])
      .execute();

    // Sources: the purchased-versus-free trade-off of method §1.
    const purchasedId = newId();
    const freeId = newId();
    await trx
      .insertInto('sources')
      .values([
        {
          id: purchasedId,
          name: '企业名录（采购）2026Q3',
          kind: 'purchased',
          cost: 4800,
          acquired_on: isoDay(addDays(now, -60)),
          cleaning_hours: 2,
          mapping: null,
          created_at: at,
          updated_at: at,
        },
        {
          id: freeId,
          name: '工商联会员名录（免费）',
          kind: 'free',
          cost: 0,
          acquired_on: isoDay(addDays(now, -45)),
          cleaning_hours: 14,
          mapping: null,
          created_at: at,
          updated_at: at,
        },
      ])
      .execute();

    // Accounts: mostly Chinese names, some English ones, spread over eleven cities in six provinces.
    const accounts: NewAccountRow[] = [];
    const links: {
      account_id: string;
      source_id: string;
      import_job_id: null;
      line: number;
      created_at: string;
    }[] = [];
    const usedNames = new Set<string>();
    for (let i = 0; accounts.length < 300; i++) {
      const place = pick(PLACES);
      const industry = pick(INDUSTRIES);
      const english = random() < 0.18;
      const name = english
        ? `${place.cityEn} ${pick(EN_BRANDS)} ${pick(industry.enWords)} Co., Ltd.`
        : `${place.city.replace(/市$/, '')}${pick(BRANDS)}${pick(industry.words)}${pick(SUFFIXES)}`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      // Log-normal sizes: a few large accounts, many small ones (what makes tiering worthwhile).
      const size = Math.exp(random() * 4.2 + 1.2); // ~3 .. ~220
      const annualSales = Math.round((size * 1_000_000 * (0.6 + random())) / 10_000) * 10_000;
      const employees = Math.max(8, Math.round(size * (4 + random() * 6)));
      const band = employeeBand(employees);
      const hasSales = random() > 0.12;
      const id = newId(now.getTime() - (300 - accounts.length) * 60_000);
      const owner =
        place.province === '上海市' || place.province === '江苏省' || place.province === '浙江省' ? 0 : 1;
      const stage: PipelineStage = pick([
        'prospect',
        'prospect',
        'prospect',
        'contacted',
        'contacted',
        'meeting',
        'proposal',
        'won',
        'dormant',
      ]);
      const domain = english
        ? `${name.split(' ')[1]?.toLowerCase() ?? 'co'}-${i}.com`
        : `www${i}.${pick(['com.cn', 'cn', 'com'])}`.replace(/^www/, `${pinyinish(i)}`);
      const uscc = random() < 0.85 ? makeUscc(i * 7919 + 17) : null;
      const websiteDomain = random() < 0.7 ? domain : null;
      const district = pick(place.districts);
      // The street address lies in the account's own district. (A second district is still drawn and not used,
      // so every later draw, and with it the rest of the demo, stays as it was.)
      pick(place.districts);
      accounts.push({
        id,
        name,
        normalized_name: normalizeCompanyName(name),
        uscc,
        registration_id: null,
        website_domain: websiteDomain,
        province: place.province,
        city: place.city,
        district,
        address: `${place.city}${district}${pick(['科技路', '工业大道', '创新路', '长江路', '人民路'])}${1 + Math.floor(random() * 300)}号`,
        industry: english ? industry.zh : industry.zh,
        annual_sales: hasSales ? annualSales : null,
        employees_min: band.min,
        employees_max: band.max,
        net_assets:
          random() < 0.7 ? Math.round((annualSales * (0.2 + random() * 0.6)) / 10_000) * 10_000 : null,
        registered_capital: Math.round((annualSales * 0.1) / 10_000) * 10_000 || 1_000_000,
        phone: `${place.areaCode}-${String(50000000 + Math.floor(random() * 49999999)).slice(0, place.areaCode.length === 3 ? 8 : 7)}`,
        email: random() < 0.5 ? `sales@${domain}` : null,
        custom_fields: JSON.stringify(
          random() < 0.3 ? { 备注: pick(['展会名单', '老客户推荐', '招投标信息']) } : {},
        ),
        potential_score: null,
        in_market: 0,
        market_version: null,
        tier: null,
        tier_override: null,
        tier_override_reason: null,
        tier_override_by: null,
        tier_override_at: null,
        stage,
        owner_id: repIds[owner],
        territory_id: territoryIds[owner],
        created_at: at,
        updated_at: at,
        version: 1,
      });
      const source = random() < 0.65 ? purchasedId : freeId;
      links.push({
        account_id: id,
        source_id: source,
        import_job_id: null,
        line: accounts.length + 1,
        created_at: at,
      });
      if (random() < 0.1) {
        links.push({
          account_id: id,
          source_id: source === purchasedId ? freeId : purchasedId,
          import_job_id: null,
          line: accounts.length + 1,
          created_at: at,
        });
      }
    }
    for (let i = 0; i < accounts.length; i += 100) {
      await trx
        .insertInto('accounts')
        .values(accounts.slice(i, i + 100))
        .execute();
    }
    for (let i = 0; i < links.length; i += 200) {
      await trx
        .insertInto('account_sources')
        .values(links.slice(i, i + 200))
        .execute();
    }

    // Contacts: one or two people per account.
    const contacts = accounts.flatMap((a, i) =>
      Array.from({ length: 1 + (i % 2) }, (_, k) => ({
        id: newId(),
        account_id: a.id,
        name: `${pick(SURNAMES)}${pick(GIVEN)}${random() < 0.5 ? pick(GIVEN) : ''}`,
        title: pick(TITLES),
        phone: `1${pick(['38', '39', '58', '86', '36'])}${String(10000000 + Math.floor(random() * 89999999))}`,
        email: null,
        note: k === 0 ? '主要联系人' : null,
        created_at: at,
        updated_at: at,
      })),
    );
    for (let i = 0; i < contacts.length; i += 100) {
      await trx
        .insertInto('contacts')
        .values(contacts.slice(i, i + 100))
        .execute();
    }

    // The playbook and one skill per objection: seeded by migration 005, completed (and search-indexed) here.
    const objectionIds = await ensureDefaultPlaybook(trx, at);

    await trx
      .insertInto('cadence_rules')
      .values(
        DEFAULT_CADENCE.map((rule) => ({
          tier: rule.tier,
          channel: rule.channel,
          interval_months: rule.intervalMonths,
          updated_by: null,
          updated_at: at,
        })),
      )
      .execute();

    // The four weeks before the plan (which starts DEMO_PLAN_DAYS_BACK days ago): a few calls and some visits a
    // weekday, at random among the rep's accounts, as reps call without a plan. The plan then starts each account
    // from its last touch.
    const objectionCodes = [...objectionIds.keys()];
    const answer = objectionOutcomes(20261129);
    const activities = [];
    for (let day = 2 * DEMO_PLAN_DAYS_BACK; day > DEMO_PLAN_DAYS_BACK; day--) {
      const date = addDays(now, -day);
      const weekday = date.getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (const [repIndex, repId] of repIds.entries()) {
        const own = accounts.filter((a) => a.owner_id === repId);
        const calls = 1 + Math.floor(random() * 3);
        for (let c = 0; c < calls; c++) {
          const account = own[Math.floor(random() * own.length)];
          if (!account) continue;
          const channel: Channel = c === 0 && random() < 0.5 ? 'visit' : 'call';
          const outcome: Outcome = pick([
            'reached',
            'reached',
            'no_answer',
            'no_answer',
            'meeting_booked',
            'refused',
            'other',
          ]);
          const metObjection = outcome !== 'no_answer' && random() < 0.45 ? pick(objectionCodes) : null;
          const objection = metObjection ? objectionIds.get(metObjection) : undefined;
          const answered = objection ? answer(objection.responseIds) : { responseId: null, success: null };
          const loggedOutcome: Outcome = !objection
            ? outcome
            : answered.success === 'meeting'
              ? 'meeting_booked'
              : answered.success === 'next_step'
                ? 'reached'
                : outcome === 'meeting_booked'
                  ? 'reached'
                  : outcome;
          const occurred = new Date(date);
          occurred.setUTCHours(1 + repIndex + Math.floor(random() * 8), Math.floor(random() * 60), 0, 0);
          // The draw that used to pick the response, so that the rest of the demo stays as it was.
          if (objection) random();
          activities.push({
            id: newId(occurred.getTime()),
            account_id: account.id,
            user_id: repId,
            channel,
            occurred_at: occurred.toISOString(),
            outcome: loggedOutcome,
            objection_id: objection?.id ?? null,
            response_id: answered.responseId,
            note:
              loggedOutcome === 'meeting_booked'
                ? '约了下周当面演示'
                : answered.success === 'next_step'
                  ? '愿意先看看同行的案例'
                  : loggedOutcome === 'refused'
                    ? '暂无需求，半年后再联系'
                    : null,
            next_step:
              loggedOutcome === 'meeting_booked'
                ? '准备方案和报价'
                : answered.success === 'next_step'
                  ? '发送案例，下周电话跟进'
                  : null,
            planned_touch_id: null,
            created_at: occurred.toISOString(),
          });
        }
      }
    }
    for (let i = 0; i < activities.length; i += 100) {
      await trx
        .insertInto('activities')
        .values(activities.slice(i, i + 100))
        .execute();
    }
    // A company nobody has called yet is a prospect, whatever stage was drawn for it (the Today page would show
    // "won" beside "not contacted yet" otherwise); the plan's logged outcomes move the stages on from here.
    await trx
      .updateTable('accounts')
      .set({ stage: 'prospect' })
      .where('id', 'not in', (eb) => eb.selectFrom('activities').select('account_id'))
      .execute();

    const counts: DemoCounts = {
      users: 4,
      accounts: accounts.length,
      sources: 2,
      activities: activities.length,
    };
    await trx
      .insertInto('settings')
      .values({ key: 'demo.loaded', value: JSON.stringify(counts), updated_at: at })
      .execute();
    return { counts, existed: false };
  });
}

function employeeBand(n: number): { min: number; max: number | null } {
  const bands: [number, number | null][] = [
    [0, 49],
    [50, 99],
    [100, 499],
    [500, 999],
    [1000, 4999],
    [5000, 9999],
    [10000, null],
  ];
  for (const [min, max] of bands) if (max === null || n <= max) return { min, max };
  return { min: 10000, max: null };
}

function pinyinish(i: number): string {
  const syllables = [
    'heng',
    'rui',
    'hua',
    'xin',
    'bo',
    'yuan',
    'jin',
    'ding',
    'tian',
    'cheng',
    'zhong',
    'ke',
    'feng',
    'sheng',
  ];
  return `${syllables[i % syllables.length]}${syllables[(i * 7) % syllables.length]}${i}`;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** The calendar date `days` after the ISO date `day`. */
function nextDay(day: string, days: number): string {
  return isoDay(addDays(new Date(`${day}T00:00:00Z`), days));
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
