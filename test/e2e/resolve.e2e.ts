// Resolving past sessions in the popup's Confirm list: Maria Alvarez's session marked a no-show by keyboard
// alone (N, then Enter on the question), and a session from 40 days ago — past the 30-day window, so it
// "can no longer be confirmed" — marked canceled. Each asks first; the badge drops at once after each.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { Appointment, Client } from '../../shared/api-types';
import {
  addClient,
  addSession,
  addWaitingSessions,
  apiGet,
  clientEmail,
  ensureApi,
  makeProvider,
  type NewProvider,
  signInByApi,
} from './support/api';
import { badgeShows, type Launched, launchAlongside, openPopupTab, signInThroughStorage } from './support/launch';
import { popupSignedInAs, statusSays, ViewChecks } from './support/page';
import { stepsInOrder } from './support/steps';

const JOURNEY = 'resolve';
const OLD = { first: 'Olive', last: 'Archer', email: clientEmail('olive', 'archer', JOURNEY) };

const views = new ViewChecks();
const steps = stepsInOrder();
let provider: NewProvider;
let token = '';
let old: Appointment;
let ext: Launched | null = null;
let popup: Page;

afterAll(async () => {
  await ext?.close();
}, 30_000);

function browser(): Launched {
  if (!ext) throw new Error('Chromium did not start');
  return ext;
}

const item = (name: string) =>
  popup
    .getByRole('list', { name: /waiting for confirmation/ })
    .getByRole('listitem')
    .filter({ hasText: name });

async function sessionsOf(name: string): Promise<Appointment[]> {
  const all = await apiGet<{ items: Appointment[] }>(token, '/v1/appointments');
  return all.items.filter((a) => `${a.client.firstName} ${a.client.lastName}` === name);
}

describe('resolving past sessions, in Chromium', () => {
  test('start: a provider with two sessions waiting (Maria Alvarez, Tom Becker) and one from 40 days ago, Chromium signed in', async () => {
    const started = await launchAlongside(async () => {
      await ensureApi();
      provider = await makeProvider(JOURNEY);
      const auth = await signInByApi(provider);
      token = auth.token;
      await addWaitingSessions(token, JOURNEY);
      const olive: Client = await addClient(token, OLD);
      const day = 24 * 3600_000;
      const start = new Date(Math.floor((Date.now() - 40 * day) / 3600_000) * 3600_000);
      old = await addSession(token, olive.id, start, 45);
      return auth;
    });
    ext = started.ext;
    await signInThroughStorage(ext, started.setUp);
    popup = await openPopupTab(ext);
    await popupSignedInAs(popup, provider.name);
    await badgeShows(ext, '3', 'three past sessions waiting, the old one included');
  }, 120_000);

  test('the list: every session offers No-show, Late cancel and Canceled; the old one can no longer be confirmed', async () => {
    await popup.getByRole('tab', { name: 'Confirm' }).click();
    const oldItem = item('Olive Archer');
    await oldItem.waitFor();
    expect(await oldItem.textContent()).toContain('Past 30 days: can no longer be confirmed');
    // No Confirm for it: its buttons are the other outcomes only.
    expect((await oldItem.getByRole('button').allTextContents()).map((t) => t.trim())).toEqual([
      'No-show',
      'Late cancel',
      'Canceled',
    ]);
    // The others open their confirmation as before, and offer the same three.
    const maria = item('Maria Alvarez');
    await maria.locator('button.session').waitFor();
    expect((await maria.locator('.outcomes button').allTextContents()).map((t) => t.trim())).toEqual([
      'No-show',
      'Late cancel',
      'Canceled',
    ]);
    expect(await popup.getByText(/N: no-show, L: late cancel, C: canceled/).isVisible()).toBe(true);
    await views.popup(popup, 'popup-resolve-list');
  });

  test('Maria Alvarez as a no-show, by keyboard: N asks, Enter on "Mark no-show" sends; the badge drops', async () => {
    const maria = item('Maria Alvarez');
    await maria.locator('button.session').focus();
    await popup.keyboard.press('n');
    const question = maria.getByText(/^Mark Maria Alvarez’s .* session as a no-show\?$/);
    await question.waitFor();
    // Focus is on the question's own button; nothing was sent yet.
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Mark no-show');
    expect((await sessionsOf('Maria Alvarez'))[0]?.status).toBe('scheduled');
    await views.popup(popup, 'popup-resolve-ask');
    // The capture (colour schemes, axe, screenshot) takes focus from the page: back where it was.
    await maria.getByRole('button', { name: 'Mark no-show' }).focus();
    await popup.keyboard.press('Enter');
    await statusSays(popup, /^Maria Alvarez’s .* session marked as a no-show\.$/);
    await badgeShows(browser(), '2', 'one session resolved');
    expect((await sessionsOf('Maria Alvarez'))[0]?.status).toBe('no_show');
    expect(await item('Maria Alvarez').count()).toBe(0);
    // Focus moved on to the next session in the list (Tom Becker's, now in Maria's place).
    expect(await popup.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Tom Becker/);
  });

  test('the session from 40 days ago marked canceled (by the client): the badge drops again', async () => {
    const oldItem = item('Olive Archer');
    await oldItem.getByRole('button', { name: 'Canceled' }).click();
    await oldItem.getByText(/^Mark Olive Archer’s .* session as canceled\?$/).waitFor();
    // Keep sends nothing.
    await oldItem.getByRole('button', { name: 'Keep' }).click();
    await oldItem.getByRole('button', { name: 'Canceled' }).click();
    await views.popup(popup, 'popup-resolve-canceled-ask');
    await oldItem.getByRole('button', { name: 'Client canceled' }).click();
    await statusSays(popup, /^Olive Archer’s .* session marked as canceled\.$/);
    await badgeShows(browser(), '1', 'the old session resolved');
    const [after] = await sessionsOf('Olive Archer');
    expect(after).toMatchObject({ id: old.id, status: 'canceled' });
  });

  test('accessibility: axe-core finds no violation on the resolve steps, light or dark', () => {
    views.verdict(['popup-resolve-list', 'popup-resolve-ask', 'popup-resolve-canceled-ask'], steps.broken());
  });
});
