import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZAccountListQuery } from '../../schemas/account.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import { exportAccounts } from '../../services/account-export.ts';
import type { AppInstance } from '../app.ts';
import { requestLocale } from '../locale.ts';

const ZExportQuery = ZAccountListQuery.omit({ page: true, pageSize: true }).extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  lang: z
    .enum(['zh-CN', 'en'])
    .optional()
    .describe(
      'Language of the column headers; default: the Accept-Language header, else en (the web app sends its language)',
    ),
});

export async function accountExportRoutes(app: AppInstance) {
  app.get(
    '/api/accounts/export',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'The accounts you may see, with the list’s filters and sort, as CSV (UTF-8 with BOM, RFC 4180) or Excel; formulas are neutralised',
        querystring: ZExportQuery,
        response: {
          200: {
            description:
              'The file: CSV (format=csv, UTF-8 with BOM) or Excel (format=xlsx), as an attachment',
            content: {
              'text/csv': { schema: z.string() },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: z.string().meta({ format: 'binary' }),
              },
            },
          },
          400: ZErrorBody,
          401: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { format, lang, ...filters } = request.query;
      const file = await exportAccounts(request.ctx, filters, format, lang ?? requestLocale(request));
      // The file is a stream (the response schema above documents it; nothing serializes a stream).
      return (reply as FastifyReply)
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
}
