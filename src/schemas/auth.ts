import { z } from 'zod';
import { ZRole } from './common.ts';

const email = z.string().trim().toLowerCase().min(3).max(254);

export const ZSignIn = z.object({ email, password: z.string().min(1).max(1024) }).meta({ id: 'SignIn' });
export type TSignIn = z.infer<typeof ZSignIn>;

export const ZSetup = z
  .object({
    email: email.regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address like name@example.com'),
    name: z.string().trim().min(1).max(100),
    password: z.string().max(1024).describe('At least 10 characters'),
    locale: z.enum(['zh-CN', 'en']).optional(),
  })
  .meta({ id: 'Setup' });
export type TSetup = z.infer<typeof ZSetup>;

export const ZPasswordChange = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) })
  .meta({ id: 'PasswordChange' });
export type TPasswordChange = z.infer<typeof ZPasswordChange>;

export const ZSessionUser = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: ZRole,
    teamId: z.string().nullable(),
    locale: z.string(),
    localeChosen: z
      .boolean()
      .describe('The user chose `locale` (PATCH /api/users/:id); until then the web app follows the browser'),
  })
  .meta({ id: 'SessionUser' });
export type TSessionUser = z.infer<typeof ZSessionUser>;

export const ZSignedIn = z
  .object({
    user: ZSessionUser,
    csrfToken: z.string().describe('Send as the x-csrf-token header on every POST, PATCH, PUT and DELETE'),
  })
  .meta({ id: 'SignedIn' });
export type TSignedIn = z.infer<typeof ZSignedIn>;

export const ZDemoHint = z.object({
  password: z.string(),
  users: z.array(z.object({ email: z.string(), name: z.string(), role: ZRole })),
});

export const ZAuthStatus = z
  .object({
    setupNeeded: z.boolean().describe('No user exists yet: the web app shows the setup page'),
    demo: ZDemoHint.nullable().describe('The demo workspace is loaded: who can sign in, with which password'),
    user: ZSessionUser.nullable(),
    authenticatedBy: z.enum(['session', 'token']).nullable(),
    csrfToken: z.string().nullable(),
    passwordMinLength: z.number().int(),
  })
  .meta({ id: 'AuthStatus' });
export type TAuthStatus = z.infer<typeof ZAuthStatus>;

export const ZApiTokenAccess = z.enum(['read', 'write']);

export const ZApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    userId: z.string(),
    prefix: z.string().describe('The first characters of the token, to recognise it'),
    access: ZApiTokenAccess,
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZApiTokenCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    access: ZApiTokenAccess.default('read').describe('read: GET only; write: everything the user may do'),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .meta({ id: 'ApiTokenCreate' });
export type TApiTokenCreate = z.input<typeof ZApiTokenCreate>;

export const ZApiTokenCreated = ZApiToken.extend({
  token: z.string().describe('Shown only now; send it as `Authorization: Bearer <token>`'),
}).meta({ id: 'ApiTokenCreated' });
export type TApiTokenCreated = z.infer<typeof ZApiTokenCreated>;

export const ZApiTokenList = z.object({ items: z.array(ZApiToken) }).meta({ id: 'ApiTokenList' });
