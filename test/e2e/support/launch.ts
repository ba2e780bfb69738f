// Chromium with the built extension, one fresh profile per journey: its service worker, the popup in a tab,
// the toolbar badge, and the sign-in the extension keeps in its storage.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import type { browser as ExtensionBrowser } from 'wxt/browser';
import { STORAGE_KEYS, type StoredAuth } from '../../../extension/storage-keys';
import { ROOT } from '../../../scripts/lib/local-api.mjs';
import { TIME_ZONE } from './api';
import { eventually } from './wait';

export const EXTENSION_DIR = path.join(ROOT, '.output/chrome-mv3');
/** The toolbar popup's width (popup.css); screenshots of popup views use it. */
export const POPUP_VIEWPORT = { width: 380, height: 600 };

/**
 * The extension APIs as seen inside the service worker (`chrome.*`, promise-based in MV3). A
 * `sw.evaluate(() => …)` callback is serialised and runs in the worker, so it can use nothing from
 * this module: write `(globalThis as unknown as InWorker).chrome` inside it.
 */
export type Chrome = typeof ExtensionBrowser;
export type InWorker = { chrome: Chrome };

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(
      `Chromium not found at ${p}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return p;
}

export interface Launched {
  ctx: BrowserContext;
  extensionId: string;
  /** The extension's service worker now (Chrome may have restarted it since launch). */
  sw: () => Promise<Worker>;
  close: () => Promise<void>;
}

export async function launchWithExtension(): Promise<Launched> {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json')))
    throw new Error('Build the extension first: npx wxt build');
  const userDir = mkdtempSync(path.join(os.tmpdir(), 'caseload-chromium-'));
  let ctx: BrowserContext;
  try {
    ctx = await chromium.launchPersistentContext(userDir, {
      executablePath: chromiumPath(),
      headless: true,
      locale: 'en-US',
      timezoneId: TIME_ZONE,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
      ],
    });
  } catch (err) {
    rmSync(userDir, { recursive: true, force: true });
    throw err;
  }
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://') && w.url().endsWith('/background.js');
  const first =
    ctx.serviceWorkers().find(isOurs) ??
    (await ctx.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
  const extensionId = new URL(first.url()).host;
  return {
    ctx,
    extensionId,
    sw: async () =>
      ctx.serviceWorkers().find(isOurs) ?? ctx.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }),
    close: async () => {
      await ctx.close().catch(() => undefined);
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chromium launched while `setUp` (the journey's API side) runs, both awaited. When either fails the other
 * is not left behind: a browser that did start is closed before the failure is thrown.
 */
export async function launchAlongside<T>(setUp: () => Promise<T>): Promise<{ ext: Launched; setUp: T }> {
  const [launched, done] = await Promise.allSettled([launchWithExtension(), setUp()]);
  if (launched.status === 'fulfilled' && done.status === 'fulfilled') return { ext: launched.value, setUp: done.value };
  if (launched.status === 'fulfilled') await launched.value.close();
  throw launched.status === 'rejected' ? launched.reason : (done as PromiseRejectedResult).reason;
}

/** The popup's own page in a tab, at the toolbar popup's size: Playwright drives it like any page. */
export async function openPopupTab(ext: Launched): Promise<Page> {
  const page = await ext.ctx.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** The toolbar badge, read from the service worker. */
export async function badge(ext: Launched): Promise<string> {
  const sw = await ext.sw();
  return sw.evaluate(() => (globalThis as unknown as InWorker).chrome.action.getBadgeText({}));
}

export const badgeShows = (ext: Launched, text: string, why: string) =>
  eventually(
    () => badge(ext),
    (t) => t === text,
    `the badge to show "${text}" (${why})`,
  );

export async function badgeColor(ext: Launched): Promise<number[]> {
  const sw = await ext.sw();
  return sw.evaluate(
    () => (globalThis as unknown as InWorker).chrome.action.getBadgeBackgroundColor({}) as Promise<number[]>,
  );
}

/** chrome.storage.local's key for the sign-in kept by "keep me signed in" (WXT's `local:` prefix is the area). */
const LOCAL_AUTH_KEY = STORAGE_KEYS.localAuth.replace(/^local:/, '');

/** The sign-in token the popup stored with "keep me signed in" (storage.local); throws when there is none. */
export async function storedToken(ext: Launched): Promise<string> {
  const sw = await ext.sw();
  const t = await sw.evaluate(async (key) => {
    const stored = (await (globalThis as unknown as InWorker).chrome.storage.local.get(key)) as Record<
      string,
      { token?: string } | undefined
    >;
    return stored[key]?.token ?? null;
  }, LOCAL_AUTH_KEY);
  if (!t) throw new Error('No token in extension storage');
  return t;
}

/**
 * Signs the extension in by storing what the popup's sign-in stores with "keep me signed in" ticked: the
 * token and provider summary in storage.local (extension/storage.ts setAuth). Honest: the background and
 * the popup learn who is signed in from nothing else (getAuth), and the background's watch on that item
 * refreshes the badge just as after a real sign-in. Fast: no emailed-code round trip through the popup,
 * which sign-in.e2e.ts walks for real. The token itself comes from the API's real sign-in (signInByApi).
 */
export async function signInThroughStorage(ext: Launched, auth: StoredAuth): Promise<void> {
  const sw = await ext.sw();
  await sw.evaluate(({ key, auth }) => (globalThis as unknown as InWorker).chrome.storage.local.set({ [key]: auth }), {
    key: LOCAL_AUTH_KEY,
    auth,
  });
}
