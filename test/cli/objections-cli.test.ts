import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

const BIN = join(import.meta.dirname, '../../bin/tierline.js');
// Each command is a process of its own (a few seconds on a busy machine); the tests run several.
const SLOW = 180_000;

/** The CLI with `input` piped on stdin, as a rep typing answers would. */
function withStdin(args: string[], input: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

for (const dialect of DIALECTS) {
  describe(`objections, skills and drill commands on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    // Commands run through the CLI's own entry in this process (test/helpers/cli.ts), stdin included; the
    // playbook list and the first drill session go through the real binary (bin/tierline.js) in a child process.
    const cli = (...args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const parse = (args: string[], result: { code: number; stdout: string; stderr: string }) => {
      if (result.code !== 0) throw new Error(`tierline ${args.join(' ')} failed: ${result.stderr}`);
      return JSON.parse(result.stdout);
    };
    const json = async (...args: string[]) => parse(args, await cli(...args, '--json'));
    const inProcessWithStdin = (args: string[], input: string) => runTierlineInProcess(args, {}, input);

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it(
      'lists the playbook as JSON: each item with code, zh, en and responses',
      async () => {
        const list = parse(
          ['objections', 'list'],
          runTierline(['--db', tdb.url, 'objections', 'list', '--json']),
        );
        expect(list).toHaveLength(7);
        for (const item of list) {
          expect(item).toEqual(
            expect.objectContaining({
              code: expect.any(String),
              zh: expect.any(String),
              en: expect.any(String),
              responses: expect.any(Array),
            }),
          );
          expect(item.responses[0]).toEqual(
            expect.objectContaining({
              code: expect.any(String),
              zh: expect.any(String),
              en: expect.any(String),
              preferred: true,
            }),
          );
        }
        expect(list.map((o: { code: string }) => o.code)).toContain('price-too-high');
        const text = await cli('objections', 'list', '--lang', 'en');
        expect(text.code).toBe(0);
        expect(text.stdout).toContain('price-too-high  Price too high');
        expect(text.stdout).toContain('★ [compared-with-what]');
      },
      SLOW,
    );

    it(
      'searches Chinese fragments and English words',
      async () => {
        for (const [q, code] of [
          ['预算', 'no-budget'],
          ['价格太高', 'price-too-high'],
          ['供应商', 'have-supplier'],
          ['supplier', 'have-supplier'],
        ] as const) {
          const hits = await json('objections', 'search', q);
          expect(hits[0]).toEqual(
            expect.objectContaining({
              code,
              zh: expect.any(String),
              en: expect.any(String),
              responses: expect.any(Array),
            }),
          );
          expect(hits[0].score).toBeGreaterThan(0);
        }
        const words = await json('objections', 'search', 'written', 'material');
        expect(words[0].code).toBe('send-material');
        expect(await json('objections', 'search', '火星')).toEqual([]);
        const human = await cli('objections', 'search', '价格太高', '--lang', 'zh');
        expect(human.stdout).toContain('price-too-high  价格太高');
      },
      SLOW,
    );

    it(
      "shows skills and drills in the rep's language unless --lang is given",
      async () => {
        const zhRep = await json(
          'users',
          'add',
          '--email',
          'zh.rep@example.com',
          '--name',
          '王芳',
          '--role',
          'rep',
        );
        const enRep = people.mate;
        for (const [rep, lang] of [
          [zhRep.email, 'zh'],
          [enRep.email, 'en'],
        ] as const) {
          expect((await json('skills', '--rep', rep)).lang, rep).toBe(lang);
          const other = lang === 'zh' ? 'en' : 'zh';
          expect((await json('skills', '--rep', rep, '--lang', other)).lang, rep).toBe(other);
        }
        const zhSkills = await cli('skills', '--rep', zhRep.id);
        const enSkills = await cli('skills', '--rep', enRep.id);
        expect(zhSkills.stdout).toMatch(/[\u4e00-\u9fff]/);
        expect(enSkills.stdout.split('\n').slice(1).join('\n')).not.toMatch(/[\u4e00-\u9fff]/);
        // The drill picks the same language: Chinese for the Chinese-speaking rep, English for the other.
        const zhDrill = await inProcessWithStdin(['--db', tdb.url, 'drill', '--rep', zhRep.email], 'q\n');
        expect(zhDrill.stdout).toContain(`王芳 的练习`);
        const enDrill = await inProcessWithStdin(['--db', tdb.url, 'drill', '--rep', enRep.email], 'q\n');
        expect(enDrill.stdout).toContain(`Practice for ${enRep.name}`);
      },
      SLOW,
    );

    it(
      'runs a drill fed through stdin and prints the stage change',
      async () => {
        const noRep = await inProcessWithStdin(['--db', tdb.url, 'drill'], '');
        expect(noRep.code).toBe(2);
        expect(noRep.stderr).toContain('--rep');

        // First drill: a typed answer, then an invalid rating, then "good"; second: answered aloud, "easy".
        const run = withStdin(
          ['--db', tdb.url, 'drill', '--rep', people.rep.email, '--lang', 'en', '--limit', '2'],
          'I would offer to bring it and walk through it\n7\n3\n\n4\n',
        );
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('The customer says: “');
        expect(run.stdout).toContain('Prepared response: ');
        expect(run.stdout).toContain('Type 1, 2, 3 or 4');
        expect(run.stdout.match(/Stage 1 → 2: Started practising/g)).toHaveLength(2);
        expect(run.stdout).toContain('Done: 2 drills.');

        const skills = await json('skills', '--rep', people.rep.id);
        expect(skills.skills.filter((s: { stage: number }) => s.stage === 2)).toHaveLength(2);
        // A command about a rep speaks the rep's language (this one's locale is en), as the drill above did.
        expect(skills.lang).toBe('en');

        // Input ending early stops the session cleanly; q stops it too.
        const early = await inProcessWithStdin(
          ['--db', tdb.url, 'drill', '--rep', people.rep.id, '--limit', '3', '--lang', 'zh'],
          'q\n',
        );
        expect(early.code).toBe(0);
        expect(early.stdout).toContain('完成 0 个练习');
        const forbiddenRep = await inProcessWithStdin(
          ['--db', tdb.url, 'drill', '--rep', 'nobody@example.com'],
          '',
        );
        expect(forbiddenRep.code).toBe(1);
        expect(forbiddenRep.stderr).toContain('does not exist');
      },
      SLOW,
    );

    it(
      'runs a drill in Chinese with Chinese punctuation and no English reason for the stage change',
      async () => {
        const rep = await json(
          'users',
          'add',
          '--email',
          'drill.zh@example.com',
          '--name',
          '赵敏',
          '--role',
          'rep',
          '--locale',
          'zh-CN',
        );
        const run = await inProcessWithStdin(
          ['--db', tdb.url, 'drill', '--rep', rep.email, '--limit', '1'],
          '我带资料上门讲解\n3\n',
        );
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain('客户说：“');
        expect(run.stdout).toContain('准备好的应答：');
        expect(run.stdout).toMatch(/阶段 1 → 2：开始练习[^\n]*。\n/);
        // The rule's reason is recorded in English: the Chinese drill shows no English sentence.
        expect(run.stdout).not.toMatch(/[A-Za-z]{4,}/);
      },
      SLOW,
    );

    it(
      'names its own arguments in refusals, refuses a period the wrong way round and says when nothing was met',
      async () => {
        // The API's query field `q` is the command's <text>, never a --q option that does not exist.
        const empty = await cli('objections', 'search', '');
        expect(empty.code).toBe(2);
        expect(empty.stderr).toMatch(/^tierline: <text> is empty/);
        const long = await cli('objections', 'search', 'x'.repeat(201));
        expect(long.code).toBe(2);
        expect(long.stderr).toMatch(/^tierline: <text>: /);
        expect(`${empty.stderr}${long.stderr}`).not.toContain('--q');

        const limited = await cli('objections', 'search', '价格', '--limit', '1');
        const all = await json('objections', 'search', '价格');
        expect(limited.code, limited.stderr).toBe(0);
        expect(all.length).toBeGreaterThan(1);
        expect(limited.stdout).toContain(`(1 of ${all.length} objections found; --limit ${all.length}`);

        const swapped = await cli(
          'objections',
          'effectiveness',
          '--from',
          '2026-12-01',
          '--to',
          '2026-11-01',
        );
        expect(swapped.code).toBe(2);
        expect(swapped.stdout).toBe('');
        expect(swapped.stderr).toContain('--from (2026-12-01) is after --to (2026-11-01)');
        const quiet = await cli('objections', 'effectiveness', '--from', '2031-01-01', '--to', '2031-01-31');
        expect(quiet.code, quiet.stderr).toBe(0);
        expect(quiet.stdout).toBe(
          'No objection was met from 2031-01-01 to 2031-01-31: no logged call or visit recorded one.\n',
        );

        const noRep = await cli('skills');
        expect(noRep.code).toBe(2);
        expect(noRep.stderr).toMatch(/^tierline: --rep is required/);
        expect(noRep.stderr).not.toContain('in the CLI');
      },
      SLOW,
    );
  });
}
