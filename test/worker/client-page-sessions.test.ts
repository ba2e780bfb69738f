// The link's token is traded on the first visit for a page session (API.md "Client self-service
// pages"): an HttpOnly, Secure, SameSite=Strict cookie on /c for 30 minutes, stored hashed, and a
// 303 to an address without the token; the page there needs that session and shows nothing without it.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createData } from '../../worker/db/data';
import { pruneRetention } from '../../worker/domain/operations';
import { sha256Hex } from '../../worker/platform/crypto';
import { now, testClock } from '../../worker/platform/clock';
import { clientAudit, clientRow, GOOD, invited, openPage, PAGE, postPage, trade, visit } from './client-page-helpers';

/** A Set-Cookie header's attributes, lowercased names. */
function attributes(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(';')
      .slice(1)
      .map((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        return [k.toLowerCase(), v] as const;
      }),
  );
}

describe('the first visit', () => {
  it('the first visit trades the token for a cookie and redirects without it', async () => {
    const { client, path } = await invited();
    const token = path.slice('/c/'.length);
    const { res, setCookie, cookie } = await trade(path);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(PAGE);
    expect(res.headers.get('location')).not.toContain(token);
    expect(await res.text()).not.toContain(token);

    expect(cookie).toMatch(/^__Secure-page=[A-Za-z0-9_-]{43}$/);
    const attrs = attributes(setCookie!);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.has('secure')).toBe(true);
    expect(attrs.get('samesite')).toBe('Strict');
    expect(attrs.get('path')).toBe('/c');
    expect(attrs.get('max-age')).toBe('1800');
    expect(attrs.has('domain')).toBe(false);

    // Stored hashed, like every token: the hash is there, the secret is nowhere.
    const secret = cookie!.split('=')[1]!;
    const { results } = await env.DB.prepare(
      'SELECT s.* FROM client_page_sessions s JOIN client_links l ON l.token_hash = s.link_hash WHERE l.client_id = ?',
    )
      .bind(client.id)
      .all<Record<string, string>>();
    expect(results).toHaveLength(1);
    expect(results[0]!.session_hash).toBe(await sha256Hex(secret));
    expect(JSON.stringify(results)).not.toContain(secret);
    expect(Date.parse(results[0]!.expires_at!) - Date.parse(results[0]!.created_at!)).toBe(30 * 60_000);
    expect(await clientAudit(client.id)).toEqual(['client_link.opened']);
  });

  it('the page lives at the tokenless address, and nothing on it names the link', async () => {
    const { path } = await invited();
    const page = await visit(path);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain(`<form method="post" action="${PAGE}"`);
    expect(page.html).not.toContain(path.slice('/c/'.length));
    expect(page.html).not.toMatch(/\/c\/[A-Za-z0-9_-]{43}/);
  });

  it('each visit of the link opens its own session', async () => {
    const { path } = await invited();
    const a = await trade(path);
    const b = await trade(path);
    expect(a.cookie).not.toBe(b.cookie);
    expect((await openPage(a.cookie)).res.status).toBe(200);
    expect((await openPage(b.cookie)).res.status).toBe(200);
  });
});

describe('without a live session the page shows nothing', () => {
  it('no cookie, or a made-up one: a closed page, no data, nothing saved', async () => {
    const { client, path } = await invited();
    await visit(path);
    for (const cookie of [null, `__Secure-page=${'x'.repeat(43)}`, '__Secure-page=short', 'page=whatever']) {
      const page = await openPage(cookie);
      expect(page.res.status, String(cookie)).toBe(410);
      expect(page.html).toContain('This page has closed');
      expect(page.html).not.toMatch(/<form|Dr\. Page Turner|Ada/);
      const saved = await postPage(cookie, { ...GOOD, csrf: 'x'.repeat(43) });
      expect(saved.status, String(cookie)).toBe(410);
    }
    expect((await clientRow(client.id))?.status).toBe('invited');
  });

  it('a page session ends after 30 minutes; the link opens a new one', async () => {
    const { client, path } = await invited();
    const page = await visit(path);
    testClock.advance(29 * 60_000);
    expect((await openPage(page.cookie)).res.status).toBe(200);
    testClock.advance(60_000);
    const closed = await openPage(page.cookie);
    expect(closed.res.status).toBe(410);
    expect(closed.html).toContain('This page has closed');
    expect(closed.res.headers.get('set-cookie')).toMatch(/^__Secure-page=;.*Max-Age=0/);
    expect((await postPage(page.cookie, { ...GOOD, csrf: page.csrf })).status).toBe(410);
    expect((await clientRow(client.id))?.status).toBe('invited');

    const fresh = await visit(path);
    expect(fresh.res.status).toBe(200);
    expect((await postPage(fresh.cookie, { ...GOOD, csrf: fresh.csrf })).status).toBe(303);
  });

  it('opened from another site, the page loads itself once more to receive its cookie', async () => {
    // A browser keeps a SameSite=Strict cookie out of a navigation that began on another site
    // (webmail), the redirect included: the page answers with one hop from itself, and no data.
    const { path } = await invited();
    const hop = await openPage(null, '', { 'sec-fetch-site': 'cross-site' });
    expect(hop.res.status).toBe(200);
    expect(hop.html).toContain(`<meta http-equiv="refresh" content="0;url=${PAGE}">`);
    expect(hop.html).toContain(`<a href="${PAGE}">Continue to your page</a>`);
    expect(hop.html).not.toMatch(/<form|Ada/);
    // From this site without the cookie (the hop done, cookies refused): closed, no loop.
    expect((await openPage(null, '', { 'sec-fetch-site': 'same-origin' })).res.status).toBe(410);
    // With the cookie, from this site: the page.
    const { cookie } = await trade(path);
    expect((await openPage(cookie, '', { 'sec-fetch-site': 'same-origin' })).res.status).toBe(200);
  });
});

describe('round trips', () => {
  it('the first visit, the page and a save each take at most 2 D1 round trips', async () => {
    const { path } = await invited();
    const traded = await trade(path);
    expect(Number(traded.res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
    const page = await openPage(traded.cookie);
    expect(Number(page.res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
    const saved = await postPage(traded.cookie, { ...GOOD, csrf: page.csrf });
    expect(saved.status).toBe(303);
    expect(Number(saved.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
  });
});

describe('retention', () => {
  /** This client's page sessions and links still stored. */
  async function stored(clientId: string) {
    const n = async (sql: string) => (await env.DB.prepare(sql).bind(clientId).first<{ n: number }>())?.n ?? 0;
    return {
      links: await n('SELECT count(*) AS n FROM client_links WHERE client_id = ?'),
      sessions: await n(
        'SELECT count(*) AS n FROM client_page_sessions s JOIN client_links l ON l.token_hash = s.link_hash WHERE l.client_id = ?',
      ),
    };
  }
  const prune = (at: Date) =>
    pruneRetention(createData(env.DB), at, (err) => {
      throw err;
    });

  it('ended page sessions are pruned, and a link with sessions is pruned with them a week after it expires', async () => {
    const { client, path } = await invited();
    const open = await visit(path);
    await prune(new Date(now().getTime() + 29 * 60_000));
    expect(await stored(client.id)).toEqual({ links: 1, sessions: 1 });
    expect((await openPage(open.cookie)).res.status).toBe(200);
    await prune(new Date(now().getTime() + 31 * 60_000));
    expect(await stored(client.id)).toEqual({ links: 1, sessions: 0 });

    await visit(path); // another session, left to the link's own pruning
    await prune(new Date(now().getTime() + 21 * 24 * 3600_000 + 60_000));
    expect(await stored(client.id)).toEqual({ links: 0, sessions: 0 });
  });
});
