// Adding a client in the popup with "Save and notify": the welcome email, with the client's link, is in the
// local mailbox, and the form is ready for the next client.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { API, ensureApi, makeProvider, type NewProvider, signInByApi, waitForMail } from './support/api';
import { type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { clientFields, fillNewClient, popupSignedInAs, statusSays, ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'add-client';
// The one journey that types a client's address, so it is the plain one (it shows in the screenshot).
const CLIENT = { first: 'Jordan', last: 'Rivera', email: 'jordan.rivera@example.com' };
const CLIENT_NAME = `${CLIENT.first} ${CLIENT.last}`;

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let ext: Launched | null = null;
let popup: Page;

afterAll(async () => {
  await ext?.close();
}, 30_000);

describe('adding a client, in Chromium', () => {
  test('start: the API, a provider of its own, Chromium with the built extension, signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      return signInByApi(provider);
    });
    ext = started.ext;
    const auth = started.setUp;
    // Signed in through storage, as "keep me signed in" leaves it (see signInThroughStorage); the popup's
    // sign-in is sign-in.e2e.ts's journey.
    await signInThroughStorage(ext, auth);
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
  }, 120_000);

  test('add a client with "Save and notify": the welcome email is in the mailbox', async () => {
    await popup.getByRole('tab', { name: 'Add client' }).click();
    await fillNewClient(popup, CLIENT);
    await views.popup(popup, 'popup-add-client');
    await popup.getByRole('button', { name: 'Save and notify' }).click();

    await statusSays(popup, new RegExp(`${CLIENT_NAME} added; the welcome email is on its way`));
    const welcome = await waitForMail(CLIENT.email, (m) => /set up your account/i.test(m.subject));
    expect(welcome.subject).toContain(provider.name);
    expect(welcome.text).toMatch(new RegExp(`${API}/c/[A-Za-z0-9_-]{20,}`));
    // The form is ready for the next client.
    expect(await clientFields(popup).first.inputValue()).toBe('');
  });

  test('accessibility: axe-core finds no violation on the Add client view, light or dark', () => {
    views.verdict(['popup-add-client'], steps.broken());
  });
});
