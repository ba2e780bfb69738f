// The signed-in provider: GET and PATCH /v1/me.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Provider } from '../../shared/api-types';
import { MePatchSchema } from '../../shared/schemas/provider';
import { nowIso } from '../platform/clock';
import type { Database } from '../db/schema';
import type { AppEnv } from '../env';
import { jsonBody } from './body';

export async function providerView(db: Kysely<Database>, providerId: string): Promise<Provider> {
  const [p, carriers] = await Promise.all([
    db.selectFrom('providers').selectAll().where('id', '=', providerId).executeTakeFirstOrThrow(),
    db
      .selectFrom('provider_carriers as pc')
      .innerJoin('payers as y', 'y.id', 'pc.payer_id')
      .select(['pc.payer_id', 'y.name', 'pc.status'])
      .where('pc.provider_id', '=', providerId)
      .orderBy('y.name')
      .execute(),
  ]);
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    timeZone: p.time_zone,
    npi: p.npi,
    telehealthUrl: p.telehealth_url,
    carriers: carriers.map((r) => ({ payerId: r.payer_id, name: r.name, status: r.status })),
  };
}

export const meRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await providerView(c.var.db, c.var.provider.id), 200))
  .patch('/', async (c) => {
    const body = await jsonBody(c, MePatchSchema);
    const set: { name?: string; time_zone?: string; telehealth_url?: string | null } = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.timeZone !== undefined) set.time_zone = body.timeZone;
    if (body.telehealthUrl !== undefined) set.telehealth_url = body.telehealthUrl;
    if (Object.keys(set).length > 0) {
      await c.var.db
        .updateTable('providers')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', c.var.provider.id)
        .execute();
    }
    return c.json(await providerView(c.var.db, c.var.provider.id), 200);
  });
