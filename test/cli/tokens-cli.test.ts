import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`tierline tokens create --out on ${dialect.name}`, { timeout: 120_000 }, () => {
    let tdb: TestDatabase;
    let people: People;
    let dir: string;
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const parse = (result: CliResult) => {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout);
    };
    const tokenNames = async () =>
      (await tdb.db.kysely.selectFrom('api_tokens').select('name').orderBy('name').execute()).map(
        (t) => t.name,
      );

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      dir = mkdtempSync(join(tmpdir(), 'tierline-tokens-cli-'));
    });
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses an existing file without --force, creating no token, and replaces it with --force', async () => {
      const file = join(dir, 'token.txt');
      writeFileSync(file, 'keep me\n');
      const create = (name: string, ...extra: string[]) =>
        cli('tokens', 'create', '--user', people.rep.email, '--name', name, '--out', file, ...extra);

      const refused = await create('laptop');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`${file} already exists: pass --force to replace it.`);
      expect(readFileSync(file, 'utf8')).toBe('keep me\n');
      expect(await tokenNames()).toEqual([]);

      const forced = parse(await create('laptop', '--force', '--json'));
      expect(forced).toMatchObject({ name: 'laptop', userId: people.rep.id });
      expect(forced).not.toHaveProperty('token');
      expect(readFileSync(file, 'utf8')).toMatch(/^tl_\S+\n$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(await tokenNames()).toEqual(['laptop']);
      // Nothing is left beside it (the token is written to a temporary file, then moved into place).
      expect(readdirSync(dir)).toEqual(['token.txt']);

      const fresh = join(dir, 'fresh.txt');
      const written = await cli('tokens', 'create', '--user', people.rep.id, '--name', 'ci', '--out', fresh);
      expect(written.code).toBe(0);
      expect(written.stdout).toContain(`wrote it to ${fresh}.`);
      expect(readFileSync(fresh, 'utf8')).toMatch(/^tl_\S+\n$/);
      expect(await tokenNames()).toEqual(['ci', 'laptop']);
    });

    it('creates no token when the file cannot be written, and takes --force only with --out', async () => {
      const before = await tokenNames();
      const missingDir = await cli(
        'tokens',
        'create',
        '--user',
        people.rep.email,
        '--name',
        'nowhere',
        '--out',
        join(dir, 'no-such-dir', 'token.txt'),
      );
      expect(missingDir.code).toBe(1);
      expect(missingDir.stderr).toContain('no token was created');
      const directory = await cli(
        'tokens',
        'create',
        '--user',
        people.rep.email,
        '--name',
        'dir',
        '--out',
        dir,
      );
      expect(directory.code).toBe(2);
      expect(directory.stderr).toContain('is a directory');
      const forceAlone = await cli('tokens', 'create', '--user', people.rep.email, '--name', 'x', '--force');
      expect(forceAlone.code).toBe(2);
      expect(forceAlone.stderr).toContain('--force goes with --out');
      expect(await tokenNames()).toEqual(before);
    });
  });
}
