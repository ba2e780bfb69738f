// Signing in, in Firefox: the built add-on loads (README's Firefox instructions: the .output/firefox-mv2
// folder as a temporary add-on), the popup page asks for an email, the code is read from the local mailbox,
// "keep me signed in" keeps it in storage.local, and the badge turns from "!" to the count waiting.
// How the popup page is reached: support/firefox.ts (typed into the address bar; BiDi will not navigate there).
import type { Page } from 'puppeteer-core';
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
} from '../e2e/support/api';
import { stepsInOrder } from '../e2e/support/steps';
import { click, control, fill, statusSays } from './support/controls';
import {
  ADDON_ID,
  badgeColor,
  badgeShows,
  type Firefox,
  launchAlongside,
  openPopupTab,
  storedToken,
} from './support/firefox';

const JOURNEY = 'ff-sign-in';
stepsInOrder();
let provider: NewProvider;
let ff: Firefox | null = null;
let popup: Page;

afterAll(async () => {
  await ff?.close();
}, 30_000);

function firefox(): Firefox {
  if (!ff) throw new Error('Firefox did not start');
  return ff;
}

describe('signing in, in Firefox', () => {
  test('start: the API, a provider with two past sessions waiting, Firefox with the built add-on loaded', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      await addWaitingSessions((await signInByApi(provider)).token, JOURNEY);
    });
    ff = started.ff;
    // The folder README tells users to load is the one installed, under its gecko id.
    expect(ff.addonId).toBe(ADDON_ID);
  }, 180_000);

  test('sign in: request a code in the popup, read it from the mailbox, enter it', async () => {
    popup = await openPopupTab(firefox());
    await badgeShows(popup, '!', 'signed out');

    await fill(popup, 'textbox', 'Email', provider.email);
    const before = new Set((await mailbox()).map((m) => m.id));
    await click(popup, 'button', 'Send code');

    await control(popup, 'textbox', 'Code');
    const mail = await waitForMail(provider.email, (m) => !before.has(m.id) && /sign-in code/i.test(m.subject));
    const digits = /sign-in code is (\d{6})/.exec(mail.text)?.[1] ?? '';
    expect(digits).toMatch(/^\d{6}$/);
    await fill(popup, 'textbox', 'Code', digits);
    await click(popup, 'checkbox', 'Keep me signed in on this computer');
    await click(popup, 'button', 'Sign in');

    await control(popup, 'tab', 'Add client');
    await statusSays(popup, new RegExp(`Signed in as ${provider.name}`));
    await control(popup, 'button', 'Sign out');
    await badgeShows(popup, '2', 'the two past sessions waiting');
    expect(await badgeColor(popup)).toEqual([217, 48, 37, 255]);
    const me = await apiGet<{ id: string }>(await storedToken(popup), '/v1/me');
    expect(me.id).toBe(provider.id);
  });

  test("the event page's wiring in Firefox: the badge alarm, the keyboard command for the popup", async () => {
    const wiring = await popup.evaluate(async () => {
      const b = (
        globalThis as unknown as {
          browser: {
            alarms: { get: (name: string) => Promise<{ periodInMinutes?: number } | undefined> };
            commands: { getAll: () => Promise<{ name?: string; shortcut?: string }[]> };
          };
        }
      ).browser;
      return { alarm: await b.alarms.get('badge-refresh'), commands: await b.commands.getAll() };
    });
    // The MV2 event page created its 5-minute alarm (alarm.ts), and Firefox took the browser_action command.
    expect(wiring.alarm?.periodInMinutes).toBe(5);
    expect(wiring.commands).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '_execute_browser_action', shortcut: 'Ctrl+Shift+Y' })]),
    );
  });
});
