import type { AddressInfo } from 'node:net';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsToDate } from '../../src/domain/calendar/local-date.ts';
import type { TAccount } from '../../src/schemas/account.ts';
import { buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext } from '../../src/services/context.ts';
import { applyWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// A rep's day in the terminal on the demo workspace: what a careful user runs (agenda, log, goals, lists) and
// what they get wrong (values out of range, days that do not exist, a rep by email), with the exit codes and
// the output scripts read.

interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

for (const dialect of DIALECTS) {
  describe(`a rep's day in the terminal on ${dialect.name}`, { timeout: 180_000 }, () => {
    let tdb: TestDatabase;
    let rep: { id: string; email: string };
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const json = async <T>(...args: string[]): Promise<T> => {
      const result = await cli(...args, '--json');
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stderr, args.join(' ')).toBe('');
      return JSON.parse(result.stdout) as T;
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      expect((await cli('demo', '--json')).code).toBe(0);
      const users = await json<{ id: string; email: string; role: string }[]>('users', 'list');
      rep = users.find((u) => u.email.startsWith('li.na@')) as { id: string; email: string };
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('--json prints one JSON value on stdout; a failure too: one { error } object, exit code kept', async () => {
      const agenda = await json<{ items: { accountId: string }[] }>('agenda', '--rep', rep.id);
      const account = agenda.items[0]?.accountId as string;
      for (const args of [
        ['accounts', 'list', '--limit', '3'],
        ['accounts', 'show', account],
        ['goals', '--rep', rep.id],
        ['team', 'day'],
        ['days-off', '--rep', rep.id],
        ['objections', 'list', '--lang', 'zh'],
        ['objections', 'search', '价格'],
        ['users', 'list'],
      ]) {
        await json(...args);
      }
      const failures: [string[], number, string, string][] = [
        [['accounts', 'show', 'no-such-id'], 1, 'not_found', 'Account no-such-id does not exist'],
        [['accounts', 'list', '--colour'], 2, 'bad_request', "unknown option '--colour'"],
        [['agenda', '--date', 'tomorrow'], 2, 'bad_request', '--date must be a date that exists'],
        [
          ['log', account, '--channel', 'call', '--outcome', 'reached', '--at', 'yesterday'],
          2,
          'bad_request',
          '--at: expected a date as YYYY-MM-DD',
        ],
        [['objections', 'show', 'no-such-objection'], 1, 'not_found', 'no-such-objection'],
      ];
      for (const [args, code, errorCode, message] of failures) {
        const result = await cli(...args, '--json');
        expect(result.code, args.join(' ')).toBe(code);
        expect(result.stderr).toContain(message);
        const parsed = JSON.parse(result.stdout) as ErrorJson;
        expect(Object.keys(parsed)).toEqual(['error']);
        expect(parsed.error.code, args.join(' ')).toBe(errorCode);
        expect(parsed.error.message).toContain(message);
        // Without --json, stdout stays empty.
        expect((await cli(...args)).stdout).toBe('');
      }
    });

    it('refuses numbers out of range and days that do not exist, naming the option and what it takes', async () => {
      const cases: [string[], string][] = [
        [['accounts', 'list', '--limit', '0'], '--limit must be a whole number, 1 or more (got "0")'],
        [['accounts', 'list', '--stage', 'closed'], '--stage must be one or more of prospect, contacted'],
        [['plan', '--months', '0'], '--months must be a whole number from 1 to 24 (got "0")'],
        [['plan', '--months', '25'], '--months must be a whole number from 1 to 24 (got "25")'],
        [['plan', '--calls-per-day', '-1'], '--calls-per-day must be a whole number from 0 to 1000'],
        [['plan-all', '--months', '0'], '--months must be a whole number from 1 to 24'],
        [['objections', 'search', '价格', '--limit', '0'], '--limit must be a whole number from 1 to 100'],
        [
          ['objections', 'effectiveness', '--from', '2026-02-30'],
          '--from must be a date that exists, as YYYY-MM-DD',
        ],
        [['agenda', '--date', '2026-02-30'], '--date must be a date that exists, as YYYY-MM-DD'],
        [['goals', '--date', '2026-13-01'], '--date must be a date that exists'],
        [['goals', '--week', '--month'], "option '--week' cannot be used with option '--month'"],
        [
          ['market', 'set', '--min-employees', '-5', '--dry-run'],
          '--min-employees must be a whole number, 0 or more',
        ],
        [
          ['tokens', 'create', '--user', rep.email, '--name', 'x', '--expires-in-days', '0'],
          '--expires-in-days must be a whole number from 1 to 3650',
        ],
        [['serve', '--port', '70000'], '--port must be a whole number from 1 to 65535'],
        [['days-off', '--rep', rep.id, '--set', '2026-12-24,2026-02-30'], '--set must be a date that exists'],
        [
          ['log', 'any-account', '--channel', 'call', '--outcome', 'reached', '--response', 'x'],
          '--response needs --objection',
        ],
      ];
      for (const [args, message] of cases) {
        const result = await cli(...args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr, args.join(' ')).toContain(message);
      }
      // Nothing was stored by the refused days off.
      expect((await json<{ dates: string[] }>('days-off', '--rep', rep.id)).dates).toEqual([]);
    });

    it('takes --rep as an email, and refuses a rep nobody is instead of answering an empty agenda', async () => {
      for (const command of ['agenda', 'goals']) {
        const byId = await json(command, '--rep', rep.id);
        expect(await json(command, '--rep', rep.email.toUpperCase())).toEqual(byId);
        for (const nobody of ['nobody@example.com', 'no-such-user']) {
          const refused = await cli(command, '--rep', nobody);
          expect(refused.code, `${command} ${nobody}`).toBe(1);
          expect(refused.stdout).toBe('');
          expect(refused.stderr).toContain(
            `--rep: no user has the ${nobody.includes('@') ? 'email' : 'id'} "${nobody}"`,
          );
          expect(refused.stderr).toContain('`tierline users list` lists them');
        }
      }
      // Against a server, as an admin (who may ask for anyone): by email, and an id nobody has is a 404.
      const { token } = await json<{ token: string }>(
        'tokens',
        'create',
        '--user',
        'admin@demo.tierline.local',
        '--name',
        'rep-day',
      );
      const app = await buildApp(tdb.db);
      try {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        const remote = (...args: string[]) =>
          runTierlineInProcess(['--server', server, ...args], {
            TIERLINE_TOKEN: token,
            TIERLINE_SERVER: '',
            TIERLINE_TOKEN_FILE: '',
          });
        const byEmail = await remote('goals', '--rep', rep.email, '--json');
        expect(byEmail.code, byEmail.stderr).toBe(0);
        expect(JSON.parse(byEmail.stdout)).toEqual(await json('goals', '--rep', rep.id));
        for (const nobody of ['nobody@example.com', 'no-such-user']) {
          const refused = await remote('agenda', '--rep', nobody);
          expect(refused.code, nobody).toBe(1);
          expect(refused.stdout).toBe('');
          expect(refused.stderr).toContain(
            nobody.includes('@')
              ? '--rep: no user has the email "nobody@example.com" among the users you can see'
              : 'User no-such-user does not exist (or you may not see it). (HTTP 404 not_found)',
          );
        }
      } finally {
        await app.close();
      }

      const added = await json<TAccount>(
        'accounts',
        'add',
        '--name',
        '邮箱指派测试有限公司',
        '--owner',
        rep.email,
      );
      expect(added.ownerId).toBe(rep.id);
    });

    it("plans over the workspace's horizon unless --months is given", async () => {
      await applyWorkspaceSettings(makeContext(tdb.db), { horizonMonths: 6 });
      const plan = await json<{ from: string; to: string }>('plan', '--rep', rep.id);
      expect(plan.to).toBe(addMonthsToDate(plan.from, 6));
      const longer = await json<{ from: string; to: string }>('plan', '--rep', rep.id, '--months', '9');
      expect(longer.to).toBe(addMonthsToDate(longer.from, 9));
    });

    it('keeps the agenda and team day columns in line with a long Chinese name', async () => {
      const agenda = await json<{ items: { accountId: string }[] }>('agenda', '--rep', rep.id);
      const long = '内蒙古自治区呼和浩特市新城区超长名称精密机械制造股份有限公司宁波分公司'; // 80 columns
      const renamed = agenda.items[1]?.accountId as string;
      expect((await cli('accounts', 'edit', renamed, '--name', long, '--allow-similar-name')).code).toBe(0);
      await json(
        'users',
        'add',
        '--email',
        'long.name@example.com',
        '--name',
        long.slice(0, 20),
        '--role',
        'rep',
      );

      const text = await cli('agenda', '--rep', rep.id);
      expect(text.code, text.stderr).toBe(0);
      const items = text.stdout.split('\n').filter((line) => UUID.test(line));
      expect(items.length).toBe(agenda.items.length);
      const idColumn = (line: string) => stringWidth(line.slice(0, line.search(UUID)));
      expect(new Set(items.map(idColumn)).size, items.join('\n')).toBe(1);
      const cut = items.find((line) => line.includes('内蒙古')) as string;
      expect(cut).toContain('…');
      expect(cut).not.toContain(long);

      const day = await cli('team', 'day');
      const rows = day.stdout.split('\n').filter((line) => UUID.test(line));
      expect(rows.length).toBe(3);
      expect(new Set(rows.map(idColumn)).size, rows.join('\n')).toBe(1);
    });

    it('shows an account with its Chinese custom fields lined up and a negative amount with its sign', async () => {
      const account = await createAccount(makeContext(tdb.db), {
        name: '自定义字段测试有限公司',
        netAssets: -5_000_000,
        annualSales: 35_002_500,
        customFields: { 联系人职务: '采购经理', 备注: '老客户介绍', 'Contact role': 'buyer' },
      });
      const shown = await cli('accounts', 'show', account.id);
      expect(shown.code, shown.stderr).toBe(0);
      const lines = shown.stdout.trimEnd().split('\n');
      const valueColumn = (label: string, value: string) => {
        const line = lines.find((l) => l.startsWith(label)) as string;
        return stringWidth(line.slice(0, line.indexOf(value)));
      };
      const columns = [
        valueColumn('name', '自定义字段测试有限公司'),
        valueColumn('联系人职务', '采购经理'),
        valueColumn('备注', '老客户介绍'),
        valueColumn('Contact role', 'buyer'),
      ];
      expect(new Set(columns).size, shown.stdout).toBe(1);
      expect(shown.stdout).toMatch(/net assets +-500万\n/);
      expect(shown.stdout).toMatch(/annual sales +3500万 \(¥35,002,500\)\n/);
    });

    it('lists accounts by pipeline stage', async () => {
      const won = await json<{ stage: string }[]>('accounts', 'list', '--stage', 'won,lost');
      const all = await json<{ stage: string }[]>('accounts', 'list');
      expect(won.length).toBe(all.filter((a) => a.stage === 'won' || a.stage === 'lost').length);
      expect(won.every((a) => a.stage === 'won' || a.stage === 'lost')).toBe(true);
    });

    it('treats a command group without its command as a usage error (exit 2), help asked for as 0', async () => {
      const bare = await cli('accounts');
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe('');
      expect(bare.stderr).toContain('Usage: tierline accounts');
      expect(bare.stderr).toContain('edit [options] <id>');
      const help = await cli('accounts', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: tierline accounts');
    });
  });
}
