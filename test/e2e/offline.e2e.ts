// The server out of reach: the run's API is really stopped while the popup submits a new client. The popup
// says so and keeps what was typed; once the API is back, one submit saves the client, exactly once.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { Client } from '../../shared/api-types';
import { apiGet, ensureApi, makeProvider, type NewProvider, signInByApi, stopApi } from './support/api';
import { type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { clientFields, fillNewClient, popupSignedInAs, statusSays, ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'offline';
// Saved without notifying, so no email goes to it: the plain address, as the screenshot shows it.
const CLIENT = { first: 'Sam', last: 'Okoye', email: 'sam.okoye@example.com' };

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let token = '';
let ext: Launched | null = null;
let popup: Page;

afterAll(async () => {
  await ext?.close();
  // Whatever happened, the API is up again for the journeys after this one.
  await ensureApi();
}, 60_000);

describe('the server out of reach, in Chromium', () => {
  test('start: the API, a provider of its own, Chromium with the built extension, signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      return signInByApi(provider);
    });
    ext = started.ext;
    const auth = started.setUp;
    token = auth.token;
    // Signed in through storage, as "keep me signed in" leaves it (see signInThroughStorage); the popup's
    // sign-in is sign-in.e2e.ts's journey.
    await signInThroughStorage(ext, auth);
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
  }, 120_000);

  test('network failure: the popup says so and keeps the input; after a restart one submit succeeds once', async () => {
    await popup.getByRole('tab', { name: 'Add client' }).click();
    await fillNewClient(popup, CLIENT);

    await stopApi();
    await popup.getByRole('button', { name: 'Save only' }).click();
    const failure = popup.getByRole('alert').filter({ hasText: "can't reach its server" });
    await failure.waitFor({ timeout: 20_000 });
    expect(await failure.textContent()).toContain('127.0.0.1:8787');
    const fields = clientFields(popup);
    expect(await fields.first.inputValue()).toBe(CLIENT.first);
    expect(await fields.last.inputValue()).toBe(CLIENT.last);
    expect(await fields.email.inputValue()).toBe(CLIENT.email);
    await views.popup(popup, 'popup-offline');

    await ensureApi(); // the same D1: the token and everything else are still there
    await popup.getByRole('button', { name: 'Save only' }).click();
    await statusSays(popup, new RegExp(`^${CLIENT.first} ${CLIENT.last} added\\.$`));
    expect(await popup.getByRole('alert').count()).toBe(0);
    const found = await apiGet<{ items: Client[] }>(token, `/v1/clients?q=${encodeURIComponent(CLIENT.email)}`);
    expect(found.items).toHaveLength(1);
  });

  test('accessibility: axe-core finds no violation on the offline view, light or dark', () => {
    views.verdict(['popup-offline'], steps.broken());
  });
});
