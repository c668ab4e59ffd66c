import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/*
 * Text encoding of an imported file, detected, never asked: a byte-order mark says UTF-8,
 * UTF-16 LE or UTF-16 BE; without one, bytes that are valid UTF-8 are UTF-8 and anything else
 * is GB18030 (a superset of GBK and GB2312, what Chinese Excel and vendor exports write).
 * UTF-16 without a BOM and other legacy encodings (Big5, Shift-JIS) are not detected.
 */

export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';

/** How many bytes the automatic decoder looks at before deciding. */
export const DEFAULT_SNIFF_BYTES = 64 * 1024;

export interface Bom {
  readonly encoding: TextEncodingName;
  readonly length: number;
}

/** The byte-order mark at the start of `head`, if any. */
export function detectBom(head: Uint8Array): Bom | null {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf8', length: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return null;
}

/**
 * Encoding of a file from its first bytes (64 KiB is plenty). A multi-byte character cut off at
 * the end of `head` does not count against either reading. Bytes that are not valid UTF-8 but
 * read cleanly as GB18030 (no undecodable sequence, no private-use character) are GB18030; else
 * a few invalid sequences among many valid multi-byte ones still mean (slightly damaged) UTF-8,
 * while GBK text read as UTF-8 has far more invalid sequences than valid ones.
 */
export function detectEncoding(head: Uint8Array): TextEncodingName {
  const bom = detectBom(head);
  if (bom) return bom.encoding;
  return looksLikeUtf8(head) ? 'utf8' : 'gb18030';
}

function looksLikeUtf8(bytes: Uint8Array): boolean {
  const end = utf8CompleteLength(bytes);
  if (isUtf8(bytes.subarray(0, end))) return true;
  // Not valid UTF-8. GBK text, even a few characters of it, reads as GB18030 without an undecodable sequence or a
  // private-use character, while UTF-8 text read as GB18030 meets both (a run of an odd number of three-byte
  // characters before a comma; pairs of continuation bytes in the user-defined areas): short GBK text can look
  // mostly valid as UTF-8 (司 is CB BE, also the UTF-8 of ˾), so the count of valid sequences alone misleads.
  if (readsAsGb18030(bytes)) return false;
  const { valid, invalid } = scoreUtf8(bytes.subarray(0, end));
  return valid >= 4 * invalid;
}

/**
 * Whether `bytes` read as GB18030 hold no undecodable sequence and no private-use character (what its user-defined
 * areas decode to); a character cut off at the end does not count.
 */
function readsAsGb18030(bytes: Uint8Array): boolean {
  const text = gb18030Decoder().write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  return !/[\ufffd\ue000-\uf8ff]/.test(text);
}

/** Expected length of a UTF-8 sequence from its lead byte; 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Length of the prefix of `bytes` that does not end inside a UTF-8 multi-byte sequence: the
 * bytes after it are the start of a character that continues in the next chunk.
 */
export function utf8CompleteLength(bytes: Uint8Array): number {
  const length = bytes.length;
  // Walk back over at most three continuation bytes to the lead byte of the last sequence.
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const needed = sequenceLength(byte);
    return needed > back ? length - back : length;
  }
  return length;
}

/** Counts well-formed multi-byte sequences and invalid bytes (strict: no overlongs or surrogates). */
function scoreUtf8(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  const length = bytes.length;
  while (i < length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const needed = sequenceLength(lead);
    let ok = needed > 1 && i + needed <= length;
    for (let k = 1; ok && k < needed; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok && needed === 3) {
      const second = bytes[i + 1] ?? 0;
      if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) ok = false;
    } else if (ok && needed === 4) {
      const second = bytes[i + 1] ?? 0;
      if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) ok = false;
    }
    if (ok) {
      valid++;
      i += needed;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** Checks UTF-8 validity chunk by chunk, carrying a character split across chunks. */
class Utf8Validator {
  private carry: Buffer | null = null;

  /** False once any invalid sequence was seen. */
  write(chunk: Buffer): boolean {
    let bytes = chunk;
    if (this.carry) {
      bytes = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const end = utf8CompleteLength(bytes);
    if (end < bytes.length) this.carry = Buffer.from(bytes.subarray(end));
    return isUtf8(bytes.subarray(0, end));
  }

  end(): boolean {
    return this.carry === null;
  }
}

type Mode = 'sniff' | 'ascii' | 'sniff-rest' | 'decode';
interface Decoder {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

/**
 * GB18030 through the runtime's TextDecoder (ICU, about 4× faster than iconv-lite's JavaScript decoder on
 * vendor exports); iconv-lite where the runtime was built without it. Undecodable bytes become U+FFFD in both.
 */
function gb18030Decoder(): Decoder {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gb18030');
  } catch {
    return iconv.getDecoder('gb18030');
  }
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}

/**
 * Bytes in, strings out (the readable side is in object mode and emits strings), with any BOM
 * removed. Created by createDecodeStream (a known encoding) or createAutoDecodeStream.
 *
 * In automatic mode the stream holds back the first `sniffBytes` and decides from them. When
 * those are plain ASCII it keeps passing ASCII through and decides at the first non-ASCII
 * byte instead (ASCII reads the same in UTF-8 and GB18030, so nothing is decoded twice): an
 * English header over Chinese rows is still detected right.
 */
export class TextDecodeStream extends Transform {
  private mode: Mode;
  private detected: TextEncodingName | undefined;
  private decoder: Decoder | null = null;
  private validator: Utf8Validator | null = null;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private atStart = true;
  private invalidBytes = false;
  private readonly sniffBytes: number;
  private readonly forced: TextEncodingName | undefined;

  constructor(encoding: TextEncodingName | 'auto', sniffBytes = DEFAULT_SNIFF_BYTES) {
    super({ readableObjectMode: true });
    this.sniffBytes = Math.max(16, sniffBytes);
    // With a known encoding the first bytes are still held back, so that the first string
    // emitted is large enough for a CSV parser to guess the delimiter and line ending from.
    this.mode = 'sniff';
    this.forced = encoding === 'auto' ? undefined : encoding;
    if (this.forced) this.detected = this.forced;
  }

  /** The encoding decided so far; undefined until enough bytes arrived. ASCII so far reads as 'utf8'. */
  get encoding(): TextEncodingName | undefined {
    return this.detected;
  }

  /** True when some bytes could not be decoded and were replaced by U+FFFD. */
  get hadInvalidBytes(): boolean {
    return this.invalidBytes;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('TextDecodeStream expects Buffer chunks');
      this.accept(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
      );
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.mode === 'sniff' || this.mode === 'sniff-rest') this.decide(true);
      if (this.decoder) this.output(this.decoder.end() ?? '');
      if (this.validator && !this.validator.end()) this.invalidBytes = true;
      if (this.detected === undefined) this.detected = 'utf8';
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private accept(chunk: Buffer): void {
    switch (this.mode) {
      case 'decode':
        this.decode(chunk);
        return;
      case 'ascii': {
        if (isAscii(chunk)) {
          this.output(chunk.toString('latin1'));
          return;
        }
        let first = 0;
        while (first < chunk.length && (chunk[first] ?? 0) < 0x80) first++;
        if (first > 0) this.output(chunk.toString('latin1', 0, first));
        this.mode = 'sniff-rest';
        this.hold(chunk.subarray(first));
        return;
      }
      default:
        this.hold(chunk);
    }
  }

  private hold(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= this.sniffBytes) this.decide(false);
  }

  private decide(final: boolean): void {
    const head = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    if (this.forced) {
      this.mode = 'decode';
      this.startDecoder(this.forced);
      this.decode(head);
      return;
    }
    const bom = this.mode === 'sniff' ? detectBom(head) : null;
    if (!bom && this.mode === 'sniff' && isAscii(head)) {
      this.detected = 'utf8';
      this.mode = final ? 'decode' : 'ascii';
      if (head.length > 0) this.output(head.toString('latin1'));
      return;
    }
    this.mode = 'decode';
    this.startDecoder(bom ? bom.encoding : looksLikeUtf8(head) ? 'utf8' : 'gb18030');
    this.decode(head);
  }

  private startDecoder(encoding: TextEncodingName): void {
    this.detected = encoding;
    this.decoder = encoding === 'gb18030' ? gb18030Decoder() : iconv.getDecoder(encoding, { stripBOM: true });
    this.validator = encoding === 'utf8' ? new Utf8Validator() : null;
  }

  private decode(chunk: Buffer): void {
    if (this.validator && !this.invalidBytes && !this.validator.write(chunk)) this.invalidBytes = true;
    this.output((this.decoder as Decoder).write(chunk));
  }

  private output(text: string): void {
    if (text.length === 0) return;
    let out = text;
    if (this.atStart) {
      this.atStart = false;
      if (out.charCodeAt(0) === 0xfeff) out = out.slice(1);
      if (out.length === 0) return;
    }
    // UTF-8 validity is checked on the bytes; for the others a replacement character is the sign.
    if (!this.validator && !this.invalidBytes && out.indexOf('\ufffd') !== -1) this.invalidBytes = true;
    this.push(out);
  }
}

/** Decoder for a known encoding: Buffer chunks in, strings out, BOM removed. */
export function createDecodeStream(encoding: TextEncodingName): TextDecodeStream {
  return new TextDecodeStream(encoding);
}

/** Decoder that detects the encoding from the bytes it receives (see TextDecodeStream). */
export function createAutoDecodeStream(sniffBytes = DEFAULT_SNIFF_BYTES): TextDecodeStream {
  return new TextDecodeStream('auto', sniffBytes);
}

/** Decodes a whole buffer (small files, tests) with the detected or given encoding, BOM removed. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName = detectEncoding(bytes)): string {
  const text = iconv.decode(bytes, encoding, { stripBOM: true });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
