import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { isAppError } from '../domain/errors.ts';
import { type Message, msg } from '../domain/messages.ts';
import { importFileError } from './tabular-rows.ts';

/*
 * The zip package of an .xlsx, read through its central directory.
 *
 * Why not let exceljs read the zip from the front: exceljs 4.4's streaming reader meets the
 * worksheets in stored order, and when they come before the shared-strings part (as Excel
 * writes them) it parks them in temporary files; on that path unzipper signals the end of the
 * archive while entries are still queued and exceljs silently drops the rest of the workbook
 * (seen in about one read in ten here; exceljs issues #2790 and #3064). So this module reads
 * the central directory and the workbook part itself, then hands exceljs a zip stream of only
 * the parts it needs, in the order that lets it stream every sheet directly: relationships,
 * workbook, styles, shared strings, then the sheets in tab order. The stream never ends on its
 * own (no end-of-archive record), so unzipper cannot end it early; the reader stops it.
 */

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  /** Uncompressed size as declared by the archive (a zip bomb can lie; exceljs does not check). */
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

const damaged = (what: Message) => importFileError('unreadable', msg('import_file.damaged', { what }));

/** Reads the central directory: every entry by name ('/' separators). */
export async function readZipDirectory(handle: FileHandle, fileSize: number): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw damaged(msg('import_file.zip.no_end_record'));
  let count = tail.readUInt16LE(at + 10);
  let directorySize = tail.readUInt32LE(at + 12);
  let directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    const locatorAt = at - 20;
    if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== EOCD64_LOCATOR)
      throw damaged(msg('import_file.zip.no_zip64_locator'));
    const eocd64 = await readAt(handle, Number(tail.readBigUInt64LE(locatorAt + 8)), 56);
    if (eocd64.length < 56 || eocd64.readUInt32LE(0) !== EOCD64)
      throw damaged(msg('import_file.zip.no_zip64_end'));
    count = Number(eocd64.readBigUInt64LE(32));
    directorySize = Number(eocd64.readBigUInt64LE(40));
    directoryOffset = Number(eocd64.readBigUInt64LE(48));
  }
  if (directoryOffset + directorySize > fileSize) throw damaged(msg('import_file.zip.directory_beyond_end'));
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL)
      throw damaged(msg('import_file.zip.broken_directory_entry'));
    const flags = directory.readUInt16LE(p + 8);
    const method = directory.readUInt16LE(p + 10);
    const crc32 = directory.readUInt32LE(p + 16);
    let compressedSize = directory.readUInt32LE(p + 20);
    let size = directory.readUInt32LE(p + 24);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    let localHeaderOffset = directory.readUInt32LE(p + 42);
    const name = directory
      .subarray(p + 46, p + 46 + nameLength)
      .toString('utf8')
      .replace(/\\/g, '/');
    // Zip64: the real sizes and offset are in extra field 0x0001, in this order, when masked.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = directory.readUInt16LE(e);
      const length = directory.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(directory.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(directory.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(directory.readBigUInt64LE(q));
      }
      e += 4 + length;
    }
    entries.set(name, { name, method, flags, crc32, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/** Offset of an entry's data, after its local header. */
export async function dataOffset(handle: FileHandle, entry: ZipEntry): Promise<number> {
  const header = await readAt(handle, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL)
    throw damaged(msg('import_file.zip.broken_header', { part: entry.name }));
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** The uncompressed content of a small entry (the workbook part, relationships). */
export async function readEntry(handle: FileHandle, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.size > maxBytes) throw damaged(msg('import_file.zip.unexpectedly_large', { part: entry.name }));
  if (entry.flags & 1) throw importFileError('unreadable', msg('import_file.encrypted'));
  const compressed = await readAt(handle, await dataOffset(handle, entry), entry.compressedSize);
  if (entry.method === 0) return compressed;
  if (entry.method !== 8)
    throw damaged(msg('import_file.zip.unsupported_method', { part: entry.name, method: entry.method }));
  try {
    return inflateRawSync(compressed, { maxOutputLength: maxBytes });
  } catch {
    throw damaged(msg('import_file.zip.cannot_decompress', { part: entry.name }));
  }
}

export interface SheetInfo {
  readonly name: string;
  /** visible, hidden or veryHidden */
  readonly state: string;
  /** Zip entry of the sheet XML; undefined when the workbook points nowhere. */
  readonly part: ZipEntry | undefined;
}

export interface WorkbookInfo {
  /** In tab order. */
  readonly sheets: readonly SheetInfo[];
  readonly date1904: boolean;
  /** exceljs reads only date1904="1" (not "true"), and converts date cells with that belief. */
  readonly exceljsDate1904: boolean;
  readonly workbook: ZipEntry;
  readonly relationships: ZipEntry;
  readonly styles: ZipEntry | undefined;
  readonly sharedStrings: ZipEntry | undefined;
}

const ENTITY = /&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(
    ENTITY,
    (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
      if (dec) return String.fromCodePoint(Number(dec));
      return NAMED[(name ?? '').toLowerCase()] ?? '';
    },
  );
}

/** Attributes of one tag by local name (prefixes dropped; a prefixed "id" is kept as "r:id"). */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const local = m[2] ?? '';
    const key = m[1] && local === 'id' ? 'r:id' : local;
    found.set(key, xmlText(m[3] ?? m[4] ?? ''));
  }
  return found;
}

function tags(xml: string, localName: string): Array<Map<string, string>> {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${localName}\\b([^>]*)>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => attributes(m[1] ?? ''));
}

function findEntry(entries: Map<string, ZipEntry>, name: string): ZipEntry | undefined {
  const exact = entries.get(name);
  if (exact) return exact;
  const folded = name.toLowerCase();
  for (const [key, entry] of entries) if (key.toLowerCase() === folded) return entry;
  return undefined;
}

function resolveTarget(target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

const XML_PART_LIMIT = 16 * 1024 * 1024;

/** Sheets (tab order, state, part), the date system and the parts exceljs needs. */
export async function readWorkbookInfo(
  handle: FileHandle,
  entries: Map<string, ZipEntry>,
): Promise<WorkbookInfo> {
  const workbook = findEntry(entries, 'xl/workbook.xml');
  const relationships = findEntry(entries, 'xl/_rels/workbook.xml.rels');
  if (!workbook || !relationships) {
    throw importFileError('not_xlsx', msg('import_file.zip_not_xlsx'));
  }
  const workbookXml = (await readEntry(handle, workbook, XML_PART_LIMIT)).toString('utf8');
  const relationshipsXml = (await readEntry(handle, relationships, XML_PART_LIMIT)).toString('utf8');

  const targets = new Map<string, { type: string; target: string }>();
  for (const rel of tags(relationshipsXml, 'Relationship')) {
    const id = rel.get('Id');
    if (id) targets.set(id, { type: rel.get('Type') ?? '', target: resolveTarget(rel.get('Target') ?? '') });
  }
  const partOfType = (suffix: string): ZipEntry | undefined => {
    for (const { type, target } of targets.values())
      if (type.endsWith(suffix)) return findEntry(entries, target);
    return undefined;
  };

  const sheets = tags(workbookXml, 'sheet').map((sheet): SheetInfo => {
    const rel = targets.get(sheet.get('r:id') ?? '');
    return {
      name: sheet.get('name') ?? '',
      state: sheet.get('state') ?? 'visible',
      part: rel ? findEntry(entries, rel.target) : undefined,
    };
  });
  const date1904Attribute = tags(workbookXml, 'workbookPr')[0]?.get('date1904')?.trim().toLowerCase();
  return {
    sheets,
    date1904: date1904Attribute === '1' || date1904Attribute === 'true',
    exceljsDate1904: date1904Attribute === '1',
    workbook,
    relationships,
    styles: partOfType('/styles') ?? findEntry(entries, 'xl/styles.xml'),
    sharedStrings: partOfType('/sharedStrings') ?? findEntry(entries, 'xl/sharedStrings.xml'),
  };
}

function localHeader(name: string, entry: ZipEntry): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6); // UTF-8 name, sizes known (no data descriptor)
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(0x21, 12); // 1980-01-01
  header.writeUInt32LE(entry.crc32, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, nameBytes]);
}

export interface PackagePart {
  readonly entry: ZipEntry;
  /** Name given to the part in the stream (the one exceljs expects). */
  readonly as: string;
}

/**
 * A zip stream of the given parts, in order, with fresh local headers (sizes known, so no
 * data descriptors). It stays open after the last part until `closed` settles.
 */
export function createPackageStream(
  path: string,
  handle: FileHandle,
  parts: readonly PackagePart[],
  closed: Promise<void>,
): Readable {
  let released = false;
  void closed.then(() => {
    released = true;
  });
  async function* generate(): AsyncGenerator<Buffer> {
    try {
      yield* partData();
    } catch (error) {
      // Reads that fail because the reader closed the file meanwhile are not errors.
      if (!released) throw error;
    }
    await closed;
  }
  async function* partData(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      if (part.entry.size > 0xfffffffe || part.entry.compressedSize > 0xfffffffe) {
        throw importFileError('file_too_large', msg('import_file.part_over_4gib', { part: part.entry.name }));
      }
      if (part.entry.flags & 1) throw importFileError('unreadable', msg('import_file.encrypted'));
      const start = await dataOffset(handle, part.entry);
      if (part.entry.method !== 8) {
        yield localHeader(part.as, part.entry);
        if (part.entry.compressedSize === 0) continue;
        const data = createReadStream(path, {
          start,
          end: start + part.entry.compressedSize - 1,
          highWaterMark: 256 * 1024,
        });
        for await (const chunk of data) yield chunk as Buffer;
        continue;
      }
      // Deflated: inflated here and handed on stored, so that no part unpacks to more than its entry declares
      // (the declared sizes are what the reader checks against its limits before anything is inflated).
      yield localHeader(part.as, { ...part.entry, method: 0, compressedSize: part.entry.size });
      yield* inflated(path, start, part.entry);
    }
  }
  return Readable.from(generate(), { objectMode: false });
}

/**
 * The uncompressed bytes of a deflated entry, stopped as soon as they run past the size its directory entry
 * declares (a zip bomb lies about it) and checked to reach it (a damaged entry).
 */
async function* inflated(path: string, start: number, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw damaged(msg('import_file.zip.no_data', { part: entry.name }));
    return;
  }
  const data = createReadStream(path, {
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: 256 * 1024,
  });
  const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
  data.on('error', (error) => inflater.destroy(error));
  data.pipe(inflater);
  let bytes = 0;
  try {
    for await (const chunk of inflater) {
      bytes += (chunk as Buffer).length;
      if (bytes > entry.size) {
        throw importFileError(
          'file_too_large',
          msg('import_file.part_exceeds_declared', {
            part: entry.name,
            size: entry.size.toLocaleString('en-US'),
          }),
          { part: entry.name },
        );
      }
      yield chunk as Buffer;
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw damaged(msg('import_file.zip.cannot_decompress', { part: entry.name }));
  } finally {
    data.destroy();
    inflater.destroy();
  }
  if (bytes !== entry.size) throw damaged(msg('import_file.zip.shorter_than_declared', { part: entry.name }));
}
