// A client link belongs to its client and the address it was sent to (API.md "Client self-service
// pages"): an email change revokes every earlier link, a client has at most 3 live links, and a
// revoked link — or a session opened with it — answers 410 with no data.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { at, confirm, DAY, schedule, setup } from './appointments-helpers';
import { clientRow, GOOD, invited, notify, openPage, postPage, trade, visit } from './client-page-helpers';
import { call, COMPLETE_BILLING, json } from './helpers';

const patch = (token: string, id: string, body: Record<string, unknown>) =>
  call('PATCH', `/v1/clients/${id}`, { token, body });

/** What a 410 for a revoked link must be: the page saying so, and nothing of the client's. */
async function expectRevoked(
  answer: Response | { res: Response; html: string },
  client: { email: string; firstName: string },
) {
  const res = answer instanceof Response ? answer : answer.res;
  expect(res.status).toBe(410);
  const html = answer instanceof Response ? await res.text() : answer.html;
  expect(html).toContain('This link no longer works');
  expect(html).not.toContain(client.email);
  expect(html).not.toContain(client.firstName);
  expect(html).not.toMatch(/<form|<input|name="csrf"/);
  return html;
}

describe('a link is bound to the address it was sent to', () => {
  it('a link is revoked when the client’s email changes', async () => {
    const { provider, client, path } = await invited(undefined, { firstName: 'Grace' });
    expect((await trade(path)).res.status).toBe(303);
    expect((await patch(provider.token, client.id, { email: `new.${client.email}` })).status).toBe(200);
    const { res, setCookie } = await trade(path);
    expect(setCookie).toBeNull();
    await expectRevoked(res, client);
    // The one stored row says when, for the record.
    const row = await env.DB.prepare('SELECT revoked_at FROM client_links WHERE client_id = ?')
      .bind(client.id)
      .first<{ revoked_at: string | null }>();
    expect(row?.revoked_at).not.toBeNull();
    // A link sent to the new address works.
    const fresh = await notify(provider, client.id, `new.${client.email}`);
    expect((await visit(fresh)).res.status).toBe(200);
  });

  it('a link is revoked when the email changes back and forth (an old address never regains it)', async () => {
    const { provider, client, path } = await invited();
    expect((await patch(provider.token, client.id, { email: `other.${client.email}` })).status).toBe(200);
    expect((await patch(provider.token, client.id, { email: client.email })).status).toBe(200);
    expect((await trade(path)).res.status).toBe(410);
  });

  it('other edits, and the same address in other letter case, keep the links', async () => {
    const { provider, client, path } = await invited();
    expect((await patch(provider.token, client.id, { firstName: 'Augusta', timeZone: 'America/Chicago' })).status).toBe(
      200,
    );
    expect((await patch(provider.token, client.id, { email: client.email.toUpperCase() })).status).toBe(200);
    expect((await visit(path)).res.status).toBe(200);
  });

  it('a link whose address is no longer the client’s is refused even where no revocation was recorded', async () => {
    const { client, path } = await invited();
    // As if the address had changed by a path that did not revoke: the binding itself refuses.
    await env.DB.prepare('UPDATE clients SET email = ?, email_lower = ? WHERE id = ?')
      .bind('moved@example.com', 'moved@example.com', client.id)
      .run();
    await expectRevoked((await trade(path)).res, client);
  });
});

describe('at most 3 live links per client', () => {
  it('a fourth link revokes the oldest', async () => {
    const { provider, client, path: first } = await invited(undefined, { firstName: 'Edsger' });
    const oldSession = await visit(first);
    const second = await notify(provider, client.id, client.email);
    const third = await notify(provider, client.id, client.email, 'billing_info');
    expect((await trade(first)).res.status).toBe(303); // three live: all work
    const fourth = await notify(provider, client.id, client.email);
    await expectRevoked((await trade(first)).res, client);
    // Its session ends with it.
    await expectRevoked(await openPage(oldSession.cookie), client);
    for (const path of [second, third, fourth]) expect((await trade(path)).res.status, path).toBe(303);
    const live = await env.DB.prepare(
      'SELECT count(*) AS n FROM client_links WHERE client_id = ? AND revoked_at IS NULL',
    )
      .bind(client.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(3);
  });

  it('a billing_incomplete settingsUrl is a link like the others: it counts and revokes the oldest', async () => {
    const T0 = Date.parse('2026-12-01T12:00:00.000Z');
    testClock.set(new Date(T0));
    const s = await setup();
    const partial = { ...COMPLETE_BILLING, insurance: { ...COMPLETE_BILLING.insurance, memberId: undefined } };
    await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body: partial });
    const first = await notify(s.p, s.clientId, s.clientEmail);
    await notify(s.p, s.clientId, s.clientEmail);
    await notify(s.p, s.clientId, s.clientEmail);
    const apt = await schedule(s, at(T0 - DAY));
    const err = (await json(await confirm(s, apt.id))).error;
    expect(err.code).toBe('billing_incomplete');
    expect((await trade(new URL(err.settingsUrl).pathname)).res.status).toBe(303);
    expect((await trade(first)).res.status).toBe(410);
  });
});

describe('revoking a link ends its page sessions', () => {
  it('revoking a link ends its page sessions: no page, no save', async () => {
    const { provider, client, path } = await invited(undefined, { firstName: 'Barbara' });
    const page = await visit(path);
    expect(page.res.status).toBe(200);
    expect((await patch(provider.token, client.id, { email: `moved.${client.email}` })).status).toBe(200);

    const again = await openPage(page.cookie);
    await expectRevoked(again, client);
    // The browser is told to drop the cookie.
    expect(again.res.headers.get('set-cookie')).toMatch(/^__Secure-page=;.*Max-Age=0/);

    const saved = await postPage(page.cookie, { ...GOOD, csrf: page.csrf });
    await expectRevoked(saved, client);
    expect((await clientRow(client.id))?.status).toBe('invited');
  });
});
