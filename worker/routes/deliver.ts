// Delivers queued emails right after the response (the cron catches anything left over).
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { drainOutbox } from '../email/outbox';

export function deliverSoon(c: Context<AppEnv>): void {
  const work = drainOutbox(c.env, c.var.db, { limit: 50 }).catch((err: unknown) => {
    console.error('outbox drain after request failed', err instanceof Error ? err.name : 'error');
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in a unit test): the promise still runs.
  }
}
