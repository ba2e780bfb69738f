// Background service worker: wires menus, alarms and messages from extension/background/*.
import { defineBackground } from 'wxt/utils/define-background';
import { createBackgroundApi } from '../../background/api-instance';
import { setupBackground } from '../../background/setup';

export default defineBackground({
  // Firefox MV2: an event page, stopped when idle like Chrome's service worker.
  persistent: false,
  main() {
    setupBackground(createBackgroundApi());
  },
});
