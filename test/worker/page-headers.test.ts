// The HTML pages' security headers (hono/secure-headers): a CSP the pages satisfy (no script, the one
// <style> by a per-response nonce), no framing, nosniff, and the link kept out of referrers.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { PAGE, trade } from './client-page-helpers';
import { addClient, call, makeProvider, mailTo } from './helpers';

async function clientLink() {
  const provider = await makeProvider({ name: 'Dr. Header' });
  const client = await addClient(provider, { notify: true });
  const [welcome] = await mailTo(client.email);
  return /http:\/\/127\.0\.0\.1:8787(\/c\/[A-Za-z0-9_-]{43})/.exec(welcome!.text)![1]!;
}

/** The page at its tokenless address, in a fresh session of this link. */
async function pageOf(path: string) {
  const { cookie } = await trade(path);
  return call('GET', PAGE, { headers: { cookie: cookie! } });
}

/** The CSP's directives by name. */
function csp(res: Response): Map<string, string> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );
}

/** The headers every page carries, and a policy that its own markup satisfies. */
async function expectPageHeaders(res: Response, referrerPolicy: string) {
  const html = await res.text();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const policy = csp(res);
  expect(policy.get('default-src')).toBe("'none'");
  expect(policy.get('frame-ancestors')).toBe("'none'");
  expect(policy.get('base-uri')).toBe("'none'");
  expect(policy.get('form-action')).toBe("'self'");
  expect(policy.has('script-src')).toBe(false); // default-src 'none': no script at all
  const nonce = /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(policy.get('style-src') ?? '')?.[1];
  expect(nonce).toBeDefined();
  expect(html.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
  expect(html).not.toMatch(/<script|<link|<img|\son[a-z]+=/i);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe(referrerPolicy);
  return { nonce, html, policy };
}

describe('client pages', () => {
  it('the form: strict CSP with a fresh style nonce per response, no framing, link kept out of referrers', async () => {
    const path = await clientLink();
    const first = await pageOf(path);
    expect(first.status).toBe(200);
    const a = await expectPageHeaders(first, 'same-origin');
    expect(a.policy.has('style-src-attr')).toBe(false); // the client pages use no style attributes
    expect(a.html).not.toMatch(/\sstyle="/);
    const b = await expectPageHeaders(await pageOf(path), 'same-origin');
    expect(b.nonce).not.toBe(a.nonce);
  });

  it('the first visit’s 303, which carries the token in its request, keeps it out of referrers too', async () => {
    const { res } = await trade(await clientLink());
    expect(res.status).toBe(303);
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(csp(res).get('frame-ancestors')).toBe("'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('an unknown link (404), an expired one (410), a closed page (410) and its hop carry the same headers', async () => {
    const unknown = await call('GET', `/c/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    await expectPageHeaders(unknown, 'same-origin');

    const path = await clientLink();
    testClock.advance(14 * 24 * 3600_000 + 60_000);
    const expired = await call('GET', path);
    expect(expired.status).toBe(410);
    await expectPageHeaders(expired, 'same-origin');

    const closed = await call('GET', PAGE);
    expect(closed.status).toBe(410);
    await expectPageHeaders(closed, 'same-origin');
    const hop = await call('GET', PAGE, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(hop.status).toBe(200);
    await expectPageHeaders(hop, 'same-origin');
  });

  it('a refused post (403) carries them too', async () => {
    const { cookie } = await trade(await clientLink());
    const refused = await call('POST', PAGE, {
      rawBody: 'csrf=forged',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
    });
    expect(refused.status).toBe(403);
    await expectPageHeaders(refused, 'same-origin');
  });
});

describe('the local mailbox', () => {
  it('/dev/mail: the same policy, no referrer, and style attributes allowed for the emails it frames', async () => {
    await clientLink(); // at least one email in the mailbox
    const res = await call('GET', '/dev/mail');
    expect(res.status).toBe(200);
    const { policy, html } = await expectPageHeaders(res, 'no-referrer');
    expect(html).toContain('<iframe sandbox');
    // Sandboxed srcdoc frames take the page's policy, and emails style by attribute.
    expect(policy.get('style-src-attr')).toBe("'unsafe-inline'");
  });
});
