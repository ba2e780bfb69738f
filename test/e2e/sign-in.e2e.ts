// Signing in, the one journey through the real emailed-code flow in the popup: the code read from the
// local mailbox, "keep me signed in", and the badge turning from "!" to the count of sessions waiting.
// The built extension in Debian's Chromium against the run's `wrangler dev` (support/global-setup.ts);
// controls found by role and accessible name; each view checked by axe-core and photographed.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  addWaitingSessions,
  apiGet,
  ensureApi,
  mailbox,
  makeProvider,
  type NewProvider,
  signInByApi,
  waitForMail,
} from './support/api';
import { badgeColor, badgeShows, type Launched, launchAlongside, openPopupTab, storedToken } from './support/launch';
import { statusSays, ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'sign-in';
const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let ext: Launched | null = null;
let popup: Page;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

describe('signing in, in Chromium', () => {
  // A step of its own, not a hook: a port already taken or a missing Chromium is then a failed test
  // with its reason, counted in the closing "N passed, N failed" line.
  test('start: the API, a provider of its own with two past sessions waiting, Chromium with the built extension', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      // The sessions the badge is to count once signed in, added through the API with a token of their
      // own; the extension never sees that one.
      await addWaitingSessions((await signInByApi(provider)).token, JOURNEY);
    });
    ext = started.ext;
  }, 120_000);

  test('sign in: request a code in the popup, read it from the mailbox, enter it', async () => {
    popup = await openPopupTab(browser());
    await badgeShows(browser(), '!', 'signed out');

    const email = popup.getByRole('textbox', { name: 'Email' });
    await email.fill(provider.email);
    await views.popup(popup, 'popup-sign-in');
    // Only a code sent from here counts (the start step signed in through the API once already).
    const before = new Set((await mailbox()).map((m) => m.id));
    await popup.getByRole('button', { name: 'Send code' }).click();

    const code = popup.getByRole('textbox', { name: 'Code' });
    await code.waitFor();
    const mail = await waitForMail(provider.email, (m) => !before.has(m.id) && /sign-in code/i.test(m.subject));
    const digits = /sign-in code is (\d{6})/.exec(mail.text)?.[1] ?? '';
    expect(digits).toMatch(/^\d{6}$/);
    expect(mail.subject).not.toContain(digits);
    await code.fill(digits);
    await popup.getByRole('checkbox', { name: 'Keep me signed in on this computer' }).check();
    await views.popup(popup, 'popup-sign-in-code');
    await popup.getByRole('button', { name: 'Sign in' }).click();

    await popup.getByRole('tab', { name: 'Add client' }).waitFor();
    await statusSays(popup, new RegExp(`Signed in as ${provider.name}`));
    expect(await popup.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    // Two past sessions are waiting; the badge is red with their count.
    await badgeShows(browser(), '2', 'the two past sessions waiting');
    expect(await badgeColor(browser())).toEqual([217, 48, 37, 255]);
    // "Keep me signed in" kept the token in storage.local, and it is this provider's.
    const me = await apiGet<{ id: string }>(await storedToken(browser()), '/v1/me');
    expect(me.id).toBe(provider.id);
  });

  test('accessibility: axe-core finds no violation on the sign-in views, light or dark', () => {
    views.verdict(['popup-sign-in', 'popup-sign-in-code'], steps.broken());
  });
});
