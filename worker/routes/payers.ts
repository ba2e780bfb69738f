// The insurance carriers known to the platform.
import { Hono } from 'hono';
import * as payers from '../db/payers';
import type { AppEnv } from './env';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const payerRoutes = new Hono<AppEnv>().get(
  '/',
  describe({ summary: 'The insurance carriers', tag: 'Provider', status: 200, body: R.PayersOut }),
  async (c) => c.json({ items: await c.var.data.one(payers.list()) }, 200),
);
