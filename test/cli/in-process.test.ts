import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// The CLI suites run most commands through runTierlineInProcess (the CLI's own entry in the test process). It
// must answer exactly as the real binary in a child process does, and leave the test process as it found it.
describe('runTierlineInProcess answers as the real binary', { timeout: 120_000 }, () => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await (DIALECTS[0] as (typeof DIALECTS)[number]).open();
  });
  afterAll(async () => {
    await tdb.cleanup();
  });

  it('prints the same stdout, stderr and exit code for success, help, usage errors and failures', async () => {
    for (const args of [
      // Added twice (once each way): the second is a namesake, let through as a different company.
      ['--db', tdb.url, 'accounts', 'add', '--name', '进程内测试有限公司', '--allow-similar-name', '--json'],
      ['--db', tdb.url, 'accounts', 'show', 'no-such-id'],
      ['--db', tdb.url, 'accounts', 'list', '--colour'],
      ['plan', '--help'],
    ]) {
      const inProcess = await runTierlineInProcess(args);
      const spawned = runTierline(args);
      const same = (text: string) => text.replace(/"(id|createdAt|updatedAt)": "[^"]*"/g, '"$1": "…"');
      expect({ ...inProcess, stdout: same(inProcess.stdout) }, args.join(' ')).toEqual({
        ...spawned,
        stdout: same(spawned.stdout),
      });
    }
  });

  it('feeds stdin, then gives back stdio, the exit code and the environment', async () => {
    const stdout = process.stdout;
    const stderr = process.stderr;
    const stdin = process.stdin;
    const exitCode = process.exitCode;
    const databaseUrl = process.env.DATABASE_URL;
    delete process.env.TIERLINE_TOKEN;

    const short = await runTierlineInProcess(
      [
        '--db',
        tdb.url,
        'users',
        'add',
        '--email',
        'x@example.com',
        '--name',
        'X',
        '--role',
        'rep',
        '--password-stdin',
      ],
      { TIERLINE_TOKEN: 'tl_in_process' },
      'short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);

    expect(process.stdout).toBe(stdout);
    expect(process.stderr).toBe(stderr);
    expect(process.stdin).toBe(stdin);
    expect(process.exitCode).toBe(exitCode);
    expect(process.env.DATABASE_URL).toBe(databaseUrl);
    expect(process.env.TIERLINE_TOKEN).toBeUndefined();
  });
});
