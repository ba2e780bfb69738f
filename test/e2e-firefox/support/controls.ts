// The popup's controls in Firefox, found by role and accessible name (Puppeteer's ARIA selectors, which
// BiDi answers from Firefox's accessibility tree), and the small waits a journey needs.
import type { ElementHandle, Page } from 'puppeteer-core';
import { AXE_RUN, AXE_SOURCE, type AxeResult, readable } from '../../e2e/support/page';
import { eventually } from '../../e2e/support/wait';

/** A selector for the control of `role` whose accessible name is `name`. */
export const aria = (role: string, name: string) => `::-p-aria([name=${JSON.stringify(name)}][role="${role}"])`;

export async function control(page: Page, role: string, name: string): Promise<ElementHandle<Element>> {
  const el = await page.waitForSelector(aria(role, name), { timeout: 10_000 }).catch(async (err: Error) => {
    // What the page shows instead (its failure notes and status line), so a red run says why.
    const shown = await page.evaluate(() => document.body?.textContent ?? '').catch(() => '(page gone)');
    throw new Error(`No ${role} "${name}" within 10 s (${err.message}). The page shows:\n${shown}`);
  });
  if (!el) throw new Error(`No ${role} "${name}"`);
  return el;
}

export async function click(page: Page, role: string, name: string): Promise<void> {
  await (await control(page, role, name)).click();
}

/** Replaces the field's value by typing, as a user does (select all, then type). */
export async function fill(page: Page, role: string, name: string, value: string): Promise<void> {
  const el = await control(page, role, name);
  await el.click({ count: 3 });
  await el.evaluate((e) => {
    (e as HTMLInputElement).select?.();
  });
  await page.keyboard.press('Backspace');
  await el.type(value);
}

/** Sets a date or time input (typing into them differs by browser): value, then the input event. */
export async function setInput(page: Page, label: string, value: string): Promise<void> {
  await page.evaluate(
    (label, value) => {
      const input = [...document.querySelectorAll('input')].find(
        (i) => i.labels?.[0]?.textContent?.trim() === label || i.getAttribute('aria-label') === label,
      );
      if (!input) throw new Error(`No input labelled ${label}`);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    label,
    value,
  );
}

export const inputValue = (el: ElementHandle<Element>) => el.evaluate((e) => (e as HTMLInputElement).value);

export const textOf = (page: Page, selector: string) =>
  page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');

/** The popup's status line (role=status) until it says `re`. */
export const statusSays = (page: Page, re: RegExp) =>
  eventually(
    () => page.$$eval('[role="status"]', (els) => els.map((e) => e.textContent ?? '').join(' ')),
    (t) => re.test(t),
    `the status line to match ${re}`,
  );

/** The popup is signed in as `name`: its tabs are there and its footer names the provider. */
export async function popupSignedInAs(page: Page, name: string): Promise<void> {
  await control(page, 'tab', 'Add client');
  await eventually(
    () => textOf(page, 'footer'),
    (t) => t.includes(name),
    `the footer to name ${name}`,
  );
}

/** Clicks the first element matching `selector` whose text matches `re` (a suggestion, a list entry). */
export async function clickText(page: Page, selector: string, re: RegExp): Promise<void> {
  const handle = await eventually(
    async () => {
      for (const el of await page.$$(selector)) {
        if (re.test(((await el.evaluate((e) => e.textContent)) ?? '').trim())) return el;
      }
      return null;
    },
    (el) => el !== null,
    `a ${selector} matching ${re}`,
  );
  await handle!.click();
}

/** The scheduler's Client combobox: type the first name, pick the full name from the suggestions. */
export async function pickClient(page: Page, first: string, last: string): Promise<void> {
  await fill(page, 'combobox', 'Client', first);
  await clickText(page, '[role="option"]', new RegExp(`^${first} ${last}`));
  await eventually(
    async () => inputValue(await control(page, 'combobox', 'Client')),
    (v) => v === `${first} ${last}`,
    `the Client field to say ${first} ${last}`,
  );
}

/**
 * axe-core's violations on the page as Firefox renders it, one readable line each (the Chromium suite's
 * AXE_SOURCE and AXE_RUN, injected by evaluation: the add-on's CSP forbids inline scripts).
 */
export async function axeViolations(page: Page, name: string): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return readable((await page.evaluate(AXE_RUN)) as AxeResult).map((v) => `${name} (Firefox): ${v}`);
}
