// The /v1 API: public routes first, then the provider's token check applied once for everything
// after it. `V1` is the type the extension's client is built from (hc<V1>).
import { type Context, Hono } from 'hono';
import type { AppEnv } from './env';
import { appointmentRoutes } from './appointments';
import { authRoutes } from './auth';
import { claimRoutes } from './claims';
import { clientRoutes } from './clients';
import { codeRoutes } from './codes';
import { openApiDocument } from './docs';
import { healthRoutes } from './health';
import { meRoutes } from './me';
import { requireProvider } from './middleware/auth';
import { payerRoutes } from './payers';
import { jsonBodiesOnly, limitBody } from './validation';

let document: Promise<Record<string, unknown>> | undefined;
async function serveOpenApi(c: Context<AppEnv>): Promise<Response> {
  document ??= openApiDocument(v1);
  return c.json(await document, 200);
}

export const v1 = new Hono<AppEnv>()
  .use('*', limitBody, jsonBodiesOnly)
  .route('/health', healthRoutes)
  .route('/auth', authRoutes)
  // Public like any API description; generated once per isolate from the chain below.
  .get('/openapi.json', serveOpenApi)
  .use('*', requireProvider)
  .route('/me', meRoutes)
  .route('/clients', clientRoutes)
  .route('/payers', payerRoutes)
  .route('/appointments', appointmentRoutes)
  .route('/claims', claimRoutes)
  .route('/codes', codeRoutes);

export type V1 = typeof v1;
