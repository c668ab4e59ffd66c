import { z } from 'zod';

/** Account fields an imported column can fill; any other column becomes a custom field. */
export const IMPORT_FIELD_KEYS = [
  'name',
  'uscc',
  'province',
  'city',
  'district',
  'address',
  'industry',
  'employees',
  'annualSales',
  'netAssets',
  'registeredCapital',
  'phone',
  'email',
  'website',
  'contactName',
  'foundedOn',
] as const;

export const ZImportFieldKey = z.enum(IMPORT_FIELD_KEYS, {
  error: (issue) =>
    `unknown field ${JSON.stringify(issue.input)}; use one of ${IMPORT_FIELD_KEYS.join(', ')}, or null to keep the column as a custom field`,
});
export type TImportFieldKey = z.infer<typeof ZImportFieldKey>;

/**
 * A user-supplied column mapping (`--mapping file.json`, the web wizard), keyed by the column
 * header as it appears in the file: `{ "企业名称": "name", "备注": null }`. A field maps the
 * column to that account field; null keeps it as a custom field. Headers not mentioned keep
 * their automatic mapping.
 */
export const ZColumnMapping = z
  .record(z.string().min(1, 'a header in the mapping is empty'), ZImportFieldKey.nullable())
  .meta({ id: 'ImportColumnMapping' });
export type TColumnMapping = z.infer<typeof ZColumnMapping>;
