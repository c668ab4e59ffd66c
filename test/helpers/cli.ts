import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

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
