import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { contextForUser, createApiToken } from '../../src/services/auth.ts';
import { makeContext } from '../../src/services/context.ts';
import { type CliResult, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

/*
 * `tierline log` is safe to run again: `--client-id ID` makes a rerun of the same command answer the first log
 * (locally and with --server), and with --server every log carries a client id, so a log whose answer was lost on
 * the way back (the connection closed, a gateway's 502) is sent again and logged exactly once.
 */

/** What the proxy does to the next logs it sees (POSTs to …/touches); every other request is passed on as is. */
type FirstLog = 'pass' | 'lose-answer' | 'bad-gateway';

/**
 * A small proxy in front of the test server. With `lose-answer` it passes a log to the server, waits for the
 * server's whole answer, and then closes the client's connection instead of answering (the log is saved, its
 * answer lost); with `bad-gateway` it answers a log 502 without passing it on. `arm(mode, times)` does it to the
 * next `times` logs (default 1).
 */
function startProxy(
  target: string,
): Promise<{ url: string; server: Server; logs: number[]; arm(mode: FirstLog, times?: number): void }> {
  const to = new URL(target);
  let mode: FirstLog = 'pass';
  let left = 0;
  const logs: number[] = [];
  const forward = (
    req: IncomingMessage,
    body: Buffer,
    done: (status: number, headers: object, answer: Buffer) => void,
  ) => {
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
      },
    );
    upstream.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isLog = req.method === 'POST' && /\/touches$/.test(req.url ?? '');
      const now = isLog && left > 0 ? mode : 'pass';
      if (isLog && left > 0) left -= 1;
      if (now === 'bad-gateway') {
        logs.push(502);
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
        return;
      }
      forward(req, body, (status, headers, answer) => {
        if (isLog) logs.push(status);
        if (now === 'lose-answer') {
          req.socket.destroy();
          return;
        }
        const {
          'transfer-encoding': _chunked,
          connection: _connection,
          ...rest
        } = headers as Record<string, string>;
        res.writeHead(status, { ...rest, 'content-length': String(answer.length) }).end(answer);
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        url,
        server,
        logs,
        arm: (next, times = 1) => {
          mode = next;
          left = times;
        },
      });
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`tierline log with a client id on ${dialect.name}`, { timeout: 120_000 }, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let server: string;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let token: string;
    let n = 0;

    const local = (args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_SERVER: '', TIERLINE_TOKEN: '' });
    const remote = (args: string[], via: string = server) =>
      runTierlineInProcess(['--server', via, ...args], {
        TIERLINE_TOKEN: token,
        TIERLINE_SERVER: '',
        TIERLINE_TOKEN_FILE: '',
      });
    const json = <T>(result: CliResult): T => {
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    type Logged = { activity: { id: string; accountId: string; occurredAt: string }; replayed: boolean };

    /** A new account of the rep, nothing logged on it yet. */
    async function newAccount(): Promise<string> {
      n += 1;
      const account = await createAccount(makeContext(tdb.db), {
        name: `重试记录测试${n}有限公司`,
        province: '广东省',
        city: '深圳市',
        ownerId: people.rep.id,
      });
      return account.id;
    }
    const activities = async (accountId: string) =>
      (
        await tdb.db.kysely
          .selectFrom('activities')
          .select(['id', 'client_id'])
          .where('account_id', '=', accountId)
          .execute()
      ).map((a) => ({ id: a.id, clientId: a.client_id }));

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const repCtx = await contextForUser(tdb.db, people.rep.id, () => new Date());
      token = (await createApiToken(repCtx, { name: 'laptop', access: 'write' })).token;
      app = await buildApp(tdb.db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      proxy = await startProxy(server);
    });
    afterAll(async () => {
      await new Promise((resolve) => proxy?.server.close(resolve));
      proxy?.server.closeAllConnections();
      await app?.close();
      await tdb?.cleanup();
    });

    for (const backend of ['local', 'remote'] as const) {
      it(`a rerun with the same --client-id logs once (${backend})`, async () => {
        const run = backend === 'local' ? local : remote;
        const accountId = await newAccount();
        const clientId = `script-${backend}-0001`;
        const args = ['log', accountId, '--channel', 'call', '--outcome', 'reached', '--note', '再跑一次'];
        const first = json<Logged>(await run([...args, '--client-id', clientId, '--json']));
        expect(first.replayed).toBe(false);
        const again = json<Logged>(await run([...args, '--client-id', clientId, '--json']));
        expect(again).toMatchObject({ replayed: true, activity: { id: first.activity.id, accountId } });
        const human = await run([...args, '--client-id', clientId]);
        expect(human.code, human.stderr).toBe(0);
        expect(human.stdout).toMatch(/^Already logged \(same client id\): call \(reached\)/);
        // The first log's time on the workspace's clock (Asia/Shanghai unless changed), as the CLI prints times.
        const at = new Intl.DateTimeFormat('sv-SE', {
          timeZone: 'Asia/Shanghai',
          dateStyle: 'short',
          timeStyle: 'short',
        }).format(new Date(first.activity.occurredAt));
        expect(human.stdout).toContain(` at ${at}, nothing logged again`);
        expect(human.stdout).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
        expect(await activities(accountId)).toEqual([{ id: first.activity.id, clientId }]);

        // The same id on a different log is refused, not answered with the first one.
        const other = await run([
          'log',
          accountId,
          '--channel',
          'call',
          '--outcome',
          'no_answer',
          '--client-id',
          clientId,
        ]);
        expect(other.code).toBe(1);
        expect(other.stderr).toContain(clientId);
        // A malformed id is a usage error naming the option.
        const bad = await run([...args, '--client-id', 'no spaces']);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain('--client-id');
        expect(await activities(accountId)).toHaveLength(1);
      });
    }

    it('sends a log again when its answer was lost, with the same client id: logged once', async () => {
      const accountId = await newAccount();
      proxy.arm('lose-answer');
      const before = proxy.logs.length;
      const result = await remote(
        ['log', accountId, '--channel', 'visit', '--outcome', 'reached', '--json'],
        proxy.url,
      );
      const logged = json<Logged>(result);
      // The first send was logged by the server and its answer lost; the second is answered with that log.
      expect(proxy.logs.slice(before)).toEqual([201, 200]);
      expect(logged.replayed).toBe(true);
      expect(result.stderr).toMatch(
        /sending the log again in 0\.5 s \(retry 1 of 3, same client id [0-9a-f-]{36}/,
      );
      const saved = await activities(accountId);
      expect(saved).toHaveLength(1);
      expect(saved[0]?.id).toBe(logged.activity.id);
      expect(saved[0]?.clientId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends a log again after a gateway answered 502: logged once', async () => {
      const accountId = await newAccount();
      proxy.arm('bad-gateway');
      const before = proxy.logs.length;
      const result = await remote(['log', accountId, '--channel', 'call', '--outcome', 'reached'], proxy.url);
      expect(result.code, result.stderr).toBe(0);
      expect(proxy.logs.slice(before)).toEqual([502, 201]);
      expect(result.stderr).toContain('HTTP 502');
      expect(result.stdout).toMatch(/^Logged call \(reached\)/);
      expect(await activities(accountId)).toHaveLength(1);
    });

    it('names the client id to rerun with when every try lost its answer; that rerun logs nothing twice', async () => {
      const accountId = await newAccount();
      proxy.arm('lose-answer', 4);
      const before = proxy.logs.length;
      const args = ['log', accountId, '--channel', 'call', '--outcome', 'reached'];
      const lost = await remote(args, proxy.url);
      // Sent four times (the first and three retries), saved by the first, every answer lost.
      expect(proxy.logs.slice(before)).toEqual([201, 200, 200, 200]);
      expect(lost.code).toBe(1);
      expect(lost.stderr.match(/sending the log again/g)).toHaveLength(3);
      const clientId =
        /run the same command again with --client-id ([0-9a-f-]{36}) to log it exactly once/.exec(
          lost.stderr,
        )?.[1];
      expect(clientId, lost.stderr).toBeDefined();
      const rerun = json<Logged>(await remote([...args, '--client-id', clientId as string, '--json']));
      expect(rerun.replayed).toBe(true);
      expect(await activities(accountId)).toEqual([{ id: rerun.activity.id, clientId }]);
    });
  });
}
