import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlanHealth, TTeamPlanHealth } from '../../src/schemas/plan-api.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { contextForUser, createApiToken } from '../../src/services/auth.ts';
import { makeContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { type CliResult, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// `tierline plan status`: the plan health (services/plan-health.ts) on the local database and through a server,
// the same JSON either way, a short table without --json, and `market set` pointing to it.

for (const dialect of DIALECTS) {
  describe(`tierline plan status on ${dialect.name}`, { timeout: 120_000 }, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let server: string;
    let repToken: string;
    let addedId: string;

    const local = (args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_SERVER: '', TIERLINE_TOKEN: '' });
    const remote = (args: string[]) =>
      runTierlineInProcess(['--server', server, ...args], {
        TIERLINE_TOKEN: repToken,
        TIERLINE_SERVER: '',
        TIERLINE_TOKEN_FILE: '',
      });
    const json = <T>(result: CliResult): T => {
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const system = makeContext(tdb.db);
      for (let i = 0; i < 5; i++) {
        await createAccount(system, {
          name: `状态测试${i}有限公司`,
          province: '广东省',
          city: '深圳市',
          employeesMin: 100 + i,
          annualSales: 20_000_000 * (i + 1),
          ownerId: people.rep.id,
        });
      }
      await saveMarket(system, { criteria: { minEmployees: 50 } });
      await commitPlan(system, { repId: people.rep.id, acceptOverload: true });
      // One more account, after the plan: in the market once it is saved again, planned by nobody.
      addedId = (
        await createAccount(system, {
          name: '状态测试新增有限公司',
          province: '广东省',
          city: '广州市',
          employeesMin: 40,
          annualSales: 500_000_000,
          ownerId: people.rep.id,
        })
      ).id;
      const repCtx = await contextForUser(tdb.db, people.rep.id, () => new Date());
      repToken = (await createApiToken(repCtx, { name: 'laptop', access: 'read' })).token;
      app = await buildApp(tdb.db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app?.close();
      await tdb?.cleanup();
    });

    it('says the plan is in step after a commit', async () => {
      const text = await local(['plan', 'status', '--rep', people.rep.email]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/In step/);
      const health = json<TPlanHealth>(await remote(['plan', 'status', '--json']));
      expect(health).toMatchObject({ repId: people.rep.id, inStep: true, affected: 0 });
    });

    it('after a wider market, lists the account it brought in, locally and through the server alike', async () => {
      const saved = await local(['market', 'set', '--min-employees', '20', '--widen']);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toMatch(/came into the market without a plan: see tierline plan status/);

      const mine = json<TPlanHealth>(await local(['plan', 'status', '--rep', people.rep.email, '--json']));
      expect(mine.inStep).toBe(false);
      // Re-tiering with one more account may move others' tiers too (behind or ahead); one account is unplanned.
      expect(mine.affected).toBeGreaterThanOrEqual(1);
      const unplanned = mine.accounts.filter((a) => a.reason === 'unplanned');
      expect(unplanned.map((a) => [a.id, a.channel])).toEqual([
        [addedId, 'call'],
        [addedId, 'visit'],
      ]);
      expect(json<TPlanHealth>(await remote(['plan', 'status', '--json']))).toEqual(mine);

      const table = await remote(['plan', 'status']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/calls\s+no planned touch\s+1 account/);
      expect(table.stdout).toContain(addedId);
      expect(table.stdout).toMatch(/Re-plan to cover them: tierline plan --rep \S+ --from \S+ --commit/);

      // Every account, locally: the same account missing.
      const all = json<TPlanHealth>(await local(['plan', 'status', '--json']));
      expect(all.repId).toBeNull();
      expect(all.accounts.map((a) => a.id)).toContain(addedId);
    });

    it('prints one row per rep with --team, the same figures as each rep’s status; a rep is refused', async () => {
      const mine = json<TPlanHealth>(await local(['plan', 'status', '--rep', people.rep.email, '--json']));
      const team = json<TTeamPlanHealth>(await local(['plan', 'status', '--team', '--json']));
      expect(team.scope).toBe('workspace');
      const row = team.reps.find((r) => r.repId === people.rep.id);
      expect(row).toMatchObject({ inStep: false, affected: mine.affected, counts: mine.counts });
      expect(team.reps.find((r) => r.repId === people.mate.id)).toMatchObject({ plan: null, inStep: true });

      const text = await local(['plan', 'status', '--team']);
      expect(text.code, text.stderr).toBe(0);
      const line = text.stdout.split('\n').find((l) => l.includes(people.rep.id)) ?? '';
      expect(line).toMatch(new RegExp(`${mine.affected} accounts? out of step`));
      expect(line).toMatch(/\d+ unplanned/);
      expect(text.stdout.split('\n').find((l) => l.includes(people.mate.id))).toMatch(/no plan committed/);

      const refused = await remote(['plan', 'status', '--team', '--json']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'forbidden' } });
    });

    it('refuses another rep’s plan through the server, and is in step again after a re-plan', async () => {
      const other = await remote(['plan', 'status', '--rep', people.otherRep.id, '--json']);
      expect(other.code).toBe(1);
      expect(JSON.parse(other.stdout)).toMatchObject({ error: { code: 'forbidden' } });

      const replanned = await local(['plan', '--rep', people.rep.email, '--commit', '--accept-overload']);
      expect(replanned.code, replanned.stderr).toBe(0);
      expect(json<TPlanHealth>(await remote(['plan', 'status', '--json']))).toMatchObject({
        inStep: true,
        affected: 0,
      });
    });
  });
}
