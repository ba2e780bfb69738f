// WXT build of the Caseload extension (Chrome MV3 and Firefox).
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The local API (`npm start`) answers on both names; only these origins are granted at install.
const DEFAULT_API_ORIGINS = ['http://127.0.0.1:8787/*', 'http://localhost:8787/*'];

// Another API address (a deployed Worker, another local port) is asked for at run time from the
// options page, one origin at a time, with permissions.request(); these patterns only bound what
// may be asked for. A match pattern without a port matches every port of that host.
const OPTIONAL_API_ORIGINS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];

export default defineConfig({
  srcDir: 'extension',
  modules: ['@wxt-dev/webextension-polyfill'],
  // CASELOAD_SOURCEMAP=1 emits source maps, to see what makes up the popup's 20 KB budget.
  vite: () => ({ plugins: [preact()], build: { sourcemap: process.env.CASELOAD_SOURCEMAP === '1' } }),
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Caseload',
    description: 'Add clients, schedule and confirm therapy sessions from the toolbar.',
    permissions: [
      'storage', // the sign-in token, the API address, the pending scheduler prefill and form drafts
      'alarms', // refreshes the unconfirmed-sessions badge every 5 minutes while the worker sleeps
      'contextMenus', // "Schedule session" on selected text
      // MV2 (Firefox) has no optional_host_permissions: the optional origins are optional permissions there.
    ],
    // The API origin only; WXT folds these into `permissions` for MV2.
    host_permissions: DEFAULT_API_ORIGINS,
    ...(manifestVersion === 3
      ? { optional_host_permissions: OPTIONAL_API_ORIGINS }
      : { optional_permissions: OPTIONAL_API_ORIGINS }),
    action: { default_title: 'Caseload' },
    commands: {
      // Opens the popup from the keyboard (the browser's own command; users may rebind it).
      [manifestVersion === 3 ? '_execute_action' : '_execute_browser_action']: {
        suggested_key: { default: 'Ctrl+Shift+Y', mac: 'Command+Shift+Y' },
        description: 'Open Caseload',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'caseload@caseload.dev',
          strict_min_version: '115.0', // storage.session
          // Client names, emails and progress notes go to the provider's own Caseload API.
          data_collection_permissions: { required: ['healthInfo', 'personallyIdentifyingInfo'] },
        },
      },
    }),
  }),
});
