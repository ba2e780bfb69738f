// The insurance carriers known to the platform.
import { Hono } from 'hono';
import * as payers from '../db/payers';
import type { AppEnv } from './env';

export const payerRoutes = new Hono<AppEnv>().get('/', async (c) =>
  c.json({ items: await c.var.data.one(payers.list()) }, 200),
);
