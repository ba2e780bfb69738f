// The Caseload API: middleware, one error path, a sub-app per resource, and the cron.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { createDb } from './db/kysely';
import { drainOutbox } from './email/outbox';
import type { AppEnv, Bindings } from './env';
import { ApiError } from './platform/errors';
import { pruneRateLimits } from './db/rate-limits';
import { requireProvider } from './routes/middleware/auth';
import { queueReminders } from './email/reminders';
import { adminRoutes } from './routes/admin';
import { appointmentRoutes } from './routes/appointments';
import { claimRoutes } from './routes/claims';
import { codeRoutes } from './routes/codes';
import { adminOutboxRoutes } from './routes/admin-outbox';
import { authRoutes } from './routes/auth';
import { clientPageRoutes } from './routes/client-pages';
import { clientRoutes } from './routes/clients';
import { devMailRoutes } from './routes/dev-mail';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { payerRoutes } from './routes/payers';

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]+$/i;

const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  await next();
  c.res.headers.set('cache-control', 'no-store');
});

app.use(
  '*',
  cors({
    // The extension's pages, and local development tools; never an arbitrary website.
    origin: (origin, c) => {
      if (EXTENSION_ORIGIN.test(origin)) return origin;
      const env = (c.env as Bindings).ENVIRONMENT;
      if ((env === 'development' || env === 'test') && LOCAL_ORIGIN.test(origin)) return origin;
      return null;
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  }),
);

app.use('*', async (c, next) => {
  c.set('db', createDb(c.env.DB));
  await next();
});

const routes = app
  .route('/v1/health', healthRoutes)
  .route('/v1/auth', authRoutes)
  .use('/v1/me/*', requireProvider)
  .use('/v1/me', requireProvider)
  .use('/v1/clients/*', requireProvider)
  .use('/v1/clients', requireProvider)
  .use('/v1/payers', requireProvider)
  .use('/v1/appointments/*', requireProvider)
  .use('/v1/appointments', requireProvider)
  .use('/v1/claims/*', requireProvider)
  .use('/v1/claims', requireProvider)
  .use('/v1/codes/*', requireProvider)
  .route('/v1/me', meRoutes)
  .route('/v1/clients', clientRoutes)
  .route('/v1/payers', payerRoutes)
  .route('/v1/appointments', appointmentRoutes)
  .route('/v1/claims', claimRoutes)
  .route('/v1/codes', codeRoutes)
  .route('/admin/outbox', adminOutboxRoutes)
  .route('/admin', adminRoutes)
  .route('/c', clientPageRoutes)
  .route('/dev', devMailRoutes);

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
    if (status === 413)
      return c.json({ error: { code: 'payload_too_large', message: 'The request body is larger than 64 KiB.' } }, 413);
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
    const db = createDb(env.DB);
    ctx.waitUntil(
      (async () => {
        // Each step on its own: a failing one must not keep the others from running.
        const steps = [() => queueReminders(env, db), () => drainOutbox(env, db), () => pruneRateLimits(db)];
        for (const step of steps) {
          try {
            await step();
          } catch (err) {
            console.error(
              'scheduled step failed',
              err instanceof Error ? `${err.name}: ${redact(err.message)}` : 'unknown',
            );
          }
        }
      })(),
    );
  },
} satisfies ExportedHandler<Bindings>;

/** Error messages can quote values (SQL literals, parsed input): keep the shape, drop the values. */
function redact(message: string): string {
  return message
    .slice(0, 300)
    .replace(/'[^']*'|"[^"]*"/g, '?')
    .replace(/\d{3,}/g, '#');
}
