// Prints the plain closing line CI reads ("N passed, N failed") from Vitest JSON reports: the unit tests
// (.ci-out/vitest.json), the Chromium e2e suite (e2e.json) and the Firefox journeys (e2e-firefox.json).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  // A suite that ran leaves its report; none (a browser that never started, a crashed runner) is a failure.
  if (!existsSync(file)) {
    failed += 1;
    console.log(`${file}: no report`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed of ${r.numTotalTests}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
