// Page helpers of the e2e suite: axe-core and screenshots of each view in both colour schemes, the ledger a
// journey's accessibility verdict reads, and the popup's controls, found by role and accessible name.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../../../scripts/lib/local-api.mjs';
import { eventually } from './wait';

export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

// ── axe-core and screenshots ────────────────────────────────────────────────────────────────────

/** axe-core's source, injected by evaluation: extension pages and the client pages forbid inline scripts by CSP. */
export const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export type AxeResult = { id: string; help: string; nodes: { target: string[] }[] }[];
/** Evaluated in the page once AXE_SOURCE is in: its violations, serialisable. */
export const AXE_RUN = `(async () => {
  const r = await window.axe.run(document, { resultTypes: ['violations'] });
  return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
})()`;
/** One line per violation: rule: help — the nodes. */
export const readable = (r: AxeResult) =>
  r.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** Runs axe-core on the page; returns violations as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return readable((await page.evaluate(AXE_RUN)) as AxeResult);
}

export async function screenshot(page: Page, name: string, opts: { element?: string } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // No caret or focus ring of whatever was typed last in the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  if (opts.element) await page.locator(opts.element).screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  else await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
}

/**
 * A view as users see it, in both colour schemes: axe-core finds no violation in either, and a
 * PNG of each goes to docs/screenshots/<name>-<scheme>.png. Returns the violations found.
 */
export async function captureView(page: Page, name: string, opts: { element?: string } = {}): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    found.push(...(await axeViolations(page)).map((v) => `${name} (${scheme}): ${v}`));
    await screenshot(page, `${name}-${scheme}`, opts);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/**
 * What a journey checked: each view is put through axe-core and photographed as the journey reaches it,
 * and the journey's last test gives the verdict, so one violation does not stop the journey.
 */
export class ViewChecks {
  readonly checked: string[] = [];
  /** axe-core violations of every view checked, in both colour schemes. */
  readonly violations: string[] = [];

  async page(page: Page, name: string, opts: { element?: string } = {}): Promise<void> {
    this.checked.push(name);
    this.violations.push(...(await captureView(page, name, opts)));
  }

  /** A popup view in a tab: the picture is of its body, at the toolbar popup's size. */
  popup(page: Page, name: string): Promise<void> {
    return this.page(page, name, { element: 'body' });
  }

  /** The real toolbar popup (RealPopup), which checks and photographs itself over CDP. */
  async realPopup(popup: { capture: (name: string) => Promise<string[]> }, name: string): Promise<void> {
    this.checked.push(name);
    this.violations.push(...(await popup.capture(name)));
  }

  /** The verdict: no violation on any view, light or dark, and (unless a step failed) every view reached. */
  verdict(expected: string[], broken: string | null): void {
    // One line per violation: view (scheme): rule: help — the nodes.
    if (this.violations.length)
      throw new Error(`axe-core found ${this.violations.length} violation(s):\n${this.violations.join('\n')}`);
    if (broken) return; // the views after the failure were never reached
    expect(this.checked).toEqual(expect.arrayContaining(expected));
  }
}

// ── the popup's controls ────────────────────────────────────────────────────────────────────────

/** The popup's status line (role=status) until it says `re`. */
export const statusSays = (page: Page, re: RegExp) =>
  eventually(
    async () => (await page.getByRole('status').textContent()) ?? '',
    (t) => re.test(t),
    `the status line to match ${re}`,
  );

/** The popup is signed in as `name`: its tabs are there and its footer names the provider. */
export async function popupSignedInAs(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Add client' }).waitFor();
  await page.getByRole('contentinfo').getByText(name, { exact: true }).waitFor();
}

/** The scheduler's Client combobox: type the first name, pick the full name from the suggestions. */
export async function pickClient(page: Page, first: string, last: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Client' });
  await box.fill(first);
  await page.getByRole('option', { name: new RegExp(`^${first} ${last}\\b`) }).click();
  expect(await box.inputValue()).toBe(`${first} ${last}`);
}

/** The Add client form's three fields. */
export const clientFields = (page: Page) => ({
  first: page.getByRole('textbox', { name: 'First name' }),
  last: page.getByRole('textbox', { name: 'Last name' }),
  email: page.getByRole('textbox', { name: 'Email', exact: true }),
});

export async function fillNewClient(page: Page, client: { first: string; last: string; email: string }): Promise<void> {
  const fields = clientFields(page);
  await fields.first.fill(client.first);
  await fields.last.fill(client.last);
  await fields.email.fill(client.email);
}

// ── dates as the popup's inputs take them ───────────────────────────────────────────────────────

/** Date, time and weekday of an instant on the wall clock of `timeZone` (for the popup's inputs). */
export function wallClock(instant: Date, timeZone: string): { date: string; time: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday!,
  };
}

/** A calendar day `days` after today in `timeZone`, as YYYY-MM-DD, its weekday and its parts. */
export function dayFromToday(
  days: number,
  timeZone: string,
): { date: string; weekday: string; y: number; m: number; d: number } {
  const [y, m, d] = wallClock(new Date(), timeZone).date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d + days));
  const date = day.toISOString().slice(0, 10);
  const weekday = day.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return { date, weekday, y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate() };
}

const MIN = 60_000;

/** A session of `minutes` that ended at least an hour ago, on the popup's 5-minute grid. */
export function endedAnHourAgo(minutes: number): { startsAt: Date; endsAt: Date } {
  const endsAt = new Date(Math.floor((Date.now() - 60 * MIN) / (5 * MIN)) * 5 * MIN);
  return { startsAt: new Date(endsAt.getTime() - minutes * MIN), endsAt };
}
