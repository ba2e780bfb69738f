// Bearer-token auth for /v1: the token is looked up by its SHA-256; expired or revoked is 401.
import { createMiddleware } from 'hono/factory';
import { nowIso } from '../../platform/clock';
import type { AppEnv } from '../../env';
import { ApiError } from '../../platform/errors';
import { sha256Hex } from '../../platform/crypto';

export const unauthenticated = (message = 'Sign in to continue.') => new ApiError(401, 'unauthenticated', message);

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{16,200})$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export const requireProvider = createMiddleware<AppEnv>(async (c, next) => {
  // `/v1/x` and `/v1/x/*` both match `/v1/x`: look the token up once.
  if (c.get('provider')) return next();
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw unauthenticated();
  const row = await c.var.db
    .selectFrom('auth_tokens as t')
    .innerJoin('providers as p', 'p.id', 't.provider_id')
    .select(['p.id', 'p.name', 'p.email', 'p.time_zone', 'p.npi', 'p.telehealth_url'])
    .where('t.token_hash', '=', await sha256Hex(token))
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', nowIso())
    .executeTakeFirst();
  if (!row) throw unauthenticated('Your sign-in has expired or was revoked. Sign in again.');
  c.set('provider', {
    id: row.id,
    name: row.name,
    email: row.email,
    timeZone: row.time_zone,
    npi: row.npi,
    telehealthUrl: row.telehealth_url,
  });
  await next();
});
