// A real local D1 (workerd's SQLite, through Miniflare — what wrangler runs) for benchmarks that
// run in Node, and the Worker bundled two ways: as wrangler bundles it (for workerd) and for Node.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { onCleanup, ROOT } from './common.mjs';

const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CI: 'true',
};

export const COMPATIBILITY_DATE =
  /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ??
  '2026-04-20';

/** The Worker's settings for local runs (what .dev.vars gives `npm start`), fixed for repeatability. */
export const WORKER_VARS = {
  ENVIRONMENT: 'development',
  EMAIL_TRANSPORT: 'mailbox',
  EMAIL_FROM: 'Caseload <no-reply@caseload.local>',
  PUBLIC_URL: 'http://127.0.0.1:8787',
  ADMIN_TOKEN: 'bench-admin-token-not-a-secret-0123456789',
  NOTES_KEY: Buffer.alloc(32, 7).toString('base64'),
};

export function tempDir(tag) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `caseload-bench-${tag}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The migrations, statement by statement: split on `;` outside quotes, comments and a trigger's BEGIN … END. */
export function migrationStatements() {
  const dir = path.join(ROOT, 'worker/migrations');
  const out = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    let current = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (!quoted && ch === '-' && text[i + 1] === '-') {
        while (i < text.length && text[i] !== '\n') i++;
        current += '\n';
        continue;
      }
      if (ch === "'") quoted = !quoted; // '' inside a string toggles twice: still right
      current += ch;
      if (ch === ';' && !quoted) {
        if (/\bBEGIN\b/i.test(current) && !/\bEND\s*;$/i.test(current.trim())) continue; // inside a trigger body
        if (current.trim() !== ';') out.push(current.trim());
        current = '';
      }
    }
  }
  return out;
}

/** wrangler's own bundle of the Worker (`wrangler deploy --dry-run`), the code `wrangler dev` runs. */
export function bundleForWorkerd() {
  const dir = tempDir('bundle');
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', dir], {
    cwd: ROOT,
    env: OFFLINE_ENV,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}${r.stderr}`);
  return path.join(dir, 'index.js');
}

/**
 * The Worker bundled for Node with esbuild (wrangler's own dependency), to run `app.fetch` in-process.
 * `bundlePath` is the file (a CPU profile's frames point into it).
 */
export async function importWorkerInNode() {
  const bundlePath = await bundleForNode();
  return Object.assign(Object.create(null), await import(bundlePath), { bundlePath });
}

async function bundleForNode() {
  const { build } = await import('esbuild');
  const dir = tempDir('node');
  const outfile = path.join(dir, 'worker.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'worker/index.ts')],
    absWorkingDir: ROOT, // the bundle's `// path` comments are relative to it (lib/profile.mjs reads them)
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // `ics` is CommonJS; give its require() a real one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

// The other side of the shim below: a Worker holding the real D1 binding, one statement or batch per request.
const RPC_WORKER = `
const bound = (db, s) => db.prepare(s.sql).bind(...s.params);
export default {
  async fetch(req, env) {
    const { op, stmts, arg } = await req.json();
    try {
      let result;
      if (op === 'batch') result = await env.DB.batch(stmts.map((s) => bound(env.DB, s)));
      else if (op === 'exec') result = await env.DB.exec(stmts[0].sql);
      else {
        const s = bound(env.DB, stmts[0]);
        if (op === 'first') result = await (arg === undefined ? s.first() : s.first(arg));
        else if (op === 'raw') result = await s.raw(arg);
        else if (op === 'run') result = await s.run();
        else result = await s.all();
      }
      return Response.json({ ok: true, result: result === undefined ? null : result });
    } catch (err) {
      return Response.json({ ok: false, error: String(err && err.message || err) });
    }
  },
};`;

/**
 * A D1Database for code running in Node, backed by a real local D1: each statement (or batch) is one
 * HTTP round trip to a Worker that runs it on its D1 binding. Miniflare's own binding proxy costs
 * three round trips per query (prepare, bind, run); this one costs one. The time and CPU this process
 * spends inside D1 calls are counted (`stats`) so benchmarks can report the Worker's CPU without them,
 * as Cloudflare does (D1 is I/O to the Worker).
 */
export class D1Shim {
  constructor(url) {
    this.url = url;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.stats = { calls: 0, cpuMs: 0, wallMs: 0 };
    /**
     * When an array, every call is recorded in it: { op, sql: [statement text …], done, result } — what a
     * round trip carried (round-trips.mjs) and what D1 answered (a tape for ReplayD1, cpu-per-request.mjs).
     */
    this.trace = null;
    this.inFlight = 0;
    this.spanCpu = null;
    this.spanWall = 0;
  }

  async rpc(op, stmts, arg) {
    // Count the union of the spans during which a call is in flight, so overlapping calls count once.
    if (this.inFlight++ === 0) {
      this.spanCpu = process.cpuUsage();
      this.spanWall = performance.now();
    }
    this.stats.calls++;
    const traced = this.trace ? { op, sql: stmts.map((s) => s.sql), done: false } : null;
    this.trace?.push(traced);
    let body;
    try {
      body = await this.post(JSON.stringify({ op, stmts, arg }));
    } finally {
      if (traced) traced.done = true;
      if (--this.inFlight === 0) {
        const d = process.cpuUsage(this.spanCpu);
        this.stats.cpuMs += (d.user + d.system) / 1000;
        this.stats.wallMs += performance.now() - this.spanWall;
      }
    }
    if (!body.ok) throw new Error(body.error);
    if (traced) traced.result = body.result;
    return body.result;
  }

  /** One POST on a kept-alive connection: node:http makes far less garbage than fetch() for this. */
  post(payload) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (err) {
              reject(err);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  prepare(sql) {
    return new ShimStatement(this, sql, []);
  }

  batch(statements) {
    return this.rpc(
      'batch',
      statements.map((s) => ({ sql: s.sql, params: s.params })),
    );
  }

  exec(sql) {
    return this.rpc('exec', [{ sql, params: [] }]);
  }

  resetStats() {
    this.stats = { calls: 0, cpuMs: 0, wallMs: 0 };
  }
}

class ShimStatement {
  constructor(db, sql, params) {
    this.db = db;
    this.sql = sql;
    this.params = params;
  }
  bind(...params) {
    return new ShimStatement(
      this.db,
      this.sql,
      params.map((p) => (typeof p === 'bigint' ? Number(p) : p === undefined ? null : p)),
    );
  }
  first(column) {
    return this.db.rpc('first', [{ sql: this.sql, params: this.params }], column);
  }
  all() {
    return this.db.rpc('all', [{ sql: this.sql, params: this.params }]);
  }
  run() {
    return this.db.rpc('run', [{ sql: this.sql, params: this.params }]);
  }
  raw(opts) {
    return this.db.rpc('raw', [{ sql: this.sql, params: this.params }], opts);
  }
}

/**
 * A D1Database that answers from a D1Shim trace of one request instead of calling D1: the same request
 * run again on it takes the same path through the Worker with no I/O and no D1 client at all, so its
 * CPU is the Worker's own. Answers are matched by call (operation and SQL), in order; a call that was
 * not recorded throws.
 */
export class ReplayD1 {
  constructor(trace) {
    this.answers = new Map();
    for (const c of trace) {
      const key = ReplayD1.key(c.op, c.sql);
      if (!this.answers.has(key)) this.answers.set(key, []);
      // A copy: the Worker may change what it is given, and a tape can be replayed more than once.
      this.answers.get(key).push(structuredClone(c.result));
    }
  }

  static key(op, sqls) {
    return `${op}\n${sqls.join('\n')}`;
  }

  answer(op, sqls) {
    const queue = this.answers.get(ReplayD1.key(op, sqls));
    if (!queue?.length) throw new Error(`ReplayD1: no recorded answer for ${op} ${sqls.join('; ').slice(0, 200)}`);
    return Promise.resolve(queue.shift());
  }

  prepare(sql) {
    const statement = {
      sql,
      bind: () => statement,
      first: () => this.answer('first', [sql]),
      all: () => this.answer('all', [sql]),
      run: () => this.answer('run', [sql]),
      raw: () => this.answer('raw', [sql]),
    };
    return statement;
  }

  batch(statements) {
    return this.answer(
      'batch',
      statements.map((s) => s.sql),
    );
  }

  exec(sql) {
    return this.answer('exec', [sql]);
  }
}

/**
 * A fresh in-memory local D1 with the migrations applied. `db` is Miniflare's binding proxy (for
 * seeding and EXPLAIN), `shim` the one-round-trip D1Shim; `script`/`bindings` run another Worker on it.
 */
export async function localD1({ scriptPath, bindings = {} } = {}) {
  const mf = new Miniflare({
    workers: [
      {
        name: 'rpc',
        modules: true,
        script: RPC_WORKER,
        compatibilityDate: COMPATIBILITY_DATE,
        d1Databases: { DB: 'bench-db' },
      },
      ...(scriptPath
        ? [
            {
              name: 'app',
              // The one module, given as is: from scriptPath Miniflare would try to resolve every import,
              // and the bundle keeps a few optional dynamic imports (`import("effect")` … of
              // @standard-community's schema converters) that no route runs.
              modules: [{ type: 'ESModule', path: scriptPath, contents: readFileSync(scriptPath, 'utf8') }],
              modulesRoot: path.dirname(scriptPath),
              compatibilityDate: COMPATIBILITY_DATE,
              compatibilityFlags: ['nodejs_compat'],
              d1Databases: { DB: 'bench-db' },
              bindings,
              routes: ['app.local/*'],
            },
          ]
        : []),
    ],
  });
  onCleanup(() => mf.dispose());
  const url = await mf.ready;
  const db = await mf.getD1Database('DB', 'rpc');
  const shim = new D1Shim(url.href);
  onCleanup(() => shim.agent.destroy());
  for (const s of migrationStatements()) await shim.prepare(s).run();
  return { mf, db, shim, url };
}
