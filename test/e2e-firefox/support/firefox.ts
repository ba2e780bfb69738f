// Firefox (Debian's firefox-esr) with the built add-on (.output/firefox-mv2), driven by puppeteer-core over
// WebDriver BiDi, one fresh profile per journey.
//
// How the popup page is reached, and why: BiDi refuses to navigate a tab to a moz-extension:// address
// ("Navigation … is not allowed in this context"), and to about:addons or about:debugging too. A user can
// still open the add-on's page by typing its address in the address bar, so that is what this does: with
// the add-on's UUID pinned (the pref extensions.webextensions.uuids), the address is typed into Firefox's
// own URL bar and entered, in the browser window's chrome scope (BiDi's `moz:scope: "chrome"`, allowed by
// --remote-allow-system-access). The tab then holds the real popup.html, an ordinary extension page with
// the add-on's privileges, as the Chromium suite's popup tab is; the toolbar panel itself is not a BiDi
// browsing context. Everything else runs in that page as the add-on's own code would: the badge is read
// with browserAction.getBadgeText, storage with storage.local.
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { STORAGE_KEYS, type StoredAuth } from '../../../extension/storage-keys';
import { ROOT } from '../../../scripts/lib/local-api.mjs';
import { TIME_ZONE } from '../../e2e/support/api';
import { eventually } from '../../e2e/support/wait';

export const FIREFOX_EXTENSION_DIR = path.join(ROOT, '.output/firefox-mv2');
/** browser_specific_settings.gecko.id in wxt.config.ts. */
export const ADDON_ID = 'caseload@caseload.dev';
/** The moz-extension:// host pinned for the add-on in every journey's profile. */
export const ADDON_UUID = '5c1e2a7d-0b9e-4f4e-9a51-00000000ce2e';
export const ADDON_ORIGIN = `moz-extension://${ADDON_UUID}`;
export const POPUP_VIEWPORT = { width: 380, height: 600 };

export function firefoxPath(): string {
  const p = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(p))
    throw new Error(
      `Firefox not found at ${p}. Install Debian's package (apt-get install firefox-esr) or set FIREFOX_PATH.`,
    );
  return p;
}

export interface Firefox {
  browser: Browser;
  addonId: string;
  close: () => Promise<void>;
}

export async function launchFirefox(): Promise<Firefox> {
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json')))
    throw new Error('Build the add-on first: npx wxt build -b firefox');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // The browser window's chrome scope over BiDi: the address bar the popup's address is typed into.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, TZ: TIME_ZONE },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
      'intl.locale.requested': 'en-US',
      'browser.shell.checkDefaultBrowser': false,
      // The MV2 event page is suspended after 1 s idle (Firefox's default is 30 s), so a journey crosses
      // suspensions as a user's day does: messages, storage changes and menu clicks must wake it.
      'extensions.background.idle.timeout': 1000,
    },
  });
  try {
    // What README's "Load Temporary Add-on" does with the built folder.
    const addonId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    return { browser, addonId, close: () => browser.close().catch(() => undefined) };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

/** Firefox launched while `setUp` runs; neither is left behind when the other fails. */
export async function launchAlongside<T>(setUp: () => Promise<T>): Promise<{ ff: Firefox; setUp: T }> {
  const [launched, done] = await Promise.allSettled([launchFirefox(), setUp()]);
  if (launched.status === 'fulfilled' && done.status === 'fulfilled') return { ff: launched.value, setUp: done.value };
  if (launched.status === 'fulfilled') await launched.value.close();
  throw launched.status === 'rejected' ? launched.reason : (done as PromiseRejectedResult).reason;
}

// ── the browser window (chrome scope) ───────────────────────────────────────────────────────────

interface BidiConnection {
  send: (method: string, params: object) => Promise<{ result: Record<string, unknown> }>;
}
const bidi = (ff: Firefox) => (ff.browser as unknown as { connection: BidiConnection }).connection;

/** Evaluates `expression` in the browser window (browser.xhtml): Firefox's own UI, not a web page. */
export async function inBrowserWindow<T = unknown>(ff: Firefox, expression: string): Promise<T> {
  const tree = await bidi(ff).send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
  const windows = tree.result.contexts as { context: string; url: string }[];
  const win = windows.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!win) throw new Error(`No browser window among ${windows.map((c) => c.url).join(', ')}`);
  const r = await bidi(ff).send('script.evaluate', {
    target: { context: win.context },
    expression,
    awaitPromise: true,
    resultOwnership: 'none',
  });
  const result = r.result as { type: string; result?: { value?: unknown }; exceptionDetails?: { text?: string } };
  if (result.type === 'exception') throw new Error(`In the browser window: ${result.exceptionDetails?.text}`);
  return result.result?.value as T;
}

/** The add-on's popup page in a tab of its own, at the toolbar popup's size: typed into the address bar. */
export const openPopupTab = (ff: Firefox) => openAddonPage(ff, 'popup.html');

/** One of the add-on's pages (popup.html, options.html) in a new tab, its address typed into the address bar. */
export async function openAddonPage(ff: Firefox, file: string): Promise<Page> {
  const page = await ff.browser.newPage();
  await page.setViewport(POPUP_VIEWPORT);
  await page.bringToFront();
  const url = `${ADDON_ORIGIN}/${file}`;
  await inBrowserWindow(
    ff,
    `(() => { gURLBar.value = ${JSON.stringify(url)}; gURLBar.select(); gURLBar.handleCommand(new KeyboardEvent('keydown', { key: 'Enter' })); })()`,
  );
  // Puppeteer keeps the tab's last web address; the page itself says where it is.
  await eventually(
    () => page.evaluate(() => location.href),
    (href) => href === url,
    `the tab to show ${url}`,
  );
  await page.waitForSelector('main, form, [role="tablist"]');
  return page;
}

// ── the add-on's own APIs, from its page ────────────────────────────────────────────────────────

/** The toolbar badge, read with the add-on's browserAction.getBadgeText from its page. */
export function badge(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as InAddon).browser.browserAction.getBadgeText({}));
}

export const badgeShows = (page: Page, text: string, why: string) =>
  eventually(
    () => badge(page),
    (t) => t === text,
    `the badge to show "${text}" (${why})`,
  );

export function badgeColor(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as InAddon).browser.browserAction.getBadgeBackgroundColor({}));
}

/** The extension APIs in an add-on page (Firefox's promise-based `browser.*`). */
export type InAddon = {
  browser: {
    browserAction: {
      getBadgeText: (details: object) => Promise<string>;
      getBadgeBackgroundColor: (details: object) => Promise<number[]>;
    };
    storage: { local: { get: (key: string) => Promise<object>; set: (items: object) => Promise<void> } };
  };
};

const LOCAL_AUTH_KEY = STORAGE_KEYS.localAuth.replace(/^local:/, '');

export async function storedToken(page: Page): Promise<string> {
  const t = await page.evaluate(async (key) => {
    const stored = (await (globalThis as unknown as InAddon).browser.storage.local.get(key)) as Record<
      string,
      { token?: string } | undefined
    >;
    return stored[key]?.token ?? null;
  }, LOCAL_AUTH_KEY);
  if (!t) throw new Error('No token in the add-on storage');
  return t;
}

/**
 * Signs the add-on in as "keep me signed in" leaves it (the token and provider summary in storage.local),
 * from its own page; the popup's sign-in by emailed code is sign-in.e2e.ts's journey. Reloads the page so
 * it starts signed in.
 */
export async function signInThroughStorage(page: Page, auth: StoredAuth): Promise<void> {
  await storeAuth(page, auth);
  // Reloaded after the evaluation has answered: a realm that navigates away mid-evaluation never does.
  const before = await page.evaluate(() => performance.timeOrigin);
  await page.evaluate(() => void setTimeout(() => location.reload(), 0));
  await eventually(
    () => page.evaluate(() => performance.timeOrigin),
    (t) => t !== before,
    'the popup page to reload',
  );
  await page.waitForSelector('main, form, [role="tablist"]');
}

/** The sign-in "keep me signed in" leaves in storage.local, written from an add-on page; no reload. */
export async function storeAuth(page: Page, auth: StoredAuth): Promise<void> {
  await page.evaluate(
    (key, value) => (globalThis as unknown as InAddon).browser.storage.local.set({ [key]: value }),
    LOCAL_AUTH_KEY,
    auth as unknown as Record<string, unknown>,
  );
}

/** Firefox's own word on the add-on's event page: "running" or "stopped" (suspended while idle). */
export const backgroundState = (ff: Firefox) =>
  inBrowserWindow<string>(
    ff,
    `String(WebExtensionPolicy.getByID(${JSON.stringify(ADDON_ID)})?.extension?.backgroundState)`,
  );

/** Waits until Firefox has suspended the idle event page (the idle timeout is 1 s in these profiles). */
export const eventPageSuspended = (ff: Firefox) =>
  eventually(
    () => backgroundState(ff),
    (s) => s === 'stopped',
    'Firefox to suspend the idle event page',
  );
