// GET /v1/me/activity and POST /v1/auth/logout-all (API.md "Sign-in"): the provider's own account
// activity from the audit log, newest first, with the caller's network and never the full address.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { networkOf } from '../../worker/platform/network';
import { testClock } from '../../worker/platform/clock';
import { ADMIN, COMPLETE_BILLING, addClient, call, json, mailTo, makeProvider, tokenFor } from './helpers';

type Item = {
  id: string;
  at: string;
  action: string;
  actor: string;
  targetType: string;
  targetId: string | null;
  network: string | null;
};

async function activity(token: string, query = ''): Promise<{ items: Item[]; nextCursor: string | null }> {
  const res = await call('GET', `/v1/me/activity${query}`, { token });
  expect(res.status).toBe(200);
  return json(res);
}

async function signIn(email: string, address: string): Promise<string> {
  const headers = { 'cf-connecting-ip': address };
  await call('POST', '/v1/auth/code', { body: { email }, headers });
  const code = /sign-in code is (\d{6})/.exec((await mailTo(email))[0]!.text)![1]!;
  const res = await call('POST', '/v1/auth/token', { body: { email, code }, headers });
  expect(res.status).toBe(200);
  return (await json(res)).token;
}

describe('the network of an address', () => {
  it.each([
    ['203.0.113.45', '203.0.113.0/24'],
    ['10.1.2.255', '10.1.2.0/24'],
    ['::ffff:198.51.100.7', '198.51.100.0/24'],
    ['2001:db8:1:2::5', '2001:db8:1::/48'],
    ['2001:0db8:0000:1234:5678::1', '2001:db8::/48'],
    ['2606:4700:20::681a:abc', '2606:4700:20::/48'],
    ['::1', '::/48'],
    ['local', null],
    ['', null],
    ['300.1.2.3', null],
    ['1:2:3:4:5:6:7:8:9', null],
  ])('%s is in %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });
});

describe('GET /v1/me/activity', () => {
  it('activity lists sign-ins newest first with the /24 network, never the full address', async () => {
    const p = await makeProvider();
    testClock.advance(1000);
    await call('POST', '/v1/auth/token', {
      body: { email: p.email, code: '000000' },
      headers: { 'cf-connecting-ip': '198.51.100.23' },
    });
    testClock.advance(1000);
    const token = await signIn(p.email, '203.0.113.45');
    testClock.advance(1000);
    const other = await signIn(p.email, '2001:db8:1:2::5');
    testClock.advance(1000);
    expect(
      (await call('POST', '/v1/auth/logout', { token: other, headers: { 'cf-connecting-ip': '203.0.113.9' } })).status,
    ).toBe(204);

    const res = await call('GET', '/v1/me/activity', { token });
    expect(res.headers.get('x-d1-round-trips')).toBe('2');
    const { items, nextCursor } = await json<{ items: Item[]; nextCursor: string | null }>(res);
    expect(nextCursor).toBeNull();
    const own = items.filter((i) => i.action.startsWith('signin') || i.action === 'logout');
    expect(own.map((i) => [i.action, i.network])).toEqual([
      ['logout', '203.0.113.0/24'],
      ['signin.succeeded', '2001:db8:1::/48'],
      ['signin.succeeded', '203.0.113.0/24'],
      ['signin.failed', '198.51.100.0/24'],
    ]);
    expect(own.map((i) => i.actor)).toEqual(['provider', 'provider', 'provider', 'provider']);
    expect(own[0]).toMatchObject({ targetType: 'provider', targetId: p.id, id: expect.stringMatching(/^act_/) });
    const sorted = [...items].sort((a, b) => b.at.localeCompare(a.at));
    expect(items.map((i) => i.at)).toEqual(sorted.map((i) => i.at));
    const text = JSON.stringify(items);
    for (const full of ['203.0.113.45', '198.51.100.23', '2001:db8:1:2::5']) expect(text).not.toContain(full);
    // Nor does the table hold them.
    const stored = await env.DB.prepare('SELECT group_concat(network) AS n FROM audit_log WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: string }>();
    expect(stored!.n).not.toContain('203.0.113.45');
  });

  it('shows the lock with the system as actor, and no row for an unknown email', async () => {
    const p = await makeProvider();
    for (let i = 0; i < 10; i++)
      await call('POST', '/v1/auth/token', {
        body: { email: p.email, code: String(300000 + i) },
        headers: { 'cf-connecting-ip': '192.0.2.1' },
      });
    const { items } = await activity(p.token, '?limit=200');
    expect(items.filter((i) => i.action === 'signin.failed')).toHaveLength(10);
    expect(items.filter((i) => i.action === 'signin.locked')).toEqual([
      expect.objectContaining({ actor: 'system', network: '192.0.2.0/24' }),
    ]);
    const before = await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>();
    await call('POST', '/v1/auth/token', { body: { email: 'nobody-at-all@example.com', code: '123456' } });
    const after = await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it('shows the staff’s carrier changes as admin.carrier_changed by the admin', async () => {
    const p = await makeProvider({ approved: false });
    const res = await call('PUT', `/admin/providers/${p.id}/carriers/pay_cigna`, {
      token: ADMIN,
      body: { status: 'approved' },
      headers: { 'cf-connecting-ip': '192.0.2.200' },
    });
    expect(res.status).toBe(200);
    const { items } = await activity(p.token);
    expect(items[0]).toMatchObject({
      action: 'admin.carrier_changed',
      actor: 'admin',
      targetType: 'provider_carrier',
      targetId: `${p.id}:pay_cigna`,
      network: '192.0.2.0/24',
    });
    expect(items.map((i) => i.action)).toContain('admin.provider_created');
  });

  it('names reads and saves of a client’s billing data in API.md’s words, and leaves out plain lists', async () => {
    const p = await makeProvider();
    const client = await addClient(p);
    await call('GET', '/v1/clients', { token: p.token });
    await call('PUT', `/v1/clients/${client.id}/billing`, { token: p.token, body: COMPLETE_BILLING });
    await call('GET', `/v1/clients/${client.id}/billing`, { token: p.token });
    const { items } = await activity(p.token);
    expect(items.slice(0, 2).map((i) => [i.action, i.actor, i.targetType, i.targetId])).toEqual([
      ['client_billing.read', 'provider', 'client', client.id],
      ['client_billing.saved', 'provider', 'client', client.id],
    ]);
    expect(items.map((i) => i.action)).not.toContain('client.list');
    expect(items.map((i) => i.action)).not.toContain('client.create');
  });

  it('pages with a cursor and shows only the provider’s own activity', async () => {
    const p = await makeProvider();
    const q = await makeProvider();
    for (let i = 0; i < 4; i++) {
      testClock.advance(1000);
      await call('POST', '/v1/auth/logout', { token: await tokenFor(p.id) });
    }
    const first = await activity(p.token, '?limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await activity(p.token, `?limit=3&cursor=${first.nextCursor}`);
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(4 + 2); // four logouts, the provider's creation and its carrier approval
    const theirs = await activity(q.token, '?limit=200');
    expect(theirs.items.every((i) => i.targetId !== p.id && !i.targetId?.startsWith(`${p.id}:`))).toBe(true);
    expect((await call('GET', '/v1/me/activity?limit=0', { token: p.token })).status).toBe(400);
    expect((await call('GET', '/v1/me/activity?cursor=nope', { token: p.token })).status).toBe(400);
  });
});

describe('POST /v1/auth/logout-all', () => {
  it('logout-all revokes every token, the one used included, and shows in the activity', async () => {
    const p = await makeProvider();
    const laptop = await tokenFor(p.id);
    const phone = await tokenFor(p.id);
    const res = await call('POST', '/v1/auth/logout-all', {
      token: laptop,
      headers: { 'cf-connecting-ip': '203.0.113.200' },
    });
    expect(res.status).toBe(204);
    expect(Number(res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(3);
    for (const t of [laptop, phone, p.token]) expect((await call('GET', '/v1/me', { token: t })).status).toBe(401);
    expect((await call('POST', '/v1/auth/logout-all', { token: laptop })).status).toBe(401);
    const fresh = await tokenFor(p.id);
    const { items } = await activity(fresh);
    expect(items[0]).toMatchObject({ action: 'logout_all', actor: 'provider', network: '203.0.113.0/24' });
  });

  it('leaves other providers signed in', async () => {
    const p = await makeProvider();
    const q = await makeProvider();
    await call('POST', '/v1/auth/logout-all', { token: p.token });
    expect((await call('GET', '/v1/me', { token: q.token })).status).toBe(200);
  });
});
