// Measure 2 — the API under load. `wrangler dev` on loopback (a throwaway local D1 seeded with the
// benchmark clinic), autocannon at a fixed concurrency for a fixed time per route, one route after
// another, with the bare `GET /v1/health?db=0` (no D1) as the baseline in the same run — first and
// again last, to show drift. Latency is every response's own time (autocannon's, in float ms).
//
// Usage: node bench/api-load.mjs   (or npm run bench)
import autocannon from 'autocannon';
import { int, main, ms, ratio, summary, table, writeFragment } from './lib/common.mjs';
import { benchApi, benchApiNoInspector, freePort } from './lib/api.mjs';
import { clinic } from './lib/data.mjs';
import { routes } from './lib/routes.mjs';

const CONNECTIONS = 10;
const WARMUP_S = 2;
const DURATION_S = 8;
const GOALS = { read: 2, write: 3 };
/** The baseline's p99 at the end over its p99 at the start beyond which the pass is flagged as drifting. */
const DRIFT = 1.5;

/** One autocannon run of `route`; `counter` numbers the requests so writes never repeat. */
async function load(url, route, seconds, counter) {
  const latencies = [];
  const statuses = {};
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req) => {
              const r = route.next(counter.n++);
              return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, time) => {
      latencies.push(time);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  const unexpected = Object.entries(statuses)
    .filter(([s]) => Number(s) !== route.expect)
    .reduce((n, [, c]) => n + c, 0);
  return {
    latency: summary(latencies),
    requests: latencies.length,
    rps: latencies.length / seconds,
    errors: result.errors + result.timeouts + unexpected,
    statuses,
  };
}

/** The D1 round trips one request of `route` makes: the Worker's `x-d1-round-trips` header (not in production). */
async function roundTrips(url, route, counter) {
  const r = route.next(counter.n++);
  const res = await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== route.expect) throw new Error(`${route.name}: ${res.status} ${text.slice(0, 300)}`);
  return res.headers.get('x-d1-round-trips') ?? '?';
}

/** One pass: every route, the baseline first and again last; returns the rows, goals and a Markdown table. */
async function pass(url, data, now, label) {
  const list = routes({ now, mainToken: data.mainToken, confirmTokens: data.confirmTokens }).filter(
    (r) => r.kind !== 'calibration',
  );
  const results = [];
  const counters = new Map(list.map((r) => [r, { n: 0 }]));
  for (const route of [...list, list[0]]) {
    const counter = counters.get(route);
    const trips = await roundTrips(url, route, counter);
    await load(url, route, WARMUP_S, counter); // warm-up, discarded
    const r = await load(url, route, DURATION_S, counter);
    console.log(
      `[${label}] ${route.name.padEnd(45)} p50 ${ms(r.latency.median).padStart(9)}  p99 ${ms(r.latency.p99).padStart(9)}  ${r.rps.toFixed(0).padStart(5)} req/s  errors ${r.errors}`,
    );
    results.push({ route, trips, ...r });
  }
  const base = results[0];
  const baseEnd = results[results.length - 1];
  const rows = results.slice(0, -1).map((r) => ({ ...r, ratio: r.latency.p99 / base.latency.p99 }));
  const goals = rows
    .filter((r) => r.route.kind !== 'baseline')
    .map((r) => ({
      goal: `[${label}] p99 ≤ ${GOALS[r.route.kind]}× the baseline's p99: ${r.route.short}`,
      actual: ratio(r.ratio),
      met: r.ratio <= GOALS[r.route.kind],
    }));
  const drift = baseEnd.latency.p99 / base.latency.p99;
  const errorCount = rows.reduce((n, r) => n + r.errors, 0) + baseEnd.errors;
  goals.push({
    goal: `[${label}] errors = 0 (connection errors, timeouts and unexpected statuses)`,
    actual: String(errorCount),
    met: errorCount === 0,
  });
  const md = [
    table(
      ['route', 'D1 round trips', 'p50', 'p95', 'p99', 'p99 / baseline p99', 'goal', 'req/s', 'requests', 'errors'],
      rows.map((r) => [
        r.route.name,
        r.trips,
        ms(r.latency.median),
        ms(r.latency.p95),
        ms(r.latency.p99),
        ratio(r.ratio),
        r.route.kind === 'baseline'
          ? ''
          : `≤ ${GOALS[r.route.kind]}× ${r.ratio <= GOALS[r.route.kind] ? 'met' : '**missed**'}`,
        r.rps.toFixed(0),
        int(r.requests),
        r.errors,
      ]),
    ),
    '',
    `Baseline again at the end (drift check): p50 ${ms(baseEnd.latency.median)}, p99 ${ms(baseEnd.latency.p99)}, ${baseEnd.errors} errors.${
      drift > DRIFT || drift < 1 / DRIFT
        ? ` **The baseline's p99 moved ${ratio(drift)} during this pass**: the machine's load changed under it (other work on the shared cores), so this pass's ratios are unreliable — run again.`
        : ''
    }`,
    ...(errorCount > 0
      ? ['', `Status codes: ${rows.map((r) => `${r.route.short} ${JSON.stringify(r.statuses)}`).join('; ')}`]
      : []),
  ].join('\n');
  const summaryRows = rows.map((r) => ({
    measure: `Load [${label}]: ${r.route.short}${r.route.kind === 'baseline' ? ' (baseline)' : ''}`,
    median: ms(r.latency.median),
    p95: ms(r.latency.p95),
    p99: ms(r.latency.p99),
    ratio: `${ratio(r.ratio)} (p99)`,
    goal: r.route.kind === 'baseline' ? 'errors = 0' : `p99 ≤ ${GOALS[r.route.kind]}×, errors = 0`,
    met: r.route.kind === 'baseline' ? r.errors === 0 : r.ratio <= GOALS[r.route.kind] && r.errors === 0,
    note: `${r.rps.toFixed(0)} req/s, ${r.errors} errors`,
  }));
  return { rows: summaryRows, goals, md, results: rows };
}

/** The paragraph under the tables, from this run's figures. */
function whyTheRatios(cli, quiet) {
  const trips = (kind) => [...new Set(quiet.filter((r) => r.route.kind === kind).map((r) => r.trips))].join(' or ');
  const slower = cli
    .filter((r) => r.route.kind !== 'baseline')
    .map((r) => quiet.find((q) => q.route.name === r.route.name).rps / r.rps);
  const range = `${Math.min(...slower).toFixed(1)}–${Math.max(...slower).toFixed(1)}×`;
  return `**Why the ratios are what they are.** At ${CONNECTIONS} connections on 2 cores every route saturates the machine, so latency ≈ connections ÷ throughput and a route's p99 ratio is roughly its cost per request over the bare route's. The bare route does no I/O; the others make the D1 round trips of the table (the Worker's \`x-d1-round-trips\`; measure 6 lists them per route): ${trips('read')} for the reads — the token lookup, then the route's reads with their audit row in one batch — and ${trips('write')} for the POSTs — the token lookup with the Idempotency-Key's record in one batch, the reads and checks in one batch, then one write batch that saves the response under the key with the change and its audit rows (the layering rework cut the POSTs from about 8 and the list and search from 3). In the local stack every round trip costs far more CPU than the Worker's own code (measure 3 separates the two), and with the command-line \`wrangler dev\` the inspector costs more again: the D1 routes serve ${range} more requests a second with it off. What is left is the number of D1 round trips per request and the local D1's CPU for each; in production D1 they cost network time rather than this local CPU.`;
}

await main(
  'api-load',
  async () => {
    const now = new Date().toISOString();
    // Fresh data for each pass (the writes consume the confirm pools and fill the calendar).
    const dataA = clinic({ now, others: 20, othersSessions: 1000, confirmProviders: 10, confirmPool: 2000 });
    const portA = await freePort(18787);
    let t = performance.now();
    const apiA = await benchApi({ port: portA, statements: dataA.statements, tag: 'load' });
    console.log(`wrangler dev on ${apiA.url}, seeded, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const a = await pass(apiA.url, dataA, now, 'wrangler dev');
    await apiA.stop();

    const dataB = clinic({ now, others: 20, othersSessions: 1000, confirmProviders: 10, confirmPool: 2000 });
    const portB = await freePort(18797);
    t = performance.now();
    const apiB = await benchApiNoInspector({ port: portB, statements: dataB.statements });
    console.log(
      `startWorker (inspector off) on ${apiB.url}, seeded, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const b = await pass(apiB.url, dataB, now, 'inspector off');

    const body = [
      `Local D1, loopback, seeded with the benchmark clinic: the provider read has 300 clients and a year of calendar (≈1,500 sessions, 12 to confirm), 20 providers × 1,000 sessions around it, and 10 providers × 2,000 past sessions for the confirms. autocannon ${CONNECTIONS} connections, ${WARMUP_S} s warm-up (discarded) then ${DURATION_S} s per route, routes one after another; writes send an Idempotency-Key like the extension. The load tool shares the 2 cores with workerd, so absolute figures are this machine's; the ratios are the point.`,
      '',
      '**`wrangler dev`** (the command line, as `npm start` runs it):',
      '',
      a.md,
      '',
      "**The same with the DevTools inspector off** (wrangler's `unstable_startWorker` with `dev.inspector: false`; same bundle, workerd and local D1). `wrangler dev` always attaches its inspector, which forwards every subrequest — every D1 query, with its response body — to wrangler's Node process: that costs more CPU per query than the query itself, and production has nothing like it.",
      '',
      b.md,
      '',
      whyTheRatios(a.results, b.results),
    ].join('\n');
    writeFragment({
      id: '2-api-load',
      title: '2. API under load',
      rows: [...a.rows, ...b.rows],
      body,
      goals: [...a.goals, ...b.goals],
    });
  },
  { timeoutMs: 400_000 },
);
