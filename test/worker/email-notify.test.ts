// POST /v1/clients/:id/notify: the welcome (default) or the billing-info request, each with a fresh link.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { addClient, call, COMPLETE_BILLING, json, mailTo, makeProvider, uniqueEmail } from './helpers';

const LINK = /http:\/\/127\.0\.0\.1:8787\/c\/[A-Za-z0-9_-]{43}/;

describe('notify', () => {
  it('with no body, or an empty one, re-sends the welcome with a fresh link', async () => {
    const p = await makeProvider({ name: 'Dr. Noti Fy' });
    const c = await addClient(p);
    expect((await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token })).status).toBe(202);
    expect((await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token, body: {} })).status).toBe(202);
    const mails = await mailTo(c.email);
    expect(mails.map((m) => m.subject)).toEqual([
      'Dr. Noti Fy added you on Caseload: set up your account',
      'Dr. Noti Fy added you on Caseload: set up your account',
    ]);
    const links = mails.map((m) => LINK.exec(m.text)?.[0]);
    expect(new Set(links).size).toBe(2);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM client_links WHERE client_id = ?')
      .bind(c.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(2);
  });

  it('reason billing_info sends the billing-info request naming what is still missing', async () => {
    const p = await makeProvider({ name: 'Dr. Noti Fy' });
    const c = await addClient(p);
    const partial = { ...COMPLETE_BILLING, insurance: { ...COMPLETE_BILLING.insurance, memberId: undefined } };
    expect((await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: partial })).status).toBe(200);
    const res = await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token, body: { reason: 'billing_info' } });
    expect(res.status).toBe(202);
    const [m] = await mailTo(c.email);
    expect(m?.subject).toBe('Dr. Noti Fy asks you to complete your billing info');
    expect(m?.text).toMatch(LINK);
    expect(m?.text).toContain('Still needed:\n- Member ID\n');
    expect(m?.text).not.toContain('W123456789');
    const kinds = await env.DB.prepare('SELECT kind FROM outbox WHERE to_addr = ?')
      .bind(c.email)
      .all<{ kind: string }>();
    expect(kinds.results).toEqual([{ kind: 'billing_request' }]);
    // The link opens the client's page.
    const page = await call('GET', new URL(LINK.exec(m!.text)![0]).pathname);
    expect(page.status).toBe(200);
  });

  it('refuses an unknown reason or bad JSON and sends nothing', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    const bad = await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token, body: { reason: 'spam' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: 'reason', message: 'reason must be welcome or billing_info' }],
    });
    const garbled = await call('POST', `/v1/clients/${c.id}/notify`, {
      token: p.token,
      rawBody: '{"reason":',
      headers: { 'content-type': 'application/json' },
    });
    expect(garbled.status).toBe(400);
    expect((await json(garbled)).error.code).toBe('bad_json');
    expect(await mailTo(c.email)).toHaveLength(0);
  });
});

describe('notify storms (API.md: at most 3 emails per client per hour from the two notify routes)', () => {
  const T0 = Date.parse('2026-12-01T12:00:00.000Z');
  const notifyClient = (p: { token: string }, id: string, headers?: Record<string, string>) =>
    call('POST', `/v1/clients/${id}/notify`, { token: p.token, headers });
  const notifyAppointment = (p: { token: string }, id: string, headers?: Record<string, string>) =>
    call('POST', `/v1/appointments/${id}/notify`, { token: p.token, headers });

  async function clientWithSession() {
    testClock.set(new Date(T0));
    const p = await makeProvider();
    // Created with notify: its welcome and the booking email do not count.
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'Storm', lastName: 'Client', email: uniqueEmail('storm'), notify: true },
    });
    const c = await json(res);
    const apt = await call('POST', '/v1/appointments', {
      token: p.token,
      body: {
        clientId: c.id,
        startsAt: new Date(T0 + 2 * 86_400_000).toISOString(),
        durationMinutes: 50,
        location: { type: 'office' },
        notify: true,
      },
    });
    expect(apt.status).toBe(201);
    return { p, c, apt: await json(apt) };
  }

  it('40 parallel notifies send 3 emails; the rest are 429 rate_limited with retry-after', async () => {
    const { p, c, apt } = await clientWithSession();
    const before = (await mailTo(c.email)).length;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? notifyClient(p, c.id) : notifyAppointment(p, apt.id))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(37);
    for (const r of results.filter((r) => r.status === 429)) {
      expect((await json(r)).error.code).toBe('rate_limited');
      const retry = Number(r.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(3600);
    }
    expect((await mailTo(c.email)).length - before).toBe(3);
  });

  it('the two routes share the limit; the hour slides, so a 4th is allowed once the 1st is an hour old', async () => {
    const { p, c, apt } = await clientWithSession();
    expect((await notifyClient(p, c.id)).status).toBe(202);
    testClock.advance(20 * 60_000);
    expect((await notifyAppointment(p, apt.id)).status).toBe(202);
    expect((await notifyClient(p, c.id)).status).toBe(202);
    const refused = await notifyAppointment(p, apt.id);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(40 * 60));
    testClock.advance(40 * 60_000 - 1000);
    expect((await notifyClient(p, c.id)).status).toBe(429);
    testClock.advance(2000);
    expect((await notifyClient(p, c.id)).status).toBe(202);
    // Another client of the same provider has its own hour.
    const other = await addClient(p);
    expect((await notifyClient(p, other.id)).status).toBe(202);
  });

  it('a replay of an earlier notify (same Idempotency-Key) answers as the first did, and is never counted or refused', async () => {
    const { p, c } = await clientWithSession();
    const key = { 'idempotency-key': crypto.randomUUID() };
    const first = await notifyClient(p, c.id, key);
    expect(first.status).toBe(202);
    const replays = await Promise.all(Array.from({ length: 10 }, () => notifyClient(p, c.id, key)));
    for (const r of replays) {
      expect(r.status).toBe(202);
      expect(await r.text()).toBe('{}');
    }
    // Two more fresh notifies still fit: the replays used none of the three.
    expect((await notifyClient(p, c.id)).status).toBe(202);
    expect((await notifyClient(p, c.id)).status).toBe(202);
    expect((await notifyClient(p, c.id)).status).toBe(429);
    // And with the hour full, the replay still answers 202.
    const late = await notifyClient(p, c.id, key);
    expect(late.status).toBe(202);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    const welcomes = (await mailTo(c.email)).filter((m) => /set up your account/.test(m.subject));
    expect(welcomes).toHaveLength(1 + 3);
  });

  it('10 concurrent notifies with one key send one email', async () => {
    const { p, apt, c } = await clientWithSession();
    const before = (await mailTo(c.email)).length;
    const key = { 'idempotency-key': crypto.randomUUID() };
    const results = await Promise.all(Array.from({ length: 10 }, () => notifyAppointment(p, apt.id, key)));
    for (const r of results) expect([202, 409]).toContain(r.status);
    expect((await mailTo(c.email)).length - before).toBe(1);
  });

  it('a notify with a body that is not labelled JSON is 415 and sends nothing, on both routes', async () => {
    const { p, c, apt } = await clientWithSession();
    const before = (await mailTo(c.email)).length;
    for (const path of [`/v1/clients/${c.id}/notify`, `/v1/appointments/${apt.id}/notify`]) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await call('POST', path, {
          token: p.token,
          rawBody: 'reason=welcome',
          headers: { 'content-type': type },
        });
        expect(res.status, `${path} ${type}`).toBe(415);
        expect((await json(res)).error.code).toBe('unsupported_media_type');
      }
    }
    expect((await mailTo(c.email)).length).toBe(before);
  });
});
