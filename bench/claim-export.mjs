// Measure 8 — exporting claims to one 837P file (issue 13). POST /v1/claims/exports for 1,000 ready
// claims in one request, next to a 100-claim baseline in the same run. The Worker (worker/index.ts
// bundled for Node, as measure 3) is called in-process on a real local D1 through the one-round-trip
// shim; CPU is process.cpuUsage() around the request minus the CPU spent inside D1 calls (D1 is I/O to
// a Worker, not its CPU time). Then each export is replayed on its recorded D1 answers (ReplayD1):
// the Worker alone, no I/O — its median over the replays is the figure compared with the limit.
// Goals: within the Workers CPU limit (30 s per request on the Standard plan; the free plan's 10 ms
// is not a plan a practice bills on), and the cost per claim does not grow with the batch (1,000
// claims' CPU per claim ≤ 1.2 × 100 claims'). The 1,000-claim file is also judged by tools/x12valid.
//
// Usage: node bench/claim-export.mjs   (or npm run bench -- claim-export)
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { int, main, ms, ratio, ROOT, summary, table, writeFragment } from './lib/common.mjs';
import { importWorkerInNode, localD1, ReplayD1, tempDir, WORKER_VARS } from './lib/d1.mjs';
import { CONFIRM_BODY, clientsSql, newToken, pastSessionsSql, providerSql } from './lib/data.mjs';

const SIZES = [100, 1000];
const REPLAYS = 15;
const CPU_LIMIT_MS = 30_000;
const GOAL_RATIO = 1.2;

/** A complete billing profile and a fee for the code the pool is confirmed with (CONFIRM_BODY: 90832). */
const PROFILE = {
  billingName: 'Export, Bench',
  entity: 'person',
  taxId: { type: 'EIN', value: '12-3456789' },
  taxonomyCode: '101YP2500X',
  address: { line1: '200 Park Ave', line2: 'Suite 1200', city: 'New York', state: 'NY', postalCode: '10166-0005' },
  phone: '212-555-0150',
  edi: {
    submitterId: 'SUB123',
    submitterName: 'Bench Export',
    receiverId: 'OFFALLY',
    receiverName: 'Office Ally',
    usage: 'test',
  },
};
const FEES = { items: [{ cptCode: '90832', amountCents: 11_000 }] };

await main(
  'claim-export',
  async () => {
    const now = new Date().toISOString();
    const bundle = await importWorkerInNode();
    const worker = bundle.default;
    const { shim } = await localD1();
    const env = { ...WORKER_VARS, DB: shim };

    // kysely-d1 warns once per process about a renamed field; keep the output readable.
    const warn = console.warn;
    console.warn = (...args) => (String(args[0]).includes('outdated driver') ? undefined : warn(...args));

    async function call(method, url, token, body, db = shim) {
      const pending = [];
      const ctx = { waitUntil: (p) => pending.push(p), passThroughOnException() {}, props: {} };
      const headers = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (method === 'POST') headers['idempotency-key'] = randomUUID();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await worker.fetch(
        new Request(`http://127.0.0.1:8787${url}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        { ...env, DB: db },
        ctx,
      );
      const text = await res.text();
      await Promise.all(pending);
      const c = process.cpuUsage(c0);
      return { status: res.status, text, cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
    }
    const ok = (r, status, what) => {
      if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
      return r;
    };

    // Each size its own provider: a roster, then `n` past 20-minute sessions (the newest ended an
    // hour ago, the oldest two weeks before), each confirmed through the API — n ready claims.
    const providers = SIZES.map((n) => ({ n, id: `prv_export${n}`, token: newToken(), prefix: `apt_x${n}_` }));
    const t = performance.now();
    for (const p of providers) {
      const statements = [
        ...providerSql({
          id: p.id,
          email: `export${p.n}@caseload.local`,
          name: `Dr. Export ${p.n}`,
          now,
          token: p.token,
        }),
        ...clientsSql({ providerId: p.id, prefix: `cli_x${p.n}`, count: 50, now }),
        pastSessionsSql({
          providerId: p.id,
          clientPrefix: `cli_x${p.n}`,
          clients: 50,
          prefix: p.prefix,
          count: p.n,
          everyMinutes: 20,
          durationMinutes: 20,
          endsAgoMinutes: 60,
          status: "'scheduled'",
          now,
        }),
      ];
      for (const s of statements) await shim.prepare(s).run();
      // The profile through the API (the seeded one's tax id is a stand-in an export cannot open).
      ok(await call('PUT', '/v1/me/billing-profile', p.token, PROFILE), 200, 'billing profile');
      ok(await call('PUT', '/v1/me/fees', p.token, FEES), 200, 'fees');
      for (let i = 0; i < p.n; i++) {
        ok(
          await call('POST', `/v1/appointments/${p.prefix}${i}/confirm`, p.token, JSON.parse(CONFIRM_BODY)),
          200,
          'confirm',
        );
      }
    }
    const setupSeconds = (performance.now() - t) / 1000;
    console.log(`${int(SIZES.reduce((a, b) => a + b, 0))} sessions confirmed in ${setupSeconds.toFixed(1)} s`);

    const results = [];
    for (const p of providers) {
      shim.resetStats();
      shim.trace = [];
      const live = ok(await call('POST', '/v1/claims/exports', p.token, {}), 201, 'export');
      const tape = shim.trace;
      shim.trace = null;
      const d1 = { ...shim.stats };
      const created = JSON.parse(live.text);
      if (created.claimCount !== p.n) throw new Error(`exported ${created.claimCount} claims, expected ${p.n}`);
      const file = ok(await call('GET', `/v1/claims/exports/${created.id}/file`, p.token), 200, 'file').text;
      // The Worker alone: the same request on its recorded answers, a few times.
      const alone = [];
      for (let i = 0; i < REPLAYS; i++) {
        alone.push(ok(await call('POST', '/v1/claims/exports', p.token, {}, new ReplayD1(tape)), 201, 'replay').cpu);
      }
      results.push({
        p,
        live: { cpu: Math.max(0, live.cpu - d1.cpuMs), wall: live.wall, d1Calls: d1.calls, d1Wall: d1.wallMs },
        alone: summary(alone),
        file,
        totalCents: created.totalCents,
      });
    }
    console.warn = warn;

    // The biggest file through the independent validator (pyx12), as the Worker suite does for its matrix.
    const big = results.at(-1);
    const filePath = path.join(tempDir('export'), `export-${big.p.n}.x12`);
    writeFileSync(filePath, big.file);
    const judged = spawnSync(path.join(ROOT, 'tools/x12valid'), [filePath], { encoding: 'utf8' });
    const valid = judged.status === 0;
    if (!valid) console.log(judged.stdout.slice(0, 2000));

    const [base, top] = results;
    const perClaim = (r) => r.alone.median / r.p.n;
    const growth = perClaim(top) / perClaim(base);
    const rows = results.map((r) => [
      `${int(r.p.n)} claims`,
      ms(r.alone.median, 1),
      ms(r.alone.p95, 1),
      ms(r.live.cpu, 1),
      ms(r.live.wall, 0),
      `${r.live.d1Calls} (${ms(r.live.d1Wall, 0)})`,
      `${(perClaim(r) * 1000).toFixed(0)} µs`,
      `${int(r.file.length)} B (${int(Math.round(r.file.length / r.p.n))} B per claim)`,
      `$${(r.totalCents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    ]);
    const goals = [
      {
        goal: `837P export of ${int(top.p.n)} claims within the Workers CPU limit (${int(CPU_LIMIT_MS / 1000)} s)`,
        actual: `${ms(top.alone.median, 0)} alone, ${ms(top.live.cpu, 0)} live`,
        met: Math.max(top.alone.median, top.live.cpu) <= CPU_LIMIT_MS,
      },
      {
        goal: `837P export CPU per claim, ${int(top.p.n)} vs ${int(base.p.n)} claims ≤ ${GOAL_RATIO}×`,
        actual: ratio(growth),
        met: growth <= GOAL_RATIO,
      },
      {
        goal: `the ${int(top.p.n)}-claim file passes tools/x12valid (pyx12)`,
        actual: valid ? 'OK' : 'failed',
        met: valid,
      },
    ];
    writeFragment({
      id: '8-claim-export',
      title: '8. Exporting claims to an 837P file (POST /v1/claims/exports)',
      rows: [
        ...results.map((r, i) => ({
          measure: `837P export, ${int(r.p.n)} claims${i === 0 ? ' (baseline)' : ''}`,
          median: ms(r.alone.median, 1),
          p95: ms(r.alone.p95, 1),
          p99: '',
          ratio: i === 0 ? '1.00× (per claim)' : `${ratio(growth)} (per claim)`,
          goal: i === 0 ? '' : `CPU ≤ ${int(CPU_LIMIT_MS / 1000)} s; per claim ≤ ${GOAL_RATIO}×`,
          met: i === 0 ? '' : goals[0].met && goals[1].met,
          note: `CPU alone; wall ${ms(r.live.wall, 0)} live`,
        })),
      ],
      goals,
      body: [
        `The Worker bundled for Node and called in-process (as measure 3) on a real local D1 (Miniflare's SQLite through the one-round-trip shim), migrated with every migration. Two providers, each with a complete billing profile and a fee for 90832: one with ${int(base.p.n)} and one with ${int(top.p.n)} past 20-minute sessions, each confirmed through the API first (a \`ready\` claim each; setup ${setupSeconds.toFixed(0)} s), then one \`POST /v1/claims/exports\` per provider with no body (every ready claim). "Live" is that request on D1: its CPU (process.cpuUsage, minus the CPU inside the D1 calls) and its wall time; "alone" is the same request replayed ${REPLAYS} times on its recorded D1 answers (ReplayD1): the Worker's own CPU, no I/O. The limit is the Workers Standard plan's 30 s of CPU per request.`,
        '',
        table(
          [
            'export',
            'CPU alone, median',
            'CPU alone, p95',
            'CPU live',
            'wall live',
            'D1 round trips (wall)',
            'CPU per claim',
            'file',
            'total billed',
          ],
          rows,
        ),
        '',
        `Per claim, ${int(top.p.n)} claims cost ${ratio(growth)} what ${int(base.p.n)} claims cost (goal ≤ ${GOAL_RATIO}×): the export reads every claim in one batch, writes the file in one pass over them (worker/domain/x12-837p.ts) and stores it, marks the claims and checks them with three statements whatever the count — the claim ids go in as one JSON parameter (D1 binds at most 100 per statement). The ${int(top.p.n)}-claim file passes tools/x12valid: ${valid ? 'OK' : '**failed**'}. A D1 row holds 2 MB and the file is stored whole in the export's row; a claim with 12 diagnoses, a subscriber who is not the patient and long names takes about 1 KB, which is why an export holds at most 1,000 claims (shared/schemas/appointment.ts MAX_CLAIMS_PER_EXPORT).`,
      ].join('\n'),
    });
  },
  { timeoutMs: 400_000 },
);
