// POST /v1/clients/:id/notify: the welcome (default) or the billing-info request, each with a fresh link.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addClient, call, COMPLETE_BILLING, json, mailTo, makeProvider } from './helpers';

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
