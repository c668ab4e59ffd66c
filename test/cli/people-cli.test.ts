import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/services/passwords.ts';
import { type CliResult, runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

for (const dialect of DIALECTS) {
  describe(`tierline users, teams, territories and accounts assign on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    // Commands run through the CLI's own entry in this process (test/helpers/cli.ts); the first admin (password
    // on stdin) and one refusal go through the real binary (bin/tierline.js) in a child process.
    const cli = (args: string[], input?: string) =>
      runTierlineInProcess(['--db', tdb.url, ...args], {}, input);
    const spawned = (args: string[], input?: string) => runTierline(['--db', tdb.url, ...args], {}, input);
    const parse = (args: string[], result: CliResult) => {
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
      return JSON.parse(result.stdout);
    };
    const json = async (args: string[], input?: string) => parse(args, await cli([...args, '--json'], input));

    beforeAll(async () => {
      tdb = await dialect.open();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('creates the first admin with a password from stdin, teams, reps and territories', async () => {
      const adminArgs = [
        'users',
        'add',
        '--email',
        'Admin@Example.com',
        '--name',
        '管理员',
        '--role',
        'admin',
        '--password-stdin',
      ];
      const admin = parse(adminArgs, spawned([...adminArgs, '--json'], 'a long admin password\n'));
      expect(admin).toMatchObject({ email: 'admin@example.com', role: 'admin', hasPassword: true });
      expect(JSON.stringify(admin)).not.toMatch(/scrypt|passwordHash/);
      const row = await tdb.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow();
      expect(await verifyPassword('a long admin password', row.password_hash ?? '')).toBe(true);

      const short = spawned(
        ['users', 'add', '--email', 'x@example.com', '--name', 'X', '--role', 'rep', '--password-stdin'],
        'short\n',
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(/at least 10 characters/);

      const manager = await json([
        'users',
        'add',
        '--email',
        'm@example.com',
        '--name',
        '王经理',
        '--role',
        'manager',
      ]);
      const team = await json(['teams', 'add', '--name', '华南组', '--manager', manager.id]);
      expect(team).toMatchObject({ name: '华南组', managerId: manager.id });
      const repA = await json([
        'users',
        'add',
        '--email',
        'a@example.com',
        '--name',
        '李娜',
        '--role',
        'rep',
        '--team',
        team.id,
      ]);
      const repB = await json([
        'users',
        'add',
        '--email',
        'b@example.com',
        '--name',
        '张伟',
        '--role',
        'rep',
        '--team',
        team.id,
      ]);

      const dup = await cli(['users', 'add', '--email', 'A@example.com', '--name', 'Dup', '--role', 'rep']);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toMatch(/already a user/);
      expect(
        (await cli(['users', 'add', '--email', 'c@example.com', '--name', 'C', '--role', 'boss'])).code,
      ).toBe(2);

      const at = new Date().toISOString();
      await tdb.db.kysely
        .insertInto('accounts')
        .values(
          ['广州', '深圳', '苏州'].map((city, i) => ({
            id: `acc-${i}`,
            name: `${city}测试有限公司`,
            normalized_name: `${city}测试`,
            province: i < 2 ? '广东省' : '江苏省',
            city: `${city}市`,
            owner_id: repA.id,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      const territory = await json([
        'territories',
        'add',
        '--name',
        '广东',
        '--rep',
        repA.id,
        '--provinces',
        '广东省',
        '--districts',
        '南京市/鼓楼区',
      ]);
      expect(territory).toMatchObject({
        name: '广东',
        repId: repA.id,
        provinces: ['广东省'],
        claimedAccounts: 2,
      });
      expect(await json(['territories', 'list'])).toHaveLength(1);
      const listed = await cli(['territories', 'list']);
      expect(listed.stdout).toContain('广东');

      const users = await json(['users', 'list']);
      expect(users.map((u: { email: string }) => u.email).sort()).toEqual([
        'a@example.com',
        'admin@example.com',
        'b@example.com',
        'm@example.com',
      ]);
      expect((await json(['teams', 'list']))[0]).toMatchObject({ id: team.id, memberCount: 2 });

      // One account, then everything the leaving rep owns.
      expect(await json(['accounts', 'assign', 'acc-0', '--to', repB.id])).toEqual({
        accounts: 1,
        plannedTouches: 0,
      });
      expect(await json(['users', 'disable', repA.id])).toMatchObject({
        id: repA.id,
        disabledAt: expect.any(String),
      });
      expect(await json(['accounts', 'assign', '--from', repA.id, '--to', repB.id])).toEqual({
        accounts: 2,
        plannedTouches: 0,
      });
      const owners = await tdb.db.kysely.selectFrom('accounts').select('owner_id').execute();
      expect(owners.every((o) => o.owner_id === repB.id)).toBe(true);
      expect((await cli(['accounts', 'assign', '--to', repB.id])).code).toBe(2);
      const missing = await cli(['accounts', 'assign', 'no-such-account', '--to', repB.id]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no-such-account');

      const audit = await tdb.db.kysely.selectFrom('audit_log').select(['entity', 'action']).execute();
      expect(audit).toEqual(
        expect.arrayContaining([
          { entity: 'user', action: 'create' },
          { entity: 'team', action: 'create' },
          { entity: 'territory', action: 'create' },
          { entity: 'user', action: 'disable' },
          { entity: 'account', action: 'assign' },
          { entity: 'user', action: 'hand_over' },
        ]),
      );
    }, 300_000);

    it('writes counts in words: "1 rep", "1 account", not "1 reps" or "account(s)"', async () => {
      // After the first test: the first rep is disabled and the second owns the three accounts.
      const users = await json(['users', 'list']);
      const repB = users.find((u: { email: string }) => u.email === 'b@example.com');
      const day = await cli(['team', 'day', '--date', '2026-12-01']);
      expect(day.code).toBe(0);
      expect(day.stdout.split('\n')[0]).toMatch(/^2026-12-01: 1 rep; calls 0\/0, visits 0\/0, overdue 0\.$/);

      const territory = await cli([
        'territories',
        'add',
        '--name',
        '苏州',
        '--rep',
        repB.id,
        '--cities',
        '苏州市',
      ]);
      expect(territory.code).toBe(0);
      expect(territory.stdout).toMatch(/; 1 account joined it\.\n$/);

      const manager = users.find((u: { email: string }) => u.email === 'm@example.com');
      const handed = await cli(['accounts', 'assign', 'acc-2', '--to', manager.id]);
      expect(handed.stderr).toBe('');
      expect(handed.stdout).toBe(`Handed 1 account and 0 planned touches to ${manager.id}.\n`);
      const listed = await cli(['accounts', 'list', '--limit', '1']);
      // Cut short by --limit: of how many.
      expect(listed.stderr).toBe('1 of 3 accounts.\n');
      expect((await cli(['accounts', 'list'])).stderr).toBe('3 accounts.\n');
    }, 120_000);

    it('refuses a second team of one name, changes a role with users edit, and names its own options in errors', async () => {
      const first = await json(['teams', 'add', '--name', '华东组 AB']);
      const again = await cli(['teams', 'add', '--name', ' 华东组 ａｂ ']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`--name: there is already a team called “华东组 AB” (${first.id})`);
      const asJson = await cli(['teams', 'add', '--name', '华东组 ab', '--json']);
      expect(JSON.parse(asJson.stdout).error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
      const teams = await json(['teams', 'list']);
      expect(teams.filter((t: { name: string }) => t.name.startsWith('华东组'))).toHaveLength(1);

      const rep = await json(['users', 'add', '--email', 'e@example.com', '--name', '赵六', '--role', 'rep']);
      // A rep cannot manage a team: the message names the option and the command that makes a manager.
      const notManager = await cli(['teams', 'add', '--name', '华西组', '--manager', rep.id]);
      expect(notManager.code).toBe(1);
      expect(notManager.stderr).toMatch(/^tierline: --manager: 赵六 is a rep; make them a manager first/);
      expect(notManager.stderr).toContain(`tierline users edit ${rep.id} --role manager`);
      expect(notManager.stderr).not.toMatch(/managerId/);
      const noTeam = await cli([
        'users',
        'add',
        '--email',
        'f@example.com',
        '--name',
        'F',
        '--role',
        'rep',
        '--team',
        'nope',
      ]);
      expect(noTeam.code).toBe(1);
      expect(noTeam.stderr).toBe('tierline: --team: team nope does not exist.\n');
      const setManager = await cli(['teams', 'set-manager', first.id, 'nobody-here']);
      expect(setManager.code).toBe(1);
      expect(setManager.stderr).toBe('tierline: <userId>: user nobody-here does not exist.\n');

      const promoted = await cli(['users', 'edit', 'E@example.com', '--role', 'manager']);
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(promoted.stdout).toContain('  role rep → manager');
      expect(await json(['teams', 'add', '--name', '华西组', '--manager', rep.id])).toMatchObject({
        managerId: rep.id,
      });
      // The API's rules: the last admin stays an admin.
      const admin = (await json(['users', 'list'])).find((u: { role: string }) => u.role === 'admin');
      const lastAdmin = await cli(['users', 'edit', admin.id, '--role', 'rep']);
      expect(lastAdmin.code).toBe(1);
      expect(lastAdmin.stderr).toContain('last admin');
      expect((await cli(['users', 'edit', rep.id])).code).toBe(2);

      // One capacity limit: what a plan may try, a person may have (the API's schema).
      const capacity = await json([
        'users',
        'edit',
        rep.id,
        '--calls-per-day',
        '1000',
        '--visits-per-day',
        '100',
      ]);
      expect(capacity).toMatchObject({ callsPerDay: 1000, visitsPerDay: 100 });
      const over = await cli(['users', 'edit', rep.id, '--calls-per-day', '1001']);
      expect(over.code).toBe(2);
      expect(over.stderr).toContain('--calls-per-day must be a whole number from 0 to 1000');
      expect(
        await json(['users', 'edit', rep.id, '--calls-per-day', '', '--visits-per-day', '']),
      ).toMatchObject({
        callsPerDay: null,
        visitsPerDay: null,
      });
      const stale = await cli(['users', 'edit', rep.id, '--name', '赵七', '--if-version', '1']);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('the current version is');
    }, 120_000);

    it('has --help for every new command', async () => {
      for (const command of [
        ['users', 'add'],
        ['users', 'edit'],
        ['teams', 'set-manager'],
        ['territories', 'add'],
        ['accounts', 'assign'],
      ]) {
        const help = await cli([...command, '--help']);
        expect(help.code, command.join(' ')).toBe(0);
        expect(help.stdout).toContain('Usage:');
      }
    }, 120_000);
  });
}
