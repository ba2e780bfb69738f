// "Schedule session" on selected text: read a date and a client from the selection and open the
// scheduler prefilled.
import { browser, type Browser } from 'wxt/browser';
import type { ApiClient } from '../api';
import { getAuth, pendingPrefillItem, type Prefill } from '../storage';
import { toolbarAction } from './badge';
import { matchClient } from './match-client';
import { parseSelection } from './parse-selection';

export const MENU_ID = 'schedule-session';
export const SELECTION_MAX = 500;

/** Menus persist in Chrome but not across Firefox restarts: created on install and on startup. */
export async function registerContextMenu(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({ id: MENU_ID, title: 'Schedule session', contexts: ['selection'] });
}

export interface MenuDeps {
  api: ApiClient;
  now?: () => Date;
}

/** The scheduler's prefill for a selection: the parsed start (if any) and the client it names (if any). */
export async function buildPrefill(selection: string, deps: MenuDeps): Promise<Prefill> {
  const now = deps.now?.() ?? new Date();
  const auth = await getAuth();
  const timeZone = auth?.provider.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const when = parseSelection(selection, now, timeZone);

  let client: Prefill['client'] = null;
  if (auth) {
    try {
      const roster = await deps.api.listClients();
      const hit = matchClient(selection, roster.items);
      if (hit) client = { id: hit.id, firstName: hit.firstName, lastName: hit.lastName };
    } catch {
      // Signed out or offline: the scheduler opens with the date alone and says why when it loads.
    }
  }
  return {
    selection,
    startsAt: when ? when.startsAt.toISOString() : null,
    dateOnly: when?.dateOnly ?? false,
    client,
    createdAt: now.toISOString(),
  };
}

/**
 * Opens the popup over the current window; where a browser refuses (no openPopup, or no user
 * gesture left), a small window with the same page.
 */
export async function openScheduler(opening: Promise<unknown> | null): Promise<void> {
  if (opening) {
    try {
      await opening;
      return;
    } catch {
      // fall back below
    }
  }
  await browser.windows.create({
    url: browser.runtime.getURL('/popup.html?window=1'),
    type: 'popup',
    width: 400,
    height: 620,
  });
}

export async function onMenuClicked(info: Browser.contextMenus.OnClickData, deps: MenuDeps): Promise<void> {
  if (info.menuItemId !== MENU_ID) return;
  const selection = (info.selectionText ?? '').trim().slice(0, SELECTION_MAX);
  // Firefox grants openPopup only synchronously inside the click handler, so it is called before
  // any await; the popup watches the prefill item and picks it up when it lands.
  const action = toolbarAction();
  let opening: Promise<unknown> | null = null;
  try {
    opening = action.openPopup ? Promise.resolve(action.openPopup()) : null;
  } catch {
    opening = null;
  }
  const prefill = await buildPrefill(selection, deps);
  await pendingPrefillItem.setValue(prefill);
  await openScheduler(opening);
}
