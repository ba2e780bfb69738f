// The API describes itself: GET /v1/openapi.json is generated from the route chain and equals the
// committed docs/openapi.json; every /v1 route is in it; real answers match the response schemas it
// documents; the reference page exists in development only.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as R from '../../shared/schemas/responses';
import worker from '../../worker/index';
import { v1 } from '../../worker/routes/v1';
import { testClock } from '../../worker/platform/clock';
import { at, DAY, schedule, setup } from './appointments-helpers';
import { call, json } from './helpers';

const REFRESH = 'docs/openapi.json is stale: run `npm run openapi` and commit it';

describe('GET /v1/openapi.json', () => {
  it('is OpenAPI 3.1, public, and exactly the committed docs/openapi.json', async () => {
    const res = await call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    const served = await json(res);
    expect(served.openapi).toBe('3.1.0');
    expect(`${JSON.stringify(served, null, 2)}\n` === env.OPENAPI_JSON, REFRESH).toBe(true);
  });

  it('documents every /v1 operation with its responses and the error shape', async () => {
    const doc = await json(await call('GET', '/v1/openapi.json'));
    const routes = v1.routes
      .filter((r) => r.method !== 'ALL' && r.path !== '/openapi.json')
      .map((r) => `${r.method} /v1${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(25);
    for (const route of new Set(routes)) {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect(op, route).toBeDefined();
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => /^2/.test(s)),
        `${route}: a success response`,
      ).toBe(true);
      expect(op.responses['400'].content['application/json'].schema.$ref, route).toBe('#/components/schemas/Error');
      if (
        ['post', 'put', 'patch'].includes(method.toLowerCase()) &&
        !/notify$|logout(-all)?$|calendar-feed$|void$/.test(path)
      ) {
        expect(op.requestBody, `${route}: request body`).toBeDefined();
      }
    }
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    expect(doc.paths['/v1/appointments'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'clientId', 'status', 'limit', 'cursor']),
    );
  });

  it('describes what the routes really answer (responses checked against the documented schemas)', async () => {
    testClock.set(new Date('2026-12-01T12:00:00.000Z'));
    const s = await setup();
    const t = { token: s.p.token };
    const T0 = Date.parse('2026-12-01T12:00:00.000Z');
    const past = await schedule(s, at(T0 - DAY));
    const checks: [v.GenericSchema, Response][] = [
      [R.MeOut, await call('GET', '/v1/me', t)],
      [R.CalendarFeedOut, await call('POST', '/v1/me/calendar-feed', t)],
      [R.BillingProfileOut, await call('GET', '/v1/me/billing-profile', t)],
      [R.FeesOut, await call('GET', '/v1/me/fees', t)],
      [R.ClientOut, await call('GET', `/v1/clients/${s.clientId}`, t)],
      [R.PageOf(R.ClientOut), await call('GET', '/v1/clients?q=a', t)],
      [R.BillingInfoOut, await call('GET', `/v1/clients/${s.clientId}/billing`, t)],
      [R.AppointmentOut, await call('GET', `/v1/appointments/${past.id}`, t)],
      [R.PageOf(R.AppointmentOut), await call('GET', '/v1/appointments', t)],
      [R.AppointmentDayOut, await call('GET', '/v1/appointments/day?date=2026-11-30', t)],
      [R.UnconfirmedCountOut, await call('GET', '/v1/appointments/unconfirmed/count', t)],
      [
        R.ConfirmedOut,
        await call('POST', `/v1/appointments/${past.id}/confirm`, {
          ...t,
          body: { cptCode: '90834', diagnosisCodes: ['F41.1'], progressNote: 'n' },
        }),
      ],
      [R.NoteOut, await call('GET', `/v1/appointments/${past.id}/note`, t)],
      [R.PageOf(R.ClaimOut), await call('GET', '/v1/claims', t)],
      [R.PayersOut, await call('GET', '/v1/payers', t)],
      [R.CptCodesOut, await call('GET', '/v1/codes/cpt', t)],
      [R.Icd10MatchesOut, await call('GET', '/v1/codes/icd10?q=anxiety', t)],
      [R.HealthOut, await call('GET', '/v1/health')],
      [R.ActivityOut, await call('GET', '/v1/me/activity', t)],
      [
        R.AppointmentSeriesOut,
        await call('POST', '/v1/appointments', {
          ...t,
          body: {
            clientId: s.clientId,
            startsAt: at(T0 + 3 * DAY),
            durationMinutes: 50,
            location: { type: 'office' },
            repeat: { every: 'week', count: 3 },
          },
        }),
      ],
    ];
    for (const [i, [schema, res]] of checks.entries()) {
      expect(res.status, `check ${i}`).toBeLessThan(300);
      const result = v.safeParse(schema, await res.json());
      expect(
        result.success ? [] : result.issues.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`),
        `check ${i}`,
      ).toEqual([]);
    }
  });
});

describe('GET /docs', () => {
  async function docs(environment: string) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://127.0.0.1:8787/docs'),
      { ...env, ENVIRONMENT: environment },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('renders the API reference from /v1/openapi.json in development, and is absent in production', async () => {
    const dev = await docs('development');
    expect(dev.status).toBe(200);
    expect(dev.headers.get('content-type')).toMatch(/text\/html/);
    expect(await dev.text()).toContain('/v1/openapi.json');
    const prod = await docs('production');
    expect(prod.status).toBe(404);
    expect((await json(prod)).error.code).toBe('not_found');
  });
});
