// The client's self-service page, end to end: from the welcome email's link to a billable client,
// with bad input, CSRF, an expired link, an unknown one, and the same link used again later.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import {
  clientAudit,
  clientRow,
  field,
  GOOD,
  invited,
  linksTo,
  openPage,
  PAGE,
  postPage,
  trade,
  visit,
} from './client-page-helpers';
import { call, json } from './helpers';

describe('the welcome link', () => {
  it('opens the form; completing it makes the client active, billable, with the API seeing the same values', async () => {
    const { provider, client, path } = await invited();
    const page = await visit(path);
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.res.headers.get('content-security-policy')).toMatch(
      /default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/,
    );
    expect(page.res.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.res.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('<h1>Set up your account</h1>');
    expect(page.html).toContain('Dr. Page Turner uses Caseload');
    expect(page.html).toContain('<option value="pay_aetna">Aetna</option>');
    expect(page.html).toContain(`<form method="post" action="${PAGE}"`);
    expect(page.csrf).not.toBe('');

    const saved = await postPage(page.cookie, { ...GOOD, csrf: page.csrf });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${PAGE}?saved`);
    const done = await openPage(page.cookie, '?saved');
    expect(done.res.status).toBe(200);
    expect(done.html).toContain('Your details are saved');
    expect(done.html).toContain(`href="${PAGE}"`);

    const api = await json(await call('GET', `/v1/clients/${client.id}`, { token: provider.token }));
    expect(api).toMatchObject({ status: 'active', billingComplete: true, missing: [] });
    const billing = await json(await call('GET', `/v1/clients/${client.id}/billing`, { token: provider.token }));
    expect(billing).toMatchObject({
      legalFirstName: 'Ada',
      dateOfBirth: '1985-12-10',
      sex: 'F',
      phone: '212-555-0100',
      address: { line1: '1 Main St', line2: null, city: 'New York', state: 'NY', postalCode: '10001' },
      insurance: {
        payerId: 'pay_aetna',
        memberId: 'W123456789',
        groupNumber: null,
        relationship: 'self',
        subscriber: null,
      },
    });
  });

  it('the link’s use is audited as the client: opened, read, saved', async () => {
    const { client, path } = await invited();
    const page = await visit(path);
    expect((await postPage(page.cookie, { ...GOOD, csrf: page.csrf })).status).toBe(303);
    expect(await clientAudit(client.id)).toEqual(['client_link.opened', 'client_billing.read', 'client_billing.saved']);
  });

  it('is accessible: a label for every control, required marked, no outside assets, works without script', async () => {
    const { path } = await invited();
    const { html } = await visit(path);
    const ids = [...html.matchAll(/<(?:input|select) (?:type="[a-z]+" )?id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBe(17);
    for (const id of ids) expect(html, id).toContain(`<label for="${id}">`);
    expect(field(html, 'address.line2').control).not.toContain('required');
    expect(field(html, 'insurance.memberId').control).toContain('required');
    expect(field(html, 'insurance.memberId').describedBy).toBe('f-insurance-memberId-hint');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import|https?:\/\//);
    expect(html).toContain('<button type="submit">');
  });
});

describe('bad input', () => {
  it('re-renders with each error next to its field, the values kept, and nothing saved', async () => {
    const { client, path } = await invited();
    const { csrf, cookie } = await visit(path);
    const bad = {
      ...GOOD,
      csrf,
      phone: '555-01',
      'address.postalCode': '1234',
      dateOfBirth: '2999-01-01',
      'insurance.memberId': '',
      'insurance.relationship': 'spouse',
      legalLastName: '<b>Love</b>"lace',
    };
    const res = await postPage(cookie, bad);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>Error: /);
    const expectations: [string, RegExp][] = [
      ['phone', /10-digit US phone/],
      ['address.postalCode', /5-digit ZIP/],
      ['dateOfBirth', /in the past/],
      ['insurance.memberId', /^Enter your member ID$/],
      ['insurance.subscriber.firstName', /^Enter the policyholder’s first name$/],
      ['insurance.subscriber.dateOfBirth', /^Enter the policyholder’s date of birth$/],
    ];
    for (const [name, message] of expectations) {
      const f = field(html, name);
      expect(f.error, name).toMatch(message);
      expect(f.describedBy.split(' '), name).toContain(`${f.id}-error`);
      expect(f.control, name).toContain('aria-invalid="true"');
      expect(html, name).toContain(`<a href="#${f.id}">`);
    }
    expect(field(html, 'legalFirstName').error).toBeUndefined();
    expect(field(html, 'legalFirstName').control).not.toContain('aria-invalid');
    // Values kept as typed (escaped), the picked options still picked.
    expect(field(html, 'phone').control).toContain('value="555-01"');
    expect(field(html, 'legalLastName').control).toContain('value="&lt;b&gt;Love&lt;/b&gt;&quot;lace"');
    expect(html).toContain('<option value="spouse" selected>');
    expect(html).toContain('<option value="pay_aetna" selected>');
    expect(html).toContain('role="alert"');
    // A CSRF token comes with the re-rendered form.
    expect(/name="csrf" value="([^"]+)"/.exec(html)?.[1]).toBeTruthy();
    const row = await clientRow(client.id);
    expect(row).toMatchObject({ status: 'invited', phone: null, legal_last_name: null, member_id: null });
  });

  it('every field a claim needs is required on the page, though the API accepts partial info', async () => {
    const { path } = await invited();
    const { csrf, cookie } = await visit(path);
    const res = await postPage(cookie, { csrf });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const name of [
      'legalFirstName',
      'legalLastName',
      'dateOfBirth',
      'sex',
      'phone',
      'address.line1',
      'address.city',
      'address.state',
      'address.postalCode',
      'insurance.payerId',
      'insurance.memberId',
      'insurance.relationship',
    ]) {
      expect(field(html, name).error, name).toBeTruthy();
    }
    expect(field(html, 'address.line2').error).toBeUndefined();
    expect(field(html, 'insurance.groupNumber').error).toBeUndefined();
    expect(field(html, 'sex').error).toBe('Choose the sex shown on your insurance card');
    expect(field(html, 'insurance.payerId').error).toBe('Choose your insurance carrier');
  });

  it('refuses a carrier that is not on the list', async () => {
    const { path } = await invited();
    const { csrf, cookie } = await visit(path);
    const res = await postPage(cookie, { ...GOOD, csrf, 'insurance.payerId': 'pay_madeup' });
    expect(res.status).toBe(400);
    expect(field(await res.text(), 'insurance.payerId').error).toBe('Choose a carrier from the list');
  });

  it('a policyholder saves with the subscriber; "self" ignores whatever was left in those fields', async () => {
    const { provider, client, path } = await invited();
    const { csrf, cookie } = await visit(path);
    const res = await postPage(cookie, {
      ...GOOD,
      csrf,
      'insurance.relationship': 'child',
      'insurance.subscriber.firstName': 'Anne',
      'insurance.subscriber.lastName': 'Byron',
      'insurance.subscriber.dateOfBirth': '1960-05-17',
    });
    expect(res.status).toBe(303);
    const b1 = await json(await call('GET', `/v1/clients/${client.id}/billing`, { token: provider.token }));
    expect(b1.insurance.subscriber).toEqual({ firstName: 'Anne', lastName: 'Byron', dateOfBirth: '1960-05-17' });
    const self = await postPage(cookie, { ...GOOD, csrf, 'insurance.subscriber.dateOfBirth': 'garbage' });
    expect(self.status).toBe(303);
    const b2 = await json(await call('GET', `/v1/clients/${client.id}/billing`, { token: provider.token }));
    expect(b2.insurance).toMatchObject({ relationship: 'self', subscriber: null });
  });
});

describe('CSRF', () => {
  it('refuses a post without the token, with another session’s token, or from another site', async () => {
    const { client, path } = await invited();
    const other = await invited();
    const { csrf, cookie } = await visit(path);
    const { csrf: otherCsrf } = await visit(other.path);
    // The same link opened again is another session, with its own token.
    const { csrf: sameLinkOtherSession } = await visit(path);
    for (const [label, res] of [
      ['none', await postPage(cookie, GOOD)],
      ['forged', await postPage(cookie, { ...GOOD, csrf: `${csrf.slice(0, -2)}xx` })],
      ['other link', await postPage(cookie, { ...GOOD, csrf: otherCsrf })],
      ['same link, other session', await postPage(cookie, { ...GOOD, csrf: sameLinkOtherSession })],
      ['cross-site origin', await postPage(cookie, { ...GOOD, csrf }, { origin: 'https://evil.example' })],
      ['cross-site fetch', await postPage(cookie, { ...GOOD, csrf }, { 'sec-fetch-site': 'cross-site' })],
      ['same-site, other origin', await postPage(cookie, { ...GOOD, csrf }, { 'sec-fetch-site': 'same-site' })],
      [
        'null origin from another site',
        await postPage(cookie, { ...GOOD, csrf }, { origin: 'null', 'sec-fetch-site': 'cross-site' }),
      ],
    ] as const) {
      expect(res.status, label).toBe(403);
      expect(await res.text(), label).toContain('Your details were not saved');
    }
    expect((await clientRow(client.id))?.status).toBe('invited');
    const ok = await postPage(
      cookie,
      { ...GOOD, csrf },
      { origin: 'http://127.0.0.1:8787', 'sec-fetch-site': 'same-origin' },
    );
    expect(ok.status).toBe(303);
    // What a browser with a strict referrer setting sends for the page's own form.
    const privacy = await postPage(cookie, { ...GOOD, csrf }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(privacy.status).toBe(303);
  });
});

describe('links', () => {
  it('an expired link shows a clear page, no data, and saves nothing', async () => {
    const { client, path } = await invited();
    testClock.advance(14 * 24 * 3600_000 + 60_000);
    const { res } = await trade(path);
    expect(res.status).toBe(410);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('This link has expired');
    expect(html).toContain('Ask Dr. Page Turner to send you a new one');
    expect(html).not.toContain(client.email);
    expect(html).not.toContain('<form');
    expect((await clientRow(client.id))?.status).toBe('invited');
  });

  it('a link still works the day before it expires', async () => {
    const { path } = await invited();
    testClock.advance(13 * 24 * 3600_000);
    expect((await visit(path)).res.status).toBe(200);
  });

  it('an unknown or malformed link is a 404 page', async () => {
    for (const path of ['/c/nope', `/c/${'A'.repeat(43)}`, '/c/%3Cscript%3E']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('set-cookie'), path).toBeNull();
      expect(await res.text()).toContain('This link does not work');
    }
  });

  it('a link is reusable until it expires: the client comes back, sees their details, edits them; a fresh link works too', async () => {
    const { provider, client, path } = await invited();
    const first = await visit(path);
    expect((await postPage(first.cookie, { ...GOOD, csrf: first.csrf })).status).toBe(303);
    const again = await visit(path);
    expect(again.res.status).toBe(200);
    expect(again.html).toContain('<h1>Your details</h1>');
    expect(field(again.html, 'legalLastName').control).toContain('value="Lovelace"');
    expect(field(again.html, 'address.city').control).toContain('value="New York"');
    expect((await postPage(again.cookie, { ...GOOD, phone: '646.555.0199', csrf: again.csrf })).status).toBe(303);
    expect((await clientRow(client.id))?.phone).toBe('646-555-0199');

    // The provider sends a new link (billing-info request): it opens the same page; the old one still works.
    expect(
      (
        await call('POST', `/v1/clients/${client.id}/notify`, {
          token: provider.token,
          body: { reason: 'billing_info' },
        })
      ).status,
    ).toBe(202);
    const [fresh] = await linksTo(client.email);
    expect(fresh).not.toBe(path);
    expect((await visit(fresh!)).html).toContain('<h1>Your details</h1>');
    expect((await visit(path)).res.status).toBe(200);
  });

  it('a link opens only its own client’s page', async () => {
    const a = await invited();
    const b = await invited();
    const pageA = await visit(a.path);
    expect(pageA.html).not.toContain(b.client.email);
    expect((await postPage(pageA.cookie, { ...GOOD, csrf: pageA.csrf })).status).toBe(303);
    expect((await clientRow(a.client.id))?.status).toBe('active');
    expect((await clientRow(b.client.id))?.status).toBe('invited');
  });
});
