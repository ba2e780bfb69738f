// Passwordless sign-in: POST /v1/auth/code, POST /v1/auth/token (public), POST /v1/auth/logout.
import { Hono } from 'hono';
import { CodeRequestSchema, TokenRequestSchema } from '../../shared/schemas/auth';
import { exchangeCode, logout, requestCode } from '../domain/auth';
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { bearerToken, requireProvider } from './middleware/auth';
import { json } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

const clientIp = (header: (name: string) => string | undefined) => header('cf-connecting-ip') ?? 'local';

export const authRoutes = new Hono<AppEnv>()
  .post(
    '/code',
    describe({
      summary: 'Request a sign-in code by email (the same answer for an unknown email)',
      tag: 'Sign-in',
      status: 202,
      body: R.EmptyOut,
      errors: [429],
      public: true,
    }),
    json(CodeRequestSchema),
    async (c) => {
      const { sent } = await requestCode(
        deps(c),
        c.req.valid('json').email,
        clientIp((n) => c.req.header(n)),
      );
      if (sent) deliverSoon(c);
      return c.json({}, 202); // the same answer whether or not the email is known
    },
  )
  .post(
    '/token',
    describe({
      summary: 'Exchange the emailed code for a 12-hour bearer token',
      tag: 'Sign-in',
      status: 200,
      body: R.TokenOut,
      errors: [429],
      public: true,
    }),
    json(TokenRequestSchema),
    async (c) => {
      const { email, code } = c.req.valid('json');
      return c.json(await exchangeCode(c.var.data, { email, code, ip: clientIp((n) => c.req.header(n)) }), 200);
    },
  )
  .post(
    '/logout',
    describe({ summary: 'Revoke this token', tag: 'Sign-in', status: 204 }),
    requireProvider,
    async (c) => {
      await logout(c.var.data, bearerToken(c.req.header('authorization'))!);
      return c.body(null, 204);
    },
  );
