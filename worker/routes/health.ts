// Liveness: the Worker answers and D1 answers. `?db=0` skips D1: the bare route benchmarks measure against.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { transportFor } from '../email/transport';

export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const email = transportFor(c.env)?.name ?? 'not_configured';
  if (c.req.query('db') === '0') return c.json({ ok: true, db: 'skipped', email }, 200);
  let db: 'ok' | 'error' = 'ok';
  try {
    await c.env.DB.prepare('SELECT 1').first();
  } catch {
    db = 'error';
  }
  return c.json({ ok: db === 'ok', db, email }, db === 'ok' ? 200 : 503);
});
