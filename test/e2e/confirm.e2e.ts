// Confirming a past session in the popup: refused while the client's billing info is missing (the popup
// lists what, and emails the client their link), then, once the details are in, confirmed: the claim is
// ready and the badge drops.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { Claim, Client } from '../../shared/api-types';
import { BILLING_FIELD_LABELS } from '../../shared/schemas/billing';
import {
  API,
  addClient,
  addSession,
  addWaitingSessions,
  completeProviderBilling,
  apiGet,
  clientEmail,
  completeBilling,
  ensureApi,
  mailbox,
  makeProvider,
  type NewProvider,
  signInByApi,
  waitForMail,
} from './support/api';
import { badgeShows, type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { endedAnHourAgo, popupSignedInAs, statusSays, ViewChecks } from './support/page';
import { eventually } from './support/wait';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'confirm';
const CLIENT = { first: 'Jordan', last: 'Rivera', email: clientEmail('jordan', 'rivera', JOURNEY) };
const CLIENT_NAME = `${CLIENT.first} ${CLIENT.last}`;

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let token = '';
let client: Client;
let ext: Launched | null = null;
let popup: Page;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

describe('confirming a session, in Chromium', () => {
  test('start: the API, a provider of its own (billing profile and fees complete) with three past sessions waiting (the newest with a client who has no billing info), Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      token = auth.token;
      await completeProviderBilling(token);
      await addWaitingSessions(token, JOURNEY);
      client = await addClient(token, CLIENT);
      // 60 minutes, ending at least an hour ago: recorded as held, waiting for confirmation.
      await addSession(token, client.id, endedAnHourAgo(60).startsAt, 60);
      return auth;
    });
    ext = started.ext;
    const auth = started.setUp;
    // Signed in through storage, as "keep me signed in" leaves it (see signInThroughStorage); the popup's
    // sign-in is sign-in.e2e.ts's journey.
    await signInThroughStorage(ext, auth);
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
    await badgeShows(ext, '3', 'three past sessions waiting');
  }, 120_000);

  test('confirm it for a client with no insurance info: the popup lists what is missing', async () => {
    await popup.getByRole('tab', { name: 'Confirm' }).click();
    const session = popup.getByRole('button', { name: new RegExp(`^${CLIENT_NAME} .* · 60 min$`) });
    await session.waitFor();
    // Oldest first: the two older sessions, then today's.
    const names = await popup
      .getByRole('list', { name: /waiting for confirmation/ })
      .locator('button.session')
      .allTextContents();
    expect(names).toHaveLength(3);
    expect(names[2]).toContain(CLIENT_NAME);
    await views.popup(popup, 'popup-confirm-list');
    await session.click();

    // 60 minutes: 90837 is suggested and chosen.
    await eventually(
      () => popup.getByLabel('CPT code').inputValue(),
      (v) => v === '90837',
      'CPT 90837 to be suggested',
    );
    await popup.getByRole('combobox', { name: 'Diagnosis (ICD-10)' }).fill('F41.1');
    await popup.getByRole('option', { name: /^F41\.1\b/ }).click();
    await popup.getByRole('button', { name: 'Remove F41.1' }).waitFor();
    await popup
      .getByRole('textbox', { name: 'Progress note' })
      .fill('Worked on sleep routine and worry time; practised box breathing. Plan: keep a worry log.');
    await views.popup(popup, 'popup-confirm-form');
    await popup.getByRole('button', { name: 'Confirm', exact: true }).click();

    const alert = popup.getByRole('alert').filter({ hasText: 'billing information is incomplete' });
    await alert.waitFor();
    const found = (await apiGet<{ items: Client[] }>(token, `/v1/clients?q=${encodeURIComponent(CLIENT.email)}`))
      .items[0]!;
    expect(found.missing.length).toBeGreaterThan(0);
    const listed = (await alert.getByRole('listitem').allTextContents()).map((s) => s.trim());
    expect(listed).toEqual(found.missing.map((p) => BILLING_FIELD_LABELS[p] ?? p));
    expect(listed).toEqual(expect.arrayContaining(['Member ID', 'Insurance carrier', 'ZIP code']));
    expect(await alert.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    // What was typed is kept.
    expect(await popup.getByRole('textbox', { name: 'Progress note' }).inputValue()).toContain('box breathing');
    await views.popup(popup, 'popup-billing-incomplete');

    // "Email the client" sends the billing-info request (not the welcome again), with their link.
    const before = new Set((await mailbox()).map((m) => m.id));
    await alert.getByRole('button', { name: 'Email the client' }).click();
    await statusSays(popup, new RegExp(`Emailed ${CLIENT_NAME} a link`));
    await waitForMail(
      CLIENT.email,
      (m) => !before.has(m.id) && /complete your billing info/.test(m.subject) && m.text.includes(`${API}/c/`),
    );
    await badgeShows(browser(), '3', 'nothing was confirmed');
  });

  test('confirm again once the billing info is in: success, and the badge drops', async () => {
    // The client filling in their own page is client-page.e2e.ts's journey; here the details arrive the
    // other documented way, the provider entering what the client told them.
    const completed = await completeBilling(token, { id: client.id, first: CLIENT.first, last: CLIENT.last });
    expect(completed.billingComplete).toBe(true);

    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Confirm', exact: true }).click();
    await statusSays(popup, new RegExp(`Session with ${CLIENT_NAME} on .* confirmed; the claim is ready`));
    await badgeShows(browser(), '2', 'one session fewer to confirm');
    // Back on the list, without it.
    await popup.getByRole('heading', { name: 'Sessions to confirm' }).waitFor();
    expect(await popup.getByRole('button', { name: new RegExp(`^${CLIENT_NAME} `) }).count()).toBe(0);

    const claims = await apiGet<{ items: Claim[] }>(token, '/v1/claims');
    expect(claims.items).toHaveLength(1);
    expect(claims.items[0]).toMatchObject({ cptCode: '90837', diagnosisCodes: ['F41.1'], status: 'ready' });
  });

  test('accessibility: axe-core finds no violation on the confirmation views, light or dark', () => {
    views.verdict(['popup-confirm-list', 'popup-confirm-form', 'popup-billing-incomplete'], steps.broken());
  });
});
