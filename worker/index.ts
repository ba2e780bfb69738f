// The Caseload Worker: global middleware, the /v1 API, operations, the client's pages, the
// development mailbox and API reference, the calendar feed, one error path, and the cron.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { createData } from './db/data';
import { countRoundTrips } from './db/round-trips';
import { runScheduled } from './domain/operations';
import type { AppEnv, Bindings } from './routes/env';
import { ApiError } from './platform/errors';
import { redactForLog as redact } from './platform/redact';
import { networkOf, withNetwork } from './platform/network';
import { adminRoutes } from './routes/admin';
import { clientPageRoutes } from './routes/client-pages';
import { devMailRoutes } from './routes/dev-mail';
import { docsRoutes } from './routes/docs';
import { feedRoutes } from './routes/feed';
import { v1 } from './routes/v1';

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]+$/i;
const isLocal = (env: Pick<Bindings, 'ENVIRONMENT'>) => env.ENVIRONMENT === 'development' || env.ENVIRONMENT === 'test';

/**
 * Who may call the API from a page: in production only the extension origins listed in
 * EXTENSION_ORIGINS (none when it is unset); in development and tests any extension and the local
 * development tools. Never an arbitrary website.
 */
export function allowedOrigin(origin: string, env: Pick<Bindings, 'ENVIRONMENT' | 'EXTENSION_ORIGINS'>): string | null {
  if (isLocal(env)) return EXTENSION_ORIGIN.test(origin) || LOCAL_ORIGIN.test(origin) ? origin : null;
  const listed = (env.EXTENSION_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return listed.includes(origin) ? origin : null;
}

const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  await next();
  // The calendar feed's answer says itself how long a calendar app may keep it (routes/feed.ts).
  if (c.res.status === 200 && c.req.path.startsWith('/feed/')) return;
  c.res.headers.set('cache-control', 'no-store');
});

app.use(
  '*',
  cors({
    origin: (origin, c) => allowedOrigin(origin, c.env as Bindings),
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  }),
);

// The caller's network (its /24 or /48, never the full address) for the audit rows this request writes.
app.use('*', (c, next) => withNetwork(networkOf(c.req.header('cf-connecting-ip')), next));

// The request's data-access object. Outside production, each response says how many sequential
// D1 round trips it took (`x-d1-round-trips`), for the tests' budgets and the benchmarks.
app.use('*', async (c, next) => {
  if (c.env.ENVIRONMENT === 'production') {
    c.set('data', createData(c.env.DB));
    return next();
  }
  const counted = countRoundTrips(c.env.DB);
  c.set('data', createData(counted.d1, c.env.DB));
  await next();
  c.res.headers.set('x-d1-round-trips', String(counted.count()));
});

const routes = app
  .route('/v1', v1)
  .route('/admin', adminRoutes)
  .route('/c', clientPageRoutes)
  .route('/dev', devMailRoutes)
  .route('/docs', docsRoutes)
  .route('/feed', feedRoutes);

export type AppType = typeof routes;

app.notFound((c) =>
  c.json(
    { error: { code: 'not_found', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` } },
    404,
  ),
);

app.onError((err, c) => {
  if (err instanceof ApiError) {
    return c.json(err.toBody(), err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) {
      return c.json({ error: { code: 'payload_too_large', message: 'The request body is larger than 64 KiB.' } }, 413);
    }
    if (status < 500)
      return c.json({ error: { code: 'validation_failed', message: 'The request is not valid.' } }, 400);
  }
  // Unexpected: log the kind, never the request (it may carry PHI), and leak nothing.
  console.error('unhandled error', err instanceof Error ? `${err.name}: ${redact(err.message)}` : 'unknown');
  return c.json(
    {
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side. Nothing was saved; please try again.',
      },
    },
    500,
  );
});

export { app };

export default {
  fetch: app.fetch,
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(
      runScheduled({ data: createData(env.DB), config: env }, (err) => {
        console.error(
          'scheduled step failed',
          err instanceof Error ? `${err.name}: ${redact(err.message)}` : 'unknown',
        );
      }),
    );
  },
} satisfies ExportedHandler<Bindings>;
