// `npm run openapi`: writes docs/openapi.json — the OpenAPI 3.1 document the Worker serves at
// GET /v1/openapi.json, generated from the /v1 route chain (worker/routes/docs.ts). `--check`
// fails when the committed file differs from what the code generates (CI, and
// test/worker/openapi.test.ts checks the served document against the same file).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs/openapi.json');

/** The document, as the Worker generates it (the same modules, bundled for Node). */
export async function generate() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caseload-openapi-'));
  const file = path.join(dir, 'spec.mjs');
  try {
    await build({
      stdin: {
        contents:
          "export { v1 } from './worker/routes/v1.ts'; export { openApiDocument } from './worker/routes/docs.ts';",
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: file,
      logLevel: 'error',
      // CommonJS dependencies (ics) require() Node built-ins from inside the ESM bundle.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { v1, openApiDocument } = await import(pathToFileURL(file).href);
    return `${JSON.stringify(await openApiDocument(v1), null, 2)}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = await generate();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(OUT, 'utf8');
  } catch {
    // missing: differs
  }
  if (committed !== text) {
    console.error('docs/openapi.json differs from what the routes generate: run `npm run openapi` and commit it.');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date');
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(ROOT, OUT)} (${Object.keys(JSON.parse(text).paths).length} paths)`);
}
