// Passwordless sign-in: POST /v1/auth/code, POST /v1/auth/token (public), POST /v1/auth/logout and
// /logout-all.
import { Hono } from 'hono';
import { CodeRequestSchema, TokenRequestSchema } from '../../shared/schemas/auth';
import { exchangeCode, logout, logoutEverywhere, requestCode } from '../domain/auth';
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { bearerToken, requireProvider } from './middleware/auth';
import { json } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

// Cloudflare sets CF-Connecting-IP on every request; only local development goes without one.
const clientIp = (header: string | undefined) => header ?? 'local';

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
      await requestCode(deps(c), c.req.valid('json').email, clientIp(c.req.header('cf-connecting-ip')));
      // The same answer and the same after-response work whether or not the email is known.
      deliverSoon(c);
      return c.json({}, 202);
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
      const ip = clientIp(c.req.header('cf-connecting-ip'));
      // The lock's warning email goes out right after the 401 that queued it.
      return c.json(await exchangeCode(deps(c), { email, code, ip }, () => deliverSoon(c)), 200);
    },
  )
  .post(
    '/logout',
    describe({ summary: 'Revoke this token', tag: 'Sign-in', status: 204 }),
    requireProvider,
    async (c) => {
      await logout(c.var.data, c.var.provider.id, bearerToken(c.req.header('authorization'))!);
      return c.body(null, 204);
    },
  )
  .post(
    '/logout-all',
    describe({
      summary: 'Sign out everywhere: revoke every token of this provider, this one included',
      tag: 'Sign-in',
      status: 204,
    }),
    requireProvider,
    async (c) => {
      await logoutEverywhere(c.var.data, c.var.provider.id);
      return c.body(null, 204);
    },
  );
