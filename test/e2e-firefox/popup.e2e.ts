// The popup's work in Firefox, one provider from an empty badge to an empty badge again: add a client
// (the welcome email sent), schedule a future session (the .ics invite mailed, the badge unchanged), record
// one that ended an hour ago (the badge rises to 1), confirm it (the claim is ready, the badge clears).
// The popup page is the add-on's own, in a tab (support/firefox.ts says how and why); the badge is read
// with the add-on's browserAction.getBadgeText.
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { Claim } from '../../shared/api-types';
import {
  API,
  apiGet,
  clientEmail,
  completeBilling,
  completeProviderBilling,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  TIME_ZONE,
  waitForMail,
} from '../e2e/support/api';
import { dayFromToday, endedAnHourAgo, wallClock } from '../e2e/support/page';
import { stepsInOrder } from '../e2e/support/steps';
import { eventually } from '../e2e/support/wait';
import {
  axeViolations,
  click,
  clickText,
  control,
  fill,
  inputValue,
  pickClient,
  popupSignedInAs,
  setInput,
  statusSays,
} from './support/controls';
import {
  badgeShows,
  eventPageSuspended,
  type Firefox,
  launchAlongside,
  openPopupTab,
  signInThroughStorage,
} from './support/firefox';

const JOURNEY = 'ff-popup';
const CLIENT = { first: 'Jordan', last: 'Rivera', email: clientEmail('jordan', 'rivera', JOURNEY) };
const CLIENT_NAME = `${CLIENT.first} ${CLIENT.last}`;

const steps = stepsInOrder();
/** axe-core's findings on each view as the journey reaches it; the last test gives the verdict. */
const violations: string[] = [];
const checked: string[] = [];
async function checkView(name: string): Promise<void> {
  checked.push(name);
  violations.push(...(await axeViolations(popup, name)));
}
let provider: NewProvider;
let token: string;
let ff: Firefox | null = null;
let popup: Page;

afterAll(async () => {
  await ff?.close();
}, 30_000);

function firefox(): Firefox {
  if (!ff) throw new Error('Firefox did not start');
  return ff;
}

describe('adding, scheduling and confirming, in Firefox', () => {
  test('start: the API, a provider of its own (billing profile and fees complete, nothing waiting), Firefox signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      token = auth.token;
      await completeProviderBilling(token);
      return auth;
    });
    ff = started.ff;
    popup = await openPopupTab(firefox());
    // Signed in as "keep me signed in" leaves it; the emailed-code sign-in is sign-in.e2e.ts's journey.
    await signInThroughStorage(popup, started.setUp);
    await popupSignedInAs(popup, provider.name);
    await badgeShows(popup, '', 'nothing to confirm');
  }, 180_000);

  test('add a client with "Save and notify": the welcome email is in the mailbox', async () => {
    await click(popup, 'tab', 'Add client');
    await fill(popup, 'textbox', 'First name', CLIENT.first);
    await fill(popup, 'textbox', 'Last name', CLIENT.last);
    await fill(popup, 'textbox', 'Email', CLIENT.email);
    await checkView('popup-add-client');
    await click(popup, 'button', 'Save and notify');
    await statusSays(popup, new RegExp(`${CLIENT_NAME} added; the welcome email is on its way`));
    const welcome = await waitForMail(CLIENT.email, (m) => /set up your account/i.test(m.subject));
    expect(welcome.text).toMatch(new RegExp(`${API}/c/[A-Za-z0-9_-]{20,}`));
    expect(await inputValue(await control(popup, 'textbox', 'First name'))).toBe('');
  });

  test('schedule a session in five days with "Notify client": the invite is mailed, the badge unchanged', async () => {
    await click(popup, 'tab', 'Schedule');
    await pickClient(popup, CLIENT.first, CLIENT.last);
    const day = dayFromToday(5, TIME_ZONE);
    await setInput(popup, 'Date', day.date);
    await setInput(popup, 'Time', '10:00');
    await click(popup, 'radio', '53 min');
    await click(popup, 'radio', 'Office');
    expect(
      await (await control(popup, 'checkbox', 'Notify client')).evaluate((e) => (e as HTMLInputElement).checked),
    ).toBe(true);
    await checkView('popup-schedule');
    await click(popup, 'button', 'Add');
    await statusSays(popup, new RegExp(`with ${CLIENT_NAME} added; ${CLIENT.first} will get the details by email`));
    const mail = await waitForMail(CLIENT.email, (m) => m.attachments.some((a) => a.filename.endsWith('.ics')));
    expect(mail.subject).toMatch(new RegExp(`^Your session with ${provider.name}`));
    await badgeShows(popup, '', 'a future session is not one to confirm');
  });

  test('record a session that ended an hour ago while the event page sleeps: the badge rises to 1', async () => {
    // The event page is suspended first: the popup's message has to wake it to refresh the badge.
    await eventPageSuspended(firefox());
    const wall = wallClock(endedAnHourAgo(60).startsAt, TIME_ZONE);
    await pickClient(popup, CLIENT.first, CLIENT.last);
    await setInput(popup, 'Date', wall.date);
    await setInput(popup, 'Time', wall.time);
    await click(popup, 'radio', '60 min');
    await click(popup, 'button', 'Add');
    await statusSays(popup, new RegExp(`^Session on .* with ${CLIENT_NAME} added\\.$`));
    await badgeShows(popup, '1', 'the recorded session waits for confirmation');
  });

  test('confirm it: the claim is ready and the badge clears', async () => {
    // The client's billing details as the provider enters them (client-page.e2e.ts has the client's own page).
    await completeBilling(token, {
      id: (await apiGet<{ items: { id: string }[] }>(token, `/v1/clients?q=${encodeURIComponent(CLIENT.email)}`))
        .items[0]!.id,
      first: CLIENT.first,
      last: CLIENT.last,
    });
    await click(popup, 'tab', 'Confirm');
    await clickText(popup, 'button', new RegExp(`^${CLIENT_NAME}.*60 min$`));
    await eventually(
      async () =>
        inputValue(await control(popup, 'textbox', 'CPT code').catch(() => control(popup, 'combobox', 'CPT code'))),
      (v) => v === '90837',
      'CPT 90837 to be suggested',
    );
    await fill(popup, 'combobox', 'Diagnosis (ICD-10)', 'F41.1');
    await clickText(popup, '[role="option"]', /^F41\.1(?!\d)/);
    await control(popup, 'button', 'Remove F41.1');
    await fill(
      popup,
      'textbox',
      'Progress note',
      'Worked on sleep routine; practised box breathing. Plan: keep a worry log.',
    );
    await checkView('popup-confirm-form');
    await click(popup, 'button', 'Confirm');
    await statusSays(popup, new RegExp(`Session with ${CLIENT_NAME} on .* confirmed; the claim is ready`));
    await badgeShows(popup, '', 'nothing left to confirm');
    const claims = await apiGet<{ items: Claim[] }>(token, '/v1/claims');
    expect(claims.items).toHaveLength(1);
    expect(claims.items[0]).toMatchObject({ cptCode: '90837', diagnosisCodes: ['F41.1'], status: 'ready' });
  });

  test('accessibility: axe-core finds no violation on the views in Firefox', () => {
    if (violations.length)
      throw new Error(`axe-core found ${violations.length} violation(s):\n${violations.join('\n')}`);
    if (!steps.broken()) expect(checked).toEqual(['popup-add-client', 'popup-schedule', 'popup-confirm-form']);
  });
});
