import { type InEachLocale, type Message, messageOfEnglish, msg, renderMessage } from '../domain/messages.ts';
import { IMPORT_FIELD_KEYS, type TImportFieldKey, ZImportFieldKey } from '../schemas/import-mapping.ts';
import { fieldInEachLocale } from './field-labels.ts';
import { headerCurrency } from './value-parsers.ts';

/*
 * Column headers → account fields, for Chinese vendor exports (企查查/天眼查 style) and English
 * lists. Matching ignores case, full-width forms, spaces and punctuation, and a unit in brackets
 * ("注册资本(万元)" is 注册资本 with amounts in 万). Columns that match nothing are kept as
 * custom fields under their original header.
 */

export type FieldKey = TImportFieldKey;
export const FIELD_KEYS: readonly FieldKey[] = IMPORT_FIELD_KEYS;

export interface MappedColumn {
  /** 0-based position in the row. */
  readonly index: number;
  /** The header exactly as in the file. */
  readonly header: string;
  /** The account field, or null for a custom field stored under `header`. */
  readonly field: FieldKey | null;
  /**
   * For money columns: the multiplier for amounts written without a unit, taken from the
   * header ("年营业额(万元)" → 10000, "Revenue ($M)" → 1000000). Pass it to parseMoney.
   */
  readonly scale?: number;
  /**
   * For money columns: the foreign currency the header names (ISO code: "Revenue ($M)" → USD, "注册资本(万美元)" →
   * USD). Amounts without a currency of their own are in it, so they are not read as yuan (see readMoney).
   */
  readonly currency?: string;
  /** For foundedOn: the header names a year (成立年份, Year Founded), so a bare year is expected. */
  readonly yearOnly?: boolean;
  /** Whether the field came from automatic matching or from a user-supplied mapping. */
  readonly source: 'auto' | 'user';
}

export interface MappingConflict {
  readonly index: number;
  readonly header: string;
  /** The field this column would have taken. */
  readonly field: FieldKey;
  /** The column that has the field. */
  readonly keptIndex: number;
  /** In English (the CLI, logs); `localized` is the same as a catalog message, for a reader's language. */
  readonly message: string;
  readonly localized: Message;
}

export interface ColumnMapping {
  readonly columns: readonly MappedColumn[];
  /** Columns that matched a field already taken by another column; they are kept as custom fields. */
  readonly conflicts: readonly MappingConflict[];
}

const MONEY_FIELDS: ReadonlySet<FieldKey> = new Set(['annualSales', 'netAssets', 'registeredCapital']);

// Strong synonyms win over weak ones whatever the column order; within a strength, the first column wins.
const STRONG: Readonly<Record<FieldKey, readonly string[]>> = {
  name: [
    '企业名称',
    '公司名称',
    '客户名称',
    '单位名称',
    '机构名称',
    '商户名称',
    '企业',
    '公司',
    '客户',
    '名称',
    'company',
    'company name',
    'name',
    'account name',
    'account',
    'organization',
    'organisation',
    'organization name',
    'business name',
    'security',
  ],
  uscc: [
    '统一社会信用代码',
    '社会信用代码',
    '统一信用代码',
    '信用代码',
    '统一代码',
    'uscc',
    'unified social credit code',
    'social credit code',
    'credit code',
  ],
  province: [
    '所属省份',
    '省份',
    '省',
    '所在省份',
    '省市',
    'province',
    'state',
    'region',
    'state province',
    'province state',
  ],
  city: ['所属城市', '城市', '市', '所在城市', '地级市', 'city', 'town'],
  district: ['所属区县', '区县', '区', '县', '所在区县', 'district', 'county'],
  address: [
    '企业地址',
    '地址',
    '注册地址',
    '办公地址',
    '通信地址',
    '通讯地址',
    '联系地址',
    '详细地址',
    '经营地址',
    '公司地址',
    'address',
    'street address',
    'street',
    'address line 1',
    'headquarters',
    'headquarters location',
    'hq',
    'hq location',
  ],
  industry: [
    '所属行业',
    '行业',
    '行业分类',
    '国标行业',
    '行业门类',
    '行业大类',
    '全球行业分类标准部门',
    'industry',
    'sector',
    'gics sector',
    'vertical',
  ],
  employees: [
    '人员规模',
    '员工人数',
    '参保人数',
    '员工数',
    '员工规模',
    '从业人数',
    '职工人数',
    '社保人数',
    '人数',
    'employees',
    'headcount',
    'number of employees',
    'no of employees',
    'employee count',
    'staff',
    'company size',
  ],
  annualSales: [
    '年营业额',
    '营业收入',
    '年营业收入',
    '年度营业收入',
    '年度营收',
    '年度销售额',
    '年销售收入',
    '年销售额',
    '营业额',
    '销售额',
    '年收入',
    '营收',
    '年营收',
    '营业总收入',
    '销售收入',
    'revenue',
    'annual sales',
    'annual revenue',
    'sales',
    'turnover',
  ],
  netAssets: ['净资产', '所有者权益', 'net assets', 'net worth'],
  registeredCapital: ['注册资本', '注册资金', 'registered capital'],
  phone: [
    '电话',
    '联系电话',
    '手机',
    '手机号',
    '手机号码',
    '电话号码',
    '固定电话',
    '座机',
    '联系方式',
    'phone',
    'telephone',
    'tel',
    'phone number',
    'mobile',
    'contact phone',
    'contact phone number',
  ],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址', 'email', 'e-mail', 'email address', 'mail'],
  website: [
    '网址',
    '官网',
    '网站',
    '官方网站',
    '主页',
    '网页',
    'website',
    'url',
    'web',
    'homepage',
    'web site',
    'site',
    'domain',
  ],
  contactName: ['联系人', '联系人姓名', '联系人名称', '负责人', 'contact', 'contact name', 'contact person'],
  foundedOn: [
    '成立日期',
    '成立时间',
    '注册日期',
    '成立年份',
    '创立时间',
    '创建日期',
    'founded',
    'founded on',
    'founded date',
    'date founded',
    'year founded',
    'founded year',
    'established',
    'incorporation date',
  ],
};

// Used only when no column matches the field strongly: 法定代表人 is a contact when there is no 联系人.
const WEAK: Readonly<Partial<Record<FieldKey, readonly string[]>>> = {
  contactName: ['法定代表人', '法人代表', '法人', '姓名', 'legal representative'],
  address: ['location', '所在地', '地区地址'],
  province: ['地区', '所属地区'],
  phone: ['更多电话', '其他电话'],
  email: ['更多邮箱'],
};

const PREFIXES = [
  '所属',
  '所在',
  '企业',
  '公司',
  '客户',
  '单位',
  'company',
  'account',
  'business',
  'organization',
];

interface Synonym {
  readonly field: FieldKey;
  readonly weak: boolean;
}

const SYNONYMS: ReadonlyMap<string, Synonym> = (() => {
  const map = new Map<string, Synonym>();
  for (const field of FIELD_KEYS) {
    for (const text of STRONG[field]) map.set(headerKey(text), { field, weak: false });
  }
  for (const field of FIELD_KEYS) {
    for (const text of WEAK[field] ?? []) {
      const key = headerKey(text);
      if (!map.has(key)) map.set(key, { field, weak: true });
    }
  }
  return map;
})();

function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const BRACKETED = /[([{【〔（]([^)\]}】〕）]*)[)\]}】〕）]/g;
const CN_UNIT_SCALE: ReadonlyArray<readonly [string, number]> = [
  ['万亿元', 1e12],
  ['万亿', 1e12],
  ['千万元', 1e7],
  ['千万', 1e7],
  ['百万元', 1e6],
  ['百万', 1e6],
  ['亿元', 1e8],
  ['亿', 1e8],
  ['万元', 1e4],
  ['万', 1e4],
  ['千元', 1e3],
  ['元', 1],
];
const EN_UNIT_SCALE: ReadonlyArray<readonly [RegExp, number]> = [
  [/\b(?:thousands?|k|000s)\b/, 1e3],
  [/\b(?:millions?|mn|mm|m|mio)\b/, 1e6],
  [/\b(?:billions?|bn|b)\b/, 1e9],
];

function unitScale(text: string): number | undefined {
  const key = headerKey(text);
  for (const [unit, scale] of CN_UNIT_SCALE) if (key === unit || key.endsWith(unit)) return scale;
  const words = text.normalize('NFKC').toLowerCase();
  for (const [pattern, scale] of EN_UNIT_SCALE) if (pattern.test(words)) return scale;
  return undefined;
}

export interface HeaderMatch {
  readonly field: FieldKey;
  readonly weak: boolean;
  readonly scale?: number;
  readonly currency?: string;
  readonly yearOnly?: boolean;
}

/** Normalised form used to compare headers: NFKC, lower case, letters and digits only. */
export function normalizeHeader(header: string): string {
  return headerKey(header);
}

/** The field a single header names, or null when it names none. */
export function matchHeader(header: string): HeaderMatch | null {
  const raw = header.normalize('NFKC').toLowerCase();
  let bracketUnit: number | undefined;
  const base = raw.replace(BRACKETED, (_whole, inner: string) => {
    bracketUnit ??= unitScale(inner);
    return ' ';
  });
  let key = headerKey(base);
  if (key.length === 0) key = headerKey(raw);
  if (key.length === 0) return null;

  let synonym = lookup(key);
  let scale = bracketUnit;
  // A unit glued to the name: 注册资本万元, 年营业额/万元, revenue in millions.
  if (!synonym) {
    for (const [unit, unitValue] of CN_UNIT_SCALE) {
      if (key.length > unit.length && key.endsWith(unit)) {
        synonym = lookup(key.slice(0, -unit.length));
        if (synonym && MONEY_FIELDS.has(synonym.field)) {
          scale ??= unitValue;
          break;
        }
        synonym = undefined;
      }
    }
  }
  if (!synonym) {
    const inUnits = /^(.*?)\s*(?:in|\/)\s*(.+)$/.exec(base.trim());
    if (inUnits?.[1] && inUnits[2]) {
      const candidate = lookup(headerKey(inUnits[1]));
      const candidateScale = unitScale(inUnits[2]);
      if (candidate && MONEY_FIELDS.has(candidate.field) && candidateScale !== undefined) {
        synonym = candidate;
        scale ??= candidateScale;
      }
    }
  }
  if (!synonym) return null;

  const match: { field: FieldKey; weak: boolean; scale?: number; currency?: string; yearOnly?: boolean } = {
    field: synonym.field,
    weak: synonym.weak,
  };
  if (MONEY_FIELDS.has(synonym.field) && scale !== undefined) match.scale = scale;
  const currency = MONEY_FIELDS.has(synonym.field) ? headerCurrency(header) : undefined;
  if (currency !== undefined) match.currency = currency;
  if (synonym.field === 'foundedOn' && /年份|year|founded/.test(raw)) match.yearOnly = true;
  return match;
}

function lookup(key: string): Synonym | undefined {
  const direct = SYNONYMS.get(key);
  if (direct) return direct;
  // English plurals: Cities, Counties, Revenues, Websites.
  if (key.endsWith('ies')) {
    const singular = SYNONYMS.get(`${key.slice(0, -3)}y`);
    if (singular) return singular;
  } else if (key.endsWith('s')) {
    const singular = SYNONYMS.get(key.slice(0, -1));
    if (singular) return singular;
  }
  for (const prefix of PREFIXES) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      const rest = SYNONYMS.get(key.slice(prefix.length));
      if (rest) return rest;
    }
  }
  return undefined;
}

/**
 * Maps every header to an account field or to a custom field (null). When two columns name
 * the same field the first wins (a strong synonym such as 联系人 beats a weak one such as
 * 法定代表人 wherever it is); the later column is kept as a custom field and reported.
 */
export function autoMapHeaders(headers: readonly string[]): ColumnMapping {
  const matches = headers.map((header) => matchHeader(header));
  const owner = new Map<FieldKey, number>();
  // Strong matches claim their fields first, then weak matches take what is left.
  for (const weakPass of [false, true]) {
    matches.forEach((match, index) => {
      if (!match || match.weak !== weakPass || owner.has(match.field)) return;
      owner.set(match.field, index);
    });
  }
  const conflicts: MappingConflict[] = [];
  const columns = headers.map((header, index): MappedColumn => {
    const match = matches[index];
    if (!match) return { index, header, field: null, source: 'auto' };
    const keptIndex = owner.get(match.field);
    if (keptIndex !== index) {
      // A weak synonym losing to a strong one is expected (法定代表人 beside 联系人), not a conflict.
      if (keptIndex !== undefined && !(match.weak && !matches[keptIndex]?.weak)) {
        const localized = msg('import_mapping.conflict_auto', {
          number: index + 1,
          header,
          field: fieldInEachLocale(match.field),
          keptNumber: keptIndex + 1,
          keptHeader: headers[keptIndex] ?? '',
        });
        conflicts.push({
          index,
          header,
          field: match.field,
          keptIndex,
          message: renderMessage(localized, 'en'),
          localized,
        });
      }
      return { index, header, field: null, source: 'auto' };
    }
    const column: { -readonly [K in keyof MappedColumn]: MappedColumn[K] } = {
      index,
      header,
      field: match.field,
      source: 'auto',
    };
    if (match.scale !== undefined) column.scale = match.scale;
    if (match.currency !== undefined) column.currency = match.currency;
    if (match.yearOnly) column.yearOnly = true;
    return column;
  });
  return { columns, conflicts };
}

/** Why a mapping does not fit: `errors` in English (the CLI, logs), `messages` the same as catalog messages. */
export type ApplyMappingResult =
  | { ok: true; mapping: ColumnMapping }
  | { ok: false; errors: string[]; messages: Message[] };

/** Column headers as a list in each language: `"a", "b"` and `“a”、“b”`. */
export const headerListInEachLocale = (headers: readonly string[]): InEachLocale => ({
  en: headers.map((h) => `"${h}"`).join(', '),
  'zh-CN': headers.map((h) => `“${h}”`).join('、'),
});

const mappingFailure = (messages: Message[]): { ok: false; errors: string[]; messages: Message[] } => ({
  ok: false,
  errors: messages.map((message) => renderMessage(message, 'en')),
  messages,
});

/**
 * Applies a user mapping (`{ "企业名称": "name", "备注": null }`, the shape of ZColumnMapping,
 * validated here entry by entry) over an automatic one. A key matches columns by exact header, else by
 * normalised header. Errors: a key that names no column, an unknown field, one field given to
 * several columns. A column the user did not mention keeps its automatic field unless the
 * user gave that field to another column, in which case it becomes a custom field (reported).
 */
export function applyUserMapping(auto: ColumnMapping, userMapping: unknown): ApplyMappingResult {
  if (typeof userMapping !== 'object' || userMapping === null || Array.isArray(userMapping)) {
    return mappingFailure([msg('import_mapping.not_object', { example: '{"企业名称": "name"}' })]);
  }
  // Validate entry by entry so that every problem is reported at once.
  const errors: Message[] = [];
  const user = new Map<string, FieldKey | null>();
  for (const [key, value] of Object.entries(userMapping)) {
    if (key.length === 0) {
      errors.push(msg('import_mapping.empty_column_name'));
      continue;
    }
    const checked = ZImportFieldKey.nullable().safeParse(value);
    if (checked.success) user.set(key, checked.data);
    else
      for (const issue of checked.error.issues) {
        // zod's text is a schema message of the catalog (schema.*), else it stays as it is in both languages.
        const problem = messageOfEnglish(issue.message) ?? { en: issue.message, 'zh-CN': issue.message };
        errors.push(msg('import_mapping.column_problem', { column: key, problem }));
      }
  }
  const chosen = new Map<number, FieldKey | null>();
  const headerList = headerListInEachLocale(auto.columns.map((c) => c.header));

  for (const [key, field] of user) {
    let targets = auto.columns.filter((c) => c.header === key);
    if (targets.length === 0) {
      const normalized = headerKey(key);
      targets = auto.columns.filter((c) => normalized.length > 0 && headerKey(c.header) === normalized);
    }
    if (targets.length === 0) {
      errors.push(msg('import_mapping.unknown_column', { column: key, columns: headerList }));
      continue;
    }
    for (const target of targets) chosen.set(target.index, field);
  }

  const userOwner = new Map<FieldKey, number[]>();
  for (const [index, field] of chosen) {
    if (field === null) continue;
    const list = userOwner.get(field) ?? [];
    list.push(index);
    userOwner.set(field, list);
  }
  for (const [field, indexes] of userOwner) {
    if (indexes.length > 1) {
      const names = headerListInEachLocale(indexes.map((i) => auto.columns[i]?.header ?? String(i)));
      errors.push(msg('import_mapping.field_twice', { field: fieldInEachLocale(field), columns: names }));
    }
  }
  if (errors.length > 0) return mappingFailure(errors);

  const conflicts: MappingConflict[] = auto.conflicts.filter(
    (c) => !chosen.has(c.index) && !userOwner.has(c.field),
  );
  const columns = auto.columns.map((column): MappedColumn => {
    if (chosen.has(column.index)) {
      const field = chosen.get(column.index) ?? null;
      const match = field === null ? null : matchHeader(column.header);
      const mapped: { -readonly [K in keyof MappedColumn]: MappedColumn[K] } = {
        index: column.index,
        header: column.header,
        field,
        source: 'user',
      };
      if (match && match.field === field && match.scale !== undefined) mapped.scale = match.scale;
      else if (field !== null && MONEY_FIELDS.has(field)) {
        const scale = unitScale(column.header);
        if (scale !== undefined) mapped.scale = scale;
      }
      const currency = field !== null && MONEY_FIELDS.has(field) ? headerCurrency(column.header) : undefined;
      if (currency !== undefined) mapped.currency = currency;
      if (field === 'foundedOn' && match?.yearOnly) mapped.yearOnly = true;
      return mapped;
    }
    const taker = column.field === null ? undefined : userOwner.get(column.field)?.[0];
    if (column.field !== null && taker !== undefined) {
      const localized = msg('import_mapping.conflict_user', {
        number: column.index + 1,
        header: column.header,
        field: fieldInEachLocale(column.field),
        keptNumber: taker + 1,
        keptHeader: auto.columns[taker]?.header ?? '',
      });
      conflicts.push({
        index: column.index,
        header: column.header,
        field: column.field,
        keptIndex: taker,
        message: renderMessage(localized, 'en'),
        localized,
      });
      return { index: column.index, header: column.header, field: null, source: 'auto' };
    }
    return column;
  });
  return { ok: true, mapping: { columns, conflicts } };
}

/** The column that fills each field, for the row loop. */
export function columnsByField(mapping: ColumnMapping): Partial<Record<FieldKey, MappedColumn>> {
  const byField: Partial<Record<FieldKey, MappedColumn>> = {};
  for (const column of mapping.columns) if (column.field !== null) byField[column.field] ??= column;
  return byField;
}
