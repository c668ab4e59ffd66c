import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  createAutoDecodeStream,
  createDecodeStream,
  decodeText,
  detectBom,
  detectEncoding,
  type TextDecodeStream,
  type TextEncodingName,
  utf8CompleteLength,
} from '../../src/import/detect-encoding.ts';

const CHINESE = '企业名称,统一社会信用代码,所属省份\n上海某某科技有限公司,91310000MA1K000000,上海市\n';
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

function encode(text: string, encoding: TextEncodingName, bom = false): Buffer {
  return iconv.encode(text, encoding, { addBOM: bom });
}

function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

async function decodeAll(stream: TextDecodeStream, chunks: Buffer[]): Promise<string> {
  let text = '';
  Readable.from(chunks).pipe(stream);
  for await (const piece of stream) text += piece as string;
  return text;
}

// Common hanzi from GB2312 (lead bytes B0-F7), decoded from random GBK byte pairs.
const gb2312Char = fc
  .tuple(fc.integer({ min: 0xb0, max: 0xd7 }), fc.integer({ min: 0xa1, max: 0xfe }))
  .map(([lead, trail]) => iconv.decode(Buffer.from([lead, trail]), 'gbk'))
  .filter((ch) => ch.length === 1 && ch !== '\ufffd');

describe('detectBom / detectEncoding', () => {
  it.each([
    [[0xef, 0xbb, 0xbf, 0x61], 'utf8', 3],
    [[0xff, 0xfe, 0x61, 0x00], 'utf16le', 2],
    [[0xfe, 0xff, 0x00, 0x61], 'utf16be', 2],
  ] as const)('BOM %j → %s', (bytes, encoding, length) => {
    const head = Uint8Array.from(bytes);
    expect(detectBom(head)).toEqual({ encoding, length });
    expect(detectEncoding(head)).toBe(encoding);
  });

  it.each([
    ['ASCII', Buffer.from('name,city\nAcme,Shanghai\n'), 'utf8'],
    ['empty', Buffer.alloc(0), 'utf8'],
    ['UTF-8 Chinese', encode(CHINESE, 'utf8'), 'utf8'],
    ['GBK Chinese', encode(CHINESE, 'gb18030'), 'gb18030'],
    ['GB18030 four-byte characters', encode('名称\n𠀀𠀁𪚥,€\n', 'gb18030'), 'gb18030'],
    ['a single GBK character', encode('中', 'gb18030'), 'gb18030'],
    // CB BE CB BE CB BE CB BE D0 C5: four valid UTF-8 characters (˾) and one invalid sequence
    ['short GBK text that reads mostly as UTF-8', encode('司司司司信', 'gb18030'), 'gb18030'],
    [
      'GBK text with one undecodable byte',
      Buffer.concat([encode('深圳华信', 'gb18030'), Buffer.from([0xff])]),
      'gb18030',
    ],
    [
      // Mostly UTF-8 with one GBK row (test/hostile/injection-and-uploads.test.ts): GB18030 reads most UTF-8
      // Chinese without an error (only odd runs of characters before a comma), but not cleanly.
      'UTF-8 rows with one row saved in GBK',
      Buffer.concat([
        encode(
          '企业名称,所属城市\r\n杭州西溪数据服务有限公司,杭州市\r\n苏州工业园区创新材料有限公司,苏州市\r\n宁波北仑港务有限公司,宁波市\r\n',
          'utf8',
        ),
        encode('南京江宁精密机械有限公司,南京市\r\n', 'gb18030'),
        encode('无锡惠山新材料有限公司,无锡市\r\n深圳市华信电子科技有限公司,深圳市\r\n', 'utf8'),
      ]),
      'utf8',
    ],
  ] as const)('%s → %s', (_label, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
  });

  it('is not fooled by a UTF-8 character cut at the end of the sniffed head', () => {
    const bytes = encode(CHINESE, 'utf8');
    for (let end = 1; end <= bytes.length; end++) expect(detectEncoding(bytes.subarray(0, end))).toBe('utf8');
  });

  it('still reads a UTF-8 file with a stray invalid byte as UTF-8', () => {
    const bytes = Buffer.concat([
      encode(CHINESE.repeat(5), 'utf8'),
      Buffer.from([0xff]),
      encode(CHINESE, 'utf8'),
    ]);
    expect(detectEncoding(bytes)).toBe('utf8');
  });

  it('detects UTF-8 for any text cut anywhere (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.nat(), (text, cut) => {
        const bytes = encode(text, 'utf8');
        expect(detectEncoding(bytes.subarray(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1)))).toBe(
          'utf8',
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('detects GBK for Chinese text of 16 characters or more (property)', () => {
    fc.assert(
      fc.property(fc.array(gb2312Char, { minLength: 16, maxLength: 80 }), (chars) => {
        expect(detectEncoding(encode(chars.join(''), 'gb18030'))).toBe('gb18030');
      }),
      { numRuns: 300 },
    );
  });
});

describe('utf8CompleteLength', () => {
  it('stops before a character that continues in the next chunk', () => {
    const bytes = encode('a中', 'utf8'); // 61 E4 B8 AD
    expect(utf8CompleteLength(bytes)).toBe(4);
    expect(utf8CompleteLength(bytes.subarray(0, 3))).toBe(1);
    expect(utf8CompleteLength(bytes.subarray(0, 2))).toBe(1);
    expect(utf8CompleteLength(bytes.subarray(0, 1))).toBe(1);
    expect(utf8CompleteLength(encode('😀', 'utf8').subarray(0, 3))).toBe(0);
  });
});

describe('TextDecodeStream', () => {
  const sources: Array<[string, Buffer, TextEncodingName]> = [
    ['UTF-8', encode(CHINESE, 'utf8'), 'utf8'],
    ['UTF-8 with BOM', Buffer.concat([BOM_UTF8, encode(CHINESE, 'utf8')]), 'utf8'],
    ['UTF-16 LE with BOM', encode(CHINESE, 'utf16le', true), 'utf16le'],
    ['UTF-16 BE with BOM', encode(CHINESE, 'utf16be', true), 'utf16be'],
    ['GBK', encode(CHINESE, 'gb18030'), 'gb18030'],
  ];

  for (const chunkSize of [1, 3, 7, 1 << 16]) {
    it.each(sources)(
      `decodes %s in chunks of ${chunkSize} bytes, BOM removed`,
      async (_label, bytes, encoding) => {
        const stream = createAutoDecodeStream(16);
        expect(await decodeAll(stream, chunked(bytes, chunkSize))).toBe(CHINESE);
        expect(stream.encoding).toBe(encoding);
        expect(stream.hadInvalidBytes).toBe(false);
      },
    );
  }

  it('decides at the first non-ASCII byte when the head is plain ASCII', async () => {
    const ascii = `${'company,city\n'}${'Acme,Shanghai\n'.repeat(10_000)}`;
    const bytes = Buffer.concat([Buffer.from(ascii), encode(CHINESE, 'gb18030')]);
    const stream = createAutoDecodeStream();
    expect(await decodeAll(stream, chunked(bytes, 4096))).toBe(ascii + CHINESE);
    expect(stream.encoding).toBe('gb18030');
  });

  it('decodes a known encoding, holding back the first bytes', async () => {
    const stream = createDecodeStream('utf16le');
    const pieces: string[] = [];
    Readable.from(chunked(encode(CHINESE, 'utf16le', true), 5)).pipe(stream);
    for await (const piece of stream) pieces.push(piece as string);
    expect(pieces.join('')).toBe(CHINESE);
    expect(pieces).toHaveLength(1);
  });

  it('flags bytes that are invalid in the detected encoding', async () => {
    const utf8 = createAutoDecodeStream(16);
    const bad = Buffer.concat([
      encode(CHINESE.repeat(3), 'utf8'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('x\n'),
    ]);
    expect(await decodeAll(utf8, chunked(bad, 5))).toContain('\ufffd');
    expect(utf8.encoding).toBe('utf8');
    expect(utf8.hadInvalidBytes).toBe(true);

    const truncated = createAutoDecodeStream(16);
    await decodeAll(truncated, [
      Buffer.concat([encode(CHINESE, 'utf8'), encode('中', 'utf8').subarray(0, 2)]),
    ]);
    expect(truncated.hadInvalidBytes).toBe(true);
  });
});

describe('decodeText', () => {
  it('decodes a whole buffer with the detected encoding', () => {
    expect(decodeText(encode(CHINESE, 'gb18030'))).toBe(CHINESE);
    expect(decodeText(encode(CHINESE, 'utf16be', true))).toBe(CHINESE);
    expect(decodeText(Buffer.concat([BOM_UTF8, Buffer.from('a')]))).toBe('a');
  });
});
