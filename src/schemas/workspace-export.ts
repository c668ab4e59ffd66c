import { z } from 'zod';

// The manifest.json of a `tierline export-all` directory (see services/workspace-transfer.ts).

export const WORKSPACE_EXPORT_FORMAT = 'tierline-workspace-export';
export const WORKSPACE_EXPORT_VERSION = 1;

export const ZExportColumn = z.object({
  name: z.string().min(1),
  kind: z.enum(['text', 'integer', 'real', 'boolean', 'blob']),
});

export const ZExportTable = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'expected a table name'),
  file: z.string().regex(/^[a-z_][a-z0-9_]*\.jsonl$/, 'expected <table>.jsonl'),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a hex SHA-256'),
  columns: z.array(ZExportColumn).min(1),
});

export const ZExportManifest = z
  .object({
    format: z.literal(WORKSPACE_EXPORT_FORMAT),
    formatVersion: z.number().int().min(1),
    createdAt: z.string(),
    source: z.object({ dialect: z.enum(['sqlite', 'postgres']) }),
    migrations: z.array(z.string()),
    tables: z.array(ZExportTable),
  })
  .meta({ id: 'WorkspaceExportManifest' });
export type TExportManifest = z.infer<typeof ZExportManifest>;
export type TExportTable = z.infer<typeof ZExportTable>;
