// `npm run bench`: runs every benchmark in this folder, one after another; exits non-zero if any misses its goal.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

let failed = 0;
for (const file of readdirSync(import.meta.dirname).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs').sort()) {
  console.log(`\n▸ ${file}`);
  const r = spawnSync(process.execPath, [path.join(import.meta.dirname, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
