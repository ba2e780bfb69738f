// Scheduling in the popup: a future session with "Notify client" (the email carries an .ics invite, the
// badge is unchanged), then a session that ended an hour ago, recorded and counted on the badge.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { zonedWallTimeToUtc } from '../../shared/time/zones';
import {
  addClient,
  addWaitingSessions,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  TIME_ZONE,
  waitForMail,
} from './support/api';
import { badgeShows, type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import {
  dayFromToday,
  endedAnHourAgo,
  pickClient,
  popupSignedInAs,
  statusSays,
  ViewChecks,
  wallClock,
} from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'schedule';
const CLIENT = { first: 'Jordan', last: 'Rivera', email: clientEmail('jordan', 'rivera', JOURNEY) };
const CLIENT_NAME = `${CLIENT.first} ${CLIENT.last}`;

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

/** An ICS date-time in UTC basic format: 20260305T150000Z. */
const icsUtc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

describe('scheduling, in Chromium', () => {
  test('start: the API, a provider of its own with a client and two past sessions waiting, Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      await addWaitingSessions(auth.token, JOURNEY);
      await addClient(auth.token, CLIENT);
      return auth;
    });
    ext = started.ext;
    const auth = started.setUp;
    // Signed in through storage, as "keep me signed in" leaves it (see signInThroughStorage); the popup's
    // sign-in is sign-in.e2e.ts's journey.
    await signInThroughStorage(ext, auth);
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
    await badgeShows(ext, '2', 'the two past sessions waiting');
  }, 120_000);

  test('schedule a session with "Notify client": the email carries an .ics invite', async () => {
    await popup.getByRole('tab', { name: 'Schedule' }).click();
    await pickClient(popup, CLIENT.first, CLIENT.last);
    const day = dayFromToday(5, TIME_ZONE);
    const startsAt = zonedWallTimeToUtc({ year: day.y, month: day.m, day: day.d, hour: 10, minute: 0 }, TIME_ZONE);
    await popup.getByLabel('Date', { exact: true }).fill(day.date);
    await popup.getByLabel('Time', { exact: true }).fill('10:00');
    await popup.getByRole('radio', { name: '53 min' }).check();
    await popup.getByRole('radio', { name: 'Office' }).check();
    expect(await popup.getByRole('checkbox', { name: 'Notify client' }).isChecked()).toBe(true);
    await views.popup(popup, 'popup-schedule');
    await popup.getByRole('button', { name: 'Add', exact: true }).click();

    await statusSays(popup, new RegExp(`with ${CLIENT_NAME} added; ${CLIENT.first} will get the details by email`));
    const mail = await waitForMail(CLIENT.email, (m) => m.attachments.some((a) => a.filename.endsWith('.ics')));
    expect(mail.subject).toMatch(new RegExp(`^Your session with ${provider.name}`));
    const invite = mail.attachments.find((a) => a.filename.endsWith('.ics'))!;
    expect(invite.contentType).toMatch(/^text\/calendar/);
    expect(invite.content).toContain('BEGIN:VCALENDAR');
    expect(invite.content).toContain('METHOD:REQUEST');
    expect(invite.content).toMatch(new RegExp(`DTSTART(;VALUE=DATE-TIME)?:${icsUtc(startsAt)}`));
    // A future session is not one to confirm: the badge is unchanged.
    await badgeShows(browser(), '2', 'a future session does not count');
  });

  test('record a session that ended an hour ago: the badge counts it', async () => {
    // 60 minutes, ending at least an hour ago (on the popup's 5-minute grid).
    const wall = wallClock(endedAnHourAgo(60).startsAt, TIME_ZONE);
    await pickClient(popup, CLIENT.first, CLIENT.last);
    await popup.getByLabel('Date', { exact: true }).fill(wall.date);
    await popup.getByLabel('Time', { exact: true }).fill(wall.time);
    await popup.getByRole('radio', { name: '60 min' }).check();
    await popup.getByRole('button', { name: 'Add', exact: true }).click();

    // A session in the past is recorded, never announced to the client.
    await statusSays(popup, new RegExp(`^Session on .* with ${CLIENT_NAME} added\\.$`));
    await badgeShows(browser(), '3', 'the recorded session waits for confirmation');
  });

  test('accessibility: axe-core finds no violation on the Schedule view, light or dark', () => {
    views.verdict(['popup-schedule'], steps.broken());
  });
});
