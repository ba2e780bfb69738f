// The client's self-service page: the client opens the billing-info request from the local mailbox, as a
// person reading it would, and fills the form, a bad ZIP code first (the error beside the field and in a
// summary, everything typed kept), then saves; the provider then sees their billing info complete.
import { afterAll, describe, expect, test } from 'vitest';
import type { Client } from '../../shared/api-types';
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

const views = new ViewChecks();
const steps = stepsInOrder();
let token = '';
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
      // What the popup's "Email the client" sends (that button is confirm.e2e.ts's journey).
      await notifyClient(token, client.id, 'billing_info');
      linkMail = await waitForMail(
        CLIENT.email,
        (m) => /complete your billing info/.test(m.subject) && m.text.includes(`${API}/c/`),
      );
    });
    ext = started.ext;
  }, 120_000);

  test('the client opens their link from the mailbox and fills the form (a bad ZIP first)', async () => {
    const page = await browser().ctx.newPage();
    await page.setViewportSize({ width: 600, height: 640 });
    // The local mailbox, as a person reading it: the newest billing request to this client.
    await page.goto(`${API}/dev/mail`);
    const message = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: linkMail.subject }) })
      .filter({ hasText: CLIENT.email })
      .first();
    await message
      .getByRole('link', { name: new RegExp(`^${API}/c/`) })
      .first()
      .click();
    await page.waitForURL(new RegExp(`^${API}/c/[^/?]+$`));
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    await views.page(page, 'client-page');

    const field = (name: string) => page.getByLabel(name, { exact: true });
    await field('Legal first name').fill(CLIENT.first);
    await field('Legal last name').fill(CLIENT.last);
    await field('Date of birth').fill('1990-05-14');
    await field('Sex').selectOption({ label: 'X (unspecified)' });
    await field('Phone number').fill('(646) 555-0134');
    await field('Street address').fill('350 5th Ave');
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
    expect(await page.title()).toMatch(/^Error: /);
    expect(await field('ZIP code').getAttribute('aria-invalid')).toBe('true');
    expect(await summary.getByRole('link').allTextContents()).toHaveLength(1);
    expect(await field('ZIP code').inputValue()).toBe('1001');
    expect(await field('Legal first name').inputValue()).toBe(CLIENT.first);
    expect(await field('Phone number').inputValue()).toBe('(646) 555-0134');
    expect(await field('Member ID').inputValue()).toBe('W918273645');
    expect(await field('Insurance carrier').inputValue()).toBe('pay_aetna');
    expect(await field('State').inputValue()).toBe('NY');
    await views.page(page, 'client-page-error');

    await field('ZIP code').fill('10001');
    await page.getByRole('button', { name: 'Save my details' }).click();
    await page.getByRole('heading', { name: 'Your details are saved' }).waitFor();
    await views.page(page, 'client-page-saved');
    await page.close();

    const client = (await apiGet<{ items: Client[] }>(token, `/v1/clients?q=${encodeURIComponent(CLIENT.email)}`))
      .items[0]!;
    expect(client.billingComplete).toBe(true);
    expect(client.missing).toEqual([]);
  });

  test("accessibility: axe-core finds no violation on the client's page, light or dark", () => {
    views.verdict(['client-page', 'client-page-error', 'client-page-saved'], steps.broken());
  });
});
