import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { messageOfEnglish, msg } from '../../domain/messages.ts';
import { reasonIn } from '../../import/reason-zh.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  ZImportJob,
  ZImportPreview,
  ZImportPreviewQuery,
  ZImportStart,
  ZImportWarningPage,
  ZImportWarningsQuery,
  ZSourceReport,
} from '../../schemas/import-api.ts';
import { ZColumnMapping } from '../../schemas/import-mapping.ts';
import {
  createUploadJob,
  discardImportJob,
  getImportJob,
  importWarningsCsv,
  listImportJobs,
  listImportWarnings,
  listSourceReports,
  newUploadTarget,
  previewImport,
  rejectedRowsCsv,
  startImport,
} from '../../services/import-prospects.ts';
import { ImportRunner } from '../../services/import-runner.ts';
import type { AppInstance } from '../app.ts';
import { requestLocale } from '../locale.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });
const MIB = 1024 * 1024;

/** Upload limit: $TIERLINE_UPLOAD_LIMIT_MB (default 200 MB). */
export function uploadLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.TIERLINE_UPLOAD_LIMIT_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * MIB) : 200 * MIB;
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', msg('imports.file_too_large', { mb: Math.round(limit / MIB) }), {
    problem: 'file_too_large',
    limitBytes: limit,
  });
}

function incompleteUpload(): AppError {
  return new AppError('bad_request', msg('imports.multipart_incomplete'), {
    problem: 'multipart_incomplete',
  });
}

/** The multipart body ended inside the file part (busboy: "Part terminated early"; or the stream was cut). */
function isIncompleteMultipart(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (typeof message === 'string' && /terminated early|Unexpected end of (form|multipart)/i.test(message))
  );
}

/**
 * Streams a CSV file as a download: `ascii` is the name for clients that do not read RFC 5987's `filename*`
 * (which carries the file's own, possibly Chinese, name).
 */
function sendCsv(
  reply: FastifyReply,
  ascii: string,
  file: { filename: string; chunks: AsyncIterable<string> },
): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .header('cache-control', 'no-store')
    .send(Readable.from(file.chunks));
}

/**
 * The import wizard's API: upload (streamed multipart) → job id → preview of the mapping on the first rows →
 * start with the confirmed source and mapping → progress → result and rejected rows; an upload never started or a
 * failed import can be discarded, a failed import started again (…/start) while its file is kept. The runner
 * removes uploads never started after $TIERLINE_UPLOAD_TTL_HOURS and the files of failed imports after
 * $TIERLINE_FAILED_IMPORT_TTL_DAYS. Jobs run in the background (ImportRunner), recorded in the database.
 */
export async function importRoutes(app: AppInstance, options: { now?: () => Date }) {
  const limit = uploadLimitBytes();
  await app.register(fastifyMultipart, {
    limits: { fileSize: limit, files: 1, fields: 20, fieldSize: 64 * 1024 },
    throwFileSizeLimit: true,
  });
  // On the app's clock, as the requests' (tests pin it): it decides which uploads are old enough to remove.
  const runner = new ImportRunner(app.db, {
    ...(options.now ? { now: options.now } : {}),
    log: (message, error) => app.log.warn({ err: error }, message),
    info: (message) => app.log.info(message),
  });
  app.addHook('onReady', async () => runner.start());
  // Shutdown: stop taking jobs as soon as closing begins (while requests drain), give the job in progress the
  // shutdown window, then give it back to the queue (see ImportRunner.stop).
  app.addHook('preClose', (done) => {
    void runner.stop(app.lifecycle.shutdownTimeoutMs);
    done();
  });
  app.addHook('onClose', async () => {
    const outcome = await runner.stop(app.lifecycle.shutdownTimeoutMs);
    if (outcome.interrupted)
      app.log.warn(
        { jobId: outcome.interrupted, released: outcome.released },
        outcome.released
          ? 'import job not finished at shutdown: given back to the queue'
          : 'import job not finished at shutdown: left for recovery at the next start',
      );
  });

  app.post(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Upload a prospect list (multipart/form-data, one file part: CSV, TSV or .xlsx); answers the job, waiting for …/start',
        consumes: ['multipart/form-data'],
        response: { 201: ZImportJob, 400: ZErrorBody, 401: ZErrorBody, 413: ZErrorBody },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit + MIB) throw tooLarge(limit);
      if (!request.isMultipart()) {
        throw new AppError('bad_request', msg('imports.multipart'));
      }
      const target = newUploadTarget(app.db, request.ctx.now());
      await mkdir(dirname(target.path), { recursive: true });
      const part = await request.file();
      if (!part) throw new AppError('bad_request', msg('imports.no_file_part'));
      // A body that ends before the part's closing boundary: busboy has already ended the file stream, without
      // an 'end' or an error a pipeline would see (the request would never be answered).
      if (part.file.destroyed && !part.file.readableEnded) throw incompleteUpload();
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      try {
        await pipeline(part.file, tap, createWriteStream(target.path));
        if (part.file.truncated) throw tooLarge(limit);
      } catch (error) {
        await rm(target.path, { force: true });
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limit);
        if (isIncompleteMultipart(error)) throw incompleteUpload();
        throw error;
      }
      if (size === 0) {
        await rm(target.path, { force: true });
        throw new AppError('unprocessable', msg('imports.empty_file'), { problem: 'empty_file' });
      }
      const job = await createUploadJob(request.ctx, {
        id: target.id,
        fileName: part.filename || 'upload',
        path: target.path,
        size,
        sha256: hash.digest('hex'),
      });
      return reply.code(201).send(job);
    },
  );

  app.get(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Recent import jobs you may see (yours; a manager also sees the team’s; an admin all)',
        description:
          'An upload never started is listed until it expires (`expiresAt`, TIERLINE_UPLOAD_TTL_HOURS after the upload); the server removes it then',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(ZImportJob) }), 401: ZErrorBody },
      },
    },
    async (request) => ({
      items: await listImportJobs(request.ctx, request.query.limit, requestLocale(request)),
    }),
  );

  app.get(
    '/api/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary:
          'An import job: state, progress (processed rows of an estimated total) and, when done, the report',
        params: ZIdParams,
        response: { 200: ZImportJob, 404: ZErrorBody },
      },
    },
    // A failed job's `error` in the request's language (Accept-Language; English without it, as the CLI asks).
    async (request) => getImportJob(request.ctx, request.params.id, requestLocale(request)),
  );

  app.delete(
    '/api/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Discard an upload that was never started (state "uploaded") or an import that failed: the job and its stored file (nothing of a failed import was imported); 409 for a job queued, running or done',
        params: ZIdParams,
        response: { 204: z.null(), 401: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      await discardImportJob(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/imports/:id/preview',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Detected encoding, delimiter or sheet, the headers, the automatic (or given, or remembered) mapping and the first 20 rows parsed with per-cell warnings',
        params: ZIdParams,
        querystring: ZImportPreviewQuery,
        response: { 200: ZImportPreview, 400: ZErrorBody, 404: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => {
      let mapping: z.infer<typeof ZColumnMapping> | undefined;
      if (request.query.mapping) {
        let json: unknown;
        try {
          json = JSON.parse(request.query.mapping);
        } catch {
          throw new AppError(
            'bad_request',
            msg('imports.mapping_not_object', { example: '{"企业名称": "name"}' }),
          );
        }
        const parsed = ZColumnMapping.safeParse(json);
        if (!parsed.success) {
          const text = parsed.error.issues[0]?.message ?? 'invalid';
          throw new AppError(
            'bad_request',
            msg('imports.mapping_invalid', {
              // zod's text is a schema message of the catalog when it is one (schema.*): it follows the reader.
              message: messageOfEnglish(text) ?? text,
            }),
          );
        }
        mapping = parsed.data;
      }
      // What is wrong with the mapping, and the rows' warnings and rejections (import/reason-zh.ts), in the
      // reader's language.
      const locale = requestLocale(request);
      const preview = await previewImport(
        request.ctx,
        request.params.id,
        { sheet: request.query.sheet, source: request.query.source, mapping },
        locale,
      );
      if (locale !== 'en') {
        for (const row of preview.rows)
          for (const issue of row.issues) issue.reason = reasonIn(locale, issue.reason);
      }
      return preview;
    },
  );

  app.post(
    '/api/imports/:id/start',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Confirm the source and the (edited) mapping and start the import in the background; also runs a failed import again while its file is kept (retryable)',
        params: ZIdParams,
        body: ZImportStart,
        response: { 202: ZImportJob, 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => {
      const job = await startImport(request.ctx, request.params.id, request.body);
      runner.kick();
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/imports/:id/rejects',
    {
      schema: {
        tags: ['imports'],
        summary:
          'The rejected rows as CSV (UTF-8 with BOM): the file’s own columns plus line, reason and original (the text of a row that could not be split into columns, whose columns are then empty); fix them and upload the file again',
        params: ZIdParams,
        querystring: z.object({
          lang: z
            .enum(['zh-CN', 'en'])
            .optional()
            .describe('Language of the reasons (default: the Accept-Language header, else English)'),
        }),
        response: {
          200: {
            description:
              "The rejected rows in the file's own columns plus line, reason and original (CSV, UTF-8 with BOM), as an attachment",
            content: { 'text/csv': { schema: z.string() } },
          },
          404: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const locale = request.query.lang ?? requestLocale(request);
      return sendCsv(reply, 'rejected.csv', await rejectedRowsCsv(request.ctx, request.params.id, locale));
    },
  );

  app.get(
    '/api/imports/:id/warnings',
    {
      schema: {
        tags: ['imports'],
        summary:
          'The warnings of a job (optional values that could not be read, imported as empty), in line order: a page as JSON, or with ?format=csv every one as a download (line, column, value, reason; UTF-8 with BOM)',
        params: ZIdParams,
        querystring: ZImportWarningsQuery,
        response: {
          200: {
            description: 'A page of warnings (format=json), or all of them as CSV (format=csv)',
            content: {
              'application/json': { schema: ZImportWarningPage },
              'text/csv': { schema: z.string().describe('line,column,value,reason (UTF-8 with BOM)') },
            },
          },
          400: ZErrorBody,
          404: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { format, lang, page, pageSize } = request.query;
      const locale = lang ?? requestLocale(request);
      if (format === 'json')
        return listImportWarnings(request.ctx, request.params.id, { page, pageSize }, locale);
      return sendCsv(reply, 'warnings.csv', await importWarningsCsv(request.ctx, request.params.id, locale));
    },
  );

  app.get(
    '/api/sources',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Import sources with accounts supplied, accounts in the target market and cost per in-market account (method §1: purchased versus free)',
        response: { 200: z.object({ items: z.array(ZSourceReport) }), 401: ZErrorBody },
      },
    },
    async (request) => ({ items: await listSourceReports(request.ctx) }),
  );
}
