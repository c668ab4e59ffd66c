import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import Papa from 'papaparse';
import { msg } from '../domain/messages.ts';
import {
  createAutoDecodeStream,
  createDecodeStream,
  type TextDecodeStream,
  type TextEncodingName,
} from './detect-encoding.ts';
import { reasonInChinese } from './reason-zh.ts';
import {
  BatchQueue,
  type ErrorRow,
  importFileError,
  type ReadRow,
  type TabularFile,
  type TabularStats,
} from './tabular-rows.ts';

/*
 * Streaming CSV/TSV reader on papaparse.
 *
 * Pipeline: file or Readable → TextDecodeStream (encoding detected, BOM removed) → papaparse
 * (delimiter and line ending detected on the first 64 KiB) → batches of rows. One batch per
 * parsed chunk (1 MiB of input by default), so the consumer awaits once per few thousand rows;
 * when the consumer falls behind, the input is paused (back-pressure), so memory stays flat.
 *
 * Line numbers: each record carries the 1-based physical line where it starts. Line breaks
 * inside quoted fields are counted, so the record after a multi-line one is numbered right.
 * Lines are LF-terminated (CRLF counts once); in a file that uses bare CR, CR.
 *
 * Errors per record (reported as an ErrorRow, never merged into a neighbour): a field count
 * different from the header's, malformed or unterminated quotes. Errors for the whole file
 * (an AppError with details.problem): an empty file, a broken header, a record longer than
 * maxRecordChars (almost always an opening quote that is never closed).
 */

export type Delimiter = ',' | '\t' | ';' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', '\t', ';', '|'];
export type Newline = '\n' | '\r\n' | '\r';

export interface ReadDelimitedOptions {
  /** Skip detection. */
  readonly encoding?: TextEncodingName;
  /** Skip detection. An Excel "sep=;" first line is honoured when this is not given. */
  readonly delimiter?: Delimiter;
  /** Line of the header when it is not the first non-blank line (a title line above it). */
  readonly headerLine?: number;
  /** A record longer than this (in characters) stops the read with record_too_large. Default 1 MiB. */
  readonly maxRecordChars?: number;
  /** Read size for a file path. Default 1 MiB. */
  readonly chunkBytes?: number;
  /** Batches parsed ahead of the consumer before the input is paused. Default 4. */
  readonly maxQueuedBatches?: number;
  /** Aborting stops the read; the iterator then throws an AppError with details.problem 'aborted'. */
  readonly signal?: AbortSignal;
}

export interface DelimitedFile extends TabularFile {
  readonly delimiter: Delimiter;
  readonly newline: Newline;
  /** Detected (or given) encoding. */
  readonly encoding: TextEncodingName;
  /** Some bytes were not valid in the encoding and were read as U+FFFD; worth a warning. */
  readonly hadInvalidBytes: boolean;
}

const DEFAULT_MAX_RECORD_CHARS = 1 << 20;
const DEFAULT_CHUNK_BYTES = 1 << 20;
const GUESS_CHARS = 64 * 1024;
const SEP_LINE = /^sep=(.)\r?\n/i;

/**
 * Opens a CSV/TSV file (path or byte stream) and reads up to its header. The records follow
 * through `batches()` or `rows()`; call `close()` when stopping before the end.
 */
export async function openDelimited(
  input: string | Readable,
  options: ReadDelimitedOptions = {},
): Promise<DelimitedFile> {
  const reader = new DelimitedReader(input, options);
  await reader.ready;
  return reader;
}

/** Papa's row-level errors that make a record unusable. */
function quoteErrorMessage(code: string): string {
  return code === 'MissingQuotes'
    ? 'a quoted field starting in this record is never closed, so everything after it was read into that field; add the missing closing quote (")'
    : 'malformed quotes: a field that starts with " must end with " just before the next delimiter; write a quote inside a field as two quotes ("")';
}

function isBlankRecord(fields: string[]): boolean {
  const first = fields[0] ?? '';
  if (first.length > 0 && first.charCodeAt(0) > 0x20) return false;
  for (const field of fields) if (field.trim().length > 0) return false;
  return true;
}

/** Papa's own guess (the delimiter that splits the first ten records most consistently), comma if none. */
function guessDelimiter(text: string): Delimiter {
  const guess = Papa.parse<string[]>(text.slice(0, GUESS_CHARS), {
    delimitersToGuess: [...DELIMITERS],
    preview: 10,
    skipEmptyLines: 'greedy',
  });
  const found = guess.meta.delimiter as Delimiter;
  const failed = guess.errors.some((e) => e.code === 'UndetectableDelimiter');
  return !failed && DELIMITERS.includes(found) ? found : ',';
}

class DelimitedReader implements DelimitedFile {
  header: string[] = [];
  headerLine = 0;
  delimiter: Delimiter = ',';
  newline: Newline = '\n';
  readonly ready: Promise<void>;

  private readonly source: Readable;
  private readonly decoder: TextDecodeStream;
  private readonly queue: BatchQueue<ReadRow[]>;
  private readonly options: ReadDelimitedOptions;
  private readonly maxRecordChars: number;
  private headerSeen = false;
  private resolveReady!: () => void;
  private rejectReady!: (error: unknown) => void;
  private nextLine = 1;
  private charsFed = 0;
  private sawQuote = false;
  private sawBareLf = false;
  private previousLastChar = 0;
  private sepDelimiter: Delimiter | undefined;
  private closed = false;
  private paused = false;
  private iterated = false;
  private counts = { rows: 0, errorRows: 0, blankLines: 0 };
  private readonly onAbort = (): void => {
    this.fail(importFileError('aborted', msg('import_file.cancelled')));
  };

  constructor(input: string | Readable, options: ReadDelimitedOptions) {
    this.options = options;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // The header promise may be rejected before anyone awaits it; the rejection still reaches openDelimited.
    this.ready.catch(() => {});
    this.queue = new BatchQueue<ReadRow[]>(
      Math.max(1, options.maxQueuedBatches ?? 4),
      () => this.pause(),
      () => this.resume(),
    );
    this.source =
      typeof input === 'string'
        ? createReadStream(input, { highWaterMark: options.chunkBytes ?? DEFAULT_CHUNK_BYTES })
        : input;
    this.decoder = options.encoding ? createDecodeStream(options.encoding) : createAutoDecodeStream();

    if (options.signal?.aborted) {
      this.onAbort();
      this.source.destroy();
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });

    pipeline(this.source, this.decoder, (error) => {
      if (error && !this.closed) this.fail(wrapReadError(error));
    });
    // Registered before papaparse's own listener, so it sees each chunk before it is parsed.
    this.decoder.on('data', (text: string) => this.observe(text));
    Papa.parse<string[]>(this.decoder as unknown as NodeJS.ReadableStream, {
      delimiter: (text: string) => {
        const delimiter = options.delimiter ?? this.sepDelimiter ?? guessDelimiter(text);
        this.delimiter = delimiter;
        return delimiter;
      },
      beforeFirstChunk: (chunk: string) => {
        if (options.delimiter) return chunk;
        const sep = SEP_LINE.exec(chunk);
        if (!sep) return chunk;
        // Excel's "sep=;" line names the delimiter; it is not a record.
        this.charsFed -= sep[0].length;
        this.nextLine = 2;
        return chunk.slice(sep[0].length);
      },
      skipEmptyLines: false,
      chunk: (results) => this.onChunk(results),
      complete: () => this.onComplete(),
      error: (error: Error) => this.fail(wrapReadError(error)),
    });
  }

  get encoding(): TextEncodingName {
    return this.decoder.encoding ?? 'utf8';
  }

  get hadInvalidBytes(): boolean {
    return this.decoder.hadInvalidBytes;
  }

  get stats(): TabularStats {
    return { ...this.counts };
  }

  async *batches(): AsyncGenerator<ReadRow[], void, undefined> {
    if (this.iterated) throw new Error('the records of a delimited file can be read only once');
    this.iterated = true;
    try {
      for (;;) {
        const batch = await this.queue.next();
        if (batch === undefined) return;
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  async *rows(): AsyncGenerator<ReadRow, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.queue.finish();
    this.decoder.destroy();
    this.source.destroy();
  }

  private observe(text: string): void {
    if (this.charsFed === 0 && !this.options.delimiter) {
      const sep = SEP_LINE.exec(text);
      const candidate = sep?.[1] as Delimiter | undefined;
      if (candidate && DELIMITERS.includes(candidate)) this.sepDelimiter = candidate;
    }
    this.charsFed += text.length;
    if (!this.sawQuote && text.indexOf('"') !== -1) this.sawQuote = true;
    // A bare LF matters only in CRLF files, where it sits inside a field without quotes.
    if (!this.sawBareLf) {
      let at = text.indexOf('\n');
      while (at !== -1) {
        const before = at === 0 ? this.previousLastChar : text.charCodeAt(at - 1);
        if (before !== 0x0d) {
          this.sawBareLf = true;
          break;
        }
        at = text.indexOf('\n', at + 1);
      }
    }
    this.previousLastChar = text.charCodeAt(text.length - 1);
  }

  private onChunk(results: Papa.ParseResult<string[]>): void {
    if (this.closed) return;
    const linebreak = results.meta.linebreak;
    if (linebreak === '\n' || linebreak === '\r\n' || linebreak === '\r') this.newline = linebreak;
    const data = results.data;

    let quoteErrors: Map<number, string> | undefined;
    for (const error of results.errors) {
      if (error.type !== 'Quotes' || error.row === undefined || error.row >= data.length) continue;
      quoteErrors ??= new Map();
      if (!quoteErrors.has(error.row)) quoteErrors.set(error.row, quoteErrorMessage(error.code));
    }

    const scan = this.sawQuote || (this.newline === '\r\n' && this.sawBareLf);
    const breakChar = this.newline === '\r' ? '\r' : '\n';
    let headerLength = this.header.length;
    const out: ReadRow[] = [];
    let errorRows = 0;
    for (let i = 0; i < data.length; i++) {
      const fields = data[i] as string[];
      const line = this.nextLine;
      let breaks = 0;
      if (scan) {
        for (let f = 0; f < fields.length; f++) {
          const field = fields[f] as string;
          let at = field.indexOf(breakChar);
          while (at !== -1) {
            breaks++;
            at = field.indexOf(breakChar, at + 1);
          }
        }
      }
      this.nextLine = line + 1 + breaks;
      const quoteError = quoteErrors?.get(i);
      if (quoteError === undefined && isBlankRecord(fields)) {
        this.counts.blankLines++;
        continue;
      }
      if (!this.headerSeen) {
        if (line < (this.options.headerLine ?? 0)) {
          this.counts.blankLines++;
          continue;
        }
        if (quoteError !== undefined) {
          this.fail(
            importFileError(
              'malformed_header',
              msg('import_file.malformed_header', {
                line,
                reason: { en: quoteError, 'zh-CN': reasonInChinese(quoteError) },
              }),
              { line },
            ),
          );
          return;
        }
        this.acceptHeader(fields, line);
        headerLength = fields.length;
        continue;
      }
      const span = breaks > 0 ? ` (the record spans lines ${line}-${line + breaks})` : '';
      if (quoteError !== undefined) {
        out.push({ line, fields, error: quoteError + span } satisfies ErrorRow);
        errorRows++;
      } else if (fields.length !== headerLength) {
        out.push({
          line,
          fields,
          error: `row has ${fields.length} field${fields.length === 1 ? '' : 's'}, header has ${headerLength}${span}`,
        } satisfies ErrorRow);
        errorRows++;
      } else {
        out.push({ line, fields });
      }
    }
    if (out.length > 0) {
      this.counts.rows += out.length;
      this.counts.errorRows += errorRows;
      this.queue.push(out);
    }

    const unparsed = this.charsFed - results.meta.cursor;
    if (unparsed > this.maxRecordChars) {
      const line = this.nextLine;
      this.fail(
        importFileError(
          'record_too_large',
          msg('import_file.record_too_large', { line, max: this.maxRecordChars.toLocaleString('en-US') }),
          { line },
        ),
      );
    }
  }

  private acceptHeader(fields: string[], line: number): void {
    this.header = fields;
    this.headerLine = line;
    this.headerSeen = true;
    this.resolveReady();
  }

  private onComplete(): void {
    if (this.closed) return;
    if (!this.headerSeen) {
      this.fail(importFileError('empty_file', msg('import_file.no_rows')));
      return;
    }
    this.queue.finish();
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.queue.fail(error);
    this.rejectReady(error);
    void this.close();
  }

  private pause(): void {
    if (!this.paused && !this.closed) {
      this.paused = true;
      this.decoder.pause();
    }
  }

  private resume(): void {
    if (this.paused && !this.closed) {
      this.paused = false;
      this.decoder.resume();
    }
  }
}

function wrapReadError(error: unknown): unknown {
  if (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('E')
  ) {
    const code = error.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      return importFileError('unreadable', msg('import_file.cannot_read', { reason: error.message }), {
        cause: code,
      });
    }
  }
  return error;
}
