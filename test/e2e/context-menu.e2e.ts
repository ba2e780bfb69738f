// "Schedule session" on selected text: the extension's context-menu item opens the real toolbar popup on the
// scheduler, prefilled with the day, the time and the client the selection names.
import { afterAll, describe, expect, test } from 'vitest';
import {
  addClient,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
  TIME_ZONE,
} from './support/api';
import { type InWorker, type Launched, launchAlongside, signInThroughStorage } from './support/launch';
import { dayFromToday, ViewChecks } from './support/page';
import { RealPopup } from './support/real-popup';
import { eventually } from './support/wait';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'context-menu';

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let ext: Launched | null = null;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

describe('scheduling from selected text, in Chromium', () => {
  test('start: the API, a provider of its own with Maria Alvarez on the roster, Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      await addClient(auth.token, { first: 'Maria', last: 'Alvarez', email: clientEmail('maria', 'alvarez', JOURNEY) });
      return auth;
    });
    ext = started.ext;
    const auth = started.setUp;
    // Signed in through storage, as "keep me signed in" leaves it (see signInThroughStorage); the popup's
    // sign-in is sign-in.e2e.ts's journey. No popup is open: the one the menu opens takes the prefill.
    await signInThroughStorage(ext, auth);
  }, 120_000);

  test('"Schedule session" on selected text opens the scheduler prefilled', async () => {
    const { ctx } = browser();
    const day = dayFromToday(2, TIME_ZONE);
    const text = `Hi Dana, could we do ${day.weekday} at 3pm instead? Thanks, Maria Alvarez`;
    await ctx.route('http://mail.example.test/**', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><title>Inbox</title></head><body><main><h1>Re: next week</h1><p>${text}</p></main></body></html>`,
      }),
    );
    const page = await ctx.newPage();
    await page.goto('http://mail.example.test/inbox/1');
    await page.bringToFront();
    await page.getByText('could we do').selectText();
    const selectionText = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selectionText).toContain(`${day.weekday} at 3pm`);

    // A native context menu cannot be clicked headless: dispatch the click to the extension's own
    // listeners with the `info` and `tab` the browser passes.
    const sw = await browser().sw();
    await sw.evaluate(
      async ({ selectionText, pageUrl }) => {
        const chrome = (globalThis as unknown as InWorker).chrome;
        // The item exists (update rejects an unknown id).
        await chrome.contextMenus.update('schedule-session', { title: 'Schedule session' });
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        // Chromium's extension events carry dispatch(), which runs the listeners registered on them.
        const onClicked = chrome.contextMenus.onClicked as unknown as {
          dispatch?: (info: unknown, tab: unknown) => void;
        };
        if (typeof onClicked.dispatch !== 'function')
          throw new Error('This Chromium has no chrome.contextMenus.onClicked.dispatch');
        onClicked.dispatch(
          { menuItemId: 'schedule-session', editable: false, frameId: 0, pageUrl, selectionText },
          tab,
        );
      },
      { selectionText, pageUrl: page.url() },
    );

    const real = await RealPopup.attach(ctx, page);
    try {
      await eventually(
        () => real.valueOf('Date'),
        (v) => v === day.date,
        `the scheduler's Date to be ${day.date}`,
      );
      expect(await real.valueOf('Time')).toBe('15:00');
      expect(await real.valueOf('Client')).toBe('Maria Alvarez');
      const shown = await real.text();
      expect(shown).toContain('Schedule a session');
      expect(shown).toContain('Date and time read from your selection');
      await views.realPopup(real, 'popup-schedule-from-selection');
    } finally {
      await real.detach();
    }
    await page.close();
  });

  test('accessibility: axe-core finds no violation on the prefilled scheduler, light or dark', () => {
    views.verdict(['popup-schedule-from-selection'], steps.broken());
  });
});
