// E2E plumbing: a throwaway API on the real Workers runtime, Chromium with the built extension,
// the local mailbox, axe-core, screenshots, and a CDP bridge into the real toolbar popup.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import type { browser as ExtensionBrowser } from 'wxt/browser';
import { applyMigrations, ROOT, seedDemo, startApi } from '../../scripts/lib/local-api.mjs';

export const API_PORT = 8787; // the extension's default API origin
export const API = `http://127.0.0.1:${API_PORT}`;
export const DEMO_EMAIL = 'demo@caseload.local';
export const EXTENSION_DIR = path.join(ROOT, '.output/chrome-mv3');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
/** The toolbar popup's width (popup.css); screenshots of popup views use it. */
export const POPUP_VIEWPORT = { width: 380, height: 600 };

/**
 * The extension APIs as seen inside the service worker (`chrome.*`, promise-based in MV3). A
 * `sw.evaluate(() => …)` callback is serialised and runs in the worker, so it can use nothing from
 * this module: write `(globalThis as unknown as InWorker).chrome` inside it.
 */
export type Chrome = typeof ExtensionBrowser;
export type InWorker = { chrome: Chrome };

export interface ApiHandle {
  url: string;
  stop: () => Promise<void>;
}

/** Process groups of every wrangler this process started: killed on exit, whatever happened. */
const livePgids = new Set<number>();
process.on('exit', () => {
  for (const pgid of livePgids) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/** A fresh local D1 for this run: migrated and seeded with the demo provider. */
export function freshDatabase(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caseload-e2e-'));
  applyMigrations(dir);
  seedDemo(dir);
  return dir;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** `wrangler dev` on 127.0.0.1:8787 with the given local D1; refuses when something else holds the port. */
export async function startLocalApi(persistTo: string): Promise<ApiHandle> {
  if (await answers(`${API}/v1/health`)) {
    throw new Error(
      `Something is already listening on ${API} (another \`npm start\`?). Stop it first: the suite needs its own throwaway API there.`,
    );
  }
  const api = await startApi({
    port: API_PORT,
    persistTo,
    vars: {
      ENVIRONMENT: 'development',
      EMAIL_TRANSPORT: 'mailbox',
      PUBLIC_URL: API,
      EMAIL_FROM: 'Caseload <no-reply@caseload.local>',
      ADMIN_TOKEN: 'e2e-admin-token',
      NOTES_KEY: Buffer.alloc(32, 7).toString('base64'),
    },
  });
  const pgid = api.child.pid;
  if (pgid) livePgids.add(pgid);
  return {
    url: api.url,
    stop: async () => {
      await api.stop();
      if (pgid) livePgids.delete(pgid);
      // The port is free once nothing answers there any more.
      const deadline = Date.now() + 10_000;
      while ((await answers(`${API}/v1/health`)) && Date.now() < deadline) await sleep(100);
    },
  };
}

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
      timezoneId: 'America/New_York',
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

export interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
  sentAt: string;
}

export async function mailbox(): Promise<Mail[]> {
  const res = await fetch(`${API}/dev/mail.json`);
  if (!res.ok) throw new Error(`/dev/mail.json answered ${res.status}`);
  return ((await res.json()) as { items: Mail[] }).items;
}

/** Waits for an email to `to` matching `pred` in the local mailbox (newest first). */
export async function waitForMail(
  to: string,
  pred: (m: Mail) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox()).find((m) => m.to.includes(to) && pred(m));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No matching email to ${to} within ${timeoutMs} ms`);
    await sleep(150);
  }
}

/** Polls `fn` until `check` accepts its value; throws with the last value seen. */
export async function eventually<T>(
  fn: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      if (check(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: still not so after ${timeoutMs} ms (last: ${JSON.stringify(last)}${lastError ? `, error: ${String(lastError)}` : ''})`,
      );
    }
    await sleep(150);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
type AxeResult = { id: string; help: string; nodes: { target: string[] }[] }[];
const AXE_RUN = `(async () => {
  const r = await window.axe.run(document, { resultTypes: ['violations'] });
  return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
})()`;
const readable = (r: AxeResult) =>
  r.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/**
 * Runs axe-core on the page; returns violations as readable lines. Injected by evaluation, not a
 * <script> tag: extension pages and the client pages forbid inline scripts by CSP.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return readable((await page.evaluate(AXE_RUN)) as AxeResult);
}

export type Scheme = 'light' | 'dark';

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

/** One node of Chromium's accessibility tree (CDP Accessibility.getFullAXTree). */
export interface AXNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  value?: { value: string | number };
}

/**
 * The real toolbar popup (opened by chrome.action.openPopup), which Playwright does not attach to:
 * reached through a CDP session of an ordinary page with Target.attachToTarget, messages relayed by
 * Target.sendMessageToTarget.
 */
export class RealPopup {
  private seq = 0;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private cdp: CDPSession,
    private sessionId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!waiter || msg.id === undefined) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(msg.error.message));
      else waiter.resolve(msg.result);
    });
  }

  /** Waits for the popup's page target (`…/popup.html`, not in a tab) and attaches to it. */
  static async attach(ctx: BrowserContext, via: Page, timeoutMs = 10_000): Promise<RealPopup> {
    const cdp = await ctx.newCDPSession(via);
    const tabUrls = new Set(ctx.pages().map((p) => p.url()));
    const target = await eventually(
      async () => {
        const { targetInfos } = (await cdp.send('Target.getTargets')) as {
          targetInfos: { targetId: string; type: string; url: string; attached: boolean }[];
        };
        return (
          targetInfos.find(
            (t) =>
              t.type === 'page' &&
              /^chrome-extension:\/\/[^/]+\/popup\.html$/.test(t.url) &&
              !t.attached &&
              !tabUrls.has(t.url),
          ) ?? null
        );
      },
      (t) => t !== null,
      'the toolbar popup to open',
      timeoutMs,
    );
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target!.targetId, flatten: false })) as {
      sessionId: string;
    };
    return new RealPopup(cdp, sessionId);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      void this.cdp
        .send('Target.sendMessageToTarget', {
          sessionId: this.sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(reject);
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) throw new Error(`In the popup: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** The popup's accessibility tree: controls by role and accessible name. */
  async axNodes(): Promise<AXNode[]> {
    return (await this.send<{ nodes: AXNode[] }>('Accessibility.getFullAXTree')).nodes.filter((n) => !n.ignored);
  }

  /** The value of the control with this accessible name (and role, when given); undefined when there is none. */
  async valueOf(name: string, role?: string): Promise<string | undefined> {
    const node = (await this.axNodes()).find(
      (n) => n.name?.value === name && n.value !== undefined && (role === undefined || n.role?.value === role),
    );
    return node ? String(node.value?.value ?? '') : undefined;
  }

  async text(): Promise<string> {
    return this.evaluate<string>('document.body.innerText');
  }

  async axe(): Promise<string[]> {
    if (!(await this.evaluate<boolean>('typeof window.axe !== "undefined"'))) await this.evaluate(AXE_SOURCE);
    return readable(await this.evaluate<AxeResult>(AXE_RUN));
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { cssContentSize } = await this.send<{ cssContentSize: { width: number; height: number } }>(
      'Page.getLayoutMetrics',
    );
    const { data } = await this.send<{ data: string }>('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(cssContentSize.width), height: Math.ceil(cssContentSize.height), scale: 1 },
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(SCREENSHOTS, `${name}.png`), Buffer.from(data, 'base64'));
  }

  /** Axe in both colour schemes and a PNG of each, like captureView(). */
  async capture(name: string): Promise<string[]> {
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await this.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      found.push(...(await this.axe()).map((v) => `${name} (${scheme}): ${v}`));
      await this.screenshot(`${name}-${scheme}`);
    }
    await this.send('Emulation.setEmulatedMedia', { features: [] });
    return found;
  }

  async detach(): Promise<void> {
    await this.cdp.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
    await this.cdp.detach().catch(() => undefined);
  }
}

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
