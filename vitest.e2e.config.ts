// The end-to-end suite: the built extension in real Chromium against `wrangler dev` on a fresh D1.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    // One journey per file; each makes its own provider, so any one runs alone and in any order.
    include: ['test/e2e/**/*.e2e.ts'],
    // The one throwaway API of the run (wrangler dev, fresh local D1), shared by every file.
    globalSetup: ['test/e2e/support/global-setup.ts'],
    environment: 'node',
    // One at a time: the API is on the extension's fixed port 8787, and the offline journey stops it.
    fileParallelism: false,
    // Files share one worker and its imports (playwright-core, the support modules): each still builds
    // its own state, so this only saves re-importing them per file.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
