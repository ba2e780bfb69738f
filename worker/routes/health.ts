// Liveness: the Worker answers and D1 answers.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { transportFor } from '../email/transport';

export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  let db: 'ok' | 'error' = 'ok';
  try {
    await c.env.DB.prepare('SELECT 1').first();
  } catch {
    db = 'error';
  }
  const email = transportFor(c.env)?.name ?? 'not_configured';
  return c.json({ ok: db === 'ok', db, email }, db === 'ok' ? 200 : 503);
});
