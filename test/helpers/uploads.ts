import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ServiceContext } from '../../src/services/context.ts';
import { createUploadJob, newUploadTarget } from '../../src/services/import-prospects.ts';

/**
 * A multipart/form-data body with one file field named "file", as the import upload takes it (app.inject's
 * `payload` and `headers`). A Readable content is streamed, head and tail around it.
 */
export function multipart(
  fileName: string,
  content: Buffer | Readable,
  contentType = 'application/octet-stream',
): { payload: Buffer | Readable; headers: Record<string, string> } {
  const boundary = `----tierline${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (Buffer.isBuffer(content)) return { payload: Buffer.concat([head, content, tail]), headers };
  async function* stream() {
    yield head;
    for await (const chunk of content) yield chunk as Buffer;
    yield tail;
  }
  return { payload: Readable.from(stream()), headers };
}

/**
 * An upload as POST /api/imports stores it, by `ctx`'s user at `at`: `csv` written under the uploads folder
 * (newUploadTarget) and its job created (state `uploaded`).
 */
export async function storeUpload(
  ctx: ServiceContext,
  at: Date,
  csv: string,
): Promise<{ id: string; path: string }> {
  const target = newUploadTarget(ctx.db, at);
  mkdirSync(dirname(target.path), { recursive: true });
  writeFileSync(target.path, csv);
  await createUploadJob(ctx, {
    id: target.id,
    fileName: 'list.csv',
    path: target.path,
    size: Buffer.byteLength(csv),
    sha256: 'x',
  });
  return target;
}
