import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { alignColumns, formatTable, oneLine } from '../../src/cli/output.ts';

// A note typed over several lines (the web app's log form allows it), a tab or a zero-width character pasted
// from a web page must not break a table row in two or push its columns out of line.

describe('table cells on one line', () => {
  it('shows line breaks and tabs as one space and drops invisible characters', () => {
    expect(oneLine('约了当面演示\n下周二\r\n带样品')).toBe('约了当面演示 下周二 带样品');
    expect(oneLine('a\tb')).toBe('a b');
    expect(oneLine('华信\u200b科技\ufeff')).toBe('华信科技');
    expect(oneLine('plain text 普通')).toBe('plain text 普通');
  });

  it('keeps every row of an aligned list and a table on one line, in its columns', () => {
    const rows = [
      ['!3d', 'A', '苏州华信\u200b科技有限公司', 'last 2026-11-03 reached: 约了演示\n下周二'],
      ['', 'B', 'Acme\tTrading', 'last 2026-11-04 no_answer'],
    ];
    const lines = alignColumns(rows);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/[\n\r\t\u200b]/);
    const lastColumn = (line: string) => stringWidth(line.slice(0, line.indexOf('last')));
    expect(lastColumn(lines[0] as string)).toBe(lastColumn(lines[1] as string));

    const table = formatTable(
      ['name', 'note'],
      [
        ['华信\n科技', 'x'],
        ['Acme', 'y'],
      ],
    );
    expect(table).toHaveLength(3);
    expect(table[1]).toBe('华信 科技  x');
    expect(table[2]).toBe('Acme       y');
  });
});
