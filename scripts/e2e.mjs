// `npm run test:e2e`: builds the extension, then runs test/e2e in real Chromium against a
// throwaway `wrangler dev` with a fresh local D1 (the suite starts and stops the API itself).
// `npm run test:e2e:firefox` (`--firefox`): the Firefox build (.output/firefox-mv2) and test/e2e-firefox in
// Debian's firefox-esr over WebDriver BiDi, against the same kind of API; its report is .ci-out/e2e-firefox.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/local-api.mjs';

const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);
const started = Date.now();

const firefox = process.argv.includes('--firefox');
const args = process.argv.slice(2).filter((a) => a !== '--firefox');
const name = firefox ? 'e2e-firefox' : 'e2e';

const build = spawnSync(bin('wxt'), firefox ? ['build', '-b', 'firefox'] : ['build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

mkdirSync(path.join(ROOT, '.ci-out'), { recursive: true });
rmSync(path.join(ROOT, `.ci-out/${name}.json`), { force: true }); // never read an earlier run's report
const run = spawnSync(
  bin('vitest'),
  [
    'run',
    '--config',
    `vitest.${name}.config.ts`,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=.ci-out/${name}.json`,
    ...args,
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
const report = path.join(ROOT, `.ci-out/${name}.json`);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  let failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  // A suite that failed outside any test (a hook, an import) still fails the run.
  if (run.status !== 0 && failed === 0) failed = Math.max(1, r.numFailedTestSuites ?? 0);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${name} finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
} else {
  console.log(
    `${name} finished in ${((Date.now() - started) / 1000).toFixed(1)} s (no report: ${path.relative(ROOT, report)})`,
  );
}
process.exit(run.status ?? 1);
