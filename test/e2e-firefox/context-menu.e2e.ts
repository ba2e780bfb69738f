// "Schedule session" on selected text, in Firefox: a real right-click on the selection opens Firefox's own
// context menu, whose "Schedule session" item (the add-on's) is activated in the browser window (BiDi's
// chrome scope: the menu is Firefox's UI, not the page's, and BiDi input cannot reach it). That is a menu
// click as a user makes it, so the background's listener gets Firefox's own `info` and user gesture, and
// opens the toolbar popup. The popup panel is no BiDi browsing context: its page is read from another of
// the add-on's pages (the options page, which takes no prefill) through extension.getViews(), as the
// add-on's own code could.
import { afterAll, describe, expect, test } from 'vitest';
import {
  addClient,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  TIME_ZONE,
} from '../e2e/support/api';
import { dayFromToday } from '../e2e/support/page';
import { stepsInOrder } from '../e2e/support/steps';
import { eventually } from '../e2e/support/wait';
import {
  eventPageSuspended,
  type Firefox,
  inBrowserWindow,
  launchAlongside,
  openAddonPage,
  storeAuth,
} from './support/firefox';
import type { Page } from 'puppeteer-core';

const JOURNEY = 'ff-context-menu';
stepsInOrder();
let provider: NewProvider;
let ff: Firefox | null = null;
let options: Page;

afterAll(async () => {
  await ff?.close();
}, 30_000);

function firefox(): Firefox {
  if (!ff) throw new Error('Firefox did not start');
  return ff;
}

interface PopupSeen {
  type: string;
  date: string;
  time: string;
  client: string;
  text: string;
}

describe('scheduling from selected text, in Firefox', () => {
  test('start: the API, a provider with Maria Alvarez on the roster, Firefox signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      await addClient(auth.token, { first: 'Maria', last: 'Alvarez', email: clientEmail('maria', 'alvarez', JOURNEY) });
      return auth;
    });
    ff = started.ff;
    options = await openAddonPage(firefox(), 'options.html');
    await storeAuth(options, started.setUp);
  }, 180_000);

  test('"Schedule session" in the context menu of selected text opens the popup on the scheduler, prefilled', async () => {
    const day = dayFromToday(2, TIME_ZONE);
    const text = `Hi Dana, could we do ${day.weekday} at 3pm instead? Thanks, Maria Alvarez`;
    const mail = await firefox().browser.newPage();
    await mail.goto(
      `data:text/html;charset=utf-8,${encodeURIComponent(`<!doctype html><html lang="en"><head><title>Inbox</title></head><body><main><h1>Re: next week</h1><p id="msg">${text}</p></main></body></html>`)}`,
    );
    await mail.bringToFront();
    const selected = await mail.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('msg')!);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return sel.toString();
    });
    expect(selected).toContain(`${day.weekday} at 3pm`);
    // The event page has been suspended since sign-in: the menu item it created and its click listener must
    // still be there (Firefox keeps an event page's menus across suspensions, and the click wakes it).
    await eventPageSuspended(firefox());
    await mail.click('#msg', { button: 'right' });

    // Firefox's context menu is open with the add-on's item on it; activating it is the user's click.
    const clicked = await eventually(
      () =>
        inBrowserWindow<string>(
          firefox(),
          `(() => {
            const menu = document.getElementById('contentAreaContextMenu');
            if (menu.state !== 'open') return 'menu ' + menu.state;
            const item = [...menu.querySelectorAll('menuitem')].find((m) => m.label === 'Schedule session' && !m.hidden);
            if (!item) return 'no item';
            menu.activateItem(item);
            return 'clicked';
          })()`,
        ),
      (r) => r === 'clicked',
      'the context menu to offer "Schedule session"',
    );
    expect(clicked).toBe('clicked');

    const seen = await eventually(
      () =>
        options.evaluate((): PopupSeen | null => {
          const ext = (globalThis as unknown as { browser: { extension: { getViews: (f?: object) => Window[] } } })
            .browser.extension;
          const popups = ext.getViews({ type: 'popup' });
          const view = [...popups, ...ext.getViews()].find((v) => v.location.pathname === '/popup.html');
          const doc = view?.document;
          const date = doc?.querySelector<HTMLInputElement>('#sch-date')?.value;
          if (!view || !doc || !date) return null;
          return {
            type: popups.includes(view) ? 'popup' : view.location.search,
            date,
            time: doc.querySelector<HTMLInputElement>('#sch-time')?.value ?? '',
            client: doc.querySelector<HTMLInputElement>('[role="combobox"]')?.value ?? '',
            text: doc.body.textContent ?? '',
          };
        }),
      (v) => v !== null,
      'the popup to show the scheduler',
    );
    // The real toolbar popup, not the fallback window: the menu click is a user gesture Firefox honours.
    expect(seen!.type).toBe('popup');
    expect(seen!.date).toBe(day.date);
    expect(seen!.time).toBe('15:00');
    expect(seen!.client).toBe('Maria Alvarez');
    expect(seen!.text).toContain('Date and time read from your selection');
  });
});
