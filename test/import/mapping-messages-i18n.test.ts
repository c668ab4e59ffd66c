import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/messages.ts';
import { applyUserMapping, autoMapHeaders } from '../../src/import/header-mapping.ts';
import { resolveMapping } from '../../src/import/import-file.ts';
import { IMPORT_FIELD_KEYS } from '../../src/schemas/import-mapping.ts';
import { type SummaryCounts, summaryMessage } from '../../src/services/import-prospects.ts';

// What is wrong with a mapping, and a finished import's summary, are catalog messages: English byte-identical
// to the text written before (the CLI, scripts, stored jobs), Chinese for a Chinese reader.

describe('mapping problems in each language', () => {
  const header = ['企业名称', '公司名称', '客户经理', '联系电话', '备注'];
  const auto = autoMapHeaders(header);

  it('words a conflict of the automatic mapping as before, and in Chinese', () => {
    expect(auto.conflicts).toHaveLength(1);
    const [conflict] = auto.conflicts;
    if (!conflict) return;
    // The English as the code wrote it before the catalog.
    expect(conflict.message).toBe(
      `column 2 "公司名称" also looks like name, which column 1 "企业名称" already fills; it is kept as a custom field`,
    );
    expect(renderMessage(conflict.localized, 'zh-CN')).toBe(
      '第 2 列“公司名称”看起来也是企业名称，但第 1 列“企业名称”已经映射到这个字段；这一列保留为自定义字段',
    );
  });

  it('words a conflict made by the user mapping as before, and in Chinese', () => {
    const result = applyUserMapping(autoMapHeaders(['企业名称', '电话', '备注']), { 备注: 'phone' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [conflict] = result.mapping.conflicts;
    expect(conflict?.message).toBe(
      'column 2 "电话" is kept as a custom field because the mapping gives phone to column 3 "备注"',
    );
    expect(conflict && renderMessage(conflict.localized, 'zh-CN')).toBe(
      '第 2 列“电话”保留为自定义字段，因为列映射把电话给了第 3 列“备注”',
    );
  });

  it('words every mapping error as before, and in Chinese', () => {
    const result = applyUserMapping(auto, {
      '': 'city',
      不存在: 'name',
      备注: 'bogus',
      企业名称: 'city',
      客户经理: 'city',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const columns = '"企业名称", "公司名称", "客户经理", "联系电话", "备注"';
    expect(result.errors).toEqual([
      'the mapping has an empty column name',
      `column "备注": unknown field "bogus"; use one of ${IMPORT_FIELD_KEYS.join(', ')}, or null to keep the column as a custom field`,
      `the mapping names column "不存在", which is not in the file (columns: ${columns})`,
      'field city is given to several columns ("企业名称", "客户经理"); map all but one of them to null',
    ]);
    expect(result.messages.map((m) => renderMessage(m, 'en'))).toEqual(result.errors);
    expect(result.messages.map((m) => renderMessage(m, 'zh-CN'))).toEqual([
      '列映射中有空的列名',
      `列“备注”：未知字段 "bogus"；请使用 ${IMPORT_FIELD_KEYS.join(', ')} 之一，或用 null 把这一列保留为自定义字段`,
      '列映射中的列“不存在”不在文件中（文件中的列：“企业名称”、“公司名称”、“客户经理”、“联系电话”、“备注”）',
      '字段城市被映射到了多列（“企业名称”、“客户经理”）；请只让其中一列对应这个字段，其余保留为自定义字段',
    ]);
  });

  it('refuses a mapping that is no object in both languages', () => {
    const result = applyUserMapping(auto, ['企业名称']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'the mapping must be a JSON object keyed by column header, e.g. {"企业名称": "name"}',
    ]);
    expect(result.messages.map((m) => renderMessage(m, 'zh-CN'))).toEqual([
      '列映射必须是以列标题为键的 JSON 对象，例如 {"企业名称": "name"}',
    ]);
  });

  it('carries the messages through resolveMapping', () => {
    const resolved = resolveMapping(header, null);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.mapping.conflictMessages.map((m) => renderMessage(m, 'en'))).toEqual(
      resolved.mapping.conflicts,
    );
    const failed = resolveMapping(header, { 不存在: 'name' });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.messages.map((m) => renderMessage(m, 'en'))).toEqual(failed.errors);
  });
});

/** The English summary, spelled out here to compare: singular for a count of 1, plural otherwise. */
function summaryEnglish(result: SummaryCounts): string {
  const n = (count: number, one: string, other = `${one}s`) => `${count} ${count === 1 ? one : other}`;
  if (result.dryRun) {
    return `Dry run: ${n(result.rows, 'row')} would give ${n(result.created, 'new account')} and ${n(result.merged, 'merge')}; ${result.rejected} rejected, ${n(result.warnings, 'warning')}. Nothing was changed.`;
  }
  if (result.merged > 0 && result.created === 0 && result.unchanged === result.merged) {
    const before = result.previousImport
      ? ` This file was imported before (job ${result.previousImport.jobId}${result.previousImport.finishedAt ? `, ${result.previousImport.finishedAt.slice(0, 10)}` : ''}).`
      : '';
    const rejected =
      result.rejected === 0
        ? ''
        : result.rejected === 1
          ? ' 1 row was rejected again.'
          : ` ${result.rejected} rows were rejected again.`;
    const matched =
      result.merged === 1
        ? 'the 1 valid row matched an account that already exists'
        : `all ${result.merged} valid rows matched accounts that already exist`;
    return `Nothing new: ${matched} and added nothing; no account was created.${before}${rejected}`;
  }
  const parts = [
    `${n(result.created, 'account')} created`,
    `${n(result.merged, 'row')} merged into accounts that exist or came earlier in the file${result.unchanged > 0 ? ` (${result.unchanged} added nothing new)` : ''}`,
    `${result.rejected} rejected`,
    n(result.warnings, 'warning'),
  ];
  return `${parts.join(', ')}.`;
}

describe("a finished import's summary", () => {
  it('is in English, singular for a count of 1 and plural otherwise, whatever the counts', () => {
    const previous = [
      null,
      { jobId: 'job-1', finishedAt: null },
      { jobId: 'job-1', finishedAt: '2026-11-20T08:00:00.000Z' },
    ];
    let checked = 0;
    for (const dryRun of [false, true])
      for (const created of [0, 1, 2])
        for (const merged of [0, 1, 3])
          for (const unchanged of [0, 1, 3])
            for (const rejected of [0, 1, 2])
              for (const warnings of [0, 1, 2])
                for (const previousImport of previous) {
                  const counts = {
                    rows: 12_345,
                    created,
                    merged,
                    unchanged,
                    rejected,
                    warnings,
                    dryRun,
                    previousImport,
                  };
                  expect(renderMessage(summaryMessage(counts), 'en')).toBe(summaryEnglish(counts));
                  checked++;
                }
    expect(checked).toBe(2 * 3 ** 6);
    // Counts of 1 read in the singular.
    const one = { rows: 1, created: 1, merged: 1, unchanged: 1, rejected: 1, warnings: 1 };
    expect(renderMessage(summaryMessage({ ...one, dryRun: true }), 'en')).toBe(
      'Dry run: 1 row would give 1 new account and 1 merge; 1 rejected, 1 warning. Nothing was changed.',
    );
    expect(renderMessage(summaryMessage({ ...one, created: 0, dryRun: false }), 'en')).toBe(
      'Nothing new: the 1 valid row matched an account that already exists and added nothing; no account was created. 1 row was rejected again.',
    );
  });

  it('reads naturally in Chinese', () => {
    const base = { rows: 10, created: 7, merged: 2, unchanged: 1, rejected: 1, warnings: 3, dryRun: false };
    const zh = (counts: SummaryCounts) => renderMessage(summaryMessage(counts), 'zh-CN');
    expect(zh(base)).toBe(
      '新建 7 家客户，2 行合并到已有的客户或文件中前面出现过的同一客户（其中 1 行没有带来新信息），1 行被拒绝，3 条警告。',
    );
    expect(zh({ ...base, dryRun: true })).toBe(
      '试运行：10 行将新建 7 家客户、合并 2 行；1 行被拒绝，3 条警告。没有做任何修改。',
    );
    expect(
      zh({
        ...base,
        created: 0,
        merged: 9,
        unchanged: 9,
        previousImport: { jobId: 'job-1', finishedAt: '2026-11-20T08:00:00.000Z' },
      }),
    ).toBe(
      '没有新内容：9 行有效数据都对应已有的客户，没有带来任何新信息；没有新建客户。这个文件以前导入过（任务 job-1，2026-11-20）。又有 1 行被拒绝。',
    );
  });
});
