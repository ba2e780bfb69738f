// The two things every handler hands the domain, taken from the request's context.
import type { Context } from 'hono';
import type { Deps } from '../domain/context';
import { deliverQueued } from '../domain/operations';
import type { AppEnv } from './env';

// biome-ignore lint/suspicious/noExplicitAny: any route's context (its path and input types vary)
type AnyContext = Context<AppEnv, any, any>;

export const deps = (c: { var: { data: Deps['data'] }; env: Deps['config'] }): Deps => ({
  data: c.var.data,
  config: c.env,
});

/** Delivers what the request queued right after the response (the cron catches anything left over). */
export function deliverSoon(c: AnyContext): void {
  const work = deliverQueued({ data: c.var.data.detached(), config: c.env }).catch((err: unknown) => {
    console.error('outbox drain after request failed', err instanceof Error ? err.name : 'error');
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in a unit test): the promise still runs.
  }
}
