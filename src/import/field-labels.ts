import type { InEachLocale } from '../domain/messages.ts';
import type { TImportFieldKey } from '../schemas/import-mapping.ts';

/** The Chinese label of each import field, as the web app's wizard names it (web/src/i18n: import.fields). */
const ZH_LABELS: Readonly<Record<TImportFieldKey, string>> = {
  name: '企业名称',
  uscc: '统一社会信用代码',
  province: '省份',
  city: '城市',
  district: '区县',
  address: '地址',
  industry: '行业',
  employees: '员工人数',
  annualSales: '年销售额',
  netAssets: '净资产',
  registeredCapital: '注册资本',
  phone: '电话',
  email: '邮箱',
  website: '网址',
  contactName: '联系人',
  foundedOn: '成立日期',
};

/**
 * A field as a message parameter: its key in English (what a mapping names, unchanged: the CLI and scripts read
 * English), its label in Chinese ("年销售额"), as the web wizard, where Chinese is read, names it: the wizard's
 * reader never sees a field's key.
 */
export const fieldInEachLocale = (field: TImportFieldKey): InEachLocale => ({
  en: field,
  'zh-CN': ZH_LABELS[field],
});
