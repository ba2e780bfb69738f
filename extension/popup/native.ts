// The popup and options pages use the browser's own promise-based extension API (Chrome MV3 and Firefox both have
// one for what they need: messaging, storage.session, permissions, tabs.create), which keeps the 9 KB
// webextension-polyfill in the background and out of the pages' bundles.
import type { browser as Browser } from 'wxt/browser';

type Ext = Pick<typeof Browser, 'runtime' | 'storage' | 'permissions' | 'tabs'>;

export function ext(): Ext {
  const g = globalThis as { browser?: Ext; chrome?: Ext };
  const api = g.browser?.runtime ? g.browser : g.chrome;
  if (!api) throw new Error('Not running as a browser extension page');
  return api;
}
