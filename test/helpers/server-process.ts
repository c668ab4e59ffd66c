import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

// Real `tierline serve` processes for tests that need more than inject: signals, several servers, sockets.

const BIN = join(import.meta.dirname, '../../bin/tierline.js');

export interface ServerProcess {
  port: number;
  base: string;
  child: ChildProcess;
  pid: number;
  /** stdout (JSON log lines) so far. */
  stdout(): string;
  stderr(): string;
  /** The JSON log lines parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `tierline serve` on a free port against `databaseUrl` and waits until /api/health/ready is 200. */
export async function startServer(
  databaseUrl: string,
  options: { env?: NodeJS.ProcessEnv; args?: string[]; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...(options.args ?? [])], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  // 'close', not 'exit': by then stdout and stderr are read to the end (the last log lines included).
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? signal ?? -1));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const server: ServerProcess = {
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    kill: (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (done) throw new Error(`tierline serve exited before it was ready:\n${out}\n${err}`);
    try {
      const res = await fetch(`${server.base}/api/health/ready`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  server.kill('SIGKILL');
  throw new Error(`tierline serve was not ready within the timeout:\n${out}\n${err}`);
}

export interface HttpSession {
  cookie: string;
  csrf: string;
  userId: string;
}

/** Signs in over HTTP and returns the session cookie and CSRF token. */
export async function signInOver(base: string, email: string, password: string): Promise<HttpSession> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const body = (await res.json()) as { csrfToken: string; user: { id: string } };
  return { cookie, csrf: body.csrfToken, userId: body.user.id };
}

export function multipartBody(fileName: string, content: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----tierline${Math.random().toString(16).slice(2)}`;
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Uploads a file (POST /api/imports) and returns the job id. */
export async function uploadOver(
  base: string,
  session: HttpSession,
  fileName: string,
  content: Buffer,
): Promise<string> {
  const { body, contentType } = multipartBody(fileName, content);
  const res = await fetch(`${base}/api/imports`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': contentType },
    body: new Uint8Array(body),
  });
  if (res.status !== 201) throw new Error(`upload to ${base} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * An upload sent in two halves: the request (headers and the first half of the body) goes out at once and the
 * rest only when `finish()` is called, so the request is in flight at the server in between.
 */
export function slowUpload(
  base: string,
  session: HttpSession,
  fileName: string,
  content: Buffer,
): { finish(): void; response: Promise<{ status: number; body: string; headers: Record<string, unknown> }> } {
  const { body, contentType } = multipartBody(fileName, content);
  const url = new URL(`${base}/api/imports`);
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      'content-type': contentType,
      'content-length': String(body.length),
    },
  });
  const response = new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
    },
  );
  const half = Math.floor(body.length / 2);
  req.write(body.subarray(0, half));
  return {
    finish: () => {
      req.end(body.subarray(half));
    },
    response,
  };
}

/** Resolves true when nothing accepts connections on the port any more. */
export async function refusesConnections(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/api/health/live`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code === 'ECONNREFUSED';
  }
}
