import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How many of an import's first warnings the import command lists before it points to the rest. */
export const WARNINGS_SHOWN = 10;

/**
 * Writes an import's warnings CSV (the service's chunks, or the API's response body) to `path`, creating its
 * folder; answers the absolute path.
 */
export async function writeWarningsFile(
  path: string,
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<string> {
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  await pipeline(Readable.from(chunks), createWriteStream(absolute));
  return absolute;
}
