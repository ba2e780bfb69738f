// Two Vitest projects run by one `vitest run`: the Worker inside the real Workers
// runtime (workerd + real D1), and shared/extension code in happy-dom.
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import preact from '@preact/preset-vite';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fiscalYears, yearDigest } from './scripts/gen-icd10.mjs';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'worker/migrations'));
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  TEST_SEED_SQL: readFileSync(path.join(import.meta.dirname, 'worker/seed/demo.sql'), 'utf8'),
                  // The committed OpenAPI document, compared with the one the Worker serves.
                  OPENAPI_JSON: readFileSync(path.join(import.meta.dirname, 'docs/openapi.json'), 'utf8'),
                  // What the ICD-10-CM table must hold, per fiscal year, computed from data/icd10cm/*.tsv.
                  ICD10CM_DIGESTS: JSON.stringify(fiscalYears().map(yearDigest)),
                  ENVIRONMENT: 'test',
                  EMAIL_TRANSPORT: 'mailbox',
                  PUBLIC_URL: 'http://127.0.0.1:8787',
                  ADMIN_TOKEN: 'test-admin-token',
                  NOTES_KEY: 'dGVzdC1ub3Rlcy1rZXktMzItYnl0ZXMtbG9uZyEhISE=',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            // `ics` is CommonJS and require()s the ESM-first `nanoid`; the module runner in workerd
            // returns undefined for that require unless Vite pre-bundles the package (wrangler's
            // esbuild bundle for `npm start` and deploys handles it on its own).
            deps: { optimizer: { ssr: { enabled: true, include: ['ics'] } } },
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/setup.ts'],
          },
        },
        {
          plugins: [WxtVitest(), preact()],
          test: {
            name: 'unit',
            environment: 'happy-dom',
            include: ['test/shared/**/*.test.ts', 'test/extension/**/*.test.{ts,tsx}', 'test/repo/**/*.test.ts'],
          },
        },
      ],
    },
  };
});
