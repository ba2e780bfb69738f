// The client's self-service page: the client opens the billing-info request from the local mailbox, as a
// person reading webmail would (the mailbox on another site, so the link is a cross-site navigation): the
// link is traded for an HttpOnly session cookie and a 303 to an address without the token. What the
// provider already entered (date of birth, phone, street, group number) shows only as "on file"; the
// client fills the rest, a bad ZIP code first (the error beside the field and in a summary, everything
// typed kept), leaves those blank and saves; the provider then sees their billing info complete with
// the values on file kept.
import { afterAll, describe, expect, test } from 'vitest';
import type { BillingInfo, Client } from '../../shared/api-types';
import {
  API,
  addClient,
  apiGet,
  clientEmail,
  ensureApi,
  type Mail,
  makeProvider,
  notifyClient,
  signInByApi,
  waitForMail,
} from './support/api';
import { type Launched, launchAlongside } from './support/launch';
import { ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'client-page';
const CLIENT = { first: 'Jordan', last: 'Rivera', email: clientEmail('jordan', 'rivera', JOURNEY) };
/** What the provider entered from the intake call: on file before the client opens the page. */
const ENTERED = {
  dateOfBirth: '1990-05-14',
  phone: '646-555-0134',
  address: { line1: '350 5th Ave' },
  insurance: { groupNumber: 'GRP-7781' },
};
/** The same site as the API in every way but its name: a link clicked there is a cross-site navigation. */
const WEBMAIL = API.replace('127.0.0.1', 'localhost');

const views = new ViewChecks();
const steps = stepsInOrder();
let token = '';
let clientId = '';
/** The billing-info request ("Email the client" in the popup), with the client's self-service link. */
let linkMail: Mail;
let ext: Launched | null = null;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

describe("the client's page, in Chromium", () => {
  test('start: the API, a provider of its own whose client was asked for their billing info, Chromium', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      const provider = await makeProvider(JOURNEY);
      token = (await signInByApi(provider)).token;
      const client = await addClient(token, CLIENT);
      clientId = client.id;
      const put = await fetch(`${API}/v1/clients/${client.id}/billing`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ENTERED),
      });
      if (put.status !== 200) throw new Error(`billing: ${put.status} ${await put.text()}`);
      // What the popup's "Email the client" sends (that button is confirm.e2e.ts's journey).
      await notifyClient(token, client.id, 'billing_info');
      linkMail = await waitForMail(
        CLIENT.email,
        (m) => /complete your billing info/.test(m.subject) && m.text.includes(`${API}/c/`),
      );
    });
    ext = started.ext;
  }, 120_000);

  test('the client opens their link from webmail: the token is traded for a cookie and leaves the address bar', async () => {
    const page = await browser().ctx.newPage();
    await page.setViewportSize({ width: 600, height: 640 });
    const hops: { url: string; status: number; location: string | null }[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${API}/c/`))
        hops.push({ url: r.url(), status: r.status(), location: r.headers().location ?? null });
    });
    // The local mailbox, as a person reading it on their webmail's site: the newest billing request to this client.
    await page.goto(`${WEBMAIL}/dev/mail`);
    const message = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: linkMail.subject }) })
      .filter({ hasText: CLIENT.email })
      .first();
    const link = message.getByRole('link', { name: new RegExp(`^${API}/c/`) }).first();
    const href = (await link.getAttribute('href'))!;
    await link.click();
    await page.waitForURL(`${API}/c/account`);
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();

    // The link answered 303 to the tokenless address with the session cookie; the page is there now.
    expect(hops[0]).toEqual({ url: href, status: 303, location: '/c/account' });
    // The browser held the Strict cookie back on that cross-site navigation's redirect: the page took
    // one hop from itself (no data in it) and then came with the cookie.
    expect(hops.slice(1).map((h) => [h.url, h.status])).toEqual([
      [`${API}/c/account`, 200],
      [`${API}/c/account`, 200],
    ]);
    expect(page.url()).toBe(`${API}/c/account`);
    const cookies = await browser().ctx.cookies(`${API}/c/account`); // Path=/c: not sent to /
    const session = cookies.find((c) => c.name === '__Secure-page');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/c' });
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: no script reads it
    expect(await page.content()).not.toContain(href.slice(`${API}/c/`.length));
    await page.close();
  });

  test('the page shows what is on file only as "on file"; the client fills the rest (a bad ZIP first), leaving those blank', async () => {
    const page = await browser().ctx.newPage();
    await page.setViewportSize({ width: 600, height: 640 });
    // Back to the page within its 30 minutes: the session cookie, no link needed.
    await page.goto(`${API}/c/account`);
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    const content = await page.content();
    for (const secret of ['1990-05-14', '646-555-0134', '350 5th Ave', 'GRP-7781'])
      expect(content).not.toContain(secret);
    await views.page(page, 'client-page');

    const field = (name: string) => page.getByLabel(name, { exact: true });
    for (const name of ['Date of birth', 'Phone number', 'Street address', 'Group number (optional)']) {
      expect(await field(name).inputValue(), name).toBe('');
      expect(await field(name).getAttribute('aria-describedby'), name).toMatch(/-onfile/);
    }
    await field('Legal first name').fill(CLIENT.first);
    await field('Legal last name').fill(CLIENT.last);
    await field('Sex').selectOption({ label: 'X (unspecified)' });
    await field('City').fill('New York');
    await field('State').selectOption('NY');
    await field('ZIP code').fill('1001'); // four digits
    await field('Insurance carrier').selectOption({ label: 'Aetna' });
    await field('Member ID').fill('W918273645');
    await field('Whose policy is it?').selectOption('self');
    await page.getByRole('button', { name: 'Save my details' }).click();

    // Refused with the error beside the field and in a summary; everything typed is still there.
    const summary = page.getByRole('alert').filter({ hasText: 'before saving' });
    await summary.waitFor();
    expect(page.url()).toBe(`${API}/c/account`);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await field('ZIP code').getAttribute('aria-invalid')).toBe('true');
    expect(await summary.getByRole('link').allTextContents()).toHaveLength(1);
    expect(await field('ZIP code').inputValue()).toBe('1001');
    expect(await field('Legal first name').inputValue()).toBe(CLIENT.first);
    expect(await field('Member ID').inputValue()).toBe('W918273645');
    expect(await field('Insurance carrier').inputValue()).toBe('pay_aetna');
    expect(await field('State').inputValue()).toBe('NY');
    expect(await field('Phone number').inputValue()).toBe(''); // on file, still not shown
    await views.page(page, 'client-page-error');

    await field('ZIP code').fill('10001');
    await page.getByRole('button', { name: 'Save my details' }).click();
    await page.getByRole('heading', { name: 'Your details are saved' }).waitFor();
    expect(page.url()).toBe(`${API}/c/account?saved`);
    await views.page(page, 'client-page-saved');
    await page.close();

    const client = (await apiGet<{ items: Client[] }>(token, `/v1/clients?q=${encodeURIComponent(CLIENT.email)}`))
      .items[0]!;
    expect(client.billingComplete).toBe(true);
    expect(client.missing).toEqual([]);
    // The blanks kept what was on file; what the client typed is saved.
    const billing = await apiGet<BillingInfo>(token, `/v1/clients/${clientId}/billing`);
    expect(billing).toMatchObject({
      legalFirstName: CLIENT.first,
      dateOfBirth: '1990-05-14',
      phone: '646-555-0134',
      address: { line1: '350 5th Ave', city: 'New York', state: 'NY', postalCode: '10001' },
      insurance: { payerId: 'pay_aetna', memberId: 'W918273645', groupNumber: 'GRP-7781', relationship: 'self' },
    });
  });

  test("accessibility: axe-core finds no violation on the client's page, light or dark", () => {
    views.verdict(['client-page', 'client-page-error', 'client-page-saved'], steps.broken());
  });
});
