import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';

const BIN = join(import.meta.dirname, '../../bin/tierline.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (bin/tierline.js) in a child process, as a user would. */
export function runTierline(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Like runTierline, without blocking this process: use it when the CLI talks to a server running in the test
 * process itself (spawnSync would stop that server from answering).
 */
export function runTierlineAsync(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Serializes in-process runs: each swaps process-wide state (stdio, exit code, environment) while it runs. */
let inProcessQueue: Promise<unknown> = Promise.resolve();

class Capture extends Writable {
  text = '';
  readonly isTTY = false;
  constructor() {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    done();
  }
}

function swapStdio(
  name: 'stdin' | 'stdout' | 'stderr',
  stream: NodeJS.ReadableStream | Writable,
): () => void {
  const previous = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
  return () => {
    if (previous) Object.defineProperty(process, name, previous);
  };
}

/**
 * The CLI's own entry (`runCli` of src/cli/program.ts) in this process, with what a child process started by
 * runTierline would see: stdout, stderr and stdin as pipes (not terminals; stdin holds `input` then ends), the
 * environment with `env` on top and DATABASE_URL empty, and the exit code it sets. It skips the ~1 s start of
 * `node bin/tierline.js` per command; a few real runs per suite (runTierline) still prove the binary itself.
 * Runs one at a time (process-wide state is swapped while it runs); nothing it printed is written to this
 * process's own output.
 */
export function runTierlineInProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<CliResult> {
  const run = inProcessQueue.then(async (): Promise<CliResult> => {
    const { runCli } = await import('../../src/cli/program.ts');
    const stdout = new Capture();
    const stderr = new Capture();
    const stdin = new PassThrough();
    stdin.end(input ?? '');
    const overrides: NodeJS.ProcessEnv = { DATABASE_URL: '', ...env };
    const savedEnv = new Map(Object.keys(overrides).map((key) => [key, process.env[key]]));
    const savedExitCode = process.exitCode;
    const restores = [swapStdio('stdout', stdout), swapStdio('stderr', stderr), swapStdio('stdin', stdin)];
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    process.exitCode = undefined;
    try {
      await runCli([process.execPath, BIN, ...args]);
      const code = process.exitCode ?? 0;
      return {
        code: typeof code === 'number' ? code : Number(code),
        stdout: stdout.text,
        stderr: stderr.text,
      };
    } finally {
      process.exitCode = savedExitCode;
      for (const [key, value] of savedEnv) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      for (const restore of restores.reverse()) restore();
    }
  });
  inProcessQueue = run.catch(() => undefined);
  return run;
}
