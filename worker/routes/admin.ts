// Operations routes for the platform's staff, behind ADMIN_TOKEN (absent: every route is 404).
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { CarrierStatusSchema, ProviderCreateSchema } from '../../shared/schemas/provider';
import { nowIso } from '../platform/clock';
import { runBatch } from '../db/batch';
import type { AppEnv } from '../env';
import { ApiError, notFound } from '../platform/errors';
import { auditQuery } from '../db/audit';
import { jsonBody } from './body';
import { newId, secretEquals } from '../platform/crypto';
import { bearerToken } from './middleware/auth';
import { providerView } from './me';

/** Operations token check, shared by every /admin sub-app (absent token: 404). */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const configured = c.env.ADMIN_TOKEN;
  if (!configured) throw new ApiError(404, 'not_found', 'No such route.');
  const given = bearerToken(c.req.header('authorization'));
  if (!given || !(await secretEquals(given, configured))) {
    throw new ApiError(401, 'unauthenticated', 'This route needs the operations token.');
  }
  await next();
});

const adminActor = { actorType: 'admin', actorId: null } as const;

export const adminRoutes = new Hono<AppEnv>()
  .use('*', requireAdmin)
  .post('/providers', async (c) => {
    const body = await jsonBody(c, ProviderCreateSchema);
    const db = c.var.db;
    const email = body.email.toLowerCase();
    const taken = await db.selectFrom('providers').select('id').where('email', '=', email).executeTakeFirst();
    const exists = () => new ApiError(409, 'provider_exists', 'A provider with this email already exists.');
    if (taken) throw exists();
    const id = newId('prv');
    const at = nowIso();
    try {
      await runBatch(c.env.DB, [
        db
          .insertInto('providers')
          .values({
            id,
            name: body.name,
            email,
            npi: body.npi,
            time_zone: body.timeZone,
            telehealth_url: null,
            created_at: at,
            updated_at: at,
          })
          .compile(),
        auditQuery(db, {
          ...adminActor,
          providerId: id,
          action: 'provider.create',
          entityType: 'provider',
          entityId: id,
        }),
      ]);
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed/i.test(err.message)) throw exists();
      throw err;
    }
    return c.json(await providerView(db, id), 201);
  })
  .put('/providers/:id/carriers/:payerId', async (c) => {
    const { status } = await jsonBody(c, CarrierStatusSchema);
    const db = c.var.db;
    const providerId = c.req.param('id');
    const payerId = c.req.param('payerId');
    const [provider, payer] = await Promise.all([
      db.selectFrom('providers').select('id').where('id', '=', providerId).executeTakeFirst(),
      db.selectFrom('payers').select('id').where('id', '=', payerId).executeTakeFirst(),
    ]);
    if (!provider) throw notFound('Provider');
    if (!payer) throw notFound('Payer');
    await runBatch(c.env.DB, [
      db
        .insertInto('provider_carriers')
        .values({ provider_id: providerId, payer_id: payerId, status, updated_at: nowIso() })
        .onConflict((oc) => oc.columns(['provider_id', 'payer_id']).doUpdateSet({ status, updated_at: nowIso() }))
        .compile(),
      auditQuery(db, {
        ...adminActor,
        providerId,
        action: `carrier.${status}`,
        entityType: 'provider_carrier',
        entityId: `${providerId}:${payerId}`,
      }),
    ]);
    return c.json(await providerView(db, providerId), 200);
  });
