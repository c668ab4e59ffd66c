import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeUscc, validateUscc } from '../../src/domain/registration/uscc.ts';
import { resolveMapping } from '../../src/import/import-file.ts';
import { buildRowPlan, prepareBatch } from '../../src/import/prepare-rows.ts';
import { openDelimited } from '../../src/import/read-delimited.ts';
import { reasonIn, reasonInChinese } from '../../src/import/reason-zh.ts';
import { isErrorRow } from '../../src/import/tabular-rows.ts';
import {
  parseDate,
  parseEmail,
  parseEmployees,
  parseMoney,
  parsePhone,
  parseWebsite,
  readMoney,
} from '../../src/import/value-parsers.ts';

// Every reason the import writes is made here by the code that writes it, so a reason reworded there without its
// translation fails this test instead of reaching a Chinese reader in English.

/** English left over in a translation: two words of three letters or more in a row (values are quoted apart). */
function untranslated(zh: string): string | null {
  const outsideQuotes = zh.replace(/"(?:[^"\\]|\\.)*"|“[^”]*”/g, '""');
  return /[A-Za-z]{3,}[ ,;:]+[A-Za-z]{3,}/.exec(outsideQuotes)?.[0] ?? null;
}

function expectTranslated(reason: string): void {
  const zh = reasonInChinese(reason);
  expect(zh, reason).not.toBe(reason);
  expect(untranslated(zh), `${reason} → ${zh}`).toBeNull();
  expect(/[\u4e00-\u9fff]/.test(zh), zh).toBe(true);
  // A value the English quotes ("2013 (1888)") is in Chinese quotation marks (“2013 (1888)”), not straight ones.
  for (const quoted of reason.match(/"(?:[^"\\]|\\.)+"/g) ?? []) expect(zh, reason).not.toContain(quoted);
}

const failures = (results: { ok: boolean; reason?: string }[]) =>
  results.map((r) => {
    if (r.ok || !r.reason) throw new Error('expected a failure');
    return r.reason;
  });

describe('import reasons in Chinese', () => {
  it('translates every reason the value parsers give', () => {
    const long = 'x'.repeat(300);
    const reasons = failures([
      parseMoney(long),
      parseMoney('100-200万'),
      parseMoney('abc'),
      parseMoney('1.2.3万'),
      parseMoney('5镑'),
      parseMoney('9'.repeat(40)),
      parseEmployees(long),
      parseEmployees('1.5-3人'),
      parseEmployees('500-100人'),
      parseEmployees('很多'),
      parseDate(long),
      parseDate('2020-02-30'),
      parseDate('03/04/2020'),
      parseDate('1998'),
      parseDate('2020-05'),
      parseDate('20-05-01'),
      parseDate('someday'),
      parsePhone(long),
      parsePhone('1.38001E+10'),
      parsePhone('call me'),
      parsePhone('123'),
      parseEmail('x'.repeat(330)),
      parseEmail('a@@b'),
      parseWebsite(long.repeat(8)),
      parseWebsite('info@example.com'),
      parseWebsite('192.168.1.1'),
      parseWebsite('!!!'),
      parseWebsite(
        `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.cn`,
      ),
    ]);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expectTranslated(reason);
    expect(
      reasonInChinese(parseDate('someday').ok ? '' : (parseDate('someday') as { reason: string }).reason),
    ).toBe('应为日期，如 2020-01-05、2020年1月5日 或 20200105（读到的是“someday”）');
  });

  it('translates the USCC check and the row rejections and warnings of prepare-rows', () => {
    const valid = makeUscc(7);
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    for (const code of ['123', `${valid.slice(0, 5)}O${valid.slice(6)}`, wrongCheck]) {
      const result = validateUscc(code);
      if (result.ok) throw new Error(`expected ${code} to fail`);
      expectTranslated(`unified social credit code: ${result.reason}`);
    }
    const header = ['企业名称', '统一社会信用代码', '年营业额', '备注'];
    const resolved = resolveMapping(header, null);
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const batch = prepareBatch(
      [
        { line: 2, fields: ['', '', '', ''] },
        { line: 3, fields: ['名\ufffd称', '', '', ''] },
        { line: 4, fields: ['甲'.repeat(400), '', '', ''] },
        { line: 5, fields: ['——', '', '', ''] },
        { line: 6, fields: ['乙公司', wrongCheck, '', ''] },
        { line: 7, fields: ['丙公司', '', '-5万', 'x\ufffdy'] },
        { line: 8, fields: ['丁公司', '', '', 'z'.repeat(5000)] },
        { line: 9, fields: ['戊公司', '', 'abc', ''], error: 'row has 3 fields, header has 4' },
      ],
      buildRowPlan(resolved.mapping.columns),
    );
    const reasons = batch.issues.map((i) => i.reason);
    expect(reasons.length).toBeGreaterThanOrEqual(8);
    for (const reason of reasons) expectTranslated(reason);
    expect(reasonInChinese('the company name is empty; every row needs one')).toBe(
      '企业名称为空；每一行都必须有企业名称',
    );
  });

  it('translates the rows the reader could not split, with the lines a record spans', async () => {
    const csv = '企业名称,城市\n甲公司,苏州\n乙公司,苏州,多余\n"丙公司\n第二行",苏州,多\n丁公司,"苏州\n';
    const file = await openDelimited(Readable.from([Buffer.from(csv)]));
    const errors: string[] = [];
    for await (const batch of file.batches())
      for (const row of batch) if (isErrorRow(row)) errors.push(row.error);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.some((e) => e.includes('spans lines'))).toBe(true);
    for (const reason of errors) expectTranslated(reason);
    expect(reasonInChinese('row has 3 fields, header has 2 (the record spans lines 4-5)')).toBe(
      '此行有 3 个字段，表头有 2 个（这条记录跨越第 4–5 行）',
    );
  });

  it('translates the reasons of amounts in another currency, ranges, kept text and conflicts', () => {
    const reasons = failures([
      parseMoney('50万美元'),
      parseMoney('2亿15000万'),
      readMoney('100万以下'),
      readMoney('1,200', { currency: 'USD' }),
    ]);
    // The USCC check's reasons stand alone now that the column names the code.
    const valid = makeUscc(8);
    const check = validateUscc(valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'));
    if (check.ok) throw new Error('expected a failure');
    reasons.push(check.reason);
    const header = ['企业名称', '年营业额', '成立日期', '电话', '备注'];
    const resolved = resolveMapping(header, null);
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const batch = prepareBatch(
      [
        { line: 2, fields: ['甲公司', '3500万美元', '2013 (1888)', '', ''] },
        { line: 3, fields: ['乙公司', '50-100万', '', '', ''] },
        { line: 4, fields: ['丙公司\n丁公司', '', '', '', ''] },
      ],
      buildRowPlan(resolved.mapping.columns),
    );
    reasons.push(...batch.issues.map((i) => i.reason));
    expect(batch.issues).toHaveLength(4);
    const rejects = resolveMapping([...header, 'line', 'reason', 'original'], null, { ignored: [5, 6, 7] });
    if (!rejects.ok) throw new Error(rejects.errors.join('; '));
    const again = prepareBatch(
      [{ line: 2, fields: ['', '', '', '', '', '5', 'x', '甲公司,3500万'] }],
      buildRowPlan(rejects.mapping.columns, { ignore: new Set([5, 6, 7]), original: 7 }),
    );
    reasons.push(...again.issues.map((i) => i.reason));
    reasons.push(
      `differs from the account's value "30000000", which was kept (import with newer source wins to take the file's values)`,
    );
    for (const reason of reasons) expectTranslated(reason);
    expect(reasonInChinese(batch.issues.find((i) => i.column === '年营业额')?.reason ?? '')).toBe(
      '“3500万美元”是美元（USD），不是人民币；金额一律按人民币记录，不做换算；已留空，原文保存在自定义字段“年营业额”中',
    );
    expect(reasonInChinese(check.reason)).toMatch(/^校验码不符：应为 .，实际为 .$/);
  });

  it('gives an unknown reason back unchanged, and English readers the English text', () => {
    expect(reasonInChinese('something new')).toBe('something new');
    const reason = 'the company name has no letters or digits';
    expect(reasonIn('en', reason)).toBe(reason);
    expect(reasonIn('zh-CN', reason)).toBe('企业名称中没有任何文字或数字');
  });
});
