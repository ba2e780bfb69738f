// Passwordless sign-in: POST /v1/auth/code, POST /v1/auth/token (public), POST /v1/auth/logout.
import { Hono } from 'hono';
import { CodeRequestSchema, TokenRequestSchema } from '../../shared/schemas/auth';
import { exchangeCode, logout, requestCode } from '../domain/auth';
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { bearerToken, requireProvider } from './middleware/auth';
import { json } from './validation';

const clientIp = (header: (name: string) => string | undefined) => header('cf-connecting-ip') ?? 'local';

export const authRoutes = new Hono<AppEnv>()
  .post('/code', json(CodeRequestSchema), async (c) => {
    const { sent } = await requestCode(
      deps(c),
      c.req.valid('json').email,
      clientIp((n) => c.req.header(n)),
    );
    if (sent) deliverSoon(c);
    return c.json({}, 202); // the same answer whether or not the email is known
  })
  .post('/token', json(TokenRequestSchema), async (c) => {
    const { email, code } = c.req.valid('json');
    return c.json(await exchangeCode(c.var.data, { email, code, ip: clientIp((n) => c.req.header(n)) }), 200);
  })
  .post('/logout', requireProvider, async (c) => {
    await logout(c.var.data, bearerToken(c.req.header('authorization'))!);
    return c.body(null, 204);
  });
