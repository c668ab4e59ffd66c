/**
 * The import's warnings and rejections in Chinese. The reasons are written in English where they arise (the value
 * parsers, the USCC check, the readers, prepare-rows) and stored that way (import_errors, the rejected-rows file);
 * a Chinese reader gets them through `reasonInChinese`, which knows every reason those modules write (the test
 * test/import/reason-zh.test.ts makes each of them and checks it is translated). A reason it does not know comes
 * back unchanged, so nothing is ever lost in translation.
 */

import { foreignCurrency } from './value-parsers.ts';

const UNDECODED_EN =
  'bytes that are not valid text in the encoding the file was read with (shown as \ufffd): the file is damaged or mixes encodings (e.g. GBK rows pasted into a UTF-8 file); save the whole file again in one encoding (UTF-8) and import it again';
const UNDECODED_ZH =
  '有按文件所用编码读不出的字节（显示为 \ufffd）：文件已损坏或混用了编码（例如把 GBK 的行粘贴进了 UTF-8 文件）；请把整个文件另存为同一种编码（UTF-8）后重新导入';

const KIND_ZH: Record<string, string> = {
  'an amount': '金额',
  'a head count': '人数',
  'a date': '日期',
  'a phone number': '电话号码',
  'an e-mail address': '电子邮箱',
  'a website': '网址',
};

type Rule = readonly [RegExp, (m: RegExpExecArray) => string];

/** A value as the parsers quote it (JSON string syntax). */
const V = '(".*")';

/**
 * A value the parsers quoted (`"2013 (1888)"`) in Chinese quotation marks (`“2013 (1888)”`); what is inside stays
 * as they escaped it, so invisible characters still show.
 */
const q = (quoted: string | undefined): string => `“${(quoted ?? '""').slice(1, -1)}”`;

const USCC_RULES: readonly Rule[] = [
  [
    /^must be (\d+) characters, got (\d+)(?: \("(.*)"\))?$/,
    (m) => `应为 ${m[1]} 位，实际 ${m[2]} 位${m[3] !== undefined ? `（“${m[3]}”）` : ''}`,
  ],
  [
    /^character "(.+)" at position (\d+) is not allowed( \(I, O, S, V and Z are never used\))?$/,
    (m) => `第 ${m[2]} 位的字符“${m[1]}”不允许使用${m[3] ? '（代码中不使用 I、O、S、V、Z）' : ''}`,
  ],
  [
    /^check character does not match: expected (.+), got (.+)$/,
    (m) => `校验码不符：应为 ${m[1]}，实际为 ${m[2]}`,
  ],
];

const RULES: readonly Rule[] = [
  [
    /^the value is too long to be (an amount|a head count|a date|a phone number|an e-mail address|a website)$/,
    (m) => `内容太长，不可能是${KIND_ZH[m[1] as string]}`,
  ],
  // Amounts
  [
    new RegExp(`^${V} is a range; enter a single amount such as 3500万$`),
    (m) => `${q(m[1])}是一个范围；请填写单个金额，如 3500万`,
  ],
  [
    new RegExp(`^expected an amount such as 3500万, 1\\.2亿 or 1,234,567 \\(got ${V}\\)$`),
    (m) => `应为金额，如 3500万、1.2亿 或 1,234,567（读到的是${q(m[1])}）`,
  ],
  [
    new RegExp(`^${V} is not a well-formed number; check the decimal point and thousands separators$`),
    (m) => `${q(m[1])}不是格式正确的数字；请检查小数点和千位分隔符`,
  ],
  [
    new RegExp(`^unknown unit "(.*)" in ${V}; use 元, 千元, 万, 万元, 亿, 亿元, k, M or B$`),
    (m) => `${q(m[2])}中的单位“${m[1]}”无法识别；请使用 元、千元、万、万元、亿、亿元、k、M 或 B`,
  ],
  [new RegExp(`^${V} is too large to be an amount in yuan$`), (m) => `${q(m[1])}太大，不可能是以元计的金额`],
  [
    new RegExp(`^${V} is not a well-formed amount \\(the part after (.+) must be less than 1(.+)\\)$`),
    (m) => `${q(m[1])}不是格式正确的金额（${m[2]}后面的部分必须小于 1${m[3]}）`,
  ],
  [
    new RegExp(
      `^${V} is in .+ \\(([A-Z]{3})\\)(, as the column header says)?, not yuan; amounts are kept in yuan and never converted$`,
    ),
    (m) =>
      `${m[3] ? '按列标题，' : ''}${q(m[1])}是${foreignCurrency(m[2])?.zh ?? m[2]}（${m[2]}），不是人民币；金额一律按人民币记录，不做换算`,
  ],
  [
    new RegExp(`^${V} is a range or a lower bound; stored as its lower bound, ([\\d,]+) yuan$`),
    (m) => `${q(m[1])}是一个范围或下限；已按下限存为 ${m[2]} 元`,
  ],
  [
    new RegExp(`^${V} gives only an upper bound, not an amount$`),
    (m) => `${q(m[1])}只给出了上限，不是一个金额`,
  ],
  [/^a negative amount makes no sense here; left empty$/, () => '此处的金额不能为负数；已留空'],
  // Head counts
  [new RegExp(`^${V} is not a whole number of people$`), (m) => `${q(m[1])}不是整数人数`],
  [
    new RegExp(`^${V}: the range is reversed \\(write the smaller number first\\)$`),
    (m) => `${q(m[1])}：范围写反了（请先写较小的数）`,
  ],
  [
    new RegExp(`^expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 \\(got ${V}\\)$`),
    (m) => `应为人数，如 100-499人、少于50人、10000人以上 或 350（读到的是${q(m[1])}）`,
  ],
  // Dates
  [
    new RegExp(`^${V} is not a valid calendar date \\(check the month and the day\\)$`),
    (m) => `${q(m[1])}不是有效的日期（请检查月和日）`,
  ],
  [
    new RegExp(`^${V} is ambiguous \\(month/day or day/month\\); write it as YYYY-MM-DD$`),
    (m) => `${q(m[1])}有歧义（不知是 月/日 还是 日/月）；请写成 YYYY-MM-DD`,
  ],
  [new RegExp(`^${V} is not a valid Excel date serial$`), (m) => `${q(m[1])}不是有效的 Excel 日期序号`],
  [
    new RegExp(`^${V} is a year, not a date; write the full date as YYYY-MM-DD$`),
    (m) => `${q(m[1])}只是年份，不是日期；请写完整日期 YYYY-MM-DD`,
  ],
  [
    new RegExp(`^${V} has no day; write the full date as YYYY-MM-DD$`),
    (m) => `${q(m[1])}缺少日；请写完整日期 YYYY-MM-DD`,
  ],
  [
    new RegExp(`^${V} has a two-digit year; write the date as YYYY-MM-DD$`),
    (m) => `${q(m[1])}的年份只有两位；请写成 YYYY-MM-DD`,
  ],
  [
    new RegExp(`^expected a date such as 2020-01-05, 2020年1月5日 or 20200105 \\(got ${V}\\)$`),
    (m) => `应为日期，如 2020-01-05、2020年1月5日 或 20200105（读到的是${q(m[1])}）`,
  ],
  [
    new RegExp(`^${V} is not a date or a year; kept as written$`),
    (m) => `${q(m[1])}不是日期或年份；已按原文保留`,
  ],
  // Phones, e-mail, websites
  [
    new RegExp(`^${V} was turned into scientific notation by a spreadsheet; re-export the column as text$`),
    (m) => `${q(m[1])}被电子表格转成了科学计数法；请把这一列按文本格式重新导出`,
  ],
  [
    new RegExp(`^${V} does not look like a phone number \\(it contains letters or other text\\)$`),
    (m) => `${q(m[1])}不像电话号码（含有字母或其他文字）`,
  ],
  [
    new RegExp(`^${V} has (\\d+) digits; a phone number has 5 to 15$`),
    (m) => `${q(m[1])}有 ${m[2]} 位数字；电话号码应为 5 到 15 位`,
  ],
  [
    new RegExp(`^${V} is not a valid e-mail address \\(expected name@example\\.com\\)$`),
    (m) => `${q(m[1])}不是有效的电子邮箱（应如 name@example.com）`,
  ],
  [new RegExp(`^${V} is an e-mail address, not a website$`), (m) => `${q(m[1])}是电子邮箱，不是网址`],
  [
    new RegExp(`^${V} is an IP address; enter the site's domain name$`),
    (m) => `${q(m[1])}是 IP 地址；请填写网站的域名`,
  ],
  [
    new RegExp(`^expected a website such as www\\.example\\.com\\.cn \\(got ${V}\\)$`),
    (m) => `应为网址，如 www.example.com.cn（读到的是${q(m[1])}）`,
  ],
  [new RegExp(`^${V} is too long to be a domain name$`), (m) => `${q(m[1])}太长，不可能是域名`],
  // Lengths, names, USCC, undecodable bytes (prepare-rows)
  [/^longer than (\d+) characters; cut to (\d+)$/, (m) => `超过 ${m[1]} 个字符；已截为 ${m[2]} 个`],
  [/^the company name is empty; every row needs one$/, () => '企业名称为空；每一行都必须有企业名称'],
  [
    /^the company name is longer than (\d+) characters; check that the columns are not shifted$/,
    (m) => `企业名称超过 ${m[1]} 个字符；请检查各列是否错位`,
  ],
  [/^the company name has no letters or digits$/, () => '企业名称中没有任何文字或数字'],
  [
    /^the company name spans several lines; a company name is one line \(a quote left open in the file joins rows into one field\): check the row$/,
    () =>
      '企业名称跨越了多行；企业名称只能有一行（文件中有引号没有闭合时，会把几行并进同一个字段）：请检查这一行',
  ],
  [
    /^this row could not be split into the file's columns when it was first imported \(its text is in the "original" column\); copy its values into their columns, then import the file again$/,
    () =>
      '这一行在第一次导入时无法拆分到文件的各列中（原文在 original 列）；请把其中的值复制到对应的列，再重新导入这个文件',
  ],
  // Values a matched account kept against the file's (import-pipeline.ts)
  [
    new RegExp(
      `^differs from the account's value ${V}, which was kept \\(import with newer source wins to take the file's values\\)$`,
    ),
    (m) =>
      `与客户已有的值${q(m[1])}不同，保留了已有的值（如要采用文件中的值，请开启“以新来源为准”后重新导入）`,
  ],
  [
    /^unified social credit code: (.*)$/,
    (m) => `统一社会信用代码：${translate(m[1] as string, USCC_RULES) ?? m[1]}`,
  ],
  // Rows the reader could not split (read-delimited, read-xlsx)
  [/^row has (\d+) fields?, header has (\d+)$/, (m) => `此行有 ${m[1]} 个字段，表头有 ${m[2]} 个`],
  [
    /^a quoted field starting in this record is never closed, so everything after it was read into that field; add the missing closing quote \("\)$/,
    () => '本记录中以引号开头的字段没有结束引号，其后的内容都被读进了这个字段；请补上缺少的结束引号（"）',
  ],
  [
    /^malformed quotes: a field that starts with " must end with " just before the next delimiter; write a quote inside a field as two quotes \(""\)$/,
    () => '引号格式错误：以 " 开头的字段必须在下一个分隔符前以 " 结束；字段中的引号请写成两个引号（""）',
  ],
  [
    /^cell ([A-Z]+\d+) has a value but column ([A-Z]+) has no header \(the header ends at column ([A-Z]+)\); add a header or clear the cell$/,
    (m) => `单元格 ${m[1]} 有内容，但 ${m[2]} 列没有表头（表头到 ${m[3]} 列为止）；请添加表头或清空该单元格`,
  ],
];

function translate(reason: string, rules: readonly Rule[]): string | null {
  for (const [pattern, zh] of rules) {
    const m = pattern.exec(reason);
    if (m) return zh(m);
  }
  return null;
}

/** A record spanning several lines says so at the end of its reason. */
const SPAN = / \(the record spans lines (\d+)-(\d+)\)$/;
/** An amount in another currency says where its text was kept at the end of its reason (prepare-rows.ts). */
const KEPT_AS_CUSTOM = /; left empty, the text kept in the custom field (".*")$/;

/** An import warning's or rejection's reason in Chinese; a reason it does not know comes back as it is. */
export function reasonInChinese(reason: string): string {
  const kept = KEPT_AS_CUSTOM.exec(reason);
  if (kept) {
    const head = reasonInChinese(reason.slice(0, kept.index));
    return `${head}；已留空，原文保存在自定义字段${q(kept[1])}中`;
  }
  const span = SPAN.exec(reason);
  const text = span ? reason.slice(0, span.index) : reason;
  const spanZh = span ? `（这条记录跨越第 ${span[1]}–${span[2]} 行）` : '';
  if (text === `the company name contains ${UNDECODED_EN}`) return `企业名称中${UNDECODED_ZH}${spanZh}`;
  if (text === `${UNDECODED_EN}; the value was kept as read`)
    return `${UNDECODED_ZH}；已按读到的内容保留${spanZh}`;
  // The credit-code check's reasons stand alone since the column names the code (prepare-rows.ts).
  const zh = translate(text, RULES) ?? translate(text, USCC_RULES);
  return zh === null ? reason : zh + spanZh;
}

/** The USCC check's own reason (validateUscc, without the "unified social credit code: " prefix) in Chinese. */
export function usccReasonInChinese(reason: string): string {
  return translate(reason, USCC_RULES) ?? reason;
}

/** A reason in the reader's language: Chinese for zh-*, else as written. */
export function reasonIn(locale: string, reason: string): string {
  return locale.toLowerCase().startsWith('zh') ? reasonInChinese(reason) : reason;
}
