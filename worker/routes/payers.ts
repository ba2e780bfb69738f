// The insurance carriers known to the platform.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Payer } from '../../shared/api-types';
import type { Database } from '../db/schema';
import type { AppEnv } from '../env';

export async function listPayers(db: Kysely<Database>): Promise<Payer[]> {
  const rows = await db.selectFrom('payers').select(['id', 'name', 'payer_code']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, payerCode: r.payer_code }));
}

export const payerRoutes = new Hono<AppEnv>().get('/', async (c) => c.json({ items: await listPayers(c.var.db) }, 200));
