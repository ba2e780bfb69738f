// `wrangler dev` for the benchmarks: a throwaway local D1 in a temp dir, migrated and seeded from SQL
// statements, the API on 127.0.0.1:<port>, stopped (its whole process group) at cleanup.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations, OFFLINE_ENV, startApi } from '../../scripts/lib/local-api.mjs';
import { onCleanup, ROOT, sleep } from './common.mjs';
import { tempDir, WORKER_VARS } from './d1.mjs';

export async function answers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** The first port from `from` on which nothing answers. */
export async function freePort(from) {
  for (let port = from; port < from + 20; port++) {
    if (!(await answers(`http://127.0.0.1:${port}/`))) return port;
  }
  throw new Error(`no free port in ${from}–${from + 19}`);
}

/** How much SQL one `wrangler d1 execute --file` takes: it runs the file as one SQL text, which D1 caps at 100 KB. */
const SEED_FILE_BYTES = 90_000;

/** Runs SQL statements into the local D1 at `persistTo` (before wrangler dev opens it), in files under D1's limit. */
export function seedLocal(persistTo, statements) {
  const files = [[]];
  let size = 0;
  for (const s of statements.map((x) => `${x.trim()};`)) {
    if (size + s.length > SEED_FILE_BYTES && files.at(-1).length > 0) {
      files.push([]);
      size = 0;
    }
    files.at(-1).push(s);
    size += s.length + 1;
  }
  files.forEach((part, i) => {
    const file = path.join(persistTo, `bench-seed-${i}.sql`);
    writeFileSync(file, part.join('\n'));
    const r = spawnSync(
      path.join(ROOT, 'node_modules/.bin/wrangler'),
      ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file],
      { cwd: ROOT, env: OFFLINE_ENV, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`seeding failed (${file}):\n${r.stdout}${r.stderr}`);
  });
}

/** wrangler dev on a fresh, seeded local D1; `port` is waited for when busy (up to waitMs), then refused. */
export async function benchApi({ port, statements, waitMs = 0, tag = 'api' }) {
  const deadline = Date.now() + waitMs;
  while (await answers(`http://127.0.0.1:${port}/v1/health`)) {
    if (Date.now() > deadline)
      throw new Error(
        `Something is already listening on 127.0.0.1:${port} (an \`npm start\` or an e2e run?). Stop it and run again.`,
      );
    console.log(`127.0.0.1:${port} is busy; waiting for it to be free…`);
    await sleep(5000);
  }
  const persistTo = tempDir(tag);
  applyMigrations(persistTo);
  seedLocal(persistTo, statements);
  const api = await startApi({ port, persistTo, vars: { ...WORKER_VARS, PUBLIC_URL: `http://127.0.0.1:${port}` } });
  onCleanup(async () => {
    await api.stop();
    // Free once nothing answers there any more.
    const until = Date.now() + 10_000;
    while ((await answers(`${api.url}/v1/health`)) && Date.now() < until) await sleep(100);
  });
  return { ...api, persistTo };
}

/**
 * The same local dev server, started through wrangler's own API (`unstable_startWorker`, what
 * `wrangler dev` runs) with the DevTools inspector off: `wrangler dev` from the command line always
 * attaches it, and it then forwards every subrequest — each D1 query — with its body to wrangler's
 * Node process. Everything else is as `wrangler dev`: the same bundle, workerd, local D1.
 */
export async function benchApiNoInspector({ port, statements, tag = 'api-noinspector' }) {
  Object.assign(process.env, {
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
  });
  const { unstable_startWorker } = await import('wrangler');
  const persistTo = tempDir(tag);
  applyMigrations(persistTo);
  seedLocal(persistTo, statements);
  const vars = { ...WORKER_VARS, PUBLIC_URL: `http://127.0.0.1:${port}` };
  const worker = await unstable_startWorker({
    config: path.join(ROOT, 'wrangler.toml'),
    bindings: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: 'plain_text', value: v }])),
    dev: {
      persist: persistTo,
      inspector: false,
      server: { hostname: '127.0.0.1', port },
      logLevel: 'warn',
      watch: false,
    },
  });
  onCleanup(() => worker.dispose());
  await worker.ready;
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while (!(await answers(`${url}/v1/health`))) {
    if (Date.now() > until) throw new Error(`the Worker did not answer on ${url}`);
    await sleep(200);
  }
  return { url, persistTo };
}
