// Bearer-token auth, applied once to the /v1 sub-app: the token is looked up by its SHA-256 —
// together with the request's Idempotency-Key record, when it has one, in the same round trip.
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { authenticate, unauthenticated } from '../../domain/auth';
import type { AppEnv } from '../env';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{16,200})$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export const requireProvider = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('provider')) return next();
  // No route but middleware matched: let it be the JSON 404 of an unknown route, signed in or not.
  if (!matchedRoutes(c).some((r) => r.method !== 'ALL')) return next();
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw unauthenticated();
  const key = c.req.method === 'POST' ? c.req.header('idempotency-key') : undefined;
  const { provider, saved } = await authenticate(c.var.data, token, key);
  c.set('provider', provider);
  c.set('idempotencySaved', saved);
  await next();
});
