import { AppError, type ErrorCode } from '../domain/errors.ts';
import type { Message } from '../domain/messages.ts';

/*
 * The row shape shared by the CSV/TSV reader and the Excel reader, so that the import service
 * treats both alike.
 */

/** A record: `line` is the 1-based line (CSV) or row number (Excel) where it starts. */
export interface DataRow {
  readonly line: number;
  readonly fields: string[];
}

/**
 * A record that cannot be imported as it stands (wrong field count, broken quoting, a value
 * in a column without a header). The raw fields are kept for the rejected-rows file.
 */
export interface ErrorRow {
  readonly line: number;
  readonly fields: string[];
  readonly error: string;
}

export type ReadRow = DataRow | ErrorRow;

export const isErrorRow = (row: ReadRow): row is ErrorRow => 'error' in row;

export interface TabularStats {
  /** Records after the header, error rows included. */
  readonly rows: number;
  readonly errorRows: number;
  /** Blank lines (or, in Excel, empty rows) skipped, header included in the count if preceded. */
  readonly blankLines: number;
}

/** An opened file: its header, then its records in batches. */
export interface TabularFile {
  /** Header fields exactly as in the file (a BOM removed). */
  readonly header: readonly string[];
  /** Line (CSV) or row number (Excel) of the header. */
  readonly headerLine: number;
  /**
   * The records after the header, one array per parsed chunk (hundreds to thousands of rows):
   * the fast path, one await per batch. Can be iterated once. Stopping early closes the file.
   */
  batches(): AsyncGenerator<ReadRow[], void, undefined>;
  /** The same records one by one (one await per row: convenient, slower). */
  rows(): AsyncGenerator<ReadRow, void, undefined>;
  readonly stats: TabularStats;
  /** Stops reading and releases the file (destroys the input stream). Safe to call twice. */
  close(): Promise<void>;
}

/** What went wrong with a file as a whole, in `AppError.details.problem`. */
export type ImportFileProblem =
  | 'empty_file'
  | 'malformed_header'
  | 'record_too_large'
  | 'file_too_large'
  | 'too_many_rows'
  | 'shared_strings_too_large'
  | 'not_xlsx'
  | 'legacy_xls'
  | 'sheet_not_found'
  | 'no_data'
  | 'aborted'
  | 'unreadable';

const CODE_FOR_PROBLEM: Record<ImportFileProblem, ErrorCode> = {
  empty_file: 'unprocessable',
  malformed_header: 'unprocessable',
  record_too_large: 'unprocessable',
  file_too_large: 'payload_too_large',
  too_many_rows: 'payload_too_large',
  shared_strings_too_large: 'payload_too_large',
  not_xlsx: 'unprocessable',
  legacy_xls: 'unprocessable',
  sheet_not_found: 'bad_request',
  no_data: 'unprocessable',
  aborted: 'bad_request',
  unreadable: 'unprocessable',
};

export interface ImportFileErrorDetails {
  readonly problem: ImportFileProblem;
  readonly line?: number;
  readonly [key: string]: unknown;
}

/**
 * An AppError about the file as a whole; `details.problem` says which problem. The message is a catalog message
 * (`import_file.*` in domain/messages.ts): English in `AppError.message` (the CLI, logs), the reader's language
 * over HTTP, also after crossing the parse worker (see plainError) and when stored as a job's failure.
 */
export function importFileError(
  problem: ImportFileProblem,
  message: Message,
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError(CODE_FOR_PROBLEM[problem], message, {
    problem,
    ...extra,
  } satisfies ImportFileErrorDetails);
}

/** A minimal async queue of batches with back-pressure hooks, shared by both readers. */
export class BatchQueue<T> {
  private readonly items: T[] = [];
  private finished = false;
  private failure: { error: unknown } | null = null;
  private waiter: (() => void) | null = null;

  constructor(
    private readonly highWater: number,
    private readonly onFull: () => void,
    private readonly onDrain: () => void,
  ) {}

  get length(): number {
    return this.items.length;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  push(item: T): void {
    if (this.finished) return;
    this.items.push(item);
    if (this.items.length >= this.highWater) this.onFull();
    this.notify();
  }

  finish(): void {
    this.finished = true;
    this.notify();
  }

  fail(error: unknown): void {
    if (this.failure || this.finished) return;
    this.failure = { error };
    this.finished = true;
    this.notify();
  }

  /** The next item, undefined at the end; throws the failure, if any, once the items before it are taken. */
  async next(): Promise<T | undefined> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        if (this.items.length < this.highWater && !this.finished) this.onDrain();
        return item;
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return undefined;
      this.onDrain();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  private notify(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
