import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { renderMessage } from '../../src/domain/messages.ts';
import { renderStoredMessage } from '../../src/domain/stored-message.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { importFile } from '../../src/services/import-prospects.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';

/*
 * A mapping that names a column the file lacks fails the job (the pipeline's own check); the failure is stored so
 * that a Chinese reader gets the reasons in Chinese too, not Chinese around English reasons.
 */
for (const dialect of DIALECTS) {
  describe(`a column mapping that does not fit, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      tdb = await dialect.open();
      dir = mkdtempSync(join(tmpdir(), 'tierline-misfit-'));
      writeFileSync(join(dir, 'list.csv'), '企业名称,城市\n甲公司,上海\n');
    });
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('fails the job with its reasons in both languages', async () => {
      const ctx = makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW);
      const error = await importFile(ctx, join(dir, 'list.csv'), {
        source: { name: 'misfit' },
        mapping: { 电话号码: 'phone' },
      }).catch((e: unknown) => e);
      expect(isAppError(error) && error.message).toBe(
        'The column mapping does not fit this file: the mapping names column "电话号码", which is not in the file (columns: "企业名称", "城市")',
      );
      expect(isAppError(error) && error.localized && renderMessage(error.localized, 'zh-CN')).toBe(
        '列映射与这个文件不符：列映射中的列“电话号码”不在文件中（文件中的列：“企业名称”、“城市”）',
      );
      const job = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select(['status', 'error'])
        .executeTakeFirstOrThrow();
      expect(job.status).toBe('failed');
      expect(renderStoredMessage(job.error ?? '', 'zh-CN')).toContain('不在文件中');
      expect(await tdb.db.kysely.selectFrom('accounts').select('id').execute()).toEqual([]);
    });
  });
}
