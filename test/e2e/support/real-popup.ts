// The real toolbar popup (opened by chrome.action.openPopup), which Playwright does not attach to:
// reached through a CDP session of an ordinary page, read by accessible name, checked and photographed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { AXE_RUN, AXE_SOURCE, type AxeResult, readable, SCREENSHOTS } from './page';
import { eventually } from './wait';

/** One node of Chromium's accessibility tree (CDP Accessibility.getFullAXTree). */
export interface AXNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  value?: { value: string | number };
}

/** Attached with Target.attachToTarget; messages relayed by Target.sendMessageToTarget. */
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
