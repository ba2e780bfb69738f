// Operations routes for the platform's staff, behind ADMIN_TOKEN (absent: every route is 404):
// providers and their carriers, and the email outbox (what failed and why, and a retry).
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as v from 'valibot';
import { ListQuerySchema } from '../../shared/schemas/common';
import { CarrierStatusSchema, ProviderCreateSchema } from '../../shared/schemas/provider';
import { listOutbox, retryEmail } from '../domain/operations';
import { createProvider, setCarrier } from '../domain/providers';
import type { AppEnv } from './env';
import { secretEquals } from '../platform/crypto';
import { ApiError } from '../platform/errors';
import { usableAdminToken } from '../platform/settings';
import { deliverSoon } from './context';
import { bearerToken } from './middleware/auth';
import { json, jsonBodiesOnly, limitBody, query } from './validation';

/** Operations token check, shared by every /admin route (absent token, or misconfigured settings: 404). */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const configured = usableAdminToken(c.env);
  if (!configured) throw new ApiError(404, 'not_found', 'No such route.');
  const given = bearerToken(c.req.header('authorization'));
  if (!given || !(await secretEquals(given, configured))) {
    throw new ApiError(401, 'unauthenticated', 'This route needs the operations token.');
  }
  await next();
});

const OutboxQuerySchema = v.object({
  ...ListQuerySchema.entries,
  status: v.optional(
    v.picklist(['pending', 'sending', 'sent', 'failed'], 'status must be pending, sending, sent or failed'),
    'failed',
  ),
});

export const adminRoutes = new Hono<AppEnv>()
  .use('*', requireAdmin, limitBody, jsonBodiesOnly)
  .post('/providers', json(ProviderCreateSchema), async (c) =>
    c.json(await createProvider(c.var.data, c.req.valid('json')), 201),
  )
  .put('/providers/:id/carriers/:payerId', json(CarrierStatusSchema), async (c) =>
    c.json(await setCarrier(c.var.data, c.req.param('id'), c.req.param('payerId'), c.req.valid('json').status), 200),
  )
  .get('/outbox', query(OutboxQuerySchema), async (c) =>
    c.json(await listOutbox(c.var.data, c.req.valid('query')), 200),
  )
  .post('/outbox/:id/retry', async (c) => {
    const email = await retryEmail(c.var.data, c.req.param('id'));
    deliverSoon(c);
    return c.json(email, 200);
  });
