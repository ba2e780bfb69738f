// Claims, from the provider's side: a fresh provider completes the billing profile (a bad ZIP first, refused
// beside its field) and fees in the options page; a session is confirmed; the Claims page downloads the
// 837P file (an interchange: it starts with ISA*), the claim moves to exported, and what the payer answered
// is recorded up to paid.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { Appointment, Claim } from '../../shared/api-types';
import {
  API,
  addClient,
  addSession,
  apiGet,
  clientEmail,
  completeBilling,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
} from './support/api';
import { type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { axeViolations, endedAnHourAgo, popupSignedInAs, ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';
import { eventually } from './support/wait';

const JOURNEY = 'claims';
const CLIENT = { first: 'Maria', last: 'Alvarez', email: clientEmail('maria', 'alvarez', JOURNEY) };
const PAGE_VIEWPORT = { width: 800, height: 900 };

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let token = '';
let session: Appointment;
let ext: Launched | null = null;
let options: Page;
let claimsPage: Page;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

async function claims(): Promise<Claim[]> {
  return (await apiGet<{ items: Claim[] }>(token, '/v1/claims')).items;
}

describe('claims, in Chromium', () => {
  test('start: the API, a provider of its own (no billing profile yet) with a past session of a client whose billing is complete, Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      token = auth.token;
      const client = await addClient(token, CLIENT);
      await completeBilling(token, { id: client.id, first: CLIENT.first, last: CLIENT.last });
      session = await addSession(token, client.id, endedAnHourAgo(45).startsAt, 45);
      return auth;
    });
    ext = started.ext;
    await signInThroughStorage(ext, started.setUp);
  }, 120_000);

  test('the options page opens at #billing-profile; a ZIP without +4 is refused beside its field, values kept', async () => {
    options = await browser().ctx.newPage();
    await options.setViewportSize(PAGE_VIEWPORT);
    await options.goto(`chrome-extension://${browser().extensionId}/options.html#billing-profile`);
    const heading = options.getByRole('heading', { name: 'Billing profile', level: 2 });
    await options.getByLabel('Legal billing name').waitFor();
    await eventually(
      () => heading.evaluate((h) => h === document.activeElement),
      (focused) => focused,
      'the Billing profile heading to take focus',
    );

    await options.getByLabel('You bill as').selectOption('person');
    await options.getByLabel('Legal billing name').fill('Demo, Dana');
    await options.getByLabel('Tax ID type').selectOption('EIN');
    await options.getByLabel('Tax ID number').fill('27-1234567');
    await options.getByLabel('Taxonomy code').fill('101YP2500X');
    await options.getByLabel('Street address', { exact: true }).fill('250 W 57th St');
    await options.getByLabel('Suite, floor (optional)', { exact: true }).fill('Suite 1507');
    await options.getByLabel('City', { exact: true }).fill('New York');
    await options.getByLabel('State', { exact: true }).fill('NY');
    await options.getByLabel('ZIP+4', { exact: true }).fill('10107');
    await options.getByLabel('Phone').fill('212-555-0123');
    await options.getByLabel('Submitter ID').fill('DEMO001');
    await options.getByLabel('Submitter name').fill('Dana Demo');
    await options.getByLabel('Receiver ID').fill('OFFALLY');
    await options.getByLabel('Receiver name').fill('Office Ally');
    await options.getByLabel('Files are for').selectOption('test');
    await options.getByRole('button', { name: 'Save billing profile' }).click();

    const zip = options.getByLabel('ZIP+4', { exact: true });
    await eventually(
      () => zip.getAttribute('aria-invalid'),
      (v) => v === 'true',
      'the ZIP code to be marked invalid',
    );
    expect(await options.locator('#bp-address-postalCode-error').textContent()).toContain('ZIP+4');
    expect(await options.getByRole('alert').filter({ hasText: 'was not saved' }).isVisible()).toBe(true);
    expect(await options.getByLabel('Tax ID number').inputValue()).toBe('27-1234567');
  });

  test('the billing profile saved complete: the tax id is shown only as its type and last 4', async () => {
    await options.getByLabel('ZIP+4', { exact: true }).fill('10107-1507');
    await options.getByRole('button', { name: 'Save billing profile' }).click();
    await options.getByText('Saved. Your billing profile is complete.').waitFor();
    expect(await options.getByLabel('Tax ID number').inputValue()).toBe('');
    await options.getByText('On file: EIN ending in 4567. Leave blank to keep it.').waitFor();
    expect(await options.content()).not.toContain('1234567');
    const profile = await apiGet<{ missing: string[]; taxId: { type: string; last4: string } }>(
      token,
      '/v1/me/billing-profile',
    );
    expect(profile.missing).toEqual([]);
    expect(profile.taxId).toEqual({ type: 'EIN', last4: '4567' });
    await views.page(options, 'options-billing-profile', { element: '#billing-profile' });
  });

  test('fees in dollars, saved in cents', async () => {
    await options.getByLabel(/^90837/).fill('150');
    await options.getByLabel(/^90834/).fill('120.50');
    await options.getByRole('button', { name: 'Save fees' }).click();
    await options.getByText(/Saved\. 2 of \d+ codes have a fee/).waitFor();
    const fees = await apiGet<{ items: { cptCode: string; amountCents: number }[] }>(token, '/v1/me/fees');
    expect(fees.items).toEqual(
      expect.arrayContaining([
        { cptCode: '90837', amountCents: 15000 },
        { cptCode: '90834', amountCents: 12050 },
      ]),
    );
    // The fees section is checked by axe-core here (its picture is not in the README).
    for (const scheme of ['light', 'dark'] as const) {
      await options.emulateMedia({ colorScheme: scheme });
      views.violations.push(...(await axeViolations(options)).map((v) => `options-fees (${scheme}): ${v}`));
    }
    await options.emulateMedia({ colorScheme: 'light' });
    views.checked.push('options-fees');
  });

  test('a session confirmed: its claim is ready, priced from the fees', async () => {
    const res = await fetch(`${API}/v1/appointments/${session.id}/confirm`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `e2e-claims-${session.id}`,
      },
      body: JSON.stringify({
        cptCode: '90834',
        diagnosisCodes: ['F41.1'],
        progressNote: 'Reviewed the worry log; practised cognitive restructuring. Plan: continue weekly.',
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const [claim] = await claims();
    expect(claim).toMatchObject({ status: 'ready', cptCode: '90834', totalCents: 12050 });
  });

  test('the Claims page, from the popup’s footer, shows the ready claim; Download 837P saves an interchange and the claim is exported', async () => {
    expect(await options.getByRole('link', { name: 'open Claims' }).getAttribute('href')).toBe('/claims.html');
    const popup = await openPopupTab(browser());
    await popupSignedInAs(popup, provider.name);
    const opened = browser().ctx.waitForEvent('page');
    await popup.getByRole('contentinfo').getByRole('link', { name: 'Claims' }).click();
    claimsPage = await opened;
    await claimsPage.waitForURL(`chrome-extension://${browser().extensionId}/claims.html`);
    await popup.close();
    await claimsPage.bringToFront();
    await claimsPage.setViewportSize(PAGE_VIEWPORT);
    const heading = claimsPage.getByRole('heading', { name: /^Maria Alvarez · / });
    await heading.waitFor();
    const card = claimsPage.getByRole('listitem').filter({ has: heading });
    expect(await card.textContent()).toContain('90834 · F41.1');
    expect(await card.textContent()).toContain('$120.50');
    expect(await card.textContent()).toContain('Ready');
    await claimsPage.getByText('1 claim ready, $120.50 in all.').waitFor();
    await views.page(claimsPage, 'claims-page');

    const download = claimsPage.waitForEvent('download');
    await claimsPage.getByRole('button', { name: 'Download 837P' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^caseload-837p-\d{9}\.txt$/);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text.startsWith('ISA*')).toBe(true);
    expect(text).toContain('CLM*');
    await claimsPage.getByText(/^Saved caseload-837p-\d{9}\.txt: 1 claim, \$120\.50\./).waitFor();
    await card.getByText('Exported').waitFor();
    expect((await claims())[0]?.status).toBe('exported');
    expect(await claimsPage.getByRole('button', { name: /^Download again: interchange \d{9}$/ }).count()).toBe(1);
  });

  test('record submitted, accepted (with the payer’s claim number) and paid, each confirmed first', async () => {
    const card = claimsPage.getByRole('listitem').filter({ has: claimsPage.getByRole('heading', { name: /^Maria/ }) });
    await card.getByRole('button', { name: 'Record submitted' }).click();
    await card.getByRole('button', { name: 'Record submitted' }).click(); // the confirmation's own button
    await card.getByText('Submitted', { exact: true }).waitFor();

    await card.getByRole('button', { name: 'Record accepted' }).click();
    await card.getByLabel('Payer’s claim number (optional)').fill('AET-2026-99812');
    await card.getByRole('button', { name: 'Record accepted' }).click();
    await card.getByText('Accepted', { exact: true }).waitFor();

    await card.getByRole('button', { name: 'Record paid' }).click();
    expect(await card.getByLabel('Amount paid ($)').inputValue()).toBe('120.50');
    await card.getByLabel('Amount paid ($)').fill('98.40');
    await card.getByRole('button', { name: 'Record paid' }).click();
    await claimsPage
      .getByRole('status')
      .getByText(/recorded as paid \(\$98\.40\)/)
      .waitFor();
    expect(await card.textContent()).toContain('Paid $98.40');
    expect(await card.textContent()).toContain('payer’s number AET-2026-99812');
    // Focus is back on the claim it was about.
    expect(await claimsPage.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Maria Alvarez/);

    const [claim] = await claims();
    expect(claim).toMatchObject({ status: 'paid', paidCents: 9840, payerClaimNumber: 'AET-2026-99812' });

    // History: the three reports, read back from the API (GET /v1/claims/:id), oldest first.
    await card.getByRole('button', { name: 'History' }).click();
    const history = card.locator('.history li');
    await history.nth(2).waitFor();
    expect(await history.allTextContents()).toEqual([
      expect.stringMatching(/ · Submitted$/),
      expect.stringMatching(/ · Accepted · payer’s number AET-2026-99812$/),
      expect.stringMatching(/ · Paid · \$98\.40$/),
    ]);
  });

  test('accessibility: axe-core finds no violation on the billing profile, fees and Claims page, light or dark', () => {
    views.verdict(['options-billing-profile', 'options-fees', 'claims-page'], steps.broken());
  });
});
