// The Today view in Firefox: Alt+T from the popup's first view, the day's sessions in order with the next
// one marked, Join opening the provider's video room in a new Firefox tab (the popup page staying where it
// is), and canceling a notified future session while the event page sleeps (the client's mailbox gets the
// invite's CANCEL, the badge still counts only the past session waiting for confirmation). The popup page
// is the add-on's own, in a tab (support/firefox.ts says how and why).
//
// Midnight: the provider's zone is set to a fixed-offset zone where it is now 09:00–09:59, so a session
// that ended an hour ago and two later ones are all "today" there whenever the journey runs.
// Firefox itself runs in America/New_York (support/firefox.ts): Today's day is the provider's, not the browser's.
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  API,
  addClient,
  addSession,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  waitForMail,
} from '../e2e/support/api';
import { wallClock } from '../e2e/support/page';
import { stepsInOrder } from '../e2e/support/steps';
import { eventually } from '../e2e/support/wait';
import { axeViolations, click, control, popupSignedInAs, statusSays, textOf } from './support/controls';
import {
  badgeShows,
  eventPageSuspended,
  type Firefox,
  inBrowserWindow,
  launchAlongside,
  openPopupTab,
  signInThroughStorage,
} from './support/firefox';

const JOURNEY = 'ff-today';
const ROOM = 'https://meet.example.com/dana-ff-today';
const ALEX = { first: 'Alex', last: 'Morgan', email: clientEmail('alex', 'morgan', JOURNEY) };
const BLAIR = { first: 'Blair', last: 'Chen', email: clientEmail('blair', 'chen', JOURNEY) };
const CASEY = { first: 'Casey', last: 'Lee', email: clientEmail('casey', 'lee', JOURNEY) };
const MIN = 60_000;
const HOUR = 60 * MIN;

const steps = stepsInOrder();
const violations: string[] = [];
const checked: string[] = [];
async function checkView(name: string): Promise<void> {
  checked.push(name);
  violations.push(...(await axeViolations(popup, name)));
}
let provider: NewProvider;
let zone: string;
let ff: Firefox | null = null;
let popup: Page;
let earlier: Date;
let video: Date;
let office: Date;

afterAll(async () => {
  await ff?.close();
}, 30_000);

function firefox(): Firefox {
  if (!ff) throw new Error('Firefox did not start');
  return ff;
}

async function send<T>(token: string, method: string, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${API}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A fixed-offset IANA zone (Etc/GMT±N, whose sign is POSIX's, inverted) where the hour is now 09. */
function zoneAtNine(now: Date): string {
  let offset = (9 - now.getUTCHours() + 24) % 24; // hours ahead of UTC
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** On the 5-minute grid, `minutes` from now (rounded up). */
const fromNow = (minutes: number) => new Date(Math.ceil((Date.now() + minutes * MIN) / (5 * MIN)) * 5 * MIN);

/** The Today list's rows, as the page shows them. */
const rows = () =>
  popup.$$eval('ol.day > li', (lis) =>
    lis.map((li) => ({
      who: li.querySelector('.who')?.textContent ?? '',
      meta: li.querySelector('.meta')?.textContent ?? '',
      current: li.getAttribute('aria-current'),
      state: li.querySelector('.state')?.textContent ?? '',
      join: li.querySelector('a')?.getAttribute('href') ?? null,
    })),
  );

describe('Today, in Firefox', () => {
  test('start: a provider (09:xx in their zone) with a session to confirm, a telehealth one and a notified office one later today', async () => {
    const now = new Date();
    zone = zoneAtNine(now);
    earlier = new Date(Math.floor((now.getTime() - 2 * HOUR) / (5 * MIN)) * 5 * MIN); // ended an hour ago or more
    video = fromNow(60);
    office = new Date(video.getTime() + 90 * MIN);
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      // The zone before sign-in: the stored provider summary carries it to the popup.
      const first = await signInByApi(provider);
      await send(first.token, 'PATCH', '/v1/me', { timeZone: zone, telehealthUrl: ROOM });
      const auth = await signInByApi(provider);
      expect(auth.provider.timeZone).toBe(zone);
      const [alex, blair, casey] = await Promise.all([ALEX, BLAIR, CASEY].map((c) => addClient(auth.token, c)));
      const session = (clientId: string, startsAt: Date, type: string, notify: boolean) =>
        send(auth.token, 'POST', '/v1/appointments', {
          clientId,
          startsAt: startsAt.toISOString(),
          durationMinutes: 50,
          location: { type },
          notify,
        });
      // Made out of order: the view sorts them.
      await session(blair!.id, office, 'office', true);
      await session(alex!.id, video, 'telehealth', false);
      await addSession(auth.token, casey!.id, earlier, 50);
      return auth;
    });
    ff = started.ff;
    const today = wallClock(now, zone).date;
    for (const at of [earlier, video, office])
      expect(wallClock(at, zone).date, `${at.toISOString()} is today in ${zone}`).toBe(today);
    await waitForMail(BLAIR.email, (m) => m.attachments.some((a) => a.content.includes('METHOD:REQUEST')));
    popup = await openPopupTab(firefox());
    await signInThroughStorage(popup, started.setUp);
    await popupSignedInAs(popup, provider.name);
    await badgeShows(popup, '1', 'the session that ended waits for confirmation');
  }, 180_000);

  test('Alt+T opens Today: the sessions in order, the next one marked and announced', async () => {
    // From the first view, focus in the page: Alt+T is Firefox's Tools menu key, the popup takes it first.
    await (await control(popup, 'tab', 'Add client')).focus();
    await popup.keyboard.down('Alt');
    await popup.keyboard.press('KeyT');
    await popup.keyboard.up('Alt');
    await control(popup, 'heading', `Today, ${todayHeading()}`);
    expect(await (await control(popup, 'tab', 'Today')).evaluate((e) => e.getAttribute('aria-selected'))).toBe('true');
    await eventually(rows, (r) => r.length === 3, 'three sessions today');
    const list = await rows();
    expect(list.map((r) => r.who)).toEqual([
      `${CASEY.first} ${CASEY.last}`,
      `${ALEX.first} ${ALEX.last}`,
      `${BLAIR.first} ${BLAIR.last}`,
    ]);
    expect(list.map((r) => r.current)).toEqual([null, 'true', null]);
    expect(list[0]!.state).toBe('To confirm');
    expect(list[1]!.meta).toBe('50 min · Telehealth');
    expect(list.map((r) => r.join)).toEqual([null, ROOM, null]);
    await statusSays(popup, new RegExp(`^Next: .* with ${ALEX.first} ${ALEX.last} \\(50 min, telehealth\\)\\.$`));
    await checkView('popup-today');
  });

  test('Join opens the video room in a new Firefox tab, in front; the popup page stays on Today', async () => {
    // Firefox's own tab strip is asked (chrome scope): Puppeteer's target for a noopener tab opened from an
    // add-on page stays at about:blank. The room is another site and there is no network here, so the tab
    // shows Firefox's error page; its address, the one the user sees, is the room's.
    const tabs = () =>
      inBrowserWindow<string>(
        firefox(),
        'JSON.stringify(gBrowser.tabs.map((t) => ({ url: t.linkedBrowser.currentURI.spec, selected: t.selected })))',
      ).then((j) => JSON.parse(j) as { url: string; selected: boolean }[]);
    const before = await tabs();
    expect(before.filter((t) => t.url === ROOM)).toEqual([]);
    const join = await control(popup, 'link', `Join the video session with ${ALEX.first} ${ALEX.last}`);
    await join.focus();
    await popup.keyboard.press('Enter');
    const after = await eventually(tabs, (t) => t.some((x) => x.url === ROOM), 'a tab at the video room');
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((t) => t.url === ROOM)?.selected).toBe(true);
    // Still the add-on's page, still on Today (the link did not take the popup page away).
    expect(after.filter((t) => t.url.endsWith('/popup.html'))).toHaveLength(1);
    expect(await popup.evaluate(() => location.pathname)).toBe('/popup.html');
    await control(popup, 'heading', `Today, ${todayHeading()}`);
    await inBrowserWindow(
      firefox(),
      `gBrowser.removeTab(gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(ROOM)}))`,
    );
  });

  test('cancel the office session while the event page sleeps: the client gets METHOD:CANCEL, the badge still 1', async () => {
    await popup.bringToFront();
    await eventPageSuspended(firefox());
    await click(popup, 'button', `Cancel the session with ${BLAIR.first} ${BLAIR.last}`);
    await click(popup, 'radio', 'The client');
    await checkView('popup-today-cancel');
    await click(popup, 'button', 'Cancel session');
    await statusSays(
      popup,
      new RegExp(
        `^Canceled the session .* with ${BLAIR.first} ${BLAIR.last} .* The client is emailed the cancellation\\.$`,
      ),
    );
    await eventually(
      async () => (await rows()).find((r) => r.who.startsWith(BLAIR.first))?.state,
      (s) => s === 'Canceled',
      'the canceled row to say so',
    );
    const mail = await waitForMail(BLAIR.email, (m) => m.attachments.some((a) => a.content.includes('METHOD:CANCEL')));
    expect(mail.subject).toMatch(/cancel/i);
    await badgeShows(popup, '1', 'a canceled future session is nothing to confirm; the earlier one still is');
    expect(await textOf(popup, '[role="status"]')).not.toMatch(/error/i);
  });

  test('accessibility: axe-core finds no violation on Today and its cancel step in Firefox', () => {
    if (violations.length)
      throw new Error(`axe-core found ${violations.length} violation(s):\n${violations.join('\n')}`);
    if (!steps.broken()) expect(checked).toEqual(['popup-today', 'popup-today-cancel']);
  });
});

/** "Wednesday, December 2": today in the provider's zone, as the Today heading words it. */
function todayHeading(): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(
    new Date(),
  );
}
