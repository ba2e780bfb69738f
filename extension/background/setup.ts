// Wires the background: menus, alarm, badge refreshes and the message gate. Called by the entrypoint.
import { browser } from 'wxt/browser';
import type { ApiClient } from '../api';
import { apiBaseItem, localAuthItem, sessionAuthItem } from '../storage';
import { ensureBadgeAlarm, isBadgeAlarm } from './alarm';
import { refreshBadge } from './badge';
import { onMenuClicked, registerContextMenu } from './context-menu';
import { createHandlers, handleMessage, isInternalSender } from './handlers';
import { NOTE_DRAFT_PORT, watchDraftPort } from './note-draft-port';

export function setupBackground(api: ApiClient): void {
  const refresh = () => refreshBadge(api).catch((err) => console.error('Caseload badge refresh failed', err));
  const handlers = createHandlers({ api, refreshBadge: () => refreshBadge(api) });

  browser.runtime.onInstalled.addListener(() => {
    void registerContextMenu();
    void ensureBadgeAlarm();
    void refresh();
  });
  browser.runtime.onStartup.addListener(() => {
    void registerContextMenu();
    void ensureBadgeAlarm();
    void refresh();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (isBadgeAlarm(alarm)) void refresh();
  });
  browser.contextMenus.onClicked.addListener((info) => {
    void onMenuClicked(info, { api });
  });
  // A foreign sender gets no listener answer at all (undefined, not a promise of one).
  browser.runtime.onMessage.addListener((message: unknown, sender) =>
    isInternalSender(sender) ? handleMessage(message, sender, handlers) : undefined,
  );

  // The confirm form's note: what is still unsaved when the popup closes is sent from here.
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === NOTE_DRAFT_PORT && isInternalSender(port.sender)) void watchDraftPort(port, api);
  });

  // Signing in or out (here, in another window, or by a 401) and a new API address all change the count.
  sessionAuthItem.watch(() => void refresh());
  localAuthItem.watch(() => void refresh());
  apiBaseItem.watch(() => void refresh());

  // Every wake: the alarm survives restarts but not every update path, and creating it is idempotent.
  void ensureBadgeAlarm();
}
