import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/tierline.js');

// docs/deploy.md: a bad setting stops the start with a message naming it (exit 2), and a server that cannot
// start exits instead of hanging on its open database, so its supervisor sees the failure. Every run uses a port
// another socket holds, so a server that wrongly got past its settings fails to listen rather than serve.
describe('tierline serve that cannot start', () => {
  let dir: string;
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tierline-serve-start-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function serve(env: NodeJS.ProcessEnv) {
    const result = spawnSync(process.execPath, [BIN, 'serve', '--port', String(port)], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: join(dir, 'serve.db'), LOG_LEVEL: 'silent', ...env },
      // A hang shows as a null status (killed), not as a stuck test.
      timeout: 30_000,
    });
    return { code: result.status, stderr: result.stderr };
  }

  it.each([
    ['TRUST_PROXY', 'banana'],
    ['TRUST_PROXY', '10.0.0.0/8,10.0.0.1/99'],
    ['TIERLINE_UPLOAD_LIMIT_MB', 'lots'],
    ['TIERLINE_UPLOAD_LIMIT_MB', '0'],
    ['TIERLINE_UPLOAD_TTL_HOURS', 'a day'],
    ['TIERLINE_FAILED_IMPORT_TTL_DAYS', '-7'],
    ['TIERLINE_OFF_THREAD_ACCOUNTS', '-1'],
  ])(
    'refuses %s=%s with exit code 2, naming the setting',
    (name, value) => {
      const result = serve({ [name]: value });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`tierline: ${name}: "`);
    },
    40_000,
  );

  it('exits 1 when the port is taken, instead of hanging on the open database', () => {
    const result = serve({ TRUST_PROXY: '10.0.0.0/8, loopback, ::1/128' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('EADDRINUSE');
  }, 40_000);
});
