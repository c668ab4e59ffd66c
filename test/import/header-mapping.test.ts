import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyUserMapping,
  autoMapHeaders,
  type ColumnMapping,
  columnsByField,
  type FieldKey,
  matchHeader,
} from '../../src/import/header-mapping.ts';
import { ZColumnMapping } from '../../src/schemas/import-mapping.ts';

const EXTERNAL = '/work/shared/testdata/external';
const fields = (mapping: ColumnMapping): Array<FieldKey | null> => mapping.columns.map((c) => c.field);

describe('matchHeader', () => {
  const cases: Array<[FieldKey, string[]]> = [
    [
      'name',
      [
        '企业名称',
        '公司名称',
        '客户名称',
        '公司',
        '名称',
        '单位名称',
        'Company',
        'Company Name',
        'company_name',
        'CompanyName',
        'Name',
        'Account Name',
        'Security',
      ],
    ],
    ['uscc', ['统一社会信用代码', '信用代码', '社会信用代码', 'USCC', 'Unified Social Credit Code']],
    ['province', ['所属省份', '省份', '省', 'State', 'Province', 'Region', 'State/Province']],
    ['city', ['所属城市', '城市', '市', 'City', 'Cities', '企业所在城市']],
    ['district', ['所属区县', '区县', '区', 'District', 'County', 'Counties']],
    ['address', ['企业地址', '地址', '注册地址', '办公地址', 'Address', 'Headquarters Location']],
    [
      'industry',
      ['所属行业', '行业', '行业分类', 'Industry', 'Sector', 'GICS Sector', '全球行业分类标准部门'],
    ],
    [
      'employees',
      [
        '人员规模',
        '员工人数',
        '参保人数',
        '员工数',
        'Employees',
        'Headcount',
        'Number of Employees',
        '员工人数（人）',
        'No. of Employees',
      ],
    ],
    [
      'annualSales',
      [
        '年营业额',
        '营业收入',
        '年营业收入',
        '年度营业收入',
        '年度营收',
        '年销售额',
        'Revenue',
        'Annual Sales',
        'Annual Revenue',
        'Sales',
      ],
    ],
    ['netAssets', ['净资产', 'Net Assets', 'NET_ASSETS']],
    ['registeredCapital', ['注册资本', '注册资金', 'Registered Capital']],
    ['phone', ['电话', '联系电话', '手机', 'Phone', 'Telephone', 'Tel', 'Contact Phone Number', '公司电话']],
    ['email', ['邮箱', '电子邮箱', 'Email', 'E-mail', 'ＥＭＡＩＬ', '企业邮箱']],
    ['website', ['网址', '官网', '网站', 'Website', 'URL', 'Web', '公司网址']],
    ['contactName', ['联系人', 'Contact', 'Contact Name', '联系人姓名']],
    ['foundedOn', ['成立日期', '成立时间', 'Founded', '成立年份']],
  ];
  for (const [field, headers] of cases) {
    it.each(headers)(`%j → ${field}`, (header) => {
      expect(matchHeader(header)?.field).toBe(field);
    });
  }

  it.each([
    '备注',
    '股票代号',
    '曾用名',
    '英文名',
    '企业类型',
    '客户经理',
    '经营范围',
    'Symbol',
    'CIK',
    'GICS Sub-Industry',
    '',
    '   ',
    '()',
  ])('%j matches nothing', (header) => {
    expect(matchHeader(header)).toBeNull();
  });

  it.each([
    ['注册资本(万元)', 'registeredCapital', 1e4],
    ['注册资本（万元）', 'registeredCapital', 1e4],
    ['注册资本万元', 'registeredCapital', 1e4],
    ['年营业额/万元', 'annualSales', 1e4],
    ['营业收入(亿元)', 'annualSales', 1e8],
    ['净资产(元)', 'netAssets', 1],
    ['Revenue ($M)', 'annualSales', 1e6],
    ['Revenue (USD millions)', 'annualSales', 1e6],
    ['Revenue in thousands', 'annualSales', 1e3],
  ])('%j → %s with amounts × %d', (header, field, scale) => {
    expect(matchHeader(header)).toMatchObject({ field, scale });
  });

  it('gives no scale to a money header without a unit, nor to other fields', () => {
    expect(matchHeader('注册资本')?.scale).toBeUndefined();
    expect(matchHeader('员工人数(万)')?.scale).toBeUndefined();
  });

  it('marks year columns for foundedOn', () => {
    expect(matchHeader('成立年份')?.yearOnly).toBe(true);
    expect(matchHeader('Year Founded')?.yearOnly).toBe(true);
    expect(matchHeader('成立日期')?.yearOnly).toBeUndefined();
  });
});

describe('autoMapHeaders', () => {
  it('maps a Chinese vendor export, keeping the rest as custom fields', () => {
    const headers = [
      '企业名称',
      '登记状态',
      '法定代表人',
      '注册资本',
      '成立日期',
      '统一社会信用代码',
      '企业地址',
      '电话',
      '更多电话',
      '邮箱',
      '网址',
      '所属省份',
      '所属城市',
      '所属区县',
      '所属行业',
      '企业类型',
      '参保人数',
      '经营范围',
    ];
    expect(fields(autoMapHeaders(headers))).toEqual([
      'name',
      null,
      'contactName',
      'registeredCapital',
      'foundedOn',
      'uscc',
      'address',
      'phone',
      null,
      'email',
      'website',
      'province',
      'city',
      'district',
      'industry',
      null,
      'employees',
      null,
    ]);
  });

  it('maps the S&P 500 Chinese header', () => {
    const header =
      readFileSync(`${EXTERNAL}/firmographics/sp500-zh/constituents.csv`, 'utf8').split('\n')[0] ?? '';
    const mapping = autoMapHeaders(header.split(','));
    expect(mapping.columns.map((c) => [c.header, c.field])).toEqual([
      ['股票代号', null],
      ['公司', 'name'],
      ['全球行业分类标准部门', 'industry'],
      ['全球行业分类标准子行业', null],
      ['加入日期', null],
      ['成立年份', 'foundedOn'],
    ]);
    expect(mapping.conflicts).toEqual([]);
  });

  it('maps the S&P 500 English header', () => {
    const header =
      readFileSync(`${EXTERNAL}/firmographics/sp500-en/constituents.csv`, 'utf8').split('\n')[0] ?? '';
    expect(autoMapHeaders(header.trim().split(',')).columns.map((c) => [c.header, c.field])).toEqual([
      ['Symbol', null],
      ['Security', 'name'],
      ['GICS Sector', 'industry'],
      ['GICS Sub-Industry', null],
      ['Headquarters Location', 'address'],
      ['Date added', null],
      ['CIK', null],
      ['Founded', 'foundedOn'],
    ]);
  });

  it('lets the first of two columns for one field win and reports the other', () => {
    const mapping = autoMapHeaders(['公司名称', '电话', '企业名称', '联系电话']);
    expect(fields(mapping)).toEqual(['name', 'phone', null, null]);
    expect(mapping.conflicts.map((c) => [c.index, c.field, c.keptIndex])).toEqual([
      [2, 'name', 0],
      [3, 'phone', 1],
    ]);
    expect(mapping.conflicts[0]?.message).toContain('kept as a custom field');
  });

  it('prefers a strong synonym over a weak one wherever it stands, without a conflict', () => {
    const mapping = autoMapHeaders(['法定代表人', '企业名称', '联系人']);
    expect(fields(mapping)).toEqual([null, 'name', 'contactName']);
    expect(mapping.conflicts).toEqual([]);
    expect(fields(autoMapHeaders(['法定代表人', '企业名称']))).toEqual(['contactName', 'name']);
  });

  it('keeps the original header and index of every column', () => {
    const headers = ['Ｃｏｍｐａｎｙ', '', 'Notes'];
    expect(autoMapHeaders(headers).columns).toEqual([
      { index: 0, header: 'Ｃｏｍｐａｎｙ', field: 'name', source: 'auto' },
      { index: 1, header: '', field: null, source: 'auto' },
      { index: 2, header: 'Notes', field: null, source: 'auto' },
    ]);
  });

  it('indexes columns by field', () => {
    const byField = columnsByField(autoMapHeaders(['电话', '企业名称']));
    expect(byField.name?.index).toBe(1);
    expect(byField.phone?.index).toBe(0);
    expect(byField.email).toBeUndefined();
  });
});

describe('applyUserMapping', () => {
  const auto = autoMapHeaders(['企业名称', '电话', '备注', '客户经理', '注册资本(万元)']);

  it('overrides fields, turns columns into custom fields and keeps the rest', () => {
    const result = applyUserMapping(auto, { 备注: 'industry', 电话: null });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.columns.map((c) => [c.field, c.source])).toEqual([
      ['name', 'auto'],
      [null, 'user'],
      ['industry', 'user'],
      [null, 'auto'],
      ['registeredCapital', 'auto'],
    ]);
    expect(result.mapping.columns[4]?.scale).toBe(1e4);
  });

  it('matches mapping keys by normalised header too', () => {
    const result = applyUserMapping(auto, { ' 客户 经理 ': 'contactName' });
    expect(result.ok && result.mapping.columns[3]?.field).toBe('contactName');
  });

  it('demotes the automatic column when the user gives its field to another, and reports it', () => {
    const result = applyUserMapping(auto, { 备注: 'phone' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(fields(result.mapping)).toEqual(['name', null, 'phone', null, 'registeredCapital']);
    expect(result.mapping.conflicts).toEqual([
      expect.objectContaining({ index: 1, field: 'phone', keptIndex: 2 }),
    ]);
  });

  it('reports every error: unknown header, unknown field, a field given twice', () => {
    const result = applyUserMapping(auto, {
      不存在: 'name',
      备注: 'bogus',
      企业名称: 'city',
      客户经理: 'city',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]).toContain('column "备注": unknown field "bogus"');
    expect(result.errors[1]).toContain('the mapping names column "不存在", which is not in the file');
    expect(result.errors[2]).toContain('field city is given to several columns ("企业名称", "客户经理")');
  });

  it('rejects a mapping that is not an object', () => {
    for (const bad of [null, 'name', ['企业名称'], 3]) {
      const result = applyUserMapping(auto, bad);
      expect(result.ok).toBe(false);
    }
  });
});

describe('ZColumnMapping', () => {
  it('accepts header → field or null', () => {
    expect(ZColumnMapping.parse({ 企业名称: 'name', 备注: null })).toEqual({ 企业名称: 'name', 备注: null });
  });

  it('rejects unknown fields with the list of valid ones', () => {
    const result = ZColumnMapping.safeParse({ 企业名称: 'company' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('unknown field "company"; use one of name, uscc');
  });
});
