// Two Vitest projects run by one `vitest run`: the Worker inside the real Workers
// runtime (workerd + real D1), and shared/extension code in happy-dom.
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import preact from '@preact/preset-vite';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { type Request, Response } from 'miniflare';
import { fiscalYears, yearDigest } from './scripts/gen-icd10.mjs';

/** Runs tools/x12valid on the posted file (Node side: workerd cannot start a process). */
async function validateX12(request: Request): Promise<Response> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'x12-'));
  try {
    const file = path.join(dir, 'claims.x12');
    writeFileSync(file, await request.text());
    const tool = path.join(import.meta.dirname, 'tools/x12valid');
    const { ok, output } = await new Promise<{ ok: boolean; output: string }>((resolve) =>
      execFile(tool, [file], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ ok: !error, output: `${stdout}${stderr}`.replaceAll(file, 'FILE') }),
      ),
    );
    return Response.json({ ok, output });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
                  ADMIN_TOKEN: 'test-admin-token-not-a-secret-0123456789',
                  NOTES_KEY: 'dGVzdC1ub3Rlcy1rZXktMzItYnl0ZXMtbG9uZyEhISE=',
                },
                // The independent 837P validator (tools/x12valid, pyx12 in Python) as a service the
                // Worker tests can call: POST an X12 file, get { ok, output } back.
                serviceBindings: { X12VALID: validateX12 },
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
