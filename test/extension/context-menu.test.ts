// "Schedule session": the menu, the prefill it writes, and how the scheduler is opened.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { MENU_ID, onMenuClicked, registerContextMenu } from '../../extension/background/context-menu';
import { pendingPrefillItem } from '../../extension/storage';
import { client, signInAs, stubApi } from './helpers';

const NOW = new Date('2026-03-05T17:00:00.000Z'); // Thursday noon in New York
const roster = {
  items: [
    client({ id: 'cli_jane' }),
    client({ id: 'cli_sam', firstName: 'Sam', lastName: 'Lee', email: 'sam@example.com' }),
  ],
  nextCursor: null,
};
const click = (selectionText: string) => ({
  menuItemId: MENU_ID,
  selectionText,
  editable: false,
  pageUrl: 'https://mail.example.com/',
});

describe('context menu', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    // The fake browser does not implement these: spied here.
    (fakeBrowser.action as { openPopup?: unknown }).openPopup = vi.fn(async () => {});
    vi.spyOn(fakeBrowser.windows, 'create').mockResolvedValue({} as never);
  });

  it('registers "Schedule session" on selections only', async () => {
    const create = vi.fn();
    const removeAll = vi.fn(async () => {});
    Object.assign(fakeBrowser, {
      contextMenus: { ...(fakeBrowser as { contextMenus?: object }).contextMenus, create, removeAll },
    });
    await registerContextMenu();
    expect(removeAll).toHaveBeenCalledBefore(create);
    expect(create).toHaveBeenCalledWith({ id: MENU_ID, title: 'Schedule session', contexts: ['selection'] });
  });

  it('"Can we do Tuesday at 3pm?" from Sam → next Tuesday 15:00 New York time, Sam picked, popup opened', async () => {
    await signInAs();
    const api = stubApi({ listClients: async () => roster });
    await onMenuClicked(click('Sam Lee wrote: Can we do Tuesday at 3pm?'), { api, now: () => NOW });
    expect(await pendingPrefillItem.getValue()).toEqual({
      selection: 'Sam Lee wrote: Can we do Tuesday at 3pm?',
      startsAt: '2026-03-10T19:00:00.000Z',
      dateOnly: false,
      client: { id: 'cli_sam', firstName: 'Sam', lastName: 'Lee' },
      createdAt: NOW.toISOString(),
    });
    expect(fakeBrowser.action.openPopup).toHaveBeenCalledOnce();
    expect(fakeBrowser.windows.create).not.toHaveBeenCalled();
  });

  it('an email address picks the client', async () => {
    await signInAs();
    await onMenuClicked(click('jane@example.com: tomorrow at 10?'), {
      api: stubApi({ listClients: async () => roster }),
      now: () => NOW,
    });
    const prefill = await pendingPrefillItem.getValue();
    expect(prefill?.client?.id).toBe('cli_jane');
    expect(prefill?.startsAt).toBe('2026-03-06T15:00:00.000Z');
  });

  it('nothing parseable: the scheduler still opens, with the selection and no date', async () => {
    await signInAs();
    await onMenuClicked(click('Thanks, that works for me!'), {
      api: stubApi({ listClients: async () => roster }),
      now: () => NOW,
    });
    expect(await pendingPrefillItem.getValue()).toMatchObject({
      selection: 'Thanks, that works for me!',
      startsAt: null,
      client: null,
    });
    expect(fakeBrowser.action.openPopup).toHaveBeenCalledOnce();
  });

  it('where openPopup is refused, a small popup window opens instead', async () => {
    await signInAs();
    (fakeBrowser.action as { openPopup?: unknown }).openPopup = vi.fn(async () => {
      throw new Error('no user gesture');
    });
    await onMenuClicked(click('Friday?'), { api: stubApi({ listClients: async () => roster }), now: () => NOW });
    expect(fakeBrowser.windows.create).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'popup', url: expect.stringContaining('popup.html') }),
    );
  });

  it('offline: the date is still read, the client left for the popup', async () => {
    await signInAs();
    const api = stubApi({
      listClients: async () => {
        throw new Error('offline');
      },
    });
    await onMenuClicked(click('Tuesday at 3pm, Sam'), { api, now: () => NOW });
    expect(await pendingPrefillItem.getValue()).toMatchObject({ startsAt: '2026-03-10T19:00:00.000Z', client: null });
  });

  it('ignores other menu items', async () => {
    await onMenuClicked({ ...click('Tuesday'), menuItemId: 'other' }, { api: stubApi(), now: () => NOW });
    expect(await pendingPrefillItem.getValue()).toBeNull();
    expect(fakeBrowser.action.openPopup).not.toHaveBeenCalled();
  });
});
