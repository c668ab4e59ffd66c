import { isSharedHost, normalizeCity, normalizeCompanyName } from '../domain/dedupe/normalize-name.ts';
import { validateUscc } from '../domain/registration/uscc.ts';
import type { FieldKey, MappedColumn } from './header-mapping.ts';
import { hashKey } from './key-table.ts';
import { isErrorRow, type ReadRow } from './tabular-rows.ts';
import {
  holdsSeveralEmails,
  holdsSeveralPhones,
  isEmptyish,
  parseDate,
  parseEmail,
  parseEmployees,
  parsePhone,
  parseWebsite,
  readMoney,
  showValue,
  toHalfWidth,
} from './value-parsers.ts';

/*
 * One imported row → a clean account candidate, or a rejection. Pure: runs in the parse worker
 * and in tests. Rules (issue 3, items 3 and 4):
 * - a row the reader could not split (wrong field count, broken quotes) is rejected with the reader's reason;
 * - no company name → rejected; a USCC present whose check character fails → rejected with that reason; a
 *   company name over several lines → rejected (almost always a quote left open, which joins rows into one field);
 * - in a rejected-rows file, a row whose columns are empty and whose `original` column holds the text of a row that
 *   could not be split is rejected again, so that re-importing such a file unfixed creates nothing;
 * - bytes the decoder could not read (U+FFFD: a damaged file, or one that mixes encodings): in the company name
 *   the row is rejected (a garbled name would become a wrong account), in any other column a warning;
 * - an optional value that cannot be read (money, head count, phone, e-mail, website, date) is left empty
 *   with a warning: it never rejects the account;
 * - money in another currency (50万美元, or any amount in a column whose header names one) is left empty with a
 *   warning naming the currency, its text kept as a custom field under the column's header (never converted); a
 *   range or a lower bound (50-100万, 500万以上) is stored as its lower bound with a warning saying so;
 * - a phone or e-mail cell with several numbers or addresses fills the field with the first and is kept whole as
 *   a custom field under the column's header;
 * - unmapped columns become custom fields under their header, as written (trimmed; never parsed or dropped);
 *   成立日期 (foundedOn) is kept as a custom field: a date normalised to YYYY-MM-DD, a bare year as the year,
 *   anything else as written with a warning; 联系人 (contactName) becomes a contact.
 * Every rejection and warning carries the line, the column header, the value and the reason.
 */

/** How the columns of one file are read: built once from the mapping, shared by every row. */
export interface FieldSpec {
  index: number;
  header: string;
  scale?: number;
  /** A money column's foreign currency (ISO code), from its header. */
  currency?: string;
  yearOnly?: boolean;
  /**
   * The custom-field key under which text the field cannot hold is kept (an amount in another currency, a second
   * phone number, a founding date that is no date): the header, unless a custom column has that key.
   */
  textKey: string;
}

export interface RowPlan {
  /** Column index per account field (absent: the file has no such column). */
  readonly fields: Partial<Record<FieldKey, FieldSpec>>;
  /** Columns kept as custom fields: index and the key they are stored under. */
  readonly custom: readonly { index: number; key: string }[];
  /** Excel serials in this file count from 1904. */
  readonly date1904: boolean;
  /** A rejected-rows file's `original` column (the text of a row that could not be split), when it has one. */
  readonly original?: number;
}

/** Builds the plan from a mapping. Columns in `ignore` (e.g. line/reason of a rejected-rows file) are skipped. */
export function buildRowPlan(
  columns: readonly MappedColumn[],
  options: { date1904?: boolean; ignore?: ReadonlySet<number>; original?: number | undefined } = {},
): RowPlan {
  const fields: { -readonly [K in FieldKey]?: FieldSpec } = {};
  const custom: { index: number; key: string }[] = [];
  const usedKeys = new Set<string>();
  for (const column of columns) {
    if (options.ignore?.has(column.index)) continue;
    if (column.field !== null && fields[column.field] === undefined) {
      fields[column.field] = {
        index: column.index,
        header: column.header,
        ...(column.scale !== undefined ? { scale: column.scale } : {}),
        ...(column.currency !== undefined ? { currency: column.currency } : {}),
        ...(column.yearOnly ? { yearOnly: true } : {}),
        textKey: '',
      };
      continue;
    }
    let key = column.header.trim().slice(0, 120) || `column ${column.index + 1}`;
    if (usedKeys.has(key)) key = `${key} (${column.index + 1})`;
    usedKeys.add(key);
    custom.push({ index: column.index, key });
  }
  for (const [field, spec] of Object.entries(fields) as [FieldKey, FieldSpec][]) {
    const key = spec.header.trim().slice(0, 120) || field;
    spec.textKey = usedKeys.has(key) ? `${key} (${spec.index + 1})` : key;
  }
  return {
    fields,
    custom,
    date1904: options.date1904 ?? false,
    ...(options.original !== undefined ? { original: options.original } : {}),
  };
}

/**
 * An accepted row as staged for the merge (a positional tuple; batches cross threads packed, see PackedRows).
 * Money in whole yuan; custom fields as a JSON object text or null.
 */
export type StagedRow = [
  line: number,
  name: string,
  normalizedName: string,
  uscc: string | null,
  websiteDomain: string | null,
  province: string | null,
  city: string | null,
  district: string | null,
  address: string | null,
  industry: string | null,
  annualSales: number | null,
  employeesMin: number | null,
  employeesMax: number | null,
  netAssets: number | null,
  registeredCapital: number | null,
  phone: string | null,
  email: string | null,
  contactName: string | null,
  customFields: string | null,
];

/** Positions in StagedRow. */
export const S = {
  line: 0,
  name: 1,
  normalizedName: 2,
  uscc: 3,
  websiteDomain: 4,
  province: 5,
  city: 6,
  district: 7,
  address: 8,
  industry: 9,
  annualSales: 10,
  employeesMin: 11,
  employeesMax: 12,
  netAssets: 13,
  registeredCapital: 14,
  phone: 15,
  email: 16,
  contactName: 17,
  customFields: 18,
} as const;

export interface RowIssue {
  line: number;
  /** The column header, or null for a problem with the whole row. */
  column: string | null;
  value: string | null;
  reason: string;
  severity: 'error' | 'warning';
  /** The row's raw fields, on the first error of a rejected row (for the rejected-rows file). */
  raw?: string[];
}

/** Key hashes per staged row: uscc, domain, name+city, each as (hi, lo); (0, 0) when the row has no such key. */
export const KEYS_PER_ROW = 6;

/**
 * Staged rows packed for the hand-off from the parse worker to the writer: the text values of every row in one
 * string and the numbers in a typed array, so that a batch crosses threads as one string copy and two
 * transferred buffers instead of thousands of small arrays and strings to clone (and to collect twice). The
 * writer reads each row straight into its insert (readStagedRow); unpackStagedRows rebuilds the tuples.
 */
export interface PackedRows {
  /** Rows packed. */
  count: number;
  /** The text values (TEXT_FIELDS) of every row, one after the other. */
  text: string;
  /**
   * TEXT_FIELDS.length entries per row: where each value ends in `text`; a null value stores the bitwise NOT
   * (~) of the position instead (negative), so each value starts where the one before it ended.
   */
  ends: Int32Array;
  /** NUMBER_FIELDS.length entries per row; NaN for null. */
  numbers: Float64Array;
}

/** StagedRow positions of the text values, in the order they are packed. */
export const TEXT_FIELDS = [
  S.name,
  S.normalizedName,
  S.uscc,
  S.websiteDomain,
  S.province,
  S.city,
  S.district,
  S.address,
  S.industry,
  S.phone,
  S.email,
  S.contactName,
  S.customFields,
] as const;
/** StagedRow positions of the numbers (the line and the amounts), in the order they are packed. */
export const NUMBER_FIELDS = [
  S.line,
  S.annualSales,
  S.employeesMin,
  S.employeesMax,
  S.netAssets,
  S.registeredCapital,
] as const;
const TEXTS = TEXT_FIELDS.length;
const NUMBERS = NUMBER_FIELDS.length;
/** Offsets of S positions in the packed arrays: text index for text fields, else -(number index) - 1. */
const PACKED_AT: readonly number[] = (() => {
  const at = new Array<number>(19).fill(0);
  TEXT_FIELDS.forEach((s, i) => {
    at[s] = i;
  });
  NUMBER_FIELDS.forEach((s, i) => {
    at[s] = -i - 1;
  });
  return at;
})();

/** Packs rows one by one (prepareBatch, and anything that stages rows). */
export class RowPacker {
  private readonly parts: string[] = [];
  private position = 0;
  private readonly ends: Int32Array;
  private readonly numbers: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.ends = new Int32Array(capacity * TEXTS);
    this.numbers = new Float64Array(capacity * NUMBERS);
  }

  /** Adds one row; at most `capacity` rows. */
  push(row: StagedRow): void {
    const t = this.count * TEXTS;
    for (let i = 0; i < TEXTS; i++) {
      const value = row[TEXT_FIELDS[i] as number] as string | null;
      if (value === null) this.ends[t + i] = ~this.position;
      else {
        this.parts.push(value);
        this.position += value.length;
        this.ends[t + i] = this.position;
      }
    }
    const n = this.count * NUMBERS;
    for (let i = 0; i < NUMBERS; i++) {
      const value = row[NUMBER_FIELDS[i] as number] as number | null;
      this.numbers[n + i] = value === null ? Number.NaN : value;
    }
    this.count++;
  }

  finish(): PackedRows {
    return { count: this.count, text: this.parts.join(''), ends: this.ends, numbers: this.numbers };
  }
}

/** The buffers of a packed batch, to transfer (not copy) with postMessage. */
export function packedTransferList(rows: PackedRows): ArrayBuffer[] {
  return [rows.ends.buffer as ArrayBuffer, rows.numbers.buffer as ArrayBuffer];
}

/** Row `r`'s line. */
export function packedLine(rows: PackedRows, r: number): number {
  return rows.numbers[r * NUMBERS] as number;
}

/** One value of row `r` (a StagedRow position), read from the packed batch. */
export function packedValue(rows: PackedRows, r: number, field: number): string | number | null {
  const at = PACKED_AT[field] as number;
  if (at < 0) {
    const value = rows.numbers[r * NUMBERS - at - 1] as number;
    return Number.isNaN(value) ? null : value;
  }
  const i = r * TEXTS + at;
  const end = rows.ends[i] as number;
  if (end < 0) return null;
  const before = i === 0 ? 0 : (rows.ends[i - 1] as number);
  return rows.text.slice(before < 0 ? ~before : before, end);
}

/**
 * Writes row `r`'s values after the line (StagedRow positions 1…18, in that order) into `out` from `at` on:
 * what the writer stages, without building the tuple.
 */
export function readStagedRow(rows: PackedRows, r: number, out: unknown[], at: number): void {
  const { text, ends, numbers } = rows;
  const t = r * TEXTS;
  const n = r * NUMBERS;
  let start = t === 0 ? 0 : (ends[t - 1] as number);
  if (start < 0) start = ~start;
  // Text values up to S.industry (positions 1–9), then the amounts (10–14), then the rest of the text (15–18).
  for (let i = 0; i < TEXTS; i++) {
    const end = ends[t + i] as number;
    let value: string | null;
    if (end < 0) {
      value = null;
      start = ~end;
    } else {
      value = text.slice(start, end);
      start = end;
    }
    out[at + (i < 9 ? i : i + 5)] = value;
  }
  for (let i = 1; i < NUMBERS; i++) {
    const value = numbers[n + i] as number;
    out[at + 8 + i] = Number.isNaN(value) ? null : value;
  }
}

/** The staged rows of a packed batch as tuples. */
export function unpackStagedRows(rows: PackedRows): StagedRow[] {
  const out: StagedRow[] = [];
  for (let r = 0; r < rows.count; r++) {
    const row = new Array<unknown>(19);
    row[S.line] = packedLine(rows, r);
    readStagedRow(rows, r, row, 1);
    out.push(row as StagedRow);
  }
  return out;
}

export interface PreparedBatch {
  /** The accepted rows, packed. */
  rows: PackedRows;
  /** KEYS_PER_ROW entries per staged row. */
  keys: Uint32Array;
  issues: RowIssue[];
  /** Rows read (accepted + rejected). */
  read: number;
  rejected: number;
  warnings: number;
}

const LIMITS = {
  name: 300,
  province: 64,
  city: 64,
  district: 64,
  address: 500,
  industry: 128,
  contactName: 100,
  custom: 2000,
} as const;

// First characters (after full-width folding and lower-casing) of the cells value-parsers treats as empty
// (-, —, /, 无, 暂无, 未知, N/A, null, none, ?, …): any other first character skips that check.
const EMPTYISH_FIRST = new Set<number>();
for (const ch of '-—–/\\无暂没未不空nN#?uU') {
  const code = ch.charCodeAt(0);
  EMPTYISH_FIRST.add(code);
  if (code >= 0x21 && code <= 0x7e) EMPTYISH_FIRST.add(code + 0xfee0);
}

/** A cell trimmed, or null when it is empty or means "no value". Called for most cells of every row: kept cheap. */
function clean(value: string | undefined): string | null {
  if (value === undefined || value.length === 0) return null;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const s =
    first <= 0x20 || last <= 0x20 || first === 0x3000 || last === 0x3000 || first === 0xfeff
      ? value.trim()
      : value;
  if (s.length === 0) return null;
  if (s.length <= 12 && EMPTYISH_FIRST.has(s.charCodeAt(0)) && isEmptyish(s)) return null;
  return s;
}

type Spec = FieldSpec | undefined;
type Parse<T> = (s: string) => { ok: true; value: T | null } | { ok: false; reason: string };

/** Parses an optional cell; an unreadable value becomes null with a warning in `issues`. */
function optional<T>(
  fields: readonly string[],
  spec: Spec,
  line: number,
  issues: RowIssue[],
  parse: Parse<T>,
): T | null {
  if (spec === undefined) return null;
  const raw = fields[spec.index];
  if (raw === undefined || raw.length === 0) return null;
  const result = parse(raw);
  if (result.ok) return result.value;
  issues.push({ line, column: spec.header, value: raw, reason: result.reason, severity: 'warning' });
  return null;
}

function optionalText(
  fields: readonly string[],
  spec: Spec,
  limit: number,
  line: number,
  issues: RowIssue[],
): string | null {
  if (spec === undefined) return null;
  const value = clean(fields[spec.index]);
  if (value === null || value.length <= limit) return value;
  issues.push({
    line,
    column: spec.header,
    value: value.slice(0, 100),
    reason: `longer than ${limit} characters; cut to ${limit}`,
    severity: 'warning',
  });
  return value.slice(0, limit);
}

/** Text kept as custom fields beside the account fields (see FieldSpec.textKey), filled while a row is read. */
type KeptText = Record<string, string> | null;

function money(
  fields: readonly string[],
  spec: Spec,
  negativeAllowed: boolean,
  line: number,
  issues: RowIssue[],
  kept: { text: KeptText },
): number | null {
  if (spec === undefined) return null;
  const raw = fields[spec.index];
  if (raw === undefined || raw.length === 0) return null;
  const parsed = readMoney(raw, { scale: spec.scale ?? 1, currency: spec.currency });
  if (!parsed.ok) {
    let reason = parsed.reason;
    if (parsed.currency) {
      // Not yuan, and never converted: the amount stays empty and its text is kept where the user can see it.
      const text = raw.trim();
      kept.text ??= {};
      kept.text[spec.textKey] = text.slice(0, LIMITS.custom);
      reason = `${reason}; left empty, the text kept in the custom field ${JSON.stringify(spec.textKey)}`;
    }
    issues.push({ line, column: spec.header, value: raw, reason, severity: 'warning' });
    return null;
  }
  if (parsed.lowerBoundOf && parsed.value !== null) {
    issues.push({
      line,
      column: spec.header,
      value: raw,
      reason: `${showValue(raw.trim())} is a range or a lower bound; stored as its lower bound, ${parsed.value.toLocaleString('en-US')} yuan`,
      severity: 'warning',
    });
  }
  if (parsed.value !== null && parsed.value < 0 && !negativeAllowed) {
    issues.push({
      line,
      column: spec.header,
      value: raw,
      reason: 'a negative amount makes no sense here; left empty',
      severity: 'warning',
    });
    return null;
  }
  return parsed.value;
}

/** The key strings of an account, strongest first (as domain/dedupe's dedupeKeys, but from clean values). */
export function accountKeyStrings(account: {
  uscc: string | null;
  websiteDomain: string | null;
  normalizedName: string | null;
  city: string | null;
}): [uscc: string | null, domain: string | null, name: string | null] {
  const domain = account.websiteDomain?.toLowerCase().replace(/^www\./, '') || null;
  return [
    account.uscc ? `u${account.uscc}` : null,
    domain && !isSharedHost(domain) ? `d${domain}` : null,
    account.normalizedName
      ? `n${account.normalizedName}|${account.city ? normalizeCity(account.city) : ''}`
      : null,
  ];
}

/** Writes the three key hashes of an account at `keys[at…at+5]`. */
export function hashAccountKeys(keyStrings: readonly (string | null)[], keys: Uint32Array, at: number): void {
  for (let k = 0; k < 3; k++) {
    const text = keyStrings[k];
    if (text) hashKey(text, keys, at + k * 2);
    else {
      keys[at + k * 2] = 0;
      keys[at + k * 2 + 1] = 0;
    }
  }
}

const REPLACEMENT = '\ufffd';
const UNDECODED =
  'bytes that are not valid text in the encoding the file was read with (shown as \ufffd): the file is damaged or mixes encodings (e.g. GBK rows pasted into a UTF-8 file); save the whole file again in one encoding (UTF-8) and import it again';

/** Indexes of the fields holding U+FFFD, the decoder's mark for bytes it could not read; null when none. */
function undecodedColumns(fields: readonly string[]): number[] | null {
  let found: number[] | null = null;
  for (let i = 0; i < fields.length; i++) {
    if ((fields[i] as string).indexOf(REPLACEMENT) === -1) continue;
    found ??= [];
    found.push(i);
  }
  return found;
}

/** Header (or custom-field key) of every column the plan reads, by index. */
function headersOf(plan: RowPlan): Map<number, string> {
  const headers = new Map<number, string>();
  for (const spec of Object.values(plan.fields)) if (spec) headers.set(spec.index, spec.header);
  for (const column of plan.custom) headers.set(column.index, column.key);
  return headers;
}

/** A bare year (1902, 1902年): kept as the year, not as its first day. */
const BARE_YEAR = /^(\d{4})\s*年?$/;

/** Why a row of a rejected-rows file is rejected again when its `original` column was not copied into its columns. */
export const UNSPLIT_AGAIN =
  'this row could not be split into the file\'s columns when it was first imported (its text is in the "original" column); copy its values into their columns, then import the file again';

/** Prepares a batch of read rows. */
export function prepareBatch(rows: readonly ReadRow[], plan: RowPlan): PreparedBatch {
  const staged = new RowPacker(rows.length);
  const keys = new Uint32Array(rows.length * KEYS_PER_ROW);
  const issues: RowIssue[] = [];
  let rejected = 0;
  let warnings = 0;
  const f = plan.fields;
  const founded = f.foundedOn;
  const dateOptions = { date1904: plan.date1904 };
  let columnHeaders: Map<number, string> | undefined;

  for (const row of rows) {
    const { line, fields } = row;
    if (isErrorRow(row)) {
      issues.push({ line, column: null, value: null, reason: row.error, severity: 'error', raw: fields });
      rejected++;
      continue;
    }

    // Validation: the reasons a row is rejected.
    let errors: RowIssue[] | null = null;
    const nameSpec = f.name;
    const rawName = nameSpec === undefined ? undefined : fields[nameSpec.index];
    const nameColumn = nameSpec?.header ?? 'name';
    const name = clean(rawName);
    const garbled = undecodedColumns(fields);
    let normalizedName = '';
    if (name === null && plan.original !== undefined && isUnsplitRow(fields, plan)) {
      errors = [{ line, column: null, value: null, reason: UNSPLIT_AGAIN, severity: 'error' }];
    } else if (name !== null && nameSpec !== undefined && garbled?.includes(nameSpec.index)) {
      errors = [
        {
          line,
          column: nameColumn,
          value: name.slice(0, 100),
          reason: `the company name contains ${UNDECODED}`,
          severity: 'error',
        },
      ];
    } else if (name === null) {
      errors = [
        {
          line,
          column: nameColumn,
          value: rawName ?? null,
          reason: 'the company name is empty; every row needs one',
          severity: 'error',
        },
      ];
    } else if (name.length > LIMITS.name) {
      errors = [
        {
          line,
          column: nameColumn,
          value: name.slice(0, 100),
          reason: `the company name is longer than ${LIMITS.name} characters; check that the columns are not shifted`,
          severity: 'error',
        },
      ];
    } else if (/[\r\n\u2028\u2029]/.test(name)) {
      errors = [
        {
          line,
          column: nameColumn,
          value: name.slice(0, 100),
          reason: NAME_OVER_LINES,
          severity: 'error',
        },
      ];
    } else {
      normalizedName = normalizeCompanyName(name);
      if (normalizedName.length === 0) {
        errors = [
          {
            line,
            column: nameColumn,
            value: name,
            reason: 'the company name has no letters or digits',
            severity: 'error',
          },
        ];
      }
    }
    const usccSpec = f.uscc;
    const rawUscc = usccSpec === undefined ? undefined : fields[usccSpec.index];
    let uscc: string | null = null;
    const usccText = clean(rawUscc);
    if (usccText !== null) {
      const checked = validateUscc(usccText);
      if (checked.ok) uscc = checked.value;
      else {
        errors ??= [];
        // The column names the code already (the rejected-rows file writes "column: reason"): the reason says
        // only what is wrong with it.
        errors.push({
          line,
          column: usccSpec?.header ?? 'uscc',
          value: rawUscc ?? null,
          reason: checked.reason,
          severity: 'error',
        });
      }
    }
    if (errors !== null) {
      (errors[0] as RowIssue).raw = fields;
      for (const error of errors) issues.push(error);
      rejected++;
      continue;
    }

    // Optional values: unreadable → empty with a warning.
    const before = issues.length;
    if (garbled !== null) {
      columnHeaders ??= headersOf(plan);
      for (const index of garbled) {
        const header = columnHeaders.get(index);
        if (header === undefined || index === nameSpec?.index) continue;
        const value = fields[index] ?? '';
        issues.push({
          line,
          column: header,
          value: value.slice(0, 100),
          reason: `${UNDECODED}; the value was kept as read`,
          severity: 'warning',
        });
      }
    }
    const employees = optional(fields, f.employees, line, issues, parseEmployees);
    // Text kept beside the account's fields (founding date, foreign amounts, extra phones), then custom columns.
    const kept: { text: KeptText } = { text: null };
    if (founded !== undefined) {
      const text = clean(fields[founded.index]);
      if (text !== null) {
        const year = BARE_YEAR.exec(toHalfWidth(text));
        const date = year ? null : parseDate(text, dateOptions);
        let value: string;
        if (year) value = year[1] as string;
        else if (date?.ok && date.value !== null) value = date.value;
        else {
          value = text.slice(0, LIMITS.custom);
          issues.push({
            line,
            column: founded.header,
            value: text,
            reason: `${showValue(text)} is not a date or a year; kept as written`,
            severity: 'warning',
          });
        }
        kept.text = { [founded.textKey]: value };
      }
    }
    for (const column of plan.custom) {
      // As written: a custom field is text the user keeps, so nothing is parsed or read as "empty" (无, N/A, -).
      const value = fields[column.index]?.trim();
      if (!value) continue;
      if (value.length > LIMITS.custom) {
        issues.push({
          line,
          column: column.key,
          value: value.slice(0, 100),
          reason: `longer than ${LIMITS.custom} characters; cut to ${LIMITS.custom}`,
          severity: 'warning',
        });
      }
      kept.text ??= {};
      kept.text[column.key] = value.length > LIMITS.custom ? value.slice(0, LIMITS.custom) : value;
    }

    // In column-reading order, so that a row's warnings come in the same order as before.
    const city = optionalText(fields, f.city, LIMITS.city, line, issues);
    const websiteDomain = optional(fields, f.website, line, issues, parseWebsite);
    const province = optionalText(fields, f.province, LIMITS.province, line, issues);
    const district = optionalText(fields, f.district, LIMITS.district, line, issues);
    const address = optionalText(fields, f.address, LIMITS.address, line, issues);
    const industry = optionalText(fields, f.industry, LIMITS.industry, line, issues);
    const annualSales = money(fields, f.annualSales, false, line, issues, kept);
    const netAssets = money(fields, f.netAssets, true, line, issues, kept);
    const registeredCapital = money(fields, f.registeredCapital, false, line, issues, kept);
    const phone = optional(fields, f.phone, line, issues, parsePhone);
    if (phone !== null) keepWhole(fields, f.phone, holdsSeveralPhones, kept);
    const email = optional(fields, f.email, line, issues, parseEmail);
    if (email !== null) keepWhole(fields, f.email, holdsSeveralEmails, kept);
    const out: StagedRow = [
      line,
      name as string,
      normalizedName,
      uscc,
      websiteDomain,
      province,
      city,
      district,
      address,
      industry,
      annualSales,
      employees?.min ?? null,
      employees?.max ?? null,
      netAssets,
      registeredCapital,
      phone,
      email,
      optionalText(fields, f.contactName, LIMITS.contactName, line, issues),
      kept.text === null ? null : JSON.stringify(kept.text),
    ];
    warnings += issues.length - before;
    hashAccountKeys(
      accountKeyStrings({ uscc, websiteDomain, normalizedName, city }),
      keys,
      staged.count * KEYS_PER_ROW,
    );
    staged.push(out);
  }
  return {
    rows: staged.finish(),
    keys: staged.count * KEYS_PER_ROW === keys.length ? keys : keys.slice(0, staged.count * KEYS_PER_ROW),
    issues,
    read: rows.length,
    rejected,
    warnings,
  };
}

const NAME_OVER_LINES =
  'the company name spans several lines; a company name is one line (a quote left open in the file joins rows into one field): check the row';

/** A phone or e-mail cell with several numbers or addresses: the field takes the first, the cell is kept whole. */
function keepWhole(
  fields: readonly string[],
  spec: Spec,
  several: (cell: string) => boolean,
  kept: { text: KeptText },
): void {
  const cell = spec === undefined ? undefined : fields[spec.index];
  if (spec === undefined || cell === undefined || !several(cell)) return;
  kept.text ??= {};
  kept.text[spec.textKey] = cell.trim().slice(0, LIMITS.custom);
}

/**
 * A row of a rejected-rows file that was written for a row the reader could not split: every column empty but
 * `original` (the row's text). Re-imported unfixed, it is rejected again rather than read as a row.
 */
function isUnsplitRow(fields: readonly string[], plan: RowPlan): boolean {
  const original = plan.original;
  if (original === undefined || !fields[original]?.trim()) return false;
  for (const spec of Object.values(plan.fields)) if (spec && fields[spec.index]?.trim()) return false;
  for (const column of plan.custom) if (fields[column.index]?.trim()) return false;
  return true;
}
