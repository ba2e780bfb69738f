// `npm start`: the whole product locally — local D1 migrated and seeded, the extension built,
// the API on the real Workers runtime at http://127.0.0.1:8787, emails in /dev/mail.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { applyMigrations, ensureDevVars, ROOT, runCron, seedDemo, startApi } from './lib/local-api.mjs';

const port = Number(process.env.PORT ?? 8787);
const step = (s) => console.log(`\n▸ ${s}`);

step('Local settings (.dev.vars)');
const vars = ensureDevVars(port);

step('Applying D1 migrations to the local database');
applyMigrations();

step('Seeding the demo provider (safe to repeat)');
await seedDemo(undefined, vars.NOTES_KEY);

step('Building the extension (Chrome MV3 and Firefox)');
for (const args of [['build'], ['build', '-b', 'firefox']]) {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('The extension build failed; the API still starts.');
  }
}

step(`Starting the API on http://127.0.0.1:${port}`);
const api = await startApi({ port, stdio: 'inherit' });

// Crons do not fire under wrangler dev: run the outbox/reminder cron every minute ourselves.
const cron = setInterval(() => runCron(api.url), 60_000);

console.log(`
────────────────────────────────────────────────────────────────────
 Caseload is running.

 API            ${api.url}   (health: ${api.url}/v1/health)
 Local mailbox  ${api.url}/dev/mail   (every email the product sends)
 Extension      ${path.join(ROOT, '.output/chrome-mv3')}
                Chrome: chrome://extensions → Developer mode → "Load unpacked" → that folder
                Firefox: about:debugging → This Firefox → "Load Temporary Add-on" →
                         ${path.join(ROOT, '.output/firefox-mv2/manifest.json')}

 Sign in from the toolbar popup as   demo@caseload.local
 The 6-digit code appears in the local mailbox: ${api.url}/dev/mail

 Or with curl:
   curl -s -XPOST ${api.url}/v1/auth/code -H 'content-type: application/json' -d '{"email":"demo@caseload.local"}'
   curl -s ${api.url}/dev/mail.json | grep -o 'sign-in code is [0-9]*' | head -1

 Operations token (ADMIN_TOKEN) is in .dev.vars: ${vars.ADMIN_TOKEN ? `${vars.ADMIN_TOKEN.slice(0, 6)}…` : '(unset)'}
 Stop with Ctrl+C.
────────────────────────────────────────────────────────────────────
`);

const shutdown = async () => {
  clearInterval(cron);
  await api.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
api.child.on('exit', (code) => {
  clearInterval(cron);
  process.exit(code ?? 0);
});
