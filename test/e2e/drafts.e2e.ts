// A progress note survives the real toolbar popup closing: typed into Tom Becker's confirm form (his billing
// info is missing, so it cannot be confirmed yet), the popup closed well before the 1-second save, the note is
// on the server as a draft (and nowhere in extension storage); reopening the popup and the session brings it back.
import { afterAll, describe, expect, test } from 'vitest';
import type { Appointment } from '../../shared/api-types';
import { addWaitingSessions, apiGet, ensureApi, makeProvider, type NewProvider, signInByApi } from './support/api';
import { type InWorker, type Launched, launchAlongside, signInThroughStorage } from './support/launch';
import { ViewChecks } from './support/page';
import { RealPopup } from './support/real-popup';
import { stepsInOrder } from './support/steps';
import { eventually } from './support/wait';

const JOURNEY = 'drafts';
const NOTE = 'Tom described two panic episodes at work; practised paced breathing. Plan: exposure ladder next week.';

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let token = '';
let tom: Appointment;
let ext: Launched | null = null;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

/** Opens the toolbar popup as the toolbar button does (chrome.action.openPopup) and attaches to it. */
async function openRealPopup(): Promise<RealPopup> {
  const { ctx } = browser();
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.bringToFront();
  const sw = await browser().sw();
  await sw.evaluate(() => (globalThis as unknown as InWorker).chrome.action.openPopup());
  return RealPopup.attach(ctx, page);
}

/** Tom Becker's session opened in the popup's Confirm list; resolves once its note box is there. */
async function openTomsSession(real: RealPopup): Promise<void> {
  await eventually(
    () =>
      real.evaluate<boolean>(`(() => {
        document.getElementById('tab-confirm')?.click();
        const b = [...document.querySelectorAll('button.session')].find((e) => e.textContent.startsWith('Tom Becker'));
        b?.click();
        return !!document.getElementById('cf-note');
      })()`),
    (open) => open,
    "Tom Becker's confirm form to open",
  );
}

async function draftOnServer(): Promise<string | null> {
  try {
    return (await apiGet<{ text: string }>(token, `/v1/appointments/${tom.id}/note-draft`)).text;
  } catch (err) {
    if (/: 404 /.test(String(err))) return null;
    throw err;
  }
}

describe('a note draft surviving the popup closing, in Chromium', () => {
  test('start: a provider with Tom Becker’s past session waiting (no billing info), Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      token = auth.token;
      await addWaitingSessions(token, JOURNEY);
      const all = await apiGet<{ items: Appointment[] }>(token, '/v1/appointments');
      tom = all.items.find((a) => a.client.firstName === 'Tom')!;
      return auth;
    });
    ext = started.ext;
    await signInThroughStorage(ext, started.setUp);
    expect(await draftOnServer()).toBeNull();
  }, 120_000);

  test('type the note in the real popup and close it at once: the draft is on the server, not in extension storage', async () => {
    const real = await openRealPopup();
    try {
      await openTomsSession(real);
      await real.evaluate(`document.getElementById('cf-note').focus()`);
      await real.send('Input.insertText', { text: NOTE });
      expect(await real.valueOf('Progress note', 'textbox')).toBe(NOTE);
      // Closed well inside the 1-second debounce: only the close itself can have saved it.
      await real.send('Runtime.evaluate', { expression: 'setTimeout(() => window.close(), 0)' });
    } finally {
      await real.detach();
    }
    await eventually(draftOnServer, (t) => t === NOTE, 'the draft to be on the server');
    const sw = await browser().sw();
    const stored = await sw.evaluate(async () => {
      const chrome = (globalThis as unknown as InWorker).chrome;
      return JSON.stringify([await chrome.storage.session.get(null), await chrome.storage.local.get(null)]);
    });
    expect(stored).not.toContain('panic episodes');
  });

  test('reopen the popup and the session: the note is back, and says it was restored', async () => {
    const real = await openRealPopup();
    try {
      await openTomsSession(real);
      await eventually(
        () => real.valueOf('Progress note', 'textbox'),
        (v) => v === NOTE,
        'the note to be restored',
      );
      expect(await real.text()).toContain('Draft restored from your last visit');
      await views.realPopup(real, 'popup-draft-restored');
      // Typing on saves again once typing stops, and says so.
      await real.evaluate(
        `(() => { const t = document.getElementById('cf-note'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`,
      );
      await real.send('Input.insertText', { text: ' Homework: worry log.' });
      await eventually(
        () => real.evaluate<string>(`document.getElementById('cf-note-draft').textContent`),
        (t) => t === 'Draft saved',
        'the status to say "Draft saved"',
      );
      expect(await draftOnServer()).toBe(`${NOTE} Homework: worry log.`);
      await views.realPopup(real, 'popup-draft-saved');
    } finally {
      await real.detach();
    }
  });

  test('accessibility: axe-core finds no violation on the restored and saved draft, light or dark', () => {
    views.verdict(['popup-draft-restored', 'popup-draft-saved'], steps.broken());
  });
});
