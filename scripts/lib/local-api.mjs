// Runs the API locally on the real Workers runtime (wrangler dev + local D1), fully offline.
// Shared by `npm start`, the e2e suite and the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoTaxIdSql } from './demo-tax-id.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');

/** Wrangler with every outside lookup turned off (see docs/TESTING.md). */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CI: process.env.CI ?? 'true', // no interactive prompts (migrations apply asks otherwise)
};

/** Local secrets and settings, written once; wrangler dev reads .dev.vars. */
export function ensureDevVars(port = 8787) {
  const file = path.join(ROOT, '.dev.vars');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      [
        'ENVIRONMENT=development',
        'EMAIL_TRANSPORT=mailbox',
        'EMAIL_FROM=Caseload <no-reply@caseload.local>',
        `PUBLIC_URL=http://127.0.0.1:${port}`,
        `ADMIN_TOKEN=${randomBytes(24).toString('base64url')}`,
        `NOTES_KEY=${randomBytes(32).toString('base64')}`,
        '',
      ].join('\n'),
    );
  }
  let text = readFileSync(file, 'utf8');
  // A .dev.vars written before the Worker required a 32-character ADMIN_TOKEN: give it a new one
  // (/v1/health would otherwise answer 503 misconfigured).
  const admin = /^ADMIN_TOKEN=(.*)$/m.exec(text);
  if (admin && admin[1].length > 0 && admin[1].length < 32) {
    text = text.replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(24).toString('base64url')}`);
    writeFileSync(file, text);
    console.log('.dev.vars: ADMIN_TOKEN was shorter than 32 characters; a new one was written.');
  }
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function run(args, label) {
  const r = spawnSync(WRANGLER, args, { cwd: ROOT, env: OFFLINE_ENV, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${label} failed (wrangler ${args.join(' ')})`);
  }
  return r.stdout;
}

export function applyMigrations(persistTo) {
  return run(
    ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])],
    'Applying migrations',
  );
}

/**
 * The demo provider, its clients and sessions (worker/seed/demo.sql), and — given the local NOTES_KEY —
 * its tax id, sealed under that key, so its billing profile is complete and sessions can be confirmed.
 */
export async function seedDemo(persistTo, notesKey) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caseload-seed-'));
  const file = path.join(dir, 'demo.sql');
  try {
    const sql = readFileSync(path.join(ROOT, 'worker/seed/demo.sql'), 'utf8');
    writeFileSync(file, notesKey ? `${sql}\n${await demoTaxIdSql(notesKey)}\n` : sql);
    return run(
      ['d1', 'execute', 'DB', '--local', '--file', file, ...(persistTo ? ['--persist-to', persistTo] : [])],
      'Seeding the demo provider',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts `wrangler dev` in its own process group and waits for /v1/health.
 * `vars` override .dev.vars (e.g. ENVIRONMENT=test for the e2e suite).
 */
export async function startApi({ port = 8787, persistTo, vars = {}, stdio = 'pipe', timeoutMs = 60_000 } = {}) {
  const args = [
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
  ];
  if (persistTo) args.push('--persist-to', persistTo);
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    env: OFFLINE_ENV,
    detached: true,
    stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000).unref();
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) break;
      const body = res.status === 503 ? await res.json().catch(() => null) : null;
      if (body?.error?.code === 'misconfigured') {
        await stop();
        throw new Error(`The API is misconfigured: ${body.error.problems.join('; ')}`);
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The API did not answer ${url}/v1/health within ${timeoutMs / 1000}s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, stop, output: () => output };
}

/** Runs the cron handler once (wrangler dev does not fire crons by itself). */
export async function runCron(url) {
  await fetch(`${url}/__scheduled?cron=${encodeURIComponent('* * * * *')}`).catch(() => {});
}
