// Tenancy: another provider's appointment, claim or client is a 404 exactly like an unknown id, on
// every id-taking route, and nothing of theirs changes.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json } from './helpers';
import { at, CONFIRM, confirm, DAY, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

describe('BOLA: another provider’s ids are 404', () => {
  it('on every appointment, confirmation, note and claim route, and for a clientId in a body or query', async () => {
    testClock.set(new Date(T0));
    const owner = await setup({ telehealth: true });
    const intruder = await setup({ telehealth: true });
    const future = await schedule(owner, at(T0 + DAY), { notify: true });
    const past = await schedule(owner, at(T0 - DAY));
    const done = await schedule(owner, at(T0 - 2 * DAY));
    const { claim } = await json(await confirm(owner, done.id));
    const before = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM appointments WHERE provider_id = ? ORDER BY id').bind(owner.p.id).all())
        .results,
    );

    const routes: [string, (id: string) => string, unknown?][] = [
      ['GET', (id) => `/v1/appointments/${id}`],
      ['PATCH', (id) => `/v1/appointments/${id}`, { durationMinutes: 30 }],
      ['POST', (id) => `/v1/appointments/${id}/notify`],
      ['POST', (id) => `/v1/appointments/${id}/cancel`, { reason: 'client' }],
      ['POST', (id) => `/v1/appointments/${id}/confirm`, CONFIRM],
      ['PATCH', (id) => `/v1/appointments/${id}/confirmation`, { cptCode: '90834' }],
      ['GET', (id) => `/v1/appointments/${id}/note`],
    ];
    for (const [method, path, body] of routes) {
      for (const id of [future.id, past.id, done.id]) {
        const theirs = await call(method, path(id), { token: intruder.p.token, body });
        const unknown = await call(method, path('apt_doesnotexist000000'), { token: intruder.p.token, body });
        expect(theirs.status, `${method} ${path(id)}`).toBe(404);
        expect(await theirs.text()).toBe(await unknown.text());
      }
    }
    const theirClaim = await call('GET', `/v1/claims/${claim.id}`, { token: intruder.p.token });
    expect(theirClaim.status).toBe(404);
    expect(await theirClaim.text()).toBe(
      await (await call('GET', '/v1/claims/clm_doesnotexist0000000', { token: intruder.p.token })).text(),
    );

    const foreignClient = await call('POST', '/v1/appointments', {
      token: intruder.p.token,
      body: { clientId: owner.clientId, startsAt: at(T0 + 3 * DAY), durationMinutes: 50, location: { type: 'office' } },
    });
    expect(foreignClient.status).toBe(404);
    expect(await json(foreignClient)).toEqual({ error: { code: 'not_found', message: 'Client was not found.' } });
    expect((await call('GET', `/v1/appointments?clientId=${owner.clientId}`, { token: intruder.p.token })).status).toBe(
      404,
    );

    // Lists and counts never show the owner's sessions.
    expect((await json(await call('GET', '/v1/appointments', { token: intruder.p.token }))).items).toEqual([]);
    expect(await json(await call('GET', '/v1/appointments/unconfirmed/count', { token: intruder.p.token }))).toEqual({
      count: 0,
      oldestStartsAt: null,
    });

    const after = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM appointments WHERE provider_id = ? ORDER BY id').bind(owner.p.id).all())
        .results,
    );
    expect(after).toBe(before);
    expect(
      (
        await env.DB.prepare('SELECT count(*) AS n FROM confirmations WHERE provider_id = ?')
          .bind(intruder.p.id)
          .first<{ n: number }>()
      )?.n,
    ).toBe(0);
  });

  it('every appointment route needs a token', async () => {
    for (const [method, path] of [
      ['GET', '/v1/appointments'],
      ['POST', '/v1/appointments'],
      ['GET', '/v1/appointments/unconfirmed/count'],
      ['GET', '/v1/appointments/apt_x/note'],
      ['GET', '/v1/codes/icd10?q=f41'],
    ]) {
      expect((await call(method!, path!)).status, `${method} ${path}`).toBe(401);
    }
  });
});
