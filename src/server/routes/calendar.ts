import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { type Locale, msg, renderMessage } from '../../domain/messages.ts';
import { ZErrorBody, ZIsoDate, ZLocalDate, ZRepId } from '../../schemas/common.ts';
import { ZDayKind, ZHolidayCountry, ZRepDaysOff, ZRepDaysOffSaved } from '../../schemas/plan.ts';
import {
  calendarDays,
  calendarFeed,
  createCalendarFeed,
  exportPlan,
  getDaysOff,
  listCalendarFeeds,
  revokeCalendarFeeds,
  setDaysOff,
} from '../../services/calendar.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { AppInstance } from '../app.ts';
import { errorBody } from '../errors.ts';
import { requestLocale } from '../locale.ts';

const ZFeed = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/**
 * The server's public origin as the request reached it (`https://crm.example.com`): the scheme and Host, behind a
 * proxy trusted by TRUST_PROXY its X-Forwarded-Proto and X-Forwarded-Host. Calendar events link to account pages
 * with it; a Host that is not a plain host name or address (and port) gives no link.
 */
function publicOrigin(request: FastifyRequest): string | null {
  const host = request.host;
  if (!/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return null;
  return `${request.protocol}://${host}`;
}

/** The language a calendar app asked for (Accept-Language), when it named Chinese or English; else null. */
function askedLanguage(request: FastifyRequest): Locale | null {
  const header = request.headers['accept-language'];
  const tags = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  return /(^|,)\s*(zh|en)/.test(tags) ? requestLocale(request) : null;
}

function signedInUser(ctx: ServiceContext): string {
  if (!ctx.actor.userId) throw new AppError('unauthenticated', msg('calendar.sign_in_for_feed'));
  return ctx.actor.userId;
}

export async function calendarRoutes(app: AppInstance) {
  app.get(
    '/api/plan/export',
    {
      schema: {
        tags: ['plan'],
        summary:
          'The plan as iCalendar or CSV (date, time, channel, accountId, accountName, tier, city, district, status, repId, repName)',
        querystring: z.object({
          format: z.enum(['ics', 'csv']).default('ics'),
          from: ZLocalDate.optional(),
          to: ZLocalDate.optional(),
          repId: ZRepId.optional(),
          lang: z
            .enum(['zh-CN', 'en'])
            .optional()
            .describe(
              'Language of the file: the CSV column headers and its channel and status values (en: the column keys and call/visit, planned/done), the iCalendar event titles and descriptions; default: the Accept-Language header, else en. As for the accounts export; the web app sends its language, the CLI en',
            ),
        }),
        response: {
          200: {
            description:
              'The plan as an attachment: iCalendar (format=ics; one event per touch, UID <touch id>@tierline; done ones marked ✓ with the category done, open ones due before today with overdue; X-TIERLINE-STATUS planned|done|overdue; each linking to its account page on this server) or CSV (format=csv; UTF-8 with BOM)',
            content: { 'text/calendar': { schema: z.string() }, 'text/csv': { schema: z.string() } },
          },
          400: ZErrorBody,
          403: ZErrorBody,
          404: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { format, lang, ...range } = request.query;
      const file = await exportPlan(
        request.ctx,
        format,
        range,
        lang ?? requestLocale(request),
        publicOrigin(request),
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body);
    },
  );

  app.get(
    '/api/calendar-feeds',
    {
      schema: {
        tags: ['plan'],
        summary: 'Your calendar feeds',
        response: { 200: z.array(ZFeed), 401: ZErrorBody },
      },
    },
    async (request) => listCalendarFeeds(request.ctx, signedInUser(request.ctx)),
  );

  app.post(
    '/api/calendar-feeds',
    {
      schema: {
        tags: ['plan'],
        summary: 'Create a secret feed URL (/cal/<token>.ics) for calendar apps; the token is shown only now',
        response: { 201: z.object({ id: z.string(), token: z.string(), path: z.string() }), 401: ZErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCalendarFeed(request.ctx, signedInUser(request.ctx))),
  );

  app.delete(
    '/api/calendar-feeds/:id',
    {
      schema: {
        tags: ['plan'],
        summary: 'Revoke a feed; its URL stops working at once',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: z.object({ revoked: z.number().int() }), 401: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => {
      const revoked = await revokeCalendarFeeds(request.ctx, signedInUser(request.ctx), request.params.id);
      // Someone else's feed (or an unknown id) is simply not found: feed ids do not leak.
      if (revoked === 0)
        throw new AppError('not_found', msg('calendar.feed_missing', { id: request.params.id }));
      return { revoked };
    },
  );

  app.get(
    '/api/calendar/days-off',
    {
      schema: {
        tags: ['plan'],
        summary: "A rep's own days off and public-holiday schedule (default: yours)",
        querystring: z.object({ repId: ZRepId.optional() }),
        response: { 200: ZRepDaysOff, 403: ZErrorBody, 404: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => getDaysOff(request.ctx, request.query.repId),
  );

  app.put(
    '/api/calendar/days-off',
    {
      schema: {
        tags: ['plan'],
        summary:
          "Replace a rep's own days off (leave, training) and, when given, their public holidays; plans avoid them, and the rep's open touches due from today on a day no longer working are moved to working days in the same save (`moved`). Send the version read (GET); a stale one answers 409 version_conflict with the calendar as it is now",
        body: z.object({
          repId: ZRepId.optional(),
          dates: z.array(ZLocalDate).max(1000),
          holidays: ZHolidayCountry.nullable()
            .optional()
            .describe("The rep's public holidays; null: the workspace's; absent: unchanged"),
          version: z
            .number()
            .int()
            .min(1)
            .describe(
              'The version you read (RepDaysOff.version, the same as the rep’s User.version); a stale one answers 409',
            ),
        }),
        response: {
          200: ZRepDaysOffSaved,
          403: ZErrorBody,
          404: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => {
      const { repId, dates, holidays, version } = request.body;
      return setDaysOff(request.ctx, repId, { dates, holidays, version });
    },
  );

  app.get(
    '/api/calendar/days',
    {
      schema: {
        tags: ['plan'],
        summary:
          'Working days between two dates with the reason for each (weekend, holiday, 调休 make-up day, day off)',
        querystring: z.object({ from: ZLocalDate, to: ZLocalDate, repId: ZRepId.optional() }),
        response: {
          200: z.object({
            country: z.string(),
            unpublishedYears: z.array(z.number().int()),
            days: z.array(
              z.object({
                date: ZIsoDate,
                working: z.boolean(),
                kind: ZDayKind,
                name: z.string().optional(),
                published: z.boolean(),
              }),
            ),
          }),
          400: ZErrorBody,
          422: ZErrorBody,
        },
      },
    },
    async (request) => calendarDays(request.ctx, request.query),
  );

  // Calendar apps cannot sign in: the secret token in the path is the credential.
  app.get(
    '/cal/:file',
    {
      config: { access: 'feed' },
      schema: {
        tags: ['plan'],
        summary:
          'A calendar feed for calendar apps: the secret token from POST /api/calendar-feeds is the credential (no session, no API token)',
        security: [],
        params: z.object({
          file: z
            .string()
            .regex(/^[A-Za-z0-9_-]{16,64}\.ics$/)
            .describe('<token>.ics'),
        }),
        response: {
          200: {
            description:
              "The feed owner's planned and done calls and visits as iCalendar, from 30 days back: done ones marked ✓ (category done), open ones due before today shown on today as overdue (category overdue, same UID); titles in the owner's language",
            content: { 'text/calendar': { schema: z.string() } },
          },
          404: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const token = request.params.file.replace(/\.ics$/, '');
      const body = await calendarFeed(request.ctx, token, {
        origin: publicOrigin(request),
        language: askedLanguage(request),
      });
      if (!body)
        return reply
          .code(404)
          .send(
            errorBody('not_found', renderMessage(msg('calendar.feed_not_found'), requestLocale(request))),
          );
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(body);
    },
  );
}
