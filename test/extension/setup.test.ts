// The background's wiring: what runs on install, on startup, on the alarm and on messages.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { BADGE_ALARM } from '../../extension/background/alarm';
import { setupBackground } from '../../extension/background/setup';
import { signInAs, stubApi } from './helpers';

function spyMenus() {
  const listeners: unknown[] = [];
  const menus = {
    create: vi.fn(),
    removeAll: vi.fn(async () => {}),
    onClicked: { addListener: vi.fn((l: unknown) => listeners.push(l)) },
  };
  Object.assign(fakeBrowser, { contextMenus: menus });
  // The fake browser has no runtime.onConnect: the note-draft port's listener is kept here.
  connectListeners.length = 0;
  Object.assign(fakeBrowser.runtime, {
    onConnect: { addListener: vi.fn((l: (port: unknown) => void) => connectListeners.push(l)) },
  });
  return menus;
}
const connectListeners: ((port: unknown) => void)[] = [];

const flush = () => new Promise((r) => setTimeout(r, 10));

describe('setupBackground', () => {
  beforeEach(() => fakeBrowser.reset());

  it('on install: the menu, the 5-minute alarm and a badge refresh', async () => {
    const menus = spyMenus();
    await signInAs();
    const api = stubApi({ unconfirmedCount: async () => ({ count: 4, oldestStartsAt: null }) });
    setupBackground(api);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await flush();
    expect(menus.create).toHaveBeenCalledWith(expect.objectContaining({ title: 'Schedule session' }));
    expect(await fakeBrowser.alarms.get(BADGE_ALARM)).toMatchObject({ periodInMinutes: 5 });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('4');
  });

  it('on browser start the badge is recomputed', async () => {
    spyMenus();
    await signInAs(true);
    setupBackground(stubApi({ unconfirmedCount: async () => ({ count: 2, oldestStartsAt: null }) }));
    await fakeBrowser.runtime.onStartup.trigger();
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
  });

  it('the alarm refreshes the badge; other alarms do not', async () => {
    spyMenus();
    await signInAs();
    let count = 1;
    const api = stubApi({ unconfirmedCount: async () => ({ count, oldestStartsAt: null }) });
    setupBackground(api);
    await flush();
    api.unconfirmedCount.mockClear();
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: 0 });
    await flush();
    expect(api.unconfirmedCount).not.toHaveBeenCalled();
    count = 7;
    await fakeBrowser.alarms.onAlarm.trigger({ name: BADGE_ALARM, scheduledTime: 0, periodInMinutes: 5 });
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('7');
  });

  it('the popup can ask for a refresh; a foreign sender gets no answer', async () => {
    spyMenus();
    await signInAs();
    setupBackground(stubApi({ unconfirmedCount: async () => ({ count: 5, oldestStartsAt: null }) }));
    const [foreign] = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'badge.refresh', payload: {} },
      { id: 'other-ext', url: 'chrome-extension://other-ext/a.html' },
    );
    expect(foreign).toBeUndefined();
    const [reply] = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'badge.refresh', payload: {} },
      { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') },
    );
    expect(reply).toEqual({ ok: true, data: { kind: 'count', count: 5 } });
  });

  it('signing out (token removed) turns the badge to signed out', async () => {
    spyMenus();
    await signInAs();
    setupBackground(stubApi({ unconfirmedCount: async () => ({ count: 3, oldestStartsAt: null }) }));
    await flush();
    await fakeBrowser.storage.session.clear();
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
  });

  it('a note-draft port from the popup is watched: what it left unsaved is sent when it disconnects; a foreign one is ignored', async () => {
    spyMenus();
    await signInAs();
    const api = stubApi({ saveNoteDraft: async () => undefined });
    setupBackground(api);
    const port = (sender: { id?: string; url?: string }) => {
      const on: { message: (m: unknown) => void; disconnect: () => void } = {
        message: () => undefined,
        disconnect: () => undefined,
      };
      return {
        name: 'note-draft',
        sender,
        onMessage: {
          addListener: (cb: (m: unknown) => void) => {
            on.message = cb;
          },
        },
        onDisconnect: {
          addListener: (cb: () => void) => {
            on.disconnect = cb;
          },
        },
        on,
      };
    };
    const ours = port({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') });
    const foreign = port({ id: 'evil', url: 'https://evil.example/' });
    for (const l of connectListeners) {
      l(ours);
      l(foreign);
    }
    ours.on.message({ type: 'pending', id: 'apt_1', text: 'Unsaved words' });
    foreign.on.message({ type: 'pending', id: 'apt_1', text: 'Injected' });
    ours.on.disconnect();
    foreign.on.disconnect();
    await flush();
    expect(api.saveNoteDraft).toHaveBeenCalledExactlyOnceWith('apt_1', 'Unsaved words');
  });
});
