// A deterministic vendor-style prospect list (企查查/天眼查 export shape) for the import benchmark and the
// resumability test: 16 Chinese columns, money in 万/亿, employee ranges, some duplicates and bad rows.
// The same seed and row count give the same bytes on every machine.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import iconv from 'iconv-lite';
import { mulberry32 as prng } from '../src/domain/random.ts';
import { makeUscc } from '../src/domain/registration/uscc.ts';

export const VENDOR_HEADER = [
  '企业名称',
  '统一社会信用代码',
  '所属省份',
  '所属城市',
  '所属区县',
  '企业地址',
  '所属行业',
  '人员规模',
  '年营业额',
  '净资产',
  '注册资本',
  '联系电话',
  '邮箱',
  '官网',
  '联系人',
  '成立日期',
] as const;

const PLACES: readonly (readonly [string, string, readonly string[]])[] = [
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区', '龙岗区']],
  ['广东省', '广州市', ['天河区', '越秀区', '番禺区']],
  ['广东省', '东莞市', ['松山湖', '长安镇']],
  ['上海市', '上海市', ['浦东新区', '闵行区', '徐汇区', '嘉定区']],
  ['北京市', '北京市', ['海淀区', '朝阳区', '丰台区']],
  ['江苏省', '苏州市', ['工业园区', '昆山市', '吴中区']],
  ['江苏省', '南京市', ['江宁区', '鼓楼区']],
  ['浙江省', '杭州市', ['余杭区', '西湖区', '滨江区']],
  ['浙江省', '宁波市', ['鄞州区', '北仑区']],
  ['四川省', '成都市', ['高新区', '武侯区']],
  ['湖北省', '武汉市', ['洪山区', '江夏区']],
  ['山东省', '青岛市', ['黄岛区', '市南区']],
];
const PINYIN = [
  'hua',
  'xin',
  'da',
  'tong',
  'hong',
  'yuan',
  'heng',
  'tai',
  'sheng',
  'jin',
  'rui',
  'feng',
  'de',
  'jia',
];
const WORDS = '华信达通宏远恒泰永盛鑫源金辉瑞丰德润嘉禾立新卓越创联天成中科博海精工鼎力昌隆安捷腾飞'.split(
  '',
);
const TRADES = [
  '电子科技',
  '机械制造',
  '新材料',
  '医疗器械',
  '软件',
  '物流',
  '食品',
  '化工',
  '环保科技',
  '汽车零部件',
];
const INDUSTRIES = [
  '制造业',
  '信息传输、软件和信息技术服务业',
  '批发和零售业',
  '科学研究和技术服务业',
  '交通运输',
];
const FORMS = ['有限公司', '有限责任公司', '股份有限公司', '有限公司'];
const STAFF = ['少于50人', '50-99人', '100-499人', '500-999人', '1000-4999人', '10000人以上', '120', '-'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚'.split('');

export interface VendorRowsSummary {
  rows: number;
  /** Rows that repeat an earlier company (same USCC, another spelling of the name or a missing field). */
  duplicates: number;
  /** Rows without a company name. */
  missingName: number;
  /** Rows whose USCC has a wrong check character. */
  badUscc: number;
  /** Distinct companies among the accepted rows: what an import into an empty database creates. */
  distinct: number;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Generates `rows` data rows. About 2% repeat an earlier company, 0.3% have no name, 0.3% a USCC with a wrong
 * check character, about 1% an unparseable optional value (a warning, not a rejection).
 */
export function* vendorRows(rows: number, seed = 20261127): Generator<string[], VendorRowsSummary> {
  const random = prng(seed);
  const summary: VendorRowsSummary = { rows, duplicates: 0, missingName: 0, badUscc: 0, distinct: 0 };
  // Which companies have appeared among accepted rows, to count distinct ones exactly.
  const seen = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let n = i;
    let duplicate = false;
    if (i > 100 && random() < 0.02) {
      n = Math.floor(random() * i);
      duplicate = true;
    }
    // Everything about company n comes from its own generator, so a repeat of it is the same company.
    const r = prng((seed ^ Math.imul(n + 1, 2654435761)) >>> 0);
    const rp = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
    const [province, city, districts] = rp(PLACES);
    const district = rp(districts);
    const brand = `${rp(WORDS)}${rp(WORDS)}${n.toString(36)}`;
    const slug = `${rp(PINYIN)}${rp(PINYIN)}${n.toString(36)}`;
    const cityShort = city.replace(/市$/, '');
    const name = `${cityShort}${brand}${rp(TRADES)}${rp(FORMS)}`;
    const uscc = makeUscc(n + 1);
    const employees = rp(STAFF);
    const sales = `${Math.floor(r() * 90_000) / 10}万`;
    const netAssets = r() < 0.5 ? `${(r() * 9).toFixed(2)}亿` : `${Math.floor(r() * 500_000) * 100}`;
    const capital = `${Math.floor(r() * 5000) + 10}万元`;
    const phone =
      r() < 0.6
        ? `1${rp(['38', '39', '58', '86'])}${String(10_000_000 + Math.floor(r() * 89_999_999))}`
        : `0755-${String(20_000_000 + Math.floor(r() * 79_999_999))}`;
    const website = r() < 0.7 ? `www.${slug}.com.cn` : '';
    const email = website ? `sales@${slug}.com.cn` : `${slug}@163.com`;
    const contact = `${rp(SURNAMES)}${rp(GIVEN)}${r() < 0.5 ? rp(GIVEN) : ''}`;
    const founded = `${1990 + Math.floor(r() * 35)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const industry = rp(INDUSTRIES);
    const address = `${province === city ? '' : province}${city}${district}${rp(WORDS)}${rp(WORDS)}路${Math.floor(r() * 999) + 1}号`;
    const badness = r();
    const fields = [
      name,
      uscc,
      province,
      city,
      district,
      address,
      industry,
      employees,
      sales,
      netAssets,
      capital,
      phone,
      email,
      website,
      contact,
      founded,
    ];
    let accepted = true;
    if (badness < 0.003) {
      fields[0] = '';
      summary.missingName++;
      accepted = false;
    } else if (badness < 0.006) {
      fields[1] = `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`;
      summary.badUscc++;
      accepted = false;
    } else if (badness < 0.011) {
      fields[8] = '面议';
    } else if (badness > 0.995) {
      fields[15] = '2019年13月';
    }
    if (duplicate) {
      summary.duplicates++;
      // Another vendor's spelling of the same company, and a field it lacks.
      if (fields[0]) fields[0] = fields[0].replace(/有限公司$/, '（中国）有限公司');
      if (random() < 0.5) fields[13] = '';
    }
    if (accepted && seen[n] === 0) {
      seen[n] = 1;
      summary.distinct++;
    }
    yield fields;
  }
  return summary;
}

export interface WrittenFiles {
  summary: VendorRowsSummary;
  bytes: number;
}

/**
 * Writes the rows as CSV: `gbPath` in GB18030 (what the import reads) and, when given, `utf8Path` with the
 * same rows in UTF-8 without header (what the sqlite3 CLI and psql \copy load as the floor).
 */
export async function writeVendorCsv(
  rows: number,
  gbPath: string,
  utf8Path?: string,
  seed?: number,
): Promise<WrittenFiles> {
  const gb = createWriteStream(gbPath);
  const utf = utf8Path ? createWriteStream(utf8Path) : null;
  let bytes = 0;
  const write = async (text: string) => {
    const encoded = iconv.encode(text, 'gb18030');
    bytes += encoded.length;
    if (!gb.write(encoded)) await once(gb, 'drain');
    if (utf && !utf.write(text)) await once(utf, 'drain');
  };
  const header = `${VENDOR_HEADER.join(',')}\r\n`;
  const encodedHeader = iconv.encode(header, 'gb18030');
  bytes += encodedHeader.length;
  gb.write(encodedHeader);
  utf?.write(header);
  const generator = vendorRows(rows, seed);
  let chunk = '';
  let count = 0;
  let result = generator.next();
  while (!result.done) {
    chunk += `${result.value.map(csvField).join(',')}\r\n`;
    if (++count % 5000 === 0) {
      await write(chunk);
      chunk = '';
    }
    result = generator.next();
  }
  if (chunk) await write(chunk);
  // Both listened for before either ends: awaited one after the other, the second file could close while the
  // first was awaited, and its 'close' was then never seen (the bench hung, Node exiting with 13).
  const closed = Promise.all([once(gb, 'close'), utf ? once(utf, 'close') : null]);
  gb.end();
  utf?.end();
  await closed;
  return { summary: result.value, bytes };
}
