// The end-to-end journeys in Firefox: the built add-on (.output/firefox-mv2) in Debian's firefox-esr over
// WebDriver BiDi (puppeteer-core), against the same throwaway `wrangler dev` on a fresh D1 as test/e2e.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e-firefox',
    include: ['test/e2e-firefox/**/*.e2e.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
