// Times the badge query (GET /v1/appointments/unconfirmed/count) on a real local D1 — workerd's SQLite,
// through Miniflare, the engine wrangler runs — at 1,000 and then 100,000 appointments of one provider,
// in the same run, and prints the ratio (goal ≤ 1.2: the count must not grow with history).
//
// Usage: node bench/unconfirmed-count.mjs   (or npm run bench)
// The query text is read from worker/db/appointments.ts so the bench times exactly what the API runs.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Miniflare } from 'miniflare';

const ROOT = path.resolve(import.meta.dirname, '..');
const PROVIDER = 'prv_bench';
const NOW = '2026-12-01T12:00:00.000Z';
const UNCONFIRMED = 12; // the backlog the badge shows, the same in both runs
const RUNS = 400;

function countSql() {
  const src = readFileSync(path.join(ROOT, 'worker/db/appointments.ts'), 'utf8');
  const m = /export const UNCONFIRMED_COUNT_SQL =\s*((?:\s*"[^"]*"\s*\+?)+);/.exec(src);
  if (!m) throw new Error('UNCONFIRMED_COUNT_SQL not found in worker/db/appointments.ts');
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]).join('');
}

/** The migrations, statement by statement: split on `;` outside quotes, comments and a trigger's BEGIN … END. */
function migrationStatements() {
  const dir = path.join(ROOT, 'worker/migrations');
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
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

// Sessions of one provider going back in time from NOW, 50 minutes each, one every 3 hours (never
// overlapping): the most recent UNCONFIRMED still `scheduled`, the rest of history confirmed or cancelled.
function historySql(from, to) {
  return `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})
    INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status, created_at, updated_at)
    SELECT 'apt_b' || i, '${PROVIDER}', 'cli_bench',
      strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW}', '-' || (i * 3) || ' hours'),
      strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW}', '-' || (i * 3) || ' hours', '+50 minutes'),
      50, 'office',
      CASE WHEN i <= ${UNCONFIRMED} THEN 'scheduled' WHEN i % 10 = 0 THEN 'canceled' ELSE 'confirmed' END,
      '${NOW}', '${NOW}'
    FROM n`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const BATCH = 200;

/**
 * Median time of one query, two ways: one round trip per query (what a request pays, mostly the
 * round trip), and per query inside batches of 200 (one round trip shared, so SQLite's own work shows).
 */
async function time(db, sql) {
  const stmt = db.prepare(sql).bind(PROVIDER, NOW, PROVIDER, NOW);
  let result;
  for (let i = 0; i < 50; i++) result = await stmt.first(); // warm up
  const wall = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await stmt.all();
    wall.push(performance.now() - t);
  }
  const batched = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await db.batch(Array.from({ length: BATCH }, () => stmt));
    batched.push((performance.now() - t) / BATCH);
  }
  return { result, wall: median(wall), batched: median(batched) };
}

const mf = new Miniflare({
  modules: true,
  script: 'export default { fetch() { return new Response("bench"); } }',
  d1Databases: ['DB'],
});
try {
  const db = await mf.getD1Database('DB');
  for (const s of migrationStatements()) await db.prepare(s).run();
  await db.prepare("INSERT INTO providers VALUES (?, 'Bench', 'bench@example.com', '1234567893', 'America/New_York', NULL, ?, ?)").bind(PROVIDER, NOW, NOW).run();
  await db.prepare("INSERT INTO clients (id, provider_id, first_name, last_name, email, email_lower, time_zone, created_at, updated_at) VALUES ('cli_bench', ?, 'B', 'C', 'b@example.com', 'b@example.com', 'America/New_York', ?, ?)").bind(PROVIDER, NOW, NOW).run();
  // A few upcoming sessions too (scheduled, not yet due).
  await db.prepare(`INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, created_at, updated_at)
    VALUES ('apt_next', ?, 'cli_bench', '2026-12-02T15:00:00.000Z', '2026-12-02T15:50:00.000Z', 50, 'office', ?, ?)`).bind(PROVIDER, NOW, NOW).run();

  const sql = countSql();
  const plan = (await db.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(PROVIDER, NOW, PROVIDER, NOW).all()).results.map((r) => r.detail);
  console.log(`query plan:\n  ${plan.join('\n  ')}`);

  await db.prepare(historySql(1, 999)).run(); // + apt_next = 1,000 rows
  const small = await time(db, sql);
  await db.prepare(historySql(1000, 99_999)).run(); // = 100,000 rows
  const rows = (await db.prepare('SELECT count(*) AS n FROM appointments').first()).n;
  const large = await time(db, sql);

  // For contrast: the same count when SQLite cannot use the partial index (status wrapped in an expression).
  const scanSql = sql.replaceAll("status = 'scheduled'", "status || '' = 'scheduled'");
  const scan = await time(db, scanSql);

  const fmt = (x) => `${x.toFixed(3)} ms`;
  console.log(`\n${'appointments'.padEnd(14)}${'per request'.padEnd(15)}${'per query (batched)'.padEnd(22)}result`);
  console.log(`${'1,000'.padEnd(14)}${fmt(small.wall).padEnd(15)}${fmt(small.batched).padEnd(22)}${JSON.stringify(small.result)}`);
  console.log(`${rows.toLocaleString('en-US').padEnd(14)}${fmt(large.wall).padEnd(15)}${fmt(large.batched).padEnd(22)}${JSON.stringify(large.result)}`);
  console.log(`${'(no index)'.padEnd(14)}${fmt(scan.wall).padEnd(15)}${fmt(scan.batched).padEnd(22)}a table scan at ${rows.toLocaleString('en-US')}, for contrast`);
  const ratio = large.wall / small.wall;
  const sqlRatio = large.batched / small.batched;
  console.log(`\nratio 100,000 / 1,000: per request ${ratio.toFixed(2)}, per query batched ${sqlRatio.toFixed(2)}   goal ≤ 1.2: ${Math.max(ratio, sqlRatio) <= 1.2 ? 'met' : 'NOT met'}`);
  if (small.result.count !== UNCONFIRMED || large.result.count !== UNCONFIRMED) throw new Error('unexpected count');
  process.exitCode = Math.max(ratio, sqlRatio) <= 1.2 ? 0 : 1;
} finally {
  await mf.dispose();
}
