// The import wizard's mapping step: the preview grid shows the first 8 rows of the up to 20 the server read, and
// its counts were over all 20 beside a heading "前 8 行" (10 rejected beside 8 rows shown); the columns summary
// said "1 kept as custom fields" in English.
import type { TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TImportPreview } from '../../web/src/api/imports.ts';
import { PREVIEW_GRID_ROWS, previewRowCounts } from '../../web/src/features/import/wizard.ts';
import { catalogTranslators } from '../helpers/catalogs.ts';

type Row = TImportPreview['rows'][number];
const row = (line: number, status: Row['status']): Row => ({
  line,
  cells: [],
  status,
  values: {},
  issues: [],
});

let tEn: TFunction;
let tZh: TFunction;
beforeAll(async () => {
  ({ tEn, tZh } = await catalogTranslators());
});

describe("the import preview's rows and counts", () => {
  // 20 rows read: the 10th, 12th … rejected, the 3rd with a warning; the grid shows the first 8.
  const read = Array.from({ length: 20 }, (_, i) =>
    row(i + 2, i >= 9 && i % 2 === 1 ? 'rejected' : i === 2 ? 'warning' : 'ok'),
  );

  it('counts every row read, and says how many were read apart from how many are shown', () => {
    const counts = previewRowCounts(read);
    expect(counts.shown).toBe(PREVIEW_GRID_ROWS);
    expect(counts.read).toBe(read.length);
    expect(counts.ok + counts.warning + counts.rejected).toBe(read.length);
    expect(counts.rejected).toBe(read.filter((r) => r.status === 'rejected').length);
    // Rejected rows beyond the grid are counted too: the counts are not the grid's.
    const rejectedShown = read.slice(0, counts.shown).filter((r) => r.status === 'rejected').length;
    expect(counts.rejected).toBeGreaterThan(rejectedShown);
    const few = previewRowCounts(read.slice(0, 5));
    expect([few.shown, few.read]).toEqual([5, 5]);
  });

  it('names the rows the counts are over, in both languages, when the grid shows fewer', () => {
    const counts = previewRowCounts(read);
    const values = { count: counts.read, ok: counts.ok, warning: counts.warning, rejected: counts.rejected };
    expect(tZh('import.mapping.rowsHeading', { count: counts.shown })).toBe(`前 ${counts.shown} 行`);
    expect(tZh('import.mapping.rowCountsRead', values)).toBe(
      `文件前 ${counts.read} 行中：${counts.ok} 行可导入 · ${counts.warning} 行有警告 · ${counts.rejected} 行被拒绝`,
    );
    expect(tEn('import.mapping.rowCountsRead', values)).toBe(
      `Of the first ${counts.read} rows of the file: ${counts.ok} ready · ${counts.warning} with warnings · ${counts.rejected} rejected`,
    );
  });

  it('writes the columns summary with the plural each count takes', () => {
    const summary = (t: TFunction, mapped: number, custom: number) =>
      t('import.mapping.summary', {
        mapped: t('import.mapping.mappedCount', { count: mapped }),
        custom: t('import.mapping.customCount', { count: custom }),
      });
    expect(summary(tEn, 8, 1)).toBe('8 mapped · 1 kept as a custom field');
    expect(summary(tEn, 1, 2)).toBe('1 mapped · 2 kept as custom fields');
    expect(summary(tZh, 8, 1)).toBe('8 列已对应 · 1 列保留为自定义字段');
  });
});
