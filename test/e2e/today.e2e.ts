// The Today view in the popup: the day's sessions with a Join link to the provider's video room (a new
// tab opens at it), moving a session onto another one (the conflict named), and canceling a future
// session the client had been sent (the client's mailbox gets the cancellation with the invite's CANCEL).
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  addClient,
  API,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  TIME_ZONE,
  waitForMail,
} from './support/api';
import { badgeShows, type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { popupSignedInAs, statusSays, ViewChecks, wallClock } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'today';
const ROOM = 'https://meet.example.com/dana-today';
const ALEX = { first: 'Alex', last: 'Morgan', email: clientEmail('alex', 'morgan', JOURNEY) };
const BLAIR = { first: 'Blair', last: 'Chen', email: clientEmail('blair', 'chen', JOURNEY) };
const MIN = 60_000;

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let ext: Launched | null = null;
let popup: Page;
let video: Date;
let office: Date;

afterAll(async () => {
  await ext?.close();
}, 30_000);

async function post<T>(token: string, method: string, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${API}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Later today in the provider's zone, on the 5-minute grid (the journey assumes it is not run just before midnight). */
const laterToday = (minutes: number) => new Date(Math.ceil((Date.now() + minutes * MIN) / (5 * MIN)) * 5 * MIN);
const row = (name: string) => popup.locator('ol.day > li').filter({ hasText: name });

describe('Today, in Chromium', () => {
  test('start: a provider with a video room, a telehealth session and a notified office session later today', async () => {
    video = laterToday(60);
    office = new Date(video.getTime() + 90 * MIN);
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      await post(auth.token, 'PATCH', '/v1/me', { telehealthUrl: ROOM });
      const alex = await addClient(auth.token, ALEX);
      const blair = await addClient(auth.token, BLAIR);
      const session = (clientId: string, startsAt: Date, type: string, notify: boolean) =>
        post(auth.token, 'POST', '/v1/appointments', {
          clientId,
          startsAt: startsAt.toISOString(),
          durationMinutes: 50,
          location: { type },
          notify,
        });
      await session(alex.id, video, 'telehealth', false);
      await session(blair.id, office, 'office', true);
      return auth;
    });
    ext = started.ext;
    expect(wallClock(office, TIME_ZONE).date, 'both sessions are today in the provider’s zone').toBe(
      wallClock(new Date(), TIME_ZONE).date,
    );
    await waitForMail(BLAIR.email, (m) => m.attachments.some((a) => a.content.includes('METHOD:REQUEST')));
    await signInThroughStorage(ext, started.setUp);
    // The video room is another site; the journey answers for it so no network is needed.
    await ext.ctx.route(`${ROOM}**`, (r) => r.fulfill({ contentType: 'text/html', body: '<title>Video room</title>' }));
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
  }, 120_000);

  test('Alt+T opens Today: the sessions in order, the next highlighted, Join opens the video room in a new tab', async () => {
    await popup.keyboard.press('Alt+KeyT');
    await popup.getByRole('heading', { name: /^Today, / }).waitFor();
    await expect.poll(() => popup.locator('ol.day > li').count()).toBe(2);
    const names = await popup.locator('ol.day > li .who').allTextContents();
    expect(names).toEqual([`${ALEX.first} ${ALEX.last}`, `${BLAIR.first} ${BLAIR.last}`]);
    expect(await row(ALEX.first).getAttribute('aria-current')).toBe('true');
    expect(await row(ALEX.first).locator('.meta').textContent()).toBe('50 min · Telehealth');
    await statusSays(popup, new RegExp(`^Next: .* with ${ALEX.first} ${ALEX.last} \\(50 min, telehealth\\)\\.$`));
    await views.popup(popup, 'popup-today');

    const join = row(ALEX.first).getByRole('link', { name: /^Join/ });
    expect(await join.getAttribute('href')).toBe(ROOM);
    const [room] = await Promise.all([ext!.ctx.waitForEvent('page'), join.click()]);
    await room.waitForLoadState();
    expect(room.url()).toBe(ROOM);
    expect(await room.title()).toBe('Video room');
    await room.close();
  });

  test('moving a session onto another one: the conflict names that session', async () => {
    await popup.bringToFront();
    await row(BLAIR.first).getByRole('button', { name: /^Move/ }).click();
    const wall = wallClock(new Date(video.getTime() + 20 * MIN), TIME_ZONE);
    await expect.poll(() => popup.evaluate(() => document.activeElement?.id)).toBe('move-date');
    await popup.getByLabel('Time', { exact: true }).fill(wall.time);
    await popup.getByRole('button', { name: 'Move session' }).click();
    const alert = popup.getByRole('alert');
    await alert.waitFor();
    await expect
      .poll(() => alert.textContent())
      .toMatch(new RegExp(`That time overlaps your session with ${ALEX.first} ${ALEX.last} on .* \\(50 min\\)\\.`));
    await views.popup(popup, 'popup-today-move');
    // Escape backs out; focus returns to Move.
    await popup.getByLabel('Time', { exact: true }).press('Escape');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.textContent)).toMatch(/^Move/);
  });

  test('canceling a future session asks first, then the client gets the cancellation (METHOD:CANCEL)', async () => {
    await row(BLAIR.first)
      .getByRole('button', { name: /^Cancel/ })
      .click();
    await popup.getByRole('radio', { name: 'The client' }).check();
    await views.popup(popup, 'popup-today-cancel');
    await popup.getByRole('button', { name: 'Cancel session' }).click();
    await statusSays(popup, /^Canceled the session .* with Blair Chen .* The client is emailed the cancellation\.$/);
    expect(await row(BLAIR.first).locator('.state').textContent()).toBe('Canceled');
    const mail = await waitForMail(BLAIR.email, (m) => m.attachments.some((a) => a.content.includes('METHOD:CANCEL')));
    expect(mail.subject).toMatch(/cancel/i);
    await badgeShows(ext!, '', 'no past session waits');
  });

  test('accessibility: axe-core finds no violation on Today, the move form and the cancel step, light or dark', () => {
    views.verdict(['popup-today', 'popup-today-move', 'popup-today-cancel'], steps.broken());
  });
});
