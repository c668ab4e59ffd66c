import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_CELL_MAX_WIDTH } from '../../src/cli/output.ts';
import { newId } from '../../src/storage/ids.ts';
import { type CliResult, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// Every `… list` table lines up its columns by their width on a terminal (a Chinese character takes two columns)
// and cuts a cell wider than TABLE_CELL_MAX_WIDTH with "…", so Chinese and English names sit in the same columns.

/** 30 Chinese characters: 60 terminal columns, wider than any table cell. */
const LONG_PERSON = '欧阳诸葛司马上官东方慕容长孙宇文尉迟公孙轩辕令狐皇甫端木独孤南宫西门';
const LONG_TEAM = '华南大区广东省深圳市南山区科技园重点客户拓展第一销售团队';
const LONG_TERRITORY = '粤港澳大湾区珠江三角洲核心城市群重点工业园区及周边县市片区';
const LONG_SOURCE = '二〇二四年第三季度企查查导出长三角及珠三角制造业企业名录';
const LONG_TOKEN = '每天夜里自动导出全部客户清单并同步到财务部共享文件夹的脚本';

/**
 * Where each cell of a table line starts, in terminal columns: the first character and each character after
 * two or more spaces (the tables separate cells by two spaces; the cells here hold at most single spaces).
 */
function cellStarts(line: string): number[] {
  const starts: number[] = [];
  let width = 0;
  let spaces = 0;
  for (const { segment } of new Intl.Segmenter().segment(line)) {
    if (segment === ' ') spaces++;
    else {
      if (width === 0 || spaces >= 2) starts.push(width);
      spaces = 0;
    }
    width += stringWidth(segment);
  }
  return starts;
}

/** The lines of a table printed by a list command, each line's cells starting where the header's do. */
function expectLinedUp(result: CliResult, rows: number): string[] {
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1 + rows);
  const header = cellStarts(lines[0] as string);
  for (const line of lines.slice(1)) expect(cellStarts(line), line).toEqual(header);
  return lines;
}

/** The line showing `long` shows it cut with "…" to at most the widest cell, and no line shows it whole. */
function expectCut(lines: readonly string[], long: string): void {
  expect(lines.some((line) => line.includes(long))).toBe(false);
  const head = long.slice(0, 4);
  const line = lines.find((l) => l.includes(head));
  expect(line, head).toBeDefined();
  const shown = (line as string).slice((line as string).indexOf(head)).split('  ')[0] as string;
  expect(shown.endsWith('…'), shown).toBe(true);
  expect(long.startsWith(shown.slice(0, -1))).toBe(true);
  expect(stringWidth(shown)).toBeLessThanOrEqual(TABLE_CELL_MAX_WIDTH);
  expect(stringWidth(shown)).toBeGreaterThanOrEqual(TABLE_CELL_MAX_WIDTH - 1);
}

for (const dialect of DIALECTS) {
  describe(`list tables line up Chinese and English names on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    const cli = (args: string[]) => runTierlineInProcess(['--db', tdb.url, ...args]);
    const json = async <T>(args: string[]): Promise<T> => {
      const result = await cli([...args, '--json']);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    const teamIds: string[] = [];
    const userIds: string[] = [];

    beforeAll(async () => {
      tdb = await dialect.open();
      for (const name of [LONG_TEAM, 'North', '华东']) {
        teamIds.push((await json<{ id: string }>(['teams', 'add', '--name', name])).id);
      }
      const people: [string, string, string][] = [
        [LONG_PERSON, 'long@example.com', 'manager'],
        ['Zhang Wei', 'zhang.wei@example.com', 'rep'],
        ['李娜', 'li.na@example.com', 'rep'],
        ['Anna 王', 'anna@example.com', 'admin'],
      ];
      for (const [k, [name, email, role]] of people.entries()) {
        const team = teamIds[k % teamIds.length] as string;
        const user = await json<{ id: string }>([
          'users',
          'add',
          '--name',
          name,
          '--email',
          email,
          '--role',
          role,
          '--team',
          team,
        ]);
        userIds.push(user.id);
      }
      for (const team of teamIds) await json(['teams', 'set-manager', team, userIds[0] as string]);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('users list', async () => {
      const lines = expectLinedUp(await cli(['users', 'list']), 4);
      expectCut(lines, LONG_PERSON);
      expect(lines.some((l) => l.includes('李娜'))).toBe(true);
      // --json keeps the full name.
      const users = await json<{ name: string }[]>(['users', 'list']);
      expect(users.map((u) => u.name)).toContain(LONG_PERSON);
    });

    it('teams list', async () => {
      const lines = expectLinedUp(await cli(['teams', 'list']), 3);
      expectCut(lines, LONG_TEAM);
      expect(lines.some((l) => l.includes('华东'))).toBe(true);
    });

    it('territories list', async () => {
      const territories: [string, string][] = [
        [LONG_TERRITORY, '广州市,深圳市,佛山市,东莞市,中山市,珠海市,江门市,肇庆市,惠州市'],
        ['Suzhou', '苏州市'],
        ['杭州', '杭州市'],
      ];
      for (const [k, [name, cities]] of territories.entries()) {
        const rep = userIds[1 + (k % 2)] as string;
        await json(['territories', 'add', '--name', name, '--rep', rep, '--cities', cities]);
      }
      const lines = expectLinedUp(await cli(['territories', 'list']), 3);
      expectCut(lines, LONG_TERRITORY);
      // The long list of places is cut too.
      expectCut(lines, '广州市,深圳市,佛山市,东莞市,中山市,珠海市,江门市,肇庆市,惠州市');
    });

    it('sources list', async () => {
      const at = new Date().toISOString();
      for (const [name, kind, cost] of [
        [LONG_SOURCE, 'purchased', 12_000],
        ['Chamber list', 'free', 0],
        ['天眼查', 'purchased', 800],
      ] as const) {
        await tdb.db.kysely
          .insertInto('sources')
          .values({
            id: newId(),
            name,
            kind,
            cost,
            acquired_on: null,
            cleaning_hours: 2,
            mapping: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      const lines = expectLinedUp(await cli(['sources', 'list']), 3);
      expectCut(lines, LONG_SOURCE);
    });

    it('tokens list', async () => {
      for (const [k, name] of [LONG_TOKEN, 'laptop', '夜间导出'].entries()) {
        await json(['tokens', 'create', '--user', userIds[k] as string, '--name', name]);
      }
      const lines = expectLinedUp(await cli(['tokens', 'list']), 3);
      expectCut(lines, LONG_TOKEN);
      // Each token names its user by email, not by id.
      const users = await tdb.db.kysely.selectFrom('users').select(['id', 'email']).execute();
      for (const id of userIds.slice(0, 3)) {
        const email = users.find((u) => u.id === id)?.email as string;
        expect(lines.some((line) => line.includes(email))).toBe(true);
        expect(lines.some((line) => line.includes(id))).toBe(false);
      }
    });
  });
}
