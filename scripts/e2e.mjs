// `npm run test:e2e`: builds the extension, then runs test/e2e in real Chromium against a
// throwaway `wrangler dev` with a fresh local D1 (the suite starts and stops the API itself).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/local-api.mjs';

const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);
const started = Date.now();

const build = spawnSync(bin('wxt'), ['build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

mkdirSync(path.join(ROOT, '.ci-out'), { recursive: true });
rmSync(path.join(ROOT, '.ci-out/e2e.json'), { force: true }); // never read an earlier run's report
const run = spawnSync(
  bin('vitest'),
  [
    'run',
    '--config',
    'vitest.e2e.config.ts',
    '--reporter=default',
    '--reporter=json',
    '--outputFile=.ci-out/e2e.json',
    ...process.argv.slice(2),
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true',
    },
  },
);
// The plain closing line CI reads (docs/TESTING.md): Vitest's own summary is not parsed.
const report = path.join(ROOT, '.ci-out/e2e.json');
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  let failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  // A suite that failed outside any test (a hook, an import) still fails the run.
  if (run.status !== 0 && failed === 0) failed = Math.max(1, r.numFailedTestSuites ?? 0);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
} else {
  console.log(
    `e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s (no report: ${path.relative(ROOT, report)})`,
  );
}
process.exit(run.status ?? 1);
